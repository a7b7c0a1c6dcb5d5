"""Words and numbers of the weekly summaries in the reader's language, shared by the message,
the charts and the PDF: numbers, changes, money, dates and the names of stored keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_interval, format_time
from babel.numbers import format_currency, format_decimal, format_percent, is_currency

from harmline.reports.labels import CATEGORY_LABELS, INDICATOR_LABELS, PLATFORM_LABELS, SCAM_TYPE_LABELS
from harmline.reports.model import Category, Platform
from harmline.summaries.week import Week

Gettext = Callable[[str], str]


def number(value: int | float | Decimal, locale: Locale) -> str:
    return format_decimal(value, locale=locale)


def week_span(week: Week, locale: Locale) -> str:
    """``Nov 16 – 22, 2026``, ``16–22 พ.ย. 2026``: the week's Monday to Sunday."""
    return format_interval(week.monday, week.sunday, "yMMMd", locale=locale)


def category_label(key: str, gettext: Gettext) -> str:
    # A key the label tables do not know yet is shown as stored rather than dropped.
    try:
        return gettext(CATEGORY_LABELS[Category(key)])
    except (ValueError, KeyError):
        return key


def platform_label(key: str, gettext: Gettext) -> str:
    try:
        return gettext(PLATFORM_LABELS[Platform(key)])
    except (ValueError, KeyError):
        return key


def scam_type_label(key: str, gettext: Gettext) -> str:
    label = SCAM_TYPE_LABELS.get(key)
    return gettext(label) if label else key


def change(this_week: int, last_week: int, locale: Locale) -> str:
    """``+7 (+20%)``; the difference alone when last week had nothing to compare with."""
    if this_week == last_week:
        return "0"
    difference = format_decimal(this_week - last_week, format="+#,##0;-#,##0", locale=locale)
    if not last_week:
        return difference
    ratio = (this_week - last_week) / last_week
    return f"{difference} ({format_percent(ratio, format='+#,##0%;-#,##0%', locale=locale)})"


def money(amount: Decimal, currency: str, locale: Locale) -> str:
    if is_currency(currency, locale):
        return format_currency(amount, currency, locale=locale)
    # USDT, BTC…: CLDR has no symbol nor number of decimals for them; every decimal given is kept.
    return f"{format_decimal(amount, format='#,##0.##########', locale=locale)} {currency}"


def made_at(moment: datetime, time_zone: str, locale: Locale) -> str:
    """``Nov 24, 2026, 01:05 (Asia/Bangkok)``: to the minute, with the zone the figures' days are in."""
    local = moment.astimezone(ZoneInfo(time_zone))
    return f"{format_date(local, 'medium', locale=locale)} {format_time(local, 'short', locale=locale)} ({time_zone})"


def day(moment: datetime, zone: ZoneInfo, locale: Locale) -> str:
    return format_date(moment.astimezone(zone).date(), "medium", locale=locale)


def indicator_label(kind: str, gettext: Gettext) -> str:
    label = INDICATOR_LABELS.get(kind)
    return gettext(label) if label else kind
