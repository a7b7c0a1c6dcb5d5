"""Screenshot-like evaluation images for harmline's offline OCR (Tesseract).

What citizens forward to the bot is rarely typed text: it is a screenshot of a chat, an SMS or a
social post, or a phone photo of another phone's screen, delivered by Telegram as a JPEG whose long
side is at most 1280 px. This script renders such images from the held-out rows of
``tests/data/classify_eval.jsonl`` so the OCR pipeline can be measured against a known ground
truth, and writes them with ``labels.jsonl`` to ``tests/data/screens/``:

- per language (13), 6 texts picked with ``random.Random(12)``: 4 scam or illegal-gambling rows,
  those with a phone number, link or account number first, and 2 ``other`` rows; rows longer than
  350 characters are never picked. Each of the 6 gets one of the 6 (style, theme) pairs: chat app
  (WhatsApp-, LINE- or Messenger-like), SMS (Android- or iOS-like), social post (Facebook-like,
  with a link-preview box when the text has a link), light or dark;
- 8 "photo of a screen" images (en th zh vi km my id ta): one of that language's screenshots,
  warped in perspective, rotated 2-6 degrees, unevenly lit, blurred, noisy, on a dark surround;
- 6 QR images (posters and chat screenshots; 4 encode a URL, 2 an EMVCo-style payment payload).

Screens are drawn at 1080x2340 (or 1080 x content height for cropped posts), body text 40-46 px,
then downscaled as Telegram does (long side <= 1280 px) and saved as JPEG, quality 80-87 (75 for
the photos). Everything is seeded: a re-run gives the same images.

Text is laid out with per-character font fallback (Pillow does not fall back and draws boxes for
missing glyphs): every line is split into runs by script, and each run is set in Noto Sans (Latin,
Vietnamese, Cyrillic, digits, punctuation), Noto Sans Thai / Khmer / Lao / Myanmar / Tamil, Noto
Sans CJK SC, Noto Color Emoji, or as a last resort Noto Sans Symbols / DejaVu Sans. A character no
font covers stops the script. Shaping uses Pillow's raqm layout (HarfBuzz), which Thai, Khmer,
Myanmar and Tamil need; the script refuses to run without it. Lines are wrapped by measured pixel
width: at spaces, and in th/km/lo/my/zh (no spaces between words) at any character boundary that
does not split a cluster (never before a combining mark, after a Khmer coeng or Myanmar virama,
before a killed Myanmar consonant, before a Thai/Lao following vowel or after a leading vowel).

Fonts are not installed system-wide; they come from three Debian packages, unpacked with dpkg-deb:

- ``fonts-noto-core``: NotoSans-{Regular,Bold}.ttf and NotoSans{Thai,Khmer,Lao,Myanmar,Tamil}-
  {Regular,Bold}.ttf, NotoSansSymbols{,2}-Regular.ttf (truetype/noto/);
- ``fonts-noto-cjk``: NotoSansCJK-{Regular,Bold}.ttc, face 2 = Noto Sans CJK SC (opentype/noto/);
- ``fonts-noto-color-emoji``: NotoColorEmoji.ttf (truetype/noto/), for the emoji in the texts.

    mkdir -p /tmp/fonts && cd /tmp/fonts
    apt-get download fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
    for d in *.deb; do dpkg-deb -x "$d" x; done
    cd /work/main && .venv/bin/pip install segno   # QR codes (not a project dependency)
    .venv/bin/python benchmarks/screens/render.py [--fonts /tmp/fonts/x/usr/share/fonts]
        [--out tests/data/screens]

DejaVu Sans (the system's /usr/share/fonts/truetype/dejavu) is used only if present.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, features

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT / "tests" / "data" / "classify_eval.jsonl"
OUT = ROOT / "tests" / "data" / "screens"
DEFAULT_FONTS = Path("/tmp/fonts/x/usr/share/fonts")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

LANGS = ["en", "ms", "id", "th", "vi", "fil", "zh", "ta", "km", "lo", "my", "tet", "pt"]
NOSPACE = {"th", "km", "lo", "my", "zh"}  # no spaces between words: break between clusters
SEED = 12
MAX_LEN = 350
HARMFUL = ("scam", "illegal_gambling")
N_HARMFUL, N_OTHER = 4, 2
PHOTO_LANGS = ["en", "th", "zh", "vi", "km", "my", "id", "ta"]
SCREEN_W, SCREEN_H = 1080, 2340
TELEGRAM_MAX = 1280

# A link (scheme, www. or a bare domain) or a run of >= 7 digits with spaces/dashes/dots inside.
LINK_RE = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|top|xyz|vip|info|link|cc|co|me|ly|club|site|online"
    r"|win|bet|asia|app|world|rocks|shop|store|live|tk|ph|my|id|vn|th|kh|la|tl|mm|sg|example)\b(?:/\S*)?",
    re.I,
)
NUMBER_RE = re.compile(r"\+?\d[\d\s.\-]{5,}\d")


def has_indicator(text: str) -> bool:
    if LINK_RE.search(text):
        return True
    return any(sum(c.isdigit() for c in m.group()) >= 7 for m in NUMBER_RE.finditer(text))


def first_link(text: str) -> str | None:
    m = LINK_RE.search(text)
    return m.group().rstrip(".,)!»") if m else None


# --------------------------------------------------------------------------------------------------
# Fonts and per-character fallback

FONT_FILES = {
    # key: (regular, bold, ttc index)
    "latin": ("truetype/noto/NotoSans-Regular.ttf", "truetype/noto/NotoSans-Bold.ttf", 0),
    "thai": ("truetype/noto/NotoSansThai-Regular.ttf", "truetype/noto/NotoSansThai-Bold.ttf", 0),
    "khmer": ("truetype/noto/NotoSansKhmer-Regular.ttf", "truetype/noto/NotoSansKhmer-Bold.ttf", 0),
    "lao": ("truetype/noto/NotoSansLao-Regular.ttf", "truetype/noto/NotoSansLao-Bold.ttf", 0),
    "myanmar": ("truetype/noto/NotoSansMyanmar-Regular.ttf", "truetype/noto/NotoSansMyanmar-Bold.ttf", 0),
    "tamil": ("truetype/noto/NotoSansTamil-Regular.ttf", "truetype/noto/NotoSansTamil-Bold.ttf", 0),
    "cjk": ("opentype/noto/NotoSansCJK-Regular.ttc", "opentype/noto/NotoSansCJK-Bold.ttc", 2),
    "symbols2": ("truetype/noto/NotoSansSymbols2-Regular.ttf", "truetype/noto/NotoSansSymbols2-Regular.ttf", 0),
    "symbols": ("truetype/noto/NotoSansSymbols-Regular.ttf", "truetype/noto/NotoSansSymbols-Bold.ttf", 0),
    "emoji": ("truetype/noto/NotoColorEmoji.ttf", "truetype/noto/NotoColorEmoji.ttf", 0),
}
EMOJI_PPEM = 109  # Noto Color Emoji is a bitmap font with this one size
# Minimum line metrics in em (ascent, descent): Noto Sans Khmer's hhea values are Latin ones, too
# small for stacked subscripts and top vowels; phones give Khmer a taller line.
MIN_METRICS = {"khmer": (1.25, 0.6)}
SCRIPT_RANGES = [
    (0x0E00, 0x0E7F, "thai"),
    (0x0E80, 0x0EFF, "lao"),
    (0x1780, 0x17FF, "khmer"),
    (0x19E0, 0x19FF, "khmer"),
    (0x1000, 0x109F, "myanmar"),
    (0xA9E0, 0xA9FF, "myanmar"),
    (0xAA60, 0xAA7F, "myanmar"),
    (0x0B80, 0x0BFF, "tamil"),
    (0x2E80, 0x2FDF, "cjk"),
    (0x3000, 0x303F, "cjk"),
    (0x3040, 0x30FF, "cjk"),
    (0x3100, 0x31FF, "cjk"),
    (0x3400, 0x4DBF, "cjk"),
    (0x4E00, 0x9FFF, "cjk"),
    (0xF900, 0xFAFF, "cjk"),
    (0xFE30, 0xFE4F, "cjk"),
    (0xFF00, 0xFFEF, "cjk"),
    (0x20000, 0x2FFFF, "cjk"),
]
# BMP characters whose default presentation is emoji (a phone draws them in colour).
EMOJI_BMP = {
    *(0x231A, 0x231B, 0x23F0, 0x23F3, 0x25FD, 0x25FE, 0x2614, 0x2615, 0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB),
    *(0x26BD, 0x26BE, 0x26C4, 0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2, 0x26F3, 0x26F5, 0x26FA, 0x26FD),
    *(0x2705, 0x270A, 0x270B, 0x2728, 0x274C, 0x274E, 0x2757, 0x27B0, 0x27BF, 0x2B1B, 0x2B1C, 0x2B50, 0x2B55),
    *range(0x23E9, 0x23ED),
    *range(0x2648, 0x2654),
    *range(0x2753, 0x2756),
    *range(0x2795, 0x2798),
}
ZWJ, ZWNJ, VS16 = "\u200d", "\u200c", "\ufe0f"


def script_of(cp: int) -> str | None:
    for lo, hi, name in SCRIPT_RANGES:
        if lo <= cp <= hi:
            return name
    return None


def joins_previous(ch: str) -> bool:
    """A character that belongs to the cluster before it (drawn in the same font)."""
    cp = ord(ch)
    return (
        unicodedata.category(ch).startswith("M")
        or ch in (ZWJ, ZWNJ)
        or 0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF  # skin tones
        or 0xE0020 <= cp <= 0xE007F  # tag characters (flags of regions)
    )


@dataclass
class Run:
    key: str
    text: str
    width: float


@dataclass
class Line:
    text: str
    runs: list[Run]
    width: float
    ascent: int
    descent: int


@dataclass
class Block:
    lines: list[Line]
    size: int
    bold: bool

    @property
    def width(self) -> float:
        return max((ln.width for ln in self.lines), default=0)

    @property
    def height(self) -> int:
        return sum(ln.ascent + ln.descent for ln in self.lines)


class Fonts:
    def __init__(self, root: Path):
        self.root = root
        missing = [rel for reg, bold, _ in FONT_FILES.values() for rel in (reg, bold) if not (root / rel).exists()]
        if missing:
            sys.exit(f"fonts missing under {root}: {', '.join(sorted(set(missing)))} (see the docstring)")
        from fontTools.ttLib import TTFont

        self.cmaps: dict[str, set[int]] = {}
        for key, (reg, _bold, index) in FONT_FILES.items():
            tt = TTFont(root / reg, fontNumber=index, lazy=True)
            self.cmaps[key] = set(tt.getBestCmap())
            tt.close()
        self.chain = ["latin", "cjk", "symbols2", "symbols"]
        if (DEJAVU / "DejaVuSans.ttf").exists():
            tt = TTFont(DEJAVU / "DejaVuSans.ttf", lazy=True)
            self.cmaps["dejavu"] = set(tt.getBestCmap())
            tt.close()
            self.chain.append("dejavu")
        self.chain.append("emoji")
        self._fonts: dict[tuple[str, bool, int], ImageFont.FreeTypeFont] = {}
        self._width_cache: dict[tuple[str, str, bool, int], float] = {}
        self._emoji_cache: dict[str, Image.Image] = {}

    def font(self, key: str, bold: bool, size: int) -> ImageFont.FreeTypeFont:
        if key == "emoji":
            size = EMOJI_PPEM
        k = (key, bold, size)
        if k not in self._fonts:
            if key == "dejavu":
                path, index = DEJAVU / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"), 0
            else:
                reg, bld, index = FONT_FILES[key]
                path = self.root / (bld if bold else reg)
            self._fonts[k] = ImageFont.truetype(str(path), size, index=index, layout_engine=ImageFont.Layout.RAQM)
        return self._fonts[k]

    # -- runs --------------------------------------------------------------------------------------
    def is_emoji(self, text: str, i: int) -> bool:
        cp = ord(text[i])
        if cp not in self.cmaps["emoji"] or text[i] in " #*0123456789":
            return False
        nxt = text[i + 1] if i + 1 < len(text) else ""
        return cp >= 0x1F000 or cp in EMOJI_BMP or nxt == VS16

    def pick(self, text: str, i: int, prev: str | None) -> str:
        ch = text[i]
        cp = ord(ch)
        if self.is_emoji(text, i):
            return "emoji"
        script = script_of(cp)
        if script and cp in self.cmaps[script]:
            return script
        if ch.isspace() and prev and prev != "emoji" and cp in self.cmaps[prev]:
            return prev
        for key in self.chain:
            if cp in self.cmaps[key]:
                return key
        raise ValueError(f"no font covers U+{cp:04X} {unicodedata.name(ch, '?')} in {text!r}")

    def runs(self, text: str) -> list[tuple[str, str]]:
        out: list[list[str]] = []
        prev: str | None = None
        for i, ch in enumerate(text):
            if prev is not None and (joins_previous(ch) or (text[i - 1] == ZWJ and prev == "emoji")):
                key = prev
            else:
                key = self.pick(text, i, prev)
            if out and out[-1][0] == key:
                out[-1][1] += ch
            else:
                out.append([key, ch])
            prev = key
        return [(k, t) for k, t in out]

    def run_width(self, key: str, text: str, bold: bool, size: int) -> float:
        ck = (key, text, bold, size)
        w = self._width_cache.get(ck)
        if w is None:
            f = self.font(key, bold, size)
            w = f.getlength(text)
            if key == "emoji":
                w *= size / EMOJI_PPEM
            self._width_cache[ck] = w
        return w

    def width(self, text: str, size: int, bold: bool = False) -> float:
        return sum(self.run_width(k, t, bold, size) for k, t in self.runs(text))

    def line(self, text: str, size: int, bold: bool = False) -> Line:
        runs = [Run(k, t, self.run_width(k, t, bold, size)) for k, t in self.runs(text)]
        asc = desc = 0
        keys = {r.key for r in runs} or {"latin"}
        for key in keys:
            if key == "emoji":
                a, d = round(size * 0.95), round(size * 0.25)
            else:
                a, d = self.font(key, bold, size).getmetrics()
                ma, md = MIN_METRICS.get(key, (0, 0))
                a, d = max(a, round(ma * size)), max(d, round(md * size))
            asc, desc = max(asc, a), max(desc, d)
        for r in runs:  # never clip ink: stacked marks may go beyond the font's line metrics
            if r.key != "emoji" and r.text.strip():
                _, top, _, bottom = self.font(r.key, bold, size).getbbox(r.text, anchor="ls")
                asc, desc = max(asc, -top + 2), max(desc, bottom + 2)
        return Line(text, runs, sum(r.width for r in runs), asc, desc)

    def emoji_image(self, text: str) -> Image.Image:
        im = self._emoji_cache.get(text)
        if im is None:
            f = self.font("emoji", False, EMOJI_PPEM)
            asc, desc = f.getmetrics()
            im = Image.new("RGBA", (max(1, math.ceil(f.getlength(text))), asc + desc), (0, 0, 0, 0))
            ImageDraw.Draw(im).text((0, asc), text, font=f, anchor="ls", embedded_color=True)
            self._emoji_cache[text] = im
        return im

    # -- wrapping ----------------------------------------------------------------------------------
    def wrap(self, text: str, maxw: float, size: int, bold: bool = False, nospace: bool = False) -> list[str]:
        """Lines of ``text`` (hard newlines kept) that each fit ``maxw`` pixels."""
        out: list[str] = []
        for para in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            out.extend(self._wrap_para(para, maxw, size, bold, nospace))
        return out

    def _wrap_para(self, para: str, maxw: float, size: int, bold: bool, nospace: bool) -> list[str]:
        para = para.rstrip()
        if not para:
            return [""]
        n = len(para)
        levels = [break_level(para, i, nospace) for i in range(n + 1)]
        lines: list[str] = []
        start = 0
        while start < n:
            if self.width(para[start:], size, bold) <= maxw:
                lines.append(para[start:])
                break
            best: dict[int, int | None] = {0: None, 1: None, 2: None}
            for j in range(start + 1, n):
                lv = levels[j]
                if lv is None:
                    continue
                seg = para[start:j].rstrip()
                if not seg:
                    continue
                if self.width(seg, size, bold) > maxw:
                    break
                for level in range(lv, 3):
                    best[level] = j
            full = best[0] is not None and self.width(para[start : best[0]].rstrip(), size, bold) >= 0.6 * maxw
            if best[0] is not None and (not nospace or full or best[1] is None):
                j = best[0]
            elif nospace and best[1] is not None:
                j = best[1]
            elif best[2] is not None:
                j = best[2]
            else:  # not even one cluster fits: take one cluster anyway
                j = next((k for k in range(start + 1, n) if levels[k] is not None), n)
            lines.append(para[start:j].rstrip())
            start = j
            while start < n and para[start] == " ":
                start += 1
        return lines

    def block(self, text: str, maxw: float, size: int, bold: bool = False, nospace: bool = False) -> Block:
        lines = [self.line(t, size, bold) for t in self.wrap(text, maxw, size, bold, nospace)]
        for ln in lines:
            assert ln.width <= maxw + 0.5 or len(ln.text) <= 3, (ln.text, ln.width, maxw)
        return Block(lines, size, bold)

    # -- drawing -----------------------------------------------------------------------------------
    def draw_line(self, img: Image.Image, line: Line, x: float, baseline: float, size: int, bold: bool, fill) -> None:
        draw = ImageDraw.Draw(img)
        for r in line.runs:
            if r.key == "emoji":
                em = self.emoji_image(r.text)
                scale = size / EMOJI_PPEM
                asc, _ = self.font("emoji", False, EMOJI_PPEM).getmetrics()
                small = em.resize((max(1, round(em.width * scale)), max(1, round(em.height * scale))), Image.LANCZOS)
                img.paste(small, (round(x), round(baseline - asc * scale)), small)
            elif r.text.strip():
                draw.text((x, baseline), r.text, font=self.font(r.key, bold, size), fill=fill, anchor="ls")
            x += r.width

    def draw_block(self, img: Image.Image, block: Block, x: float, y: float, fill, align: str = "left") -> None:
        for ln in block.lines:
            lx = x if align == "left" else x - ln.width / 2 if align == "center" else x - ln.width
            self.draw_line(img, ln, lx, y + ln.ascent, block.size, block.bold, fill)
            y += ln.ascent + ln.descent

    def text(self, img, xy, text, size, fill, bold=False, align="left") -> Block:
        """One line of chrome (no wrapping) drawn with its top at xy."""
        b = Block([self.line(text, size, bold)], size, bold)
        self.draw_block(img, b, xy[0], xy[1], fill, align)
        return b


FOLLOWING_VOWELS = set("\u0e30\u0e32\u0e33\u0e45\u0e46\u0eb0\u0eb2\u0eb3\u0e2f")
LEADING_VOWELS = set("\u0e40\u0e41\u0e42\u0e43\u0e44\u0ec0\u0ec1\u0ec2\u0ec3\u0ec4")
STACKERS = set("\u17d2\u1039")  # Khmer coeng, Myanmar virama: the next consonant is subscript
KILLERS = set("\u103a\u1039")  # Myanmar asat / virama after a consonant: it ends the syllable before
NO_BREAK_BEFORE = set("，。！？、；：）」』】》〉…!?,.:;)]}%»\u104a\u104b\u17d4\u17d5\u17d6")
NO_BREAK_AFTER = set("（「『【《〈([{«")
WORDISH = re.compile(r"[A-Za-z0-9@#&=_/.:%\-+?$฿₱€]")


def cluster_boundary(s: str, i: int) -> bool:
    """May a line start at s[i] without splitting a grapheme cluster (or a Thai/Lao/Myanmar syllable)?"""
    a, b = s[i - 1], s[i]
    if joins_previous(b) or a == ZWJ or a in STACKERS:
        return False
    if b in FOLLOWING_VOWELS or a in LEADING_VOWELS:
        return False
    if i + 1 < len(s) and s[i + 1] in KILLERS:
        return False
    return not (0x1F1E6 <= ord(a) <= 0x1F1FF and 0x1F1E6 <= ord(b) <= 0x1F1FF)


def break_level(s: str, i: int, nospace: bool) -> int | None:
    """0: after spaces (preferred); 1: between clusters of a no-space script; 2: emergency; None: never."""
    if i <= 0 or i >= len(s):
        return None
    a, b = s[i - 1], s[i]
    if b == " ":
        return None
    if a == " ":
        return 0
    if not cluster_boundary(s, i):
        return None
    if not nospace:
        return 2
    if b in NO_BREAK_BEFORE or a in NO_BREAK_AFTER or (WORDISH.match(a) and WORDISH.match(b)):
        return 2
    return 1


# --------------------------------------------------------------------------------------------------
# Texts


def load_rows() -> list[dict]:
    with EVAL.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def pick_texts(rows: list[dict]) -> tuple[dict[str, list[int]], list[str]]:
    """6 row numbers per language; notes on languages short of rows."""
    rng = random.Random(SEED)
    picked: dict[str, list[int]] = {}
    notes: list[str] = []
    for lang in LANGS:
        idx = [i for i, r in enumerate(rows) if r["language"] == lang and len(r["text"]) <= MAX_LEN]
        harm = [i for i in idx if rows[i]["category"] in HARMFUL]
        with_ind = [i for i in harm if has_indicator(rows[i]["text"])]
        without = [i for i in harm if i not in set(with_ind)]
        chosen = rng.sample(with_ind, min(N_HARMFUL, len(with_ind)))
        if len(chosen) < N_HARMFUL:
            k = min(N_HARMFUL - len(chosen), len(without))
            notes.append(f"{lang}: only {len(with_ind)} harmful rows with a number or link; {k} without")
            chosen += rng.sample(without, k)
        others = [i for i in idx if rows[i]["category"] == "other"]
        chosen_o = rng.sample(others, min(N_OTHER, len(others)))
        if len(chosen) + len(chosen_o) < N_HARMFUL + N_OTHER:
            notes.append(f"{lang}: only {len(chosen) + len(chosen_o)} rows available")
        picked[lang] = chosen + chosen_o
    return picked, notes


# --------------------------------------------------------------------------------------------------
# Per-language chrome

LOCALE = {
    "en": ("+65", "Today", "Who is this?", ["Jason Tan", "Michelle Lim", "Auntie Mary"], "+65 8555 {4}"),
    "ms": ("+60", "Hari ini", "Siapa ni?", ["Siti Aminah", "Abang Faiz", "Kak Ros"], "+60 11-5550 {4}"),
    "id": ("+62", "Hari ini", "Ini siapa?", ["Dewi Lestari", "Budi Santoso", "Mas Agus"], "+62 812-5550-{4}"),
    "th": ("+66", "วันนี้", "ใครคะ", ["สมชาย ใจดี", "พี่นก", "น้องฝน"], "+66 81 555 {4}"),
    "vi": ("+84", "Hôm nay", "Ai vậy?", ["Nguyễn Thu Hà", "Anh Tuấn", "Chị Lan"], "+84 90 555 {4}"),
    "fil": ("+63", "Ngayon", "Sino 'to?", ["Maria Santos", "Kuya Jun", "Ate Joy"], "+63 917 555 {4}"),
    "zh": ("+60", "今天", "你是谁？", ["陈美玲", "李伟强", "王阿姨"], "+60 12-555 {4}"),
    "ta": ("+60", "இன்று", "யார் இது?", ["ராஜேஷ் குமார்", "கவிதா", "முருகன்"], "+60 16-555 {4}"),
    "km": ("+855", "ថ្ងៃនេះ", "អ្នកណា?", ["សុខ ចាន់ធី", "ស្រីពៅ", "សុភា"], "+855 12 555 {3}"),
    "lo": ("+856", "ມື້ນີ້", "ແມ່ນໃຜ?", ["ສົມພອນ", "ຄຳຫຼ້າ", "ມະນີ"], "+856 20 5555 {4}"),
    "my": ("+95", "ယနေ့", "ဘယ်သူလဲ", ["မောင်မောင်", "ခင်ခင်", "ကိုဇော်"], "+95 9 555 {3} {2}"),
    "tet": ("+670", "Ohin", "Se mak ne'e?", ["Maria da Costa", "Joaquim", "Mana Ana"], "+670 7755 {4}"),
    "pt": ("+670", "Hoje", "Quem é?", ["Ana Ribeiro", "João Pereira", "Tia Rosa"], "+670 7355 {4}"),
}
SENDER_IDS = ["INFO", "NOTICE", "ALERT-SMS", "PROMO", "62555", "8555"]
PREVIEW_TITLES = ["Official website", "Log in to continue", "Claim your reward", "Register now", "Verify your account"]


def phone_number(lang: str, rng: random.Random) -> str:
    tpl = LOCALE[lang][4]
    return re.sub(r"\{(\d)\}", lambda m: "".join(str(rng.randrange(10)) for _ in range(int(m.group(1)))), tpl)


def clock(rng: random.Random) -> str:
    return f"{rng.randrange(7, 22)}:{rng.randrange(60):02d}"


def later(t: str, rng: random.Random, lo: int, hi: int) -> str:
    """``t`` plus lo..hi minutes (same day)."""
    h, m = map(int, t.split(":"))
    m = min(h * 60 + m + rng.randint(lo, hi), 23 * 60 + 59)
    return f"{m // 60}:{m % 60:02d}"


# --------------------------------------------------------------------------------------------------
# Drawing helpers

PALETTES = {
    # app: {theme: colours}
    "whatsapp": {
        "light": dict(
            bar=(0, 128, 105),
            bar_text=(255, 255, 255),
            bar_sub=(220, 240, 235),
            bg=(236, 229, 221),
            pattern=(224, 214, 203),
            incoming=(255, 255, 255),
            outgoing=(217, 253, 211),
            text=(17, 27, 33),
            out_text=(17, 27, 33),
            meta=(102, 119, 129),
            chip=(225, 242, 251),
            chip_text=(84, 101, 111),
            input=(255, 255, 255),
            input_text=(134, 150, 160),
            status=(0, 110, 90),
            status_text=(255, 255, 255),
            tick=(83, 189, 235),
        ),
        "dark": dict(
            bar=(31, 44, 52),
            bar_text=(233, 237, 239),
            bar_sub=(134, 150, 160),
            bg=(11, 20, 26),
            pattern=(20, 31, 38),
            incoming=(32, 44, 51),
            outgoing=(0, 92, 75),
            text=(233, 237, 239),
            out_text=(233, 237, 239),
            meta=(134, 150, 160),
            chip=(24, 34, 41),
            chip_text=(134, 150, 160),
            input=(32, 44, 51),
            input_text=(134, 150, 160),
            status=(31, 44, 52),
            status_text=(233, 237, 239),
            tick=(83, 189, 235),
        ),
    },
    "line": {
        "light": dict(
            bar=(255, 255, 255),
            bar_text=(20, 20, 20),
            bar_sub=(120, 120, 120),
            bg=(140, 171, 216),
            pattern=(132, 164, 210),
            incoming=(255, 255, 255),
            outgoing=(133, 226, 115),
            text=(20, 20, 20),
            out_text=(20, 20, 20),
            meta=(60, 72, 96),
            chip=(118, 147, 190),
            chip_text=(255, 255, 255),
            input=(255, 255, 255),
            input_text=(150, 150, 150),
            status=(255, 255, 255),
            status_text=(20, 20, 20),
            tick=(60, 72, 96),
        ),
        "dark": dict(
            bar=(28, 28, 32),
            bar_text=(240, 240, 240),
            bar_sub=(150, 150, 150),
            bg=(34, 38, 48),
            pattern=(40, 45, 57),
            incoming=(58, 60, 66),
            outgoing=(74, 150, 66),
            text=(240, 240, 240),
            out_text=(255, 255, 255),
            meta=(150, 155, 165),
            chip=(50, 54, 64),
            chip_text=(200, 200, 200),
            input=(40, 40, 46),
            input_text=(130, 130, 130),
            status=(28, 28, 32),
            status_text=(240, 240, 240),
            tick=(150, 155, 165),
        ),
    },
    "messenger": {
        "light": dict(
            bar=(255, 255, 255),
            bar_text=(5, 5, 5),
            bar_sub=(101, 103, 107),
            bg=(255, 255, 255),
            pattern=None,
            incoming=(240, 240, 240),
            outgoing=(0, 132, 255),
            text=(5, 5, 5),
            out_text=(255, 255, 255),
            meta=(101, 103, 107),
            chip=None,
            chip_text=(101, 103, 107),
            input=(240, 242, 245),
            input_text=(101, 103, 107),
            status=(255, 255, 255),
            status_text=(5, 5, 5),
            tick=(0, 132, 255),
        ),
        "dark": dict(
            bar=(0, 0, 0),
            bar_text=(228, 230, 235),
            bar_sub=(176, 179, 184),
            bg=(0, 0, 0),
            pattern=None,
            incoming=(48, 48, 48),
            outgoing=(0, 132, 255),
            text=(228, 230, 235),
            out_text=(255, 255, 255),
            meta=(176, 179, 184),
            chip=None,
            chip_text=(176, 179, 184),
            input=(36, 37, 38),
            input_text=(176, 179, 184),
            status=(0, 0, 0),
            status_text=(228, 230, 235),
            tick=(0, 132, 255),
        ),
    },
    "android": {
        "light": dict(
            bar=(248, 250, 253),
            bar_text=(31, 31, 31),
            bar_sub=(68, 71, 70),
            bg=(248, 250, 253),
            incoming=(233, 238, 246),
            text=(31, 31, 31),
            meta=(95, 99, 104),
            input=(233, 238, 246),
            input_text=(95, 99, 104),
            status=(248, 250, 253),
            status_text=(31, 31, 31),
            avatar=(120, 144, 156),
        ),
        "dark": dict(
            bar=(31, 31, 31),
            bar_text=(227, 227, 227),
            bar_sub=(196, 199, 197),
            bg=(31, 31, 31),
            incoming=(51, 53, 57),
            text=(227, 227, 227),
            meta=(160, 164, 168),
            input=(51, 53, 57),
            input_text=(160, 164, 168),
            status=(31, 31, 31),
            status_text=(227, 227, 227),
            avatar=(96, 125, 139),
        ),
    },
    "ios": {
        "light": dict(
            bar=(246, 246, 246),
            bar_text=(0, 0, 0),
            bar_sub=(142, 142, 147),
            bg=(255, 255, 255),
            incoming=(233, 233, 235),
            text=(0, 0, 0),
            meta=(142, 142, 147),
            input=(255, 255, 255),
            input_text=(142, 142, 147),
            status=(246, 246, 246),
            status_text=(0, 0, 0),
            avatar=(160, 164, 174),
        ),
        "dark": dict(
            bar=(22, 22, 24),
            bar_text=(255, 255, 255),
            bar_sub=(142, 142, 147),
            bg=(0, 0, 0),
            incoming=(38, 38, 41),
            text=(255, 255, 255),
            meta=(142, 142, 147),
            input=(0, 0, 0),
            input_text=(110, 110, 115),
            status=(22, 22, 24),
            status_text=(255, 255, 255),
            avatar=(99, 99, 102),
        ),
    },
    "feed": {
        "light": dict(
            bg=(240, 242, 245),
            card=(255, 255, 255),
            text=(5, 5, 5),
            meta=(101, 103, 107),
            bar=(255, 255, 255),
            bar_text=(24, 119, 242),
            preview=(240, 242, 245),
            preview_img=(200, 205, 212),
            line=(206, 208, 212),
            status=(255, 255, 255),
            status_text=(5, 5, 5),
            accent=(24, 119, 242),
        ),
        "dark": dict(
            bg=(24, 25, 26),
            card=(36, 37, 38),
            text=(228, 230, 235),
            meta=(176, 179, 184),
            bar=(36, 37, 38),
            bar_text=(228, 230, 235),
            preview=(58, 59, 60),
            preview_img=(78, 80, 84),
            line=(62, 64, 66),
            status=(36, 37, 38),
            status_text=(228, 230, 235),
            accent=(45, 136, 255),
        ),
    },
}
AVATAR_COLOURS = [(255, 152, 0), (0, 150, 136), (103, 58, 183), (233, 30, 99), (63, 81, 181), (139, 195, 74)]


def blend(a, b, t: float):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def status_bar(img: Image.Image, fonts: Fonts, c: dict, rng: random.Random, chrome: list[str], t: str) -> int:
    """Android-like status bar showing the time ``t``; returns its height."""
    d = ImageDraw.Draw(img)
    h = 84
    d.rectangle((0, 0, img.width, h), fill=c["status"])
    fonts.text(img, (48, 14), t, 34, c["status_text"])
    pct = f"{rng.randrange(18, 99)}%"
    b = fonts.text(img, (img.width - 48, 16), pct, 30, c["status_text"], align="right")
    x = img.width - 48 - b.width - 70
    col = c["status_text"]
    d.rounded_rectangle((x, 30, x + 50, 56), radius=6, outline=col, width=3)  # battery
    d.rectangle((x + 51, 38, x + 55, 48), fill=col)
    d.rectangle((x + 6, 36, x + 6 + 38 * int(pct[:-1]) / 100, 50), fill=col)
    for k in range(4):  # signal bars
        d.rectangle((x - 70 + k * 12, 56 - 7 * (k + 1), x - 62 + k * 12, 56), fill=col)
    wx, wy = x - 120, 58  # wifi
    for r in (30, 20, 10):
        d.pieslice((wx - r, wy - r, wx + r, wy + r), 225, 315, fill=col)
        if r > 10:
            d.pieslice((wx - r + 5, wy - r + 5, wx + r - 5, wy + r - 5), 225, 315, fill=c["status"])
    chrome += [t, pct]
    return h


def avatar(img: Image.Image, cx: int, cy: int, r: int, colour, fg=(255, 255, 255)) -> None:
    d = ImageDraw.Draw(img)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
    d.ellipse((cx - r * 0.36, cy - r * 0.62, cx + r * 0.36, cy + r * 0.1), fill=fg)
    d.chord((cx - r * 0.7, cy + r * 0.2, cx + r * 0.7, cy + r * 1.3), 180, 360, fill=fg)


def back_arrow(d: ImageDraw.ImageDraw, x: int, y: int, col, w: int = 5) -> None:
    d.line((x, y, x + 36, y), fill=col, width=w)
    d.line((x, y, x + 18, y - 18), fill=col, width=w)
    d.line((x, y, x + 18, y + 18), fill=col, width=w)


def call_icons(d: ImageDraw.ImageDraw, x: int, y: int, col) -> None:
    d.rounded_rectangle((x, y - 16, x + 36, y + 16), radius=6, fill=col)  # video camera
    d.polygon([(x + 36, y), (x + 54, y - 14), (x + 54, y + 14)], fill=col)
    px = x + 110  # handset
    d.arc((px - 22, y - 22, px + 22, y + 22), 110, 250, fill=col, width=9)
    for ang in (110, 250):
        ex, ey = px + 18 * math.cos(math.radians(ang)), y + 18 * math.sin(math.radians(ang))
        d.ellipse((ex - 9, ey - 9, ex + 9, ey + 9), fill=col)
    for k in (0, 1, 2):  # menu dots
        d.ellipse((x + 190 - 6, y - 22 + k * 20, x + 190 + 6, y - 10 + k * 20), fill=col)


def pattern_background(img: Image.Image, box, bg, colour, seed: int) -> None:
    """WhatsApp/LINE-like faint doodles."""
    d = ImageDraw.Draw(img)
    d.rectangle(box, fill=bg)
    if colour is None:
        return
    rng = random.Random(seed)
    x0, y0, x1, y1 = box
    step = 120
    for gy in range(y0 - step, y1 + step, step):
        for gx in range(x0 - step, x1 + step, step):
            x, y = gx + rng.randrange(0, 60), gy + rng.randrange(0, 60)
            kind = rng.randrange(5)
            s = rng.randrange(18, 34)
            if kind == 0:
                d.ellipse((x, y, x + s, y + s), outline=colour, width=4)
            elif kind == 1:
                d.rounded_rectangle((x, y, x + s, y + s * 0.8), radius=6, outline=colour, width=4)
            elif kind == 2:
                d.line((x, y, x + s, y + s), fill=colour, width=4)
                d.line((x + s, y, x, y + s), fill=colour, width=4)
            elif kind == 3:
                d.polygon([(x, y + s), (x + s / 2, y), (x + s, y + s)], outline=colour, width=4)
            else:
                d.arc((x, y, x + s * 1.4, y + s), 200, 340, fill=colour, width=4)


def gesture_bar(img: Image.Image, colour) -> None:
    d = ImageDraw.Draw(img)
    d.rounded_rectangle(
        (img.width / 2 - 110, img.height - 26, img.width / 2 + 110, img.height - 16), radius=5, fill=colour
    )


# --------------------------------------------------------------------------------------------------
# Styles. Each returns (image at 1080 px wide, chrome strings, rendered lines of the main text, variant).

BODY_SIZES = [40, 42, 44, 46]


@dataclass
class Item:
    lang: str
    text: str
    category: str
    scam_type: str | None
    source_row: int | None
    source: str | None
    style: str
    theme: str
    rng: random.Random
    chrome: list[str] = field(default_factory=list)


def render_chat(fonts: Fonts, it: Item, image: Image.Image | None = None, caption: str | None = None):
    """Chat app screenshot; ``image`` (a QR) is sent as a photo above ``caption`` when given."""
    rng, lang = it.rng, it.lang
    app = rng.choice(["whatsapp", "line", "messenger"])
    c = PALETTES[app][it.theme]
    size = rng.choice(BODY_SIZES)
    W = SCREEN_W
    nospace = lang in NOSPACE
    text = it.text if caption is None else caption
    bubble_max = 860 if app == "whatsapp" else 800  # LINE puts the time outside, right of the bubble
    pad_x, pad_y = 32, 22
    meta_size = 28
    block = fonts.block(text, bubble_max - 2 * pad_x, size, nospace=nospace)
    # canvas height: a phone screen, taller only if the content needs it
    img = Image.new("RGB", (W, SCREEN_H), c["bg"])
    chrome = it.chrome
    t_in = clock(rng)
    t_out = later(t_in, rng, 1, 8)
    sb = status_bar(img, fonts, c, rng, chrome, later(t_out, rng, 0, 40))
    header_h = 150
    top = sb + header_h
    d = ImageDraw.Draw(img)
    pattern_background(img, (0, top, W, SCREEN_H), c["bg"], c.get("pattern"), rng.randrange(10**6))
    d.rectangle((0, sb, W, top), fill=c["bar"])
    unknown = it.category in HARMFUL and rng.random() < 0.6
    number = phone_number(lang, rng)
    name = number if unknown else rng.choice(LOCALE[lang][3])
    back_arrow(d, 30, sb + header_h // 2, c["bar_text"])
    avatar(img, 125, sb + header_h // 2, 44, rng.choice(AVATAR_COLOURS) if app != "whatsapp" else (200, 208, 214))
    sub = number if not unknown and rng.random() < 0.5 else rng.choice(["online", "last seen today", "Active now"])
    if app == "line":
        sub = None
    name_b = fonts.line(name, 44, bold=True)
    name_y = sb + (header_h - name_b.ascent - name_b.descent) // 2 - (22 if sub else 0)
    fonts.text(img, (190, name_y), name, 44, c["bar_text"], bold=True)
    chrome.append(name)
    if sub:
        fonts.text(img, (190, name_y + name_b.ascent + name_b.descent - 4), sub, 32, c["bar_sub"])
        chrome.append(sub)
    call_icons(d, W - 270, sb + header_h // 2, c["bar_text"])

    y = top + 40
    day = LOCALE[lang][1]
    if app == "messenger":
        chip = f"{day} {t_in}"
        fonts.text(img, (W / 2, y), chip, 30, c["chip_text"], align="center")
        y += 70
    else:
        cb = fonts.line(day, 30)
        cw = cb.width + 44
        d.rounded_rectangle(
            (W / 2 - cw / 2, y, W / 2 + cw / 2, y + cb.ascent + cb.descent + 16), radius=14, fill=c["chip"]
        )
        fonts.text(img, (W / 2, y + 8), day, 30, c["chip_text"], align="center")
        chip = day
        y += cb.ascent + cb.descent + 16 + 36
    chrome.append(chip)

    # incoming bubble
    meta = fonts.line(t_in, meta_size)
    inline_meta = app == "whatsapp"
    x0 = 40 if app == "whatsapp" else 130
    if app in ("line", "messenger"):
        avatar(img, 70, y + 44, 38, rng.choice(AVATAR_COLOURS))
    last = block.lines[-1]
    inner_w = block.width
    extra_h = 0
    if inline_meta:
        if last.width + 24 + meta.width <= bubble_max - 2 * pad_x:
            inner_w = max(inner_w, last.width + 24 + meta.width)
        else:
            extra_h = meta.ascent + meta.descent
    img_h = 0
    if image is not None:
        inner_w = max(inner_w, image.width)
        img_h = image.height + 20
    bw, bh = inner_w + 2 * pad_x, img_h + block.height + extra_h + 2 * pad_y
    radius = 40 if app == "messenger" else 22
    d.rounded_rectangle((x0, y, x0 + bw, y + bh), radius=radius, fill=c["incoming"])
    if app == "whatsapp":
        d.polygon([(x0 - 16, y), (x0 + 24, y), (x0 + 24, y + 26)], fill=c["incoming"])
    if image is not None:
        img.paste(image, (x0 + pad_x, y + pad_y))
    fonts.draw_block(img, block, x0 + pad_x, y + pad_y + img_h, c["text"])
    if inline_meta:
        fonts.text(
            img,
            (x0 + bw - pad_x, y + bh - pad_y - meta.ascent - meta.descent + 6),
            t_in,
            meta_size,
            c["meta"],
            align="right",
        )
        chrome.append(t_in)
    elif app == "line":
        fonts.text(img, (x0 + bw + 14, y + bh - meta.ascent - meta.descent), t_in, 26, c["meta"])
        chrome.append(t_in)
    y += bh + 40

    # outgoing reply
    reply = rng.choice([LOCALE[lang][2], LOCALE[lang][2], "ok?", "?"])
    rb = fonts.block(reply, bubble_max - 2 * pad_x, size, nospace=nospace)
    rw = rb.width + 2 * pad_x + (24 + meta.width + 40 if inline_meta else 0)
    rh = rb.height + 2 * pad_y
    x1 = W - 40
    d.rounded_rectangle((x1 - rw, y, x1, y + rh), radius=radius, fill=c["outgoing"])
    if app == "whatsapp":
        d.polygon([(x1 + 16, y), (x1 - 24, y), (x1 - 24, y + 26)], fill=c["outgoing"])
    fonts.draw_block(img, rb, x1 - rw + pad_x, y + pad_y, c["out_text"])
    chrome.append(reply)
    if inline_meta:
        mx = x1 - pad_x - 40
        fonts.text(
            img, (mx, y + rh - pad_y - meta.ascent - meta.descent + 6), t_out, meta_size, c["meta"], align="right"
        )
        ty = y + rh - pad_y - 14
        for off in (0, 12):  # read ticks
            d.line((mx + 6 + off, ty, mx + 14 + off, ty + 8), fill=c["tick"], width=3)
            d.line((mx + 14 + off, ty + 8, mx + 28 + off, ty - 8), fill=c["tick"], width=3)
        chrome.append(t_out)
    elif app == "line":
        fonts.text(img, (x1 - rw - 14, y + rh - 2 * (meta.ascent + meta.descent)), "Read", 26, c["meta"], align="right")
        fonts.text(img, (x1 - rw - 14, y + rh - meta.ascent - meta.descent), t_out, 26, c["meta"], align="right")
        chrome += ["Read", t_out]
    y += rh + 40
    need = y + 180
    if need > SCREEN_H:  # very long content: a taller screen (a scrolling screenshot)
        tall = Image.new("RGB", (W, need), c["bg"])
        tall.paste(img.crop((0, 0, W, y)), (0, 0))
        pattern_background(tall, (0, y, W, need), c["bg"], c.get("pattern"), 7)
        img = tall
    # input bar
    d = ImageDraw.Draw(img)
    H = img.height
    d.rounded_rectangle((24, H - 150, W - 150, H - 50), radius=50, fill=c["input"])
    placeholder = "Message" if app != "messenger" else "Aa"
    fonts.text(img, (90, H - 128), placeholder, 38, c["input_text"])
    chrome.append(placeholder)
    mic = (0, 168, 132) if app == "whatsapp" else c["outgoing"]
    d.ellipse((W - 130, H - 150, W - 30, H - 50), fill=mic)
    d.rounded_rectangle((W - 88, H - 125, W - 72, H - 92), radius=8, fill=(255, 255, 255))
    d.arc((W - 98, H - 115, W - 62, H - 82), 0, 180, fill=(255, 255, 255), width=3)
    gesture_bar(img, c["text"])
    return img, [ln.text for ln in block.lines], app


def render_sms(fonts: Fonts, it: Item):
    rng, lang = it.rng, it.lang
    app = rng.choice(["android", "ios"])
    c = PALETTES[app][it.theme]
    size = rng.choice(BODY_SIZES)
    W = SCREEN_W
    nospace = lang in NOSPACE
    img = Image.new("RGB", (W, SCREEN_H), c["bg"])
    chrome = it.chrome
    t = clock(rng)
    sb = status_bar(img, fonts, c, rng, chrome, later(t, rng, 1, 90))
    d = ImageDraw.Draw(img)
    if it.category in HARMFUL:
        sender = phone_number(lang, rng) if rng.random() < 0.6 else rng.choice(SENDER_IDS)
    else:
        sender = phone_number(lang, rng) if rng.random() < 0.5 else rng.choice(LOCALE[lang][3])
    day = LOCALE[lang][1]
    if app == "android":
        hh = 150
        d.rectangle((0, sb, W, sb + hh), fill=c["bar"])
        back_arrow(d, 36, sb + hh // 2, c["bar_text"])
        avatar(img, 140, sb + hh // 2, 42, c["avatar"])
        nb = fonts.line(sender, 44)
        fonts.text(img, (205, sb + (hh - nb.ascent - nb.descent) // 2), sender, 44, c["bar_text"])
        for k in range(3):
            d.ellipse((W - 60, sb + hh // 2 - 26 + k * 22, W - 48, sb + hh // 2 - 14 + k * 22), fill=c["bar_text"])
        y = sb + hh + 50
        dateline = f"{day} • {t}"
        fonts.text(img, (W / 2, y), dateline, 30, c["meta"], align="center")
        chrome += [sender, dateline]
        y += 80
        x0, radius = 40, 44
        bubble_max = 860
    else:
        hh = 230
        d.rectangle((0, sb, W, sb + hh), fill=c["bar"])
        d.line((0, sb + hh, W, sb + hh), fill=blend(c["bar"], c["text"], 0.15), width=2)
        back_arrow(d, 36, sb + 70, (10, 132, 255), w=6)
        avatar(img, W // 2, sb + 80, 58, c["avatar"])
        fonts.text(img, (W / 2, sb + 150), sender + " ›", 32, c["bar_text"], align="center")
        chrome.append(sender + " ›")
        y = sb + hh + 40
        label = "Text Message"
        fonts.text(img, (W / 2, y), label, 28, c["meta"], align="center", bold=True)
        fonts.text(img, (W / 2, y + 42), f"{day} {t}", 28, c["meta"], align="center")
        chrome += [label, f"{day} {t}"]
        y += 120
        x0, radius = 36, 40
        bubble_max = 800
    pad_x, pad_y = 34, 24
    block = fonts.block(it.text, bubble_max - 2 * pad_x, size, nospace=nospace)
    bw, bh = block.width + 2 * pad_x, block.height + 2 * pad_y
    d.rounded_rectangle((x0, y, x0 + bw, y + bh), radius=radius, fill=c["incoming"])
    if app == "ios":
        d.polygon([(x0 + 6, y + bh - 44), (x0 - 14, y + bh), (x0 + 34, y + bh - 8)], fill=c["incoming"])
    fonts.draw_block(img, block, x0 + pad_x, y + pad_y, c["text"])
    y += bh + 20
    if app == "android" and rng.random() < 0.5:
        fonts.text(img, (x0 + 10, y), t, 26, c["meta"])
        chrome.append(t)
    y += 60
    need = y + 200
    if need > SCREEN_H:
        tall = Image.new("RGB", (W, need), c["bg"])
        tall.paste(img.crop((0, 0, W, y)), (0, 0))
        img = tall
    d = ImageDraw.Draw(img)
    H = img.height
    if app == "android":
        d.rounded_rectangle((130, H - 160, W - 150, H - 60), radius=50, fill=c["input"])
        d.ellipse((30, H - 150, 110, H - 70), outline=c["meta"], width=4)
        d.line((70, H - 128, 70, H - 92), fill=c["meta"], width=4)
        d.line((52, H - 110, 88, H - 110), fill=c["meta"], width=4)
        ph = "Text message"
        fonts.text(img, (180, H - 136), ph, 36, c["input_text"])
    else:
        d.rounded_rectangle(
            (130, H - 160, W - 40, H - 70), radius=45, outline=blend(c["bg"], c["meta"], 0.5), width=3, fill=c["input"]
        )
        d.ellipse((30, H - 155, 110, H - 75), fill=blend(c["bg"], c["meta"], 0.25))
        ph = "Text Message"
        fonts.text(img, (170, H - 138), ph, 36, c["input_text"])
    chrome.append(ph)
    gesture_bar(img, c["text"])
    return img, [ln.text for ln in block.lines], app


def render_post(fonts: Fonts, it: Item):
    rng, lang = it.rng, it.lang
    c = PALETTES["feed"][it.theme]
    size = rng.choice(BODY_SIZES)
    W = SCREEN_W
    nospace = lang in NOSPACE
    cropped = rng.random() < 0.5
    img = Image.new("RGB", (W, SCREEN_H * 2), c["bg"])
    chrome = it.chrome
    d = ImageDraw.Draw(img)
    y = 0
    if not cropped:
        y = status_bar(img, fonts, c, rng, chrome, clock(rng))
        d.rectangle((0, y, W, y + 130), fill=c["bar"])
        back_arrow(d, 36, y + 65, c["text"])
        title = "Post"
        fonts.text(img, (110, y + 36), title, 44, c["text"], bold=True)
        chrome.append(title)
        d.ellipse((W - 100, y + 35, W - 50, y + 85), outline=c["text"], width=5)  # search
        d.line((W - 58, y + 80, W - 38, y + 100), fill=c["text"], width=6)
        y += 130 + 16
    d.rectangle((0, y, W, SCREEN_H * 2), fill=c["card"])
    y += 36
    author = (
        rng.choice(LOCALE[lang][3])
        if rng.random() < 0.6
        else rng.choice(["Lucky Draw Official", "Promo Center", "Daily Deals Asia", "Job Vacancy Asia", "Rewards Hub"])
    )
    avatar(img, 80, y + 50, 50, rng.choice(AVATAR_COLOURS))
    ab = fonts.text(img, (150, y + 2), author, 40, c["text"], bold=True)
    when = rng.choice(["2h", "5h", "1d", "12m", "3d"])
    fonts.text(img, (150, y + 4 + ab.height), when + " ·", 32, c["meta"])
    gx = 150 + fonts.width(when + " ·", 32) + 26
    gy = y + 4 + ab.height + 26
    d.ellipse((gx - 14, gy - 14, gx + 14, gy + 14), outline=c["meta"], width=3)  # globe
    d.line((gx - 14, gy, gx + 14, gy), fill=c["meta"], width=2)
    d.ellipse((gx - 6, gy - 14, gx + 6, gy + 14), outline=c["meta"], width=2)
    for k in range(3):
        d.ellipse((W - 150 + k * 20, y + 40, W - 140 + k * 20, y + 50), fill=c["meta"])
    d.line((W - 70, y + 30, W - 40, y + 60), fill=c["meta"], width=4)
    d.line((W - 40, y + 30, W - 70, y + 60), fill=c["meta"], width=4)
    chrome += [author, when + " ·"]
    y += 130
    pad = 40
    block = fonts.block(it.text, W - 2 * pad, size, nospace=nospace)
    fonts.draw_block(img, block, pad, y, c["text"])
    y += block.height + 30
    link = first_link(it.text)
    if link:
        domain = re.sub(r"^(https?://)?(www\.)?", "", link, flags=re.I).split("/")[0].upper()
        ptitle = rng.choice(PREVIEW_TITLES)
        d.rectangle((0, y, W, y + 480), fill=c["preview_img"])
        cx, cy = W // 2, y + 240  # image placeholder: a landscape icon
        hills = [(cx - 160, cy + 90), (cx - 40, cy - 40), (cx + 40, cy + 40), (cx + 90, cy - 10), (cx + 180, cy + 90)]
        d.polygon(hills, fill=blend(c["preview_img"], c["card"], 0.5))
        d.ellipse((cx + 60, cy - 110, cx + 120, cy - 50), fill=blend(c["preview_img"], c["card"], 0.5))
        y += 480
        d.rectangle((0, y, W, y + 170), fill=c["preview"])
        fonts.text(img, (pad, y + 24), domain, 30, c["meta"])
        tb = fonts.line(ptitle, 38, bold=True)
        fonts.text(img, (pad, y + 24 + 50), ptitle, 38, c["text"], bold=True)
        y += max(170, 24 + 50 + tb.ascent + tb.descent + 24)
        chrome += [domain, ptitle]
    y += 24
    likes, comments, shares = rng.randrange(3, 900), rng.randrange(0, 200), rng.randrange(0, 90)
    d.ellipse((pad, y, pad + 40, y + 40), fill=c["accent"])
    d.ellipse((pad + 30, y, pad + 70, y + 40), fill=(243, 62, 88))
    fonts.text(img, (pad + 84, y - 2), str(likes), 32, c["meta"])
    stats = f"{comments} comment{'s' * (comments != 1)}  {shares} share{'s' * (shares != 1)}"
    fonts.text(img, (W - pad, y - 2), stats, 32, c["meta"], align="right")
    chrome += [str(likes), stats]
    y += 70
    d.line((pad, y, W - pad, y), fill=c["line"], width=2)
    y += 20
    for k, label in enumerate(["Like", "Comment", "Share"]):
        cx = W * (2 * k + 1) / 6
        fonts.text(img, (cx + 24, y + 6), label, 34, c["meta"], align="center")
        d.rounded_rectangle(
            (cx - fonts.width(label, 34) / 2 - 30, y + 18, cx - fonts.width(label, 34) / 2 - 2, y + 50),
            radius=6,
            outline=c["meta"],
            width=3,
        )
        chrome.append(label)
    y += 80
    if cropped:
        img = img.crop((0, 0, W, y + 10))
    else:
        # the next post's top, then the bottom of the screen
        d.rectangle((0, y, W, y + 16), fill=c["bg"])
        y += 16
        avatar(img, 80, y + 86, 50, rng.choice(AVATAR_COLOURS))
        d.rounded_rectangle((150, y + 50, 520, y + 80), radius=12, fill=c["line"])
        d.rounded_rectangle((150, y + 100, 360, y + 122), radius=10, fill=c["line"])
        for k in range(3):
            d.rounded_rectangle((pad, y + 180 + k * 60, W - pad - k * 180, y + 210 + k * 60), radius=12, fill=c["line"])
        H = max(SCREEN_H, y + 500)
        img = img.crop((0, 0, W, H))
        gesture_bar(img, c["text"])
    return img, [ln.text for ln in block.lines], "feed-cropped" if cropped else "feed"


# --------------------------------------------------------------------------------------------------
# Telegram delivery, photos of screens


def telegram(img: Image.Image) -> Image.Image:
    long = max(img.size)
    if long <= TELEGRAM_MAX:
        return img
    s = TELEGRAM_MAX / long
    return img.resize((round(img.width * s), round(img.height * s)), Image.LANCZOS)


def perspective_coeffs(dst: list[tuple[float, float]], src: list[tuple[float, float]]) -> list[float]:
    """Coefficients for Image.transform(PERSPECTIVE): output point (x, y) in dst -> input point in src."""
    a = []
    b = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        a.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        a.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        b += [u, v]
    return list(np.linalg.solve(np.array(a, float), np.array(b, float)))


def photo_of_screen(screen: Image.Image, seed: int) -> Image.Image:
    """A phone photographed on a table: bezel, perspective, rotation, uneven light, blur, noise."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    bez = 46
    phone = Image.new("RGB", (screen.width + 2 * bez, screen.height + 2 * bez), (14, 14, 16))
    phone.paste(screen, (bez, bez))
    mask = Image.new("L", phone.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, phone.width - 1, phone.height - 1), radius=110, fill=255)
    CW, CH = 1500, 2000
    # surround: a dark desk, a little lighter at one corner
    yy, xx = np.mgrid[0:CH, 0:CW].astype(np.float32)
    base = np.array(rng.choice([(52, 44, 38), (38, 40, 44), (60, 54, 48), (30, 30, 32)]), np.float32)
    ramp = 0.7 + 0.5 * (xx / CW * 0.4 + yy / CH * 0.6)
    desk = base[None, None, :] * ramp[..., None] + nrng.normal(0, 5, (CH, CW, 1)).astype(np.float32)
    canvas = Image.fromarray(np.clip(desk, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(2))
    # where the phone's corners land
    h = min(CH * rng.uniform(0.90, 0.98), CW * 0.92 * phone.height / phone.width)
    w = h * phone.width / phone.height
    cx, cy = CW / 2 + rng.uniform(-60, 60), CH / 2 + rng.uniform(-30, 30)
    angle = math.radians(rng.choice([-1, 1]) * rng.uniform(2, 6))
    top_shrink = rng.uniform(0.02, 0.08)  # the camera tilted: the far edge looks narrower
    side = rng.uniform(-0.03, 0.03)
    corners = [
        (-w / 2 * (1 - top_shrink), -h / 2),
        (w / 2 * (1 - top_shrink), -h / 2 + side * h),
        (w / 2, h / 2),
        (-w / 2, h / 2 - side * h),
    ]
    ca, sa = math.cos(angle), math.sin(angle)
    dst = [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in corners]
    src = [(0, 0), (phone.width, 0), (phone.width, phone.height), (0, phone.height)]
    coeffs = perspective_coeffs(dst, src)
    warped = phone.transform((CW, CH), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    wmask = mask.transform((CW, CH), Image.PERSPECTIVE, coeffs, Image.BICUBIC)
    canvas.paste(warped, (0, 0), wmask)
    # uneven light across the whole photo
    arr = np.asarray(canvas).astype(np.float32)
    theta = rng.uniform(0, 2 * math.pi)
    g = (xx - CW / 2) * math.cos(theta) + (yy - CH / 2) * math.sin(theta)
    g = g / np.abs(g).max()
    lo, hi = rng.uniform(0.72, 0.85), rng.uniform(1.0, 1.1)
    arr *= (lo + (hi - lo) * (g + 1) / 2)[..., None]
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    img = img.resize((960, 1280), Image.LANCZOS).filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.2)))
    arr = np.asarray(img).astype(np.float32) + nrng.normal(0, 3.5, (1280, 960, 1)).astype(np.float32)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


# --------------------------------------------------------------------------------------------------
# QR images


def crc16_ccitt(data: str) -> int:
    crc = 0xFFFF
    for byte in data.encode("ascii"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    return f"{tag}{len(value):02d}{value}"


def emv(fields: list[tuple[str, str]]) -> str:
    """An EMVCo merchant-presented QR payload (the CRC is a real CRC-16/CCITT-FALSE)."""
    payload = "".join(tlv(t, v) for t, v in fields) + "6304"
    return payload + f"{crc16_ccitt(payload):04X}"


DUITNOW = emv(
    [
        ("00", "01"),
        ("01", "12"),
        ("26", tlv("00", "A0000006150001") + tlv("01", "890053") + tlv("02", "5550218840917")),
        ("52", "4215"),
        ("53", "458"),
        ("54", "3.50"),
        ("58", "MY"),
        ("59", "PENGHANTARAN EKSPRES"),
        ("60", "KUALA LUMPUR"),
        ("62", tlv("01", "INV884120") + tlv("08", "CAJ PENGHANTARAN")),
    ]
)
QRIS = emv(
    [
        ("00", "01"),
        ("01", "12"),
        (
            "26",
            tlv("00", "ID.CO.QRIS.WWW")
            + tlv("01", "936005550123456789")
            + tlv("02", "5550123456789")
            + tlv("03", "UMI"),
        ),
        ("51", tlv("00", "ID.CO.QRIS.WWW") + tlv("02", "ID1025555012345") + tlv("03", "UMI")),
        ("52", "5499"),
        ("53", "360"),
        ("54", "50000"),
        ("58", "ID"),
        ("59", "TOKO BERKAH 88"),
        ("60", "JAKARTA BARAT"),
        ("61", "11530"),
        ("62", tlv("07", "A01")),
    ]
)

QR_ITEMS = [
    # (lang, kind, theme, encoded, text lines, category, scam_type)
    (
        "en",
        "poster",
        "light",
        "https://claim-prize.example-win.top/r/8841",
        ["SCAN TO CLAIM", "YOUR PRIZE", "Lucky Draw 2025: cash prize RM 8,888", "Offer ends 31 May. Limited winners!"],
        "scam",
        "prize",
    ),
    (
        "vi",
        "chat",
        "dark",
        "https://nhanthuong-vn.example-win.top/q/5521",
        ["Quét mã để nhận thưởng 5.000.000đ từ chương trình tri ân khách hàng"],
        "scam",
        "prize",
    ),
    (
        "th",
        "poster",
        "dark",
        "https://rangwan-th.example-win.top/r/3307",
        ["สแกนเพื่อรับรางวัล", "ลุ้นรับทองคำ 1 บาท ทุกวัน", "หมดเขต 30 มิ.ย. นี้เท่านั้น"],
        "scam",
        "prize",
    ),
    (
        "zh",
        "chat",
        "light",
        "https://lingjiang.example-win.top/cn/7716",
        ["扫码领取奖品，名额有限，先到先得！"],
        "scam",
        "prize",
    ),
    (
        "ms",
        "chat",
        "light",
        DUITNOW,
        ["Bungkusan anda tertahan. Imbas DuitNow QR ini untuk bayar caj penghantaran semula RM3.50 dalam masa 24 jam."],
        "scam",
        "phishing",
    ),
    (
        "id",
        "poster",
        "light",
        QRIS,
        ["DEPOSIT VIA QRIS", "Bonus new member 100%", "Scan & deposit min 10rb, langsung main!"],
        "illegal_gambling",
        None,
    ),
]


def qr_image(data: str, module: int) -> Image.Image:
    import segno

    q = segno.make(data, error="m", micro=False)
    rows = [list(r) for r in q.matrix_iter(scale=1, border=4)]
    arr = np.where(np.array(rows, dtype=bool), 0, 255).astype(np.uint8)
    im = Image.fromarray(arr, "L").resize((arr.shape[1] * module, arr.shape[0] * module), Image.NEAREST)
    return im.convert("RGB")


def render_qr_poster(fonts: Fonts, it: Item, data: str, lines: list[str]):
    rng = it.rng
    W, H = 1080, 1440
    dark = it.theme == "dark"
    top, bottom = ((90, 10, 20), (30, 0, 10)) if dark else ((255, 213, 79), (255, 111, 0))
    yy = np.linspace(0, 1, H, dtype=np.float32)[:, None, None]
    grad = np.array(top, np.float32) * (1 - yy) + np.array(bottom, np.float32) * yy
    img = Image.fromarray(np.repeat(grad, W, axis=1).astype(np.uint8))
    d = ImageDraw.Draw(img)
    for _ in range(14):  # confetti, in the margins
        x = rng.choice([rng.randrange(0, 60), rng.randrange(W - 90, W - 30)])
        y, s = rng.randrange(H), rng.randrange(14, 30)
        colour = rng.choice([(255, 255, 255), (220, 30, 60), (255, 235, 59), (0, 200, 120)])
        d.ellipse((x, y, x + s, y + s), fill=colour)
    fg = (255, 236, 160) if dark else (120, 20, 10)
    nospace = it.lang in NOSPACE
    y = 70
    shown = []
    n_title = 2 if len(lines) == 4 else 1
    for t in lines[:n_title]:
        b = fonts.block(t, W - 120, 92, bold=True, nospace=nospace)
        fonts.draw_block(img, b, W / 2, y, fg, align="center")
        y += b.height + 6
        shown += [ln.text for ln in b.lines]
    b = fonts.block(lines[n_title], W - 140, 48, bold=True, nospace=nospace)
    fonts.draw_block(img, b, W / 2, y + 10, (255, 255, 255) if dark else (60, 10, 0), align="center")
    y += b.height + 40
    shown += [ln.text for ln in b.lines]
    module = 16 if len(data) < 60 else 11
    q = qr_image(data, module)
    card = 40
    qx = (W - q.width) // 2
    d.rounded_rectangle((qx - card, y, qx + q.width + card, y + q.height + 2 * card), radius=36, fill=(255, 255, 255))
    img.paste(q, (qx, y + card))
    y += q.height + 2 * card + 40
    for t in lines[n_title + 1 :]:
        b = fonts.block(t, W - 140, 40, nospace=nospace)
        fonts.draw_block(img, b, W / 2, y, (255, 255, 255) if dark else (40, 10, 0), align="center")
        y += b.height + 10
        shown += [ln.text for ln in b.lines]
    img = img.crop((0, 0, W, max(y + 60, 1100)))
    return img, shown, "poster"


# --------------------------------------------------------------------------------------------------


def save_jpeg(img: Image.Image, path: Path, quality: int) -> None:
    img.save(path, "JPEG", quality=quality, optimize=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fonts", type=Path, default=DEFAULT_FONTS, help="the unpacked usr/share/fonts (see above)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    if not features.check("raqm"):
        sys.exit("Pillow has no raqm layout here: Thai, Khmer, Myanmar and Tamil would be shaped wrongly")
    t0 = time.perf_counter()
    fonts = Fonts(args.fonts)
    rows = load_rows()
    picked, notes = pick_texts(rows)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.jpg"):
        old.unlink()
    labels: list[dict] = []
    combos = [(s, t) for s in ("chat", "sms", "post") for t in ("light", "dark")]
    renderers = {"chat": render_chat, "sms": render_sms, "post": render_post}
    # photo candidates: the language's scam/gambling screenshots that are exactly one phone screen
    photo_bases: dict[str, list[tuple[Image.Image, dict]]] = {}
    for lang in LANGS:
        lrng = random.Random(f"{SEED}-{lang}")
        order = combos[:]
        lrng.shuffle(order)
        for n, (row_no, (style, theme)) in enumerate(zip(picked[lang], order, strict=False), start=1):
            row = rows[row_no]
            it = Item(
                lang,
                row["text"],
                row["category"],
                row.get("scam_type"),
                row_no,
                row.get("source"),
                style,
                theme,
                random.Random(f"{SEED}-{lang}-{n}"),
            )
            img, lines, variant = renderers[style](fonts, it)
            small = telegram(img)
            q = it.rng.randint(80, 87)
            name = f"{lang}-{n:02d}-{style}-{theme}.jpg"
            save_jpeg(small, out / name, q)
            label = {
                "file": name,
                "language": lang,
                "text": row["text"],
                "chrome": it.chrome,
                "category": row["category"],
                "scam_type": row.get("scam_type"),
                "style": style,
                "theme": theme,
                "qr": None,
                "source_row": row_no,
                "source": row.get("source"),
                "variant": variant,
                "lines": lines,
                "size": list(small.size),
                "quality": q,
                "base_file": None,
            }
            labels.append(label)
            if lang in PHOTO_LANGS and row["category"] in HARMFUL and img.size == (SCREEN_W, SCREEN_H):
                photo_bases.setdefault(lang, []).append((img, label))
    for k, lang in enumerate(PHOTO_LANGS):
        img, base = random.Random(f"{SEED}-photo-{lang}").choice(photo_bases[lang])
        photo = photo_of_screen(img, seed=1000 + k)
        name = f"{lang}-07-photo-{base['theme']}.jpg"
        save_jpeg(photo, out / name, 75)
        labels.append(
            {
                **base,
                "file": name,
                "style": "photo",
                "variant": f"photo of {base['variant']}",
                "size": list(photo.size),
                "quality": 75,
                "base_file": base["file"],
            }
        )
    for k, (lang, kind, theme, data, lines, category, scam_type) in enumerate(QR_ITEMS, start=1):
        it = Item(lang, "\n".join(lines), category, scam_type, None, None, "qr", theme, random.Random(f"{SEED}-qr-{k}"))
        if kind == "poster":
            img, shown, variant = render_qr_poster(fonts, it, data, lines)
        else:
            qimg = qr_image(data, 14 if len(data) < 60 else 10)
            img, shown, variant = render_chat(fonts, it, image=qimg, caption=it.text)
            variant = f"{variant} (QR photo)"
        small = telegram(img)
        q = it.rng.randint(80, 87)
        name = f"qr-{k:02d}-{lang}-{kind}-{theme}.jpg"
        save_jpeg(small, out / name, q)
        labels.append(
            {
                "file": name,
                "language": lang,
                "text": it.text,
                "chrome": it.chrome,
                "category": category,
                "scam_type": scam_type,
                "style": "qr",
                "theme": theme,
                "qr": data,
                "source_row": None,
                "source": None,
                "variant": variant,
                "lines": shown,
                "size": list(small.size),
                "quality": q,
                "base_file": None,
            }
        )
    for label in labels:  # the rendered lines are the text, split (whitespace aside)
        assert re.sub(r"\s", "", label["text"]) == re.sub(r"\s", "", "".join(label["lines"])), label["file"]
    with (out / "labels.jsonl").open("w", encoding="utf-8") as f:
        for label in labels:
            f.write(json.dumps(label, ensure_ascii=False) + "\n")
    total = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    print(f"{len(labels)} images in {out} ({total / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f} s")
    for note in notes:
        print("note:", note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
