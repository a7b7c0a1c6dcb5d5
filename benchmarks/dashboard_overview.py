"""The dashboard's overview over a million reports: warm p50/p95 of ``GET /overview`` through the
real server on loopback (signed in, over HTTP), beside the floor measured in the same run on the
same database: the summary figures alone (``SummaryBuilder.country``), which the overview shows.

The data is the weekly-summary benchmark's (``benchmarks/summary_build.py``: a million reports
over a year, built once and cached in the temporary directory). The clock is set to the
Wednesday of the week with the most reports, in its busiest country, so the overview shows that
week as "this week" (the worst case, not an empty week).

    cd /work/main && python -m benchmarks.dashboard_overview [--reports 1000000] [--repeat 30]

Goal: p95 under 300 ms. Prints figures and PASS/FAIL; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import sqlite3
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.moderation_queries import COUNTRIES  # noqa: E402
from benchmarks.summary_build import busiest, prepare  # noqa: E402
from harmline.dashboard.login import login_hash  # noqa: E402
from harmline.dashboard.server import Dashboard  # noqa: E402
from harmline.i18n import Catalogs  # noqa: E402
from harmline.settings.model import DashboardSettings, Settings, TelegramSettings  # noqa: E402
from harmline.storage import Database, store_on  # noqa: E402
from harmline.summaries.build import SummaryBuilder  # noqa: E402

GOAL_MS = 300.0
TOKEN = "0:benchmark"
ADMIN = 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def timed(call: Callable[[], Awaitable[object]], repeat: int) -> list[float]:
    await call()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return times


def line(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"{label:<44} p50 {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   max {max(times):7.1f} ms"


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


async def main_async(args: argparse.Namespace) -> None:
    path = await prepare(args.reports, rebuild=False)
    plain = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    scene, _weeks = busiest(plain)
    plain.close()
    now = scene.week.bounds("Asia/Jakarta")[0] + timedelta(days=2, hours=12)  # that week's Wednesday
    settings = Settings(telegram=TelegramSettings(token=TOKEN), database=str(path), countries=COUNTRIES,
                        admins=(ADMIN,), dashboard=DashboardSettings(port=free_port()))
    database = Database(str(path))
    await database.open()
    store = store_on(database)
    dashboard = Dashboard(settings, store, Catalogs(), lambda: now)
    await dashboard.start()
    try:
        fields = {"id": str(ADMIN), "first_name": "Bench", "auth_date": str(int(now.timestamp()))}
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.dashboard.port}") as client:
            signed_in = await client.post("/auth", json={**fields, "hash": login_hash(fields, TOKEN)})
            signed_in.raise_for_status()

            async def overview() -> None:
                (await client.get(f"/overview?country={scene.country}&lang=en")).raise_for_status()

            async def indicators() -> None:  # the longest period the dashboard offers
                (await client.get(f"/indicators?country={scene.country}&weeks=12&lang=en")).raise_for_status()

            builder = SummaryBuilder(store.summaries)
            print(f"{args.reports:,} reports; week {scene.week.label}, {scene.country} (the busiest week and "
                  f"country); {args.repeat} warm calls each")
            floor = await timed(lambda: builder.country(scene.country, scene.week, now), args.repeat)
            page = await timed(overview, args.repeat)
            longest = await timed(indicators, args.repeat)
            floor_again = await timed(lambda: builder.country(scene.country, scene.week, now), args.repeat)
    finally:
        await dashboard.stop()
        await database.close()
    floor_all = floor + floor_again  # before and after, so a drift of the machine shows in the floor
    print(line("floor: the summary figures alone", floor_all))
    print(line("GET /overview (figures, 12 weeks, HTML, HTTP)", page))
    print(line("GET /indicators?weeks=12 (no goal set)", longest))
    print(f"overview / floor (p95): {p95(page) / p95(floor_all):.2f}; goal p95 < {GOAL_MS:.0f} ms: "
          f"{'PASS' if p95(page) < GOAL_MS else 'FAIL'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
