"""A citizen's whole experience through the real client and the Bot API test server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from harmline.demo.environment import CONTACT_CHAT_ID, LocalDeployment
from harmline.i18n import Catalogs
from tests.test_e2e import reference_in, report_and_send_now, send_now

CATALOGS = Catalogs()
ACK = ("Thank you. Your report has been received.\nReference: <b>{ref}</b>\n\nIt will be forwarded to {contact}. "
       "Your name and phone number are not shared. You can check it at any time with /status {ref}.")
REPORTS = {
    "en": "I received an SMS saying my bank account is blocked, click the link to verify: bit.ly/verify-acc",
    "ms": "Saya terima panggilan daripada polis palsu, dia suruh saya pindahkan wang ke akaun selamat",
    "id": "Saya ditipu pinjol ilegal, mereka minta uang transfer dulu ke rekening BCA 1234567890",
    "th": "มีคนโทรมาอ้างว่าเป็นเจ้าหน้าที่ธนาคาร ให้โอนเงินเพื่อยืนยันตัวตน",
    "vi": "Có người gọi điện giả danh công an, yêu cầu tôi chuyển khoản 5 triệu đồng",
}


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    async with LocalDeployment(str(tmp_path / "harmline.db")) as deployment:
        yield deployment


@pytest.mark.parametrize("language", sorted(REPORTS))
async def test_a_report_in_each_language_is_acknowledged_in_that_language(local: LocalDeployment,
                                                                          language: str) -> None:
    citizen = local.server.user(6000, "Citizen", language_code=language)
    citizen.send_text(REPORTS[language])
    [ack] = await local.server.wait_for_messages(citizen.id, 1)
    reference = reference_in(ack)
    _ = CATALOGS.gettext(language)
    expected = _(ACK).format(ref=reference, contact="National Scam Response Centre")
    assert ack.text is not None and ack.text.startswith(expected)
    if language != "en":
        assert not ack.text.startswith(ACK.format(ref=reference, contact="National Scam Response Centre"))
    assert ack.plain_text.endswith(_("Where did this happen?"))
    assert _("Send now") in ack.button_texts()
    stored = await local.services.reports.find(reference)
    assert stored is not None and stored.detected_language == language
    assert stored.reply_language == language


async def test_language_choice_changes_every_later_answer(local: LocalDeployment) -> None:
    citizen = local.server.user(6001, "Nok", language_code="en")
    citizen.send_text("/language")
    picker = await local.server.wait_for(lambda m: m.chat_id == citizen.id)
    assert {"English", "Bahasa Melayu", "ไทย", "Tiếng Việt", "Bahasa Indonesia"} <= set(picker.button_texts())
    citizen.press(picker, "v1:lang:th")
    await local.server.wait_for(lambda m: m.message_id == picker.message_id and bool(m.edits))
    citizen.send_text("/help")
    help_text = await local.server.wait_for(lambda m: m.chat_id == citizen.id and "/myreports" in m.plain_text)
    assert help_text.plain_text.startswith("วิธีรายงาน")
    citizen.send_text("scam call from a fake courier, pay customs fee now")
    ack = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > help_text.message_id)
    assert ack.plain_text.startswith("ขอบคุณ")


async def test_cancel_withdraws_the_open_report(local: LocalDeployment) -> None:
    citizen = local.server.user(6002, "Ana", language_code="en")
    citizen.send_text("Sorry, this one is a mistake")
    [ack] = await local.server.wait_for_messages(citizen.id, 1)
    citizen.send_text("/cancel")
    answer = await local.server.wait_for(lambda m: m.chat_id == citizen.id and "withdrawn" in m.plain_text)
    assert reference_in(ack) in answer.plain_text
    citizen.send_text("/status")
    status = await local.server.wait_for(lambda m: m.chat_id == citizen.id and "withdrawn." in m.plain_text)
    assert reference_in(ack) in status.plain_text


async def test_deleteme_erases_the_link_but_the_contact_still_gets_the_report(local: LocalDeployment) -> None:
    citizen = local.server.user(6003, "Budi", language_code="id")
    citizen.send_text("Ada penipuan undian berhadiah, diminta transfer biaya admin ke rekening 1234567890")
    [ack] = await local.server.wait_for_messages(citizen.id, 1)
    citizen.press(ack, send_now(ack))
    await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID)
    # Once both the contact's chat and its webhook have it, the citizen is told where it went.
    notice = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > ack.message_id)
    assert notice.plain_text == CATALOGS.gettext("id")(
        "Report {ref} was forwarded to {contact}. Thank you for reporting.").format(
        ref=reference_in(ack), contact="National Scam Response Centre")
    citizen.send_text("/deleteme")
    confirm = await local.server.wait_for(lambda m: m.chat_id == citizen.id and len(m.button_data()) == 2)
    citizen.press(confirm, "v1:del:yes")
    await local.server.wait_for(lambda m: m.message_id == confirm.message_id and bool(m.edits))
    assert await local.services.reports.reporter(citizen.id) is None
    report = await local.services.reports.find(reference_in(ack))
    assert report is not None and report.reporter_chat_id is None
    citizen.send_text("/myreports")
    answer = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > confirm.message_id
                                         and not m.button_data())
    assert answer.plain_text == CATALOGS.gettext("id")("You have not sent any reports yet.")


async def test_unanswered_questions_close_and_the_report_is_forwarded_whole(tmp_path: Path) -> None:
    async with LocalDeployment(str(tmp_path / "h.db"),
                               intake={"merge_window_seconds": 0.5, "followup_window_seconds": 1.5}) as local:
        citizen = local.server.user(6004, "Lee", language_code="en")
        citizen.send_text("Fake job offer: like TikTok videos for RM50 a task, then pay to unlock commission")
        [ack] = await local.server.wait_for_messages(citizen.id, 1)
        citizen.send_photo(caption="their Telegram group")
        card = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID, timeout=10)
        assert reference_in(ack) in card.plain_text
        assert "their Telegram group" in card.plain_text and "Fake job offer" in card.plain_text
        assert len(local.receiver.received) <= 1
        closed = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id == ack.message_id
                                             and not m.button_data(),
                                             timeout=10)
        assert "complete" in closed.plain_text


@pytest.mark.parametrize("content", [
    {"sticker": {"file_id": "CAACAgIAAxkBAAIsticker", "file_unique_id": "AgADsticker", "width": 512, "height": 512,
                 "is_animated": False, "is_video": False, "type": "regular"}},
    {"dice": {"emoji": "🎲", "value": 4}},
    {"poll": {"id": "9", "question": "Win?", "options": [{"text": "yes", "voter_count": 0, "persistent_id": "1"}],
              "total_voter_count": 0, "is_closed": False, "is_anonymous": True, "type": "regular",
              "allows_multiple_answers": False, "allows_revoting": False, "members_only": False}},
], ids=["sticker", "dice", "poll"])
async def test_a_sticker_dice_or_poll_alone_gets_a_hint_in_the_citizens_language_not_a_report(
        local: LocalDeployment, content: dict[str, object]) -> None:
    citizen = local.server.user(5120, "Lina", language_code="id")
    citizen.send_other(content)
    [hint] = await local.server.wait_for_messages(citizen.id, 1)
    assert hint.plain_text == Catalogs().gettext("id")(
        "Sorry, I cannot take this kind of message. Please send the suspicious message as text, "
        "forward it, or send a screenshot, photo or document.")
    await local.server.wait_idle()
    assert await local.services.reports.of_reporter(citizen.id) == []
    assert [m for m in local.server.sent if m.chat_id == CONTACT_CHAT_ID] == []


async def test_a_citizen_over_the_limit_is_told_once_in_their_language_and_nothing_more_is_forwarded(
        tmp_path: Path) -> None:
    limits = {"merge_window_seconds": 1, "followup_window_seconds": 300, "reports_per_hour": 2}
    async with LocalDeployment(str(tmp_path / "harmline.db"), intake=limits) as local:
        citizen = local.server.user(5130, "Rina", language_code="id")
        for n in range(2):
            reference, ack = await report_and_send_now(
                local, citizen, f"Penipuan nomor {n}: transfer dulu ke rekening 12345678{n}")
            # The "forwarded" notice: the forward is recorded, so the next message is a report of its own.
            await local.server.wait_for(lambda m, r=reference, a=ack: m.chat_id == citizen.id and r in m.plain_text
                                        and m.message_id != a.message_id)
        citizen.send_text("Penipuan ketiga: minta kode OTP")
        told = await local.server.wait_for(lambda m: m.chat_id == citizen.id and "Anda sudah mengirim banyak" in
                                           m.plain_text)
        citizen.send_text("Penipuan keempat: undian palsu")
        await local.server.wait_idle()
        assert [m for m in local.server.messages_to(citizen.id) if "Anda sudah mengirim banyak" in m.plain_text] \
            == [told]  # once, not once per message
        assert len(await local.services.reports.of_reporter(citizen.id)) == 2
        await local.server.wait_idle()
        assert not any("ketiga" in m.plain_text or "keempat" in m.plain_text for m in local.server.sent
                       if m.chat_id == CONTACT_CHAT_ID)
