"""A citizen sends or forwards something: store it, then acknowledge it and ask the follow-ups."""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from handlers.context import HarmlineContext
from handlers.incoming import incoming_message
from handlers.keyboards import followup_keyboard, question
from handlers.language import user_language
from reports.intake import IntakeResult, Outcome
from reports.model import Report
from routing import recipients_for

log = logging.getLogger(__name__)


def contact_names(report: Report, context: HarmlineContext) -> str:
    names = [c.name for c in context.settings.contacts_for(report.country)]
    if not names:
        names = [r.name for r in recipients_for(report.country, context.settings)]
    return ", ".join(dict.fromkeys(names))


async def on_report_message(update: Update, context: HarmlineContext) -> None:
    message = update.effective_message
    if message is None:
        return
    incoming = incoming_message(update.update_id, message)
    if incoming is None:
        _ = context.gettext(await user_language(update, context))
        await message.reply_text(_(
            "Sorry, I cannot take this kind of message. Please send the suspicious message as text, "
            "forward it, or send a screenshot, photo or document."))
        return
    result = await context.services.intake.receive(incoming)
    if result.outcome in (Outcome.DUPLICATE, Outcome.ALBUM) or result.report is None:
        return
    _ = context.gettext(result.language)
    report = result.report
    truncated = len(incoming.text) > context.settings.intake.max_text_length
    if result.outcome is Outcome.CREATED:
        text = _("Thank you. Your report has been received.\nReference: <b>{ref}</b>\n\n"
                 "It will be forwarded to {contact}. Your name and phone number are not shared. "
                 "You can check it at any time with /status {ref}.").format(
            ref=report.reference, contact=escape(contact_names(report, context)))
        if truncated:
            text += "\n\n" + _("Your message was very long: only the beginning was kept.")
        await message.reply_html(text)
        await ask_followup(context, report, result.language)
    elif result.outcome is Outcome.ADDED:
        await message.reply_html(_("Added to your report <b>{ref}</b>.").format(ref=report.reference))
    elif result.outcome is Outcome.ANSWERED:
        await show_next(context, result)


async def ask_followup(context: HarmlineContext, report: Report, language: str) -> None:
    """Send the current follow-up question as a new message (and remember it, to edit it later)."""
    if report.followup_step is None or report.reporter_chat_id is None:
        return
    _ = context.gettext(language)
    sent = await context.bot.send_message(
        report.reporter_chat_id,
        escape(question(report.followup_step, _)),
        parse_mode=ParseMode.HTML,
        reply_markup=followup_keyboard(report.reference, report.followup_step, context.settings.countries,
                                       language, _),
    )
    await context.services.intake.set_followup_message(report, sent.message_id)


async def show_next(context: HarmlineContext, result: IntakeResult, *, edit_message_id: int | None = None) -> None:
    """After an answer: the next question, or the closing message once the report is complete."""
    report = result.report
    if report is None or report.reporter_chat_id is None:
        return
    _ = context.gettext(result.language)
    chat_id = report.reporter_chat_id
    if report.followup_step is None:
        text = escape(_("Thank you. Report {ref} is complete and is being forwarded to {contact}.").format(
            ref=report.reference, contact=contact_names(report, context)))
        if context.settings.review == "before_forward":
            text = escape(_("Thank you. Report {ref} is complete. A moderator will review it before it is "
                            "forwarded to {contact}.").format(ref=report.reference,
                                                              contact=contact_names(report, context)))
        await _edit_or_send(context, chat_id, edit_message_id or report.followup_message_id, text)
        return
    markup = followup_keyboard(report.reference, report.followup_step, context.settings.countries,
                               result.language, _)
    text = escape(question(report.followup_step, _))
    if edit_message_id is not None:
        # One question message, edited in place: old buttons never linger under a newer question.
        await context.bot.edit_message_text(text, chat_id, edit_message_id, parse_mode=ParseMode.HTML,
                                            reply_markup=markup)
        return
    await ask_followup(context, report, result.language)


async def _edit_or_send(context: HarmlineContext, chat_id: int, message_id: int | None, text: str) -> None:
    if message_id is not None:
        try:
            await context.bot.edit_message_text(text, chat_id, message_id, parse_mode=ParseMode.HTML)
            return
        except BadRequest as error:  # the question was deleted or is too old to edit
            log.info("could not edit follow-up message: %s", error.message)
    await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
