"""Moderators triage in Telegram, end to end through the loopback Bot API server: cards in a
forum group's country topic, one-tap decisions, refusals, merge and need-more-info round trips,
queues and figures, and the citizen told at each step."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from harmline.demo.botapi_server import FakeUser, SentMessage
from harmline.demo.environment import CONTACT_CHAT_ID, LocalDeployment
from harmline.i18n import Catalogs
from tests.test_e2e import reference_in, report_and_send_now

CATALOGS = Catalogs()

MODERATORS_GROUP = -1009000000001  # a supergroup with topics
TH_CONTACT_CHAT = -1001234500002
ADMIN, MOD_MY, MOD_MY_2, MOD_TH, STRANGER = 900000, 900001, 900002, 900003, 8002


def _config(document: dict[str, Any]) -> dict[str, Any]:
    contact_my = {**document["contacts"][0], "language": "en"}
    contact_th = {"country": "TH", "name": "Thai Police Cyber Taskforce", "language": "th",
                  "telegram_chat_id": TH_CONTACT_CHAT}
    return {
        **document,
        "deployment": {"countries": ["MY", "TH"]},
        "moderation": {"review": "before_forward", "admins": [ADMIN], "chats": [{"chat_id": MODERATORS_GROUP}]},
        "moderators": [{"telegram_user_id": MOD_MY, "countries": ["MY"]},
                       {"telegram_user_id": MOD_MY_2, "countries": ["MY"]},
                       {"telegram_user_id": MOD_TH, "countries": ["TH"]}],
        "contacts": [contact_my, contact_th],
    }


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    deployment = LocalDeployment(str(tmp_path / "harmline.db"), config=_config)
    deployment.server.make_forum(MODERATORS_GROUP)
    async with deployment:
        yield deployment


def button(message: SentMessage, verb: str) -> str:
    found = [data for data in message.button_data() if data.startswith(f"v1:mod:{verb}:")]
    assert found, f"no {verb} button on {message.button_data()}"
    return found[0]


async def card_of(local: LocalDeployment, reference: str) -> SentMessage:
    return await local.server.wait_for(lambda m: m.chat_id == MODERATORS_GROUP and reference in m.plain_text
                                       and bool(m.button_data()))


async def alert_after(local: LocalDeployment, user: FakeUser, message: SentMessage, data: str) -> str:
    answers = len(local.server.callback_answers)
    user.press(message, data, force=True)
    answer = await local.server.wait_for_answer(answers)
    await local.server.wait_idle()
    assert answer["show_alert"]
    return str(answer["text"])


async def notice_to(local: LocalDeployment, citizen: FakeUser, after: int, text: str) -> SentMessage:
    return await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > after
                                       and text in m.plain_text)


async def test_a_moderator_confirms_the_contact_receives_it_and_a_late_tap_is_refused(
        local: LocalDeployment) -> None:
    citizen = local.server.user(8001, "Mei", language_code="en")
    reference, ack = await report_and_send_now(
        local, citizen, "Phishing SMS: your Maybank2u account is suspended, log in at maybank2u-secure.com")
    card = await card_of(local, reference)
    # The group has topics: the card is in Malaysia's topic, which the bot created.
    topics = local.server.forum_topics[MODERATORS_GROUP]
    assert card.message_thread_id in topics and "Malaysia" in topics[card.message_thread_id]
    assert "🇲🇾" in topics[card.message_thread_id]
    assert "Status: new" in card.plain_text and "maybank2u-secure[.]com" in card.plain_text
    assert card.button_texts() == ["✅ Confirm & forward", "🚫 Not harmful", "🏷 Change category", "🔗 Merge into…",
                                   "❓ Need more info", "🔺 Escalate"]
    assert local.server.messages_to(CONTACT_CHAT_ID) == []  # held for review

    # Someone who is not a moderator, and a moderator of another country: refused, and logged.
    stranger = local.server.user(STRANGER, "Mallory", language_code="en")
    assert await alert_after(local, stranger, card, button(card, "confirm")) == (
        "Only moderators of this report's country can do this.")
    thai = local.server.user(MOD_TH, "Mod Somchai", language_code="en")
    assert await alert_after(local, thai, card, button(card, "confirm")) == (
        "Only moderators of this report's country can do this.")
    # A forged button (a reference that does not exist, a verb that does not) changes nothing either.
    assert await alert_after(local, stranger, card, "v1:mod:reject:MY-22222222") == (
        "Only moderators of this report's country can do this.")
    assert local.server.messages_to(CONTACT_CHAT_ID) == []

    moderator = local.server.user(MOD_MY, "Mod Aziz", language_code="en")
    moderator.press(card, button(card, "confirm"))
    forwarded = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID)
    assert reference in forwarded.plain_text and "Mod Aziz" not in forwarded.plain_text
    decided = await local.server.wait_for(lambda m: m.chat_id == card.chat_id and m.message_id == card.message_id
                                          and not m.button_data())
    assert "Confirmed by Mod Aziz" in decided.plain_text and "Status: confirmed" in decided.plain_text
    assert f"✅ Report {reference}" in decided.plain_text and "New report" not in decided.plain_text
    # The citizen hears once it reached the contact, in one message.
    notice = await notice_to(local, citizen, ack.message_id, "checked by our team and forwarded")
    assert notice.plain_text == (f"Report {reference} was checked by our team and forwarded to National Scam "
                                 "Response Centre. Thank you for reporting.")

    # A second moderator's late tap on the old buttons is refused and names who decided.
    late = local.server.user(MOD_MY_2, "Mod Siti", language_code="en")
    assert await alert_after(local, late, card, f"v1:mod:reject:{reference}") == (
        "Already decided by Mod Aziz: confirmed.")
    assert len([m for m in local.server.messages_to(CONTACT_CHAT_ID) if reference in m.plain_text]) == 1

    rows = await local.services.database.fetch_all(
        "SELECT actor, actor_name, action, from_status, to_status FROM audit_log ORDER BY id")
    trail = [tuple(row) for row in rows]
    assert (f"telegram:{STRANGER}", "Mallory", "moderation.refused", None, None) in trail
    assert (f"telegram:{MOD_TH}", "Mod Somchai", "moderation.refused", None, None) in trail
    assert (f"telegram:{MOD_MY}", "Mod Aziz", "report.confirm", "new", "confirmed") in trail

    citizen.send_text(f"/status {reference}")
    status = await local.server.wait_for(lambda m: m.chat_id == citizen.id and "/status" not in m.plain_text
                                         and "— received" in m.plain_text)
    assert "confirmed by our team; forwarded to National Scam Response Centre" in status.plain_text
    assert "— confirmed by our team" in status.plain_text and "Aziz" not in status.plain_text


async def test_a_duplicate_is_merged_from_the_card_and_its_citizen_told(local: LocalDeployment) -> None:
    text = "Job offer: earn RM300 a day liking videos, pay RM50 deposit to Maybank 5140 1234 5678 first"
    first_citizen = local.server.user(8101, "Ali", language_code="en")
    first, _ = await report_and_send_now(local, first_citizen, text)
    second_citizen = local.server.user(8102, "Chong", language_code="en")
    second, ack = await report_and_send_now(local, second_citizen, text + " — same people messaged me too")
    card = await card_of(local, second)
    moderator = local.server.user(MOD_MY, "Mod Aziz", language_code="en")

    moderator.press(card, button(card, "merge"))
    menu = await local.server.wait_for(lambda m: m.chat_id == card.chat_id and m.message_id == card.message_id
                                       and any(d.endswith(f":{first}") for d in m.button_data()))
    assert menu.button_data()[-1] == f"v1:mod:back:{second}"
    moderator.press(menu, f"v1:mod:merge:{second}:{first}")
    merged = await local.server.wait_for(lambda m: m.chat_id == card.chat_id and m.message_id == card.message_id
                                         and not m.button_data())
    assert f"Merged into {first} by Mod Aziz" in merged.plain_text
    notice = await notice_to(local, second_citizen, ack.message_id, "same case")
    assert first in notice.plain_text and second in notice.plain_text
    # The duplicate is never forwarded on its own; the first report still waits for its decision.
    assert not [m for m in local.server.messages_to(CONTACT_CHAT_ID) if second in m.plain_text]
    stored = await local.services.reports.find(second)
    assert stored is not None and stored.merged_into == first and stored.status.value == "merged"


async def test_need_more_info_asks_the_citizen_in_their_language_and_attaches_the_answer(
        local: LocalDeployment) -> None:
    citizen = local.server.user(8201, "Somsak", language_code="th")
    reference, ack = await report_and_send_now(
        local, citizen, "มีคนโทรมาอ้างว่าเป็นตำรวจ บอกว่าบัญชีผมเกี่ยวข้องกับการฟอกเงิน ให้โอนเงินไปตรวจสอบ")
    assert reference.startswith("TH-")
    card = await card_of(local, reference)
    moderator = local.server.user(MOD_TH, "Mod Somchai", language_code="en")
    moderator.press(card, button(card, "ask"))
    menu = await local.server.wait_for(lambda m: m.chat_id == card.chat_id and m.message_id == card.message_id
                                       and f"v1:mod:ask:{reference}:screenshot" in m.button_data())
    moderator.press(menu, f"v1:mod:ask:{reference}:screenshot")

    _ = local.services.catalogs.gettext("th")
    question = await notice_to(local, citizen, ack.message_id, reference)
    assert _("Could you send screenshots of the conversation, the post or the payment? Just send them "
             "here.") in question.plain_text
    # Thailand's contact reads Thai, and so do the cards of Thai reports.
    waiting = await local.server.wait_for(lambda m: m.message_id == card.message_id
                                          and _("waiting for the citizen's answer") in m.plain_text)
    assert waiting.button_data()  # still undecided: the buttons stay

    citizen.send_photo(caption="นี่คือแชทกับมิจฉาชีพ")
    thanks = await notice_to(local, citizen, question.message_id, reference)
    assert thanks.plain_text == _("Thank you. Your answer was added to report <b>{ref}</b>; our team will look "
                                  "at it.").format(ref=reference).replace("<b>", "").replace("</b>", "")
    answered = await local.server.wait_for(lambda m: m.chat_id == MODERATORS_GROUP and m.message_id > card.message_id
                                           and _("The citizen answered the moderators' question.") in m.plain_text)
    assert "นี่คือแชทกับมิจฉาชีพ" in answered.plain_text and _("in review") in answered.plain_text
    evidence = await local.server.wait_for(lambda m: m.chat_id == MODERATORS_GROUP and m.media_type == "photo")
    assert evidence.message_thread_id == answered.message_thread_id  # in Thailand's topic

    moderator.press(answered, button(answered, "confirm"))
    forwarded = await local.server.wait_for(lambda m: m.chat_id == TH_CONTACT_CHAT and reference in m.plain_text)
    assert "นี่คือแชทกับมิจฉาชีพ" in forwarded.plain_text
    await local.server.wait_for(lambda m: m.chat_id == TH_CONTACT_CHAT and m.media_type == "photo")
    rows = await local.services.database.fetch_all(
        "SELECT action, from_status, to_status FROM audit_log WHERE report_id = "
        "(SELECT id FROM reports WHERE reference = ?) AND to_status IS NOT NULL ORDER BY id", (reference,))
    assert [tuple(row) for row in rows] == [("report.completed", "collecting", "new"),
                                            ("report.ask", "new", "needs_info"),
                                            ("report.answered", "needs_info", "in_review"),
                                            ("report.confirm", "in_review", "confirmed")]


async def test_not_harmful_and_escalate(local: LocalDeployment) -> None:
    citizen = local.server.user(8301, "Farah", language_code="en")
    harmless, ack = await report_and_send_now(local, citizen, "Is this message from my bank real? It says hello.")
    card = await card_of(local, harmless)
    moderator = local.server.user(MOD_MY, "Mod Aziz", language_code="en")
    moderator.press(card, button(card, "reject"))
    notice = await notice_to(local, citizen, ack.message_id, "nothing that needs action")
    assert "You were right to ask." in notice.plain_text

    urgent, _ = await report_and_send_now(local, local.server.user(8302, "Raj", language_code="en"),
                                          "They have my OTP and are draining my account now, call +60 12-777 8888")
    card = await card_of(local, urgent)
    moderator.press(card, button(card, "escalate"))
    # Urgent reports go to the contact at once, still waiting for a decision.
    forwarded = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID and urgent in m.plain_text)
    assert forwarded.plain_text.startswith("🔺")
    escalated = await local.server.wait_for(lambda m: m.message_id == card.message_id and "urgent" in m.plain_text)
    assert "🔺 Escalate" not in escalated.button_texts() and "✅ Confirm" in escalated.button_texts()
    assert not [m for m in local.server.messages_to(CONTACT_CHAT_ID) if harmless in m.plain_text]


async def test_queue_report_find_stats_and_moderators_managed_at_run_time(local: LocalDeployment) -> None:
    citizen = local.server.user(8401, "Nurul", language_code="en")
    reference, _ = await report_and_send_now(local, citizen, "Fake Shopee seller 012-345 6789 took RM120 for a phone")
    await card_of(local, reference)
    moderator = local.server.user(MOD_MY, "Mod Aziz", language_code="en")

    moderator.send_text("/queue")
    queue = await local.server.wait_for(lambda m: m.chat_id == MOD_MY and "Queue:" in m.plain_text)
    assert "Queue: 1 undecided" in queue.plain_text and reference in queue.plain_text
    moderator.press(queue, f"v1:mod:open:{reference}")
    view = await local.server.wait_for(lambda m: m.chat_id == MOD_MY and reference in m.plain_text
                                       and "Status: in review" in m.plain_text)
    assert "✅ Confirm & forward" in view.button_texts()  # a full card, with its buttons
    history = await local.server.wait_for(lambda m: m.chat_id == MOD_MY and "History of" in m.plain_text)
    assert "Mod Aziz · report.open · new → in_review" in history.plain_text

    moderator.send_text("/find 0123456789")
    found = await local.server.wait_for(lambda m: m.chat_id == MOD_MY and "found for" in m.plain_text)
    assert "1 report(s) found" in found.plain_text and reference in found.plain_text
    moderator.send_text("/stats")
    stats = await local.server.wait_for(lambda m: m.chat_id == MOD_MY and "Backlog" in m.plain_text)
    assert "Received: 1 · 1" in stats.plain_text and "Backlog: 1 undecided" in stats.plain_text
    assert "Thailand" not in stats.plain_text  # only their own country

    # A Thai moderator sees none of Malaysia's reports.
    thai = local.server.user(MOD_TH, "Mod Somchai", language_code="en")
    thai.send_text("/queue")
    assert "Queue: 0 undecided" in (await local.server.wait_for(
        lambda m: m.chat_id == MOD_TH and "Queue:" in m.plain_text)).plain_text
    thai.send_text(f"/report {reference}")
    assert "No report" in (await local.server.wait_for(lambda m: m.chat_id == MOD_TH and "/report" not in
                                                        m.plain_text and "Queue" not in m.plain_text)).plain_text

    # Non-moderators are turned away politely; only admins manage moderators, and it lasts.
    stranger = local.server.user(STRANGER, "Mallory", language_code="en")
    stranger.send_text("/queue")
    refusal = await local.server.wait_for(lambda m: m.chat_id == STRANGER)
    assert refusal.plain_text.startswith("Sorry, this command is only for moderators.")
    moderator.send_text("/mod add 900004 TH")
    assert "Only admins" in (await local.server.wait_for(
        lambda m: m.chat_id == MOD_MY and "admins" in m.plain_text)).plain_text
    admin = local.server.user(ADMIN, "Admin Lim", language_code="en")
    admin.send_text("/mod add 900004 MY")
    assert "900004 now covers: MY" in (await local.server.wait_for(lambda m: m.chat_id == ADMIN)).plain_text
    await local.stop_bot()
    await local.start_bot()  # run-time moderators survive a restart
    newcomer = local.server.user(900004, "Mod Baru", language_code="en")
    newcomer.send_text("/queue")
    assert reference in (await local.server.wait_for(lambda m: m.chat_id == 900004)).plain_text
    admin.send_text("/mod remove 900004")
    await local.server.wait_for(lambda m: m.chat_id == ADMIN and "900004 now covers: —" in m.plain_text)
    newcomer.send_text("/queue")
    await local.server.wait_for(lambda m: m.chat_id == 900004 and "only for moderators" in m.plain_text)
    rows = await local.services.database.fetch_all(
        "SELECT action, detail FROM audit_log WHERE action LIKE 'moderator.%' ORDER BY id")
    assert [tuple(row) for row in rows] == [("moderator.added", "900004: - -> MY"),
                                            ("moderator.removed", "900004: MY -> -")]


async def test_a_moderator_blocks_a_citizen_by_reference_and_unblocks_them(local: LocalDeployment) -> None:
    citizen = local.server.user(8501, "Abusive Account", language_code="ms")
    reference, ack = await report_and_send_now(local, citizen, "Penipuan: minta transfer ke akaun 1234567890 dulu")
    await card_of(local, reference)
    citizen.send_text("Ini laporan kedua, masih ditulis")  # a new report still being written
    second = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > ack.message_id)
    thai, malaysian = (local.server.user(MOD_TH, "Mod Somchai", language_code="en"),
                       local.server.user(MOD_MY, "Mod Aziz", language_code="en"))

    thai.send_text(f"/block {reference}")  # not a moderator of Malaysia: learns nothing
    refused = await local.server.wait_for(lambda m: m.chat_id == MOD_TH)
    assert refused.plain_text == f"No report {reference} among your countries."
    malaysian.send_text(f"/block {reference.lower()}")
    done = await local.server.wait_for(lambda m: m.chat_id == MOD_MY)
    assert done.plain_text.startswith(f"The citizen who sent {reference} is blocked")
    assert str(citizen.id) not in done.plain_text and "Abusive" not in done.plain_text
    withdrawn = await local.services.reports.find(reference_in(second))
    assert withdrawn is not None and withdrawn.status.value == "cancelled"

    # One polite notice in their language; then silence; nothing stored, nothing forwarded.
    before = len(local.server.messages_to(citizen.id))
    citizen.send_text("Laporan ketiga selepas disekat")
    notice = await local.server.wait_for(lambda m: m.chat_id == citizen.id and "/deleteme" in m.plain_text)
    assert notice.plain_text == CATALOGS.gettext("ms")(
        "Sorry, this service no longer accepts reports from your account. You can still erase your data with "
        "/deleteme.")
    citizen.send_text("Laporan keempat")
    await local.server.wait_idle()
    assert len(local.server.messages_to(citizen.id)) == before + 1
    assert len(await local.services.reports.of_reporter(citizen.id)) == 2
    assert not any("ketiga" in m.plain_text or "keempat" in m.plain_text for m in local.server.sent)

    malaysian.send_text(f"/unblock {reference}")
    await local.server.wait_for(lambda m: m.chat_id == MOD_MY and "may report again" in m.plain_text)
    citizen.send_text("Penipuan baru selepas dibuka semula, nombor 0123456789")
    await local.server.wait_for(lambda m: m.chat_id == citizen.id and "rujukan" in m.plain_text
                                and m.message_id > notice.message_id)
    rows = await local.services.database.fetch_all(
        "SELECT actor, action FROM audit_log WHERE action LIKE 'reporter.%' ORDER BY id")
    assert [tuple(row) for row in rows] == [(f"telegram:{MOD_MY}", "reporter.blocked"),
                                            (f"telegram:{MOD_MY}", "reporter.unblocked")]


@pytest.mark.parametrize("command", ["/queue", "/report MY-22222222", "/find 0123456789", "/stats",
                                     "/merge MY-22222222 MY-33333333", "/duty on", "/mod add 8002 MY",
                                     "/summary", "/block MY-22222222", "/unblock MY-22222222"])
async def test_every_moderators_command_turns_a_stranger_away_politely_in_their_language_and_is_audited(
        local: LocalDeployment, command: str) -> None:
    stranger = local.server.user(STRANGER, "Mallory", language_code="ms")
    stranger.send_text(command)
    refusal = await local.server.wait_for(lambda m: m.chat_id == STRANGER)
    assert refusal.plain_text.startswith("Maaf")  # the Malay refusal, nothing of the command's own answer
    assert len(local.server.messages_to(STRANGER)) == 1
    rows = await local.services.database.fetch_all("SELECT actor, detail FROM audit_log WHERE action LIKE '%refused%'")
    assert [(row["actor"], row["detail"]) for row in rows] == [(f"telegram:{STRANGER}", command)]
