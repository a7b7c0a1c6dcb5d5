"""A weekly summary's figures against a data set whose answers were worked out by hand, and the
schedule across time zones with a frozen clock (queued once, never twice, missed runs caught up)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from harmline.i18n import Catalogs
from harmline.reports.purpose import Notice, parse_purpose
from harmline.services.summaries import Summaries
from harmline.settings import REGIONAL, Settings, SummarySettings
from harmline.storage import store_on
from harmline.storage.summaries import SummaryStore
from harmline.storage.units import SQLDatabase
from harmline.summaries.build import SummaryBuilder
from harmline.summaries.figures import Cluster, Count, MoneyLost, RepeatedIndicator
from harmline.summaries.message import country_message
from harmline.summaries.schedule import latest_run, next_run_at, purpose, summary_of
from harmline.summaries.week import Week
from tests.backends import make_database
from tests.conftest import Clock
from tests.summary_data import DATA, PHONE, SLOT, URL, W47, bangkok, insert_rows


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[SQLDatabase]:
    database = make_database(tmp_path / "summaries.db")
    await database.open()
    await insert_rows(database, DATA)
    yield database
    await database.close()


async def test_the_figures_of_a_known_week(database: SQLDatabase) -> None:
    made = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    summary = await SummaryBuilder(SummaryStore(database)).country("TH", W47, made)

    assert (summary.received, summary.received_last_week, summary.change) == (8, 3, 5)
    assert summary.change_percent == pytest.approx(166.666, abs=0.01)
    assert summary.daily == (2, 1, 1, 1, 1, 1, 1)
    assert summary.daily_last_week == (0, 1, 0, 1, 0, 0, 1)
    assert summary.categories == (Count("scam", 5, 1), Count("illegal_gambling", 3, 1), Count("other", 0, 1))
    assert summary.scam_types == (Count("phishing", 3, 1), Count("investment", 1, 0), Count("job", 1, 0))
    assert summary.platforms == (Count("facebook", 3, 2), Count("sms", 3, 1), Count("tiktok", 1, 0),
                                 Count("whatsapp", 1, 0))
    assert summary.languages == (Count("th", 5, 2), Count("en", 2, 1), Count("my", 1, 0))
    assert summary.money == (MoneyLost("THB", 2, Decimal(17000), Decimal(8500)),
                             MoneyLost("USD", 1, Decimal(200), Decimal(200)))
    decisions = summary.decisions
    assert (decisions.confirmed, decisions.rejected, decisions.merged, decisions.pending) == (3, 1, 1, 3)
    # Decided during the week: five of this week's reports and one of last week's.
    assert decisions.decided_in_week == 6
    assert decisions.median_decision_seconds == (3600 + 7200) / 2
    assert summary.top_indicators == (
        RepeatedIndicator("phone", PHONE, 3, 1, bangkok(10, 9), bangkok(22, 23, 30)),
        RepeatedIndicator("url", SLOT, 3, 0, bangkok(18, 9), bangkok(20, 9)),  # not the withdrawn one of the 17th
        RepeatedIndicator("url", URL, 2, 0, bangkok(16, 0, 30), bangkok(16, 10)),  # nor the harmless one of the 17th
    )
    # The slot site is new this week and in three reports; the phone was seen before; the phishing
    # link is in only two (the third report with it was found harmless).
    assert summary.new_clusters == (
        Cluster("url", SLOT, 3, ("illegal_gambling",), ("facebook", "tiktok"), bangkok(18, 9), bangkok(20, 9)),
    )


async def test_the_most_reported_values_over_two_weeks_count_both_and_nothing_before(database: SQLDatabase) -> None:
    builder = SummaryBuilder(SummaryStore(database))
    start, end = W47.previous().bounds("Asia/Bangkok")[0], W47.bounds("Asia/Bangkok")[1]
    assert await builder.most_reported("TH", start, end) == (
        # The phone's report of the 10th is now inside the period: four reports, none before it.
        RepeatedIndicator("phone", PHONE, 4, 0, bangkok(10, 9), bangkok(22, 23, 30)),
        RepeatedIndicator("url", SLOT, 3, 0, bangkok(18, 9), bangkok(20, 9)),
        RepeatedIndicator("url", URL, 2, 0, bangkok(16, 0, 30), bangkok(16, 10)),
    )
    # Over the week alone, as the weekly summary counts it.
    week = await builder.most_reported("TH", *W47.bounds("Asia/Bangkok"))
    summary = await builder.country("TH", W47, datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    assert week == summary.top_indicators


async def test_the_message_is_in_the_readers_language_and_defanged(database: SQLDatabase) -> None:
    summary = await SummaryBuilder(SummaryStore(database)).country("TH", W47, datetime.now(UTC))
    catalogs = Catalogs()
    english = country_message(summary, "en", catalogs.gettext("en"))
    assert "Reports received: 8 (last week 3, +5 (+167%))" in english
    assert "hxxps://slot[.]example/" in english and "https://slot" not in english
    assert "฿17,000.00 in 2 reports (median ฿8,500.00)" in english  # the region's symbol, not "THB"
    thai = country_message(summary, "th", catalogs.gettext("th"))
    assert "ไทย" in thai and "hxxps://bad[.]example/login" in thai


async def test_the_dashboards_weekly_trend_counts_as_the_weekly_summary_does(database: SQLDatabase) -> None:
    store = SummaryStore(database)
    builder = SummaryBuilder(store)
    weeks = [W47.previous().previous(), W47.previous(), W47, W47.following()]
    boundaries = [week.bounds("Asia/Bangkok")[0] for week in weeks] + [weeks[-1].bounds("Asia/Bangkok")[1]]
    counts = await store.received_per_period("TH", boundaries)
    assert counts == [(await builder.country("TH", week, datetime.now(UTC))).received for week in weeks]
    assert counts[2] == 8 and counts[1] == 3  # the week's 8 reports and last week's 3


async def test_an_empty_week_says_so_without_dividing_by_zero(tmp_path: Path) -> None:
    database = make_database(tmp_path / "empty.db")
    await database.open()
    try:
        summary = await SummaryBuilder(SummaryStore(database)).country("KH", W47, datetime.now(UTC))
    finally:
        await database.close()
    assert (summary.received, summary.change_percent, summary.money, summary.top_indicators) == (0, None, (), ())
    assert summary.decisions.median_decision_seconds is None
    assert "Reports received: 0 (last week 0, 0)" in country_message(summary, "en", Catalogs().gettext("en"))


# ------------------------------------------------------------------------------------------ schedule

MONDAY_NINE = SummarySettings()


@pytest.mark.parametrize(("scope", "zone", "now", "expected_at", "expected_week"), [
    # Monday 09:00 in Bangkok is 02:00 UTC: at 01:59 UTC the latest run is still the week before.
    ("TH", "Asia/Bangkok", datetime(2026, 11, 23, 1, 59, tzinfo=UTC), datetime(2026, 11, 16, 2, 0, tzinfo=UTC),
     Week(2026, 46)),
    ("TH", "Asia/Bangkok", datetime(2026, 11, 23, 2, 0, tzinfo=UTC), datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
     W47),
    # Yangon is UTC+6:30: 02:30 UTC.
    ("MM", "Asia/Yangon", datetime(2026, 11, 23, 2, 29, tzinfo=UTC), datetime(2026, 11, 16, 2, 30, tzinfo=UTC),
     Week(2026, 46)),
    ("MM", "Asia/Yangon", datetime(2026, 11, 23, 2, 30, tzinfo=UTC), datetime(2026, 11, 23, 2, 30, tzinfo=UTC),
     W47),
    # Manila (UTC+8) is already past its Monday 09:00 when Bangkok is not.
    ("PH", "Asia/Manila", datetime(2026, 11, 23, 1, 30, tzinfo=UTC), datetime(2026, 11, 23, 1, 0, tzinfo=UTC),
     W47),
    # On Sunday evening UTC, it is already Monday morning in Dili (UTC+9) but not yet 09:00.
    ("TL", "Asia/Dili", datetime(2026, 11, 22, 23, 0, tzinfo=UTC), datetime(2026, 11, 16, 0, 0, tzinfo=UTC),
     Week(2026, 46)),
])
def test_the_latest_run_follows_each_countrys_clock(scope: str, zone: str, now: datetime, expected_at: datetime,
                                                    expected_week: Week) -> None:
    run = latest_run(scope, zone, now, MONDAY_NINE)
    assert (run.at, run.week) == (expected_at, expected_week)
    assert next_run_at(scope, zone, now, MONDAY_NINE) == expected_at + timedelta(days=7)


def test_a_configured_day_and_time_and_a_new_year() -> None:
    friday_five = SummarySettings(weekday=4, at=time(17, 0))
    # Friday 17:00 in Jakarta (UTC+7) = 10:00 UTC; it reports the last complete week.
    run = latest_run(REGIONAL, "Asia/Jakarta", datetime(2026, 11, 27, 10, 0, tzinfo=UTC), friday_five)
    assert (run.at, run.week) == (datetime(2026, 11, 27, 10, 0, tzinfo=UTC), W47)
    # Monday 4 January 2027 reports ISO week 2026-W53.
    run = latest_run("VN", "Asia/Ho_Chi_Minh", datetime(2027, 1, 4, 3, 0, tzinfo=UTC), MONDAY_NINE)
    assert run.week == Week(2026, 53) and str(purpose("VN", run.week)) == "summary:VN:2026-W53"
    assert summary_of(parse_purpose("summary:VN:2026-W53")) == ("VN", Week(2026, 53))
    assert summary_of(Notice("confirmed")) is None


def test_week_labels_are_checked() -> None:
    assert Week.parse("2026w47") == W47 and W47.label == "2026-W47"
    for bad in ("2026-47", "2025-W53", "W47", "2026-W0"):
        with pytest.raises(ValueError):
            Week.parse(bad)


def _summary_settings(make_settings: Callable[..., Settings]) -> Settings:
    return make_settings(
        deployment={"countries": ["TH", "MM", "PH"]},
        moderators=[],
        summaries={"regional_time_zone": "Asia/Yangon"},
        contacts=[
            {"country": "TH", "name": "Thai centre", "telegram_chat_id": -1001, "language": "th",
             "weekly_summary": True},
            {"country": "TH", "name": "Thai police webhook", "webhook_url": "https://police.example/hook",
             "webhook_secret": "s3cret"},
            {"country": "MM", "name": "Myanmar CERT", "telegram_chat_id": -1002, "language": "my",
             "weekly_summary": True, "regional": True},
            {"country": "PH", "name": "Philippine centre", "telegram_chat_id": -1003, "language": "fil"},
        ],
    )


async def _summary_rows(database: SQLDatabase) -> list[tuple[str, str, str]]:
    rows = await database.fetch_all(
        "SELECT purpose, target, language FROM deliveries WHERE report_id IS NULL ORDER BY purpose, target")
    return [(row["purpose"], row["target"], row["language"]) for row in rows]


async def test_summaries_are_queued_once_per_week_and_recipient_even_across_restarts(
        tmp_path: Path, make_settings: Callable[..., Settings]) -> None:
    settings = _summary_settings(make_settings)
    clock = Clock()
    clock.now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday: the schedule starts here
    woken: list[int] = []

    async def service() -> tuple[SQLDatabase, Summaries]:
        database = make_database(settings.database)
        await database.open()
        summaries = Summaries(store_on(database), settings, Catalogs(), clock)
        summaries.on_due = lambda: woken.append(1)
        return database, summaries

    database, summaries = await service()
    # Last Monday's summaries were due before this deployment first ran: not sent.
    assert await summaries.queue_due() == 0
    # Monday 23 Nov, 01:30 UTC: 09:30 in Manila (no summary contact), 08:30 in Bangkok, 08:00 in Yangon.
    clock.now = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
    assert await summaries.queue_due() == 0
    clock.now = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Bangkok
    assert await summaries.queue_due() == 1
    assert await _summary_rows(database) == [("summary:TH:2026-W47", "-1001", "th")]
    assert await summaries.queue_due() == 0
    await database.close()

    # The bot was down from 02:10 until Tuesday: Yangon's 09:00 (02:30 UTC), which is also the
    # regional summary's here, passed without it. On restart both go out, Thailand's not again.
    clock.now = datetime(2026, 11, 24, 5, 0, tzinfo=UTC)
    database, summaries = await service()
    assert await summaries.queue_due() == 2
    assert await _summary_rows(database) == [
        ("summary:ALL:2026-W47", "-1002", "my"), ("summary:MM:2026-W47", "-1002", "my"),
        ("summary:TH:2026-W47", "-1001", "th")]
    await database.close()
    database, summaries = await service()
    assert await summaries.queue_due() == 0
    await database.close()
    assert len(woken) == 2


def test_a_week_outside_the_years_of_reports_is_refused_not_a_crash() -> None:
    for label in ("0001-W01", "9999-W52"):
        with pytest.raises(ValueError, match="not a year"):
            Week.parse(label)
