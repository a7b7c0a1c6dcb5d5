"""Moderators' buttons on report cards and lists: decide, open a menu, open a report, page.

Who may do what is decided by moderation.service (in the same transaction as the decision);
here a refusal becomes a polite alert, and a decision updates every copy of the report's card.
"""

from __future__ import annotations

import logging
from html import escape

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from channels.card import render_card
from handlers import callback_data
from handlers.callbacks import answer
from handlers.context import HarmlineContext
from handlers.keyboards import category_menu, merge_menu, moderation_keyboard, question_menu
from handlers.language import user_language
from handlers.moderator_lists import render_history, show_find_page, show_queue_page
from i18n import Gettext
from i18n.labels import STATUS_LABELS
from moderation.decisions import Action
from moderation.service import Moderator, Ruling, Verdict
from reports.model import Report

log = logging.getLogger(__name__)

_ACTIONS = {"confirm": Action.CONFIRM, "reject": Action.REJECT, "escalate": Action.ESCALATE, "open": Action.OPEN,
            "cat": Action.RECATEGORISE, "merge": Action.MERGE, "ask": Action.ASK}
_MENUS = ("cat", "merge", "ask", "back")


def moderator_of(update: Update) -> Moderator | None:
    user = update.effective_user
    return Moderator(user.id, user.full_name) if user else None


def refusal_text(ruling: Ruling, _: Gettext) -> str | None:
    """What to tell a moderator whose action did not go through (None: it did)."""
    report = ruling.report
    if ruling.verdict in (Verdict.REFUSED, Verdict.NOT_FOUND):
        return _("Only moderators of this report's country can do this.")
    if ruling.verdict is Verdict.ALREADY_DECIDED and report is not None:
        return _("Already decided by {moderator}: {status}.").format(
            moderator=report.decided_by or "?", status=_(STATUS_LABELS[report.status]))
    if ruling.verdict is Verdict.NOT_READY:
        return _("This report cannot be decided now: the citizen is still writing it, or withdrew it.")
    if ruling.verdict is Verdict.INVALID:
        return _("That is not possible for this report (a merge needs another report of the same country).")
    if ruling.verdict is Verdict.UNREACHABLE:
        return _("The citizen erased their data, so they cannot be asked.")
    return None


async def on_moderator_button(update: Update, context: HarmlineContext,
                              action: callback_data.ModeratorAction) -> None:
    query, moderator = update.callback_query, moderator_of(update)
    if query is None or moderator is None:
        return
    _ = context.gettext(await user_language(update, context))
    if action.verb in _MENUS and (action.argument is None or action.verb == "back"):
        await _show_menu(query, context, moderator, action, _)
        return
    ruling = await context.services.moderation.decide(update.update_id, moderator, action.reference,
                                                      _ACTIONS[action.verb], action.argument)
    if ruling.verdict is Verdict.DUPLICATE:
        return
    refusal = refusal_text(ruling, _)
    if refusal is not None and not (action.verb == "open" and ruling.report is not None
                                    and ruling.verdict is not Verdict.REFUSED):
        if ruling.verdict in (Verdict.REFUSED, Verdict.NOT_FOUND):
            log.warning("user %d may not %s %s: refused", moderator.user_id, action.verb, action.reference)
        await answer(query, refusal, alert=True)
        return
    await answer(query)
    if action.verb == "open":
        if isinstance(query.message, Message):
            await send_report_view(context, query.message.chat_id, query.message.message_thread_id,
                                   action.reference, await user_language(update, context))
        return
    if ruling.report is not None:
        await refresh_cards(context, ruling.report.id)


async def _show_menu(query: CallbackQuery, context: HarmlineContext, moderator: Moderator,
                     action: callback_data.ModeratorAction, _: Gettext) -> None:
    """Swap the card's buttons for a menu (or back); nothing is decided yet, but only the
    report's moderators may even open its menus."""
    services = context.services
    report = await services.reports.find(action.reference)
    if report is None or not services.roster.may_moderate(moderator.user_id, report.country):
        log.warning("user %d may not open %s of %s: refused", moderator.user_id, action.verb, action.reference)
        await services.moderation.refuse(moderator, f"{action.verb} {action.reference}")
        await answer(query, _("Only moderators of this report's country can do this."), alert=True)
        return
    if not report.status.undecided:
        await answer(query, refusal_text(Ruling(Verdict.ALREADY_DECIDED, report), _), alert=True)
        return
    markup: InlineKeyboardMarkup | None
    if action.verb == "cat":
        markup = category_menu(report, _)
    elif action.verb == "ask":
        markup = question_menu(report, _)
    elif action.verb == "merge":
        candidates = await services.moderation.store.merge_candidates(report.id, report.country)
        if not candidates:
            await answer(query, _("No similar report was found. To merge into a report you know, send "
                                  "/merge {ref} OTHER-REFERENCE").format(ref=report.reference), alert=True)
            return
        markup = merge_menu(report, candidates, _)
    else:
        markup = _buttons(context, report, _)
    await answer(query)
    await _edit_markup(query, markup)


def _card(context: HarmlineContext, report: Report, language: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """A report's card as moderators see it now, in ``language``, with its buttons while undecided."""
    services = context.services
    text = render_card(report, language, services.catalogs, for_moderators=True, now=services.moderation.clock())
    return text, _buttons(context, report, context.gettext(language))


def _buttons(context: HarmlineContext, report: Report, _: Gettext) -> InlineKeyboardMarkup | None:
    return moderation_keyboard(report, context.settings.review == "before_forward", _)


async def _edit_markup(query: CallbackQuery, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_reply_markup(reply_markup=markup)
    except BadRequest as error:  # pressed twice: the markup is already this one
        log.info("menu not changed: %s", error.message)


async def refresh_cards(context: HarmlineContext, report_id: int) -> None:
    """Re-draw every card of the report (groups, topics, private chats, /report views): state,
    who decided, and the buttons only while it is undecided. Best effort: a card that cannot be
    edited any more is skipped; a late tap on it is refused all the same."""
    services = context.services
    report = await services.reports.by_id(report_id)
    if report is None:
        return
    for card in await services.moderation.store.cards_of(report_id):
        text, markup = _card(context, report, card.language)
        try:
            await context.bot.edit_message_text(text, chat_id=card.chat_id, message_id=card.message_id,
                                                parse_mode=ParseMode.HTML, reply_markup=markup)
        except (BadRequest, Forbidden) as error:
            log.info("card %d/%d of %s not updated: %s", card.chat_id, card.message_id, report.reference,
                     error.message)


async def send_report_view(context: HarmlineContext, chat_id: int, thread: int | None, reference: str,
                           language: str) -> None:
    """The full card with its buttons (remembered like any card), then its history."""
    services = context.services
    report = await services.reports.find(reference)
    if report is None:
        return
    text, markup = _card(context, report, language)
    sent = await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, message_thread_id=thread,
                                          reply_markup=markup)
    await services.moderation.store.add_card(report.id, chat_id, sent.message_id, language, thread)
    await context.bot.send_message(chat_id, await _history_text(context, report, context.gettext(language)),
                                   parse_mode=ParseMode.HTML, message_thread_id=thread)


async def _history_text(context: HarmlineContext, report: Report, _: Gettext) -> str:
    services = context.services
    entries = await services.moderation.store.history(report.id)
    deliveries = await services.outbox.for_report(report.id)
    lines = ["<b>" + escape(_("History of {ref}").format(ref=report.reference)) + "</b>", *render_history(entries)]
    forwards = [d for d in deliveries if d.purpose == "forward"]
    if forwards:
        lines.append("<b>" + escape(_("Forwarded to")) + "</b>")
        lines += [f"• {escape(d.contact_name)} ({escape(d.channel)}): {escape(d.state)}" for d in forwards]
    return "\n".join(lines)[:4000]


async def on_queue_page(update: Update, context: HarmlineContext, page: callback_data.QueuePage) -> None:
    query, moderator = update.callback_query, moderator_of(update)
    if query is None or moderator is None:
        return
    language = await user_language(update, context)
    _ = context.gettext(language)
    if not context.services.roster.is_moderator(moderator.user_id):
        await context.services.moderation.refuse(moderator, "queue page")
        await answer(query, _("This is only for moderators."), alert=True)
        return
    await answer(query)
    await show_queue_page(context, query, moderator, page, language)


async def on_find_page(update: Update, context: HarmlineContext, page: callback_data.FindPage) -> None:
    query, moderator = update.callback_query, moderator_of(update)
    if query is None or moderator is None:
        return
    language = await user_language(update, context)
    _ = context.gettext(language)
    terms = await context.services.moderation.store.saved_search(page.search_id, moderator.user_id)
    if terms is None or not context.services.roster.is_moderator(moderator.user_id):
        await context.services.moderation.refuse(moderator, "find page")
        await answer(query, _("This is only for moderators."), alert=True)
        return
    await answer(query)
    await show_find_page(context, query, moderator, page.search_id, terms, page.offset, language)
