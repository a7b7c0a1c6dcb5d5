"""The SQLite store: migrations from a blank file, pragmas, and all-or-nothing transactions."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from harmline.repositories import Transaction
from harmline.storage import Database
from harmline.storage.migrations import MIGRATIONS
from tests.backends import on_postgres

# SQLite's own behaviour (files, FTS5, its migrations); PostgreSQL's is in tests/test_postgres.py.
pytestmark = pytest.mark.skipif(on_postgres(), reason="SQLite only")


async def test_migrates_a_blank_file_and_reopens_without_reapplying(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    database = Database(str(path))
    await database.open()
    assert await database.schema_version() == len(MIGRATIONS)
    tables = {row["name"] for row in await database.fetch_all("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"reporters", "reports", "report_messages", "evidence", "indicators", "deliveries", "audit_log",
            "processed_updates", "schema_migrations"} <= tables
    journal = await database.fetch_one("PRAGMA journal_mode")
    foreign_keys = await database.fetch_one("PRAGMA foreign_keys")
    assert journal is not None and journal[0] == "wal"
    assert foreign_keys is not None and foreign_keys[0] == 1
    await database.close()

    again = Database(str(path))
    await again.open()
    applied = await again.fetch_all("SELECT version FROM schema_migrations")
    assert [row["version"] for row in applied] == list(range(1, len(MIGRATIONS) + 1))
    await again.close()


async def test_a_failed_transaction_leaves_nothing_behind(tmp_path: Path) -> None:
    database = Database(str(tmp_path / "tx.db"))
    await database.open()
    def crash_half_way(tx: Transaction) -> None:
        tx.execute("INSERT INTO processed_updates (update_id, processed_at) VALUES (1, 'x')")
        raise RuntimeError("crash half-way")

    with pytest.raises(RuntimeError):
        await database.run(crash_half_way)
    row = await database.fetch_one("SELECT COUNT(*) AS n FROM processed_updates")
    assert row is not None and row["n"] == 0
    await database.close()


async def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    database = Database(str(tmp_path / "fk.db"))
    await database.open()
    with pytest.raises(Exception, match="FOREIGN KEY"):
        await database.run(lambda tx: tx.execute(
            "INSERT INTO indicators (report_id, kind, value) VALUES (424242, 'phone', '+60')"))
    await database.close()


async def test_concurrent_units_commit_together_and_a_failing_one_alone_is_undone(tmp_path: Path) -> None:
    database = Database(str(tmp_path / "group.db"))
    await database.open()

    def claim(update_id: int) -> Callable[[Transaction], int]:
        def work(tx: Transaction) -> int:
            tx.execute("INSERT INTO processed_updates (update_id, processed_at) VALUES (?, 'now')", (update_id,))
            if update_id == 13:
                raise ValueError("unlucky")
            return update_id
        return work

    outcomes = await asyncio.gather(*(database.run(claim(i)) for i in range(1, 26)), return_exceptions=True)
    assert [o for o in outcomes if isinstance(o, Exception)] and isinstance(outcomes[12], ValueError)
    assert [o for o in outcomes if not isinstance(o, Exception)] == [i for i in range(1, 26) if i != 13]
    rows = await database.fetch_all("SELECT update_id FROM processed_updates ORDER BY update_id")
    assert [row["update_id"] for row in rows] == [i for i in range(1, 26) if i != 13]
    await database.close()
    # Committed means on disk: a new connection sees every unit that was reported done.
    again = Database(str(tmp_path / "group.db"))
    await again.open()
    row = await again.fetch_one("SELECT COUNT(*) AS n FROM processed_updates")
    assert row is not None and row["n"] == 24
    await again.close()


async def test_an_older_database_is_upgraded_in_place_keeping_its_rows(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(tmp_path / "old.db")
    monkeypatch.setattr("harmline.storage.database.MIGRATIONS", MIGRATIONS[:1])
    old = Database(path)
    await old.open()
    await old.run(lambda tx: tx.execute(
        "INSERT INTO reports (reference, country, status, reply_language, category, category_reason, created_at,"
        " last_message_at, followup_deadline) VALUES ('MY-22222222', 'MY', 'submitted', 'en', 'scam', 'x',"
        " 't', 't', 't')"))
    await old.run(lambda tx: tx.execute(
        "INSERT INTO deliveries (report_id, contact_name, channel, target, language, state, next_attempt_at,"
        " created_at) VALUES (1, 'NSRC', 'telegram', '-100', 'ms', 'pending', 't', 't')"))
    await old.close()
    monkeypatch.undo()

    upgraded = Database(path)
    await upgraded.open()
    assert await upgraded.schema_version() == len(MIGRATIONS)
    row = await upgraded.fetch_one("SELECT contact_name, progress, purpose FROM deliveries")
    assert row is not None and tuple(row) == ("NSRC", 0, "forward")
    # "submitted" (complete, forwarded without review) became "new": not yet seen by a moderator.
    row = await upgraded.fetch_one("SELECT status, urgent, decided_at FROM reports")
    assert row is not None and tuple(row) == ("new", 0, None)
    await upgraded.close()


async def test_amounts_lost_typed_before_they_were_parsed_when_stored_are_parsed_by_the_upgrade(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(tmp_path / "v14.db")
    before = next(n for n, m in enumerate(MIGRATIONS) if m.name.startswith("losses parsed when stored"))
    monkeypatch.setattr("harmline.storage.database.MIGRATIONS", MIGRATIONS[:before])
    old = Database(path)
    await old.open()
    typed = [("MY-11111111", "MY", "RM 1,500"), ("ID-22222222", "ID", "5 juta"), ("TH-33333333", "TH", "a lot"),
             ("VN-44444444", "VN", None)]
    for reference, country, loss in typed:
        await old.run(lambda tx, ref=reference, cc=country, text=loss: tx.execute(
            "INSERT INTO reports (reference, country, status, reply_language, category, category_reason, created_at,"
            " last_message_at, followup_deadline, money_lost, loss_amount) VALUES (?, ?, 'new', 'en', 'scam', 'x',"
            " 't', 't', 't', 1, ?)", (ref, cc, text)))
    await old.close()
    monkeypatch.undo()

    upgraded = Database(path)
    await upgraded.open()
    rows = await upgraded.fetch_all("SELECT reference, loss_amount, loss_value, loss_currency FROM reports ORDER BY id")
    assert [tuple(row) for row in rows] == [
        ("MY-11111111", "RM 1,500", "1500", "MYR"), ("ID-22222222", "5 juta", "5000000", "IDR"),
        ("TH-33333333", "a lot", None, None),  # not understood: kept as typed, counted in no total
        ("VN-44444444", None, None, None)]
    await upgraded.close()
