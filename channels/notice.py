"""Short messages to a citizen about their report, in their language. The wording never
blames the person who reported: being targeted is not their fault, and reporting was right."""

from __future__ import annotations

from html import escape

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from harmline.channels.telegram_errors import delivery_failure
from harmline.delivery.channel import Attempt, DeliveryFailed
from harmline.i18n import Catalogs, Gettext
from harmline.reports.labels import QUESTIONS
from harmline.reports.model import Delivery, Report, ReportStatus
from harmline.reports.purpose import Notice
from harmline.services import notices
from harmline.settings.model import Settings


def notice_text(event: str, report: Report, contacts: str, _: Gettext) -> str:
    """The notice of ``event`` (HTML)."""
    ref = f"<b>{report.reference}</b>"
    if event == notices.CONFIRMED:
        return _("Report {ref}: our team checked it and confirmed it. Thank you — your report helps protect "
                 "others.").format(ref=ref)
    if event == notices.FORWARDED and report.status is ReportStatus.CONFIRMED:
        return _("Report {ref} was checked by our team and forwarded to {contact}. Thank you for reporting.").format(
            ref=ref, contact=escape(contacts))
    if event == notices.FORWARDED:
        return _("Report {ref} was forwarded to {contact}. Thank you for reporting.").format(
            ref=ref, contact=escape(contacts))
    if event == notices.REJECTED:
        return _("Report {ref}: our team looked at it carefully and found nothing that needs action for now. "
                 "You were right to ask. If anything else happens, send it here.").format(ref=ref)
    if event == notices.MERGED:
        return _("Report {ref} is about the same case as report {other}, which our team is already handling; "
                 "the two are now handled together. Thank you — every report adds evidence.").format(
            ref=ref, other=f"<b>{escape(report.merged_into or '')}</b>")
    if event == notices.UNREADABLE:
        return _("Report {ref}: we could not read the text in your picture. If you can, also send the message "
                 "itself as text, or forward it here.").format(ref=ref)
    key = event.removeprefix(notices.ASK_PREFIX)
    question = _(QUESTIONS[key][1]) if key in QUESTIONS else ""
    return _("About your report {ref}, our team has a question:\n\n{question}\n\nJust reply here; your answer is "
             "added to the report.").format(ref=ref, question=f"<i>{escape(question)}</i>")


class NoticeChannel:
    def __init__(self, bot: Bot, catalogs: Catalogs, settings: Settings) -> None:
        self.bot = bot
        self.catalogs = catalogs
        self.settings = settings

    async def send(self, delivery: Delivery, report: Report, attempt: Attempt) -> None:
        _ = self.catalogs.gettext(delivery.language)
        contacts = ", ".join(dict.fromkeys(c.name for c in self.settings.contacts_for(report.country))) or "—"
        if not isinstance(delivery.purpose, Notice):
            raise DeliveryFailed(f"not a notice: {delivery.purpose}", permanent=True)
        text = notice_text(delivery.purpose.event, report, contacts, _)
        try:
            await self.bot.send_message(int(delivery.target), text, parse_mode=ParseMode.HTML)
        except TelegramError as error:
            # The citizen blocked the bot or deleted their account: asking again will not help.
            raise delivery_failure(error, progress=0) from error
        await attempt.sent(1, last=True)
