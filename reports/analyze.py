"""`harmline analyze`: one JSON line in, one JSON line out — the same reading of a text the bot
makes of a report (language, category, indicators), for batch work and other tools.

Input lines: {"text": ..., "language_hint": optional Telegram-style code, "country": optional
ISO code}. Output lines: {"language", "language_confidence", "category", "scam_type",
"confidence", "indicators": [{"type", "value"}], "explanation"}. Lines are read and written one
at a time, so input of any size streams through; a bad line is reported with its number and
skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from harmline.reports.classify import Classifier
from harmline.reports.indicators import extract_indicators
from harmline.reports.language import LanguageDetector
from harmline.routing import home_country
from harmline.settings.model import ASEAN_COUNTRIES


class BadLine(ValueError):
    """An input line that is not a JSON object with a text."""


@dataclass(frozen=True)
class Outcome:
    line_number: int
    output: str | None  # the JSON line to write, or None for a bad line
    problem: str | None = None


class Analyzer:
    def __init__(self, detector: LanguageDetector, classifier: Classifier) -> None:
        self.detector = detector
        self.classifier = classifier

    def analyse(self, item: dict[str, Any]) -> dict[str, Any]:
        text = item.get("text")
        if not isinstance(text, str):
            raise BadLine('"text" must be a string')
        hint, country = item.get("language_hint"), item.get("country")
        if hint is not None and not isinstance(hint, str):
            raise BadLine('"language_hint" must be a string')
        if country is not None and (not isinstance(country, str) or country.upper() not in ASEAN_COUNTRIES):
            raise BadLine(f'"country" must be an ASEAN country code, got {country!r}')
        country = country.upper() if country else None
        detection = self.detector.detect(text, hint, country)
        classification = self.classifier.classify(text)
        # Local numbers are read in the country given, else in the home country of the language;
        # with neither ("ZZ", phonenumbers' unknown region) only international numbers count.
        region = country or home_country(detection.language) or "ZZ"
        return {
            "language": detection.language,
            "language_confidence": detection.confidence,
            "category": classification.category.value,
            "scam_type": classification.scam_type,
            "confidence": round(classification.confidence, 3),
            "indicators": [{"type": i.kind, "value": i.value} for i in extract_indicators(text, region)],
            "explanation": classification.reason,
        }

    def run(self, lines: Iterable[str]) -> Iterator[Outcome]:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise BadLine("not a JSON object")
                result = self.analyse(item)
            except json.JSONDecodeError as problem:
                yield Outcome(number, None, f"not valid JSON ({problem.msg} at column {problem.colno})")
                continue
            except BadLine as problem:
                yield Outcome(number, None, str(problem))
                continue
            yield Outcome(number, json.dumps(result, ensure_ascii=False))


def stream(analyzer: Analyzer, source: TextIO, sink: TextIO, errors: TextIO) -> tuple[int, int]:
    """Analyse ``source`` into ``sink``; bad lines go to ``errors``. Returns (written, bad)."""
    written = bad = 0
    for outcome in analyzer.run(source):
        if outcome.output is None:
            bad += 1
            errors.write(f"harmline analyze: line {outcome.line_number}: {outcome.problem}\n")
        else:
            written += 1
            sink.write(outcome.output + "\n")
    return written, bad
