"""The one application error handler: log with context, apologise to the user, never crash."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from handlers.context import HarmlineContext
from handlers.language import user_language

log = logging.getLogger(__name__)


async def on_error(update: object, context: HarmlineContext) -> None:
    error = context.error
    if isinstance(error, Forbidden):
        # The citizen blocked the bot: nothing to tell them, and nothing is wrong on our side.
        log.info("user blocked the bot: %s", error.message)
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
