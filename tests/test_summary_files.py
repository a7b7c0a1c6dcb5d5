"""The weekly summaries' charts (PNG) and printable PDF, in every script harmline writes: no Telegram,
no database, summaries built by hand."""

from __future__ import annotations

import io
import logging
import struct
import warnings
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from babel.dates import get_day_names
from babel.messages.pofile import read_po
from pypdf import PdfReader

from harmline.i18n.catalog import LOCALES_DIR, Catalogs
from harmline.reports.labels import babel_locale, country_name, language_name
from harmline.summaries.charts import Chart, country_charts, regional_charts
from harmline.summaries.document import country_pdf, regional_pdf
from harmline.summaries.figures import (
    Cluster,
    Count,
    CountrySummary,
    Decisions,
    MoneyLost,
    RegionalSummary,
    RepeatedIndicator,
)
from harmline.summaries.fonts import missing_characters, printable
from harmline.summaries.week import Week
from harmline.summaries.wording import category_label, platform_label, scam_type_label, week_span

SCRIPTS = ["en", "th", "km", "lo", "my", "ta", "zh"]
ASEAN = ["TH", "MY", "ID", "VN", "PH", "KH", "LA", "MM", "SG", "BN", "TL"]
WEEK = Week(2026, 47)
MADE_AT = datetime(2026, 11, 23, 18, 5, tzinfo=UTC)
RAW_LINK = "https://thai-invest-pro.example.com/login?ref=abc"
SHORT_LINK = "http://bit.ly/3xYzAbC"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def country_summary(country: str = "TH", received: int = 42, *, empty: bool = False) -> CountrySummary:
    """A plausible week; ``empty``: a week without a single report."""
    if empty:
        return CountrySummary(
            country=country, week=WEEK, time_zone="Asia/Bangkok", made_at=MADE_AT, received=0,
            received_last_week=0, daily=(0,) * 7, daily_last_week=(0,) * 7, categories=(), scam_types=(),
            platforms=(), languages=(), money=(), decisions=Decisions(0, 0, 0, 0, 0, None), top_indicators=(),
            new_clusters=())

    def share(n: int) -> int:
        return round(n * received / 42)

    return CountrySummary(
        country=country, week=WEEK, time_zone="Asia/Bangkok", made_at=MADE_AT,
        received=received, received_last_week=35,
        daily=(9, 7, 5, 6, 8, 4, 3), daily_last_week=(6, 5, 5, 7, 4, 5, 3),
        categories=(Count("scam", share(30), 22), Count("illegal_gambling", share(8), 9),
                    Count("fraudulent_content", share(3), 3), Count("other", share(1), 1)),
        scam_types=(Count("investment", 11, 6), Count("phishing", 8, 9), Count("job", 5, 3),
                    Count("prize", 4, 2), Count("other", 2, 2)),
        platforms=(Count("facebook", 14, 10), Count("sms", 10, 9), Count("telegram", 8, 6),
                   Count("phone_call", 5, 5), Count("website", 3, 4), Count("whatsapp", 2, 1)),
        languages=(Count("th", 36, 30), Count("en", 5, 4), Count("my", 1, 1)),
        money=(MoneyLost("THB", 9, Decimal("284500"), Decimal("12000")),
               MoneyLost("USDT", 2, Decimal("5300.5"), Decimal("2650.25"))),
        decisions=Decisions(confirmed=share(25), rejected=share(6), merged=share(4), pending=share(7),
                            decided_in_week=33, median_decision_seconds=5.5 * 3600),
        top_indicators=(
            RepeatedIndicator("url", RAW_LINK, 6, 2, datetime(2026, 11, 2, 3, 0, tzinfo=UTC),
                              datetime(2026, 11, 21, 8, 0, tzinfo=UTC)),
            RepeatedIndicator("phone", "+66812345678", 4, 0, datetime(2026, 11, 17, 9, 0, tzinfo=UTC),
                              datetime(2026, 11, 20, 16, 0, tzinfo=UTC)),
        ),
        new_clusters=(Cluster("url", SHORT_LINK, 5, ("scam",), ("sms", "facebook"),
                              datetime(2026, 11, 17, 1, 0, tzinfo=UTC), datetime(2026, 11, 22, 14, 0, tzinfo=UTC)),),
    )


def regional_summary() -> RegionalSummary:
    """Eleven countries; the same link among the top indicators of each."""
    return RegionalSummary(WEEK, MADE_AT, tuple(country_summary(code, max(0, 60 - 7 * n))
                                                 for n, code in enumerate(ASEAN)))


CATALOGS = Catalogs()


@pytest.fixture
def catalogs() -> Catalogs:
    return CATALOGS


@pytest.fixture
def no_missing_glyphs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fails the test if matplotlib set a glyph in no font (a tofu box) or could not find a family."""
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING, "matplotlib"):
        warnings.simplefilter("always")
        yield
    assert not [w for w in caught if "missing from" in str(w.message)]
    assert not [r for r in caplog.records if r.name.startswith("matplotlib")]


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def strings_drawn(language: str, gettext: Callable[[str], str]) -> list[str]:
    """The labels the charts and PDF take from the label tables and Babel, in ``language``."""
    locale = babel_locale(language)
    summary = country_summary()
    return [
        *(category_label(c.key, gettext) for c in summary.categories),
        *(scam_type_label(c.key, gettext) for c in summary.scam_types),
        *(platform_label(c.key, gettext) for c in summary.platforms),
        *(language_name(c.key, language) for c in summary.languages),
        *(country_name(code, language) for code in ASEAN),
        *get_day_names("abbreviated", locale=locale).values(),
        week_span(WEEK, locale),
    ]


# --- Charts -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", SCRIPTS)
def test_country_charts_are_phone_sized_pngs_with_every_glyph(
    language: str, catalogs: Catalogs, no_missing_glyphs: None,
) -> None:
    charts = country_charts(country_summary(), language, catalogs.gettext(language))

    assert [c.name for c in charts] == ["received-by-day.png", "categories.png", "scam-types.png", "platforms.png"]
    for chart in charts:
        width, height = png_size(chart.png)
        assert width == 1200
        assert 500 <= height <= 1400, chart.name
        assert chart.title
    assert missing_characters("".join(strings_drawn(language, catalogs.gettext(language)))) == ""


def test_regional_charts(catalogs: Catalogs, no_missing_glyphs: None) -> None:
    # In Burmese, the tallest lines and longest labels; the other scripts are tested with one country.
    charts = regional_charts(regional_summary(), "my", catalogs.gettext("my"))

    assert [c.name for c in charts] == ["received-by-country.png", "categories-by-country.png",
                                        "decisions-by-country.png"]
    for chart in charts:
        width, height = png_size(chart.png)
        assert width == 1200
        # Eleven rows of bars: taller than a country's chart, still one phone screen or two.
        assert 800 <= height <= 1600, chart.name


def test_the_glyph_check_catches_a_tofu_box() -> None:
    def emoji_gettext(message: str) -> str:  # a catalogue whose translator put an emoji in a title
        return f"📈 {message}"

    with pytest.warns(UserWarning, match="missing from font"):
        country_charts(country_summary(empty=True), "en", emoji_gettext)


def test_labels_no_font_has_are_marked_not_dropped(catalogs: Catalogs, no_missing_glyphs: None) -> None:
    # A platform the label tables do not know yet is shown as stored; no font has this emoji.
    summary = country_summary(empty=True)
    odd = CountrySummary(**{**summary.__dict__, "platforms": (Count("📱 app", 3, 1),)})
    charts = country_charts(odd, "en", catalogs.gettext("en"))

    assert [c.name for c in charts] == ["received-by-day.png", "platforms.png"]
    assert "\ufffd app" in pdf_text(country_pdf(odd, [], "en", catalogs.gettext("en")))


def test_a_week_without_reports_has_only_the_daily_chart(catalogs: Catalogs) -> None:
    charts = country_charts(country_summary(empty=True), "en", catalogs.gettext("en"))

    assert [c.name for c in charts] == ["received-by-day.png"]


# --- PDF ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def one_chart() -> list[Chart]:
    """The PDFs' tests reuse one chart: how charts look is tested above."""
    return country_charts(country_summary(empty=True), "en", CATALOGS.gettext("en"))


@cache
def country_pdf_in(language: str) -> bytes:
    """Made once per language: several tests read the same file."""
    charts = country_charts(country_summary(empty=True), "en", CATALOGS.gettext("en"))
    return country_pdf(country_summary(), charts, language, CATALOGS.gettext(language))


@pytest.mark.parametrize("language", SCRIPTS)
def test_country_pdf(language: str) -> None:
    pdf = country_pdf_in(language)

    assert pdf.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3  # tables, each chart under its table where it fits
    text = pdf_text(pdf)
    assert "hxxps://thai-invest-pro[.]example[.]com" in text
    assert "hxxp://bit[.]ly/3xYzAbC" in text
    assert "https://" not in text and "bit.ly" not in text
    assert b"/URI" not in pdf  # no link annotation either
    if language in ("en", "th"):
        # pypdf's text extraction scatters control characters through shaped Khmer, Burmese and
        # Chinese runs; the Latin and Thai page footers come back whole.
        assert CATALOGS.gettext(language)("Page {page} of {pages}").format(page=3, pages=3) in text


def test_pdf_embeds_only_the_scripts_it_uses() -> None:
    english, khmer = country_pdf_in("en"), country_pdf_in("km")

    assert b"NotoSansKhmer" not in english and b"NotoSansCJK" not in english
    assert b"NotoSansKhmer" in khmer
    assert b"NotoSansThai" in khmer  # the baht sign of the amounts lost


def test_empty_week_pdf(catalogs: Catalogs) -> None:
    pdf = country_pdf(country_summary(empty=True), [], "th", catalogs.gettext("th"))

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert catalogs.gettext("th")("None this week.") in pdf_text(pdf)


@pytest.mark.parametrize("language", ["en", "my"])
def test_regional_pdf(language: str, catalogs: Catalogs, one_chart: list[Chart]) -> None:
    pdf = regional_pdf(regional_summary(), one_chart, language, catalogs.gettext(language))

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3  # three of tables; the chart fits under the last
    text = pdf_text(pdf)
    # The link is among the most repeated in every country: the regional table names it, defanged.
    assert "hxxps://thai-invest-pro[.]example[.]com" in text
    assert "https://" not in text


def test_same_figures_same_file() -> None:
    def make() -> bytes:
        return country_pdf(country_summary(empty=True), [], "th", CATALOGS.gettext("th"))

    assert make() == make()


# --- Fonts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("po", sorted(LOCALES_DIR.glob("*/LC_MESSAGES/harmline.po")), ids=lambda p: p.parts[-3])
def test_the_fonts_cover_every_translation(po: Path) -> None:
    with po.open("rb") as po_file:
        catalog = read_po(po_file)
    texts = [text for message in catalog for text in
             (message.string if isinstance(message.string, tuple) else (message.string,)) if text]

    assert missing_characters("".join(texts)) == ""


def test_printable_marks_what_no_font_has() -> None:
    assert printable("shop😀.example") == "shop\ufffd.example"
    assert printable("ร้านค้า 商店") == "ร้านค้า 商店"
