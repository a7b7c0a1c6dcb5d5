"""Tesseract through tesserocr (its wheels carry libtesseract and leptonica: nothing to install
on the system), one engine per worker thread and model set, loaded once and reused.

tesserocr releases the GIL while Tesseract works, so a small thread pool reads several images at
once on several cores while the bot's event loop goes on.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

import tesserocr
from PIL import Image

from harmline.ocr.models import TESSDATA

# Lines Tesseract itself doubts this much are icons, avatars and background patterns read as
# letters ("is oc, ဝ ၂ Cc"); they would only mislead the language detector and the classifier.
_MIN_LINE_CONFIDENCE = 40.0
# Engines kept loaded per thread: the probe and the last scripts read (the rest load again when needed).
_KEPT_ENGINES = 3
# Shorter lines are icons and bubble tails read as letters ("=", "cu"), not words.
_MIN_LINE_CHARACTERS = 3
# Tesseract emits these between Indic and South-East Asian letters where the text had none.
_SPURIOUS = dict.fromkeys(map(ord, "\u200c\u200b\ufeff"))


@dataclass(frozen=True)
class Recognition:
    text: str
    confidence: float  # 0-100, Tesseract's, weighted by the length of the lines kept
    models: str


class Engine:
    """Reads text with the given Tesseract model set (``"tha+eng"``)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def _api(self, models: str) -> tesserocr.PyTessBaseAPI:
        apis: OrderedDict[str, tesserocr.PyTessBaseAPI] = self._local.__dict__.setdefault("apis", OrderedDict())
        api = apis.get(models)
        if api is not None:
            apis.move_to_end(models)
        else:
            if len(apis) >= _KEPT_ENGINES:  # each holds its models (the probe's: ~100 MB); loading takes ~0.1 s
                apis.popitem(last=False)[1].End()
            api = tesserocr.PyTessBaseAPI(path=str(TESSDATA), lang=models, psm=tesserocr.PSM.AUTO,
                                          oem=tesserocr.OEM.LSTM_ONLY)
            # Sauvola's local threshold instead of Otsu's global one: photos of screens have a light
            # gradient and a dark surround, where Otsu's threshold left nothing to read (3 of the 8
            # photos in tests/data/screens read empty; CER over the set 0.14 -> 0.10). Its k stays at
            # Tesseract's 0.34: 0.1 read two more header numbers but lost three message indicators.
            api.SetVariable("thresholding_method", "2")
            apis[models] = api
        return api

    def recognise(self, image: Image.Image, models: str) -> Recognition:
        api = self._api(models)
        api.SetImage(image)
        api.Recognize()
        # Line confidences come from the result iterator; the text from GetUTF8Text, which,
        # unlike the iterator's lines, does not put spaces between Thai or Chinese letters.
        doubted: set[str] = set()
        confidences: dict[str, float] = {}
        iterator = api.GetIterator()
        level = tesserocr.RIL.TEXTLINE
        if iterator is not None:
            for line in tesserocr.iterate_level(iterator, level):
                try:
                    key = _key(line.GetUTF8Text(level) or "")
                except RuntimeError:  # tesserocr's "No text returned" for an empty line
                    continue
                confidence = float(line.Confidence(level))
                confidences[key] = confidence
                if confidence < _MIN_LINE_CONFIDENCE:
                    doubted.add(key)
        lines: list[str] = []
        weighted = characters = 0.0
        for raw in (api.GetUTF8Text() or "").splitlines():
            text, key = clean_line(raw), _key(raw)
            if sum(character.isalnum() for character in text) < _MIN_LINE_CHARACTERS or key in doubted:
                continue
            lines.append(text)
            weighted += confidences.get(key, 0.0) * len(text)
            characters += len(text)
        api.Clear()
        return Recognition("\n".join(lines), weighted / characters if characters else 0.0, models)


def _key(line: str) -> str:
    return "".join(clean_line(line).split())


def clean_line(text: str) -> str:
    """One recognised line as a person would type it: NFC, no invisible joiners, single spaces."""
    text = unicodedata.normalize("NFC", text.translate(_SPURIOUS))
    return " ".join(text.split())
