"""Who receives a report: the national contacts of its country, or the operator's redirect chat."""

from __future__ import annotations

from dataclasses import dataclass

from harmline.i18n.languages import negotiate
from harmline.moderation.roles import Roster
from harmline.settings.model import ASEAN_COUNTRIES, REGIONAL, Settings

TELEGRAM, WEBHOOK = "telegram", "webhook"
# A report's card with the moderators' buttons, in a moderators' group or a moderator's private chat.
REVIEW = "review"
# A short message to the citizen about their report (confirmed, forwarded, a question …).
NOTICE = "notice"
# A weekly summary (message, charts, PDF and CSV) in a contact's Telegram chat.
SUMMARY = "summary"


@dataclass(frozen=True)
class Recipient:
    name: str
    channel: str  # TELEGRAM or WEBHOOK
    target: str  # chat id, or webhook URL
    language: str


# The country whose people mostly write in a language; where a language is shared (Malay,
# Chinese, Tamil, English) the deployment's default country stays.
_HOME_COUNTRY = {"id": "ID", "th": "TH", "vi": "VN", "fil": "PH", "km": "KH", "lo": "LA", "my": "MM", "tet": "TL",
                 "pt": "TL", "ms": "MY"}


def home_country(language: str | None) -> str | None:
    """The country whose people mostly write ``language``, or None where it is shared."""
    return _HOME_COUNTRY.get(language or "")


def guess_country(language_code: str | None, detected_language: str | None, countries: tuple[str, ...]) -> str:
    """The served country a new report most likely belongs to, before the citizen says so.

    A region in Telegram's language code (``en-SG``) wins, then the home country of the
    citizen's language; otherwise the first served country.
    """
    if language_code and "-" in language_code.replace("_", "-"):
        region = language_code.replace("_", "-").split("-")[-1].upper()
        if region in ASEAN_COUNTRIES and region in countries:
            return region
    for language in (negotiate(language_code), detected_language):
        country = home_country(language)
        if country in countries:
            return country
    return countries[0]


def recipients_for(country: str, settings: Settings) -> list[Recipient]:
    """One recipient per contact and channel, so each has its own delivery state."""
    contacts = settings.contacts_for(country)
    redirect = settings.delivery.redirect_chat_id
    if redirect is not None:
        # Staging and training: one chat sees what every contact would have received.
        language = contacts[0].language if contacts else "en"
        return [Recipient(f"redirect ({country})", TELEGRAM, str(redirect), language)]
    recipients: list[Recipient] = []
    for contact in contacts:
        if contact.telegram_chat_id is not None:
            recipients.append(Recipient(contact.name, TELEGRAM, str(contact.telegram_chat_id), contact.language))
        if contact.webhook_url is not None:
            recipients.append(Recipient(contact.name, WEBHOOK, contact.webhook_url, contact.language))
    return recipients


def reviewers_for(country: str, settings: Settings, roster: Roster) -> list[Recipient]:
    """Where a new report's card goes: the moderators' groups of its country, and its on-duty
    moderators in private. With neither, every moderator of the country gets it in private, so
    no report goes unseen. Cards are in the language of the country's contact."""
    contacts = settings.contacts_for(country)
    language = contacts[0].language if contacts else "en"
    recipients = [Recipient(f"moderators' group {chat.chat_id}", REVIEW, str(chat.chat_id), language)
                  for chat in settings.moderator_chats if chat.covers(country)]
    private = roster.on_duty_for(country) or ([] if recipients else roster.moderators_of(country))
    return recipients + [Recipient(f"moderator {user_id}", REVIEW, str(user_id), language) for user_id in private]


def citizen_of(chat_id: int | None, language: str) -> list[Recipient]:
    """The citizen who filed a report, for a notice; nobody once they erased their data."""
    return [] if chat_id is None else [Recipient("citizen", NOTICE, str(chat_id), language)]


def summary_recipients(scope: str, settings: Settings) -> list[Recipient]:
    """The contacts that receive a scope's weekly summary: a country's contacts marked
    ``weekly_summary``, or (scope REGIONAL) every contact marked ``regional``."""
    if scope == REGIONAL:
        contacts = [c for c in settings.contacts if c.regional]
    else:
        contacts = [c for c in settings.contacts_for(scope) if c.weekly_summary]
    chats = [c for c in contacts if c.telegram_chat_id is not None]
    redirect = settings.delivery.redirect_chat_id
    if redirect is not None and chats:
        return [Recipient(f"redirect ({scope} summary)", SUMMARY, str(redirect), chats[0].language)]
    return [Recipient(c.name, SUMMARY, str(c.telegram_chat_id), c.language) for c in chats]
