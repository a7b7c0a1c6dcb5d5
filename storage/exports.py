"""Reports and their indicators as they leave harmline (``harmline export``, the weekly summaries'
CSV), selected by status (repositories.exports.ExportStatus: by default every report forwarded to a
national contact) and by when they were received. Only report facts are read: never a reporter, a
chat, nor the citizen's words."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from decimal import Decimal

from harmline.exports.record import ExportedIndicator, ExportedReport
from harmline.reports.model import ReportStatus
from harmline.reports.purpose import FORWARD
from harmline.repositories.exports import ExportStatus
from harmline.repositories.outbox import DELIVERED
from harmline.repositories.unit_of_work import Row
from harmline.storage.codec import from_text, optional_from_text, to_text
from harmline.storage.units import SQLDatabase

PAGE_SIZE = 500
# What leaves: no reporter_id, no reporter join, nothing of report_messages.
_COLUMNS = (
    "r.id, r.reference, r.country, r.category, r.scam_type, r.platform, r.detected_language, r.created_at,"
    " r.decided_at, r.money_lost, r.loss_value, r.loss_currency"
)
_VALUES_PER_QUERY = 500  # well under SQLite's bound on parameters (999 before 3.32)
# Which reports each status selects, as a condition on ``reports r`` and its parameters. A report
# has a delivered forward per contact that got it, or none (still pending, failed, or review =
# "before_forward" and nobody confirmed it). They are looked up in ix_deliveries_report, named for
# SQLite: left to itself it takes ix_deliveries_due (state = 'delivered'), every delivered row for
# each report. PostgreSQL is given the statement without INDEXED BY (storage.postgres.postgres_sql).
_STATUS_CONDITIONS: dict[ExportStatus, tuple[str, tuple[str, ...]]] = {
    "forwarded": (
        "r.status NOT IN (?, ?, ?) AND EXISTS (SELECT 1 FROM deliveries d INDEXED BY ix_deliveries_report"
        " WHERE d.report_id = r.id AND d.purpose = ? AND d.state = ?)",
        (ReportStatus.REJECTED.value, ReportStatus.MERGED.value, ReportStatus.CANCELLED.value, str(FORWARD),
         DELIVERED)),
    "confirmed": ("r.status = ?", (ReportStatus.CONFIRMED.value,)),
    "received": ("r.status NOT IN (?, ?)", (ReportStatus.CANCELLED.value, ReportStatus.COLLECTING.value)),
}


class ExportStore:
    def __init__(self, database: SQLDatabase, page_size: int = PAGE_SIZE) -> None:
        self.database = database
        self.page_size = page_size

    async def reports_since(self, since: datetime, country: str | None = None, *,
                            until: datetime | None = None,
                            status: ExportStatus = "forwarded") -> AsyncIterator[ExportedReport]:
        """The reports in ``status`` received at or after ``since`` (and before ``until``), of one
        country or of all, country by country and in order of reception, read a page at a time
        (100k reports are never in memory at once)."""
        _condition(status)  # an unknown status fails here, before any country is read
        countries = [country] if country else await self._countries()
        for code in countries:
            async for report in self._of_country(code, since, until, status):
                yield report

    async def reports_between(self, countries: Sequence[str], start: datetime, end: datetime,
                              status: ExportStatus = "forwarded") -> list[ExportedReport]:
        """A week's reports in ``status`` of some countries (the weekly summary's CSV): received in
        [start, end). The CSV has no "first reported" column: those look-ups (random reads in the
        indicator index, most of a cold summary's disk reads) are skipped."""
        return [report for country in countries
                async for report in self._of_country(country, start, end, status, first_reported=False)]

    async def _countries(self) -> list[str]:
        """The countries having any report: one step of ix_reports_received per country (the next
        country after the last one), not a scan of every report's entry."""
        rows = await self.database.fetch_all(
            "WITH RECURSIVE found(country) AS ("
            "SELECT MIN(country) FROM reports INDEXED BY ix_reports_received"
            " UNION ALL SELECT (SELECT MIN(r.country) FROM reports r INDEXED BY ix_reports_received"
            " WHERE r.country > found.country) FROM found WHERE found.country IS NOT NULL)"
            " SELECT country FROM found WHERE country IS NOT NULL ORDER BY country")
        return [row["country"] for row in rows]

    async def _of_country(self, country: str, since: datetime, until: datetime | None, status: ExportStatus, *,
                          first_reported: bool = True) -> AsyncIterator[ExportedReport]:
        # Keyset pages by (created_at, id): a page starts where the last one ended, so each is one
        # range of ix_reports_received however far the export has gone (OFFSET would rescan).
        cursor: tuple[str, int] = (to_text(since), 0)
        while True:
            rows = await self._page(country, cursor, until, status)
            if not rows:
                return
            indicators = await self._indicators([row["id"] for row in rows], first_reported)
            for row in rows:
                yield _report(row, indicators.get(row["id"], ()))
            if len(rows) < self.page_size:
                return
            cursor = (rows[-1]["created_at"], rows[-1]["id"])

    async def _page(self, country: str, cursor: tuple[str, int], until: datetime | None,
                    status: ExportStatus) -> Sequence[Row]:
        condition, status_params = _condition(status)
        before, params = "", [country, cursor[0], *status_params, *cursor]
        if until is not None:
            before = " AND r.created_at < ?"
            params.append(to_text(until))
        # The first created_at bound gives the index range; the row value skips what the previous
        # page already gave among reports received at the same instant. (PostgreSQL is given the
        # statement without INDEXED BY: storage.postgres.postgres_sql.)
        return await self.database.fetch_all(
            f"SELECT {_COLUMNS} FROM reports r INDEXED BY ix_reports_received"
            f" WHERE r.country = ? AND r.created_at >= ? AND {condition} AND r.keep_on_file = 0"
            f" AND (r.created_at, r.id) > (?, ?){before} ORDER BY r.created_at, r.id LIMIT ?",
            (*params, self.page_size))

    async def _indicators(self, report_ids: Sequence[int],
                          first_reported: bool) -> dict[int, tuple[ExportedIndicator, ...]]:
        """The indicators of a page of reports, in two steps whatever the page's size: theirs (the
        report_id prefix of UNIQUE (report_id, kind, value)), then when each value was first reported."""
        rows = await self.database.fetch_all(
            f"SELECT report_id, kind, value, detail FROM indicators WHERE report_id IN ({_marks(report_ids)})"
            " ORDER BY report_id, id", tuple(report_ids))
        first = await self._first_reported({(row["kind"], row["value"]) for row in rows}) if first_reported else {}
        found: defaultdict[int, list[ExportedIndicator]] = defaultdict(list)
        for row in rows:
            key = (row["kind"], row["value"])
            found[row["report_id"]].append(ExportedIndicator(*key, row["detail"], first.get(key)))
        return {report_id: tuple(items) for report_id, items in found.items()}

    async def _first_reported(self, values: set[tuple[str, str]]) -> dict[tuple[str, str], datetime]:
        """When each value was first given by a live report (not withdrawn, not found harmless):
        /check's "since when", even from a report outside the export; STIX's valid_from."""
        by_kind: defaultdict[str, list[str]] = defaultdict(list)
        for kind, value in values:
            by_kind[kind].append(value)
        first: dict[tuple[str, str], datetime] = {}
        for kind, of_kind in by_kind.items():
            for start in range(0, len(of_kind), _VALUES_PER_QUERY):
                chunk = of_kind[start:start + _VALUES_PER_QUERY]
                # One range of ix_indicators_lookup per value. ``(kind, value) IN (VALUES …)`` would
                # scan the whole index instead.
                rows = await self.database.fetch_all(
                    "SELECT value, MIN(report_created_at) AS first_reported FROM indicators"
                    f" INDEXED BY ix_indicators_lookup WHERE kind = ? AND value IN ({_marks(chunk)})"
                    " AND report_live = 1 GROUP BY value", (kind, *chunk))
                first.update(((kind, row["value"]), from_text(row["first_reported"])) for row in rows)
        return first


def _condition(status: ExportStatus) -> tuple[str, tuple[str, ...]]:
    found = _STATUS_CONDITIONS.get(status)
    if found is None:
        raise ValueError(f"unknown export status {status!r}: one of {', '.join(_STATUS_CONDITIONS)}")
    return found


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def _report(row: Row, indicators: tuple[ExportedIndicator, ...]) -> ExportedReport:
    money_lost = None if row["money_lost"] is None else bool(row["money_lost"])
    lost = money_lost and row["loss_value"] is not None
    return ExportedReport(
        reference=row["reference"],
        country=row["country"],
        category=row["category"],
        scam_type=row["scam_type"],
        platform=row["platform"],
        language=row["detected_language"],
        received_at=from_text(row["created_at"]),
        decided_at=optional_from_text(row["decided_at"]),
        money_lost=money_lost,
        loss_amount=Decimal(row["loss_value"]) if lost else None,
        loss_currency=row["loss_currency"] if lost else None,
        indicators=indicators,
    )
