"""The weekly summaries' charts: PNG images made to be read on a phone, in the reader's language.

Each chart is a ``matplotlib.figure.Figure`` on its own Agg canvas, never pyplot: pyplot keeps global
state and is not thread-safe, and these are drawn inside the bot, possibly in a worker thread. For
the same reason no rcParams are changed: every text is given its fonts and size explicitly.

Sizes: 1200 px wide at 100 dpi, so one point is 1.39 px; a phone shows the image about 1:1, where
text under ~20 pt becomes hard to read. Values are written on the bars (no axis to read them off),
horizontal bars carry the long labels, and colours are from Okabe and Ito's colour-blind-safe set.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from babel import Locale
from babel.dates import format_date, get_day_names
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.container import BarContainer
from matplotlib.figure import Figure, SubFigure
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.patches import Patch
from matplotlib.text import Text

from harmline.reports.labels import (
    babel_locale,
    country_name,
)
from harmline.reports.model import Category
from harmline.summaries.figures import Count, CountrySummary, RegionalSummary
from harmline.summaries.fonts import FAMILIES, printable, register_matplotlib
from harmline.summaries.week import Week
from harmline.summaries.wording import category_label, number, platform_label, scam_type_label, week_span

Gettext = Callable[[str], str]

WIDTH_PX = 1200
DPI = 100

TITLE_PT = 28
SUBTITLE_PT = 20
LABEL_PT = 20
VALUE_PT = 18

INK = "#222222"
MUTED = "#555555"
THIS_WEEK = "#0072B2"  # Okabe–Ito blue; last week is a neutral grey, told apart by lightness too
LAST_WEEK = "#B8B8B8"
CATEGORY_COLOURS: dict[str, str] = {
    Category.SCAM: "#D55E00",
    Category.ILLEGAL_GAMBLING: "#0072B2",
    Category.FRAUDULENT_CONTENT: "#E69F00",
    Category.OTHER: "#999999",
}
OTHER_COLOUR = "#CC79A7"  # a category this code does not know yet
CONFIRMED = "#D55E00"
NOT_HARMFUL = "#009E73"
MERGED = "#56B4E9"
PENDING = "#D9D9D9"
# Colours dark enough that a number inside them is written in white.
_DARK = {"#D55E00", "#0072B2", "#009E73", "#CC79A7"}


@dataclass(frozen=True)
class Chart:
    name: str  # file name, e.g. "received-by-day.png"
    title: str  # translated
    png: bytes


# --- Drawing ----------------------------------------------------------------------------------------


def _font(size: float) -> dict[str, Any]:
    # Never bold: the Chinese font ships in one weight, and matplotlib logs a warning for every
    # bold Chinese text it has to set in regular.
    return {"fontfamily": FAMILIES, "fontsize": size}


@dataclass(frozen=True)
class _Key:
    label: str
    colour: str


def _header_texts(where: Figure | SubFigure, title: str, context: str) -> tuple[Text, Text]:
    return (where.text(0.012, 1, title, va="top", color=INK, **_font(TITLE_PT)),
            where.text(0.012, 1, context, va="top", color=MUTED, **_font(SUBTITLE_PT)))


def _key(where: Figure | SubFigure, keys: Sequence[_Key], columns: int) -> Legend:
    return where.legend([Patch(color=key.colour) for key in keys], [printable(key.label) for key in keys],
                        loc="upper left", ncols=columns, frameon=False, handlelength=1.2, columnspacing=1.5,
                        borderaxespad=0, labelcolor=INK, prop=FontProperties(family=FAMILIES, size=LABEL_PT))


@dataclass(frozen=True)
class _HeaderLayout:
    """Where the header's lines go, in pixels from its top: measured, because a line of Burmese is
    far taller than one of English and a Tamil colour key may need two lines."""

    title_top: float
    context_top: float
    key_top: float
    height: float
    key_columns: int


def _header_layout(title: str, context: str, keys: Sequence[_Key]) -> _HeaderLayout:
    scratch = Figure(figsize=(WIDTH_PX / DPI, 4), dpi=DPI)
    FigureCanvasAgg(scratch)  # what the extents below are measured with
    title_text, context_text = _header_texts(scratch, title, context)
    columns = len(keys)
    key = _key(scratch, keys, columns)
    while columns > 1 and key.get_window_extent().width > WIDTH_PX - 40:
        key.remove()
        columns -= 1
        key = _key(scratch, keys, columns)
    pad, gap = 16, 10
    context_top = pad + title_text.get_window_extent().height + gap
    key_top = context_top + context_text.get_window_extent().height + 2 * gap
    return _HeaderLayout(pad, context_top, key_top, key_top + key.get_window_extent().height + pad, columns)


def _figure(title: str, context: str, keys: Sequence[_Key], plot_height_in: float) -> tuple[Figure, Axes]:
    """A figure with a header (title, country and week, colour key) above the plot, in a subfigure of
    its own so that constrained layout cannot push the plot's labels into it."""
    register_matplotlib()
    layout = _header_layout(title, context, keys)
    header_in = layout.height / DPI
    figure = Figure(figsize=(WIDTH_PX / DPI, header_in + plot_height_in), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    grid = figure.add_gridspec(2, 1, height_ratios=(header_in, plot_height_in), hspace=0)
    header, body = figure.add_subfigure(grid[0]), figure.add_subfigure(grid[1])
    title_text, context_text = _header_texts(header, title, context)
    title_text.set_y(1 - layout.title_top / layout.height)
    context_text.set_y(1 - layout.context_top / layout.height)
    key = _key(header, keys, layout.key_columns)
    key.set_bbox_to_anchor((0.008, 1 - layout.key_top / layout.height), transform=header.transSubfigure)
    axes = body.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure, axes


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def _wrap(label: str) -> str:
    # Only at spaces: Thai, Khmer, Lao, Burmese and Chinese have none between words and stay whole.
    return textwrap.fill(label, width=24, break_long_words=False, break_on_hyphens=False)


def _bar_values(axes: Axes, bars: BarContainer, values: Sequence[int], locale: Locale, colour: str = INK) -> None:
    axes.bar_label(bars, labels=[number(v, locale) for v in values], padding=4, color=colour, **_font(VALUE_PT))


def _value_axis_off(axes: Axes, horizontal: bool, largest: int) -> None:
    """Hide the value axis (every bar carries its number) and leave room for the numbers."""
    limit = max(largest, 1) * 1.15
    if horizontal:
        axes.set_xlim(0, limit)
        axes.xaxis.set_visible(False)
        axes.spines["bottom"].set_visible(False)
    else:
        axes.set_ylim(0, limit)
        axes.yaxis.set_visible(False)
        axes.spines["left"].set_visible(False)


def _category_axis(axes: Axes, positions: Sequence[float], labels: Sequence[str], horizontal: bool) -> None:
    if horizontal:
        axes.set_yticks(positions, [_wrap(printable(label)) for label in labels], color=INK, **_font(LABEL_PT))
        axes.invert_yaxis()  # the largest first, at the top
    else:
        axes.set_xticks(positions, [printable(label) for label in labels], color=INK, **_font(LABEL_PT))
    axes.tick_params(length=0, pad=8)


def _this_and_last(
    title: str, context: str, labels: Sequence[str], this_week: Sequence[int], last_week: Sequence[int],
    locale: Locale, gettext: Gettext, horizontal: bool,
) -> bytes:
    """Two bars per label, this week's beside last week's."""
    _ = gettext
    keys = (_Key(_("This week"), THIS_WEEK), _Key(_("Last week"), LAST_WEEK))
    figure, axes = _figure(title, context, keys, 0.2 + 0.95 * len(labels) if horizontal else 5.2)
    width = 0.4
    positions = list(range(len(labels)))
    draw = axes.barh if horizontal else axes.bar
    this = draw([p - width / 2 for p in positions], this_week, width, color=THIS_WEEK)
    last = draw([p + width / 2 for p in positions], last_week, width, color=LAST_WEEK)
    _bar_values(axes, this, this_week, locale)
    _bar_values(axes, last, last_week, locale, MUTED)
    _category_axis(axes, positions, labels, horizontal)
    _value_axis_off(axes, horizontal, max([*this_week, *last_week], default=0))
    return _png(figure)


@dataclass(frozen=True)
class _Segment:
    key: _Key
    values: tuple[int, ...]  # one per row


def _stacked(title: str, context: str, rows: Sequence[str], segments: Sequence[_Segment], locale: Locale) -> bytes:
    """One horizontal bar per row, cut into segments; each segment's number inside it when it is wide
    enough to hold it, the row's total at the end."""
    figure, axes = _figure(title, context, [s.key for s in segments], 0.2 + 0.72 * len(rows))
    positions = list(range(len(rows)))
    totals = [sum(s.values[i] for s in segments) for i in positions]
    largest = max(totals, default=0)
    left = [0] * len(rows)
    bars = None
    for segment in segments:
        bars = axes.barh(positions, segment.values, 0.7, left=left, color=segment.key.colour)
        inside = [number(v, locale) if v and v >= 0.06 * largest else "" for v in segment.values]
        axes.bar_label(bars, labels=inside, label_type="center",
                       color="white" if segment.key.colour in _DARK else INK, **_font(VALUE_PT))
        left = [a + b for a, b in zip(left, segment.values, strict=True)]
    if bars:
        axes.bar_label(bars, labels=[number(t, locale) for t in totals], padding=6, color=INK, **_font(VALUE_PT))
    _category_axis(axes, positions, rows, horizontal=True)
    _value_axis_off(axes, horizontal=True, largest=largest)
    return _png(figure)


# --- Country ------------------------------------------------------------------------------------------


def _counts_chart(
    name: str, title: str, context: str, counts: Sequence[Count], label: Callable[[str], str],
    locale: Locale, gettext: Gettext,
) -> Chart | None:
    if not counts:
        return None
    png = _this_and_last(title, context, [label(c.key) for c in counts], [c.this_week for c in counts],
                         [c.last_week for c in counts], locale, gettext, horizontal=True)
    return Chart(name, title, png)


def _day_labels(week: Week, locale: Locale) -> list[str]:
    """``Mon`` over ``16``: this week's days (last week's bars stand beside the same weekday)."""
    names = get_day_names("abbreviated", locale=locale)
    days = [week.monday + timedelta(days=n) for n in range(7)]
    return [f"{names[n]}\n{format_date(day, 'd', locale=locale)}" for n, day in enumerate(days)]


def country_charts(summary: CountrySummary, language: str, gettext: Callable[[str], str]) -> list[Chart]:
    """Reports per day; by category; scam reports by type; by platform — this week beside last week.
    A chart with nothing to show (no scam reports this week or last) is left out."""
    _ = gettext
    locale = babel_locale(language)
    context = f"{country_name(summary.country, language)} · {summary.week.label} · {week_span(summary.week, locale)}"
    by_day = _("Reports received per day")
    charts = [Chart("received-by-day.png", by_day, _this_and_last(
        by_day, context, _day_labels(summary.week, locale), summary.daily, summary.daily_last_week,
        locale, gettext, horizontal=False))]
    optional = (
        _counts_chart("categories.png", _("Reports by category"), context, summary.categories,
                      lambda key: category_label(key, gettext), locale, gettext),
        _counts_chart("scam-types.png", _("Scam reports by type"), context, summary.scam_types,
                      lambda key: scam_type_label(key, gettext), locale, gettext),
        _counts_chart("platforms.png", _("Reports by platform"), context, summary.platforms,
                      lambda key: platform_label(key, gettext), locale, gettext),
    )
    charts.extend(chart for chart in optional if chart)
    return charts


# --- Region ---------------------------------------------------------------------------------------------


def _this_week(counts: Sequence[Count], key: str) -> int:
    return next((c.this_week for c in counts if c.key == key), 0)


def _categories_chart(context: str, countries: Sequence[CountrySummary], names: Sequence[str], locale: Locale,
                      gettext: Gettext) -> Chart | None:
    _ = gettext
    seen = {c.key for country in countries for c in country.categories if c.this_week}
    if not seen:
        return None
    # Always in the model's order (unknown categories after), so the key reads the same every week.
    known = [str(category) for category in Category]
    keys = [key for key in known if key in seen] + sorted(seen.difference(known))
    title = _("Reports by category and country")
    segments = [_Segment(_Key(category_label(key, gettext), CATEGORY_COLOURS.get(key, OTHER_COLOUR)),
                         tuple(_this_week(c.categories, key) for c in countries)) for key in keys]
    return Chart("categories-by-country.png", title, _stacked(title, context, names, segments, locale))


def _decisions_chart(context: str, countries: Sequence[CountrySummary], names: Sequence[str], locale: Locale,
                     gettext: Gettext) -> Chart | None:
    _ = gettext
    if not any(c.received for c in countries):
        return None
    title = _("Decisions on the week's reports")
    segments = [
        _Segment(_Key(_("Confirmed"), CONFIRMED), tuple(c.decisions.confirmed for c in countries)),
        _Segment(_Key(_("Not harmful"), NOT_HARMFUL), tuple(c.decisions.rejected for c in countries)),
        _Segment(_Key(_("Merged"), MERGED), tuple(c.decisions.merged for c in countries)),
        _Segment(_Key(_("Pending"), PENDING), tuple(c.decisions.pending for c in countries)),
    ]
    return Chart("decisions-by-country.png", title, _stacked(title, context, names, segments, locale))


def regional_charts(summary: RegionalSummary, language: str, gettext: Callable[[str], str]) -> list[Chart]:
    """Reports per country, this week beside last; this week's categories per country; what became
    of each country's reports. Countries with the most reports first; a chart with nothing to show
    is left out."""
    _ = gettext
    locale = babel_locale(language)
    everywhere = _("All countries")
    context = f"{everywhere} · {summary.week.label} · {week_span(summary.week, locale)}"
    countries = sorted(summary.countries, key=lambda c: (-c.received, c.country))
    names = [country_name(c.country, language) for c in countries]
    received = _("Reports received per country")
    charts = [Chart("received-by-country.png", received, _this_and_last(
        received, context, names, [c.received for c in countries], [c.received_last_week for c in countries],
        locale, gettext, horizontal=True))]
    optional = (_categories_chart(context, countries, names, locale, gettext),
                _decisions_chart(context, countries, names, locale, gettext))
    charts.extend(chart for chart in optional if chart)
    return charts
