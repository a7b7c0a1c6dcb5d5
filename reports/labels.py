"""Names of categories and platforms, marked for translation (``N_``) and translated where shown."""

from __future__ import annotations

from collections.abc import Callable

from babel import Locale, UnknownLocaleError

from harmline.reports.model import SELF, Category, Platform, ReportStatus


def N_(message: str) -> str:
    """Marks a string for extraction by pybabel; it is translated later, where it is shown."""
    return message


CATEGORY_LABELS: dict[Category, str] = {
    Category.SCAM: N_("Scam"),
    Category.ILLEGAL_GAMBLING: N_("Illegal online gambling"),
    Category.FRAUDULENT_CONTENT: N_("Fraudulent content"),
    Category.OTHER: N_("Other"),
}

PLATFORM_LABELS: dict[Platform, str] = {
    Platform.FACEBOOK: "Facebook",
    Platform.TIKTOK: "TikTok",
    Platform.INSTAGRAM: "Instagram",
    Platform.TELEGRAM: "Telegram",
    Platform.WHATSAPP: "WhatsApp",
    Platform.SMS: N_("SMS / text message"),
    Platform.PHONE_CALL: N_("Phone call"),
    Platform.WEBSITE: N_("Website"),
    Platform.OTHER: N_("Other"),
}

INDICATOR_LABELS: dict[str, str] = {
    "phone": N_("Phone"),
    "url": N_("Link"),
    "email": N_("E-mail"),
    "bank_account": N_("Bank account"),
    "ewallet": N_("E-wallet"),
    "crypto_wallet": N_("Crypto wallet"),
    "social_handle": N_("Social media account"),
    "qr_code": N_("QR code"),
}

# Where an indicator was found, when not in the citizen's own words.
FOUND_IN_LABELS: dict[str, str] = {
    "image": N_("read from a screenshot"),
    "qr": N_("from a QR code"),
}

# The classifier's kinds of scam (reports.learned.SCAM_TYPES), counted in weekly summaries.
SCAM_TYPE_LABELS: dict[str, str] = {
    "phishing": N_("Phishing"),
    "investment": N_("Investment scam"),
    "job": N_("Job scam"),
    "romance": N_("Romance scam"),
    "shopping": N_("Shopping scam"),
    "impersonation": N_("Impersonation"),
    "loan": N_("Loan scam"),
    "prize": N_("Prize or lottery scam"),
    "other": N_("Other scam"),
}

# A report's state as moderators see it on a card and in lists.
STATUS_LABELS: dict[ReportStatus, str] = {
    ReportStatus.COLLECTING: N_("being written by the citizen"),
    ReportStatus.NEW: N_("new"),
    ReportStatus.IN_REVIEW: N_("in review"),
    ReportStatus.NEEDS_INFO: N_("waiting for the citizen's answer"),
    ReportStatus.CONFIRMED: N_("confirmed"),
    ReportStatus.REJECTED: N_("not harmful"),
    ReportStatus.MERGED: N_("merged"),
    ReportStatus.CANCELLED: N_("withdrawn by the citizen"),
}

# Where a forward to a contact stands (reports.model.Delivery.state), for moderators.
DELIVERY_LABELS: dict[str, str] = {
    "pending": N_("waiting to be sent"),
    "delivered": N_("delivered"),
    "failed": N_("failed: an admin was told"),
    "cancelled": N_("not sent (withdrawn or kept on file)"),
}

# "Need more info": what a moderator can ask the citizen (button label, then the question).
QUESTIONS: dict[str, tuple[str, str]] = {
    "screenshot": (N_("Screenshots"), N_("Could you send screenshots of the conversation, the post or the "
                                         "payment? Just send them here.")),
    "contact": (N_("Their number or account"), N_("Which phone number, account, profile or link did they use "
                                                  "to contact you or to ask for money?")),
    "payment": (N_("Payment details"), N_("If you paid: how did you pay (bank transfer, e-wallet, card, crypto), "
                                          "to which account, and how much?")),
    "when": (N_("When it happened"), N_("When did this happen? An approximate date is enough.")),
    "where": (N_("Website or app"), N_("Which website, app or page was it? You can send the link here.")),
}

# Who wrote a forwarded message (Telegram's MessageOrigin types).
ORIGIN_LABELS: dict[str, str] = {
    "user": N_("user"),
    "hidden_user": N_("user with a hidden account"),
    "chat": N_("group"),
    "channel": N_("channel"),
    SELF: N_("the reporter, from their own chat"),
}

_BABEL_LOCALES = {"fil": "fil", "tet": "pt", "zh": "zh_Hans"}


def babel_locale(language: str) -> Locale:
    """Babel's locale for a harmline language (Tetum: Portuguese conventions, Chinese: Simplified)."""
    try:
        return Locale.parse(_BABEL_LOCALES.get(language, language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def language_name(code: str | None, in_language: str) -> str:
    """``ms`` shown to a Thai reader: ``มาเลย์``, from the CLDR data Babel ships."""
    if not code or code == "und":
        return "?"
    return babel_locale(in_language).languages.get(code) or code


def country_name(code: str, in_language: str) -> str:
    return babel_locale(in_language).territories.get(code) or code


def flag(country: str) -> str:
    """The flag emoji of a country code: two regional indicator letters."""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in country)


def duration_text(seconds: float | None, _: Callable[[str], str]) -> str:
    """A time to decision as moderators and ministries read it: minutes, hours, or days."""
    if seconds is None:
        return "—"
    minutes = int(seconds) // 60
    if minutes < 60:
        return _("{count} min").format(count=minutes)
    if minutes < 48 * 60:
        return _("{hours} h {minutes} min").format(hours=minutes // 60, minutes=minutes % 60)
    return _("{count} days").format(count=minutes // (24 * 60))
