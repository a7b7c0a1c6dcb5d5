"""First-version indicator extraction (links, phone numbers, e-mail addresses) and defanging.

Scam messages often arrive defanged already (``hxxps://example[.]com``); links are re-fanged
before storage so the same link reported twice is the same value, and defanged again in
everything a human reads.
"""

from __future__ import annotations

import re

import phonenumbers

from reports.model import Indicator

_REFANG = (
    (re.compile(r"\bhxxp(s?)://", re.IGNORECASE), r"http\1://"),
    (re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]", re.IGNORECASE), "."),
    (re.compile(r"\[:\]//"), "://"),
)
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"'()\[\]{}]+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|info|xyz|top|vip|asia|online|site|"
    r"club|shop|live|link|me|io|cc|co|my|id|th|vn|ph|sg|kh|la|mm|bn|tl)(?:/[^\s<>\"']*)?(?!\w)",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_DIGITS = re.compile(r"\d")
_TRAILING = ".,;:!?)]}'\""


def refang(text: str) -> str:
    for pattern, replacement in _REFANG:
        text = pattern.sub(replacement, text)
    return text


def defang(text: str) -> str:
    """Make every link in ``text`` unclickable: ``https://a.com/x`` → ``hxxps://a[.]com/x``."""

    def _one(match: re.Match[str]) -> str:
        url = match.group(0)
        scheme, sep, rest = url.partition("://")
        if not sep:
            scheme, rest = "", url
        host, slash, path = rest.partition("/")
        host = host.replace(".", "[.]")
        prefix = scheme.lower().replace("http", "hxxp") + "://" if sep else ""
        return f"{prefix}{host}{slash}{path}"

    return _URL.sub(_one, refang(text))


def extract_indicators(text: str, country: str) -> list[Indicator]:
    """Links, e-mail addresses and phone numbers (E.164, read in ``country`` first)."""
    plain = refang(text)
    found: dict[tuple[str, str], None] = {}
    emails = _EMAIL.findall(plain)
    for email in emails:
        found[("email", email.lower())] = None
    without_emails = _EMAIL.sub(" ", plain)
    for match in _URL.finditer(without_emails):
        url = match.group(0).rstrip(_TRAILING)
        found[("url", url)] = None
    # phonenumbers is the slow step: only ask it when there are enough digits for a number.
    if len(_DIGITS.findall(without_emails)) >= 7:
        without_urls = _URL.sub(" ", without_emails)
        for number in phonenumbers.PhoneNumberMatcher(without_urls, country, leniency=phonenumbers.Leniency.VALID):
            e164 = phonenumbers.format_number(number.number, phonenumbers.PhoneNumberFormat.E164)
            found[("phone", e164)] = None
    return [Indicator(kind, value) for kind, value in found]
