"""PostgreSQL's own behaviour, on a real server (the suite's PostgreSQL leg: HARMLINE_TEST_POSTGRES):
migrations from blank and by processes starting together, search in scripts without spaces, text
PostgreSQL cannot hold, a server that cannot be reached, and `harmline migrate-db`."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from harmline.moderation import Roster
from harmline.reports.classify import KeywordClassifier
from harmline.reports.language import LayeredLanguageDetector
from harmline.reports.model import IncomingMessage
from harmline.repositories import Transaction
from harmline.services.intake import Intake
from harmline.settings import Settings
from harmline.storage import PostgresDatabase, open_store, sqlite_store
from harmline.storage.postgres_migrations import POSTGRES_MIGRATIONS
from harmline.storage.units import DatabaseUnavailable
from tests.backends import POSTGRES, on_postgres, postgres_url
from tests.conftest import Clock

pytestmark = pytest.mark.skipif(not on_postgres(), reason="needs a PostgreSQL server (HARMLINE_TEST_POSTGRES)")


async def test_a_blank_database_is_migrated_once_even_by_processes_starting_together(tmp_path: Path) -> None:
    assert POSTGRES is not None
    blank = "blank_" + tmp_path.name.lower().replace("-", "_")[-40:]
    with psycopg.connect(POSTGRES, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {blank}")
        admin.execute(f"CREATE DATABASE {blank}")
    url = POSTGRES.rsplit("/", 1)[0] + f"/{blank}"
    try:
        together = [PostgresDatabase(url) for _ in range(4)]
        await asyncio.gather(*(database.open() for database in together))
        assert {await database.schema_version() for database in together} == {len(POSTGRES_MIGRATIONS)}
        rows = await together[0].fetch_all("SELECT version FROM schema_migrations")
        assert [row["version"] for row in rows] == list(range(1, len(POSTGRES_MIGRATIONS) + 1))
        tables = {row["tablename"] for row in await together[0].fetch_all(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        assert {"reports", "deliveries", "inbox", "report_search", "image_search", "evidence_text"} <= tables
        await asyncio.gather(*(database.close() for database in together))
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {blank} WITH (FORCE)")


def _message(text: str, user: int, number: int, clock: Clock) -> IncomingMessage:
    return IncomingMessage(update_id=number, user_id=user, chat_id=user, message_id=number, text=text,
                           received_at=clock(), language_code="en")


async def test_find_reads_any_script_and_takes_the_text_literally(make_settings: Callable[..., Settings],
                                                                  clock: Clock) -> None:
    settings = make_settings(deployment={"countries": ["TH", "KH", "MY"]}, contacts=[
        {"country": country, "name": f"Contact {country}", "telegram_chat_id": -100 - n, "language": "en"}
        for n, country in enumerate(["TH", "KH", "MY"])])
    store = open_store(settings.database, settings.database_url)
    await store.database.open()
    try:
        intake = Intake(store, settings, LayeredLanguageDetector(), KeywordClassifier(), Roster(settings), clock=clock)
        texts = {
            "thai": "โอนเงินค่าธรรมเนียมก่อนรับเงินกู้ ติดต่อไลน์ไอดี loanfast",
            "khmer": "សូមផ្ទេរប្រាក់ដើម្បីទទួលរង្វាន់",
            "chinese": "恭喜您中奖了请先支付手续费",
            "percent": "Bonus 100% deposit_now at slot site",
            "nul": "odd\x00text from a broken client",
        }
        references = {}
        for number, (name, text) in enumerate(texts.items(), start=1):
            result = await intake.receive(_message(text, 7000 + number, 500 + number, clock))
            assert result.report is not None
            references[name] = result.report.reference
        moderation = store.moderation

        async def found(text: str) -> list[str]:
            page = await moderation.find_text(text, ["TH", "KH", "MY"])
            return [item.reference for item in page.items]

        # No spaces between words: a trigram index finds any run of characters.
        assert await found("ค่าธรรมเนียม") == [references["thai"]]
        assert await found("ទទួលរង្វាន់") == [references["khmer"]]
        assert await found("手续费") == [references["chinese"]]
        assert await found("LOANFAST") == [references["thai"]]  # case does not matter
        # LIKE's own characters are searched as written.
        assert await found("100%") == [references["percent"]]
        assert await found("deposit_now") == [references["percent"]]
        assert await found("0% d") == [references["percent"]]
        assert await found("100_") == []
        # PostgreSQL's text cannot hold NUL: the report is kept, the NUL shown as U+FFFD.
        report = await store.reports.find(references["nul"])
        assert report is not None and report.messages[0].text == "odd\ufffdtext from a broken client"
    finally:
        await store.database.close()


async def test_a_server_that_cannot_be_reached_is_one_line_naming_storage_url_without_the_password() -> None:
    database = PostgresDatabase("postgresql://harmline:s3cret@127.0.0.1:9/harmline")
    with pytest.raises(DatabaseUnavailable) as raised:
        await database.open()
    message = str(raised.value)
    assert message.startswith("storage.url: cannot connect to postgresql://harmline:***@127.0.0.1:9/harmline")
    assert "s3cret" not in message and "\n" not in message


async def test_migrate_db_copies_a_deployment_into_postgresql(tmp_path: Path, make_settings: Callable[..., Settings],
                                                              clock: Clock) -> None:
    settings = make_settings()
    source = tmp_path / "live.db"
    sqlite = sqlite_store(str(source))
    await sqlite.database.open()
    intake = Intake(sqlite, settings, LayeredLanguageDetector(), KeywordClassifier(), Roster(settings), clock=clock)
    references = []
    for number in range(30):
        result = await intake.receive(_message(f"Scam {number}: call 012-345 67{number:02d} or visit "
                                               f"https://win-{number}.example", 8000 + number, 900 + number, clock))
        assert result.report is not None
        references.append(result.report.reference)
    before = {reference: await sqlite.reports.find(reference) for reference in references}
    await sqlite.database.close()

    target = postgres_url(tmp_path / "copy")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "harmline", "migrate-db", "--from", f"sqlite:///{source}", "--to", target,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    output, errors = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, errors.decode()
    assert "reports         30 rows, the same in both" in output.decode()
    assert "reports compared field by field" in output.decode()

    copy = open_store("unused.db", target)
    await copy.database.open()
    try:
        for reference, report in before.items():
            assert await copy.reports.find(reference) == report
        # The copy goes on where the original stopped: new ids follow the copied ones.
        more = Intake(copy, settings, LayeredLanguageDetector(), KeywordClassifier(), Roster(settings), clock=clock)
        result = await more.receive(_message("One more scam 012-999 8888", 8100, 1100, clock))
        assert result.report is not None and result.report.id == 31
        page = await copy.moderation.find_text("win-7.example", ["MY"])
        assert [item.reference for item in page.items] == [references[7]]
    finally:
        await copy.database.close()
    # A second copy into the same database is refused: it is no longer empty.
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "harmline", "migrate-db", "--from", str(source), "--to", target,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, errors = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 2 and "already holds reports" in errors.decode()


async def test_two_processes_claiming_lanes_in_opposite_orders_do_not_fail_each_other(tmp_path: Path) -> None:
    """Group commit puts several claims in one transaction; two processes may take the same
    lanes in opposite orders. The server breaks the deadlock by failing one statement: that
    claim answers "not now" (the worker tries again on its next round) instead of an error."""
    url = postgres_url(tmp_path / "lanes.db")
    first, second = open_store("", url), open_store("", url)
    await first.database.open()
    await second.database.open()
    try:
        now = datetime(2026, 12, 6, tzinfo=UTC)
        until = now + timedelta(seconds=20)

        def claim(tx: Transaction, lanes: tuple[str, str], worker: str) -> None:
            # What two take_lane units of one batch do, with time between them for the other side.
            for lane in lanes:
                tx.execute("INSERT INTO delivery_lanes (target, worker, until) VALUES (?, ?, ?)"
                           " ON CONFLICT (target) DO UPDATE SET worker = excluded.worker, until = excluded.until",
                           (lane, worker, until.isoformat()))
                tx.fetch_one("SELECT pg_sleep(0.4)")

        outcomes = await asyncio.gather(
            first.database.run(lambda tx: claim(tx, ("telegram:-1", "telegram:-2"), "a")),
            second.database.run(lambda tx: claim(tx, ("telegram:-2", "telegram:-1"), "b")),
            return_exceptions=True)
        assert sorted(type(outcome).__name__ for outcome in outcomes) == ["Contention", "NoneType"]
        # The outbox's own claim reads a broken deadlock as "not now", and works once it is over.
        assert await second.outbox.take_lane("telegram:-3", "b", now, until) is True
    finally:
        await first.database.close()
        await second.database.close()
