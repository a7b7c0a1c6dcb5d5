"""The weekly summary as a Telegram message (HTML, every value escaped, links defanged)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from zoneinfo import ZoneInfo

from babel import Locale

from harmline.reports.indicators import defang
from harmline.reports.labels import babel_locale, country_name, flag
from harmline.summaries.figures import Count, CountrySummary, RegionalSummary
from harmline.summaries.week import Week
from harmline.summaries.wording import (
    category_label,
    change,
    day,
    decision_lines,
    indicator_label,
    language_label,
    money,
    number,
    platform_label,
    scam_type_label,
    week_span,
)

Gettext = Callable[[str], str]
_TOP = 5  # lines per breakdown: a phone screen, not a spreadsheet (the PDF has them all)
# Telegram's limit is 4096 UTF-16 units of text after the tags are parsed; the raw HTML counted in
# code points stays well under that with this margin, flags (4 units each) included.
_LIMIT = 3900


def _label(kind: str, key: str, language: str, _: Gettext) -> str:
    if kind == "language":
        return language_label(key, language, _)
    return {"category": category_label, "platform": platform_label, "scam_type": scam_type_label}[kind](key, _)


def _heading(title: str, week: Week, locale: Locale, _: Gettext) -> str:
    return ("📊 <b>" + escape(title) + "</b>\n"
            + escape(_("Week {week}: {dates}").format(week=week.label, dates=week_span(week, locale))))


def _received(received: int, last_week: int, locale: Locale, _: Gettext) -> str:
    return escape(_("Reports received: {count} (last week {before}, {change})").format(
        count=number(received, locale), before=number(last_week, locale),
        change=change(received, last_week, locale)))


def _breakdown(title: str, kind: str, counts: Sequence[Count], language: str, _: Gettext) -> str:
    locale = babel_locale(language)
    lines = ["<b>" + escape(title) + "</b>"]
    for count in counts[:_TOP]:
        lines.append("• " + escape(_label(kind, count.key, language, _)) + ": " + number(count.this_week, locale)
                     + " (" + escape(change(count.this_week, count.last_week, locale)) + ")")
    if len(counts) > _TOP:
        lines.append("• " + escape(_("{count} more in the PDF").format(count=len(counts) - _TOP)))
    return "\n".join(lines)


def country_message(summary: CountrySummary, language: str, _: Gettext) -> str:
    locale = babel_locale(language)
    title = _("Weekly summary — {country}").format(
        country=flag(summary.country) + " " + country_name(summary.country, language))
    parts = [_heading(title, summary.week, locale, _),
             _received(summary.received, summary.received_last_week, locale, _)]
    if summary.received or summary.received_last_week:
        parts.append(_breakdown(_("By category"), "category", summary.categories, language, _))
        if summary.scam_types:
            parts.append(_breakdown(_("Scams by type"), "scam_type", summary.scam_types, language, _))
        parts.append(_breakdown(_("By platform"), "platform", summary.platforms, language, _))
        parts.append(_breakdown(_("By language"), "language", summary.languages, language, _))
    if summary.money:
        lines = ["<b>" + escape(_("Money reported lost")) + "</b>"]
        for lost in summary.money[:_TOP]:
            lines.append("• " + escape(_("{total} in {count} reports (median {median})").format(
                total=money(lost.total, lost.currency, locale), count=number(lost.reports, locale),
                median=money(lost.median, lost.currency, locale))))
        parts.append("\n".join(lines))
    parts.append("<b>" + escape(_("Decisions")) + "</b>\n"
                 + "\n".join(escape(line) for line in decision_lines(summary.decisions, locale, _)))
    if summary.top_indicators:
        lines = ["<b>" + escape(_("Most reported")) + "</b>"]
        for item in summary.top_indicators[:_TOP]:
            lines.append("• " + escape(indicator_label(item.kind, _)) + " <code>" + escape(defang(item.value))
                         + "</code>: " + escape(_("{count} reports this week, {before} before").format(
                             count=number(item.reports, locale), before=number(item.reports_before, locale))))
        parts.append("\n".join(lines))
    if summary.new_clusters:
        zone = ZoneInfo(summary.time_zone)
        lines = ["<b>" + escape(_("New clusters")) + "</b>"]
        for cluster in summary.new_clusters:
            what = ", ".join(category_label(key, _) for key in cluster.categories[:2])
            lines.append("• " + escape(indicator_label(cluster.kind, _)) + " <code>" + escape(defang(cluster.value))
                         + "</code>: " + escape(_("{count} reports ({what}), first on {day}").format(
                             count=number(cluster.reports, locale), what=what,
                             day=day(cluster.first_seen, zone, locale))))
        parts.append("\n".join(lines))
    return _fit(parts, _("Charts, the PDF report and the CSV of the week's forwarded reports follow."))


def regional_message(summary: RegionalSummary, language: str, _: Gettext) -> str:
    locale = babel_locale(language)
    parts = [_heading(_("Regional weekly summary"), summary.week, locale, _),
             _received(summary.received, summary.received_last_week, locale, _)]
    lines = []
    for country in sorted(summary.countries, key=lambda c: (-c.received, c.country)):
        lines.append(flag(country.country) + " <b>" + escape(country_name(country.country, language)) + "</b>: "
                     + escape(_("{count} ({change}) · confirmed {confirmed} · pending {pending}").format(
                         count=number(country.received, locale),
                         change=change(country.received, country.received_last_week, locale),
                         confirmed=number(country.decisions.confirmed, locale),
                         pending=number(country.decisions.pending, locale))))
    parts.append("\n".join(lines))
    return _fit(parts, _("Charts, the PDF report and the CSV of the week's forwarded reports follow."))


def _fit(parts: list[str], closing: str) -> str:
    """Whole sections only, as many as fit in one Telegram message, then the closing line."""
    kept: list[str] = []
    size = len(closing)
    for part in parts:
        if size + len(part) + 2 > _LIMIT:
            break
        kept.append(part)
        size += len(part) + 2
    return "\n\n".join([*kept, escape(closing)])
