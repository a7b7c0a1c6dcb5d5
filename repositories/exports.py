"""Reports and their indicators as exported records, page by page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Protocol

from harmline.exports.record import ExportedReport


class ExportRepository(Protocol):
    """Reports and their indicators as exported records, page by page."""

    def confirmed_since(
        self, since: datetime, country: str | None = None, *, until: datetime | None = None
    ) -> AsyncIterator[ExportedReport]:
        """Reports confirmed at or after ``since`` (and before ``until``), of one country or of all,
        country by country and in order of decision, read a page at a time (100k reports are
        never in memory at once)."""
        ...

    async def confirmed_between(self, countries: Sequence[str], start: datetime, end: datetime) -> list[ExportedReport]:
        """A week's confirmed reports of some countries (the weekly summary's CSV): decided in
        [start, end). The CSV has no "first reported" column: those look-ups (random reads in the
        indicator index, most of a cold summary's disk reads) are skipped."""
        ...
