"""Answering a button press without letting a late answer stop the work behind it."""

from __future__ import annotations

import logging

from telegram import CallbackQuery
from telegram.error import BadRequest

log = logging.getLogger(__name__)


async def answer(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    """Answer ``query``; a press older than Telegram's answer window (after a restart with a
    backlog) can no longer be answered, and that must not undo the decision already stored."""
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:
        if "query is too old" not in error.message.lower() and "query id is invalid" not in error.message.lower():
            raise
        log.info("button press %s too old to answer: %s", query.id, error.message)
