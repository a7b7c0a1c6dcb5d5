"""ISO weeks, as a country sees them: Monday 00:00 to the next Monday 00:00 in its own time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_LABEL = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Week:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Week:
        """``2026-W47`` (or ``2026W47``); ValueError naming the problem otherwise."""
        match = _LABEL.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not an ISO week; write it like 2026-W47")
        year, number = int(match.group(1)), int(match.group(2))
        if not 2000 <= year <= 2999:  # a summary also reads the week before; year 1 has none
            raise ValueError(f"{year} is not a year harmline has reports for")
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            raise ValueError(f"{year} has no week {number}") from None
        return cls(year, number)

    @classmethod
    def containing(cls, day: date) -> Week:
        year, number, _ = day.isocalendar()
        return cls(year, number)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    def previous(self) -> Week:
        return Week.containing(self.monday - timedelta(days=7))

    def following(self) -> Week:
        return Week.containing(self.monday + timedelta(days=7))

    def bounds(self, time_zone: str) -> tuple[datetime, datetime]:
        """The week's first instant and the next week's first instant, in UTC."""
        zone = ZoneInfo(time_zone)
        start = datetime.combine(self.monday, time(0), tzinfo=zone)
        end = datetime.combine(self.monday + timedelta(days=7), time(0), tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    def __str__(self) -> str:
        return self.label


def last_complete_week(time_zone: str, now: datetime) -> Week:
    """The last ISO week that has ended in ``time_zone`` at ``now``."""
    return Week.containing(now.astimezone(ZoneInfo(time_zone)).date()).previous()
