"""Repeating jobs (python-telegram-bot's JobQueue): close follow-up windows, forget old update ids."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from html import escape

from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from handlers.context import HarmlineContext
from handlers.reporting import contact_names

log = logging.getLogger(__name__)
# Telegram redelivers an unacknowledged update for at most a day; keep ids a week to be safe.
UPDATE_MEMORY = timedelta(days=7)


async def close_expired_reports(context: HarmlineContext) -> None:
    """Reports whose questions were left open are complete now: tell the citizen, drop the buttons."""
    for report in await context.services.intake.close_expired():
        if report.reporter_chat_id is None or report.followup_message_id is None:
            continue
        _ = context.gettext(report.reply_language)
        text = escape(_("Thank you. Report {ref} is complete and is being forwarded to {contact}.").format(
            ref=report.reference, contact=contact_names(report, context)))
        try:
            await context.bot.edit_message_text(text, report.reporter_chat_id, report.followup_message_id,
                                                parse_mode=ParseMode.HTML)
        except (BadRequest, Forbidden) as error:
            log.info("could not close the questions of %s: %s", report.reference, error.message)


async def forget_old_updates(context: HarmlineContext) -> None:
    removed = await context.services.reports.forget_updates_before(datetime.now(UTC) - UPDATE_MEMORY)
    if removed:
        log.info("forgot %d processed update ids older than %s", removed, UPDATE_MEMORY)
