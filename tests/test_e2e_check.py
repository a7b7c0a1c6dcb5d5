"""/check and repeat counts: what citizens and contacts learn of numbers reported before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from harmline.demo.environment import CONTACT_CHAT_ID, LocalDeployment
from tests.test_e2e import report_and_send_now


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    def with_hotline(document: dict[str, object]) -> dict[str, object]:
        contacts = document["contacts"]
        assert isinstance(contacts, list)
        contacts[0]["hotline"] = "997"
        return document

    async with LocalDeployment(str(tmp_path / "harmline.db"), config=with_hotline) as deployment:
        yield deployment


async def test_a_number_reported_by_others_is_counted_without_revealing_them(local: LocalDeployment) -> None:
    first = local.server.user(8101, "Wani", language_code="en")
    second = local.server.user(8102, "Hafiz", language_code="en")
    await report_and_send_now(local, first, "Scam call from 012-345 6789 pretending to be from the bank")
    await report_and_send_now(local, second, "Fake loan agent, WhatsApp 012-3456789, asked for a fee")
    cards = [await local.server.wait_for(lambda m, n=n: m.chat_id == CONTACT_CHAT_ID
                                         and len(local.server.messages_to(CONTACT_CHAT_ID)) >= n, timeout=10)
             for n in (1, 2)]
    # The second contact card says the number was seen before (in the contact's language, Malay).
    second_card = local.server.messages_to(CONTACT_CHAT_ID)[-1].plain_text
    assert "+60123456789" in second_card and "2" in second_card.split("+60123456789", 1)[1].splitlines()[0]
    assert cards

    asker = local.server.user(8103, "Lim", language_code="en")
    asker.send_text("/check 012 345 6789")
    answer = await local.server.wait_for(lambda m: m.chat_id == asker.id)
    text = answer.plain_text
    assert "+60123456789" in text
    assert "Reported 2 times since" in text and "most often as: Scam" in text
    assert "call 997" in text
    assert "Wani" not in text and "Hafiz" not in text and "bank" not in text.split("Reported")[0]


async def test_no_reports_is_never_called_safe_and_one_report_is_not_called_a_scam(local: LocalDeployment) -> None:
    reporter = local.server.user(8104, "Tan", language_code="en")
    await report_and_send_now(local, reporter, "Someone called from 03-2345 6789 asking for my OTP")
    asker = local.server.user(8105, "Ravi", language_code="en")
    asker.send_text("/check 011-1111 2222")
    unknown = await local.server.wait_for(lambda m: m.chat_id == asker.id)
    assert "No reports of this yet. That does not mean it is safe" in unknown.plain_text
    asker.send_text("/check +60 3-2345 6789")
    once = await local.server.wait_for(lambda m: m.chat_id == asker.id and m.message_id > unknown.message_id)
    assert "Reported once" in once.plain_text and "does not prove a scam" in once.plain_text
    asker.send_text("/check")
    usage = await local.server.wait_for(lambda m: m.chat_id == asker.id and m.message_id > once.message_id)
    assert usage.plain_text.startswith("Send /check followed by")


async def test_check_it_under_a_forwarded_message_answers_for_its_numbers(local: LocalDeployment) -> None:
    earlier = local.server.user(8106, "Siti", language_code="en")
    await report_and_send_now(local, earlier, "Job scam: pay RM100 to unlock tasks, contact 017-555 0123")
    citizen = local.server.user(8107, "Aziz", language_code="en")
    citizen.forward_text("Earn RM300 a day liking videos! WhatsApp 017-555 0123 now",
                         origin={"type": "hidden_user", "date": 1764000000, "sender_user_name": "HR Team"})
    [ack] = await local.server.wait_for_messages(citizen.id, 1)
    assert "🔍 Check it" in ack.button_texts()
    citizen.press(ack, next(data for data in ack.button_data() if data.startswith("v1:chk:")))
    answer = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > ack.message_id)
    # Two reports now hold the number: the earlier one and this one.
    assert "+60175550123" in answer.plain_text and "Reported 2 times" in answer.plain_text
    assert "Siti" not in answer.plain_text and "unlock tasks" not in answer.plain_text
