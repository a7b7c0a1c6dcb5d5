"""What a weekly summary says, as plain data: built from the store, rendered as a message, charts,
a PDF and a CSV. Keys are the stored codes (category ``scam``, platform ``sms``, language ``th``);
labels are chosen where a summary is shown, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from harmline.summaries.week import Week


@dataclass(frozen=True)
class Count:
    """How many reports had ``key`` (a category, scam type, platform, language…) this week and last."""

    key: str
    this_week: int
    last_week: int


@dataclass(frozen=True)
class MoneyLost:
    """Losses the citizens stated this week in one currency (ISO 4217, or ``USDT`` and the like)."""

    currency: str
    reports: int
    total: Decimal
    median: Decimal


@dataclass(frozen=True)
class Decisions:
    """What became of the week's reports (as of when the summary was made), and how fast
    moderators decided during the week."""

    confirmed: int
    rejected: int
    merged: int
    pending: int  # new, in review, or waiting for the citizen's answer
    decided_in_week: int  # decisions taken during the week, on reports of any week
    median_decision_seconds: float | None


@dataclass(frozen=True)
class RepeatedIndicator:
    """A number, link, account… reported in several of the week's reports. ``value`` is as stored
    (not defanged): renderers defang it."""

    kind: str
    value: str
    reports: int  # the week's reports that carry it
    reports_before: int  # earlier reports of the same country that carried it
    first_seen: datetime
    last_seen: datetime  # the week's last report that carried it


@dataclass(frozen=True)
class Cluster:
    """A notable new cluster: several of the week's reports share an indicator nobody reported
    before the week."""

    kind: str
    value: str
    reports: int
    categories: tuple[str, ...]  # most frequent first
    platforms: tuple[str, ...]
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True)
class CountrySummary:
    country: str
    week: Week
    time_zone: str
    made_at: datetime
    received: int
    received_last_week: int
    daily: tuple[int, ...]  # reports received Monday … Sunday, local days
    daily_last_week: tuple[int, ...]
    categories: tuple[Count, ...]  # most reports this week first
    scam_types: tuple[Count, ...]  # of the week's scam reports
    platforms: tuple[Count, ...]
    languages: tuple[Count, ...]
    money: tuple[MoneyLost, ...]  # largest number of reports first
    decisions: Decisions
    top_indicators: tuple[RepeatedIndicator, ...]
    new_clusters: tuple[Cluster, ...]

    @property
    def change(self) -> int:
        return self.received - self.received_last_week

    @property
    def change_percent(self) -> float | None:
        """Change against last week in percent; None when last week had no reports."""
        if not self.received_last_week:
            return None
        return 100.0 * self.change / self.received_last_week


@dataclass(frozen=True)
class RegionalSummary:
    """All served countries side by side, each over its own local week."""

    week: Week
    made_at: datetime
    countries: tuple[CountrySummary, ...]

    @property
    def received(self) -> int:
        return sum(c.received for c in self.countries)

    @property
    def received_last_week(self) -> int:
        return sum(c.received_last_week for c in self.countries)
