"""The one application error handler: log with context, apologise to the user, never crash."""

from __future__ import annotations

import logging
from typing import TypeGuard

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from harmline.handlers.context import HarmlineContext
from harmline.handlers.language import user_language
from harmline.updates.backoff import retry_seconds

log = logging.getLogger(__name__)
PASSING_FAILURE_WAIT_SECONDS = 5.0


def _passing(error: object) -> TypeGuard[NetworkError | RetryAfter]:
    """Telegram could not be reached or asked us to wait: trying again later can succeed (a
    BadRequest, which python-telegram-bot counts as a NetworkError, cannot)."""
    return isinstance(error, RetryAfter) or (isinstance(error, NetworkError) and not isinstance(error, BadRequest))


async def on_error(update: object, context: HarmlineContext) -> None:
    error = context.error
    if isinstance(error, Forbidden):
        # The citizen blocked the bot: nothing to tell them, and nothing is wrong on our side.
        log.info("user blocked the bot: %s", error.message)
        return
    if isinstance(update, Update) and _passing(error):
        # The citizen's message is stored, but the answer did not go out: handle the update again
        # shortly (it is answered as the first time), rather than leave them without a reference.
        wait = retry_seconds(error) if isinstance(error, RetryAfter) else PASSING_FAILURE_WAIT_SECONDS
        feed = context.services.feed
        if feed is not None and feed.retry_later(update, wait):
            log.warning("update %d: %s; handling it again in %.0f s", update.update_id, error, wait)
            return
    log.error("error while handling update %s", getattr(update, "update_id", "?"), exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None or update.effective_chat.type != "private":
        return
    try:
        _ = context.gettext(await user_language(update, context))
        await context.bot.send_message(update.effective_chat.id, _(
            "Sorry, something went wrong on our side. Please try again in a moment; "
            "anything you already sent is safe."))
    except TelegramError:
        log.warning("could not tell the user about the error", exc_info=True)
