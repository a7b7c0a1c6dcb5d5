"""What a ministry reads in the weekly files: keys without a value named in words, amounts with
the region's currency symbols, and Thai dates in the Buddhist era."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from harmline.i18n import Catalogs
from harmline.reports.labels import babel_locale
from harmline.summaries.document import country_pdf
from harmline.summaries.figures import Count
from harmline.summaries.message import country_message
from harmline.summaries.week import Week
from harmline.summaries.wording import day, made_at, money, platform_label, week_span
from tests.test_summary_files import country_summary, pdf_text

CATALOGS = Catalogs()


def test_a_platform_nobody_stated_reads_not_stated_in_the_message_and_the_pdf() -> None:
    summary = replace(country_summary(), platforms=(Count("und", 12, 9), Count("sms", 10, 9)),
                      languages=(Count("th", 20, 18), Count("und", 2, 0)))
    message = country_message(summary, "en", CATALOGS.gettext("en"))
    text = pdf_text(country_pdf(summary, [], "en", CATALOGS.gettext("en")))
    for shown in (message, text):
        assert "Not stated" in shown and "Not recognised" in shown
        assert re.search(r"\bund\b", shown) is None
    thai = CATALOGS.gettext("th")
    assert platform_label("und", thai) == thai("Not stated") != "Not stated"


@pytest.mark.parametrize(("language", "amount", "currency", "shown"), [
    ("en", "150", "MYR", "RM150.00"),
    ("en", "1500000", "IDR", "Rp1,500,000"),
    ("id", "1500000", "IDR", "Rp1.500.000"),
    ("en", "99.5", "SGD", "S$99.50"),
    ("en", "20", "BND", "B$20.00"),
    ("th", "2000", "THB", "฿2,000.00"),
    ("vi", "500000", "VND", "500.000\u00a0₫"),
    ("en", "12.345", "USDT", "12.345 USDT"),  # no symbol: every decimal given is kept
])
def test_amounts_carry_the_regions_currency_symbols_in_the_readers_number_format(
        language: str, amount: str, currency: str, shown: str) -> None:
    assert money(Decimal(amount), currency, babel_locale(language)) == shown


def test_thai_dates_are_in_the_buddhist_era_and_others_are_not() -> None:
    thai, english = babel_locale("th"), babel_locale("en")
    assert week_span(Week(2026, 47), thai) == "16–22 พ.ย. 2569"
    assert week_span(Week(2026, 53), thai) == "28 ธ.ค. 2569 – 3 ม.ค. 2570"  # a week across the new year
    assert week_span(Week(2026, 47), english) == "Nov 16\u2009–\u200922, 2026"
    moment = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)  # already 2027 in Bangkok
    assert day(moment, ZoneInfo("Asia/Bangkok"), thai) == "1 ม.ค. 2570"
    assert made_at(moment, "Asia/Bangkok", thai).startswith("1 ม.ค. 2570 ")
    pdf = pdf_text(country_pdf(country_summary(), [], "th", CATALOGS.gettext("th")))
    assert "2569" in pdf and "2026" not in pdf.replace("2026-W47", "")
