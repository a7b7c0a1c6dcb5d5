"""The outbox worker against a real SQLite outbox and channels the test controls, on a frozen
clock: what a failure costs (attempts, backoff, the stored reason), flood control, order per
target and several targets at a time."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from harmline.delivery.channel import Attempt, DeliveryFailed, flood_failure
from harmline.delivery.worker import OutboxWorker
from harmline.reports.model import Delivery
from harmline.reports.purpose import Summary, parse_purpose
from harmline.routing import Recipient
from harmline.settings.model import DeliverySettings
from harmline.storage import Outbox, ReportStore
from tests.backends import make_database
from tests.conftest import Clock

SETTINGS = DeliverySettings(max_attempts=5, backoff_base_seconds=10.0, backoff_max_seconds=60.0)


class Scripted:
    """A standalone channel whose behaviour per delivery the test sets: ``actions[purpose]`` runs
    at each attempt (raise, wait, report progress); every call is recorded."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []  # (target, purpose)
        self.actions: dict[str, Callable[[Delivery, Attempt], object]] = {}

    async def send(self, delivery: Delivery, attempt: Attempt) -> None:
        self.calls.append((delivery.target, str(delivery.purpose)))
        action = self.actions.get(str(delivery.purpose))
        if action is not None:
            result = action(delivery, attempt)
            if asyncio.iscoroutine(result):
                await result


@pytest.fixture
async def outbox(tmp_path: Path) -> AsyncIterator[Outbox]:
    database = make_database(tmp_path / "outbox.db")
    await database.open()
    yield Outbox(database)
    await database.close()


def worker_for(outbox: Outbox, channel: Scripted, clock: Clock) -> OutboxWorker:
    return OutboxWorker(outbox, ReportStore(outbox.database), {}, SETTINGS, clock, random.Random(7),
                        standalone={"summary": channel})


async def queue(outbox: Outbox, clock: Clock, *deliveries: tuple[str, str]) -> None:
    """Queue (target, purpose) deliveries, due now, in this order."""
    for target, purpose in deliveries:
        recipient = Recipient(f"contact {target}", "summary", target, "en")
        summary = parse_purpose(purpose)
        assert isinstance(summary, Summary)
        await outbox.database.run(lambda tx, r=recipient, p=summary: outbox.enqueue_standalone(
            tx, [r], p, clock.now, clock.now))


async def row(outbox: Outbox, purpose: str) -> Delivery:
    """The delivery of ``purpose``, pending or failed."""
    entries = [*await outbox.listing("pending"), *await outbox.listing("failed")]
    return next(e.delivery for e in entries if str(e.delivery.purpose) == purpose)


async def test_a_bug_costs_one_attempt_each_time_with_growing_backoff_then_fails_with_its_reason(
        outbox: Outbox, clock: Clock) -> None:
    channel = Scripted()

    def explode(delivery: Delivery, attempt: Attempt) -> None:
        raise KeyError("chart font")

    channel.actions["summary:MY:2026-W47"] = explode
    worker = worker_for(outbox, channel, clock)
    await queue(outbox, clock, ("-100", "summary:MY:2026-W47"), ("-200", "summary:TH:2026-W47"))
    waits = []
    for attempt in range(1, SETTINGS.max_attempts):
        assert await worker.run_once() == (1 if attempt == 1 else 0)  # the other one went out at once
        failing = await row(outbox, "summary:MY:2026-W47")
        assert (failing.state, failing.attempts, failing.last_error) == ("pending", attempt, "KeyError: 'chart font'")
        waits.append((failing.next_attempt_at - clock.now).total_seconds())
        assert await worker.run_once() == 0  # not due yet: not tried again
        clock.now = failing.next_attempt_at
    # Exponential backoff with jitter: within [ceiling/2, ceiling] of 10, 20, 40, 60 s.
    for wait, ceiling in zip(waits, (10, 20, 40, 60), strict=True):
        assert ceiling / 2 <= wait <= ceiling
    await worker.run_once()
    [failed] = await outbox.failed_of(None)
    assert (failed.delivery.attempts, failed.delivery.last_error) == (5, "KeyError: 'chart font'")
    assert channel.calls.count(("-100", "summary:MY:2026-W47")) == 5
    assert channel.calls.count(("-200", "summary:TH:2026-W47")) == 1
    clock.advance(3600)
    assert await worker.run_once() == 0 and channel.calls.count(("-100", "summary:MY:2026-W47")) == 5


async def test_flood_control_waits_uncounted_and_holds_only_that_chat_in_order(outbox: Outbox, clock: Clock) -> None:
    channel = Scripted()
    floods = [flood_failure(timedelta(seconds=30))]

    def flood_once(delivery: Delivery, attempt: Attempt) -> None:
        if floods:
            raise floods.pop()

    channel.actions["summary:MY:2026-W46"] = flood_once
    worker = worker_for(outbox, channel, clock)
    await queue(outbox, clock, ("-100", "summary:MY:2026-W46"), ("-100", "summary:MY:2026-W47"),
                ("-200", "summary:TH:2026-W47"))
    assert await worker.run_once() == 1  # only the other chat's
    flooded = await row(outbox, "summary:MY:2026-W46")
    assert (flooded.state, flooded.attempts) == ("pending", 0)
    assert flooded.last_error == "flood control: retry after 30 s"
    # The chat told to wait gets nothing else meanwhile, even what was due.
    assert ("-100", "summary:MY:2026-W47") not in channel.calls
    clock.advance(20)
    assert await worker.run_once() == 0
    clock.advance(12)
    assert await worker.run_once() == 2
    assert [c for c in channel.calls if c[0] == "-100"] == [
        ("-100", "summary:MY:2026-W46"), ("-100", "summary:MY:2026-W46"), ("-100", "summary:MY:2026-W47")]


async def test_a_slow_target_holds_up_only_its_own_later_deliveries(outbox: Outbox, clock: Clock) -> None:
    channel = Scripted()
    release = asyncio.Event()

    async def slow(delivery: Delivery, attempt: Attempt) -> None:
        await release.wait()

    channel.actions["summary:MY:2026-W46"] = slow
    worker = worker_for(outbox, channel, clock)
    await queue(outbox, clock, ("-100", "summary:MY:2026-W46"), ("-100", "summary:MY:2026-W47"),
                *[(str(-200 - n), f"summary:TH:2026-W{40 + n}") for n in range(10)])
    worker.start()
    try:
        for _ in range(200):
            if len(channel.calls) >= 11:
                break
            await asyncio.sleep(0.01)
        # Ten other chats served (more than the lanes at a time) while the slow one still hangs.
        assert len(channel.calls) == 11 and ("-100", "summary:MY:2026-W47") not in channel.calls
        assert (await outbox.counts()) == {"delivered": 10, "pending": 2}
        release.set()
        for _ in range(200):
            if (await outbox.counts()) == {"delivered": 12}:
                break
            await asyncio.sleep(0.01)
        assert (await outbox.counts()) == {"delivered": 12}
        assert [c for c in channel.calls if c[0] == "-100"] == [
            ("-100", "summary:MY:2026-W46"), ("-100", "summary:MY:2026-W47")]
    finally:
        await worker.stop()


async def test_a_failure_half_way_resumes_after_the_messages_that_went_out(outbox: Outbox, clock: Clock) -> None:
    channel = Scripted()
    sent: list[int] = []
    crashes = [RuntimeError("lost the connection")]  # not a DeliveryFailed: no progress given

    async def three_messages_second_fails_once(delivery: Delivery, attempt: Attempt) -> None:
        for index in range(attempt.progress, 3):
            if index == 1 and crashes:
                raise crashes.pop()
            sent.append(index)
            await attempt.sent(index + 1, last=index == 2)

    channel.actions["summary:MY:2026-W47"] = three_messages_second_fails_once
    worker = worker_for(outbox, channel, clock)
    await queue(outbox, clock, ("-100", "summary:MY:2026-W47"))
    await worker.run_once()
    retrying = await row(outbox, "summary:MY:2026-W47")
    assert (retrying.attempts, retrying.progress) == (1, 1)
    clock.now = retrying.next_attempt_at
    assert await worker.run_once() == 1
    assert sent == [0, 1, 2]  # the first message once


async def test_a_permanent_failure_is_not_retried(outbox: Outbox, clock: Clock) -> None:
    channel = Scripted()

    def gone(delivery: Delivery, attempt: Attempt) -> None:
        raise DeliveryFailed("Forbidden: bot was kicked from the group chat", permanent=True)

    channel.actions["summary:MY:2026-W47"] = gone
    worker = worker_for(outbox, channel, clock)
    await queue(outbox, clock, ("-100", "summary:MY:2026-W47"))
    await worker.run_once()
    [failed] = await outbox.failed_of(None)
    assert (failed.delivery.attempts, failed.delivery.last_error) == (
        1, "Forbidden: bot was kicked from the group chat")
