"""The outbox: deliveries of reports to recipients, each row with its own state and retry time."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime

from harmline.reports.model import Delivery
from harmline.reports.purpose import FORWARD, NOTICE_PREFIX, Purpose, Summary, parse_purpose
from harmline.repositories.outbox import CANCELLED, DELIVERED, FAILED, PENDING, OutboxEntry, Requeue
from harmline.repositories.unit_of_work import Row, Transaction
from harmline.routing import Recipient
from harmline.storage.codec import from_text, to_text
from harmline.storage.units import Contention, SQLDatabase

# A delivery nothing was tried for yet: no attempt counted, no message out (a crash or flood
# control can leave messages sent without a counted attempt), no error (a re-queued delivery
# has its attempts reset but keeps its last error until it is tried again).
_UNTRIED = "attempts = 0 AND progress = 0 AND last_error IS NULL"


def _delivery(row: Row) -> Delivery:
    return Delivery(
        id=row["id"], report_id=row["report_id"], contact_name=row["contact_name"], channel=row["channel"],
        target=row["target"], language=row["language"], state=row["state"], attempts=row["attempts"],
        next_attempt_at=from_text(row["next_attempt_at"]), last_error=row["last_error"], progress=row["progress"],
        purpose=parse_purpose(row["purpose"]), created_at=from_text(row["created_at"]),
    )


class Outbox:
    def __init__(self, database: SQLDatabase) -> None:
        self.database = database

    def enqueue(self, tx: Transaction, report_id: int, recipients: Sequence[Recipient],
                due: datetime, now: datetime, purpose: Purpose = FORWARD) -> None:
        """One delivery per recipient; a delivery already queued for the same purpose is kept
        (a redelivered decision or a second confirmation does not send twice), and one cancelled
        before it was tried is queued again (the citizen chose to forward after all, or chose
        their first country again)."""
        tx.execute_many(
            "INSERT INTO deliveries (report_id, contact_name, channel, target, language, state, attempts,"
            " next_attempt_at, created_at, purpose) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)"
            " ON CONFLICT (report_id, channel, target, purpose) DO UPDATE SET state = excluded.state,"
            f" next_attempt_at = excluded.next_attempt_at WHERE deliveries.state = '{CANCELLED}'"
            " AND deliveries.attempts = 0 AND deliveries.progress = 0 AND deliveries.last_error IS NULL",
            [(report_id, r.name, r.channel, r.target, r.language, PENDING, to_text(due), to_text(now), str(purpose))
             for r in recipients],
        )

    def enqueue_standalone(self, tx: Transaction, recipients: Sequence[Recipient], purpose: Summary,
                           due: datetime, now: datetime) -> int:
        """Deliveries of no report (a weekly summary); one per recipient and purpose, ever: a
        second call for the same week and recipient queues nothing. Returns how many were new."""
        return sum(tx.execute(
            "INSERT INTO deliveries (report_id, contact_name, channel, target, language, state, attempts,"
            " next_attempt_at, created_at, purpose) VALUES (NULL, ?, ?, ?, ?, ?, 0, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (r.name, r.channel, r.target, r.language, PENDING, to_text(due), to_text(now), str(purpose)),
        ) for r in recipients)

    def forwards_of(self, tx: Transaction, report_id: int) -> dict[str, int]:
        """How many of the report's forwards to contacts are in each state."""
        rows = tx.fetch_all(
            "SELECT state, COUNT(*) AS n FROM deliveries WHERE report_id = ? AND purpose = ?"
            " GROUP BY state", (report_id, str(FORWARD)))
        return {row["state"]: int(row["n"]) for row in rows}

    def reschedule_unsent(self, tx: Transaction, report_id: int, due: datetime) -> None:
        """Move the deliveries of a report that were never tried to ``due``."""
        tx.execute(
            f"UPDATE deliveries SET next_attempt_at = ? WHERE report_id = ? AND state = ? AND {_UNTRIED}",
            (to_text(due), report_id, PENDING),
        )

    def any_attempted(self, tx: Transaction, report_id: int) -> bool:
        row = tx.fetch_one(
            f"SELECT COUNT(*) AS n FROM deliveries WHERE report_id = ? AND NOT ({_UNTRIED} AND state = ?)",
            (report_id, PENDING),
        )
        return bool(row and row["n"])

    def cancel(self, tx: Transaction, report_id: int) -> int:
        """Cancel the report's forwards and cards that were never tried (notices to the citizen stay)."""
        return tx.execute(
            f"UPDATE deliveries SET state = ? WHERE report_id = ? AND state = ? AND {_UNTRIED}"
            " AND purpose NOT LIKE ?",
            (CANCELLED, report_id, PENDING, f"{NOTICE_PREFIX}%"),
        )

    async def due(self, now: datetime, limit: int = 100, exclude: Collection[str] = ()) -> list[Delivery]:
        """Pending deliveries due at ``now``, oldest due first, except those to ``exclude``d targets."""
        rows = await self.database.fetch_all(
            f"SELECT * FROM deliveries WHERE state = ? AND next_attempt_at <= ?{_not_in(exclude)}"
            " ORDER BY next_attempt_at, id LIMIT ?",
            (PENDING, to_text(now), *exclude, limit),
        )
        return [_delivery(row) for row in rows]

    async def due_targets(self, now: datetime, limit: int, exclude: Collection[str] = ()) -> list[str]:
        """Up to ``limit`` targets (chat ids, URLs) with a delivery due at ``now``, the longest
        waiting first, except the ``exclude``d ones (being served, or paused)."""
        rows = await self.database.fetch_all(
            f"SELECT target, MIN(next_attempt_at) AS at FROM deliveries WHERE state = ? AND next_attempt_at <= ?"
            f"{_not_in(exclude)} GROUP BY target ORDER BY at LIMIT ?",
            (PENDING, to_text(now), *exclude, limit),
        )
        return [row["target"] for row in rows]

    async def next_due_for(self, target: str, now: datetime) -> Delivery | None:
        """The delivery to ``target`` to send first, if one is due at ``now``."""
        row = await self.database.fetch_one(
            "SELECT * FROM deliveries WHERE state = ? AND target = ? AND next_attempt_at <= ?"
            " ORDER BY next_attempt_at, id LIMIT 1",
            (PENDING, target, to_text(now)),
        )
        return _delivery(row) if row else None

    async def next_due_at(self, exclude: Collection[str] = ()) -> datetime | None:
        row = await self.database.fetch_one(
            f"SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE state = ?{_not_in(exclude)}",
            (PENDING, *exclude))
        return from_text(row["at"]) if row and row["at"] else None

    async def save_progress(self, delivery: Delivery, progress: int) -> None:
        """``progress`` messages of the delivery went out (saved at once: a crash after this
        repeats none of them)."""
        await self.database.run(lambda tx: tx.execute(
            "UPDATE deliveries SET progress = ? WHERE id = ? AND state = ?", (progress, delivery.id, PENDING)))

    async def mark_delivered(self, delivery: Delivery, now: datetime,
                             then: Callable[[Transaction], None] | None = None, note: str | None = None) -> None:
        """Record the delivery; ``then`` runs in the same transaction (what follows from it).
        ``note``: what the delivery went past (an evidence item not sent), kept as last_error."""
        def work(tx: Transaction) -> None:
            tx.execute(
                "UPDATE deliveries SET state = ?, attempts = attempts + 1, delivered_at = ?, last_error = ?"
                " WHERE id = ?",
                (DELIVERED, to_text(now), note[:500] if note else None, delivery.id),
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

    async def mark_flooded(self, delivery: Delivery, until: datetime, error: str, progress: int) -> None:
        """Telegram told the delivery's chat to wait until ``until`` (not counted as an attempt):
        every delivery to that chat due before then waits too, and they keep their order."""
        def work(tx: Transaction) -> None:
            tx.execute("UPDATE deliveries SET next_attempt_at = ?, last_error = ?, progress = ? WHERE id = ?",
                       (to_text(until), error[:500], progress, delivery.id))
            tx.execute("UPDATE deliveries SET next_attempt_at = ? WHERE state = ? AND target = ?"
                       " AND next_attempt_at < ?", (to_text(until), PENDING, delivery.target, to_text(until)))

        await self.database.run(work)

    async def mark_failed(self, delivery: Delivery, error: str, progress: int | None = None) -> None:
        """Failed for good (kept, listed by ``harmline outbox``); ``progress`` lets a re-queued
        delivery resume after what did go out."""
        await self.database.run(lambda tx: tx.execute(
            "UPDATE deliveries SET state = ?, attempts = attempts + 1, last_error = ?,"
            " progress = COALESCE(?, progress) WHERE id = ?",
            (FAILED, error[:500], progress, delivery.id),
        ))

    async def for_report(self, report_id: int) -> list[Delivery]:
        rows = await self.database.fetch_all("SELECT * FROM deliveries WHERE report_id = ? ORDER BY id",
                                             (report_id,))
        return [_delivery(row) for row in rows]

    async def failed(self, limit: int = 100) -> list[Delivery]:
        rows = await self.database.fetch_all(
            "SELECT * FROM deliveries WHERE state = ? ORDER BY id DESC LIMIT ?", (FAILED, limit))
        return [_delivery(row) for row in rows]

    async def oldest_pending(self) -> datetime | None:
        """When the longest-waiting pending delivery was queued."""
        row = await self.database.fetch_one("SELECT MIN(created_at) AS at FROM deliveries WHERE state = ?",
                                            (PENDING,))
        return from_text(row["at"]) if row and row["at"] else None

    async def counts(self) -> dict[str, int]:
        rows = await self.database.fetch_all("SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state")
        return {row["state"]: int(row["n"]) for row in rows}

    # ------------------------------------------------------------------ operators (harmline outbox)
    async def listing(self, state: str, limit: int = 100) -> list[OutboxEntry]:
        """Deliveries in ``state`` with their report's reference: pending ones by next attempt,
        failed ones newest first."""
        order = "d.next_attempt_at, d.id" if state == PENDING else "d.id DESC"
        rows = await self.database.fetch_all(
            f"SELECT {_ENTRY_COLUMNS} WHERE d.state = ? ORDER BY {order} LIMIT ?", (state, limit))
        return [_entry(row) for row in rows]

    async def states_of(self, subject: str) -> dict[str, int] | None:
        """How many deliveries of a report (by reference) or of a summary (by purpose,
        ``summary:TH:2026-W47``) are in each state; None when there is no such report."""
        if subject.startswith("summary:"):
            rows = await self.database.fetch_all(
                "SELECT state, COUNT(*) AS n FROM deliveries WHERE report_id IS NULL AND purpose = ?"
                " GROUP BY state", (subject,))
            return {row["state"]: int(row["n"]) for row in rows}
        report = await self.database.fetch_one("SELECT id FROM reports WHERE reference = ?", (subject,))
        if report is None:
            return None
        rows = await self.database.fetch_all(
            "SELECT state, COUNT(*) AS n FROM deliveries WHERE report_id = ? GROUP BY state", (report["id"],))
        return {row["state"]: int(row["n"]) for row in rows}

    async def failed_of(self, subject: str | None) -> list[OutboxEntry]:
        """The failed deliveries of a report (by reference) or a summary (by purpose); all of them
        when ``subject`` is None."""
        if subject is None:
            where, params = "d.state = ?", [FAILED]
        elif subject.startswith("summary:"):
            where, params = "d.state = ? AND d.report_id IS NULL AND d.purpose = ?", [FAILED, subject]
        else:
            where, params = "d.state = ? AND r.reference = ?", [FAILED, subject]
        rows = await self.database.fetch_all(f"SELECT {_ENTRY_COLUMNS} WHERE {where} ORDER BY d.id", params)
        return [_entry(row) for row in rows]

    async def requeue(self, changes: Sequence[Requeue], now: datetime) -> list[int]:
        """Failed deliveries back to pending, due ``now``, attempts reset (the last error stays
        until the next attempt replaces it), to the target the configuration names now; a new
        target starts from the first message. Returns the ids re-queued: a row no longer failed,
        or whose new target already has the same delivery, is left as it is."""
        def work(tx: Transaction) -> list[int]:
            done = []
            for change in changes:
                # The new target may already have this report's delivery (the unique keys): then
                # this one is left as it is.
                if tx.execute(
                    "UPDATE deliveries SET state = ?, attempts = 0, next_attempt_at = ?,"
                    " progress = CASE WHEN target = ? THEN progress ELSE 0 END, target = ?, language = ?"
                    " WHERE id = ? AND state = ? AND NOT EXISTS (SELECT 1 FROM deliveries o"
                    " WHERE o.id <> deliveries.id AND o.channel = deliveries.channel AND o.target = ?"
                    " AND o.purpose = deliveries.purpose AND (o.report_id = deliveries.report_id"
                    " OR (o.report_id IS NULL AND deliveries.report_id IS NULL)))",
                    (PENDING, to_text(now), change.target, change.target, change.language, change.id, FAILED,
                     change.target),
                ):
                    done.append(change.id)
            return done

        return await self.database.run(work)

    async def take_lane(self, target: str, worker: str, now: datetime, until: datetime) -> bool:
        """Claim (or extend ``worker``'s claim on) the lane of ``target`` until ``until``; False
        while another process's claim is live."""
        try:
            return await self.database.run(lambda tx: tx.execute(
                "INSERT INTO delivery_lanes (target, worker, until) VALUES (?, ?, ?)"
                " ON CONFLICT (target) DO UPDATE SET worker = excluded.worker, until = excluded.until"
                " WHERE delivery_lanes.until <= ? OR delivery_lanes.worker = excluded.worker",
                (target, worker, to_text(until), to_text(now))) == 1)
        except Contention:  # another process is taking it this instant: not now
            return False

    async def release_lanes(self, worker: str) -> int:
        """Let go every lane ``worker`` held (it starts again after a crash); how many there were."""
        return await self.database.run(lambda tx: tx.execute(
            "DELETE FROM delivery_lanes WHERE worker = ?", (worker,)))

    async def release_lane(self, target: str, worker: str) -> None:
        await self.database.run(lambda tx: tx.execute(
            "DELETE FROM delivery_lanes WHERE target = ? AND worker = ?", (target, worker)))

_ENTRY_COLUMNS = "d.*, r.reference AS reference, r.country AS country FROM deliveries d" \
                 " LEFT JOIN reports r ON r.id = d.report_id"


def _entry(row: Row) -> OutboxEntry:
    return OutboxEntry(_delivery(row), row["reference"], row["country"])


def _not_in(targets: Collection[str]) -> str:
    return f" AND target NOT IN ({', '.join('?' * len(targets))})" if targets else ""
