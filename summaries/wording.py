"""Words and numbers of the weekly summaries in the reader's language, shared by the message,
the charts and the PDF: numbers, changes, money, dates and the names of stored keys."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.numbers import format_currency, format_decimal, format_percent, get_currency_precision, is_currency

from harmline.reports.labels import (
    CATEGORY_LABELS,
    INDICATOR_LABELS,
    PLATFORM_LABELS,
    SCAM_TYPE_LABELS,
    duration_text,
    language_name,
)
from harmline.reports.model import Category, Platform
from harmline.summaries.figures import Decisions
from harmline.summaries.week import Week

Gettext = Callable[[str], str]
BUDDHIST_ERA = 543  # years from the Buddhist era's start to the common era's


def number(value: int | float | Decimal, locale: Locale) -> str:
    return format_decimal(value, locale=locale)


def _era(text: str, years: Iterable[int], locale: Locale) -> str:
    """Thai documents count years in the Buddhist era (2026 is 2569). CLDR's Thai dates are
    Gregorian, so the year is put in the Buddhist era once formatted: a four-digit year is the
    only four-digit number in a formatted date."""
    if locale.language != "th":
        return text
    for year in sorted(set(years), reverse=True):
        text = text.replace(str(year), str(year + BUDDHIST_ERA))
    return text


def week_span(week: Week, locale: Locale) -> str:
    """``Nov 16 – 22, 2026``, ``16–22 พ.ย. 2569``: the week's Monday to Sunday."""
    return _era(format_interval(week.monday, week.sunday, "yMMMd", locale=locale),
                (week.monday.year, week.sunday.year), locale)


# The key of reports without a value (the citizen skipped the platform; no language recognised).
UNKNOWN = "und"


def category_label(key: str, gettext: Gettext) -> str:
    # A key the label tables do not know yet is shown as stored rather than dropped.
    if key == UNKNOWN:
        return gettext("Not stated")
    try:
        return gettext(CATEGORY_LABELS[Category(key)])
    except (ValueError, KeyError):
        return key


def platform_label(key: str, gettext: Gettext) -> str:
    if key == UNKNOWN:
        return gettext("Not stated")
    try:
        return gettext(PLATFORM_LABELS[Platform(key)])
    except (ValueError, KeyError):
        return key


def scam_type_label(key: str, gettext: Gettext) -> str:
    if key == UNKNOWN:
        return gettext("Not stated")
    label = SCAM_TYPE_LABELS.get(key)
    return gettext(label) if label else key


def language_label(key: str, language: str, gettext: Gettext) -> str:
    """The name of a report's language in the reader's ``language``."""
    return gettext("Not recognised") if key == UNKNOWN else language_name(key, language)


def change(this_week: int, last_week: int, locale: Locale) -> str:
    """``+7 (+20%)``; the difference alone when last week had nothing to compare with."""
    if this_week == last_week:
        return "0"
    difference = format_decimal(this_week - last_week, format="+#,##0;-#,##0", locale=locale)
    if not last_week:
        return difference
    ratio = (this_week - last_week) / last_week
    return f"{difference} ({format_percent(ratio, format='+#,##0%;-#,##0%', locale=locale)})"


# The symbols the region writes its currencies with. CLDR gives most readers' languages only the
# code ("MYR150.00" in English), and "$" for both Singapore's and Brunei's dollars.
REGIONAL_SYMBOLS = {"MYR": "RM", "THB": "฿", "IDR": "Rp", "PHP": "₱", "SGD": "S$", "BND": "B$", "VND": "₫",
                    "KHR": "៛", "LAK": "₭", "MMK": "Ks", "USD": "US$"}


def money(amount: Decimal, currency: str, locale: Locale) -> str:
    """``RM150.00``, ``150,00 ₫``: the region's symbol, placed and with digits as the reader's
    language writes money."""
    symbol = REGIONAL_SYMBOLS.get(currency)
    if symbol is not None:
        digits = get_currency_precision(currency)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        figure = format_decimal(amount, format=pattern, locale=locale, decimal_quantization=True)
        standard = locale.currency_formats["standard"].pattern
        return f"{symbol}{figure}" if standard.lstrip("-").startswith("¤") else f"{figure}\u00a0{symbol}"
    if is_currency(currency, locale):
        return format_currency(amount, currency, locale=locale)
    # USDT, BTC…: CLDR has no symbol nor number of decimals for them; every decimal given is kept.
    return f"{format_decimal(amount, format='#,##0.##########', locale=locale)} {currency}"


def made_at(moment: datetime, time_zone: str, locale: Locale) -> str:
    """``Nov 24, 2026, 01:05 (Asia/Bangkok)``: to the minute, with the zone the figures' days are in."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return (_era(format_date(local, "medium", locale=locale), (local.year,), locale)
            + f" {format_time(local, 'short', locale=locale)} ({time_zone})")


def day(moment: datetime, zone: ZoneInfo, locale: Locale) -> str:
    local = moment.astimezone(zone).date()
    return _era(format_date(local, "medium", locale=locale), (local.year,), locale)


def indicator_label(kind: str, gettext: Gettext) -> str:
    label = INDICATOR_LABELS.get(kind)
    return gettext(label) if label else kind


def decision_lines(decisions: Decisions, locale: Locale, _: Gettext) -> tuple[str, str]:
    """The week's decisions by outcome, and how long a decision took (message and dashboard)."""
    return (_("Confirmed {confirmed} · not harmful {rejected} · merged {merged} · pending {pending}").format(
                confirmed=number(decisions.confirmed, locale), rejected=number(decisions.rejected, locale),
                merged=number(decisions.merged, locale), pending=number(decisions.pending, locale)),
            _("Median time to decision: {duration} ({count} decisions this week)").format(
                duration=duration_text(decisions.median_decision_seconds, _),
                count=number(decisions.decided_in_week, locale)))
