"""What an outbox delivery carries, as a typed value, and its stored form (parsed here only).

Stored form, version 1 (no version prefix; a later format would start "v2:"):

* ``forward`` — a report to a national contact;
* ``card`` — a report's card to its moderators; ``card:answer:N`` — the card again once the
  citizen answered a moderator's question (N: the report's message count then, so each answer
  gets its own card);
* ``notice:EVENT`` — a short message to the citizen (``confirmed``, ``forwarded``, ``ask:KEY`` …);
* ``summary:SCOPE:WEEK`` — a weekly summary (a country code or ``regional``; an ISO week label).

The stored form is part of the outbox's uniqueness (one delivery per report, target and purpose),
so it must not change for an existing purpose.
"""

from __future__ import annotations

from dataclasses import dataclass


class BadPurpose(ValueError):
    """A stored purpose this version cannot read."""


@dataclass(frozen=True)
class Forward:
    def __str__(self) -> str:
        return "forward"


@dataclass(frozen=True)
class Card:
    answer: int | None = None  # set: the card sent again after the citizen's answer

    def __str__(self) -> str:
        return "card" if self.answer is None else f"card:answer:{self.answer}"


@dataclass(frozen=True)
class Notice:
    event: str

    def __str__(self) -> str:
        return f"notice:{self.event}"


@dataclass(frozen=True)
class Summary:
    scope: str  # a country code, or "regional"
    week: str  # ISO week label, "2026-W47"

    def __str__(self) -> str:
        return f"summary:{self.scope}:{self.week}"


Purpose = Forward | Card | Notice | Summary
NOTICE_PREFIX = "notice:"  # the stored form's start, for queries over every notice
FORWARD = Forward()
CARD = Card()


def parse_purpose(stored: str) -> Purpose:
    """The purpose a stored string names; :class:`BadPurpose` if it names none."""
    kind, _, rest = stored.partition(":")
    if kind == "forward" and not rest:
        return FORWARD
    if kind == "card" and not rest:
        return CARD
    if kind == "card" and rest.startswith("answer:") and rest.removeprefix("answer:").isdigit():
        return Card(int(rest.removeprefix("answer:")))
    if kind == "notice" and rest:
        return Notice(rest)
    scope, _, week = rest.partition(":")
    if kind == "summary" and scope and week:
        return Summary(scope, week)
    raise BadPurpose(f"not a delivery purpose: {stored!r}")
