"""Durability: what survives SIGKILLs under load, and what durable intake costs in reports/s.

Part 1, crashes (the crash test's scenario, tests/crash_support.py): the real bot
(``python -m harmline run --config F``, a subprocess) against the fake Bot API server on 127.0.0.1;
citizens report concurrently (send a text with a unique marker, wait for the acknowledgement
however long the bot is down, press "Send now", wait for the report to close, think, again); the
bot is SIGKILLed N times at random points (a quarter while it starts, the others 0.3-1.8 s into
serving) and restarted on the same database; a last run is left alone until everything is through,
then stopped with SIGINT. The same scenario without kills runs first, as the baseline of the same
run. Printed per mode (long polling, webhook): messages sent, stored, lost, duplicate reports,
reports merged, presses lost, duplicate acknowledgements / forwards / notices (a crash between
sending and recording), presses never shown complete, acknowledgement latency p50/p95 (downtime
included: a citizen's wait).

Part 2, cost (in-process, Bot API answered by benchmarks/ingest.py's OfflineRequest, one CPU):
the same updates
(a) through durable intake as the bot runs it: ``UpdateFeed.accept`` in getUpdates batches of 100
    (stored in the inbox, one commit a batch) → the application's update queue → the handlers →
    the update marked done in the inbox;
(b) ``Application.process_update`` called directly on the same updates, through the same per-chat
    update processor, as many in flight, without the inbox store and mark (what the handlers cost);
(c) for attribution: the same update queue as (a), without the inbox.

    cd /work/main && .venv/bin/python benchmarks/durability.py [KILLS] [--citizens 60]
        [--mode both|polling|webhook] [--seed 11] [--crash-loop] [--serving FROM TO]
        [--reports 2000] [--rounds 3] [--no-crashes | --no-cost]

``--crash-loop`` lets kills come back to back before a start has processed what it replayed (the
crash test does not: see storage.inbox.MAX_REPLAYS); with ``--serving 0 0.1 --citizens 100`` it
shows a backlog abandoned, and lost, after four interrupted starts. Prints figures only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import telegram
from telegram import Update

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.ingest import (  # noqa: E402
    OfflineRequest,
    make_updates,
    percentile,
    pin_to_one_cpu,
    quiet_gc,
    settings_document,
)
from harmline.bot import build_application  # noqa: E402
from harmline.handlers.context import HarmlineApplication  # noqa: E402
from harmline.handlers.ordering import MAX_CONCURRENT_UPDATES, PerChatOrderedProcessor  # noqa: E402
from harmline.settings import parse_settings  # noqa: E402
from tests.crash_support import CrashRun, KillPlan, crash_scenario  # noqa: E402

BATCH = 100  # getUpdates hands over at most 100 updates at a time


# --- part 1: crashes -------------------------------------------------------------------------


async def crashes(kills: int, modes: list[str], citizens: int, seed: int, minimum: int,
                  crash_loop: bool, serving: tuple[float, float]) -> list[CrashRun]:
    runs = []
    for mode in modes:
        for n in sorted({0, kills}):
            with tempfile.TemporaryDirectory(prefix="harmline-durability-") as tmp:
                plan = KillPlan(n, serving=serving, settle=not crash_loop)
                run = await crash_scenario(Path(tmp), seed=seed, citizens=citizens, kills=plan,
                                           webhook=mode == "webhook", minimum=minimum, maximum=minimum + 12)
            runs.append(run)
            print(f"  ran {mode}, {n} kills: {run.seconds:.1f} s", flush=True)
    return runs


def print_crashes(runs: list[CrashRun]) -> None:
    columns = ("mode", "kills", "runs", "sent", "stored", "lost", "dup reports", "merged", "presses lost",
               "not fwd", "dup acks", "dup fwds", "dup notices", "silent presses", "ack p50", "ack p95",
               "time")
    widths = (8, 5, 4, 5, 6, 4, 11, 6, 12, 7, 8, 8, 11, 14, 8, 8, 6)
    print("\n  " + " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    for run in runs:
        c = run.census
        cells = (run.mode, len(c.kills), c.runs, len(c.filed), c.stored, len(c.lost), len(c.stored_twice),
                 len(c.merged), len(c.open_after_press), len(c.not_forwarded), c.duplicates("ack"),
                 c.duplicates("forward"), c.duplicates("notice"), len(c.unanswered_presses),
                 f"{c.percentile(0.5) * 1000:.0f} ms", f"{c.percentile(0.95) * 1000:.0f} ms", f"{run.seconds:.0f} s")
        print("  " + " ".join(f"{x!s:>{w}}" for x, w in zip(cells, widths, strict=True)))
    print("\n  dup = sent again after a crash interrupted it between sending and recording; silent presses = "
          "\"Send now\" stored, but the question message never shown complete")
    for run in runs:
        c = run.census
        failures = run.stuck + c.failures()
        extra = ""
        if run.mode == "webhook":
            extra = f"; webhook: {len(run.answered)} updates answered 2xx, POSTs refused or cut {dict(run.refused)}"
        print(f"  {run.mode}, {len(c.kills)} kills: updates replayed per restart {run.replayed}, exit code "
              f"{run.exit_code}, inbox {dict(c.inbox)}{extra}")
        if run.kill_points:
            print(f"    kills: {'; '.join(run.kill_points)}")
        for failure in failures[:10]:
            print(f"    ! {failure}")
        if len(failures) > 10:
            print(f"    ! … and {len(failures) - 10} more")


# --- part 2: the cost of durable intake -------------------------------------------------------


@dataclass
class Throughput:
    rate: float  # reports per second
    latencies: list[float]  # seconds per update where measured (b), else empty
    stored: int
    inbox: dict[str, int]


async def _application(workdir: Path, name: str) -> HarmlineApplication:
    settings = parse_settings(settings_document(workdir / f"{name}.db"))
    application = build_application(settings, request=OfflineRequest())
    await application.initialize()
    assert application.post_init is not None
    await application.post_init(application)
    await application.start()  # the update fetcher, the job queue: as `harmline run`
    return application


async def _close(application: HarmlineApplication) -> tuple[int, dict[str, int]]:
    services = application.bot_data.services
    assert services is not None
    reports = await services.database.fetch_one("SELECT COUNT(*) FROM reports")
    inbox = await services.inbox.counts()
    await application.stop()
    assert application.post_shutdown is not None
    await application.post_shutdown(application)
    await application.shutdown()
    return int(reports[0]) if reports is not None else 0, inbox


async def durable(workdir: Path, name: str, warm: list[dict[str, Any]], timed: list[dict[str, Any]]) -> Throughput:
    """(a) As polling hands updates on: stored a batch at a time, queued, processed, marked."""
    application = await _application(workdir, name)
    services = application.bot_data.services
    assert services is not None and services.feed is not None
    feed = services.feed
    for start in range(0, len(warm), BATCH):
        await feed.accept(warm[start:start + BATCH])
    await application.update_queue.join()
    with quiet_gc():
        started = time.perf_counter()
        for start in range(0, len(timed), BATCH):
            await feed.accept(timed[start:start + BATCH])
        await application.update_queue.join()  # every update processed and marked
        seconds = time.perf_counter() - started
    stored, inbox = await _close(application)
    return Throughput(len(timed) / seconds, [], stored, inbox)


def _unmarked(application: HarmlineApplication) -> None:
    """Processing without the inbox's mark when an update is through."""
    processor = application.update_processor
    assert isinstance(processor, PerChatOrderedProcessor)

    async def nothing(update: object) -> None:
        return None

    processor.processed = nothing


async def direct(workdir: Path, name: str, warm: list[dict[str, Any]], timed: list[dict[str, Any]]) -> Throughput:
    """(b) ``Application.process_update`` on the same updates, through the same update processor,
    ``MAX_CONCURRENT_UPDATES`` in flight, without the inbox store and mark."""
    application = await _application(workdir, name)
    _unmarked(application)
    bot = application.bot
    window = asyncio.Semaphore(MAX_CONCURRENT_UPDATES)
    latencies: list[float] = []

    async def one(data: dict[str, Any], timing: bool) -> None:
        async with window:
            start = time.perf_counter()
            update = Update.de_json(data, bot)
            await application.update_processor.process_update(update, application.process_update(update))
            if timing:
                latencies.append(time.perf_counter() - start)

    await asyncio.gather(*(one(data, False) for data in warm))
    with quiet_gc():
        started = time.perf_counter()
        await asyncio.gather(*(one(data, True) for data in timed))
        seconds = time.perf_counter() - started
    stored, inbox = await _close(application)
    return Throughput(len(timed) / seconds, latencies, stored, inbox)


async def queued(workdir: Path, name: str, warm: list[dict[str, Any]], timed: list[dict[str, Any]]) -> Throughput:
    """(c) The update queue of (a), fed without the inbox (no store, no mark)."""
    application = await _application(workdir, name)
    _unmarked(application)
    bot = application.bot

    async def feed(updates: list[dict[str, Any]]) -> None:
        for data in updates:
            await application.update_queue.put(Update.de_json(data, bot))
        await application.update_queue.join()

    await feed(warm)
    with quiet_gc():
        started = time.perf_counter()
        await feed(timed)
        seconds = time.perf_counter() - started
    stored, inbox = await _close(application)
    return Throughput(len(timed) / seconds, [], stored, inbox)


Runner = Callable[[Path, str, list[dict[str, Any]], list[dict[str, Any]]], Awaitable[Throughput]]


async def cost(reports: int, warmup: int, rounds: int) -> None:
    paths: list[tuple[str, str, Runner]] = [
        ("a", "(a) durable intake: inbox commit per batch of 100, queue, handlers, marked done", durable),
        ("b", "(b) Application.process_update directly, same processor, no inbox", direct),
        ("c", "(c) same update queue as (a), no inbox store or mark", queued),
    ]
    results: dict[str, list[Throughput]] = {key: [] for key, _, _ in paths}
    warm, timed = make_updates(warmup, first_user=1), make_updates(reports, first_user=1 + warmup)
    with tempfile.TemporaryDirectory(prefix="harmline-durability-cost-") as tmp:
        for round_number in range(rounds):
            for key, _, run in paths:  # interleaved, so drift on a shared machine hits each path alike
                results[key].append(await run(Path(tmp), f"{key}-{round_number}", warm, timed))
    median = {key: statistics.median(t.rate for t in runs) for key, runs in results.items()}
    print(f"\n  {'path':<84} {'reports/s':>10} {'per report':>11}   rounds")
    for key, label, _ in paths:
        rates = ", ".join(f"{t.rate:,.0f}" for t in results[key])
        print(f"  {label:<84} {median[key]:>10,.0f} {1000 / median[key]:>8.3f} ms   {rates}")
    a, b, c = median["a"], median["b"], median["c"]
    print(f"\n  durable intake / process_update directly (a/b): {a / b:6.1%}   cost {1000 / a - 1000 / b:+.3f} ms "
          "per report")
    print(f"  durable intake / same queue without inbox (a/c): {a / c:6.1%}   cost {1000 / a - 1000 / c:+.3f} ms "
          "per report")
    latencies = [x for t in results["b"] for x in t.latencies]
    print(f"  (b) per update, {MAX_CONCURRENT_UPDATES} in flight: median {statistics.median(latencies) * 1000:.2f} ms, "
          f"p95 {percentile(latencies, 0.95) * 1000:.2f} ms")
    expected = reports + warmup
    for key, _, _ in paths:
        checks = [(t.stored, t.inbox) for t in results[key]]
        ok = all(stored == expected for stored, _ in checks) and all(
            inbox == ({"done": expected} if key == "a" else {}) for _, inbox in checks)
        print(f"  correctness ({key}): {expected:,} updates → reports {[s for s, _ in checks]}, inbox "
              f"{checks[0][1] or 'not used'}: {'OK' if ok else 'MISMATCH'}")


# --- main ------------------------------------------------------------------------------------


async def main_async(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    modes = ["polling", "webhook"] if args.mode == "both" else [args.mode]
    print(f"harmline durability benchmark: Python {platform.python_version()}, python-telegram-bot "
          f"{telegram.__version__}, SQLite {sqlite3.sqlite_version}, {os.cpu_count()} CPUs")
    if not args.no_crashes:
        print(f"\nPart 1, crashes: {args.citizens} citizens, ≥ {args.minimum} reports each (more while the kills "
              f"last), seed {args.seed}, {args.kills} SIGKILLs "
              + ("back to back allowed (--crash-loop)" if args.crash_loop
                 else "(each start's replay processed before a kill while serving)")
              + f", kills while serving {args.serving[0]:g}-{args.serving[1]:g} s into it"
              + "; baseline: the same without kills")
        runs = await crashes(args.kills, modes, args.citizens, args.seed, args.minimum, args.crash_loop,
                             (args.serving[0], args.serving[1]))
        print_crashes(runs)
    if not args.no_cost:
        cpus = f"all {os.cpu_count()} CPUs" if args.all_cores else pin_to_one_cpu()
        print(f"\nPart 2, the cost of durable intake: {args.reports:,} reports (+{args.warmup} warm-up), each from a "
              f"different citizen, Bot API answered in-process, {cpus}, {args.rounds} interleaved rounds (median)")
        await cost(args.reports, args.warmup, args.rounds)
    print(f"\n(benchmark time {time.perf_counter() - started:.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("kills", type=int, nargs="?", default=8, help="SIGKILLs per crash run (default 8)")
    parser.add_argument("--mode", choices=("both", "polling", "webhook"), default="both")
    parser.add_argument("--citizens", type=int, default=60, help="concurrent citizens (default 60)")
    parser.add_argument("--minimum", type=int, default=3, help="reports each citizen makes at least (default 3)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--crash-loop", action="store_true",
                        help="kills may come back to back before a start processed what it replayed")
    parser.add_argument("--serving", type=float, nargs=2, default=(0.3, 1.8), metavar=("FROM", "TO"),
                        help="a kill while serving comes this many seconds into it (default 0.3 1.8)")
    parser.add_argument("--reports", type=int, default=2000, help="timed reports per cost run (default 2000)")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds of the cost runs (default 3)")
    parser.add_argument("--no-crashes", action="store_true", help="only part 2")
    parser.add_argument("--no-cost", action="store_true", help="only part 1")
    parser.add_argument("--all-cores", action="store_true", help="part 2 not pinned to one CPU")
    args = parser.parse_args()
    # The fake Bot API server logs every request a killed bot cut off: expected here, not news.
    logging.basicConfig(level=logging.ERROR)
    for name in ("aiohttp.server", "botapi_server.server"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
