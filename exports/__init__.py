"""Reports and their indicators as they leave harmline, for investigators and CERTs: CSV, JSON Lines,
STIX 2.1."""

from __future__ import annotations

import io
from collections.abc import AsyncIterable
from typing import BinaryIO, Protocol

from harmline.exports import csv_export, jsonl
from harmline.exports.record import EXPORT_STATUSES, ExportedIndicator, ExportedReport, ExportStatus

# Each format with the encoding its file must have (see each module; JSON is UTF-8 without a BOM).
FORMATS = {"csv": csv_export.ENCODING, "jsonl": jsonl.ENCODING, "stix": "utf-8"}
# The TLP levels a STIX export can be marked with (exports.stix.TLP), named here so that the
# command line can offer them without importing stix2.
TLP_LEVELS = ("clear", "white", "green", "amber", "red")


class ReportWriter(Protocol):
    def add(self, report: ExportedReport) -> None: ...

    def finish(self) -> None: ...


async def write_export(format: str, records: AsyncIterable[ExportedReport], handle: BinaryIO, *, producer: str,
                       tlp: str = "amber", status: ExportStatus = "forwarded") -> int:
    """Write ``records`` to ``handle`` (binary: each format sets its own encoding) as they come;
    return how many reports were read. ``producer`` names the deployment (STIX's Identity);
    ``status`` says which reports ``records`` are (STIX's descriptions say what they are)."""
    if format not in FORMATS:
        raise ValueError(f"unknown export format {format!r}: one of {', '.join(FORMATS)}")
    # newline="": the csv module writes CRLF itself, and JSON Lines and STIX keep "\n" everywhere.
    text = io.TextIOWrapper(handle, encoding=FORMATS[format], newline="")
    try:
        writer = _writer(format, text, producer, tlp, status)
        count = 0
        async for report in records:
            writer.add(report)
            count += 1
        writer.finish()
    finally:
        text.detach()  # flushes; the handle is the caller's to close
    return count


def _writer(format: str, handle: io.TextIOWrapper, producer: str, tlp: str, status: ExportStatus) -> ReportWriter:
    if format == "csv":
        return csv_export.CsvWriter(handle)
    if format == "jsonl":
        return jsonl.JsonLinesWriter(handle)
    # Imported here: stix2 takes a third of a second to import, and the bot (weekly summaries'
    # CSV) imports this package without ever writing STIX.
    from harmline.exports.stix import StixWriter

    return StixWriter(handle, producer=producer, tlp=tlp, status=status)


__all__ = ["EXPORT_STATUSES", "FORMATS", "TLP_LEVELS", "ExportStatus", "ExportedIndicator", "ExportedReport",
           "ReportWriter", "write_export"]
