"""Bar charts as inline SVG: drawn on the server, no script and no outside library (the pages
work without any CDN, and on a phone the bars scale with the screen)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from babel import Locale

from harmline.summaries.wording import number

BAR_COLOUR, LAST_WEEK_COLOUR = "#1f6fb2", "#b8c4d0"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    previous: int | None = None  # last week's, drawn beside it in grey


def bars_svg(title: str, bars: Sequence[Bar], locale: Locale) -> str:
    """Horizontal bars, one row per label, the value written at the end of each bar."""
    # Sized for a phone: the SVG scales to the column's width, so fewer units read larger.
    row, label_width, width = 30, 150, 420
    height = row * len(bars) + 8
    top = max([bar.value for bar in bars] + [bar.previous or 0 for bar in bars] + [1])
    scale = (width - label_width - 60) / top
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
             ' xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(title)}</title>"]
    for index, bar in enumerate(bars):
        y = 4 + index * row
        parts.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">{escape(bar.label)}</text>')
        if bar.previous is not None:
            parts.append(f'<rect x="{label_width}" y="{y + 17}" width="{bar.previous * scale:.1f}" height="7"'
                         f' fill="{LAST_WEEK_COLOUR}"/>')
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{bar.value * scale:.1f}" height="13"'
                     f' fill="{BAR_COLOUR}"/>')
        parts.append(f'<text x="{label_width + bar.value * scale + 5:.1f}" y="{y + 15}">'
                     f"{escape(number(bar.value, locale))}</text>")
    parts.append("</svg>")
    return "".join(parts)


def columns_svg(title: str, bars: Sequence[Bar], locale: Locale) -> str:
    """Vertical columns left to right (weeks), each with its value above it."""
    column, height, bottom = 44, 170, 24
    width = column * len(bars) + 8
    top = max([bar.value for bar in bars] + [1])
    scale = (height - bottom - 22) / top
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}"'
             ' xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(title)}</title>"]
    for index, bar in enumerate(bars):
        x, tall = 4 + index * column, bar.value * scale
        base = height - bottom
        parts.append(f'<rect x="{x + 6}" y="{base - tall:.1f}" width="{column - 12}" height="{tall:.1f}"'
                     f' fill="{BAR_COLOUR}"/>')
        parts.append(f'<text x="{x + column / 2}" y="{base - tall - 4:.1f}" text-anchor="middle">'
                     f"{escape(number(bar.value, locale))}</text>")
        parts.append(f'<text x="{x + column / 2}" y="{height - 8}" text-anchor="middle" class="small">'
                     f"{escape(bar.label)}</text>")
    parts.append("</svg>")
    return "".join(parts)
