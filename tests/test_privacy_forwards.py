"""No identity through forwards (issue 15): a message the reporter forwards from their own chat
names them, and their name and username must leave the bot nowhere — not in the contact's
forward, the moderators' card, the webhook, nor the database — while a scammer's name, forwarded
the same way, stays as evidence."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from harmline.demo.botapi_server import FakeUser
from harmline.demo.environment import CONTACT_CHAT_ID, LocalDeployment
from tests.backends import read_directly
from tests.test_e2e import reference_in, send_now

MODERATORS_GROUP = -1009000000077
PLANTED = ("Siti", "Rahmah", "siti_r")  # the reporter's first name, last name and username


def _config(document: dict[str, Any]) -> dict[str, Any]:
    return {**document, "moderation": {"review": "none", "chats": [{"chat_id": MODERATORS_GROUP}]},
            "moderators": [{"telegram_user_id": 900001, "countries": ["MY"]}]}


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    async with LocalDeployment(str(tmp_path / "harmline.db"), config=_config) as deployment:
        yield deployment


async def _report(local: LocalDeployment, citizen: FakeUser, text: str, origin: dict[str, Any]) -> str:
    before = len(local.server.messages_to(citizen.id))
    citizen.forward_text(text, origin=origin)
    ack = (await local.server.wait_for_messages(citizen.id, before + 1))[-1]
    citizen.press(ack, send_now(ack))
    reference = reference_in(ack)
    # The citizen's "forwarded" notice: the forward is recorded, so the next message is a report of its own.
    await local.server.wait_for(lambda m: m.chat_id == citizen.id and reference in m.plain_text
                                and m.message_id != ack.message_id)
    return reference


async def test_a_self_forward_names_the_reporter_nowhere(local: LocalDeployment, tmp_path: Path) -> None:
    siti = local.server.user(5090, "Siti", last_name="Rahmah", username="siti_r", language_code="en")
    own = await _report(local, siti, "I sent them RM500 for a parcel that never came, acct 7012345678",
                        FakeUser.origin_user(5090, "Siti", last_name="Rahmah", username="siti_r"))
    hidden = await _report(local, siti, "They now ask for a 'release fee' before refunding me",
                           FakeUser.origin_hidden_user("Siti Rahmah"))
    scammer = await _report(local, siti, "Your parcel is held, pay RM50 customs fee at the link",
                            FakeUser.origin_user(7777, "Pos Laju", last_name="Support", username="poslaju_help"))
    hooks = await local.receiver.wait_for(3, timeout=15)
    await local.server.wait_for(lambda m: m.chat_id == MODERATORS_GROUP and scammer in m.plain_text)

    # Everything the bot sent anyone but the citizen, every webhook, and what is stored.
    outputs = [m.plain_text for m in local.server.sent if m.chat_id != siti.id]
    outputs += [json.dumps(hook.body, ensure_ascii=False) for hook in hooks]
    reader = read_directly(tmp_path / "harmline.db")
    try:
        stored = [str(row) for row in reader.execute(
            "SELECT origin_type, origin_name, text FROM report_messages").fetchall()]
    finally:
        reader.close()
    for text in outputs + stored:
        for planted in PLANTED:
            assert planted not in text, (planted, text[:300])

    cards = {ref: next(m.plain_text for m in local.server.sent if m.chat_id == CONTACT_CHAT_ID
                       and ref in m.plain_text) for ref in (own, hidden, scammer)}
    # Said as what it is, in the contact's language (Malay), with no name.
    assert "pelapor, dari sembangnya sendiri" in cards[own]
    assert "pelapor, dari sembangnya sendiri" in cards[hidden]
    # A scammer's name forwarded the same way is evidence, and stays.
    assert "Pos Laju Support (@poslaju_help)" in cards[scammer]
    origins = {hook.body["reference"]: hook.body["messages"][0]["forwarded_from"] for hook in hooks}
    assert origins[own]["type"] == origins[hidden]["type"] == "self"
    assert origins[own]["name"] is None and origins[hidden]["name"] is None
    assert origins[scammer]["name"] == "Pos Laju Support (@poslaju_help)"
