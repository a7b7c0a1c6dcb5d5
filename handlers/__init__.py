"""Telegram adapters: parse the update, call the domain or storage, render the reply."""

from __future__ import annotations

from datetime import UTC

from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from harmline.handlers import citizen, jobs, moderator_commands
from harmline.handlers.buttons import on_button
from harmline.handlers.check import on_check
from harmline.handlers.context import HarmlineApplication
from harmline.handlers.errors import on_error
from harmline.handlers.language import on_language_command
from harmline.handlers.reporting import on_report_message

CLOSE_EXPIRED_EVERY_SECONDS = 5.0
# How often the outbox and inbox gauges of /metrics are read from the database.
METRICS_REFRESH_SECONDS = 15.0


def register_handlers(application: HarmlineApplication) -> None:
    """All handlers, in the order they are tried. Citizens are served in private chats only;
    moderators in private and in their groups; contacts' groups only receive what the bot sends."""
    private = filters.ChatType.PRIVATE
    services = application.bot_data.services
    moderator_groups = [chat.chat_id for chat in services.settings.moderator_chats] if services else []
    moderators_chats = private | filters.Chat(chat_id=moderator_groups) if moderator_groups else private

    # Group 0, first match wins.
    # 1. Commands, before the catch-all message handler, so "/status" is never filed as a report.
    for name, callback in (
        ("start", citizen.on_start),
        ("help", citizen.on_help),
        ("privacy", citizen.on_privacy),
        ("status", citizen.on_status),
        ("myreports", citizen.on_myreports),
        ("cancel", citizen.on_cancel),
        ("deleteme", citizen.on_deleteme),
        ("language", on_language_command),
        ("check", on_check),
    ):
        application.add_handler(CommandHandler(name, callback, filters=private))
    # 1b. Moderators' commands, also in their groups; each passes the one gate
    #     (moderator_commands.moderators_only): non-moderators get a polite refusal there.
    for name, command in (
        ("queue", moderator_commands.on_queue),
        ("report", moderator_commands.on_report),
        ("find", moderator_commands.on_find),
        ("stats", moderator_commands.on_stats),
        ("merge", moderator_commands.on_merge),
        ("duty", moderator_commands.on_duty),
        ("block", moderator_commands.on_block),
        ("unblock", moderator_commands.on_unblock),
        ("mod", moderator_commands.on_mod),
        ("summary", moderator_commands.on_summary),
    ):
        application.add_handler(CommandHandler(name, command, filters=moderators_chats))
    # 2. Inline buttons: one handler, dispatching on the parsed, versioned callback data.
    application.add_handler(CallbackQueryHandler(on_button))
    # 3. Everything else a citizen sends in private is report material (or an answer to a question).
    #    Unknown commands and edits are left out; unsupported content gets a polite answer inside.
    application.add_handler(MessageHandler(
        private & ~filters.COMMAND & ~filters.UpdateType.EDITED & ~filters.StatusUpdate.ALL,
        on_report_message))
    # 4. A command we do not know: say so, rather than filing "/stauts" as a report.
    application.add_handler(MessageHandler(private & filters.COMMAND, citizen.on_unknown_command))

    application.add_error_handler(on_error)

    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("python-telegram-bot's job queue is missing: install python-telegram-bot[job-queue]")
    job_queue.run_repeating(jobs.close_expired_reports, interval=CLOSE_EXPIRED_EVERY_SECONDS, first=1.0,
                            name="close-expired-reports")
    job_queue.run_repeating(jobs.forget_old_updates, interval=3600, first=60, name="forget-old-updates")
    job_queue.run_repeating(jobs.queue_due_summaries, interval=60, first=1.0, name="weekly-summaries")
    # Daily at [retention] time (UTC); idempotent, so a run missed while the bot was down is
    # made up by the next one.
    if services is not None:
        job_queue.run_daily(jobs.apply_retention, time=services.settings.retention.at.replace(tzinfo=UTC),
                            name="retention")
    job_queue.run_repeating(jobs.refresh_metrics, interval=METRICS_REFRESH_SECONDS, first=0.5, name="metrics")
