"""Reports as JSON Lines, one object per line, for programs: indicator values are raw
(as stored, matchable), with a defanged copy of links and e-mail addresses for any screen that
shows them. UTF-8 without a byte-order mark, as JSON requires; Thai stays Thai (no \\u escapes)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from harmline.exports.record import ExportedIndicator, ExportedReport
from harmline.exports.text import defanged, iso_utc, plain_amount

ENCODING = "utf-8"


class JsonLinesWriter:
    def __init__(self, handle: TextIO) -> None:
        self._handle = handle

    def add(self, report: ExportedReport) -> None:
        self._handle.write(json.dumps(document(report), ensure_ascii=False, separators=(",", ":")) + "\n")

    def finish(self) -> None:
        """Nothing is pending: every line was written when added."""


def write_jsonl(records: Iterable[ExportedReport], handle: TextIO) -> None:
    writer = JsonLinesWriter(handle)
    for report in records:
        writer.add(report)
    writer.finish()


def document(report: ExportedReport) -> dict[str, Any]:
    return {
        "reference": report.reference,
        "country": report.country,
        "category": report.category,
        "scam_type": report.scam_type,
        "platform": report.platform,
        "language": report.language,
        "received_at": iso_utc(report.received_at),
        "decided_at": iso_utc(report.decided_at),
        "money_lost": report.money_lost,
        # A string, so no reader turns 2,500,000,000 VND or 0.1 USDT into a binary float.
        "loss_amount": plain_amount(report.loss_amount),
        "loss_currency": report.loss_currency,
        "indicators": [_indicator(indicator) for indicator in report.indicators],
    }


def _indicator(indicator: ExportedIndicator) -> dict[str, Any]:
    return {
        "kind": indicator.kind,
        "value": indicator.value,
        "detail": indicator.detail,
        "defanged": defanged(indicator),
        "first_reported": iso_utc(indicator.first_reported),
    }
