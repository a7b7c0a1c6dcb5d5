"""The outbox: deliveries of reports to recipients, each row with its own state and retry time."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from reports.model import Delivery
from routing import Recipient
from storage.codec import from_text, to_text
from storage.database import Database, Row, Transaction

PENDING, DELIVERED, FAILED, CANCELLED = "pending", "delivered", "failed", "cancelled"


def _delivery(row: Row) -> Delivery:
    return Delivery(
        id=row["id"], report_id=row["report_id"], contact_name=row["contact_name"], channel=row["channel"],
        target=row["target"], language=row["language"], state=row["state"], attempts=row["attempts"],
        next_attempt_at=from_text(row["next_attempt_at"]), last_error=row["last_error"], progress=row["progress"],
        purpose=row["purpose"],
    )


class Outbox:
    def __init__(self, database: Database) -> None:
        self.database = database

    def enqueue(self, tx: Transaction, report_id: int, recipients: Sequence[Recipient],
                due: datetime, now: datetime, purpose: str = "forward") -> None:
        """One delivery per recipient; a delivery already queued for the same purpose is kept
        (a redelivered decision or a second confirmation does not send twice)."""
        tx.execute_many(
            "INSERT INTO deliveries (report_id, contact_name, channel, target, language, state, attempts,"
            " next_attempt_at, created_at, purpose) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)"
            " ON CONFLICT (report_id, channel, target, purpose) DO NOTHING",
            [(report_id, r.name, r.channel, r.target, r.language, PENDING, to_text(due), to_text(now), purpose)
             for r in recipients],
        )

    def enqueue_standalone(self, tx: Transaction, recipients: Sequence[Recipient], purpose: str,
                           due: datetime, now: datetime) -> int:
        """Deliveries of no report (a weekly summary); one per recipient and purpose, ever: a
        second call for the same week and recipient queues nothing. Returns how many were new."""
        return sum(tx.execute(
            "INSERT INTO deliveries (report_id, contact_name, channel, target, language, state, attempts,"
            " next_attempt_at, created_at, purpose) VALUES (NULL, ?, ?, ?, ?, ?, 0, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (r.name, r.channel, r.target, r.language, PENDING, to_text(due), to_text(now), purpose),
        ) for r in recipients)

    def forwards_of(self, tx: Transaction, report_id: int) -> dict[str, int]:
        """How many of the report's forwards to contacts are in each state."""
        rows = tx.fetch_all(
            "SELECT state, COUNT(*) AS n FROM deliveries WHERE report_id = ? AND purpose = 'forward'"
            " GROUP BY state", (report_id,))
        return {row["state"]: int(row["n"]) for row in rows}

    def reschedule_unsent(self, tx: Transaction, report_id: int, due: datetime) -> None:
        """Move the deliveries of a report that were never tried to ``due``."""
        tx.execute(
            "UPDATE deliveries SET next_attempt_at = ? WHERE report_id = ? AND state = ? AND attempts = 0",
            (to_text(due), report_id, PENDING),
        )

    def any_attempted(self, tx: Transaction, report_id: int) -> bool:
        row = tx.fetch_one(
            "SELECT COUNT(*) AS n FROM deliveries WHERE report_id = ? AND (attempts > 0 OR state <> ?)",
            (report_id, PENDING),
        )
        return bool(row and row["n"])

    def cancel(self, tx: Transaction, report_id: int) -> int:
        """Cancel the report's forwards and cards that were never tried (notices to the citizen stay)."""
        return tx.execute(
            "UPDATE deliveries SET state = ? WHERE report_id = ? AND state = ? AND attempts = 0"
            " AND purpose NOT LIKE 'notice:%'",
            (CANCELLED, report_id, PENDING),
        )

    async def due(self, now: datetime, limit: int = 20) -> list[Delivery]:
        rows = await self.database.fetch_all(
            "SELECT * FROM deliveries WHERE state = ? AND next_attempt_at <= ? ORDER BY next_attempt_at, id"
            " LIMIT ?",
            (PENDING, to_text(now), limit),
        )
        return [_delivery(row) for row in rows]

    async def next_due_at(self) -> datetime | None:
        row = await self.database.fetch_one(
            "SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE state = ?", (PENDING,))
        return from_text(row["at"]) if row and row["at"] else None

    async def mark_delivered(self, delivery: Delivery, now: datetime,
                             then: Callable[[Transaction], None] | None = None) -> None:
        """Record the delivery; ``then`` runs in the same transaction (what follows from it)."""
        def work(tx: Transaction) -> None:
            tx.execute(
                "UPDATE deliveries SET state = ?, attempts = attempts + 1, delivered_at = ?, last_error = NULL"
                " WHERE id = ?",
                (DELIVERED, to_text(now), delivery.id),
            )
            if then is not None:
                then(tx)

        await self.database.run(work)

    async def mark_retry(self, delivery: Delivery, next_attempt_at: datetime, error: str, progress: int,
                         *, count_attempt: bool = True) -> None:
        await self.database.run(lambda tx: tx.execute(
            "UPDATE deliveries SET attempts = attempts + ?, next_attempt_at = ?, last_error = ?, progress = ?"
            " WHERE id = ?",
            (1 if count_attempt else 0, to_text(next_attempt_at), error[:500], progress, delivery.id),
        ))

    async def mark_failed(self, delivery: Delivery, error: str) -> None:
        await self.database.run(lambda tx: tx.execute(
            "UPDATE deliveries SET state = ?, attempts = attempts + 1, last_error = ? WHERE id = ?",
            (FAILED, error[:500], delivery.id),
        ))

    async def for_report(self, report_id: int) -> list[Delivery]:
        rows = await self.database.fetch_all("SELECT * FROM deliveries WHERE report_id = ? ORDER BY id",
                                             (report_id,))
        return [_delivery(row) for row in rows]

    async def failed(self, limit: int = 100) -> list[Delivery]:
        rows = await self.database.fetch_all(
            "SELECT * FROM deliveries WHERE state = ? ORDER BY id DESC LIMIT ?", (FAILED, limit))
        return [_delivery(row) for row in rows]

    async def counts(self) -> dict[str, int]:
        rows = await self.database.fetch_all("SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state")
        return {row["state"]: int(row["n"]) for row in rows}
