"""When weekly summaries are due, as pure functions of the clock.

A summary goes out on the configured weekday and time of day in its scope's own time zone (each
country's, or the regional time zone) and covers the last complete ISO week before that moment.
"Due" is always the latest scheduled moment at or before now: a bot that was down at that moment
sends the summary when it comes back, and the outbox's uniqueness per week and recipient makes
sure it is sent once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from harmline.reports.purpose import Purpose, Summary
from harmline.settings.model import SummarySettings
from harmline.summaries.week import Week, last_complete_week

_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Run:
    scope: str  # a country code, or REGIONAL
    week: Week  # the week the summary covers
    at: datetime  # the scheduled moment, UTC


def latest_run(scope: str, time_zone: str, now: datetime, settings: SummarySettings) -> Run:
    """The scheduled moment at or before ``now`` closest to it, and the week it reports on."""
    zone = ZoneInfo(time_zone)
    local = now.astimezone(zone)
    day = local.date() - timedelta(days=(local.weekday() - settings.weekday) % 7)
    moment = datetime.combine(day, settings.at, tzinfo=zone)
    if moment > local:
        moment -= _WEEK
    return Run(scope, last_complete_week(time_zone, moment), moment.astimezone(UTC))


def next_run_at(scope: str, time_zone: str, now: datetime, settings: SummarySettings) -> datetime:
    """The first scheduled moment after ``now``, UTC."""
    latest = latest_run(scope, time_zone, now, settings).at.astimezone(ZoneInfo(time_zone))
    # Add a week in local time (the same wall-clock moment), then convert.
    return (latest + _WEEK).astimezone(UTC)


def purpose(scope: str, week: Week) -> Summary:
    """The outbox purpose of a summary delivery: unique per scope, week and recipient."""
    return Summary(scope, week.label)


def summary_of(purpose: Purpose) -> tuple[str, Week] | None:
    """The scope and week a delivery's purpose names, if it is a summary's."""
    if not isinstance(purpose, Summary):
        return None
    try:
        return purpose.scope, Week.parse(purpose.week)
    except ValueError:
        return None
