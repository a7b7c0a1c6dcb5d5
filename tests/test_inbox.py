"""Durable intake: an update is on disk before Telegram hears it arrived, processed once, replayed
after a crash, and answered again (same reference) when its reply may have been lost."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from harmline.demo.environment import LocalDeployment
from harmline.repositories.inbox import ABANDONED, DONE, MAX_REPLAYS, PENDING, SKIPPED, StoredUpdate
from harmline.storage.inbox import Inbox
from tests.backends import make_database, on_postgres
from tests.test_e2e import reference_in
from tests.test_run_command import _free_port

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def message_update(update_id: int, user_id: int, text: str, *, message_id: int = 1) -> dict[str, Any]:
    """A citizen's private message as Telegram sends it."""
    return {"update_id": update_id, "message": {
        "message_id": message_id, "date": 1764000000, "text": text,
        "from": {"id": user_id, "is_bot": False, "first_name": "Citizen", "language_code": "en"},
        "chat": {"id": user_id, "type": "private", "first_name": "Citizen"}}}


def fail_first_store(monkeypatch: pytest.MonkeyPatch, error: str) -> list[int]:
    """The inbox's first store fails as SQLite does (disk full, I/O); returns a count of failures."""
    failures = [0]
    store = Inbox.store

    async def failing_once(self: Inbox, updates: list[StoredUpdate], now: datetime) -> list[StoredUpdate]:
        if failures[0] == 0:
            failures[0] += 1
            raise sqlite3.OperationalError(error)
        return await store(self, updates, now)

    monkeypatch.setattr(Inbox, "store", failing_once)
    return failures


async def rows(database_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    database = make_database(database_path)
    await database.open()
    try:
        return await database.fetch_all(sql, params)
    finally:
        await database.close()


async def test_the_inbox_stores_an_update_once_replays_in_order_and_gives_up_a_poison_update(tmp_path: Path) -> None:
    database = make_database(tmp_path / "inbox.db")
    await database.open()
    inbox = Inbox(database)
    try:
        first = await inbox.store([StoredUpdate(7, '{"update_id": 7}'), StoredUpdate(5, '{"update_id": 5}')], NOW)
        assert [u.update_id for u in first] == [7, 5]
        # Telegram sends 7 again (its confirmation was lost): not stored, nor handed on, twice.
        again = await inbox.store([StoredUpdate(7, '{"update_id": 7}'), StoredUpdate(9, '{"update_id": 9}')], NOW)
        assert [u.update_id for u in again] == [9]

        await inbox.finish(5, DONE, NOW)
        # Starts killed before the handlers began on anything count for nothing.
        for _ in range(MAX_REPLAYS + 2):
            replay = await inbox.replay(NOW)
            assert [u.update_id for u in replay.updates] == [7, 9] and replay.abandoned == []
        # 7 is what kills the process: begun after MAX_REPLAYS restarts and never finished.
        for _ in range(MAX_REPLAYS):
            await inbox.begin_replay(7)
        last = await inbox.replay(NOW)
        assert [u.update_id for u in last.updates] == [9] and last.abandoned == [7]
        assert await inbox.counts() == {DONE: 1, ABANDONED: 1, PENDING: 1}
        payloads = {row["update_id"]: row["payload"] for row in await database.fetch_all("SELECT * FROM inbox")}
        # Names and texts do not stay once handled; a poison update is kept for the operator.
        assert payloads == {5: "", 7: '{"update_id": 7}', 9: '{"update_id": 9}'}
    finally:
        await database.close()


async def test_updates_stored_before_a_crash_are_processed_at_the_next_start(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    database = make_database(path)
    await database.open()
    # As a crash leaves it: stored (so confirmed to Telegram, which will not send it again), never processed.
    await Inbox(database).store([StoredUpdate(41, json.dumps(message_update(41, 7001, "Fake bank SMS asks for "
                                                                             "my OTP, link bit.ly/x1")))], NOW)
    await database.close()

    async with LocalDeployment(str(path)) as local:
        ack = await local.server.wait_for(lambda m: m.chat_id == 7001)
        reference = reference_in(ack)
        report = await local.services.reports.find(reference)
        assert report is not None and report.messages[0].text.startswith("Fake bank SMS")
        await local.server.wait_idle()
    assert [tuple(row) for row in await rows(path, "SELECT update_id, state FROM inbox")] == [(41, DONE)]


async def test_a_replayed_update_is_answered_again_with_the_same_reference_and_stored_once(tmp_path: Path) -> None:
    path = tmp_path / "h.db"
    async with LocalDeployment(str(path)) as local:
        citizen = local.server.user(7002, "Mai", language_code="en")
        update_id = citizen.send_text("Caller says my parcel is held by customs, pay RM300 to 0123456789")
        [ack] = await local.server.wait_for_messages(citizen.id, 1)
        reference = reference_in(ack)
        await local.server.wait_idle()
        raw = json.dumps(local.server._history[update_id])

        # The crash came after the report was stored but before the acknowledgement was sent.
        await local.stop_bot()
        database = make_database(path)
        await database.open()
        await database.run(lambda tx: tx.execute("UPDATE reports SET followup_message_id = NULL"))
        await database.run(lambda tx: tx.execute("UPDATE inbox SET state = ?, payload = ? WHERE update_id = ?",
                                                 (PENDING, raw, update_id)))
        await database.close()
        await local.start_bot()
        acks = await local.server.wait_for_messages(citizen.id, 2)
        assert reference_in(acks[1]) == reference  # the same report, acknowledged again
        await local.server.wait_idle()

        # The crash came after the acknowledgement too: it is brought up to date, not sent again.
        await local.stop_bot()
        database = make_database(path)
        await database.open()
        await database.run(lambda tx: tx.execute("UPDATE inbox SET state = ?, payload = ? WHERE update_id = ?",
                                                 (PENDING, raw, update_id)))
        await database.close()
        await local.start_bot()
        await local.server.wait_idle()
        assert len(local.server.messages_to(citizen.id)) == 2
    assert [tuple(row) for row in await rows(path, "SELECT COUNT(*), MIN(reference) FROM reports")] == [(1, reference)]
    assert [tuple(row) for row in await rows(path, "SELECT COUNT(*) FROM report_messages")] == [(1,)]


async def test_an_update_python_telegram_bot_cannot_read_is_skipped_once_and_the_rest_go_on(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with LocalDeployment(str(tmp_path / "h.db")) as local:
        broken = message_update(0, 7003, "x")
        broken["message"]["date"] = "yesterday"  # python-telegram-bot cannot build a Message from this
        broken.pop("update_id")
        broken_id = local.server.push_update(broken)
        citizen = local.server.user(7004, "Ana", language_code="en")
        citizen.send_text("Investment group promises 30% a week, pay to account 1234567890")
        await local.server.wait_for(lambda m: m.chat_id == citizen.id)
        await local.server.wait_idle()
        assert local.server.pending_updates == 0  # confirmed, not asked for again and again
        counts = await local.services.inbox.counts()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and str(broken_id) in r.getMessage()]
    assert len(warnings) == 1 and "cannot read" in warnings[0].getMessage()
    assert all(r.exc_info is None for r in caplog.records if r.name.startswith(("harmline.updates", "telegram")))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert counts == {SKIPPED: 1, DONE: 1}


async def test_polling_confirms_updates_only_once_they_are_stored(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    failures = fail_first_store(monkeypatch, "disk I/O error")
    async with LocalDeployment(str(tmp_path / "h.db")) as local:
        citizen = local.server.user(7005, "Ben", language_code="en")
        citizen.send_text("They said I won an iPhone, pay shipping first")
        for _ in range(200):
            if failures == [1]:
                break
            await asyncio.sleep(0.02)
        # Not stored, so not confirmed: the update is still Telegram's, and nothing was answered
        # (the poller waits a second before it asks again).
        assert failures == [1] and local.server.pending_updates == 1
        assert local.server.messages_to(citizen.id) == []
        [ack] = await local.server.wait_for_messages(citizen.id, 1, timeout=10)
        await local.server.wait_idle()
        assert local.server.pending_updates == 0
        reports = await local.services.reports.of_reporter(citizen.id)
    assert [r.reference for r in reports] == [reference_in(ack)]


async def test_the_webhook_answers_200_only_for_a_stored_update_and_400_for_garbage(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    port = _free_port()
    fail_first_store(monkeypatch, "database or disk is full")
    hook = f"http://127.0.0.1:{port}/hook"

    def with_webhook(document: dict[str, Any]) -> dict[str, Any]:
        document["telegram"]["webhook"] = {"url": hook, "listen": "127.0.0.1", "port": port, "url_path": "hook",
                                           "secret_token": "s3cret"}
        return document

    headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
    async with LocalDeployment(str(tmp_path / "h.db"), config=with_webhook) as local, httpx.AsyncClient() as client:
        for body in (b"not json", b"\xff\xfe", b"[1, 2]", b'{"update_id": "1"}', b"{}", b"null"):
            answer = await client.post(hook, content=body, headers=headers)
            assert answer.status_code == 400, body
        update = message_update(900, 7006, "Loan app threatens to send my photos to my contacts unless I pay")
        refused = await client.post(hook, json=update, headers=headers)
        assert refused.status_code == 503  # not stored: Telegram sends it again
        assert local.server.messages_to(7006) == []
        accepted = await client.post(hook, json=update, headers=headers)
        assert accepted.status_code == 200
        again = await client.post(hook, json=update, headers=headers)  # a redelivery after a lost 200
        assert again.status_code == 200
        [ack] = await local.server.wait_for_messages(7006, 1)
        await asyncio.sleep(0.3)
        assert len(local.server.messages_to(7006)) == 1
        reports = await local.services.reports.of_reporter(7006)
    assert [r.reference for r in reports] == [reference_in(ack)]


async def test_an_acknowledgement_refused_by_flood_control_is_sent_once_telegram_lets_us(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    async with LocalDeployment(str(tmp_path / "h.db")) as local:
        local.server.flood(1, retry_after=1, methods={"sendMessage"})
        citizen = local.server.user(7007, "Lina", language_code="en")
        citizen.send_text("Someone on Facebook sells concert tickets, asks for transfer to 8881234567")
        [ack] = await local.server.wait_for_messages(citizen.id, 1, timeout=10)
        await local.server.wait_idle()
        assert len(local.server.messages_to(citizen.id)) == 1
        reports = await local.services.reports.of_reporter(citizen.id)
        assert await local.services.inbox.counts() == {DONE: 1}
    assert [r.reference for r in reports] == [reference_in(ack)]
    assert [r.getMessage() for r in caplog.records if "handling it again" in r.getMessage()] != []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_lone_surrogate_in_an_update_does_not_stop_the_bot_taking_reports(tmp_path: Path) -> None:
    async with LocalDeployment(str(tmp_path / "h.db")) as local:
        odd = local.server.user(7008, "Odd", language_code="en")
        odd.send_text("prize claim \ud800 pay now 0123456789")
        [ack] = await local.server.wait_for_messages(odd.id, 1)
        after = local.server.user(7009, "Next", language_code="en")
        after.send_text("Job offer: like videos, pay deposit first")
        await local.server.wait_for_messages(after.id, 1)
        report = await local.services.reports.find(reference_in(ack))
    assert report is not None and report.messages[0].text == "prize claim \ufffd pay now 0123456789"


@pytest.mark.skipif(on_postgres(), reason="one process's start-up; processes sharing PostgreSQL claim chats "
                    "instead (test_workers.py)")
async def test_at_start_a_suspect_update_goes_first_and_alone_and_a_poison_update_is_given_up(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "h.db"
    database = make_database(path)
    await database.open()
    inbox = Inbox(database)
    updates = [message_update(61, 7101, "Ordinary report: fake courier SMS"),
               message_update(62, 7102, "Suspect: begun once after a restart, the process died"),
               message_update(63, 7103, "Poison: the process died every time it was handled")]
    await inbox.store([StoredUpdate(u["update_id"], json.dumps(u)) for u in updates], NOW)
    await inbox.begin_replay(62)
    for _ in range(MAX_REPLAYS):
        await inbox.begin_replay(63)
    await database.close()

    caplog.set_level(logging.INFO)
    async with LocalDeployment(str(path)) as local:
        await local.server.wait_for_messages(7101, 1)
        await local.server.wait_for_messages(7102, 1)
        await local.server.wait_idle()
        order = [m.chat_id for m in local.server.sent if m.chat_id in (7101, 7102, 7103)]
        counts = await local.services.inbox.counts()
    assert order == [7102, 7101]  # the suspect alone first; the poison never handled
    assert counts == {DONE: 2, ABANDONED: 1}
    [warning] = [r.getMessage() for r in caplog.records if "abandoned" in r.getMessage()]
    assert warning.startswith("update 63 abandoned")
    kept = await rows(path, "SELECT payload FROM inbox WHERE update_id = 63")
    assert "Poison" in kept[0]["payload"]  # for the operator to look at
