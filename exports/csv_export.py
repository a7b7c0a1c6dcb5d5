"""Reports as CSV, one row per report, for people: opened in Excel or LibreOffice by
investigators, and attached to the weekly summaries.

Files are UTF-8 with a byte-order mark (``utf-8-sig``): Excel reads a CSV without one in the
computer's ANSI code page, which turns Thai, Khmer, Lao, Burmese and Vietnamese into mojibake.
Other programs (LibreOffice, pandas, Python's csv with ``utf-8-sig``) skip the mark."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import TextIO

from harmline.exports.record import ExportedReport
from harmline.exports.text import iso_utc, plain_amount, readable

ENCODING = "utf-8-sig"
COLUMNS = (
    "reference", "country", "category", "scam_type", "platform", "language", "received_at", "decided_at",
    "money_lost", "loss_amount", "loss_currency", "indicator_count", "indicators",
)
# Formula injection: a spreadsheet runs a cell that starts with = + - @ (or tab/CR before one) as
# a formula, and a formula can call functions or DDE (=HYPERLINK(...), =cmd|'/c calc'!A1). Such a
# cell gets a leading apostrophe, the usual mark of "this is text". Cells that start with + or -
# and hold only digits, spaces, dots, dashes and brackets are left as they are: without a letter
# there is no function, reference nor DDE to run, and phone numbers (+66 81 234 5678) and amounts
# stay readable instead of showing a stray apostrophe.
_FORMULA_START = ("=", "@", "\t", "\r", "+", "-")
_ONLY_NUMBERS = re.compile(r"[+-][\d .()\-]*")
_MONEY_LOST = {True: "yes", False: "no", None: ""}


class CsvWriter:
    """Writes the header at once, then a row per report added."""

    def __init__(self, handle: TextIO) -> None:
        # The caller opens ``handle`` with newline="": the csv module writes RFC 4180's CRLF itself.
        self._rows = csv.writer(handle)
        self._rows.writerow(COLUMNS)

    def add(self, report: ExportedReport) -> None:
        self._rows.writerow([_cell(value) for value in _row(report)])

    def finish(self) -> None:
        """Nothing is pending: every row was written when added."""


def write_csv(records: Iterable[ExportedReport], handle: TextIO) -> None:
    writer = CsvWriter(handle)
    for report in records:
        writer.add(report)
    writer.finish()


def csv_bytes(records: Iterable[ExportedReport]) -> bytes:
    """The whole file, byte-order mark included (an attachment of the weekly summary)."""
    text = io.StringIO(newline="")
    write_csv(records, text)
    return text.getvalue().encode(ENCODING)


def _row(report: ExportedReport) -> list[str | None]:
    return [
        report.reference, report.country, report.category, report.scam_type, report.platform, report.language,
        iso_utc(report.received_at), iso_utc(report.decided_at), _MONEY_LOST[report.money_lost],
        plain_amount(report.loss_amount), report.loss_currency, str(len(report.indicators)),
        "; ".join(f"{indicator.kind}: {readable(indicator)}" for indicator in report.indicators),
    ]


def _cell(value: str | None) -> str:
    if not value:
        return ""
    if value.startswith(_FORMULA_START) and not _ONLY_NUMBERS.fullmatch(value):
        return "'" + value
    return value
