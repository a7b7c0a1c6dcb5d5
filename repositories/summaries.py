"""The figures of a week, aggregated by the store, and the summaries' schedule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from harmline.reports.money import Money
from harmline.repositories.unit_of_work import Transaction


@dataclass(frozen=True)
class Tally:
    """The number of reports with one combination of fields, in this week or the week before."""

    this_week: bool
    category: str
    scam_type: str | None
    platform: str | None
    language: str | None
    status: str
    reports: int


@dataclass(frozen=True)
class RepeatedValue:
    kind: str
    value: str
    reports: int
    first_in_week: datetime
    last_in_week: datetime


@dataclass(frozen=True)
class History:
    """An indicator's reports in the country before the week."""

    reports: int
    first_seen: datetime | None


@dataclass(frozen=True)
class Spread:
    """What a cluster's reports are: categories and platforms with their counts."""

    categories: dict[str, int]
    platforms: dict[str, int]


class SummaryRepository(Protocol):
    """The figures of a week, aggregated by the store, and the summaries' schedule."""

    async def tallies(self, country: str, last_week: datetime, this_week: datetime, end: datetime) -> list[Tally]:
        """Reports received in last week [last_week, this_week) and this week [this_week, end), by
        category, scam type, platform, language and state."""
        ...

    async def received_per_period(self, country: str, boundaries: Sequence[datetime]) -> list[int]:
        """Reports received (counted as the summaries count them) in each period between two
        consecutive ``boundaries``."""
        ...

    async def losses(self, country: str, start: datetime, end: datetime) -> list[Money]:
        """The amounts lost, as parsed from what the citizens typed, in the week's substantive
        reports (amounts that could not be read are left out)."""
        ...

    async def decision_seconds(self, country: str, start: datetime, end: datetime) -> list[int]:
        """Seconds from completion to decision of the decisions taken in the week, ascending."""
        ...

    async def repeated_values(self, country: str, start: datetime, end: datetime) -> list[RepeatedValue]:
        """Indicator values carried by two or more of the week's substantive reports, most first."""
        ...

    async def history(self, country: str, kind: str, value: str, before: datetime) -> History:
        """How often the country's live reports carried the value before ``before``."""
        ...

    async def spread(self, country: str, kind: str, value: str, start: datetime, end: datetime) -> Spread: ...

    @staticmethod
    def schedule_since(tx: Transaction, now: datetime) -> datetime:
        """When the summary schedule first ran on this database (recorded now if never): summaries
        due before it are not sent, so a new deployment does not open with last week's summary."""
        ...
