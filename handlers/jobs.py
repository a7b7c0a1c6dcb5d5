"""Repeating jobs (python-telegram-bot's JobQueue): close follow-up windows, forget old update ids,
queue the weekly summaries that are due, apply the retention periods."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from telegram.error import Forbidden

from harmline.handlers.context import HarmlineContext, Services
from harmline.handlers.reporting import edit_followup

log = logging.getLogger(__name__)
# Telegram redelivers an unacknowledged update for at most a day; keep ids a week to be safe.
UPDATE_MEMORY = timedelta(days=7)


async def close_expired_reports(context: HarmlineContext) -> None:
    """Reports whose questions were left open are complete now: tell the citizen, drop the buttons."""
    for report in await context.services.intake.close_expired():
        try:
            await edit_followup(context, report, report.reply_language)
        except Forbidden as error:  # the citizen blocked the bot; the report goes ahead regardless
            log.info("could not close the questions of %s: %s", report.reference, error.message)


async def forget_old_updates(context: HarmlineContext) -> None:
    """Update ids are remembered (inbox, what each did) only while Telegram could send them again."""
    before = datetime.now(UTC) - UPDATE_MEMORY
    removed = await context.services.reports.forget_updates_before(before)
    removed += await context.services.inbox.forget_before(before)
    if removed:
        log.info("forgot %d processed update ids older than %s", removed, UPDATE_MEMORY)


async def apply_retention(context: HarmlineContext) -> None:
    """Daily: reports past their period are de-identified, then deleted ([retention])."""
    for done in await context.services.retention.run():
        log.info("retention %s: %d report(s) de-identified, %d deleted", done.country, done.deidentified,
                 done.deleted)


async def refresh_metrics(context: HarmlineContext) -> None:
    """The outbox and inbox gauges, read from the database here rather than at each scrape."""
    await read_gauges(context.services)


async def read_gauges(services: Services) -> None:
    if services.metrics is not None:
        services.metrics.refresh(await services.outbox.counts(), await services.outbox.oldest_pending(),
                                 await services.inbox.oldest_pending(), datetime.now(UTC))


async def queue_due_summaries(context: HarmlineContext) -> None:
    """Every minute (and at start-up, which is how a summary missed while the bot was down goes out)."""
    await context.services.summaries.queue_due()
