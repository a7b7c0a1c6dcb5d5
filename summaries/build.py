"""Builds a country's weekly figures from the store: counts, losses, decisions, repeated
indicators and new clusters. The arithmetic (changes, medians, per-currency sums) is here, in
plain Python over the few aggregated rows the store returns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from statistics import median
from zoneinfo import ZoneInfo

from harmline.reports.model import Category, ReportStatus
from harmline.reports.money import Money
from harmline.repositories.summaries import History, RepeatedValue, SummaryRepository, Tally
from harmline.settings.model import TIME_ZONES
from harmline.summaries.figures import (
    Cluster,
    Count,
    CountrySummary,
    Decisions,
    MoneyLost,
    RegionalSummary,
    RepeatedIndicator,
)
from harmline.summaries.week import Week

TOP_INDICATORS = 10
NEW_CLUSTERS = 5
# A new cluster: at least this many of the week's reports share a value nobody reported before.
CLUSTER_MIN_REPORTS = 3
_PENDING = {ReportStatus.COLLECTING, ReportStatus.NEW, ReportStatus.IN_REVIEW, ReportStatus.NEEDS_INFO}


def day_starts(week: Week, time_zone: str) -> list[datetime]:
    """The 15 local midnights from the previous week's Monday to the Monday after ``week``, in UTC."""
    zone = ZoneInfo(time_zone)
    first = week.previous().monday
    return [datetime.combine(first + timedelta(days=offset), time(0), tzinfo=zone).astimezone(UTC)
            for offset in range(15)]


def _counts(tallies: Iterable[Tally], key: str) -> tuple[Count, ...]:
    this_week: Counter[str] = Counter()
    last_week: Counter[str] = Counter()
    for tally in tallies:
        value = getattr(tally, key) or "und"
        (this_week if tally.this_week else last_week)[value] += tally.reports
    keys = sorted(set(this_week) | set(last_week), key=lambda k: (-this_week[k], -last_week[k], k))
    return tuple(Count(k, this_week[k], last_week[k]) for k in keys)


def _repeated(repeated: RepeatedValue, history: History) -> RepeatedIndicator:
    return RepeatedIndicator(repeated.kind, repeated.value, repeated.reports, history.reports,
                             history.first_seen or repeated.first_in_week, repeated.last_in_week)


def _money(amounts: Iterable[Money]) -> tuple[MoneyLost, ...]:
    by_currency: dict[str, list[Decimal]] = {}
    for money in amounts:
        by_currency.setdefault(money.currency, []).append(money.amount)
    lost = [MoneyLost(currency, len(values), sum(values, Decimal(0)), Decimal(median(sorted(values))))
            for currency, values in by_currency.items()]
    return tuple(sorted(lost, key=lambda m: (-m.reports, m.currency)))


def _decisions(tallies: Sequence[Tally], seconds: Sequence[int]) -> Decisions:
    states: Counter[str] = Counter()
    for tally in tallies:
        if tally.this_week:
            states[tally.status] += tally.reports
    return Decisions(
        confirmed=states[ReportStatus.CONFIRMED.value],
        rejected=states[ReportStatus.REJECTED.value],
        merged=states[ReportStatus.MERGED.value],
        pending=sum(states[status.value] for status in _PENDING),
        decided_in_week=len(seconds),
        median_decision_seconds=float(median(seconds)) if seconds else None,
    )


def _ranked(counter: Counter[str]) -> tuple[str, ...]:
    return tuple(key for key, _ in sorted(counter.items(), key=lambda item: (-item[1], item[0])))


class SummaryBuilder:
    def __init__(self, store: SummaryRepository) -> None:
        self.store = store

    async def country(self, country: str, week: Week, made_at: datetime) -> CountrySummary:
        time_zone = TIME_ZONES[country]
        days = day_starts(week, time_zone)
        start, end = days[7], days[14]
        tallies = await self.store.tallies(country, days[0], start, end)
        daily = await self.store.received_per_period(country, days)  # 14 local days, last week's first
        seconds = await self.store.decision_seconds(country, start, end)
        losses = await self.store.losses(country, start, end)
        top, clusters = await self._repeats(country, start, end)
        return CountrySummary(
            country=country, week=week, time_zone=time_zone, made_at=made_at,
            received=sum(daily[7:]), received_last_week=sum(daily[:7]),
            daily=tuple(daily[7:]), daily_last_week=tuple(daily[:7]),
            categories=_counts(tallies, "category"),
            scam_types=_counts((t for t in tallies if t.category == Category.SCAM.value), "scam_type"),
            platforms=_counts(tallies, "platform"),
            languages=_counts(tallies, "language"),
            money=_money(losses),
            decisions=_decisions(tallies, seconds),
            top_indicators=top,
            new_clusters=clusters,
        )

    async def _repeats(self, country: str, start: datetime,
                       end: datetime) -> tuple[tuple[RepeatedIndicator, ...], tuple[Cluster, ...]]:
        top: list[RepeatedIndicator] = []
        clusters: list[Cluster] = []
        for repeated in await self.store.repeated_values(country, start, end):
            history = await self.store.history(country, repeated.kind, repeated.value, start)
            if len(top) < TOP_INDICATORS:
                top.append(_repeated(repeated, history))
            if history.reports == 0 and repeated.reports >= CLUSTER_MIN_REPORTS and len(clusters) < NEW_CLUSTERS:
                spread = await self.store.spread(country, repeated.kind, repeated.value, start, end)
                clusters.append(Cluster(repeated.kind, repeated.value, repeated.reports,
                                        _ranked(Counter(spread.categories)), _ranked(Counter(spread.platforms)),
                                        repeated.first_in_week, repeated.last_in_week))
            if len(top) >= TOP_INDICATORS and len(clusters) >= NEW_CLUSTERS:
                break
        return tuple(top), tuple(clusters)

    async def most_reported(self, country: str, start: datetime, end: datetime) -> tuple[RepeatedIndicator, ...]:
        """The values most reported in [start, end) (the dashboard's longer periods), with how
        often the country's reports carried them before ``start``, as the weekly summary counts them."""
        return tuple([_repeated(repeated, await self.store.history(country, repeated.kind, repeated.value, start))
                      for repeated in await self.store.repeated_values(country, start, end)])

    async def regional(self, countries: Sequence[str], week: Week, made_at: datetime) -> RegionalSummary:
        return RegionalSummary(week, made_at, tuple([await self.country(c, week, made_at) for c in countries]))
