"""Moderators' buttons on report cards and lists: decide, open a menu, open a report, page.

Who may do what is decided by moderation.service (in the same transaction as the decision);
here a refusal becomes a polite alert, and a decision updates every copy of the report's card.
Someone who moderates no country is refused before anything they sent (a reference, a search id)
reaches the database: they learn nothing, and the attempt is audited.
"""

from __future__ import annotations

import logging
from html import escape

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from harmline.channels.card import render_card
from harmline.handlers import callback_data
from harmline.handlers.callbacks import answer, cannot_edit, not_modified
from harmline.handlers.context import HarmlineContext
from harmline.handlers.keyboards import category_menu, merge_menu, moderation_keyboard, question_menu
from harmline.handlers.language import user_language
from harmline.handlers.moderator_lists import render_history, show_find_page, show_queue_page
from harmline.i18n import Gettext
from harmline.reports.decisions import Action
from harmline.reports.labels import DELIVERY_LABELS, STATUS_LABELS
from harmline.reports.model import Report
from harmline.reports.purpose import FORWARD
from harmline.services.moderation import Moderator, Ruling, Verdict

log = logging.getLogger(__name__)

_ACTIONS = {"confirm": Action.CONFIRM, "reject": Action.REJECT, "escalate": Action.ESCALATE, "open": Action.OPEN,
            "cat": Action.RECATEGORISE, "merge": Action.MERGE, "ask": Action.ASK}
_MENUS = ("cat", "merge", "ask", "back")
_MESSAGE_LIMIT = 4000  # characters of one message (Telegram's limit is 4096)


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
    language = await user_language(update, context)
    _ = context.gettext(language)
    if not context.services.roster.is_moderator(moderator.user_id):
        log.warning("user %d is not a moderator: %s %s refused", moderator.user_id, action.verb, action.reference)
        await context.services.moderation.refuse(moderator, f"{action.verb} {action.reference}", update.update_id)
        await answer(query, _("Only moderators of this report's country can do this."), alert=True)
        return
    if action.verb in _MENUS and (action.argument is None or action.verb == "back"):
        await _show_menu(query, context, moderator, action, language)
        return
    ruling = await context.services.moderation.decide(update.update_id, moderator, action.reference,
                                                      _ACTIONS[action.verb], action.argument)
    if ruling.verdict is Verdict.DUPLICATE:
        # Decided when this press was first handled; what may not have followed is the redraw.
        if ruling.report is not None and action.verb != "open":
            await answer(query)
            await refresh_cards(context, ruling.report.id)
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
        chat_id, thread = pressed_in(query)
        await send_report_view(context, chat_id, thread, action.reference, language)
        return
    if ruling.report is not None:
        chat_id, thread, card_language = await _pressed_card(context, query, language)
        shown = await refresh_cards(context, ruling.report.id)
        if query.message is not None and (chat_id, query.message.message_id) not in shown:
            # The card pressed could not be redrawn (deleted, too old): the moderator sees the
            # decision on a new copy of it.
            await send_card(context, ruling.report.id, chat_id, thread, card_language)


def pressed_in(query: CallbackQuery) -> tuple[int, int | None]:
    """The chat (and forum topic) of the message whose button was pressed; the presser's private
    chat when Telegram did not say (an inline message)."""
    message = query.message
    if message is None:
        return query.from_user.id, None
    thread = message.message_thread_id if isinstance(message, Message) and message.is_topic_message else None
    return message.chat.id, thread


async def _pressed_card(context: HarmlineContext, query: CallbackQuery, language: str) -> tuple[int, int | None, str]:
    """Where the card pressed is, and in which language it is shown: as it was sent (an
    inaccessible message no longer says its topic), else as the press says."""
    chat_id, thread = pressed_in(query)
    card = (await context.services.moderation.store.card(chat_id, query.message.message_id)
            if query.message is not None else None)
    return (chat_id, card.thread_id, card.language) if card else (chat_id, thread, language)


async def _show_menu(query: CallbackQuery, context: HarmlineContext, moderator: Moderator,
                     action: callback_data.ModeratorAction, language: str) -> None:
    """Swap the card's buttons for a menu (or back); nothing is decided yet, but only the
    report's moderators may even open its menus."""
    services = context.services
    _ = context.gettext(language)
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
    await _edit_markup(context, query, report, markup, language)


def _card(context: HarmlineContext, report: Report, language: str) -> tuple[str, InlineKeyboardMarkup | None]:
    """A report's card as moderators see it now, in ``language``, with its buttons while undecided."""
    services = context.services
    text = render_card(report, language, services.catalogs, for_moderators=True, now=services.moderation.clock())
    return text, _buttons(context, report, context.gettext(language))


def _buttons(context: HarmlineContext, report: Report, _: Gettext) -> InlineKeyboardMarkup | None:
    return moderation_keyboard(report, context.settings.review == "before_forward", _)


async def _edit_markup(context: HarmlineContext, query: CallbackQuery, report: Report,
                       markup: InlineKeyboardMarkup | None, language: str) -> None:
    """Put the menu (or the card's buttons) on the card pressed; if that card can no longer be
    edited, send the card anew with the menu, as a card of the report."""
    message = query.message
    if message is not None:  # by its ids: Telegram may include it only as inaccessible (date 0)
        try:
            await context.bot.edit_message_reply_markup(chat_id=message.chat.id, message_id=message.message_id,
                                                        reply_markup=markup)
            return
        except BadRequest as error:
            if not_modified(error):  # pressed twice: the markup is already this one
                return
            if not cannot_edit(error):
                raise
            log.info("card %d/%d of %s not edited (%s): sending it anew", message.chat.id, message.message_id,
                     report.reference, error.message)
    chat_id, thread, language = await _pressed_card(context, query, language)
    await _send_card_message(context, report, chat_id, thread, _card(context, report, language)[0], markup, language)


async def refresh_cards(context: HarmlineContext, report_id: int) -> set[tuple[int, int]]:
    """Re-draw every card of the report (groups, topics, private chats, /report views): state,
    who decided, and the buttons only while it is undecided. Best effort: a card that cannot be
    edited any more is skipped (and forgotten when it is gone); a late tap on it is refused all
    the same. Returns the (chat, message) of the cards that show the report as it is now."""
    services = context.services
    report = await services.reports.by_id(report_id)
    shown: set[tuple[int, int]] = set()
    if report is None:
        return shown
    for card in await services.moderation.store.cards_of(report_id):
        text, markup = _card(context, report, card.language)
        try:
            await context.bot.edit_message_text(text, chat_id=card.chat_id, message_id=card.message_id,
                                                parse_mode=ParseMode.HTML, reply_markup=markup)
        except BadRequest as error:
            if not_modified(error):
                shown.add((card.chat_id, card.message_id))
                continue
            log.info("card %d/%d of %s not updated: %s", card.chat_id, card.message_id, report.reference,
                     error.message)
            if cannot_edit(error):
                await services.moderation.store.forget_card(card.chat_id, card.message_id)
        except Forbidden as error:
            log.info("card %d/%d of %s not updated: %s", card.chat_id, card.message_id, report.reference,
                     error.message)
        else:
            shown.add((card.chat_id, card.message_id))
    return shown


async def send_card(context: HarmlineContext, report_id: int, chat_id: int, thread: int | None,
                    language: str) -> None:
    """A new copy of the report's card as it is now, with its buttons (remembered like any card)."""
    report = await context.services.reports.by_id(report_id)
    if report is not None:
        text, markup = _card(context, report, language)
        await _send_card_message(context, report, chat_id, thread, text, markup, language)


async def _send_card_message(context: HarmlineContext, report: Report, chat_id: int, thread: int | None, text: str,
                             markup: InlineKeyboardMarkup | None, language: str) -> bool:
    """Send a card and remember it, so later decisions redraw it; False if it could not be sent."""
    try:
        sent = await context.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, message_thread_id=thread,
                                              reply_markup=markup)
    except (BadRequest, Forbidden) as error:
        log.warning("card of %s could not be sent to chat %d: %s", report.reference, chat_id, error.message)
        return False
    await context.services.moderation.store.add_card(report.id, chat_id, sent.message_id, language, thread)
    return True


async def send_report_view(context: HarmlineContext, chat_id: int, thread: int | None, reference: str,
                           language: str) -> None:
    """The full card with its buttons (remembered like any card), then its history."""
    services = context.services
    report = await services.reports.find(reference)
    if report is None:
        return
    text, markup = _card(context, report, language)
    if not await _send_card_message(context, report, chat_id, thread, text, markup, language):
        return
    await context.bot.send_message(chat_id, await _history_text(context, report, context.gettext(language)),
                                   parse_mode=ParseMode.HTML, message_thread_id=thread)


async def _history_text(context: HarmlineContext, report: Report, _: Gettext) -> str:
    services = context.services
    entries = await services.moderation.store.history(report.id)
    deliveries = await services.outbox.for_report(report.id)
    lines = ["<b>" + escape(_("History of {ref}").format(ref=report.reference)) + "</b>", *render_history(entries)]
    forwards = [d for d in deliveries if d.purpose == FORWARD]
    if forwards:
        lines.append("<b>" + escape(_("Forwarded to")) + "</b>")
        lines += [f"• {escape(d.contact_name)} ({escape(d.channel)}): {escape(_(DELIVERY_LABELS[d.state]))}"
                  for d in forwards]
    # Whole lines only: a cut inside a tag or an entity ("&am") is HTML Telegram refuses.
    kept: list[str] = []
    for line in lines:
        if sum(len(k) + 1 for k in kept) + len(line) > _MESSAGE_LIMIT:
            break
        kept.append(line)
    return "\n".join(kept)


async def on_queue_page(update: Update, context: HarmlineContext, page: callback_data.QueuePage) -> None:
    query, moderator = update.callback_query, moderator_of(update)
    if query is None or moderator is None:
        return
    language = await user_language(update, context)
    _ = context.gettext(language)
    if not context.services.roster.is_moderator(moderator.user_id):
        log.warning("user %d is not a moderator: queue page refused", moderator.user_id)
        await context.services.moderation.refuse(moderator, "queue page", update.update_id)
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
    services = context.services
    # The role first: a stranger's search id never reaches the database.
    terms = (await services.moderation.store.saved_search(page.search_id, moderator.user_id)
             if services.roster.is_moderator(moderator.user_id) else None)
    if terms is None:
        log.warning("user %d may not page search %d: refused", moderator.user_id, page.search_id)
        await services.moderation.refuse(moderator, "find page", update.update_id)
        await answer(query, _("This is only for moderators."), alert=True)
        return
    await answer(query)
    await show_find_page(context, query, moderator, page.search_id, terms, page.offset, language)
