"""The persistent outbox: every delivery, its attempts and its state."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from harmline.reports.model import Delivery
from harmline.reports.purpose import FORWARD, Purpose, Summary
from harmline.repositories.unit_of_work import Transaction
from harmline.routing import Recipient

PENDING, DELIVERED, FAILED, CANCELLED = "pending", "delivered", "failed", "cancelled"


@dataclass(frozen=True)
class OutboxEntry:
    """A delivery as operators see it: with its report's reference and country (None for a summary)."""

    delivery: Delivery
    reference: str | None
    country: str | None

    @property
    def subject(self) -> str:
        return self.reference or str(self.delivery.purpose)


@dataclass(frozen=True)
class Requeue:
    """Send delivery ``id`` again, to ``target`` in ``language`` (those the configuration names now)."""

    id: int
    target: str
    language: str


class OutboxRepository(Protocol):
    """The persistent outbox: every delivery, its attempts and its state."""

    def enqueue(
        self,
        tx: Transaction,
        report_id: int,
        recipients: Sequence[Recipient],
        due: datetime,
        now: datetime,
        purpose: Purpose = FORWARD,
    ) -> None:
        """One delivery per recipient; a delivery already queued for the same purpose is kept
        (a redelivered decision or a second confirmation does not send twice)."""
        ...

    def enqueue_standalone(
        self, tx: Transaction, recipients: Sequence[Recipient], purpose: Summary, due: datetime, now: datetime
    ) -> int:
        """Deliveries of no report (a weekly summary); one per recipient and purpose, ever: a
        second call for the same week and recipient queues nothing. Returns how many were new."""
        ...

    def forwards_of(self, tx: Transaction, report_id: int) -> dict[str, int]:
        """How many of the report's forwards to contacts are in each state."""
        ...

    def reschedule_unsent(self, tx: Transaction, report_id: int, due: datetime) -> None:
        """Move the deliveries of a report that were never tried to ``due``."""
        ...

    def any_attempted(self, tx: Transaction, report_id: int) -> bool: ...

    def cancel(self, tx: Transaction, report_id: int) -> int:
        """Cancel the report's forwards and cards that were never tried (notices to the citizen stay)."""
        ...

    async def due(self, now: datetime, limit: int = 100, exclude: Collection[str] = ()) -> list[Delivery]:
        """Pending deliveries due at ``now``, oldest due first, except those to ``exclude``d targets."""
        ...

    async def due_targets(self, now: datetime, limit: int, exclude: Collection[str] = ()) -> list[str]:
        """Up to ``limit`` targets (chat ids, URLs) with a delivery due at ``now``, the longest
        waiting first, except the ``exclude``d ones (being served, or paused)."""
        ...

    async def next_due_for(self, target: str, now: datetime) -> Delivery | None:
        """The delivery to ``target`` to send first, if one is due at ``now``."""
        ...

    async def next_due_at(self, exclude: Collection[str] = ()) -> datetime | None: ...

    async def save_progress(self, delivery: Delivery, progress: int) -> None:
        """``progress`` messages of the delivery went out (saved at once: a crash after this
        repeats none of them)."""
        ...

    async def mark_delivered(
        self,
        delivery: Delivery,
        now: datetime,
        then: Callable[[Transaction], None] | None = None,
        note: str | None = None,
    ) -> None:
        """Record the delivery; ``then`` runs in the same transaction (what follows from it).
        ``note``: what the delivery went past (an evidence item not sent), kept as last_error."""
        ...

    async def mark_retry(
        self, delivery: Delivery, next_attempt_at: datetime, error: str, progress: int, *, count_attempt: bool = True
    ) -> None: ...

    async def mark_flooded(self, delivery: Delivery, until: datetime, error: str, progress: int) -> None:
        """Telegram told the delivery's chat to wait until ``until`` (not counted as an attempt):
        every delivery to that chat due before then waits too, and they keep their order."""
        ...

    async def mark_failed(self, delivery: Delivery, error: str, progress: int | None = None) -> None:
        """Failed for good (kept, listed by ``harmline outbox``); ``progress`` lets a re-queued
        delivery resume after what did go out."""
        ...

    async def for_report(self, report_id: int) -> list[Delivery]: ...

    async def failed(self, limit: int = 100) -> list[Delivery]: ...

    async def oldest_pending(self) -> datetime | None:
        """When the longest-waiting pending delivery was queued."""
        ...

    async def counts(self) -> dict[str, int]: ...

    async def listing(self, state: str, limit: int = 100) -> list[OutboxEntry]:
        """Deliveries in ``state`` with their report's reference: pending ones by next attempt,
        failed ones newest first."""
        ...

    async def states_of(self, subject: str) -> dict[str, int] | None:
        """How many deliveries of a report (by reference) or of a summary (by purpose,
        ``summary:TH:2026-W47``) are in each state; None when there is no such report."""
        ...

    async def failed_of(self, subject: str | None) -> list[OutboxEntry]:
        """The failed deliveries of a report (by reference) or a summary (by purpose); all of them
        when ``subject`` is None."""
        ...

    async def requeue(self, changes: Sequence[Requeue], now: datetime) -> list[int]:
        """Failed deliveries back to pending, due ``now``, attempts reset (the last error stays
        until the next attempt replaces it), to the target the configuration names now; a new
        target starts from the first message. Returns the ids re-queued: a row no longer failed,
        or whose new target already has the same delivery, is left as it is."""
        ...

    # Several processes on one database: one sends to a target at a time (the lane's claim).

    async def take_lane(self, target: str, worker: str, now: datetime, until: datetime) -> bool:
        """Claim (or extend ``worker``'s claim on) the lane of ``target`` until ``until``; False
        while another process's claim is live."""
        ...

    async def release_lane(self, target: str, worker: str) -> None: ...

    async def release_lanes(self, worker: str) -> int:
        """Let go every lane ``worker`` held (it starts again after a crash); how many there were."""
        ...
