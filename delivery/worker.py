"""The background worker that empties the outbox.

It sleeps until the next delivery is due (or it is woken because one became due now), sends
each due delivery through its channel, and records the outcome in the same row: delivered, a
retry time (exponential backoff with jitter, or the wait Telegram asked for), or, after
``max_attempts`` failures, failed — never dropped, and visible to operators (``harmline status``).
Rows survive restarts: a delivery interrupted by a crash is simply due again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta

from delivery.channel import Channel, DeliveryFailed, StandaloneChannel
from reports.model import Delivery
from settings.model import DeliverySettings
from storage import Outbox, ReportStore, Transaction

log = logging.getLogger(__name__)
AfterDelivery = Callable[[Transaction, Delivery, datetime], None]
IDLE_POLL_SECONDS = 30.0


def backoff_delay(attempts: int, settings: DeliverySettings, rng: random.Random) -> float:
    """Seconds before attempt ``attempts + 1``: base·2^(n-1), capped, with "equal jitter"
    (half fixed, half random) so many failed deliveries do not retry in lock-step."""
    ceiling = min(settings.backoff_max_seconds, settings.backoff_base_seconds * 2.0 ** max(attempts - 1, 0))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


class OutboxWorker:
    def __init__(self, outbox: Outbox, reports: ReportStore, channels: Mapping[str, Channel],
                 settings: DeliverySettings, clock: Callable[[], datetime],
                 rng: random.Random | None = None, *, after_delivery: AfterDelivery | None = None,
                 standalone: Mapping[str, StandaloneChannel] | None = None) -> None:
        self.outbox = outbox
        # Channels of deliveries that belong to no report (weekly summaries).
        self.standalone = standalone or {}
        # Runs in the transaction that marks a delivery delivered (the citizen's "forwarded" notice).
        self.after_delivery = after_delivery
        self.reports = reports
        self.channels = channels
        self.settings = settings
        self.clock = clock
        self.rng = rng or random.Random()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup must not end deliveries for good
                log.exception("outbox worker pass failed; retrying shortly")
                await asyncio.sleep(1.0)
            await self._sleep_until_due()

    async def _sleep_until_due(self) -> None:
        next_due = await self.outbox.next_due_at()
        delay = IDLE_POLL_SECONDS
        if next_due is not None:
            delay = min(delay, max((next_due - self.clock()).total_seconds(), 0.0))
        if delay <= 0:
            return
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=delay)

    async def run_once(self) -> int:
        """Send every delivery due now; return how many were delivered."""
        delivered = 0
        while due := await self.outbox.due(self.clock()):
            for delivery in due:
                delivered += await self._deliver(delivery)
        return delivered

    async def _sending(self, delivery: Delivery) -> tuple[str, Awaitable[None] | None]:
        """What the delivery carries (for the log) and the sending of it; None and why not when
        it cannot be sent at all."""
        if delivery.report_id is None:
            standalone = self.standalone.get(delivery.channel)
            if standalone is None:
                return f"no channel {delivery.channel!r} configured", None
            return delivery.purpose, standalone.send(delivery)
        report = await self.reports.by_id(delivery.report_id)
        channel = self.channels.get(delivery.channel)
        if report is None or channel is None:
            return "report missing" if report is None else f"no channel {delivery.channel!r} configured", None
        return report.reference, channel.send(delivery, report)

    async def _deliver(self, delivery: Delivery) -> int:
        subject, sending = await self._sending(delivery)
        if sending is None:
            await self.outbox.mark_failed(delivery, subject)
            return 0
        try:
            await sending
        except DeliveryFailed as failure:
            await self._failed(delivery, failure)
            return 0
        now = self.clock()
        after = self.after_delivery
        await self.outbox.mark_delivered(delivery, now, then=(lambda tx: after(tx, delivery, now)) if after else None)
        log.info("delivered %s to %s (%s)", subject, delivery.contact_name, delivery.channel)
        return 1

    async def _failed(self, delivery: Delivery, failure: DeliveryFailed) -> None:
        now = self.clock()
        if failure.retry_after is not None:
            # Flood control is Telegram pacing us, not the contact failing: wait, do not count it.
            wait = failure.retry_after + self.rng.uniform(0, 1)
            await self.outbox.mark_retry(delivery, now + timedelta(seconds=wait), failure.reason,
                                         failure.progress, count_attempt=False)
            log.warning("delivery %d: flood limit, retrying in %.1f s", delivery.id, wait)
            return
        attempts = delivery.attempts + 1
        if attempts >= self.settings.max_attempts or failure.permanent:
            await self.outbox.mark_failed(delivery, failure.reason)
            log.error("delivery %d to %s failed for good after %d attempts: %s", delivery.id,
                      delivery.contact_name, attempts, failure.reason)
            return
        wait = backoff_delay(attempts, self.settings, self.rng)
        await self.outbox.mark_retry(delivery, now + timedelta(seconds=wait), failure.reason, failure.progress)
        log.warning("delivery %d to %s failed (%s); attempt %d in %.1f s", delivery.id, delivery.contact_name,
                    failure.reason, attempts + 1, wait)
