"""How often an indicator (a number, link, account, handle) was reported before: what the
citizen's /check answers and what the contact's card shows beside each indicator."""

from __future__ import annotations

import re

from harmline.reports.indicators import extract_indicators
from harmline.reports.model import Indicator

_DIGITS = re.compile(r"\d")
_HANDLE = re.compile(r"^@?([A-Za-z0-9_.]{3,32})$")


def lookup_candidates(query: str, country: str) -> list[Indicator]:
    """What a citizen's /check text stands for, normalised as indicators are stored: numbers in
    E.164 (local ones read in ``country``), links re-fanged. A bare run of digits that is no
    phone number is looked up as a bank account, a bare name as a social media handle."""
    found = extract_indicators(query, country)
    if found:
        return found
    compact = re.sub(r"[\s-]", "", query)
    if compact.isdigit() and len(_DIGITS.findall(compact)) >= 6:
        return [Indicator("bank_account", compact)]
    handle = _HANDLE.match(query.strip())
    if handle:
        return [Indicator("social_handle", handle.group(1).lower())]
    return []
