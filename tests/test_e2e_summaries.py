"""Weekly summaries end to end: the real bot, the Bot API test server on 127.0.0.1, a real SQLite
file and a frozen clock. A summary missed while the bot was down goes out once when it is back;
admins ask for one with /summary; nobody else can."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from harmline.demo.botapi_server import SentMessage
from harmline.demo.environment import CONTACT_CHAT_ID, LocalDeployment
from tests.backends import make_database
from tests.conftest import Clock
from tests.summary_data import DATA, insert_rows

TH_CHAT = -1001234500002
ADMIN, MOD_TH = 900000, 900003


def _config(document: dict[str, Any]) -> dict[str, Any]:
    return {
        **document,
        "deployment": {"countries": ["MY", "TH"]},
        "moderation": {"review": "none", "admins": [ADMIN]},
        "moderators": [{"telegram_user_id": MOD_TH, "countries": ["TH"]}],
        "contacts": [
            {**document["contacts"][0], "language": "en", "weekly_summary": True, "regional": True},
            {"country": "TH", "name": "Thai Police Cyber Taskforce", "language": "th", "telegram_chat_id": TH_CHAT,
             "weekly_summary": True},
        ],
    }


def _files(local: LocalDeployment, messages: list[SentMessage]) -> dict[str, bytes]:
    """The documents among ``messages``, by file name, as the server stored them."""
    stored = (local.server.files[m.file_id] for m in messages if m.media_type == "document" and m.file_id)
    return {file.file_name or "": file.data for file in stored}


# What review = "none" did with the known reports: each one the citizen did not withdraw went to
# its country's contact at once.
FORWARDS = sum(row.status != "cancelled" for row in DATA)


async def _database_with_data(folder: Path) -> str:
    path = str(folder / "harmline.db")
    database = make_database(path)
    await database.open()
    await insert_rows(database, DATA)
    await database.run(lambda tx: tx.execute(
        "INSERT INTO deliveries (report_id, contact_name, channel, target, language, state, attempts,"
        " next_attempt_at, created_at, delivered_at, purpose) SELECT id, 'Contact', 'telegram', '-100999', 'en',"
        " 'delivered', 1, created_at, created_at, created_at, 'forward' FROM reports WHERE status <> 'cancelled'"))
    await database.close()
    return path


async def _summary_messages(local: LocalDeployment, chat_id: int, count: int) -> list[SentMessage]:
    # A summary is a message, an album of charts and an album of two documents.
    return await local.server.wait_for_messages(chat_id, count, timeout=60)


async def test_a_summary_missed_while_down_is_sent_once_when_the_bot_is_back(tmp_path: Path) -> None:
    path = await _database_with_data(tmp_path)
    clock = Clock()
    clock.now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # Friday: the deployment starts
    local = LocalDeployment(path, clock=clock, config=_config)
    async with local:
        await asyncio.sleep(1.5)  # the schedule runs once at start: nothing is due yet
        assert local.server.messages_to(TH_CHAT) == []
        await local.stop_bot()

        # Down over Monday 09:00; back on Tuesday.
        clock.now = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
        await local.start_bot()
        thai = await _summary_messages(local, TH_CHAT, 4)
        head = thai[0]
        assert head.parse_mode and head.parse_mode.lower() == "html"
        assert "2026-W47" in head.plain_text and "ไทย" in head.plain_text
        assert "hxxps://slot[.]example/" in head.plain_text and "https://slot" not in head.plain_text
        charts = [m for m in thai if m.media_type == "photo"]
        assert 2 <= len(charts) <= 4
        files = _files(local, await _summary_messages(local, TH_CHAT, 1 + len(charts) + 2))
        pdf = files["harmline-TH-2026-W47.pdf"]
        assert pdf.startswith(b"%PDF")
        rows = list(csv.DictReader(io.StringIO(files["harmline-TH-2026-W47-reports.csv"].decode("utf-8-sig"))))
        # Received during the week in Thailand and forwarded, confirmed or not: all but the one
        # found harmless, the merged one and the withdrawn one (none of last week's).
        assert len(rows) == 6 and all(row["country"] == "TH" for row in rows)
        assert sum(row["decided_at"] == "" for row in rows) == 3

        # Malaysia's contact gets Malaysia's summary and the regional one, in English.
        english = await _summary_messages(local, CONTACT_CHAT_ID, 2 * (1 + len(charts) + 1))
        heads = [m.plain_text for m in english if m.media_type is None]
        assert any("Weekly summary — 🇲🇾 Malaysia" in text for text in heads)
        assert any("Regional weekly summary" in text for text in heads)
        sent = len(local.server.sent)

        # Another restart the same week: nothing is sent again.
        await local.stop_bot()
        clock.now = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
        await local.start_bot()
        await asyncio.sleep(1.5)
        await local.server.wait_idle()
        assert [m for m in local.server.sent[sent:] if m.chat_id in (TH_CHAT, CONTACT_CHAT_ID)] == []
        states = await local.services.outbox.counts()
        assert states == {"delivered": FORWARDS + 3}  # the reports' forwards, and the three summaries


async def test_admins_ask_for_a_summary_and_moderators_are_refused(tmp_path: Path) -> None:
    path = await _database_with_data(tmp_path)
    async with LocalDeployment(path, config=_config) as local:
        moderator = local.server.user(MOD_TH, "Mod Somchai", language_code="th")
        moderator.send_text("/summary TH 2026-W47")
        refusal = await local.server.wait_for(lambda m: m.chat_id == MOD_TH)
        assert "admin" in refusal.plain_text.lower() or "ผู้ดูแล" in refusal.plain_text

        admin = local.server.user(ADMIN, "Admin", language_code="en")
        admin.send_text("/summary TH 2026-W47")
        messages = await local.server.wait_for_messages(ADMIN, 2, timeout=60)
        assert "Making the weekly summary TH 2026-W47" in messages[0].plain_text
        head = messages[1]
        assert "Weekly summary — 🇹🇭 Thailand" in head.plain_text
        assert "Reports received: 8 (last week 3, +5 (+167%))" in head.plain_text
        documents = await local.server.wait_for(
            lambda m: m.chat_id == ADMIN and m.media_type == "document" and "csv" in (
                local.server.files[m.file_id].file_name or "") if m.file_id else False, timeout=60)
        assert documents is not None

        admin.send_text("/summary XX")
        answer = await local.server.wait_for(lambda m: m.chat_id == ADMIN and "/summary [COUNTRY" in m.plain_text)
        assert "MY, TH" in answer.plain_text


async def test_flood_control_half_way_resumes_without_sending_anything_twice(tmp_path: Path) -> None:
    clock = Clock()
    clock.now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    local = LocalDeployment(await _database_with_data(tmp_path), clock=clock, config=_config)
    async with local:
        await asyncio.sleep(1.5)
        await local.stop_bot()
        clock.now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday 10:00 in Bangkok
        # Telegram asks the bot to slow down on the first album: the message went out, the charts did not.
        local.server.flood(1, retry_after=2, methods={"sendMediaGroup"})
        await local.start_bot()
        await local.server.wait_for(lambda m: m.chat_id == TH_CHAT)
        await asyncio.sleep(1.0)
        clock.now += timedelta(seconds=30)  # the worker's clock reaches the retry time
        thai = await local.server.wait_for(
            lambda m: m.chat_id == TH_CHAT and m.media_type == "document" and m.file_id is not None
            and (local.server.files[m.file_id].file_name or "").endswith(".csv"), timeout=60)
        assert thai is not None
        await local.server.wait_idle()
        sent = local.server.messages_to(TH_CHAT)
        charts = [m for m in sent if m.media_type == "photo"]
        assert [m.media_type for m in sent] == [None, *["photo"] * len(charts), "document", "document"]
        assert 2 <= len(charts) <= 4
        assert [(name, code) for name, code, _ in local.server.errors if code == 429] == [("sendMediaGroup", 429)]
