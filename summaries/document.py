"""The printable weekly summary: an A4 PDF in the reader's language, made with fpdf2.

Each table (what a ministry files and quotes) is followed by its chart, the one already made for
Telegram, on the same page when it fits there at a readable width. Text
goes through HarfBuzz (``set_text_shaping``) so that Thai, Khmer, Lao and Burmese marks sit where
they belong; every script has its own font, tried in turn for each character (summaries.fonts).
Values citizens reported (links, numbers, accounts) are printed defanged, never clickable.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from fpdf import FontFace

from harmline.reports.indicators import defang
from harmline.reports.labels import babel_locale, country_name, duration_text
from harmline.summaries.charts import Chart
from harmline.summaries.figures import Count, CountrySummary, MoneyLost, RegionalSummary
from harmline.summaries.fonts import PDF_FONT, SummaryPDF, printable
from harmline.summaries.wording import (
    category_label,
    change,
    day,
    indicator_label,
    language_label,
    made_at,
    money,
    number,
    platform_label,
    scam_type_label,
    week_span,
)

Gettext = Callable[[str], str]

MARGIN = 15  # mm all round: clear of any printer's unprintable edge and of a hole punch
BODY_PT = 10
TABLE_PT = 9.5
SECTION_PT = 13
GREY = (90, 90, 90)
RULE = (170, 170, 170)
HEADINGS = FontFace(emphasis="BOLD", fill_color=(232, 236, 241))


class _Document(SummaryPDF):
    """A4 portrait with a running header (what, where, which week, when made) on every page."""

    def __init__(self, heading: str, subheading: str, language: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._heading = heading
        self._subheading = subheading
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN + 6)  # room for "page X of Y"
        self.set_title(heading)
        self.set_creator("harmline")
        self.set_lang(language)

    def header(self) -> None:
        # multi_cell: a heading longer than the page (Burmese, Tamil) wraps instead of running off it.
        self.set_font(PDF_FONT, "B", 12)
        self.multi_cell(0, 6, self._heading, new_x="LMARGIN", new_y="NEXT")
        self.set_font(PDF_FONT, "", 9)
        self.set_text_color(*GREY)
        self.multi_cell(0, 5, self._subheading, new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y() + 1.5, self.w - self.r_margin, self.get_y() + 1.5)
        self.ln(6)

    def number_pages(self, label: Callable[[int, int], str]) -> None:
        """Write "page X of Y" at the foot of every page, once Y is known. (fpdf2's ``{nb}`` alias is
        not replaced reliably in shaped text, so the pages are revisited instead.)"""
        pages = self.page_no()
        self.set_auto_page_break(False)
        self.set_font(PDF_FONT, "", 8)
        self.set_text_color(*GREY)
        for page in range(1, pages + 1):
            self.page = page
            self.set_xy(self.l_margin, self.h - MARGIN - 4)
            self.cell(0, 4, label(page, pages), align="C")
        self.page = pages


# --- Numbers, dates and words ------------------------------------------------------------------------


# --- Building blocks ---------------------------------------------------------------------------------


def _section(pdf: _Document, title: str) -> None:
    # A heading alone at the foot of a page reads badly: start a new page when little room is left.
    if pdf.get_y() > pdf.page_break_trigger - 30:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(PDF_FONT, "B", SECTION_PT)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font(PDF_FONT, "", TABLE_PT)


def _note(pdf: _Document, text: str) -> None:
    pdf.set_font(PDF_FONT, "", BODY_PT)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0)
    pdf.set_font(PDF_FONT, "", TABLE_PT)


@dataclass(frozen=True)
class _Column:
    heading: str
    width: float  # relative
    align: str = "RIGHT"


def _table(pdf: _Document, columns: Sequence[_Column], rows: Iterable[Sequence[str]]) -> None:
    """A table across the page; without a headings row when no column has a heading. A character no font
    has (an emoji in a value a citizen sent, a key no label table knows) prints as U+FFFD."""
    headings = any(column.heading for column in columns)
    pdf.set_font(PDF_FONT, "", TABLE_PT)
    with pdf.table(col_widths=tuple(c.width for c in columns), text_align=tuple(c.align for c in columns),
                   headings_style=HEADINGS, first_row_as_headings=headings, borders_layout="HORIZONTAL_LINES",
                   line_height=5.2, padding=(1.2, 1.5)) as table:
        if headings:
            heading = table.row()
            for column in columns:
                heading.cell(column.heading)
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(printable(value))
    pdf.ln(2)


def _key_figures(pdf: _Document, figures: Sequence[tuple[str, str]]) -> None:
    """A row of large numbers, each under its label: what a reader looks at first."""
    big = FontFace(size_pt=20, emphasis="BOLD")
    small = FontFace(size_pt=9, color=GREY)
    with pdf.table(first_row_as_headings=False, borders_layout="NONE", text_align="LEFT", line_height=6,
                   padding=(1, 1.5)) as table:
        labels = table.row()
        for label, _value in figures:
            labels.cell(label, style=small)
        values = table.row()
        for _label, value in figures:
            values.cell(value, style=big)
    pdf.ln(2)


def _counts(
    pdf: _Document, title: str, counts: Sequence[Count], label: Callable[[str], str], locale: Locale,
    gettext: Gettext,
) -> None:
    _ = gettext
    _section(pdf, title)
    if not counts:
        _note(pdf, _("None this week."))
        return
    columns = (_Column("", 4, "LEFT"), _Column(_("This week"), 1.6), _Column(_("Last week"), 1.6),
               _Column(_("Change"), 2))
    _table(pdf, columns, ([label(c.key), number(c.this_week, locale), number(c.last_week, locale),
                           change(c.this_week, c.last_week, locale)] for c in counts))


def _png_size(png: bytes) -> tuple[int, int]:
    # A PNG's first chunk (IHDR) holds its width and height.
    width, height = struct.unpack(">II", png[16:24])
    return width, height


# Charts are drawn for phones (1200 px wide); on paper this share of the text width is enough to
# read them, and narrower still (down to the smaller share) they may stay beside their table.
CHART_WIDTH, CHART_MIN_WIDTH = 0.8, 0.55


def _chart(pdf: _Document, charts: dict[str, Chart], name: str) -> None:
    """The chart ``name`` (if it was drawn) under what was just written: on this page if it fits
    there at a readable width, else at the top of the next."""
    chart = charts.pop(name, None)
    if chart is None:
        return
    width_px, height_px = _png_size(chart.png)
    width = pdf.epw * CHART_WIDTH
    height = width * height_px / width_px
    room = pdf.page_break_trigger - pdf.get_y() - 2
    if height > room and room / height * width >= pdf.epw * CHART_MIN_WIDTH:
        width, height = width * room / height, room  # narrowed to stay beside its table
    elif height > room:
        pdf.add_page()
        room = pdf.page_break_trigger - pdf.get_y() - 2
        if height > room:  # a very tall chart is narrowed to fit one page
            width, height = width * room / height, room
    pdf.image(io.BytesIO(chart.png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height,
              alt_text=chart.title)
    pdf.ln(4)


def _rest(pdf: _Document, charts: dict[str, Chart]) -> None:
    """Charts no section placed (none today: a new chart still gets printed)."""
    for name in list(charts):
        _chart(pdf, charts, name)


def _finish(pdf: _Document, made_at: datetime, gettext: Gettext) -> bytes:
    _ = gettext
    pdf.number_pages(lambda page, pages: _("Page {page} of {pages}").format(page=page, pages=pages))
    pdf.set_creation_date(made_at)  # the same figures give the same file
    return bytes(pdf.output())


# --- One country -------------------------------------------------------------------------------------


def _money_table(pdf: _Document, losses: Sequence[MoneyLost], locale: Locale, gettext: Gettext) -> None:
    _ = gettext
    _section(pdf, _("Money lost, as stated by citizens"))
    if not losses:
        _note(pdf, _("None this week."))
        return
    columns = (_Column(_("Currency"), 1.4, "LEFT"), _Column(_("Reports"), 1.2), _Column(_("Total"), 2.2),
               _Column(_("Median"), 2.2))
    _table(pdf, columns, ([m.currency, number(m.reports, locale), money(m.total, m.currency, locale),
                           money(m.median, m.currency, locale)] for m in losses))


def _decisions(pdf: _Document, summary: CountrySummary, locale: Locale, gettext: Gettext) -> None:
    _ = gettext
    decisions = summary.decisions
    _section(pdf, _("Decisions on the week's reports"))
    rows = [
        (_("Confirmed"), number(decisions.confirmed, locale)),
        (_("Not harmful"), number(decisions.rejected, locale)),
        (_("Merged"), number(decisions.merged, locale)),
        (_("Pending"), number(decisions.pending, locale)),
        (_("Decisions taken during the week (reports of any week)"), number(decisions.decided_in_week, locale)),
        (_("Median time to a decision"), duration_text(decisions.median_decision_seconds, gettext)),
    ]
    _table(pdf, (_Column("", 4, "LEFT"), _Column("", 1.5)), rows)


def _indicators(pdf: _Document, summary: CountrySummary, locale: Locale, gettext: Gettext) -> None:
    _ = gettext
    zone = ZoneInfo(summary.time_zone)
    _section(pdf, _("Most repeated numbers, links and accounts"))
    if summary.top_indicators:
        columns = (_Column(_("Kind"), 1.6, "LEFT"), _Column(_("Value (links made unclickable)"), 4.4, "LEFT"),
                   _Column(_("This week"), 1.1), _Column(_("Before"), 1.1), _Column(_("First seen"), 1.7))
        _table(pdf, columns, ([indicator_label(i.kind, gettext), defang(i.value), number(i.reports, locale),
                               number(i.reports_before, locale), day(i.first_seen, zone, locale)]
                              for i in summary.top_indicators))
    else:
        _note(pdf, _("None this week."))

    _section(pdf, _("New clusters: reported by several citizens, never before this week"))
    if not summary.new_clusters:
        _note(pdf, _("None this week."))
        return
    columns = (_Column(_("Kind"), 1.4, "LEFT"), _Column(_("Value (links made unclickable)"), 3.6, "LEFT"),
               _Column(_("Reports"), 1), _Column(_("Categories and platforms"), 2.4, "LEFT"),
               _Column(_("Seen"), 2, "LEFT"))
    _table(pdf, columns, (
        [indicator_label(c.kind, gettext), defang(c.value), number(c.reports, locale),
         ", ".join([*(category_label(k, gettext) for k in c.categories),
                    *(platform_label(k, gettext) for k in c.platforms)]),
         f"{day(c.first_seen, zone, locale)} – {day(c.last_seen, zone, locale)}"]
        for c in summary.new_clusters))


def country_pdf(summary: CountrySummary, charts: Sequence[Chart], language: str,
                gettext: Callable[[str], str]) -> bytes:
    """One country's week: key figures, what was reported and where, money lost, decisions, repeated
    indicators and new clusters, each of ``charts`` under its table."""
    _ = gettext
    locale = babel_locale(language)
    country = country_name(summary.country, language)
    heading = _("Weekly summary of reports: {country}").format(country=country)
    subheading = _("Week {week}: {dates} · made {made_at}").format(
        week=summary.week.label, dates=week_span(summary.week, locale),
        made_at=made_at(summary.made_at, summary.time_zone, locale))
    pdf = _Document(heading, subheading, language)
    pdf.add_page()

    drawn = {chart.name: chart for chart in charts}
    _key_figures(pdf, [
        (_("Reports received this week"), number(summary.received, locale)),
        (_("Last week"), number(summary.received_last_week, locale)),
        (_("Change"), change(summary.received, summary.received_last_week, locale)),
    ])
    _chart(pdf, drawn, "received-by-day.png")
    _counts(pdf, _("Categories"), summary.categories, lambda key: category_label(key, gettext), locale, gettext)
    _chart(pdf, drawn, "categories.png")
    _counts(pdf, _("Types of scam"), summary.scam_types, lambda key: scam_type_label(key, gettext), locale, gettext)
    _chart(pdf, drawn, "scam-types.png")
    _counts(pdf, _("Platforms"), summary.platforms, lambda key: platform_label(key, gettext), locale, gettext)
    _chart(pdf, drawn, "platforms.png")
    _counts(pdf, _("Languages of the reports"), summary.languages,
            lambda key: language_label(key, language, gettext), locale, gettext)
    _money_table(pdf, summary.money, locale, gettext)
    _decisions(pdf, summary, locale, gettext)
    _indicators(pdf, summary, locale, gettext)
    _rest(pdf, drawn)
    return _finish(pdf, summary.made_at, gettext)


# --- All countries -----------------------------------------------------------------------------------


def _shared_indicators(summary: RegionalSummary) -> list[tuple[str, str, list[str], int]]:
    """Indicators among the most repeated of two countries or more: (kind, value, countries, reports),
    those in most countries first. Only each country's top list is known, so this is a lower bound."""
    seen: dict[tuple[str, str], tuple[list[str], int]] = {}
    for country in summary.countries:
        for indicator in country.top_indicators:
            countries, reports = seen.get((indicator.kind, indicator.value), ([], 0))
            seen[(indicator.kind, indicator.value)] = ([*countries, country.country], reports + indicator.reports)
    shared = [(kind, value, countries, reports) for (kind, value), (countries, reports) in seen.items()
              if len(countries) > 1]
    return sorted(shared, key=lambda s: (-len(s[2]), -s[3], s[0], s[1]))


def _regional_overview(pdf: _Document, summary: RegionalSummary, countries: Sequence[CountrySummary],
                       language: str, locale: Locale, gettext: Gettext) -> None:
    _ = gettext
    _section(pdf, _("Reports received per country"))
    columns = (_Column(_("Country"), 3, "LEFT"), _Column(_("This week"), 1.5), _Column(_("Last week"), 1.5),
               _Column(_("Change"), 2))
    rows = [[country_name(c.country, language), number(c.received, locale), number(c.received_last_week, locale),
             change(c.received, c.received_last_week, locale)] for c in countries]
    rows.append([_("All countries"), number(summary.received, locale), number(summary.received_last_week, locale),
                 change(summary.received, summary.received_last_week, locale)])
    _table(pdf, columns, rows)


def _regional_decisions(pdf: _Document, countries: Sequence[CountrySummary], language: str, locale: Locale,
                        gettext: Gettext) -> None:
    # A table apart from the counts': eight columns do not fit a portrait page in Burmese or Tamil.
    _ = gettext
    _section(pdf, _("Decisions on the week's reports"))
    columns = (_Column(_("Country"), 2.3, "LEFT"), _Column(_("Confirmed"), 1.6), _Column(_("Not harmful"), 1.8),
               _Column(_("Merged"), 1.5), _Column(_("Pending"), 1.5), _Column(_("Median time to a decision"), 2.4))
    _table(pdf, columns, ([country_name(c.country, language), number(c.decisions.confirmed, locale),
                           number(c.decisions.rejected, locale), number(c.decisions.merged, locale),
                           number(c.decisions.pending, locale),
                           duration_text(c.decisions.median_decision_seconds, gettext)] for c in countries))


def _regional_categories(pdf: _Document, countries: Sequence[CountrySummary], language: str, locale: Locale,
                         gettext: Gettext) -> None:
    _ = gettext
    keys = list(dict.fromkeys(c.key for country in countries for c in country.categories))
    _section(pdf, _("Categories this week"))
    if not keys:
        _note(pdf, _("None this week."))
        return
    columns = (_Column(_("Country"), 2.6, "LEFT"), *(_Column(category_label(key, gettext), 1.6) for key in keys))
    counts = [{c.key: c.this_week for c in country.categories} for country in countries]
    _table(pdf, columns, ([country_name(country.country, language),
                           *(number(by_key.get(key, 0), locale) for key in keys)]
                          for country, by_key in zip(countries, counts, strict=True)))


def _regional_money(pdf: _Document, countries: Sequence[CountrySummary], language: str, locale: Locale,
                    gettext: Gettext) -> None:
    _ = gettext
    _section(pdf, _("Money lost, as stated by citizens"))
    # The country's name on its first currency only: the rows below it are its other currencies.
    rows = [[country_name(country.country, language) if n == 0 else "", m.currency, number(m.reports, locale),
             money(m.total, m.currency, locale), money(m.median, m.currency, locale)]
            for country in countries for n, m in enumerate(country.money)]
    if not rows:
        _note(pdf, _("None this week."))
        return
    columns = (_Column(_("Country"), 2.4, "LEFT"), _Column(_("Currency"), 1.2, "LEFT"), _Column(_("Reports"), 1.1),
               _Column(_("Total"), 2.2), _Column(_("Median"), 2.2))
    _table(pdf, columns, rows)


def _regional_indicators(pdf: _Document, summary: RegionalSummary, language: str, locale: Locale,
                         gettext: Gettext) -> None:
    _ = gettext
    _section(pdf, _("Numbers, links and accounts reported in more than one country"))
    shared = _shared_indicators(summary)
    if not shared:
        _note(pdf, _("None this week."))
        return
    columns = (_Column(_("Kind"), 1.5, "LEFT"), _Column(_("Value (links made unclickable)"), 4.2, "LEFT"),
               _Column(_("Countries"), 2.6, "LEFT"), _Column(_("Reports"), 1))
    _table(pdf, columns, ([indicator_label(kind, gettext), defang(value),
                           ", ".join(country_name(code, language) for code in codes), number(reports, locale)]
                          for kind, value, codes, reports in shared))


def regional_pdf(summary: RegionalSummary, charts: Sequence[Chart], language: str,
                 gettext: Callable[[str], str]) -> bytes:
    """All countries' week side by side (each over its own local week), each of ``charts`` under its
    table."""
    _ = gettext
    locale = babel_locale(language)
    heading = _("Weekly summary of reports: all countries")
    subheading = _("Week {week}: {dates} · made {made_at}").format(
        week=summary.week.label, dates=week_span(summary.week, locale),
        made_at=made_at(summary.made_at, "UTC", locale))
    pdf = _Document(heading, subheading, language)
    pdf.add_page()
    countries = sorted(summary.countries, key=lambda c: (-c.received, c.country))
    _key_figures(pdf, [
        (_("Reports received this week"), number(summary.received, locale)),
        (_("Last week"), number(summary.received_last_week, locale)),
        (_("Change"), change(summary.received, summary.received_last_week, locale)),
    ])
    drawn = {chart.name: chart for chart in charts}
    _regional_overview(pdf, summary, countries, language, locale, gettext)
    _chart(pdf, drawn, "received-by-country.png")
    _regional_decisions(pdf, countries, language, locale, gettext)
    _chart(pdf, drawn, "decisions-by-country.png")
    _regional_categories(pdf, countries, language, locale, gettext)
    _chart(pdf, drawn, "categories-by-country.png")
    _regional_money(pdf, countries, language, locale, gettext)
    _regional_indicators(pdf, summary, language, locale, gettext)
    _rest(pdf, drawn)
    return _finish(pdf, summary.made_at, gettext)
