"""Retention on a large database: how fast reports are de-identified and deleted, and how long
the bot's own work waits on the database while it runs.

Builds a real harmline SQLite database (harmline's migrations) holding ``--reports`` reports
received evenly over two years, each with two messages (in the /find index), a screenshot with
its read text and two indicators. Then runs :class:`harmline.services.retention.Retention` with
the default periods (180 days, 730 days): about three quarters of the reports are de-identified
and a few deleted. Meanwhile a task stands for the bot: a one-row write every 10 ms through the
same connection, timed from asking to done.

The floor, measured in the same run on a copy of the same database: the same statements with
plain sqlite3, all rows in one transaction, no batches, no audit rows.

    python benchmarks/retention.py [--reports 200000] [--batch 500]

Prints figures only; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harmline.services.retention import Retention  # noqa: E402
from harmline.settings import parse_settings  # noqa: E402
from harmline.storage import sqlite_store  # noqa: E402

NOW = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
SPAN = timedelta(days=760)  # a little past the deletion period, so some reports are deleted
# The /find indexes, and the rows of their content tables.
SEARCH_INDEXES = (("report_search", "id FROM report_messages"), ("image_search", "evidence_id FROM evidence_text"))


def settings(path: Path, batch: int) -> object:
    return parse_settings({
        "telegram": {"token": "1:A"}, "storage": {"database": str(path)},
        "deployment": {"countries": ["MY", "TH"]},
        "contacts": [{"country": "MY", "name": "A", "telegram_chat_id": -1},
                     {"country": "TH", "name": "B", "telegram_chat_id": -2}],
        "retention": {"batch_size": batch},
    })


async def create(path: Path) -> None:
    store = sqlite_store(str(path))
    await store.database.open()  # the real schema and indexes
    await store.database.close()


def fill(path: Path, reports: int) -> None:
    connection = sqlite3.connect(path)
    step = SPAN / reports
    with connection:
        connection.executemany("INSERT INTO reporters (id, telegram_user_id, chat_id, created_at) VALUES (?, ?, ?, ?)",
                               [(i, 10_000 + i, 10_000 + i, (NOW - SPAN).isoformat()) for i in range(1, 5001)])
        rows, messages, evidence, texts, indicators = [], [], [], [], []
        for i in range(1, reports + 1):
            at = (NOW - SPAN + step * i).isoformat()
            country = "MY" if i % 2 else "TH"
            rows.append((i, f"{country}-{i:08d}", 1 + i % 5000, country, "confirmed", "en", "en", "scam", "cue",
                         at, at, at, at))
            for m in (2 * i - 1, 2 * i):
                messages.append((m, i, m, f"Somchai Jaidee sent me this on WhatsApp, report {i} message {m}", at))
            evidence.append((i, i, 2 * i, "photo", f"file-{i}", f"unique-{i}"))
            texts.append((i, i, "read", f"Chat with Siti Planted {i}: pay now", at, at))
            indicators.extend([(i, "phone", f"+6012{i % 50_000:07d}", country, at),
                               (i, "url", f"https://scam-{i % 20_000}.example", country, at)])
        connection.executemany(
            "INSERT INTO reports (id, reference, reporter_id, country, status, reply_language, detected_language,"
            " category, category_reason, created_at, last_message_at, followup_deadline, completed_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        connection.executemany("INSERT INTO report_messages (id, report_id, telegram_message_id, text, received_at)"
                               " VALUES (?, ?, ?, ?, ?)", messages)
        connection.execute("INSERT INTO report_search (rowid, text) SELECT id, text FROM report_messages")
        connection.executemany("INSERT INTO evidence (id, report_id, message_id, kind, file_id, file_unique_id)"
                               " VALUES (?, ?, ?, ?, ?, ?)", evidence)
        connection.executemany("INSERT INTO evidence_text (evidence_id, report_id, state, text, queued_at,"
                               " next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)", texts)
        connection.execute("INSERT INTO image_search (rowid, text) SELECT evidence_id, text FROM evidence_text")
        connection.executemany("INSERT INTO indicators (report_id, kind, value, report_country, report_created_at)"
                               " VALUES (?, ?, ?, ?, ?)", indicators)
    connection.close()


def floor(path: Path) -> float:
    """The same de-identification and deletion with plain sqlite3, in one transaction."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys = ON")
    deidentify = (NOW - timedelta(days=180)).isoformat()
    delete = (NOW - timedelta(days=730)).isoformat()
    started = time.perf_counter()
    with connection:
        gone = "(SELECT id FROM reports WHERE created_at < ?)"
        for table, key in SEARCH_INDEXES:
            connection.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT {key} WHERE report_id IN {gone})",
                               (delete,))
        connection.execute("DELETE FROM reports WHERE created_at < ?", (delete,))
        old = "(SELECT id FROM reports WHERE created_at < ? AND deidentified_at IS NULL)"
        for table, key in SEARCH_INDEXES:
            connection.execute(f"DELETE FROM {table} WHERE rowid IN (SELECT {key} WHERE report_id IN {old})",
                               (deidentify,))
        connection.execute(f"UPDATE report_messages SET text = '', origin_name = NULL WHERE report_id IN {old}",
                           (deidentify,))
        connection.execute("UPDATE evidence SET file_id = '', file_unique_id = '', file_name = NULL, caption = NULL"
                           f" WHERE report_id IN {old}", (deidentify,))
        connection.execute(f"UPDATE evidence_text SET text = '', codes = '' WHERE report_id IN {old}", (deidentify,))
        connection.execute(f"DELETE FROM report_fingerprints WHERE report_id IN {old}", (deidentify,))
        connection.execute(f"DELETE FROM report_bands WHERE report_id IN {old}", (deidentify,))
        connection.execute("UPDATE reports SET reporter_id = NULL, category_explanation = NULL,"
                           " followup_message_id = NULL, deidentified_at = ? WHERE created_at < ?"
                           " AND deidentified_at IS NULL", (NOW.isoformat(), deidentify))
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


async def run(path: Path, batch: int) -> tuple[float, list[float], list[float], int, int]:
    store = sqlite_store(str(path), create=False)
    await store.database.open()
    retention = Retention(store, settings(path, batch), lambda: NOW)  # type: ignore[arg-type]
    batches: list[float] = []
    original = store.database.run

    async def timed(work):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return await original(work)
        finally:
            batches.append(time.perf_counter() - started)

    waits: list[float] = []
    done = asyncio.Event()

    async def bot() -> None:
        while not done.is_set():
            started = time.perf_counter()
            await original(lambda tx: tx.execute("INSERT INTO bot_state (key, value) VALUES ('bench', '1')"
                                                 " ON CONFLICT (key) DO UPDATE SET value = excluded.value"))
            waits.append(time.perf_counter() - started)
            await asyncio.sleep(0.01)

    store.database.run = timed  # type: ignore[method-assign]
    writer = asyncio.create_task(bot())
    started = time.perf_counter()
    results = await retention.run()
    elapsed = time.perf_counter() - started
    done.set()
    await writer
    await store.database.close()
    return (elapsed, batches, waits, sum(r.deidentified for r in results), sum(r.deleted for r in results))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path, copy = Path(folder) / "harmline.db", Path(folder) / "floor.db"
        asyncio.run(create(path))
        started = time.perf_counter()
        fill(path, args.reports)
        print(f"built {args.reports:,} reports (2 messages, 1 screenshot, 2 indicators each) over {SPAN.days} days "
              f"in {time.perf_counter() - started:.1f} s; {path.stat().st_size / 1e6:.0f} MB")
        shutil.copy(path, copy)
        elapsed, batches, waits, deidentified, deleted = asyncio.run(run(path, args.batch))
        base = floor(copy)
        handled = deidentified + deleted
        print(f"retention: {deidentified:,} de-identified, {deleted:,} deleted in {elapsed:.1f} s "
              f"({handled / elapsed:,.0f} reports/s), batches of {args.batch}")
        print(f"  one batch's transaction: p50 {statistics.median(batches) * 1000:.0f} ms, "
              f"p95 {percentile(batches, 0.95) * 1000:.0f} ms, max {max(batches) * 1000:.0f} ms")
        print(f"  the bot's one-row write meanwhile ({len(waits)} of them): "
              f"p50 {statistics.median(waits) * 1000:.1f} ms, p95 {percentile(waits, 0.95) * 1000:.0f} ms, "
              f"max {max(waits) * 1000:.0f} ms")
        print(f"floor (plain sqlite3, one transaction, same statements): {base:.1f} s "
              f"({handled / base:,.0f} reports/s); harmline / floor = {elapsed / base:.2f}")


if __name__ == "__main__":
    main()
