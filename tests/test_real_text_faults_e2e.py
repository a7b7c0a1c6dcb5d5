"""Issue 12, item 5, end to end: a citizen who writes Khmer while Telegram says "en" is answered
in Khmer, through the real client and the Bot API test server (as tests/test_e2e_citizen.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from harmline.demo.environment import LocalDeployment
from tests.test_e2e import reference_in
from tests.test_e2e_citizen import ACK, CATALOGS

KHMER_REPORT = "មាននរណាម្នាក់ប្រាប់ថាខ្ញុំឈ្នះរង្វាន់ ហើយឱ្យខ្ញុំផ្ទេរប្រាក់ជាមុនសិន"


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    async with LocalDeployment(str(tmp_path / "harmline.db")) as deployment:
        yield deployment


async def test_a_khmer_report_from_an_english_telegram_is_answered_in_khmer(local: LocalDeployment) -> None:
    citizen = local.server.user(6100, "Sokha", language_code="en")
    citizen.send_text(KHMER_REPORT)
    [ack] = await local.server.wait_for_messages(citizen.id, 1)
    reference = reference_in(ack)
    _ = CATALOGS.gettext("km")
    assert ack.text is not None
    assert ack.text.startswith(_(ACK).format(ref=reference, contact="National Scam Response Centre"))
    assert ack.plain_text.endswith(_("Where did this happen?"))
    # The citizen's later commands are answered in the language of their report too.
    citizen.send_text("/status")
    status = await local.server.wait_for(lambda m: m.chat_id == citizen.id and m.message_id > ack.message_id)
    assert status.plain_text.startswith(_("Report <b>{ref}</b> of {date}: {state}.").split("<b>")[0])
