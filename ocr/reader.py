"""Reading one evidence image: its text (in the script the report makes likely) and its QR codes.

Plain synchronous code, run by the bot in a thread pool off the event loop; the caller decides
what the text means (language, category, indicators).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from ocr.codes import read_codes
from ocr.engine import Engine, Recognition
from ocr.image import for_text, load
from ocr.models import probe_set, reading_sets


@dataclass(frozen=True)
class ImageReading:
    text: str
    confidence: float  # 0-100
    models: str  # the Tesseract model set that read it ("tha+eng")
    codes: list[str] = field(default_factory=list)  # QR code contents


class ScreenshotReader:
    def __init__(self, languages: Collection[str], *, max_pixels: int) -> None:
        self.languages = frozenset(languages)
        self.max_pixels = max_pixels
        self.engine = Engine()
        self._probe = probe_set(self.languages)

    def read(self, data: bytes, hints: Sequence[str | None], country: str | None) -> ImageReading:
        """The text and codes of the image in ``data``; :class:`ocr.image.UnreadableImage` if it
        is not one. ``hints``: harmline languages the report makes likely, most likely first."""
        image = load(data, self.max_pixels)
        codes = read_codes(image)
        prepared = for_text(image)
        probe = self.engine.recognise(prepared, self._probe) if self._probe else None
        readings = [self.engine.recognise(prepared, models)
                    for models in reading_sets(probe.text if probe else None, hints, country, self.languages)]
        best = max(readings, key=_score)
        return ImageReading(best.text, round(best.confidence, 1), best.models, codes)


def _score(reading: Recognition) -> float:
    # Confidence alone would prefer one confidently read digit to a page of fairly sure text.
    return reading.confidence * min(len(reading.text), 200)
