"""End to end: the real python-telegram-bot Application polling the Bot API test server on
127.0.0.1, a real SQLite file, and a contact's webhook endpoint on loopback."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from harmline.demo.botapi_server import FakeUser, SentMessage
from harmline.demo.environment import CONTACT_CHAT_ID, WEBHOOK_SECRET, LocalDeployment
from harmline.reports.reference import REFERENCE_PATTERN


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    async with LocalDeployment(str(tmp_path / "harmline.db")) as deployment:
        yield deployment


def send_now(message: SentMessage) -> str:
    """The data of the "Send now" button, whatever the language and whatever rows follow it."""
    return next(data for data in message.button_data() if data.endswith(":send"))


def reference_in(message: SentMessage) -> str:
    found = [word.strip(".,:") for word in message.plain_text.split() if REFERENCE_PATTERN.match(word.strip(".,:"))]
    assert found, f"no reference in {message.plain_text!r}"
    return found[0]


async def report_and_send_now(local: LocalDeployment, user: FakeUser, text: str) -> tuple[str, SentMessage]:
    """A citizen reports ``text`` and presses "Send now" on the first question."""
    before = len(local.server.messages_to(user.id))
    user.send_text(text)
    ack = (await local.server.wait_for_messages(user.id, before + 1))[-1]
    user.press(ack, send_now(ack))
    # Message ids count per chat: the acknowledgement is this citizen's, edited once the report is complete.
    await local.server.wait_for(lambda m: m.chat_id == user.id and m.message_id == ack.message_id
                                and not m.button_data())
    return reference_in(ack), ack


async def test_a_plain_text_report_is_acknowledged_then_forwarded_to_chat_and_webhook(
        local: LocalDeployment) -> None:
    citizen = local.server.user(5001, "Aisyah", language_code="en")
    citizen.send_text("/start")
    welcome = await local.server.wait_for(lambda m: m.chat_id == citizen.id)
    assert "forwarded to National Scam Response Centre" in welcome.plain_text
    assert "never forwarded" in welcome.plain_text

    citizen.send_text("Someone on WhatsApp +60 12-345 6789 said I won RM5000 and asked me to pay a "
                      "processing fee at https://hadiah-menang.com/claim")
    # One message: the acknowledgement with its reference, and the first question with its buttons.
    question = (await local.server.wait_for_messages(citizen.id, 2))[1]
    reference = reference_in(question)
    assert reference.startswith("MY-")
    assert "/status " + reference in question.plain_text
    assert question.plain_text.endswith("Where did this happen?")
    assert "WhatsApp" in question.button_texts() and "Send now" in question.button_texts()
    # Stored before the acknowledgement went out.
    stored = await local.services.reports.find(reference)
    assert stored is not None and stored.messages[0].text.startswith("Someone on WhatsApp")

    citizen.press(question, next(d for d in question.button_data() if d.endswith(":whatsapp")))
    await local.server.wait_for(lambda m: m.message_id == question.message_id
                                and m.plain_text.endswith("Did you lose money?"))
    citizen.press(question, next(d for d in question.button_data() if d.endswith(":no")))

    card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID)
    assert reference in card.plain_text
    assert "hxxps://hadiah-menang[.]com/claim" in card.plain_text  # defanged for humans
    assert "https://hadiah-menang.com" not in card.plain_text
    assert "Aisyah" not in card.plain_text and "5001" not in card.plain_text  # reporter withheld
    assert "WhatsApp" in card.plain_text
    [hook] = await local.receiver.wait_for(1)
    assert hook.signature_valid is True
    assert hook.idempotency_key == reference
    assert hook.body["reference"] == reference and hook.body["platform"] == "whatsapp"
    phone = next(i for i in hook.body["indicators"] if i["type"] == "phone")
    assert phone["value"] == "+60123456789" and phone["reports"] == 1
    assert "5001" not in json.dumps(hook.body) and "Aisyah" not in json.dumps(hook.body)
    expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), hook.raw, hashlib.sha256).hexdigest()
    assert hook.headers["X-Harmline-Signature"] == expected


async def test_a_forwarded_message_keeps_its_origin(local: LocalDeployment) -> None:
    citizen = local.server.user(5002, "Ben", language_code="en")
    origin = FakeUser.origin_channel(-1009, "Crypto Profit Signals", username="profit_signals_vip")
    citizen.forward_text("Guaranteed 30% profit daily! Invest USDT now, limited slots", origin=origin)
    question = (await local.server.wait_for_messages(citizen.id, 1))[-1]
    citizen.press(question, send_now(question))
    card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID)
    assert "Forwarded from" in card.plain_text or "Dimajukan daripada" in card.plain_text
    assert "Crypto Profit Signals (@profit_signals_vip)" in card.plain_text
    [hook] = await local.receiver.wait_for(1)
    assert hook.body["messages"][0]["forwarded_from"]["name"] == "Crypto Profit Signals (@profit_signals_vip)"


async def test_an_album_and_a_follow_up_text_make_one_report_with_all_evidence(local: LocalDeployment) -> None:
    citizen = local.server.user(5003, "Chai", language_code="en")
    citizen.send_album(["Fake parcel delivery page", None, None])
    [ack] = await local.server.wait_for_messages(citizen.id, 1)
    citizen.send_text("They asked for my card number and OTP")
    added = await local.server.wait_for(lambda m: m.chat_id == citizen.id and "Added to your report" in m.plain_text)
    assert reference_in(added) == reference_in(ack)
    citizen.press(ack, send_now(ack))
    card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID and m.method == "sendMessage")
    assert "They asked for my card number and OTP" in card.plain_text
    album = await local.server.wait_for_messages(CONTACT_CHAT_ID, 4)
    assert [m.media_type for m in album[1:]] == ["photo", "photo", "photo"]
    assert len({m.media_group_id for m in album[1:]}) == 1
    # Only one acknowledgement for the whole album.
    assert sum(1 for m in local.server.messages_to(citizen.id) if "has been received" in m.plain_text) == 1


async def test_a_redelivered_update_creates_no_second_report(local: LocalDeployment) -> None:
    citizen = local.server.user(5004, "Dewi", language_code="en")
    update_id = citizen.send_text("Judi online slot gacor, deposit 10rb langsung maxwin")
    await local.server.wait_for_messages(citizen.id, 1)
    await local.server.wait_idle()
    local.server.redeliver(update_id)
    await local.server.wait_idle()
    assert len(await local.services.reports.of_reporter(citizen.id)) == 1
    assert len(local.server.messages_to(citizen.id)) == 1


async def test_deliveries_pending_at_a_restart_are_sent_after_it(local: LocalDeployment) -> None:
    # A failure that may pass (a kicked bot now fails at once: tests/test_outbox_faults.py).
    local.server.fail_chat(CONTACT_CHAT_ID, error_code=502, description="Bad Gateway")
    local.receiver.go_down()
    citizen = local.server.user(5005, "Ema", language_code="en")
    reference, _ = await report_and_send_now(local, citizen, "Fake police officer called me demanding a fine")
    await asyncio.sleep(1.5)  # the worker tries and fails at least once
    assert not local.server.messages_to(CONTACT_CHAT_ID)
    await local.stop_bot()
    local.server.restore_chat(CONTACT_CHAT_ID)
    local.receiver.go_up()
    await local.start_bot()
    card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID, timeout=10)
    assert reference in card.plain_text
    [hook] = await local.receiver.wait_for(1, timeout=10)
    assert hook.idempotency_key == reference
    report = await local.services.reports.find(reference)
    assert report is not None
    deliveries = await local.services.outbox.for_report(report.id)
    states = {d.channel: (d.state, d.attempts >= 2) for d in deliveries if str(d.purpose) == "forward"}
    assert states == {"telegram": ("delivered", True), "webhook": ("delivered", True)}


async def test_a_contact_that_is_down_does_not_hold_up_the_other_and_gets_it_later(local: LocalDeployment) -> None:
    local.receiver.go_down(503)
    citizen = local.server.user(5006, "Farid", language_code="en")
    reference, _ = await report_and_send_now(local, citizen, "Investment scam, they took RM20,000")
    card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID)
    assert reference in card.plain_text
    await asyncio.sleep(1.0)
    assert local.receiver.received == [] and local.receiver.attempts >= 1
    local.receiver.go_up()
    [hook] = await local.receiver.wait_for(1, timeout=10)
    assert hook.body["reference"] == reference


async def test_a_429_storm_delays_but_loses_nothing(local: LocalDeployment) -> None:
    citizens = [local.server.user(5100 + i, f"C{i}", language_code="en") for i in range(3)]
    references = []
    for citizen in citizens:
        reference, _ = await report_and_send_now(local, citizen, f"Scam message number {citizen.id}, click the link")
        references.append(reference)
    local.server.flood(6, retry_after=1, methods={"sendMessage"})
    cards = [await local.server.wait_for(lambda m, r=r: m.chat_id == CONTACT_CHAT_ID and r in m.plain_text,
                                         timeout=20) for r in references]
    assert len(cards) == 3
    assert sum(1 for m in local.server.messages_to(CONTACT_CHAT_ID) if "MY-" in m.plain_text) == 3


async def test_status_shows_only_the_citizens_own_reports(local: LocalDeployment) -> None:
    owner = local.server.user(5007, "Gina", language_code="en")
    stranger = local.server.user(5008, "Hadi", language_code="en")
    reference, _ = await report_and_send_now(local, owner, "Loan scam asking for upfront fee")
    owner.send_text(f"/status {reference}")
    status = await local.server.wait_for(lambda m: m.chat_id == owner.id and "Report" in m.plain_text
                                         and reference in m.plain_text and "of " in m.plain_text)
    assert "Category" in status.plain_text
    stranger.send_text(f"/status {reference}")
    refused = await local.server.wait_for(lambda m: m.chat_id == stranger.id)
    assert refused.plain_text == f"No report {reference} was found among your reports."


async def test_unsupported_content_and_unknown_commands_get_a_polite_answer(local: LocalDeployment) -> None:
    citizen = local.server.user(5009, "Ivan", language_code="en")
    citizen.share_contact("+60123456789")
    answer = await local.server.wait_for(lambda m: m.chat_id == citizen.id)
    assert answer.plain_text.startswith("Sorry, I cannot take this kind of message.")
    citizen.send_text("/stauts")
    unknown = await local.server.wait_for(lambda m: m.chat_id == citizen.id and "/help" in m.plain_text)
    assert unknown.plain_text.startswith("Sorry, I do not know that command.")
    assert await local.services.reports.of_reporter(citizen.id) == []


async def test_a_maximal_text_with_markup_characters_gives_a_valid_contact_card(local: LocalDeployment) -> None:
    citizen = local.server.user(5010, "Joko", language_code="en")
    longest = ("Scam <b>fake</b> & link https://evil.example.com/x " * 100)[:4096]  # Telegram's own limit
    reference, _ = await report_and_send_now(local, citizen, longest)
    card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID)
    assert reference in card.plain_text
    assert len(card.plain_text) <= 4096
    assert "<b>fake</b>" in card.plain_text  # the citizen's "<b>" arrives as text, not as formatting


async def test_a_forward_interrupted_after_the_card_resumes_without_sending_the_card_twice(
        local: LocalDeployment) -> None:
    citizen = local.server.user(5011, "Kim", language_code="en")
    citizen.send_album(["Fake investment app screenshots", None])
    [ack] = await local.server.wait_for_messages(citizen.id, 1)
    local.server.flood(1, retry_after=1, methods={"sendMediaGroup"})  # the album fails once, the card went out
    citizen.press(ack, send_now(ack))
    album = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID and m.media_type == "photo",
                                        timeout=10)
    assert album.media_group_id is not None
    cards = [m for m in local.server.messages_to(CONTACT_CHAT_ID) if m.method == "sendMessage"]
    assert len(cards) == 1 and reference_in(ack) in cards[0].plain_text
    report = await local.services.reports.find(reference_in(ack))
    assert report is not None
    telegram = next(d for d in await local.services.outbox.for_report(report.id) if d.channel == "telegram")
    assert telegram.state == "delivered"


async def test_redirect_chat_receives_every_forward_instead_of_the_contacts(tmp_path: Path) -> None:
    redirect = -1009999000001
    async with LocalDeployment(str(tmp_path / "staging.db"),
                               delivery={"redirect_chat_id": redirect, "backoff_base_seconds": 0.2}) as local:
        citizen = local.server.user(5012, "Staging", language_code="en")
        reference, _ = await report_and_send_now(local, citizen, "Training exercise: fake lottery win SMS")
        card = await local.server.wait_for(lambda m: m.chat_id == redirect)
        assert reference in card.plain_text
        await asyncio.sleep(0.5)
        assert local.server.messages_to(CONTACT_CHAT_ID) == []
        assert local.receiver.received == [] and local.receiver.attempts == 0
