"""Every Telegram update as it arrived, until its processing ended."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

PENDING, DONE, SKIPPED, ABANDONED = "pending", "done", "skipped", "abandoned"


# Times the handlers may begin on a replayed update (and not finish: the process died) before it
# is given up. Only a begun handling counts, so starts killed before reaching it lose nothing.
MAX_REPLAYS = 5


@dataclass(frozen=True)
class StoredUpdate:
    update_id: int
    payload: str  # the update's JSON exactly as Telegram sent it
    replays: int = 0  # times the handlers began on it after a restart (and the process died)
    chat_id: int = 0  # the chat it belongs to (0: none): one chat's updates are handled in order


@dataclass(frozen=True)
class Replay:
    """What start-up finds in the inbox: updates to process again, and those given up now."""

    updates: list[StoredUpdate]
    abandoned: list[int]


class InboxRepository(Protocol):
    """Every Telegram update as it arrived, until its processing ended."""

    async def store(self, updates: Sequence[StoredUpdate], now: datetime) -> list[StoredUpdate]:
        """Store the updates not seen before, in one committed transaction; return those (in order).
        An update Telegram sends again (its confirmation was lost) is not stored, nor returned, twice."""
        ...

    async def finish(self, update_id: int, state: str, now: datetime) -> None:
        """The update's processing ended (``DONE``) or cannot start (``SKIPPED``): erase its payload."""
        ...

    async def replay(self, now: datetime) -> Replay:
        """At start-up: the updates stored but not processed before the last stop, oldest first;
        those begun ``MAX_REPLAYS`` times after restarts are abandoned instead."""
        ...

    async def begin_replay(self, update_id: int) -> None:
        """The handlers begin on a replayed update (committed before they do)."""
        ...

    async def forget_before(self, moment: datetime) -> int:
        """Drop handled rows received before ``moment`` (Telegram redelivers for a day at most)."""
        ...

    async def oldest_pending(self) -> datetime | None:
        """When the oldest update still to be handled arrived."""
        ...

    async def counts(self) -> dict[str, int]: ...

    # Several processes on one database: a chat's updates are handled by the process holding
    # the chat's claim, in order; a claim not renewed by ``until`` (its process died) is free.

    async def claim_chats(self, worker: str, now: datetime, until: datetime, limit: int) -> list[int]:
        """Claim up to ``limit`` chats with updates to handle that no live claim holds, oldest
        update first; return those claimed for ``worker`` until ``until``."""
        ...

    async def pending_in(self, chat_id: int) -> list[StoredUpdate]:
        """The chat's updates still to handle, in order."""
        ...

    async def renew_chat(self, chat_id: int, worker: str, until: datetime) -> bool:
        """Extend ``worker``'s claim on the chat; False if it no longer holds it."""
        ...

    async def release_chat(self, chat_id: int, worker: str) -> None: ...

    async def release_chats(self, worker: str) -> int:
        """Let go every claim of ``worker`` (it starts again after a crash); how many there were."""
        ...

    async def abandon(self, update_id: int, now: datetime) -> None:
        """Give the update up (begun too often without ending); its payload stays a week."""
        ...
