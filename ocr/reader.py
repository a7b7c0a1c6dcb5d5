"""Reading one evidence image: its text (in the script the report makes likely) and its QR codes.

Plain synchronous code, run by the bot in a thread pool off the event loop; the caller decides
what the text means (language, category, indicators).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from PIL import Image

from harmline.ocr.codes import read_codes
from harmline.ocr.engine import Engine, Recognition
from harmline.ocr.image import for_text, load
from harmline.ocr.models import probe_set, reading_sets

# The share of a phone screen's height holding the status bar and the chat's header bar.
_HEADER_SHARE = 0.1


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
        return ImageReading(_with_header(best.text, self._header(image, best.models)), round(best.confidence, 1),
                            best.models, codes)

    def _header(self, image: Image.Image, models: str) -> str:
        """The top of a phone screen read on its own: a chat's header bar names the sender (their
        number), in light text on a coloured bar that the whole screen's threshold loses."""
        if image.height < image.width * 1.5:  # not a phone screen held upright
            return ""
        top = image.crop((0, 0, image.width, round(image.height * _HEADER_SHARE)))
        return self.engine.recognise(for_text(top), models).text


def _with_header(text: str, header: str) -> str:
    """``text`` with the header's lines it lacks put first (compared without spaces)."""
    seen = {"".join(line.split()) for line in text.splitlines()}
    missing = [line for line in header.splitlines() if "".join(line.split()) not in seen]
    return "\n".join([*missing, text]) if missing else text


def _score(reading: Recognition) -> float:
    # Confidence alone would prefer one confidently read digit to a page of fairly sure text.
    return reading.confidence * min(len(reading.text), 200)
