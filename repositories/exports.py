"""Reports and their indicators as exported records, page by page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Protocol

# ExportStatus is defined with the exported record (exports.record, a lower layer) so that the
# writers can word what an export holds; it is the repository's vocabulary all the same.
from harmline.exports.record import EXPORT_STATUSES, ExportedReport, ExportStatus

__all__ = ["EXPORT_STATUSES", "ExportRepository", "ExportStatus"]


class ExportRepository(Protocol):
    """Reports and their indicators as exported records (as they leave harmline), page by page."""

    def reports_since(
        self, since: datetime, country: str | None = None, *, until: datetime | None = None,
        status: ExportStatus = "forwarded",
    ) -> AsyncIterator[ExportedReport]:
        """The reports in ``status`` received at or after ``since`` (and before ``until``), of one
        country or of all, country by country and in order of reception, read a page at a time
        (100k reports are never in memory at once)."""
        ...

    async def reports_between(self, countries: Sequence[str], start: datetime, end: datetime,
                              status: ExportStatus = "forwarded") -> list[ExportedReport]:
        """A week's reports in ``status`` of some countries (the weekly summary's CSV): received in
        [start, end). The CSV has no "first reported" column: those look-ups (random reads in the
        indicator index, most of a cold summary's disk reads) are skipped."""
        ...
