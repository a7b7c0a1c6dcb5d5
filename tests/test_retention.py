"""Retention with a frozen clock: reports are de-identified after N days, deleted after M, in
batches, audited; the weekly figures and /check keep working on what is left."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from harmline.cli import main
from harmline.reports.model import Attachment, ImageText, Origin
from harmline.services.retention import Retention
from harmline.settings import Settings, parse_settings
from harmline.summaries.build import SummaryBuilder
from harmline.summaries.figures import MoneyLost
from harmline.summaries.week import Week
from tests.backends import read_directly, storage_toml
from tests.conftest import Clock, config
from tests.test_intake import Harness

# Names that are not indicators (a scammer's number, link or @handle is kept on purpose).
PLANTED = ("Somchai Jaidee", "Siti Planted")
RETENTION = {"deidentify_after_days": 30, "delete_after_days": 90, "batch_size": 2}
WEEK = Week(2026, 48)  # the Clock's 2026-11-24 is in it


@pytest.fixture
async def harness(make_settings: Callable[..., Settings], clock: Clock) -> AsyncIterator[Harness]:
    h = Harness(make_settings(retention=RETENTION), clock)
    await h.database.open()
    yield h
    await h.database.close()


async def _three_reports(h: Harness, clock: Clock) -> list[str]:
    """Three citizens' reports, each with a planted name in the words, in a forward's origin and in
    the text read from its screenshot."""
    references = []
    for user in (301, 302, 303):
        result = await h.intake.receive(h.message(
            f"Penipuan! {PLANTED[0]} minta transfer ke 012-345 6789, laman bit.ly/hadiah-{user}",
            user=user, origin=Origin("user", PLANTED[1]),
            attachments=(Attachment("photo", f"file-{user}", f"unique-{user}", 2000, "image/jpeg"),)))
        assert result.report is not None
        references.append(result.report.reference)
        clock.advance(60)
    images = h.store.images
    rows = await h.database.fetch_all("SELECT evidence_id FROM evidence_text ORDER BY evidence_id")
    for row in rows:
        await h.database.run(lambda tx, e=row["evidence_id"]: images.save_reading(
            tx, e, ImageText("read", f"Chat with {PLANTED[0]}: pay now", "en", 90.0), "eng", clock()))
    clock.advance(600)  # the follow-up windows close: the reports are complete and forwarded
    await h.intake.close_expired()
    return references


def _everything_stored(path: str) -> str:
    """Every text value in every table (the SQLite file's full-text index data included)."""
    connection = read_directly(path)
    try:
        if isinstance(connection, sqlite3.Connection):
            tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        else:
            tables = [row[0] for row in connection.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").fetchall()]
        dump = []
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"').fetchall():
                dump.extend(value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                            for value in row)
        return "\n".join(dump)
    finally:
        connection.close()


async def _figures(h: Harness) -> tuple[Any, ...]:
    summary = await SummaryBuilder(h.store.summaries).country("MY", WEEK, h.clock())
    return (summary.received, summary.categories, summary.languages, summary.money,
            [(i.kind, i.value, i.reports) for i in summary.top_indicators])


async def test_reports_are_deidentified_after_n_days_and_deleted_after_m_with_figures_kept(
        harness: Harness, clock: Clock, tmp_path: Path) -> None:
    h, settings = harness, harness.settings
    references = await _three_reports(h, clock)
    # One citizen named someone in the amount they typed; the amount counts in the summary.
    lost = await h.reports.find(references[0])
    assert lost is not None
    await h.database.run(lambda tx: h.store.reports.update_report(
        tx, replace(lost, money_lost=True, loss_amount=f"RM500 kepada {PLANTED[0]}")))
    retention = Retention(h.store, settings, clock)
    figures = await _figures(h)
    assert figures[0] == 3 and figures[3] == (MoneyLost("MYR", 1, Decimal(500), Decimal(500)),)
    database_path = tmp_path / "harmline.db"  # the file, or on the PostgreSQL leg the database standing for it
    assert PLANTED[0] in _everything_stored(str(database_path))

    clock.advance(timedelta(days=29).total_seconds())
    assert await retention.run() == []  # nothing is due yet
    clock.advance(timedelta(days=2).total_seconds())
    [done] = await retention.run()
    assert (done.country, done.deidentified, done.deleted) == ("MY", 3, 0)

    for reference in references:
        report = await h.reports.find(reference)
        assert report is not None and report.reporter_chat_id is None
        assert [(m.text, m.origin.name if m.origin else None) for m in report.messages] == [("", "")]
        assert {(i.kind, i.value) for i in report.indicators} >= {("phone", "+60123456789")}
    stored = _everything_stored(str(database_path))
    for planted in PLANTED:
        assert planted not in stored, f"{planted!r} is still stored after de-identification"
    assert "file-301" not in stored and "unique-301" not in stored
    assert await h.reports.reporter(301) is None  # no report links to them any more
    history = await h.reports.indicator_history("phone", "+60123456789")
    assert history.reports == 3  # /check still answers
    assert await _figures(h) == figures  # the week's summary is unchanged, the amount lost included
    again = await h.reports.find(references[0])  # a de-identified report written again keeps its amount
    assert again is not None and again.loss_amount is None
    await h.database.run(lambda tx: h.store.reports.update_report(tx, again))
    assert await _figures(h) == figures
    assert (await h.store.moderation.find_text("Somchai", ["MY"])).total == 0

    clock.advance(timedelta(days=60).total_seconds())
    [done] = await retention.run()
    assert (done.deidentified, done.deleted) == (0, 3)
    assert [await h.reports.find(reference) for reference in references] == [None, None, None]
    assert (await _figures(h))[0] == 0
    rows = await h.database.fetch_all("SELECT actor, action, detail FROM audit_log WHERE action LIKE 'retention.%'"
                                      " ORDER BY id")
    # Batches of two: two rows per step, each saying how many, of which country, before when.
    assert [(row["actor"], row["action"]) for row in rows] == [
        ("system", "retention.deidentified"), ("system", "retention.deidentified"),
        ("system", "retention.citizens_forgotten"), ("system", "retention.deleted"), ("system", "retention.deleted")]
    assert rows[0]["detail"] == "MY: 2 reports received before 2026-11-25"
    assert await retention.run() == []  # nothing left to do: idempotent


def test_retention_dry_run_shows_what_would_go_and_changes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = parse_settings(config(str(tmp_path / "harmline.db")))
    clock = Clock()  # 2026-11-24: more than ten days before today

    async def fill() -> None:
        h = Harness(settings, clock)
        await h.database.open()
        try:
            await _three_reports(h, clock)
        finally:
            await h.database.close()

    asyncio.run(fill())
    path = tmp_path / "harmline.toml"
    path.write_text(f'[telegram]\ntoken = "123456:TEST"\n[storage]\n{storage_toml(tmp_path / "harmline.db")}\n'
                    '[deployment]\ncountries = ["MY"]\n'
                    '[[contacts]]\ncountry = "MY"\nname = "NSRC"\ntelegram_chat_id = -100123\n'
                    '[retention]\ndeidentify_after_days = 5\ndelete_after_days = 400\n'
                    '[retention.countries.MY]\ndeidentify_after_days = 10\n', encoding="utf-8")
    assert main(["retention", "--config", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if line.startswith("MY ")]
    assert line.split()[1:3] == ["10", "days"] and line.split()[4] == "3"  # three reports would be de-identified
    assert "dry run: nothing was changed" in out

    async def count() -> int:
        h = Harness(settings, clock)
        await h.database.open()
        try:
            row = await h.database.fetch_one("SELECT COUNT(*) AS n FROM reports WHERE deidentified_at IS NULL")
            return int(row["n"]) if row else -1
        finally:
            await h.database.close()

    assert asyncio.run(count()) == 3
    assert main(["retention", "--config", str(path)]) == 0
    assert "de-identified 3 report(s), deleted 0" in capsys.readouterr().out
    assert asyncio.run(count()) == 0
