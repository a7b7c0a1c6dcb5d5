"""Inline keyboards: the follow-up questions, the language picker, moderators' cards and lists."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from harmline.handlers import callback_data
from harmline.i18n import LANGUAGES, Gettext
from harmline.reports.labels import CATEGORY_LABELS, PLATFORM_LABELS, QUESTIONS, country_name
from harmline.reports.model import Category, FollowUpStep, Platform, Report
from harmline.repositories.moderation import QueueItem


def question(step: FollowUpStep, _: Gettext) -> str:
    return {
        FollowUpStep.COUNTRY: _("Which country are you reporting from?"),
        FollowUpStep.PLATFORM: _("Where did this happen?"),
        FollowUpStep.LOSS: _("Did you lose money?"),
        FollowUpStep.AMOUNT: _("How much did you lose? Type the amount, for example: 500"),
    }[step]


def followup_keyboard(reference: str, step: FollowUpStep, countries: tuple[str, ...], language: str,
                      _: Gettext) -> InlineKeyboardMarkup:
    def button(label: str, value: str | None) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=callback_data.followup(reference, step, value))

    rows: list[list[InlineKeyboardButton]]
    if step is FollowUpStep.COUNTRY:
        rows = [[button(country_name(code, language), code)] for code in countries]
    elif step is FollowUpStep.PLATFORM:
        buttons = [button(_(PLATFORM_LABELS[p]), p.value) for p in Platform]
        rows = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
    elif step is FollowUpStep.LOSS:
        rows = [[button(_("Yes"), "yes"), button(_("No"), "no")]]
    else:
        rows = []
    rows.append([button(_("Skip"), None),
                 InlineKeyboardButton(_("Send now"), callback_data=callback_data.send_now(reference))])
    return InlineKeyboardMarkup(rows)


def language_keyboard(available: list[str]) -> InlineKeyboardMarkup:
    """Each language in its own name, so a reader finds theirs whatever language is shown now."""
    buttons = [InlineKeyboardButton(LANGUAGES[code], callback_data=callback_data.choose_language(code))
               for code in available]
    return InlineKeyboardMarkup([buttons[i:i + 2] for i in range(0, len(buttons), 2)])


def moderation_keyboard(report: Report, before_forward: bool, _: Gettext) -> InlineKeyboardMarkup | None:
    """The buttons of an undecided report's card; a decided report has none (its card says who)."""
    if not report.status.undecided:
        return None
    reference = report.reference

    def button(label: str, verb: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=callback_data.moderator(verb, reference))

    confirm = _("Confirm & forward") if before_forward and not report.urgent else _("Confirm")
    rows = [
        [button("✅ " + confirm, "confirm"), button("🚫 " + _("Not harmful"), "reject")],
        [button("🏷 " + _("Change category"), "cat"), button("🔗 " + _("Merge into…"), "merge")],
        [button("❓ " + _("Need more info"), "ask")]
        + ([] if report.urgent else [button("🔺 " + _("Escalate"), "escalate")]),
    ]
    return InlineKeyboardMarkup(rows)


def _menu(reference: str, choices: list[tuple[str, str, str]], _: Gettext) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(label, callback_data=callback_data.moderator(verb, reference, argument))]
            for label, verb, argument in choices]
    rows.append([InlineKeyboardButton("◀ " + _("Back"), callback_data=callback_data.moderator("back", reference))])
    return InlineKeyboardMarkup(rows)


def category_menu(report: Report, _: Gettext) -> InlineKeyboardMarkup:
    return _menu(report.reference, [(("✓ " if category is report.category else "") + _(CATEGORY_LABELS[category]),
                                     "cat", category.value) for category in Category], _)


def question_menu(report: Report, _: Gettext) -> InlineKeyboardMarkup:
    return _menu(report.reference, [(_(label), "ask", key) for key, (label, _question) in QUESTIONS.items()], _)


def merge_menu(report: Report, candidates: list[QueueItem], _: Gettext) -> InlineKeyboardMarkup:
    return _menu(report.reference, [
        (f"{item.reference} · {item.received_at:%Y-%m-%d} · {_(CATEGORY_LABELS[item.category])}", "merge",
         item.reference) for item in candidates], _)


def list_keyboard(items: list[QueueItem], previous: str | None, following: str | None,
                  _: Gettext) -> InlineKeyboardMarkup:
    """A button to open each listed report, then ◀ ▶ to page."""
    opens = [InlineKeyboardButton(item.reference, callback_data=callback_data.moderator("open", item.reference))
             for item in items]
    rows = [opens[i:i + 2] for i in range(0, len(opens), 2)]
    paging = [InlineKeyboardButton("◀ " + _("Previous"), callback_data=previous)] if previous else []
    if following:
        paging.append(InlineKeyboardButton(_("Next") + " ▶", callback_data=following))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(rows)
