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
