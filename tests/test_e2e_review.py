"""review = "before_forward": nothing reaches the contact until a moderator of the country confirms."""

from __future__ import annotations

import asyncio
from pathlib import Path

from demo.environment import CONTACT_CHAT_ID, LocalDeployment
from tests.test_e2e import reference_in, send_now

MODERATORS_CHAT = -1009000000001


async def test_a_moderator_confirms_and_only_then_the_contact_receives_it(tmp_path: Path) -> None:
    async with LocalDeployment(
        str(tmp_path / "h.db"),
        moderation={"review": "before_forward", "moderators_chat_id": MODERATORS_CHAT},
        moderators=[{"telegram_user_id": 900001, "countries": ["MY"]},
                    {"telegram_user_id": 900002, "countries": ["*"]}],
    ) as local:
        citizen = local.server.user(8001, "Mei", language_code="en")
        citizen.send_text("Phishing SMS: your Maybank2u account is suspended, log in at maybank2u-secure.com")
        [ack] = await local.server.wait_for_messages(citizen.id, 1)
        reference = reference_in(ack)
        citizen.press(ack, send_now(ack))
        done = await local.server.wait_for(lambda m: m.message_id == ack.message_id and not m.button_data())
        assert "moderator will review it" in done.plain_text

        card = await local.server.wait_for(lambda m: m.chat_id == MODERATORS_CHAT)
        # The card is in the language of the country's contact (Malay here).
        assert reference in card.plain_text and card.button_texts() == ["Sahkan & majukan"]
        assert "Penipuan" in card.plain_text
        await asyncio.sleep(0.5)
        assert local.server.messages_to(CONTACT_CHAT_ID) == []
        assert local.receiver.received == []

        # Someone who is not a moderator taps the button (a forged or replayed callback): refused, logged.
        stranger = local.server.user(8002, "Mallory", language_code="en")
        stranger.press(card, card.button_data()[0])
        await local.server.wait_idle()
        assert local.server.callback_answers[-1]["text"] == "Only moderators of this report's country can do this."
        assert local.server.messages_to(CONTACT_CHAT_ID) == []

        moderator = local.server.user(900001, "Mod Aziz", language_code="en")
        moderator.press(card, card.button_data()[0])
        forwarded = await local.server.wait_for(lambda m: m.chat_id == CONTACT_CHAT_ID)
        assert reference in forwarded.plain_text
        decided = await local.server.wait_for(lambda m: m.message_id == card.message_id and not m.button_data())
        assert "Mod Aziz" in decided.plain_text

        # A second, late tap on the old card is refused: the report is already decided.
        late = local.server.user(900002, "Mod Siti", language_code="en")
        late.press(card, "v1:mod:confirm:" + reference, force=True)
        await local.server.wait_idle()
        assert local.server.callback_answers[-1]["text"] == "This report was already decided."
        assert len([m for m in local.server.messages_to(CONTACT_CHAT_ID) if reference in m.plain_text]) == 1
        rows = await local.services.database.fetch_all("SELECT actor, action FROM audit_log ORDER BY id")
        actions = [(row["actor"], row["action"]) for row in rows]
        assert ("telegram:8002", "moderation.refused") in actions
        assert ("telegram:900001", "report.confirmed") in actions
