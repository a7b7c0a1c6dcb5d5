"""Inline keyboards for the follow-up questions and the language picker."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from handlers import callback_data
from i18n import LANGUAGES, Gettext
from i18n.labels import PLATFORM_LABELS, country_name
from reports.model import FollowUpStep, Platform


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
