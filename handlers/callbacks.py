"""Answering a button press, and redrawing the message it was on, without letting Telegram's
refusals ("query is too old", "message to edit not found", "message can't be edited", "message
is not modified") stop the work behind it or reach the user as an error."""

from __future__ import annotations

import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden

from harmline.handlers.context import HarmlineContext

log = logging.getLogger(__name__)
ALERT_LIMIT = 200  # characters Telegram shows in a button's answer (MESSAGE_TOO_LONG beyond)

# How Telegram says an edit cannot be made: the message was deleted, is not the bot's, is too old
# or has no text, or the id is wrong. (python-telegram-bot drops "Bad Request: " and capitalises.)
_CANNOT_EDIT = ("message to edit not found", "message can't be edited", "message_id_invalid",
                "message identifier is not specified", "there is no text in the message to edit",
                "there is no caption in the message to edit", "message not found")


async def answer(query: CallbackQuery, text: str | None = None, *, alert: bool = False) -> None:
    """Answer ``query``; a press older than Telegram's answer window (after a restart with a
    backlog) can no longer be answered, and that must not undo the decision already stored."""
    if text is not None and len(text) > ALERT_LIMIT:
        text = text[:ALERT_LIMIT - 1] + "…"
    try:
        await query.answer(text, show_alert=alert)
    except BadRequest as error:
        if "query is too old" not in error.message.lower() and "query id is invalid" not in error.message.lower():
            raise
        log.info("button press %s too old to answer: %s", query.id, error.message)


def not_modified(error: BadRequest) -> bool:
    """The edit asked for what the message already shows (a button pressed twice)."""
    return "not modified" in error.message.lower()


def cannot_edit(error: BadRequest) -> bool:
    """The message is gone or can no longer be edited (deleted, too old, not the bot's)."""
    message = error.message.lower()
    return any(reason in message for reason in _CANNOT_EDIT)


async def edit_or_send(context: HarmlineContext, query: CallbackQuery, text: str, *, parse_mode: str | None = None,
                       reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """Show ``text`` in place of the message the pressed button was on; when that message can no
    longer be edited, send it as a new message to the same chat (the user must see the result).
    An unchanged message is left as it is."""
    message = query.message
    if message is not None:  # by its ids: Telegram may include it only as inaccessible (date 0)
        try:
            await context.bot.edit_message_text(text, chat_id=message.chat.id, message_id=message.message_id,
                                                parse_mode=parse_mode, reply_markup=reply_markup)
            return
        except BadRequest as error:
            if not_modified(error):
                return
            if not cannot_edit(error):
                raise
            log.info("message of button press %s not edited (%s): sending a new one", query.id, error.message)
    # An inaccessible message (deleted, or too old for Telegram to include) still names its chat;
    # an inline message (the bot has none) does not: the presser's private chat.
    chat_id = message.chat.id if message is not None else query.from_user.id
    thread = message.message_thread_id if isinstance(message, Message) and message.is_topic_message else None
    try:
        await context.bot.send_message(chat_id, text, parse_mode=parse_mode, reply_markup=reply_markup,
                                       message_thread_id=thread)
    except (BadRequest, Forbidden) as error:
        log.warning("could not show the result of button press %s in chat %d either: %s", query.id, chat_id,
                    error.message)
