"""The weekly PDFs' layout, read back from the rendered files with PDFium: every character and
every chart inside the page's margins, in every language (long headings in Burmese, Tamil, Malay
or Portuguese wrap rather than run off the page), and each chart on the page of its table when it
fits there."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest

from harmline.i18n import LANGUAGES, Catalogs
from harmline.summaries.charts import country_charts, regional_charts
from harmline.summaries.document import MARGIN, country_pdf, regional_pdf
from tests.test_summary_files import country_summary, regional_summary

CATALOGS = Catalogs()
POINTS_PER_MM = 72 / 25.4
SLACK = 1.0  # points: PDFium's boxes include side bearings


@cache
def pdfs(language: str, with_charts: bool) -> tuple[bytes, bytes]:
    gettext = CATALOGS.gettext(language)
    country, region = country_summary(), regional_summary()
    return (country_pdf(country, country_charts(country, language, gettext) if with_charts else [], language,
                        gettext),
            regional_pdf(region, regional_charts(region, language, gettext) if with_charts else [], language,
                         gettext))


def outside_margins(data: bytes) -> Iterator[str]:
    """What lies outside the margins: each character and each image, as page and text."""
    document = pdfium.PdfDocument(data)
    inner = MARGIN * POINTS_PER_MM - SLACK
    for number in range(len(document)):
        page = document[number]
        width, height = page.get_size()
        text = page.get_textpage()
        for index in range(text.count_chars()):
            left, bottom, right, top = text.get_charbox(index)
            if right > left and (left < inner or right > width - inner or bottom < inner - SLACK * 4
                                 or top > height - inner):
                yield f"page {number + 1}: {text.get_text_range(max(0, index - 20), 40)!r}"
                break
        for image in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE]):
            left, bottom, right, top = image.get_bounds()
            if left < inner or right > width - inner or bottom < inner or top > height - inner:
                yield f"page {number + 1}: an image at {left:.0f}–{right:.0f} × {bottom:.0f}–{top:.0f}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_heading_and_table_fits_the_page_in_every_language(language: str) -> None:
    country, region = pdfs(language, False)
    assert list(outside_margins(country)) == []
    assert list(outside_margins(region)) == []


@pytest.mark.parametrize("language", ["my", "ta", "th", "en"])
def test_charts_fit_the_page_and_stay_by_their_tables(language: str) -> None:
    country, region = pdfs(language, True)
    assert list(outside_margins(country)) == []
    assert list(outside_margins(region)) == []
    # The regional file used to give each of its three charts a page of its own after the tables:
    # now each follows its table, and in English and Thai the first page holds the key figures,
    # the per-country table and its chart (Burmese and Tamil rows are taller: it moves on a page).
    document = pdfium.PdfDocument(region)
    images = [len(list(page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE]))) for page in document]
    assert sum(images) == 3 and len(document) <= 5
    if language in ("en", "th"):
        assert images[0] == 1
