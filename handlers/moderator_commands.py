"""Moderators' commands: /queue /report /find /stats /merge /duty /block /unblock, and admins'
/mod and /summary.

Anyone else gets one polite refusal (and the attempt is audited), whatever the command."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from html import escape
from typing import Any, NamedTuple

from telegram import Message, Update

from harmline.channels.summary import posting
from harmline.handlers import callback_data
from harmline.handlers.context import HarmlineContext
from harmline.handlers.language import user_language
from harmline.handlers.moderation import moderator_of, refresh_cards, refusal_text, send_report_view
from harmline.handlers.moderator_lists import show_find_page, show_queue_page
from harmline.i18n import LANGUAGES, Gettext
from harmline.reports.decisions import Action
from harmline.reports.labels import country_name, duration_text
from harmline.reports.model import Category
from harmline.reports.reference import normalise_reference
from harmline.repositories.moderation import CountryFigures
from harmline.services.moderation import Moderator, Verdict, search_terms
from harmline.settings.model import ASEAN_COUNTRIES, REGIONAL
from harmline.summaries.week import Week, last_complete_week

log = logging.getLogger(__name__)
MAX_USER_ID = 2**52  # Telegram's user ids fit in 52 bits
_USER_ID = re.compile(r"[0-9]{1,16}")


class Admitted(NamedTuple):
    """A moderator's command let through the gate: the message, who sent it, their language."""

    message: Message
    moderator: Moderator
    language: str


ModeratorCommand = Callable[[Update, HarmlineContext, Admitted], Awaitable[None]]


def moderators_only(command: ModeratorCommand) -> Callable[[Update, HarmlineContext], Coroutine[Any, Any, None]]:
    """The one gate of the moderators' commands: a moderator (or admin) gets ``command`` with who
    they are; anyone else one polite refusal in their language, and the attempt is audited."""

    @functools.wraps(command)
    async def gate(update: Update, context: HarmlineContext) -> None:
        message, moderator = update.effective_message, moderator_of(update)
        if message is None or moderator is None:
            return
        language = await user_language(update, context)
        if not context.services.roster.is_moderator(moderator.user_id):
            log.warning("user %d is not a moderator: %r refused", moderator.user_id, (message.text or "")[:40])
            await context.services.moderation.refuse(moderator, (message.text or "")[:200], update.update_id)
            _ = context.gettext(language)
            await message.reply_text(_("Sorry, this command is only for moderators. /help lists what I can do "
                                       "for you."))
            return
        await command(update, context, Admitted(message, moderator, language))

    return gate


@moderators_only
async def on_queue(update: Update, context: HarmlineContext, admitted: Admitted) -> None:
    """``/queue [CC] [category] [language]``: e.g. ``/queue TH scam``, ``/queue my`` (Burmese)."""
    message, moderator, language = admitted
    country = category = wanted_language = None
    for token in context.args or []:
        if token.upper() in ASEAN_COUNTRIES and token.isupper():
            country = token.upper()
        elif token.lower() in Category.__members__.values():
            category = token.lower()
        elif token.lower() in LANGUAGES:
            wanted_language = token.lower()
        else:
            _ = context.gettext(language)
            await message.reply_text(_("Unknown filter “{word}”. Use a country code (TH), a category (scam, "
                                       "illegal_gambling, fraudulent_content, other) or a language code (th).").format(
                word=token[:30]))
            return
    await show_queue_page(context, message, moderator,
                          callback_data.QueuePage(0, country, category, wanted_language), language)


@moderators_only
async def on_report(update: Update, context: HarmlineContext, admitted: Admitted) -> None:
    """``/report REF``: the report in full, with its buttons and history (a new report is now in review)."""
    message, moderator, language = admitted
    _ = context.gettext(language)
    reference = normalise_reference("".join(context.args or []))
    if reference is None:
        await message.reply_text(_("Send /report followed by a reference, for example /report MY-7KQ4XP2D."))
        return
    ruling = await context.services.moderation.decide(update.update_id, moderator, reference, Action.OPEN)
    if ruling.verdict is Verdict.DUPLICATE:
        return
    if ruling.report is None:
        await message.reply_text(_("No report {ref} among your countries.").format(ref=reference))
        return
    await send_report_view(context, message.chat_id, message.message_thread_id, reference, language)


@moderators_only
async def on_find(update: Update, context: HarmlineContext, admitted: Admitted) -> None:
    """``/find <number, link, account, handle or words>``."""
    message, moderator, language = admitted
    terms = search_terms(" ".join(context.args or []))
    if not terms:
        _ = context.gettext(language)
        await message.reply_text(_("Send /find followed by a phone number, link, account, handle or words from a "
                                   "report."))
        return
    services = context.services
    search_id = await services.moderation.store.save_search(moderator.user_id, terms, services.moderation.clock())
    await show_find_page(context, message, moderator, search_id, terms, 0, language)


def render_figures(figures: CountryFigures, language: str, _: Gettext) -> str:
    return "\n".join([
        "<b>" + escape(country_name(figures.country, language)) + "</b> — " + escape(_("today · this week")),
        escape(_("Received: {today} · {week}").format(today=figures.received_today, week=figures.received_week)),
        escape(_("Decided: {today} · {week}").format(today=figures.decided_today, week=figures.decided_week)),
        escape(_("Median time to decision this week: {duration}").format(
            duration=duration_text(figures.median_decision_seconds, _))),
        escape(_("Backlog: {count} undecided — older than 1 hour: {hour}, 1 day: {day}, 1 week: {week}").format(
            count=figures.backlog, hour=figures.backlog_over_hour, day=figures.backlog_over_day,
            week=figures.backlog_over_week)),
        escape(_("Waiting for the citizen's answer: {count}").format(count=figures.waiting_for_citizen)),
    ])


@moderators_only
async def on_stats(update: Update, context: HarmlineContext, admitted: Admitted) -> None:
    message, moderator, language = admitted
    _ = context.gettext(language)
    figures = await context.services.moderation.figures(moderator.user_id)
    await message.reply_html("\n\n".join(render_figures(f, language, _) for f in figures))


@moderators_only
async def on_merge(update: Update, context: HarmlineContext, admitted: Admitted) -> None:
    """``/merge REF INTO-REF``: REF is a duplicate of INTO-REF."""
    message, moderator, language = admitted
    _ = context.gettext(language)
    references = [normalise_reference(arg) for arg in context.args or []]
    if len(references) != 2 or None in references:
        await message.reply_text(_("Send /merge REFERENCE INTO-REFERENCE, for example /merge MY-7KQ4XP2D MY-3HF9WC2K."))
        return
    duplicate, target = references
    assert duplicate is not None and target is not None
    ruling = await context.services.moderation.decide(update.update_id, moderator, duplicate, Action.MERGE, target)
    if ruling.verdict is Verdict.DUPLICATE:
        return
    refusal = refusal_text(ruling, _)
    if refusal is not None:
        await message.reply_text(refusal)
        return
    await message.reply_text(_("{ref} was merged into {target}.").format(ref=duplicate, target=target))
    if ruling.report is not None:
        await refresh_cards(context, ruling.report.id)


async def _block(update: Update, context: HarmlineContext, admitted: Admitted, *, blocked: bool) -> None:
    message, moderator, language = admitted
    _ = context.gettext(language)
    reference = normalise_reference("".join(context.args or []))
    if reference is None:
        await message.reply_text(_("Send /block or /unblock followed by the reference of one of the citizen's "
                                   "reports, for example /block MY-7KQ4XP2D."))
        return
    ruling = await context.services.moderation.block(update.update_id, moderator, reference, blocked=blocked)
    answers = {
        Verdict.DONE: _("The citizen who sent {ref} is blocked: nothing they send is taken or forwarded, and they "
                        "are told once.") if blocked else _("The citizen who sent {ref} may report again."),
        Verdict.ALREADY_DECIDED: _("The citizen who sent {ref} is blocked already.") if blocked
        else _("The citizen who sent {ref} is not blocked."),
        Verdict.UNREACHABLE: _("The citizen who sent {ref} erased their data, or the report was de-identified: "
                               "there is nobody to block."),
    }
    if ruling.verdict is Verdict.DUPLICATE:
        return
    answer = answers.get(ruling.verdict, _("No report {ref} among your countries."))
    await message.reply_text(answer.format(ref=reference))


@moderators_only
async def on_block(update: Update, context: HarmlineContext, admitted: Admitted) -> None:
    """``/block REF``: the citizen who sent REF can no longer report (they are told once)."""
    await _block(update, context, admitted, blocked=True)


@moderators_only
async def on_unblock(update: Update, context: HarmlineContext, admitted: Admitted) -> None:
    """``/unblock REF``: lift the block made by any of the citizen's references."""
    await _block(update, context, admitted, blocked=False)


@moderators_only
async def on_duty(update: Update, context: HarmlineContext, admitted: Admitted) -> None:
    """``/duty on|off``: new reports' cards in private too, or not."""
    message, moderator, language = admitted
    _ = context.gettext(language)
    wanted = (context.args or [""])[0].lower()
    if wanted not in ("on", "off"):
        await message.reply_text(_("Send /duty on to receive new reports here, /duty off to stop."))
        return
    if not await context.services.moderation.set_on_duty(moderator, wanted == "on"):
        await message.reply_text(_("Admins see every report already; /duty is for moderators."))
        return
    await message.reply_text(_("You are on duty: new reports of your countries come here too.") if wanted == "on"
                             else _("You are off duty: new reports no longer come here."))


@moderators_only
async def on_mod(update: Update, context: HarmlineContext, admitted: Admitted) -> None:
    """``/mod`` lists moderators; admins: ``/mod add <user_id> <CC…>``, ``/mod remove <user_id> [CC…]``."""
    message, moderator, language = admitted
    _ = context.gettext(language)
    services = context.services
    args = context.args or []
    if not args:
        lines = ["<b>" + escape(_("Moderators")) + "</b>"]
        for member in services.roster.members():
            role = _("admin") if member.admin else ", ".join(member.countries)
            duty = " · " + _("on duty") if member.on_duty else ""
            lines.append(f"• <code>{member.user_id}</code> — {escape(role)}{escape(duty)}")
        await message.reply_html("\n".join(lines))
        return
    usage = _("Send /mod add USER_ID COUNTRY… or /mod remove USER_ID [COUNTRY…], for example /mod add 123456789 TH.")
    user_id = _user_id(args[1]) if len(args) >= 2 else None
    if args[0] not in ("add", "remove") or user_id is None:
        await message.reply_text(usage)
        return
    countries = tuple(code.upper() for code in args[2:])
    unknown = [code for code in countries if code != "*" and code not in services.settings.countries]
    if unknown or (args[0] == "add" and not countries):
        await message.reply_text(usage + "\n" + _("Countries served: {countries}").format(
            countries=", ".join(services.settings.countries)))
        return
    grant = await services.moderation.change_moderator(moderator, user_id, countries, add=args[0] == "add")
    if grant is None:
        await message.reply_text(_("Only admins can add or remove moderators."))
        return
    await message.reply_text(_("Moderator {user_id} now covers: {countries}").format(
        user_id=grant.user_id, countries=", ".join(grant.countries) or "—"))


def _user_id(text: str) -> int | None:
    """A Telegram user id as typed: ASCII digits (str.isdigit() also takes "²"), at most 52 bits."""
    if _USER_ID.fullmatch(text) is None:
        return None
    value = int(text)
    return value if 0 < value <= MAX_USER_ID else None


@moderators_only
async def on_summary(update: Update, context: HarmlineContext, admitted: Admitted) -> None:
    """Admins: ``/summary [CC|ALL] [2026-W47]`` — the weekly summary as contacts get it (default: the
    regional one, of the last complete week)."""
    message, moderator, language = admitted
    _ = context.gettext(language)
    services = context.services
    if not services.roster.is_admin(moderator.user_id):
        await message.reply_text(_("Only admins can ask for weekly summaries."))
        return
    scope, week = REGIONAL, None
    for token in context.args or []:
        if token.upper() in (*services.settings.countries, REGIONAL):
            scope = token.upper()
            continue
        try:
            week = Week.parse(token)  # also refuses years out of range (0001-W01)
        except ValueError:
            await message.reply_text(_("Send /summary [COUNTRY or ALL] [WEEK], for example /summary TH 2026-W47. "
                                       "Countries served: {countries}").format(
                countries=", ".join(services.settings.countries)))
            return
    if week is None:
        week = last_complete_week(services.settings.time_zone_of(scope), services.summaries.clock())
    await message.reply_text(_("Making the weekly summary {scope} {week}…").format(scope=scope, week=week.label))
    files = await services.summaries.files(scope, week, language)
    for step in posting(context.bot, message.chat_id, files, message.message_thread_id):
        await step()
