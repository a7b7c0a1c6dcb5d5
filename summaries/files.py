"""Everything a summary's recipient gets, made in one go: the message, the charts, the printable
PDF and the CSV of the reports received that week and forwarded to a national contact (the same
CSV as ``harmline export``'s default)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from harmline.exports.csv_export import csv_bytes
from harmline.exports.record import ExportedReport
from harmline.settings.model import REGIONAL
from harmline.summaries.charts import Chart, country_charts, regional_charts
from harmline.summaries.document import country_pdf, regional_pdf
from harmline.summaries.figures import CountrySummary, RegionalSummary
from harmline.summaries.message import country_message, regional_message

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class SummaryFiles:
    name: str  # the files' common stem: harmline-TH-2026-W47
    message: str  # Telegram HTML
    charts: list[Chart]
    pdf: bytes
    csv: bytes

    @property
    def pdf_name(self) -> str:
        return self.name + ".pdf"

    @property
    def csv_name(self) -> str:
        return self.name + "-reports.csv"


def make_files(summary: CountrySummary | RegionalSummary, reports: Sequence[ExportedReport], language: str,
               gettext: Gettext) -> SummaryFiles:
    """``reports``: the week's reports for the CSV (ExportRepository.reports_between)."""
    if isinstance(summary, RegionalSummary):
        scope, charts = REGIONAL, regional_charts(summary, language, gettext)
        message, pdf = regional_message(summary, language, gettext), regional_pdf(summary, charts, language, gettext)
    else:
        scope, charts = summary.country, country_charts(summary, language, gettext)
        message, pdf = country_message(summary, language, gettext), country_pdf(summary, charts, language, gettext)
    return SummaryFiles(name=f"harmline-{scope}-{summary.week.label}", message=message, charts=charts, pdf=pdf,
                        csv=csv_bytes(reports))


def write_files(files: SummaryFiles, folder: Path) -> list[Path]:
    """Write every file of a summary into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    contents = {f"{files.name}.html": _message_page(files.message).encode(), files.pdf_name: files.pdf,
                files.csv_name: files.csv}
    contents.update({f"{files.name}-{chart.name}": chart.png for chart in files.charts})
    written = []
    for name, data in contents.items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


def _message_page(message: str) -> str:
    """The Telegram message as a small web page (Telegram's HTML subset is valid HTML)."""
    body = message.replace("\n", "<br>\n")
    return ('<!doctype html>\n<html><head><meta charset="utf-8"><title>harmline</title></head>'
            f"<body>{body}</body></html>\n")
