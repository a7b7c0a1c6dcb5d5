"""The citizen's commands: /start /help /privacy /status /myreports /cancel /deleteme."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from harmline.handlers import callback_data
from harmline.handlers.callbacks import answer, edit_or_send
from harmline.handlers.context import HarmlineContext
from harmline.handlers.language import user_language
from harmline.i18n import Gettext
from harmline.reports.labels import CATEGORY_LABELS
from harmline.reports.model import Delivery, Report, ReportStatus
from harmline.reports.purpose import FORWARD
from harmline.reports.reference import normalise_reference
from harmline.repositories.moderation import AuditEntry


def _contacts_line(context: HarmlineContext) -> str:
    return ", ".join(dict.fromkeys(c.name for c in context.settings.contacts)) or "—"


async def on_start(update: Update, context: HarmlineContext) -> None:
    if update.effective_message is None:
        return
    _ = context.gettext(await user_language(update, context))
    await update.effective_message.reply_html(
        _("<b>Welcome to harmline.</b>\n\nIf someone tried to scam you, or you saw illegal online gambling or "
          "fraudulent content, just send or forward the message here, with screenshots if you have them. "
          "You will get a reference number.") + "\n\n" + _privacy_text(_, context)
        + "\n\n" + _("Change the language with /language. /help lists everything I can do."))
    if update.effective_user is not None:
        await context.services.intake.notice_shown(update.effective_user.id)


def _privacy_text(_: Gettext, context: HarmlineContext) -> str:
    return _("<b>Your privacy:</b> what you send (messages, screenshots, your answers) is forwarded to "
             "{contacts}. Your name, username, phone number and Telegram account are never forwarded. "
             "/deleteme erases your personal data at any time.").format(contacts=escape(_contacts_line(context)))


async def on_help(update: Update, context: HarmlineContext) -> None:
    if update.effective_message is None:
        return
    _ = context.gettext(await user_language(update, context))
    await update.effective_message.reply_html(_(
        "<b>How to report:</b> send or forward the suspicious message here, with screenshots if you have "
        "them. Several messages sent together become one report.\n\n"
        "/status REF — where your report is\n"
        "/myreports — your reports\n"
        "/cancel — withdraw a report that has not been sent yet\n"
        "/language — change the language\n"
        "/privacy — what is shared, and with whom\n"
        "/deleteme — erase your personal data") + "\n" + _("/check NUMBER — has it been reported before?"))


async def on_privacy(update: Update, context: HarmlineContext) -> None:
    """/privacy, and the "Privacy" button under a first acknowledgement."""
    if update.effective_message is None:
        return
    _ = context.gettext(await user_language(update, context))
    period = context.settings.retention.default
    await update.effective_message.reply_html(
        _privacy_text(_, context) + "\n\n" + _(
            "We keep your Telegram account number only to answer you and show you your reports. "
            "Reports stay after /deleteme, without any link to you, because they help protect others.")
        + "\n\n" + escape(_("Reports are kept whole for {keep} days. After that only the numbers, links and "
                             "figures stay, without your words or files; after {delete} days nothing stays.").format(
            keep=period.deidentify_after_days, delete=period.delete_after_days)))
    if update.effective_user is not None:
        await context.services.intake.notice_shown(update.effective_user.id)


def _state(report: Report, deliveries: list[Delivery], _: Gettext) -> str:
    """Where the report is, in the citizen's words: their own reports, described without blame."""
    status = report.status
    if status is ReportStatus.CANCELLED:
        return _("withdrawn")
    if report.keep_on_file and status is not ReportStatus.NEEDS_INFO:
        return _("kept on file only, as you chose: not forwarded")
    if status is ReportStatus.COLLECTING:
        return _("received; it will be forwarded when you finish the questions or press Send now")
    if status is ReportStatus.NEEDS_INFO:
        return _("our team asked you a question; just reply in this chat")
    if status is ReportStatus.REJECTED:
        return _("reviewed by our team: no action is needed for now")
    if status is ReportStatus.MERGED:
        return _("handled together with report {ref}, about the same case").format(ref=report.merged_into)
    forwards = [d for d in deliveries if d.purpose == FORWARD]
    sent = [d.contact_name for d in forwards if d.state == "delivered"]
    confirmed = _("confirmed by our team") + "; " if status is ReportStatus.CONFIRMED else ""
    if sent and len(sent) == len(forwards):
        return confirmed + _("forwarded to {contact}").format(contact=", ".join(dict.fromkeys(sent)))
    if forwards:
        return confirmed + _("being forwarded")
    return _("waiting for review by our team")


def _timeline(report: Report, entries: list[AuditEntry], _: Gettext) -> list[str]:
    """What happened to the report, when (the citizen's view of the audit trail: no names)."""
    lines = [f"{report.created_at:%Y-%m-%d %H:%M} UTC — " + _("received")]
    for entry in entries:
        what = {
            ReportStatus.IN_REVIEW.value: _("being reviewed by our team"),
            ReportStatus.NEEDS_INFO.value: _("our team asked you a question"),
            ReportStatus.CONFIRMED.value: _("confirmed by our team"),
            ReportStatus.REJECTED.value: _("reviewed: no action needed for now"),
            ReportStatus.MERGED.value: _("joined to a report about the same case"),
            ReportStatus.CANCELLED.value: _("withdrawn"),
        }.get(entry.to_status or "")
        if what and entry.to_status != entry.from_status:
            lines.append(f"{entry.at:%Y-%m-%d %H:%M} UTC — {what}")
    return lines


async def on_status(update: Update, context: HarmlineContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    _ = context.gettext(await user_language(update, context))
    reports = context.services.reports
    if context.args:
        reference = normalise_reference("".join(context.args))
        found = await reports.find(reference) if reference else None
        # A citizen's reports are those filed from their private chat (chat id = user id).
        if found is None or found.reporter_chat_id != user.id:
            # Same answer whether the reference does not exist or is someone else's.
            await message.reply_text(_("No report {ref} was found among your reports.").format(
                ref=" ".join(context.args)[:20]))
            return
        report = found
    else:
        latest = await reports.of_reporter(user.id, limit=1)
        if not latest:
            await message.reply_text(_("You have not sent any reports yet."))
            return
        report = latest[0]
    deliveries = await context.services.outbox.for_report(report.id)
    history = _timeline(report, await context.services.moderation.store.history(report.id), _)
    await message.reply_html(
        _("Report <b>{ref}</b> of {date}: {state}.").format(
            ref=report.reference, date=f"{report.created_at:%Y-%m-%d}",
            state=escape(_state(report, deliveries, _)))
        + "\n" + escape(_("Category: {category}").format(category=_(CATEGORY_LABELS[report.category])))
        + "\n\n" + "\n".join(escape(line) for line in history))


async def on_myreports(update: Update, context: HarmlineContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    _ = context.gettext(await user_language(update, context))
    own = await context.services.reports.of_reporter(user.id, limit=20)
    if not own:
        await message.reply_text(_("You have not sent any reports yet."))
        return
    lines = [_("Your reports:")]
    for report in own:
        deliveries = await context.services.outbox.for_report(report.id)
        lines.append(f"• <b>{report.reference}</b> — {report.created_at:%Y-%m-%d} — "
                     f"{escape(_state(report, deliveries, _))}")
    await message.reply_html("\n".join(lines))


async def on_cancel(update: Update, context: HarmlineContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    _ = context.gettext(await user_language(update, context))
    report = await context.services.intake.cancel(user.id)
    if report is None:
        await message.reply_text(_("There is no open report to withdraw. A report that was already "
                                   "forwarded cannot be withdrawn; /status shows where it is."))
        return
    await message.reply_html(_("Report <b>{ref}</b> was withdrawn and will not be forwarded.").format(
        ref=report.reference))


async def on_deleteme(update: Update, context: HarmlineContext) -> None:
    if update.effective_message is None:
        return
    _ = context.gettext(await user_language(update, context))
    keyboard = InlineKeyboardMarkup([[
        InlineKeyboardButton(_("Yes, erase my data"), callback_data=callback_data.confirm_erase(True)),
        InlineKeyboardButton(_("No, keep it"), callback_data=callback_data.confirm_erase(False)),
    ]])
    await update.effective_message.reply_text(
        _("This erases your personal data: your language choice, the link between you and your reports, and "
          "the words, screenshots and files you sent. The numbers and links you reported stay, without any link "
          "to you, because they help protect others. You will no longer see your reports in /myreports. "
          "Continue?"), reply_markup=keyboard)


async def on_erase_confirmed(update: Update, context: HarmlineContext, action: callback_data.ConfirmErase) -> None:
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    _ = context.gettext(await user_language(update, context))
    await answer(query)
    if not action.confirmed:
        await edit_or_send(context, query, _("Nothing was erased."))
        return
    kept = await context.services.intake.erase_reporter(user.id)
    await edit_or_send(context, query, _("Your personal data was erased. {count} report(s) stay, without any "
                                         "link to you.").format(count=kept))


async def on_unknown_command(update: Update, context: HarmlineContext) -> None:
    if update.effective_message is None:
        return
    _ = context.gettext(await user_language(update, context))
    await update.effective_message.reply_text(_("Sorry, I do not know that command. /help lists what I can do."))
