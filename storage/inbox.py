"""The inbox: every Telegram update, as it arrived, on disk before Telegram is told we have it.

A row is ``pending`` from the moment it is stored until its processing ended, then ``done``
(processed, whatever the handlers made of it), ``skipped`` (python-telegram-bot cannot read it)
or ``abandoned`` (the handlers began on it after ``MAX_REPLAYS`` restarts and never finished: a
poison update must not take the bot down at every start). The payload is erased when a row is
done or skipped; an abandoned row keeps it a week, for the operator to look at.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from harmline.repositories.inbox import ABANDONED, MAX_REPLAYS, PENDING, Replay, StoredUpdate
from harmline.repositories.unit_of_work import Transaction
from harmline.storage.codec import from_text, to_text
from harmline.storage.units import Contention, SQLDatabase


class Inbox:
    def __init__(self, database: SQLDatabase) -> None:
        self.database = database

    async def store(self, updates: Sequence[StoredUpdate], now: datetime) -> list[StoredUpdate]:
        """Store the updates not seen before, in one committed transaction; return those (in order).
        An update Telegram sends again (its confirmation was lost) is not stored, nor returned, twice."""
        def work(tx: Transaction) -> list[StoredUpdate]:
            return [update for update in updates if tx.execute(
                "INSERT INTO inbox (update_id, received_at, payload, state, chat_id) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (update_id) DO NOTHING",
                (update.update_id, to_text(now), update.payload, PENDING, update.chat_id)) == 1]

        return await self.database.run(work)

    async def finish(self, update_id: int, state: str, now: datetime) -> None:
        """The update's processing ended (``DONE``) or cannot start (``SKIPPED``): erase its payload."""
        await self.database.run(lambda tx: tx.execute(
            "UPDATE inbox SET state = ?, payload = '', handled_at = ? WHERE update_id = ? AND state = ?",
            (state, to_text(now), update_id, PENDING)))

    async def replay(self, now: datetime) -> Replay:
        """At start-up: the updates stored but not processed before the last stop, oldest first;
        those begun ``MAX_REPLAYS`` times after restarts are abandoned instead."""
        def work(tx: Transaction) -> Replay:
            abandoned = [int(row["update_id"]) for row in tx.fetch_all(
                "SELECT update_id FROM inbox WHERE state = ? AND replays >= ? ORDER BY update_id",
                (PENDING, MAX_REPLAYS))]
            tx.execute("UPDATE inbox SET state = ?, handled_at = ? WHERE state = ? AND replays >= ?",
                       (ABANDONED, to_text(now), PENDING, MAX_REPLAYS))
            rows = tx.fetch_all("SELECT update_id, payload, replays FROM inbox WHERE state = ? ORDER BY update_id",
                                (PENDING,))
            return Replay([StoredUpdate(int(row["update_id"]), row["payload"], int(row["replays"])) for row in rows],
                          abandoned)

        return await self.database.run(work)

    async def begin_replay(self, update_id: int) -> None:
        """The handlers begin on a replayed update (committed before they do)."""
        await self.database.run(lambda tx: tx.execute(
            "UPDATE inbox SET replays = replays + 1 WHERE update_id = ?", (update_id,)))

    async def forget_before(self, moment: datetime) -> int:
        """Drop handled rows received before ``moment`` (Telegram redelivers for a day at most)."""
        return await self.database.run(lambda tx: tx.execute(
            "DELETE FROM inbox WHERE received_at < ? AND state <> ?", (to_text(moment), PENDING)))

    async def oldest_pending(self) -> datetime | None:
        """When the oldest update still to be handled arrived."""
        row = await self.database.fetch_one("SELECT MIN(received_at) AS at FROM inbox WHERE state = ?", (PENDING,))
        return from_text(row["at"]) if row and row["at"] else None

    async def counts(self) -> dict[str, int]:
        rows = await self.database.fetch_all("SELECT state, COUNT(*) AS n FROM inbox GROUP BY state")
        return {row["state"]: int(row["n"]) for row in rows}

    async def claim_chats(self, worker: str, now: datetime, until: datetime, limit: int) -> list[int]:
        """Claim up to ``limit`` chats with updates to handle that no live claim holds, oldest
        update first; return those claimed for ``worker`` until ``until``."""
        moment = to_text(now)

        def work(tx: Transaction) -> list[int]:
            candidates = [int(row["chat_id"]) for row in tx.fetch_all(
                "SELECT i.chat_id FROM inbox i LEFT JOIN chat_claims c ON c.chat_id = i.chat_id"
                " WHERE i.state = ? AND (c.chat_id IS NULL OR c.until <= ?)"
                " GROUP BY i.chat_id ORDER BY MIN(i.update_id) LIMIT ?", (PENDING, moment, limit))]
            # The upsert takes a claim only if it is free or expired: of two processes trying at
            # once, one changes the row and the other changes nothing. In chat order, so two
            # processes' claims take the rows in the same order.
            return [chat_id for chat_id in sorted(candidates) if tx.execute(
                "INSERT INTO chat_claims (chat_id, worker, until) VALUES (?, ?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET worker = excluded.worker, until = excluded.until"
                " WHERE chat_claims.until <= ?", (chat_id, worker, to_text(until), moment)) == 1]

        try:
            return await self.database.run(work)
        except Contention:  # another process is claiming the same chats this instant: next round
            return []

    async def pending_in(self, chat_id: int) -> list[StoredUpdate]:
        """The chat's updates still to handle, in order."""
        rows = await self.database.fetch_all(
            "SELECT update_id, payload, replays FROM inbox WHERE chat_id = ? AND state = ? ORDER BY update_id",
            (chat_id, PENDING))
        return [StoredUpdate(int(row["update_id"]), row["payload"], int(row["replays"]), chat_id) for row in rows]

    async def renew_chat(self, chat_id: int, worker: str, until: datetime) -> bool:
        """Extend ``worker``'s claim on the chat; False if it no longer holds it."""
        return await self.database.run(lambda tx: tx.execute(
            "UPDATE chat_claims SET until = ? WHERE chat_id = ? AND worker = ?",
            (to_text(until), chat_id, worker)) == 1)

    async def release_chat(self, chat_id: int, worker: str) -> None:
        await self.database.run(lambda tx: tx.execute(
            "DELETE FROM chat_claims WHERE chat_id = ? AND worker = ?", (chat_id, worker)))

    async def release_chats(self, worker: str) -> int:
        """Let go every claim of ``worker`` (it starts again after a crash); how many there were."""
        return await self.database.run(lambda tx: tx.execute("DELETE FROM chat_claims WHERE worker = ?", (worker,)))

    async def abandon(self, update_id: int, now: datetime) -> None:
        """Give the update up (begun too often without ending); its payload stays a week."""
        await self.database.run(lambda tx: tx.execute(
            "UPDATE inbox SET state = ?, handled_at = ? WHERE update_id = ? AND state = ?",
            (ABANDONED, to_text(now), update_id, PENDING)))
