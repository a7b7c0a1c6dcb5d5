"""Whatever Telegram sends, the bot never crashes: real Update shapes, odd Unicode, empty text."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot, Update

from harmline.demo.environment import LocalDeployment
from harmline.handlers.incoming import has_words

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
FIXTURES = SHARED / "telegram_updates" / "updates_wrapped.jsonl"


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalDeployment]:
    async with LocalDeployment(str(tmp_path / "harmline.db")) as deployment:
        yield deployment


@pytest.mark.skipif(not FIXTURES.exists(), reason="../shared/data is not beside the project")
async def test_every_real_update_shape_is_handled_without_an_error(local: LocalDeployment,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    updates = [json.loads(line)["update"] for line in FIXTURES.read_text(encoding="utf-8").splitlines()]
    # A few hand-written fixtures are not valid Bot API (PTB refuses to parse them, and so would
    # fail the whole getUpdates batch); Telegram never sends those, so they are left out.
    bot = Bot("1:offline")
    valid = []
    for update in updates:
        try:
            Update.de_json(update, bot)
        except (TypeError, KeyError, ValueError):
            continue
        valid.append(update)
    assert len(valid) >= 50
    with caplog.at_level(logging.ERROR):
        for update in valid:
            local.server.push_update(update)
            await local.server.wait_idle(timeout=10)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    assert not any("something went wrong" in m.plain_text for m in local.server.sent)


@pytest.mark.parametrize("text", ["\u200b\u200b", " \u200e\u2060 ", "\u3000"])
async def test_invisible_text_is_not_a_report_and_gets_a_polite_answer(local: LocalDeployment, text: str) -> None:
    citizen = local.server.user(7100, "Zed", language_code="vi")
    citizen.send_text(text)
    answer = await local.server.wait_for(lambda m: m.chat_id == citizen.id)
    assert answer.plain_text.startswith("Xin lỗi")
    assert await local.services.reports.of_reporter(citizen.id) == []


async def test_mixed_scripts_emoji_and_rtl_marks_are_stored_as_written(local: LocalDeployment) -> None:
    text = "🚨 ลงทุน crypto 💰 lợi nhuận 30% \u200f مرحبا 中文 <script>alert(1)</script> & co"
    citizen = local.server.user(7101, "Mix", language_code="en")
    citizen.send_text(text)
    [ack] = await local.server.wait_for_messages(citizen.id, 1)
    stored = await local.services.reports.of_reporter(citizen.id)
    assert len(stored) == 1 and stored[0].reference in ack.plain_text
    full = await local.services.reports.find(stored[0].reference)
    assert full is not None and full.text == text


def test_words_are_recognised_in_every_script() -> None:
    assert all(has_words(t) for t in ("a", "ก", "ល", "ລ", "မ", "த", "中", "🙂"))
    assert not any(has_words(t) for t in ("", "   ", "\u200b", "\n\t"))
