"""The outbox under faults, end to end (the real bot polling the loopback Bot API server): a bug
in a channel, a webhook that never answers, chats and endpoints that are gone, evidence Telegram
refuses, a bot stopped half-way through a delivery. Nothing stalls the other deliveries, nothing
is retried forever, nothing is sent more than once per attempt."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from harmline.channels.telegram_chat import TelegramChatChannel
from harmline.demo.botapi_server import FakeUser, SentMessage
from harmline.demo.environment import CONTACT_CHAT_ID, LocalDeployment
from harmline.reports.model import Delivery, Report
from tests.test_e2e import reference_in, report_and_send_now, send_now

OTHER_CHAT_ID = -1001234500002  # a second contact of the same country, in its own chat
FAST = {"backoff_base_seconds": 0.2, "backoff_max_seconds": 0.4, "max_attempts": 4}


def edit(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def apply(document: dict[str, Any]) -> dict[str, Any]:
        change(document)
        return document

    return apply


def second_contact(document: dict[str, Any]) -> None:
    document["contacts"].append({"country": "MY", "name": "Bank Negara Malaysia", "language": "en",
                                 "telegram_chat_id": OTHER_CHAT_ID})


def english_contact(document: dict[str, Any]) -> None:
    document["contacts"][0]["language"] = "en"


async def deliveries_of(local: LocalDeployment, reference: str) -> list[Delivery]:
    report = await local.services.reports.find(reference)
    assert report is not None
    return await local.services.outbox.for_report(report.id)


async def forward(local: LocalDeployment, reference: str, channel: str = "telegram", target: int | str | None = None,
                  *, until: Callable[[Delivery], bool] = lambda d: True, timeout: float = 10) -> Delivery:  # noqa: ASYNC109
    """The report's forward through ``channel`` (to ``target``), once ``until`` holds (or the timeout)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = [d for d in await deliveries_of(local, reference)
                 if d.channel == channel and str(d.purpose) == "forward"
                 and (target is None or d.target == str(target))]
        assert len(found) == 1, found
        if until(found[0]) or asyncio.get_running_loop().time() > deadline:
            return found[0]
        await asyncio.sleep(0.05)


def cards(local: LocalDeployment, chat_id: int, reference: str) -> list[SentMessage]:
    return [m for m in local.server.messages_to(chat_id) if m.method == "sendMessage" and reference in m.plain_text]


def telegram_channel(local: LocalDeployment) -> TelegramChatChannel:
    worker = local.services.worker
    assert worker is not None
    channel = worker.channels["telegram"]
    assert isinstance(channel, TelegramChatChannel)
    return channel


async def report_with_evidence(local: LocalDeployment, citizen: FakeUser,
                               photos: int) -> tuple[str, Report, SentMessage]:
    """A citizen sends ``photos`` screenshots (an album when several); the report and its acknowledgement."""
    if photos == 1:
        citizen.send_photo(caption="Screenshot of the fake bank page asking for my OTP")
    else:
        citizen.send_album(["Screenshots of the fake parcel delivery page", *[None] * (photos - 1)])
    [ack] = await local.server.wait_for_messages(citizen.id, 1)
    await local.server.wait_idle()
    reference = reference_in(ack)
    report = await local.services.reports.find(reference)
    assert report is not None and len(report.evidence) == photos
    return reference, report, ack


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    async with LocalDeployment(str(tmp_path / "harmline.db"), delivery=FAST, config=edit(second_contact)) as deployment:
        yield deployment


async def test_a_bug_in_a_channel_costs_that_delivery_its_attempts_and_delays_nobody_else(
        local: LocalDeployment, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="harmline.delivery.worker")
    channel = telegram_channel(local)
    original = channel.send_card
    poisoned: set[str] = set()

    async def send_card_then_crash(chat_id: int, thread: int | None, delivery: Delivery, report: Report) -> None:
        await original(chat_id, thread, delivery, report)
        if chat_id == CONTACT_CHAT_ID and report.reference in poisoned:
            raise RuntimeError("card renderer exploded")  # after Telegram took the card: the worst case

    monkeypatch.setattr(channel, "send_card", send_card_then_crash)
    first = local.server.user(7001, "Aminah", language_code="en")
    second = local.server.user(7002, "Badrul", language_code="en")
    first.send_text("Caller said my parcel holds drugs and I must pay the police at a link")
    [ack] = await local.server.wait_for_messages(first.id, 1)
    poisoned.add(reference_in(ack))
    first.press(ack, send_now(ack))
    poisoned_reference = reference_in(ack)
    await forward(local, poisoned_reference, target=CONTACT_CHAT_ID, until=lambda d: d.attempts >= 1)

    # Another report queued behind the failing one reaches both chats at once — the failing one's too.
    started = asyncio.get_running_loop().time()
    reference, _ = await report_and_send_now(local, second, "Fake investment group promising 30% a week")
    for chat in (CONTACT_CHAT_ID, OTHER_CHAT_ID):
        await local.server.wait_for(lambda m, c=chat: m.chat_id == c and reference in m.plain_text, timeout=3)
    assert asyncio.get_running_loop().time() - started < 3

    # The poisoned delivery: every attempt counted, with backoff, then failed with the bug's reason.
    failed = await forward(local, poisoned_reference, target=CONTACT_CHAT_ID, until=lambda d: d.state == "failed")
    assert (failed.state, failed.attempts) == ("failed", 4)
    assert failed.last_error == "RuntimeError: card renderer exploded"
    other = await forward(local, poisoned_reference, target=OTHER_CHAT_ID, until=lambda d: d.state == "delivered")
    assert (other.state, other.attempts) == ("delivered", 1)
    await asyncio.sleep(1.0)
    # The contact got the card once per attempt, never more (the old worker sent it 40-100 times).
    assert len(cards(local, CONTACT_CHAT_ID, poisoned_reference)) == 4
    assert len(cards(local, CONTACT_CHAT_ID, reference)) == len(cards(local, OTHER_CHAT_ID, reference)) == 1
    # Each attempt logged once, at ERROR, with the traceback (a bug); the next attempts waited longer.
    bugs = [r for r in caplog.records if "card renderer exploded" in r.getMessage()]
    assert len(bugs) == 4 and all(r.levelno == logging.ERROR and r.exc_info for r in bugs)
    assert [f"attempt {n} of 4" in r.getMessage() for n, r in enumerate(bugs[:3], start=2)] == [True] * 3
    assert "failed after 4 attempts" in bugs[3].getMessage()


async def test_a_webhook_that_never_answers_does_not_delay_a_telegram_delivery_queued_after_it(
        tmp_path: Path) -> None:
    connections: list[asyncio.StreamWriter] = []

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)  # reads the request, never answers

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hook"

    def hanging_webhook(document: dict[str, Any]) -> None:
        document["contacts"][0]["webhook_url"] = url
        document["delivery"] = {**FAST, "webhook_timeout_seconds": 4}

    try:
        async with LocalDeployment(str(tmp_path / "h.db"), config=edit(hanging_webhook)) as local:
            first = local.server.user(7101, "Chong", language_code="en")
            second = local.server.user(7102, "Dina", language_code="en")
            stuck, _ = await report_and_send_now(local, first, "Love scam: he asks for money for customs fees")
            await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID and stuck in m.plain_text)
            for _ in range(100):  # the webhook POST is on its way and hangs
                if connections:
                    break
                await asyncio.sleep(0.05)
            assert connections
            started = asyncio.get_running_loop().time()
            reference, _ = await report_and_send_now(local, second, "Job scam: pay a deposit to get tasks")
            card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID and reference in m.plain_text,
                                               timeout=2)
            assert asyncio.get_running_loop().time() - started < 2  # not after the 4 s webhook timeout
            assert reference in card.plain_text
            hook = await forward(local, stuck, "webhook")
            assert (hook.state, hook.attempts) == ("pending", 0)  # still hanging
            # The hanging POST ends at the webhook timeout: one failed attempt, the reason kept.
            hook = await forward(local, stuck, "webhook", until=lambda d: d.attempts >= 1, timeout=10)
            assert hook.state == "pending" and hook.last_error == "ReadTimeout: no answer within the webhook timeout"
    finally:
        for writer in connections:
            writer.close()
        server.close()
        with contextlib.suppress(Exception):
            await server.wait_closed()


@pytest.mark.parametrize(("code", "description", "reason"), [
    (400, "Bad Request: chat not found", "BadRequest: Chat not found"),
    (403, "Forbidden: bot was kicked from the supergroup chat", "Forbidden: bot was kicked from the supergroup chat"),
    (400, "Bad Request: not enough rights to send text messages to the chat",
     "BadRequest: Not enough rights to send text messages to the chat"),
])
async def test_a_chat_the_bot_cannot_write_to_fails_at_once_with_the_reason(
        local: LocalDeployment, code: int, description: str, reason: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="harmline.delivery.worker")
    local.server.fail_chat(CONTACT_CHAT_ID, error_code=code, description=description)
    citizen = local.server.user(7201, "Eka", language_code="en")
    reference, _ = await report_and_send_now(local, citizen, "Fake lottery SMS asking for a processing fee")
    failed = await forward(local, reference, target=CONTACT_CHAT_ID, until=lambda d: d.state == "failed")
    assert (failed.state, failed.attempts, failed.last_error) == ("failed", 1, reason)
    await asyncio.sleep(0.6)  # longer than any backoff here: no second try
    assert [name for name, *_ in local.server.errors] == ["sendMessage"]
    # The contact's other chat and its webhook are not held back.
    assert (await forward(local, reference, target=OTHER_CHAT_ID, until=lambda d: d.state == "delivered")).state \
        == "delivered"
    [hook] = await local.receiver.wait_for(1)
    assert hook.idempotency_key == reference
    # One WARNING line, no traceback: an expected failure.
    [logged] = [r for r in caplog.records if reason in r.getMessage()]
    assert logged.levelno == logging.WARNING and not logged.exc_info
    assert "cannot be sent" in logged.getMessage()


async def test_a_passing_telegram_failure_is_retried_and_survives_a_restart(local: LocalDeployment) -> None:
    local.server.fail_chat(CONTACT_CHAT_ID, error_code=502, description="Bad Gateway")
    citizen = local.server.user(7202, "Fajar", language_code="en")
    reference, _ = await report_and_send_now(local, citizen, "Fake police officer called me demanding a fine")
    retried = await forward(local, reference, target=CONTACT_CHAT_ID, until=lambda d: d.attempts >= 2)
    assert retried.state == "pending" and retried.last_error == "NetworkError: Bad Gateway"
    await local.stop_bot()
    local.server.restore_chat(CONTACT_CHAT_ID)
    await local.start_bot()
    card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID, timeout=10)
    assert reference in card.plain_text
    delivered = await forward(local, reference, target=CONTACT_CHAT_ID, until=lambda d: d.state == "delivered")
    assert delivered.state == "delivered" and delivered.attempts >= 3 and delivered.last_error is None


@pytest.mark.parametrize(("status", "reason"), [
    (404, "HTTP 404 Not Found (check webhook_url)"),
    (410, "HTTP 410 Gone (check webhook_url)"),
    (401, "HTTP 401 Unauthorized (check webhook_secret)"),
    (422, "HTTP 422 Unprocessable Entity"),
])
async def test_a_webhook_that_refuses_the_report_fails_at_once(local: LocalDeployment, status: int,
                                                               reason: str) -> None:
    local.receiver.go_down(status)
    citizen = local.server.user(7301, "Gita", language_code="en")
    reference, _ = await report_and_send_now(local, citizen, "Phishing link pretending to be Maybank")
    failed = await forward(local, reference, "webhook", until=lambda d: d.state == "failed")
    assert (failed.state, failed.attempts) == ("failed", 1)
    assert failed.last_error == reason + ': {"ok": false, "error": "unavailable"}'
    await asyncio.sleep(0.6)
    assert local.receiver.attempts == 1


async def test_a_webhook_that_is_busy_or_down_is_retried(local: LocalDeployment) -> None:
    local.receiver.go_down(429)
    citizen = local.server.user(7302, "Hana", language_code="en")
    reference, _ = await report_and_send_now(local, citizen, "Crypto wallet drainer link in a Telegram group")
    busy = await forward(local, reference, "webhook", until=lambda d: d.attempts >= 2)
    assert busy.state == "pending" and busy.last_error is not None and busy.last_error.startswith("HTTP 429")
    local.receiver.go_up()
    [hook] = await local.receiver.wait_for(1, timeout=10)
    assert hook.idempotency_key == reference


async def test_a_photo_telegram_refuses_as_a_photo_arrives_as_a_document(tmp_path: Path) -> None:
    async with LocalDeployment(str(tmp_path / "h.db"), delivery=FAST, config=edit(english_contact)) as local:
        citizen = local.server.user(7401, "Indah", language_code="en")
        reference, report, ack = await report_with_evidence(local, citizen, 1)
        photo = report.evidence[0].file_id
        # As Telegram answers for a file id of another type — also when it is sent as a document.
        local.server.fail_file(photo, description="Bad Request: type of file mismatch",
                               methods={"sendPhoto", "sendMediaGroup", "sendDocument"})
        citizen.press(ack, send_now(ack))
        document = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID and m.media_type == "document")
        assert document.file_id is not None
        assert local.server.files[document.file_id].data == local.server.files[photo].data
        assert local.server.files[document.file_id].file_name == "evidence-1.jpg"
        assert document.plain_text == f"Evidence for {reference}"
        delivered = await forward(local, reference, until=lambda d: d.state == "delivered")
        assert (delivered.attempts, delivered.last_error) == (1, None)
        assert [m.method for m in local.server.messages_to(CONTACT_CHAT_ID)] == ["sendMessage", "sendDocument"]


async def test_evidence_that_cannot_be_sent_at_all_is_skipped_with_a_line_and_the_rest_goes(tmp_path: Path) -> None:
    async with LocalDeployment(str(tmp_path / "h.db"), delivery=FAST, config=edit(english_contact)) as local:
        citizen = local.server.user(7402, "Joko", language_code="en")
        reference, report, ack = await report_with_evidence(local, citizen, 3)
        gone = report.evidence[1].file_id
        local.server.fail_file(gone)  # "wrong file identifier/HTTP URL specified", getFile included
        citizen.press(ack, send_now(ack))
        delivered = await forward(local, reference, until=lambda d: d.state == "delivered")
        sent = local.server.messages_to(CONTACT_CHAT_ID)
        assert [m.media_type or "text" for m in sent] == ["text", "photo", "text", "photo"]
        assert reference in sent[0].plain_text
        assert [m.file_id for m in (sent[1], sent[3])] == [report.evidence[0].file_id, report.evidence[2].file_id]
        assert sent[2].plain_text == f"Evidence item 2 of 3 for {reference} could not be sent."
        # Delivered at the first attempt; the reason is kept on the delivery.
        assert delivered.attempts == 1
        assert delivered.last_error == "evidence item 2 not sent: BadRequest: Wrong file identifier/http url specified"


async def test_a_bot_stopped_in_the_middle_of_a_delivery_does_not_send_the_card_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async with LocalDeployment(str(tmp_path / "h.db"), delivery=FAST) as local:
        citizen = local.server.user(7501, "Kiki", language_code="en")
        reference, _, ack = await report_with_evidence(local, citizen, 2)
        channel = telegram_channel(local)
        in_flight = asyncio.Event()

        async def album_never_answered(*args: object) -> None:
            in_flight.set()
            await asyncio.Event().wait()  # the bot dies while the album is on its way

        monkeypatch.setattr(channel, "_send_group", album_never_answered)
        citizen.press(ack, send_now(ack))
        await asyncio.wait_for(in_flight.wait(), timeout=10)
        interrupted = await forward(local, reference)
        assert (interrupted.state, interrupted.attempts, interrupted.progress) == ("pending", 0, 1)
        await local.stop_bot()
        await local.start_bot()  # a new worker, with the real album sending
        album = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID and m.media_type == "photo",
                                            timeout=10)
        assert album.media_group_id is not None
        assert len(cards(local, CONTACT_CHAT_ID, reference)) == 1
        assert (await forward(local, reference, until=lambda d: d.state == "delivered")).state == "delivered"
