"""The background worker that empties the outbox.

It sleeps until the next delivery is due (or it is woken because one became due now, or every
``IDLE_POLL_SECONDS`` — rows re-queued by ``harmline outbox retry`` from another process), sends
each due delivery through its channel, and records the outcome in the same row: delivered, a
retry time (exponential backoff with jitter, or the wait Telegram asked for), or, after
``max_attempts`` failures or at once for a failure retrying cannot mend, failed — never dropped,
and visible to operators (``harmline outbox``). Rows survive restarts: a delivery interrupted by
a crash is simply due again, and resumes after the messages it had sent.

Nothing one delivery does can hold up the others:

* whatever a channel raises — an expected failure (:class:`DeliveryFailed`) or a bug (any other
  exception, logged with its traceback) — counts as a failed attempt of that delivery alone;
* deliveries go out in *lanes*, one per target (a chat, a webhook URL), up to
  ``MAX_PARALLEL_TARGETS`` at a time: a slow or hanging recipient holds up only its own lane,
  while within a lane deliveries stay in order (a contact's chat gets one report's card and
  evidence before the next report's card);
* a delivery that takes longer than its time limit is abandoned as a failed attempt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from enum import Enum
from functools import partial

from harmline.delivery.channel import Attempt, Channel, DeliveryFailed, StandaloneChannel
from harmline.operations.metrics import Metrics
from harmline.reports.model import Delivery
from harmline.repositories import OutboxRepository, ReportRepository, Transaction
from harmline.settings.model import DeliverySettings

log = logging.getLogger(__name__)
AfterDelivery = Callable[[Transaction, Delivery, datetime], None]
# How often an idle worker looks for rows it was not woken for (re-queued from the command line).
IDLE_POLL_SECONDS = 5.0
# Targets served at the same time (each in order); Telegram's own pacing is the rate limiter's.
MAX_PARALLEL_TARGETS = 8
# The longest one delivery may take (a weekly summary draws charts and a PDF, then uploads them).
MIN_DELIVERY_TIMEOUT_SECONDS = 300.0
# A lane whose bookkeeping failed (the database) waits this long before its target is served again.
_LANE_PAUSE_SECONDS = 1.0
# Several processes: how long a lane's claim lasts unless renewed (a third of it, while sending),
# so a process that died frees its lanes within 20 s; how long to leave a busy lane alone.
_LANE_LEASE_SECONDS = 20.0
_LANE_BUSY_SECONDS = 2.0


class _Outcome(Enum):
    DELIVERED = "delivered"
    RETRY = "retry"  # failed this time, or for good: the lane goes on with the next delivery
    PAUSE = "pause"  # Telegram asked this chat to wait: the lane stops until then


def backoff_delay(attempts: int, settings: DeliverySettings, rng: random.Random) -> float:
    """Seconds before attempt ``attempts + 1``: base·2^(n-1), capped, with "equal jitter"
    (half fixed, half random) so many failed deliveries do not retry in lock-step."""
    ceiling = min(settings.backoff_max_seconds, settings.backoff_base_seconds * 2.0 ** max(attempts - 1, 0))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


def unexpected_reason(error: BaseException) -> str:
    """A bug's exception as the row's reason: its type and message."""
    text = str(error).strip().replace("\n", " ")
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class OutboxWorker:
    def __init__(self, outbox: OutboxRepository, reports: ReportRepository, channels: Mapping[str, Channel],
                 settings: DeliverySettings, clock: Callable[[], datetime],
                 rng: random.Random | None = None, *, after_delivery: AfterDelivery | None = None,
                 standalone: Mapping[str, StandaloneChannel] | None = None, worker: str | None = None) -> None:
        self.outbox = outbox
        # Set when several processes share the database: a lane is then claimed before it sends.
        self.worker = worker
        # Channels of deliveries that belong to no report (weekly summaries).
        self.standalone = standalone or {}
        # Runs in the transaction that marks a delivery delivered (the citizen's "forwarded" notice).
        self.after_delivery = after_delivery
        self.reports = reports
        self.channels = channels
        self.settings = settings
        self.clock = clock
        self.rng = rng or random.Random()
        self.delivery_timeout = max(MIN_DELIVERY_TIMEOUT_SECONDS, 4 * settings.webhook_timeout_seconds)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.metrics: Metrics | None = None  # set by the composition root when metrics are served
        self._lanes: dict[str, asyncio.Task[int]] = {}  # target -> the task sending to it
        self._paused: dict[str, datetime] = {}  # target -> not before (flood control, a lane that failed)

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-worker")

    async def take_back_lanes(self) -> None:
        """Lanes this process held before a crash are its own: free now, not when their claims expire."""
        if self.worker is not None:
            await self.outbox.release_lanes(self.worker)

    async def stop(self) -> None:
        """Stop sending. A delivery cut off half-way stays pending and resumes after the messages
        it had sent (the one in flight may be repeated once)."""
        tasks = [task for task in (self._task, *self._lanes.values()) if task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._task = None
        self._lanes.clear()

    async def _run(self) -> None:
        while True:
            try:
                self._dispatch(await self._due_targets())
                await self._sleep_until_due()
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup must not end deliveries for good
                log.exception("outbox worker: cannot read the outbox; retrying shortly")
                await asyncio.sleep(1.0)

    def _blocked(self, now: datetime) -> set[str]:
        """Targets not to start now: being served, or told by Telegram to wait."""
        for target, until in list(self._paused.items()):
            if until <= now:
                del self._paused[target]
        return {*self._lanes, *self._paused}

    async def _due_targets(self) -> list[str]:
        free = MAX_PARALLEL_TARGETS - len(self._lanes)
        if free <= 0:
            return []
        now = self.clock()
        return await self.outbox.due_targets(now, free, exclude=self._blocked(now))

    def _dispatch(self, targets: list[str]) -> list[asyncio.Task[int]]:
        started = []
        for target in targets:
            task = asyncio.create_task(self._lane(target), name=f"outbox-lane {target[:40]}")
            self._lanes[target] = task
            task.add_done_callback(partial(self._lane_done, target))
            started.append(task)
        return started

    def _lane_done(self, target: str, _: asyncio.Task[int]) -> None:
        self._lanes.pop(target, None)
        self._wake.set()  # room for another target

    async def _sleep_until_due(self) -> None:
        # Cleared before looking, so a wake() while we look is not lost.
        self._wake.clear()
        now = self.clock()
        delay = IDLE_POLL_SECONDS
        if len(self._lanes) < MAX_PARALLEL_TARGETS:
            blocked = self._blocked(now)
            next_due = await self.outbox.next_due_at(exclude=blocked)
            if next_due is not None:
                delay = min(delay, (next_due - now).total_seconds())
            for until in self._paused.values():
                delay = min(delay, (until - now).total_seconds())
        if delay <= 0:
            return
        # asyncio.timeout, not wait_for: Python 3.11's wait_for swallows a cancellation that comes
        # as the event is set, and stop() would then wait for ever on a worker that goes on.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._wake.wait()

    async def run_once(self) -> int:
        """Send every delivery due now (lanes in parallel, as the running worker does) and wait
        for them; return how many were delivered. For tests and tools: not while started."""
        delivered = 0
        while started := self._dispatch(await self._due_targets()):
            delivered += sum(await asyncio.gather(*started))
        return delivered

    async def _lane(self, target: str) -> int:
        """Send the due deliveries to one target in order, until none is due or Telegram asks it
        to wait; return how many were delivered."""
        delivered = 0
        seen: set[int] = set()
        try:
            if not await self._hold_lane(target):  # another process sends to it now
                self._paused[target] = self.clock() + timedelta(seconds=_LANE_BUSY_SECONDS)
                return 0
            while (delivery := await self.outbox.next_due_for(target, self.clock())) is not None:
                if delivery.id in seen:  # due again at once (a clock that stands still): next pass
                    break
                seen.add(delivery.id)
                # Renewed before each delivery: a process that lost its claim (stalled past it)
                # stops before sending what another process may be sending.
                if not await self._hold_lane(target):
                    break
                outcome = await self._deliver_holding(target, delivery)
                if outcome is _Outcome.DELIVERED:
                    delivered += 1
                elif outcome is _Outcome.PAUSE:
                    break
        except asyncio.CancelledError:
            raise
        except Exception:  # recording an outcome failed (the database): try this target again shortly
            log.exception("outbox worker: deliveries to %s interrupted; retrying shortly", target)
            self._paused[target] = self.clock() + timedelta(seconds=_LANE_PAUSE_SECONDS)
        finally:
            if self.worker is not None:
                with contextlib.suppress(Exception):  # unreleased, the claim expires on its own
                    await self.outbox.release_lane(target, self.worker)
        return delivered

    async def _hold_lane(self, target: str) -> bool:
        """Claim the lane of ``target`` (or extend the claim) when processes share the database."""
        if self.worker is None:
            return True
        now = self.clock()
        return await self.outbox.take_lane(target, self.worker, now, now + timedelta(seconds=_LANE_LEASE_SECONDS))

    async def _deliver_holding(self, target: str, delivery: Delivery) -> _Outcome:
        """:meth:`_deliver`, the lane's claim renewed meanwhile (an album through flood waits can
        take longer than a claim lasts)."""
        if self.worker is None:
            return await self._deliver(delivery)
        beat = asyncio.create_task(self._keep_lane(target), name=f"outbox-lane-claim {target[:40]}")
        try:
            return await self._deliver(delivery)
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat

    async def _keep_lane(self, target: str) -> None:
        while True:
            await asyncio.sleep(_LANE_LEASE_SECONDS / 3)
            with contextlib.suppress(Exception):  # the next renewal, or the claim's end, settles it
                await self._hold_lane(target)

    async def _send(self, delivery: Delivery, attempt: Attempt) -> str:
        """Send the delivery; return what it carried (for the log). Raises :class:`DeliveryFailed`
        (or anything else, a bug) when it did not go out."""
        if delivery.report_id is None:
            standalone = self.standalone.get(delivery.channel)
            if standalone is None:
                raise DeliveryFailed(f"no channel {delivery.channel!r} configured", permanent=True)
            await standalone.send(delivery, attempt)
            return str(delivery.purpose)
        channel = self.channels.get(delivery.channel)
        if channel is None:
            raise DeliveryFailed(f"no channel {delivery.channel!r} configured", permanent=True)
        report = await self.reports.by_id(delivery.report_id)
        if report is None:
            raise DeliveryFailed("report missing", permanent=True)
        await channel.send(delivery, report, attempt)
        return report.reference

    async def _deliver(self, delivery: Delivery) -> _Outcome:
        async def save(progress: int) -> None:
            await self.outbox.save_progress(delivery, progress)

        attempt = Attempt(delivery, save)
        deadline = asyncio.timeout(self.delivery_timeout)
        try:
            async with deadline:
                subject = await self._send(delivery, attempt)
        except DeliveryFailed as failure:
            return await self._failed(delivery, attempt, failure)
        except Exception as error:
            if isinstance(error, TimeoutError) and deadline.expired():
                slow = DeliveryFailed(f"not done within {self.delivery_timeout:.0f} s: abandoned")
                return await self._failed(delivery, attempt, slow)
            # A bug in a channel (or in loading the report): one failed attempt, like any other.
            return await self._failed(delivery, attempt, DeliveryFailed(unexpected_reason(error)), error)
        now = self.clock()
        after = self.after_delivery
        note = "; ".join(attempt.notes) or None
        await self.outbox.mark_delivered(delivery, now, then=(lambda tx: after(tx, delivery, now)) if after else None,
                                         note=note)
        if self.metrics is not None:
            self.metrics.delivered(delivery, now)
        log.log(logging.WARNING if note else logging.INFO, "delivered %s to %s (%s)%s", subject,
                delivery.contact_name, delivery.channel, f"; {note}" if note else "")
        return _Outcome.DELIVERED

    async def _failed(self, delivery: Delivery, attempt: Attempt, failure: DeliveryFailed,
                      bug: Exception | None = None) -> _Outcome:
        """Record a failed attempt; log it once: an expected failure in one WARNING line, a bug at
        ERROR with its traceback."""
        now = self.clock()
        progress = max(attempt.progress, failure.progress)
        who = f"delivery {delivery.id} ({delivery.purpose}) to {delivery.contact_name} ({delivery.channel})"
        if failure.retry_after is not None and bug is None:
            # Flood control is Telegram pacing us, not the contact failing: wait, do not count it.
            wait = failure.retry_after + self.rng.uniform(0, 1)
            until = now + timedelta(seconds=wait)
            await self.outbox.mark_flooded(delivery, until, failure.reason, progress)
            self._paused[delivery.target] = until
            if self.metrics is not None:
                self.metrics.flood_waits.inc()
            log.warning("%s: flood control, retrying in %.1f s", who, wait)
            return _Outcome.PAUSE
        attempts = delivery.attempts + 1
        level, trace = (logging.ERROR, bug) if bug is not None else (logging.WARNING, None)
        if failure.permanent or attempts >= self.settings.max_attempts:
            await self.outbox.mark_failed(delivery, failure.reason, progress)
            why = "cannot be sent" if failure.permanent else f"failed after {attempts} attempts"
            log.log(level, "%s %s: %s%s; kept as failed (harmline outbox)", who, why, failure.reason,
                    " — a bug" if bug is not None else "", exc_info=trace)
            return _Outcome.RETRY
        wait = max(backoff_delay(attempts, self.settings, self.rng), failure.min_wait or 0.0)
        await self.outbox.mark_retry(delivery, now + timedelta(seconds=wait), failure.reason, progress)
        log.log(level, "%s failed (%s)%s; attempt %d of %d in %.1f s", who, failure.reason,
                " — a bug" if bug is not None else "", attempts + 1, self.settings.max_attempts, wait,
                exc_info=trace)
        return _Outcome.RETRY
