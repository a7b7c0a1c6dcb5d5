"""The classifier's explanation as a sentence, in the reader's language (English for webhooks,
audit lines and ``harmline analyze``; the moderator's language on cards)."""

from __future__ import annotations

from collections.abc import Callable

from harmline.reports.cues import CUES
from harmline.reports.model import Category, Explanation

Gettext = Callable[[str], str]


def _identity(message: str) -> str:
    return message


def percent(confidence: float) -> str:
    return f"{confidence:.0%}"


def describe(explanation: Explanation, category: Category, _: Gettext = _identity) -> str:
    """Cues first, then the citizen's words: "asks for a money transfer or a payment; promises a
    prize — words: “hadiah”, “transfer”"."""
    text = "; ".join(_(CUES[name].description) for name in explanation.cues if name in CUES)
    if explanation.words:
        words = ", ".join(f"“{word}”" for word in explanation.words)
        text += (" — " if text else "") + _("words: {words}").format(words=words)
    if text:
        return text
    if category is Category.OTHER:
        return _("no clear sign of a scam, gambling or fraud")
    return _("no single clear sign; the wording as a whole resembles earlier reports")


def certainty(explanation: Explanation, _: Gettext = _identity) -> str:
    """ "82% sure" or "uncertain, 48%": shown next to the category."""
    if explanation.uncertain:
        return _("uncertain, {percent}").format(percent=percent(explanation.confidence))
    return _("{percent} sure").format(percent=percent(explanation.confidence))


def english_reason(category: Category, scam_type: str | None, explanation: Explanation) -> str:
    """The stored one-line reason: "scam/prize (82% sure): promises a prize — words: “hadiah”"."""
    label = category.value + (f"/{scam_type}" if scam_type else "")
    return f"{label} ({certainty(explanation)}): {describe(explanation, category)}"
