"""Work on a report's text done before its transaction: the classification, the same-script
fingerprint and the indicators, by the exact text they read.

A transaction must not spend milliseconds of CPU: the units of work of every other report wait
behind it (group commit), and on PostgreSQL its row locks are held meanwhile. So a service reads
the text outside (``ReportRepository.text_parts``), works it out here, and in the transaction
takes the result for the text it finds there. If that text changed in between (another message,
a screenshot read), it is worked out in the transaction after all: correct, only slower, and
counted in ``misses`` so that a test can tell it stays rare.
"""

from __future__ import annotations

from harmline.reports.classify import Classification, Classifier
from harmline.reports.indicators import extract_indicators
from harmline.reports.model import Indicator
from harmline.reports.similarity import Fingerprint, fingerprint


class Prepared:
    def __init__(self, classifier: Classifier) -> None:
        self.classifier = classifier
        self.misses = 0  # results worked out inside a transaction after all (shared by the calls)
        self._classified: dict[str, Classification] = {}
        self._fingerprints: dict[str, Fingerprint] = {}
        self._indicators: dict[tuple[str, str], list[Indicator]] = {}

    def ahead(self, text: str, *, classify: bool = False, fingerprinted: bool = False,
              indicators_in: str | None = None) -> Prepared:
        """Work ``text`` out now, before the transaction."""
        if classify:
            self._classified[text] = self.classifier.classify(text)
        if fingerprinted:
            self._fingerprints[text] = fingerprint(text)
        if indicators_in is not None:
            self._indicators[(text, indicators_in)] = extract_indicators(text, indicators_in)
        return self

    def classification(self, text: str) -> Classification:
        found = self._classified.get(text)
        if found is None:
            self.misses += 1
            found = self._classified[text] = self.classifier.classify(text)
        return found

    def fingerprint(self, text: str) -> Fingerprint:
        found = self._fingerprints.get(text)
        if found is None:
            self.misses += 1
            found = self._fingerprints[text] = fingerprint(text)
        return found

    def indicators(self, text: str, country: str) -> list[Indicator]:
        found = self._indicators.get((text, country))
        if found is None:
            self.misses += 1
            found = self._indicators[(text, country)] = extract_indicators(text, country)
        return found
