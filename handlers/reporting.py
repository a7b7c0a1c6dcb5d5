"""A citizen sends or forwards something: store it, then acknowledge it and ask the follow-ups."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from harmline.handlers import callback_data
from harmline.handlers.context import HarmlineContext
from harmline.handlers.incoming import incoming_message
from harmline.handlers.keyboards import followup_keyboard, question
from harmline.handlers.language import user_language
from harmline.reports.model import Report
from harmline.routing import recipients_for
from harmline.services.intake import IntakeResult, Outcome

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
    # An update replayed after a crash is answered as the first time (its reply may not have gone).
    outcome = result.first if result.outcome is Outcome.DUPLICATE else result.outcome
    if outcome is Outcome.LIMITED:
        _ = context.gettext(result.language)
        await message.reply_text(_("You have sent a lot in a short time. Please wait a while before sending more; "
                                   "what you sent before is safe with us."))
        return
    if outcome is Outcome.BLOCKED:
        _ = context.gettext(result.language)
        await message.reply_text(_("Sorry, this service no longer accepts reports from your account. You can still "
                                   "erase your data with /deleteme."))
        return
    if outcome in (None, Outcome.ALBUM, Outcome.LIMITED_AGAIN, Outcome.BLOCKED_AGAIN) or result.report is None:
        return
    _ = context.gettext(result.language)
    report = result.report
    if outcome is Outcome.CREATED and report.followup_message_id is not None:
        # Replayed, and the acknowledgement was sent: bring it up to date rather than send another.
        await edit_followup(context, report, result.language)
    elif outcome is Outcome.CREATED:
        # One message: the acknowledgement with the reference, and under it the first question.
        # It is edited in place as questions are answered, so the reference always stays in view.
        text = followup_text(report, context, result.language, notice=result.first_notice)
        if len(incoming.text) > context.settings.intake.max_text_length:
            text += "\n\n" + escape(_("Your message was very long: only the beginning was kept."))
        markup = _keyboard(report, context, result.language)
        if result.first_notice:  # never told who receives reports (no /start): the notice a tap away
            privacy = [InlineKeyboardButton("🔒 " + _("Privacy"), callback_data=callback_data.show_privacy())]
            markup = InlineKeyboardMarkup([*(markup.inline_keyboard if markup else ()), privacy])
        sent = await message.reply_html(text, reply_markup=markup)
        await context.services.intake.set_followup_message(report, sent.message_id)
    elif outcome is Outcome.ADDED:
        await message.reply_html(_("Added to your report <b>{ref}</b>.").format(ref=report.reference))
    elif outcome is Outcome.ANSWERED:
        await show_next(context, result)
    elif outcome is Outcome.INFO_ADDED:
        await message.reply_html(_("Thank you. Your answer was added to report <b>{ref}</b>; our team will look "
                                   "at it.").format(ref=report.reference))


def acknowledgement(report: Report, context: HarmlineContext, language: str) -> str:
    _ = context.gettext(language)
    if report.keep_on_file:
        return _("Thank you. Your report has been received.\nReference: <b>{ref}</b>\n\n"
                 "It is kept on file only and is not forwarded to {contact}. Your name and phone number are not "
                 "shared. You can check it at any time with /status {ref}.").format(
            ref=report.reference, contact=escape(contact_names(report, context)))
    return _("Thank you. Your report has been received.\nReference: <b>{ref}</b>\n\n"
             "It will be forwarded to {contact}. Your name and phone number are not shared. "
             "You can check it at any time with /status {ref}.").format(
        ref=report.reference, contact=escape(contact_names(report, context)))


def followup_text(report: Report, context: HarmlineContext, language: str, *, notice: bool = False) -> str:
    """The acknowledgement, then the open question or, once complete, what happens now. With
    ``notice`` (a citizen never told who receives reports) one line on it between them."""
    _ = context.gettext(language)
    privacy = ("\n\n" + escape(_("Who receives your report, what is kept and for how long: tap Privacy."))
               if notice else "")
    if report.followup_step is not None:
        below = question(report.followup_step, _)
    elif report.keep_on_file:
        below = _("Thank you. Report {ref} is complete and is kept on file only: it was not forwarded.").format(
            ref=report.reference)
    elif context.settings.review == "before_forward":
        below = _("Thank you. Report {ref} is complete. A moderator will review it before it is "
                  "forwarded to {contact}.").format(ref=report.reference, contact=contact_names(report, context))
    else:
        below = _("Thank you. Report {ref} is complete and is being forwarded to {contact}.").format(
            ref=report.reference, contact=contact_names(report, context))
    return acknowledgement(report, context, language) + privacy + "\n\n<b>" + escape(below) + "</b>"


def _keyboard(report: Report, context: HarmlineContext, language: str) -> InlineKeyboardMarkup | None:
    if report.followup_step is None:
        return None
    _ = context.gettext(language)
    keyboard = followup_keyboard(report.reference, report.followup_step, context.settings.countries, language, _)
    rows: list[Sequence[InlineKeyboardButton]] = list(keyboard.inline_keyboard)
    if report.indicators:
        # A forwarded message with a number or link in it: one tap tells how often others reported them.
        rows.append([InlineKeyboardButton("🔍 " + _("Check it"),
                                          callback_data=callback_data.check_report(report.reference))])
    if context.settings.consent != "none":  # the citizen decides whether it leaves harmline
        label = ("📤 " + _("Forward it to {contact}").format(contact=contact_names(report, context))
                 if report.keep_on_file else "🗄 " + _("Keep on file only, do not forward"))
        rows.append([InlineKeyboardButton(label, callback_data=callback_data.choose_forwarding(
            report.reference, report.keep_on_file))])
    return InlineKeyboardMarkup(rows)


async def show_next(context: HarmlineContext, result: IntakeResult) -> None:
    """After an answer: the next question, or the closing words once the report is complete."""
    report = result.report
    if report is None or report.reporter_chat_id is None:
        return
    await edit_followup(context, report, result.language)


async def edit_followup(context: HarmlineContext, report: Report, language: str) -> None:
    """Bring the report's question message up to date (a new message if it cannot be edited)."""
    if report.reporter_chat_id is None:
        return
    text, markup = followup_text(report, context, language), _keyboard(report, context, language)
    if report.followup_message_id is not None:
        try:
            await context.bot.edit_message_text(text, report.reporter_chat_id, report.followup_message_id,
                                                parse_mode=ParseMode.HTML, reply_markup=markup)
            return
        except BadRequest as error:  # deleted by the citizen, or too old to edit
            if "not modified" in error.message.lower():  # already shows this (an update replayed)
                return
            log.info("could not edit the questions of %s: %s", report.reference, error.message)
    sent = await context.bot.send_message(report.reporter_chat_id, text, parse_mode=ParseMode.HTML,
                                          reply_markup=markup)
    await context.services.intake.set_followup_message(report, sent.message_id)
