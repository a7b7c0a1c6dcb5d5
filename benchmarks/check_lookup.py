"""/check lookup latency with millions of stored indicators.

Builds a real harmline database (migrations applied by harmline's own Database) holding
``--indicators`` indicators (default 5,000,000) over a fifth as many reports, distributed as
reports are: 20 "hot" numbers reported about 2,000 times each, a fifth of all rows on numbers
reported 2–30 times, the rest reported once — then times
``ReportStore.indicator_history`` (what /check and the contact card use) for hot, ordinary and
unknown values, beside the same SQL run directly with sqlite3 (the floor) in the same run.

    python benchmarks/check_lookup.py [--indicators 5000000] [--lookups 2000]

Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harmline.storage import Database, ReportStore  # noqa: E402

GOAL_MS = 5.0
HOT, HOT_REPORTS = 20, 2000
REPEATED_FROM = HOT  # values from here on are reported 2–30 times, then once
COUNTRIES = ["MY", "ID", "TH", "VN", "PH", "SG", "KH", "LA", "MM", "TL", "BN"]
CATEGORIES = ["scam", "scam", "scam", "illegal_gambling", "fraudulent_content", "other"]


def phone(i: int) -> str:
    return f"+6012{i:07d}"


def fill(path: Path, indicators: int, rng: random.Random) -> tuple[int, int]:
    """Bulk-load reports and indicators with plain sqlite3 (setup, not what is measured)."""
    reports = max(indicators // 5, 1)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO reports (id, reference, country, status, reply_language, category, category_reason,"
        " created_at, last_message_at, followup_deadline) VALUES (?, ?, ?, 'submitted', 'en', ?, 'bench', ?, ?, ?)",
        ((i, f"MY-{i:08d}", COUNTRIES[i % len(COUNTRIES)], CATEGORIES[i % len(CATEGORIES)],
          f"2026-{1 + i % 11:02d}-{1 + i % 28:02d}T10:00:00.000000Z", "x", "x") for i in range(1, reports + 1)))
    chosen = [k for k in range(HOT) for _ in range(HOT_REPORTS)]  # values 0..19: hot
    value = HOT
    while len(chosen) < indicators // 5:  # then numbers reported 2–30 times
        chosen += [value] * rng.randint(2, 30)
        value += 1
    chosen += range(value, value + indicators - len(chosen))  # the rest: reported once
    connection.executemany(
        "INSERT OR IGNORE INTO indicators (report_id, kind, value, report_country, report_category,"
        " report_created_at, report_live) VALUES (?, 'phone', ?, ?, ?, ?, 1)",
        ((1 + n % reports, phone(k), COUNTRIES[(1 + n % reports) % len(COUNTRIES)],
          CATEGORIES[(1 + n % reports) % len(CATEGORIES)], f"2026-{1 + n % 11:02d}-01T10:00:00.000000Z")
         for n, k in enumerate(chosen)))
    connection.execute("COMMIT")
    stored = connection.execute("SELECT COUNT(*) FROM indicators").fetchone()[0]
    connection.close()
    return int(stored), chosen[-1]  # the last value is one of those reported once


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def main_async(args: argparse.Namespace) -> None:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="harmline-lookup-") as tmp:
        path = Path(tmp) / "lookup.db"
        database = Database(str(path))
        await database.open()  # migrations: the real schema and indexes
        await database.close()
        started = time.perf_counter()
        stored, last_value = fill(path, args.indicators, rng)
        print(f"/check lookup: {stored:,} stored indicators (loaded in {time.perf_counter() - started:.0f} s), "
              f"{args.lookups:,} lookups per kind of value\n")
        database = Database(str(path))
        await database.open()
        store = ReportStore(database)
        probes = {
            "hot (~2,000 reports)": [phone(rng.randrange(0, HOT)) for _ in range(args.lookups)],
            "repeated (2–30)": [phone(REPEATED_FROM + rng.randrange(0, 1000)) for _ in range(args.lookups)],
            "reported once": [phone(last_value - rng.randrange(0, 1000)) for _ in range(args.lookups)],
            "never reported": [phone(10**7 - 1 - rng.randrange(0, 10**5)) for _ in range(args.lookups)],
        }
        direct = sqlite3.connect(path)
        # The floor: the same lookup's SQL, without harmline's connection, thread hop and objects.
        sql = ("SELECT report_category, report_country, MIN(report_created_at), MAX(report_created_at), COUNT(*)"
               " FROM indicators WHERE kind = ? AND value = ? AND report_live = 1"
               " GROUP BY report_category, report_country")
        print(f"  {'values':<22}{'reports':>9}{'harmline p50':>14}{'p99':>9}{'sqlite3 p50':>13}{'p99':>9}  (ms)")
        worst = 0.0
        for name, values in probes.items():
            ours, floor, counts = [], [], []
            for value in values:
                start = time.perf_counter()
                history = await store.indicator_history("phone", value)
                ours.append((time.perf_counter() - start) * 1000)
                counts.append(history.reports)
                start = time.perf_counter()
                direct.execute(sql, ("phone", value)).fetchall()
                floor.append((time.perf_counter() - start) * 1000)
            worst = max(worst, percentile(ours, 0.99))
            print(f"  {name:<22}{statistics.median(counts):>9.0f}{statistics.median(ours):>14.3f}"
                  f"{percentile(ours, 0.99):>9.3f}{statistics.median(floor):>13.3f}{percentile(floor, 0.99):>9.3f}")
        direct.close()
        await database.close()
        print(f"\n  goal p99 < {GOAL_MS:g} ms: {'met' if worst < GOAL_MS else 'NOT met'} (worst p99 {worst:.3f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--indicators", type=int, default=5_000_000)
    parser.add_argument("--lookups", type=int, default=2000)
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
