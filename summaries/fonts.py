"""The fonts of the weekly summaries' charts and PDF, shipped in ``summaries/fonts`` (see NOTES.md there).

One place knows them: matplotlib gets a list of families and picks, glyph by glyph, the first that has
it; fpdf2 gets the same fonts as a main font and fallbacks. Latin (with Vietnamese) comes first, so
digits and punctuation look the same in every language; each other script has a font of its own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from fpdf import FPDF
from matplotlib import font_manager

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class Typeface:
    family: str  # the family name the font declares: how matplotlib finds it
    pdf_name: str  # fpdf2's key: lower case, because fpdf2 tells styles apart by an upper-case B/I suffix
    regular: str  # file names in FONTS_DIR
    bold: str | None  # None: bold text in this script is set in the regular face


TYPEFACES: tuple[Typeface, ...] = (
    Typeface("Noto Sans", "noto-sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    Typeface("Noto Sans Thai", "noto-sans-thai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
    Typeface("Noto Sans Khmer", "noto-sans-khmer", "NotoSansKhmer-Regular.ttf", "NotoSansKhmer-Bold.ttf"),
    Typeface("Noto Sans Lao", "noto-sans-lao", "NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf"),
    Typeface("Noto Sans Myanmar", "noto-sans-myanmar", "NotoSansMyanmar-Regular.ttf", "NotoSansMyanmar-Bold.ttf"),
    Typeface("Noto Sans Tamil", "noto-sans-tamil", "NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf"),
    # A subset (GB2312 and the Chinese catalogue's characters): the whole font is 19 MB, its bold as much.
    Typeface("Noto Sans CJK SC", "noto-sans-cjk-sc", "NotoSansCJKsc-Regular-subset.otf", None),
)

# matplotlib's font.family for every text of a chart: a list, so each glyph comes from the first
# family that has it (matplotlib >= 3.6).
FAMILIES: list[str] = [typeface.family for typeface in TYPEFACES]

_registered = False
_register_lock = threading.Lock()


def register_matplotlib() -> None:
    """Add the fonts to matplotlib's (process-wide) font manager, once, whichever thread asks first."""
    global _registered
    with _register_lock:
        if _registered:
            return
        for typeface in TYPEFACES:
            for file_name in (typeface.regular, typeface.bold):
                if file_name:
                    font_manager.fontManager.addfont(str(FONTS_DIR / file_name))
        _registered = True


@cache
def _cmaps() -> tuple[tuple[Typeface, frozenset[int]], ...]:
    cmaps = []
    for typeface in TYPEFACES:
        with TTFont(FONTS_DIR / typeface.regular, lazy=True) as font:
            cmaps.append((typeface, frozenset(font.getBestCmap())))
    return tuple(cmaps)


@cache
def _covered() -> frozenset[int]:
    return frozenset().union(*(code_points for _, code_points in _cmaps()))


PDF_FONT = TYPEFACES[0].pdf_name  # what to give ``set_font``: the Latin font, the others are its fallbacks


class SummaryPDF(FPDF):
    """An FPDF document with the summaries' fonts and HarfBuzz shaping (Thai, Khmer, Lao and Burmese
    vowels and stacked consonants, Tamil ligatures).

    The Latin font is registered at once; each other script's font the first time one of its
    characters is written. fpdf2 embeds every registered font, used or not, and subsetting all
    thirteen takes longer than the rest of a summary: this way an English summary carries one font."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._add_typeface(TYPEFACES[0])
        self._fallbacks: list[str] = []
        self.set_text_shaping(True)

    def _add_typeface(self, typeface: Typeface) -> None:
        self.add_font(typeface.pdf_name, "", str(FONTS_DIR / typeface.regular))
        if typeface.bold:
            self.add_font(typeface.pdf_name, "B", str(FONTS_DIR / typeface.bold))

    def get_fallback_font(self, char: str, style: str = "") -> str | None:
        typeface = next((t for t, code_points in _cmaps()[1:] if ord(char) in code_points), None)
        if typeface and typeface.pdf_name not in self._fallbacks:
            self._add_typeface(typeface)
            self._fallbacks.append(typeface.pdf_name)
            # exact_match=False: bold Chinese falls back to the regular face rather than to nothing.
            self.set_fallback_fonts(self._fallbacks, exact_match=False)
        return super().get_fallback_font(char, style)


def missing_characters(text: str) -> str:
    """The characters of ``text`` that none of the fonts has (line breaks aside), in order, once each."""
    covered = _covered()
    missing = dict.fromkeys(c for c in text if ord(c) not in covered and c not in "\n\r\t")
    return "".join(missing)


def printable(text: str) -> str:
    """``text`` with each character no font has (an emoji, Arabic…) replaced by U+FFFD, so a value a
    citizen sent prints as what it is rather than disappearing."""
    missing = missing_characters(text)
    if not missing:
        return text
    return "".join("\ufffd" if c in missing else c for c in text)
