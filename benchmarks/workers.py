"""Several workers: reports per second and acknowledgement latency with 1, 2 and 3 bot processes
on one PostgreSQL database, by webhook behind one URL (and one process on SQLite for reference).

Each run starts the processes (``python -m harmline run``, as operators run them) against the
loopback Bot API server of the crash test (tests/crash_support.py), whose webhook poster plays
Telegram and a load balancer: each update POSTed to the next process in turn. Citizens report
concurrently: a message, its acknowledgement, a "Send now" press, until each has filed
``--reports``. Throughput is reports filed per second of the whole run (stored, acknowledged and
completed); latency is from a citizen's message to its acknowledgement. Every run is checked as
the crash test checks (nothing lost, doubled or left unforwarded).

The same-run ceilings: (a) python-telegram-bot alone on the same updates (benchmarks/ingest.py),
(b) plain psycopg writing a report's rows, committed every 100 reports, on the same server.

    python benchmarks/workers.py --postgres postgresql://USER@127.0.0.1:PORT/postgres
        [--citizens 40] [--reports 5]

Prints figures only. On this machine the processes, the PostgreSQL server and the harness share
2 cores, which bounds what more processes can add.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tests.backends as backends  # noqa: E402
from benchmarks import ingest  # noqa: E402
from tests.crash_support import (  # noqa: E402
    BotProcess,
    Census,
    CrashServer,
    Crowd,
    WebhookPoster,
    free_port,
    wait_delivered,
    write_config,
)


@dataclass
class Run:
    label: str
    reports: int
    seconds: float
    census: Census

    @property
    def rate(self) -> float:
        return self.reports / self.seconds


async def one_run(folder: Path, label: str, workers: int, citizens: int, reports: int, seed: int) -> Run:
    os.mkdir(folder)
    database = folder / "shared.db"
    async with CrashServer() as server:
        bots = []
        for n in range(workers):
            home = folder / f"worker-{n + 1}"
            os.mkdir(home)
            config = write_config(home, server, webhook_port=free_port(), database=database, log_level="WARNING")
            bots.append(BotProcess(config, server, database))
        urls = [f"http://127.0.0.1:{port}/hook" for port in (_port(bot.config) for bot in bots)]
        poster = WebhookPoster(server, behind=urls)
        crowd = Crowd(server, citizens, seed, database, minimum=reports, maximum=reports)
        try:
            for bot in bots:
                await bot.start()
                await bot.wait_serving()
            poster.start()
            started = time.perf_counter()
            crowd.start()
            stuck = await crowd.finish(timeout=300)
            seconds = time.perf_counter() - started
            await wait_delivered(database, timeout=60)
            for bot in bots:
                await bot.interrupt()
        finally:
            await poster.stop()
            for bot in bots:
                await bot.ensure_stopped()
        census = Census.take(database, server, crowd.filed, [], workers, posted=poster.answered)
    problems = stuck + census.failures()
    if problems:
        print(f"  {label}: PROBLEMS: " + "; ".join(problems[:5]))
    return Run(label, len(crowd.filed), seconds, census)


def _port(config: Path) -> int:
    for line in config.read_text().splitlines():
        if line.startswith("port = "):
            return int(line.split("=")[1])
    raise AssertionError("no webhook port")


async def main_async(args: argparse.Namespace) -> None:
    print(f"harmline workers benchmark: {args.citizens} citizens × {args.reports} reports each (message, "
          f"acknowledgement, Send now), by webhook behind one URL\nPython {platform.python_version()}, "
          f"{os.cpu_count()} CPUs shared by the bot processes, PostgreSQL and this harness")
    runs: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="harmline-workers-") as tmp:
        folder = Path(tmp)
        backends.POSTGRES = None
        runs.append(await one_run(folder / "sqlite", "SQLite, 1 process", 1, args.citizens, args.reports, 1))
        backends.POSTGRES = args.postgres
        await backends.prepare_template()
        for workers in (1, 2, 3):
            runs.append(await one_run(folder / f"pg{workers}", f"PostgreSQL, {workers} process"
                                      + ("es" if workers > 1 else ""), workers, args.citizens, args.reports,
                                      workers + 1))
            backends.drop_made()
        ingest.POSTGRES = args.postgres
        n = args.citizens * args.reports
        bare_rate, _ = await ingest.run_bare_ptb(n, 50)
        plain = await ingest.run_postgres(folder, "plain", n, 50, batch=100)
        ingest.POSTGRES = None

    print(f"\n  {'run':<28} {'reports':>8} {'reports/s':>10} {'ack p50':>9} {'ack p99':>9}  lost/doubled/unforwarded")
    for run in runs:
        census = run.census
        print(f"  {run.label:<28} {run.reports:>8} {run.rate:>10.1f} {census.percentile(0.5) * 1000:>7.0f} ms "
              f"{census.percentile(0.99) * 1000:>6.0f} ms  {len(census.lost)}/{len(census.stored_twice)}/"
              f"{len(census.not_forwarded)}")
    print(f"\n  ceilings in the same run: (a) python-telegram-bot alone {bare_rate:,.0f} updates/s; "
          f"(b) plain psycopg, commit every 100: {plain:,.0f} reports/s")
    for run in runs[1:]:
        print(f"  {run.label}: {run.rate / bare_rate:.2%} of (a), {run.rate / plain:.2%} of (b)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--postgres", required=True, metavar="URL", help="a server URL (…/postgres)")
    parser.add_argument("--citizens", type=int, default=40)
    parser.add_argument("--reports", type=int, default=5, help="reports per citizen")
    random.seed(1)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
