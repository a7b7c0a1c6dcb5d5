"""/check <number, link, account or handle>: has it been reported, how often, as what.

Never says who reported it or what they wrote; "no reports" is never phrased as "safe"; and one
report alone is never called a scam.
"""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.constants import ParseMode

from harmline.handlers import callback_data
from harmline.handlers.callbacks import answer
from harmline.handlers.context import HarmlineContext
from harmline.handlers.language import user_language
from harmline.i18n import Gettext
from harmline.reports.indicators import defang
from harmline.reports.labels import CATEGORY_LABELS, INDICATOR_LABELS
from harmline.reports.model import Category, Indicator, IndicatorHistory
from harmline.reports.repeats import lookup_candidates
from harmline.routing import guess_country

MAX_CHECKED = 3


def _verdict(history: IndicatorHistory, _: Gettext) -> str:
    if history.reports == 0 or history.first_seen is None or history.last_seen is None:
        return _("No reports of this yet. That does not mean it is safe: scammers change numbers and links "
                 "all the time.")
    if history.reports == 1:
        return _("Reported once, on {date}. One report alone does not prove a scam, but be careful.").format(
            date=f"{history.first_seen:%Y-%m-%d}")
    category = history.most_common_category
    label = _(CATEGORY_LABELS[Category(category)]) if category else "?"
    first, last = f"{history.first_seen:%Y-%m-%d}", f"{history.last_seen:%Y-%m-%d}"
    if len(history.countries) > 1:
        return _("Reported {count} times since {date} (last on {last}, from {countries} countries), most often "
                 "as: {category}. Do not pay and do not share any code.").format(
            count=history.reports, date=first, last=last, countries=len(history.countries), category=label)
    return _("Reported {count} times since {date} (last on {last}), most often as: {category}. Do not pay and "
             "do not share any code.").format(count=history.reports, date=first, last=last, category=label)


async def on_check(update: Update, context: HarmlineContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    language = await user_language(update, context)
    _ = context.gettext(language)
    query = " ".join(context.args or []).strip()
    if not query:
        await message.reply_text(_("Send /check followed by a phone number, link, bank account or social media "
                                   "account, for example: /check 012-345 6789"))
        return
    country = guess_country(user.language_code, language, context.settings.countries)
    candidates = lookup_candidates(query, country)[:MAX_CHECKED]
    if not candidates:
        await message.reply_text(_("I could not find a phone number, link, account or handle in that. Please "
                                   "send it as written, for example: /check 012-345 6789"))
        return
    await message.reply_html(await check_answer(context, candidates, country, _))


async def on_check_report(update: Update, context: HarmlineContext, action: callback_data.CheckReport) -> None:
    """The "Check it" button under a report: the same answer as /check, for its indicators."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    _ = context.gettext(await user_language(update, context))
    report = await context.services.reports.find(action.reference)
    await answer(query)
    if report is None or report.reporter_chat_id != user.id or not report.indicators:
        return
    await context.bot.send_message(user.id, await check_answer(context, report.indicators[:MAX_CHECKED],
                                                               report.country, _), parse_mode=ParseMode.HTML)


async def check_answer(context: HarmlineContext, candidates: list[Indicator], country: str, _: Gettext) -> str:
    """Each indicator's history, then safety advice with the country's hotline (HTML)."""
    parts = []
    for candidate in candidates:
        history = await context.services.reports.indicator_history(candidate.kind, candidate.value)
        label = _(INDICATOR_LABELS.get(candidate.kind, candidate.kind))
        parts.append(f"<b>{escape(label)}</b> <code>{escape(defang(candidate.value))}</code>\n"
                     + escape(_verdict(history, _)))
    hotline = next((c.hotline for c in context.settings.contacts_for(country) if c.hotline), None)
    advice = _("Never share one-time codes (OTP) or passwords, and never pay a fee to receive a prize, a loan or "
               "a job.")
    if hotline:
        advice += " " + _("If you are unsure, or already paid, call {hotline}.").format(hotline=hotline)
    else:
        advice += " " + _("If you are unsure, call your bank on the number printed on your card.")
    return "\n\n".join(parts) + "\n\n<i>" + escape(advice) + "</i>"
