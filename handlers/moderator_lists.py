"""Lists moderators page through: the queue and search results, and a report's history."""

from __future__ import annotations

from html import escape

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode

from harmline.channels.card import age, truncate
from harmline.handlers import callback_data
from harmline.handlers.callbacks import edit_or_send
from harmline.handlers.context import HarmlineContext
from harmline.handlers.keyboards import list_keyboard
from harmline.i18n import Gettext
from harmline.reports.indicators import defang
from harmline.reports.labels import CATEGORY_LABELS, STATUS_LABELS, language_name
from harmline.reports.model import ReportStatus
from harmline.repositories.moderation import SEARCH_COUNT_CAP, AuditEntry, Page
from harmline.services.moderation import Moderator

PAGE_SIZE = 5


def render_items(context: HarmlineContext, page: Page, language: str, _: Gettext) -> list[str]:
    now = context.services.moderation.clock()
    lines = []
    for number, item in enumerate(page.items, start=page.offset + 1):
        since = item.completed_at or item.received_at
        flags = ("🔺 " if item.urgent else "") + ("" if item.status is ReportStatus.NEW
                                                 else f" · {_(STATUS_LABELS[item.status])}")
        lines.append(f"{number}. {escape(flags)}<b>{item.reference}</b> · {escape(age(now - since, _))} · "
                     f"{escape(_(CATEGORY_LABELS[item.category]))} · {escape(language_name(item.language, language))}")
        excerpt = truncate(" ".join(defang(item.excerpt).split()), 90)
        if excerpt:
            lines.append(f"    <i>{escape(excerpt)}</i>")
    return lines


def _pages(page: Page, make: callback_data.QueuePage | int) -> tuple[str | None, str | None]:
    def data(offset: int) -> str:
        if isinstance(make, callback_data.QueuePage):
            filters = make
            return callback_data.queue_page(callback_data.QueuePage(offset, filters.country, filters.category,
                                                                    filters.language))
        return callback_data.find_page(make, offset)

    previous = data(max(page.offset - PAGE_SIZE, 0)) if page.offset > 0 else None
    following = data(page.offset + PAGE_SIZE) if page.offset + PAGE_SIZE < page.total else None
    return previous, following


async def _show(context: HarmlineContext, target: CallbackQuery | Message, text: str,
                markup: InlineKeyboardMarkup) -> None:
    """A list in reply to a command, or in place of the list whose page button was pressed (a new
    message if that one can no longer be edited; nothing if it already shows this page)."""
    if isinstance(target, CallbackQuery):
        await edit_or_send(context, target, text, parse_mode=ParseMode.HTML, reply_markup=markup)
    else:
        await target.reply_html(text, reply_markup=markup)


async def show_queue_page(context: HarmlineContext, target: CallbackQuery | Message, moderator: Moderator,
                          filters: callback_data.QueuePage, language: str) -> None:
    _ = context.gettext(language)
    page = await context.services.moderation.queue(
        moderator.user_id, country=filters.country, category=filters.category, language=filters.language,
        offset=filters.offset, limit=PAGE_SIZE)
    shown = ", ".join(value for value in (filters.country, filters.category, filters.language) if value)
    title = _("Queue: {count} undecided, oldest first").format(count=page.total) + (f" ({shown})" if shown else "")
    lines = ["<b>" + escape(title) + "</b>", *render_items(context, page, language, _)]
    if not page.items:
        lines.append(escape(_("Nothing waiting. Well done.")))
    previous, following = _pages(page, filters)
    await _show(context, target, "\n".join(lines), list_keyboard(page.items, previous, following, _))


async def show_find_page(context: HarmlineContext, target: CallbackQuery | Message, moderator: Moderator,
                         search_id: int, terms: str, offset: int, language: str) -> None:
    _ = context.gettext(language)
    page = await context.services.moderation.find(moderator.user_id, terms, offset=offset, limit=PAGE_SIZE)
    if page is None:
        await _show(context, target, escape(_("Send at least 3 characters to search.")), InlineKeyboardMarkup([]))
        return
    count = f"{SEARCH_COUNT_CAP}+" if page.total > SEARCH_COUNT_CAP else str(page.total)
    title = _("{count} report(s) found for “{terms}”").format(count=count, terms=truncate(defang(terms), 60))
    lines = ["<b>" + escape(title) + "</b>", *render_items(context, page, language, _)]
    previous, following = _pages(page, search_id)
    await _show(context, target, "\n".join(lines), list_keyboard(page.items, previous, following, _))


def render_history(entries: list[AuditEntry]) -> list[str]:
    """One line per audit row: when, who, what, from which state to which, why (HTML)."""
    lines = []
    for entry in entries[-15:]:
        who = entry.actor_name or entry.actor
        change = f" · {entry.from_status} → {entry.to_status}" if entry.from_status or entry.to_status else ""
        why = f" · {entry.detail}" if entry.detail else ""
        lines.append(escape(f"{entry.at:%Y-%m-%d %H:%M} · {who} · {entry.action}{change}{why}"))
    return lines
