"""Who receives a report: the national contacts of its country, or the operator's redirect chat."""

from __future__ import annotations

from dataclasses import dataclass

from i18n.languages import negotiate
from settings.model import ASEAN_COUNTRIES, Settings

TELEGRAM, WEBHOOK = "telegram", "webhook"
# A card with a "Confirm & forward" button for moderators (review = "before_forward").
REVIEW = "review"


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


def reviewers_for(country: str, settings: Settings) -> list[Recipient]:
    """Where a report waiting for review is shown: the moderators' chat, else each moderator of the
    country in private."""
    contacts = settings.contacts_for(country)
    language = contacts[0].language if contacts else "en"
    if settings.moderators_chat_id is not None:
        return [Recipient("moderators", REVIEW, str(settings.moderators_chat_id), language)]
    return [Recipient(f"moderator {m.telegram_user_id}", REVIEW, str(m.telegram_user_id), language)
            for m in settings.moderators if m.covers(country)]
