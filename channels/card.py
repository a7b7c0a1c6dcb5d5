"""The report summary a national contact reads in Telegram, in the contact's language.

HTML parse mode: every piece of citizen or scammer text is escaped, links are defanged, and
the quoted text is cut so the whole card stays inside Telegram's 4096-character limit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape

from harmline.i18n import Catalogs, Gettext
from harmline.reports.explanation import certainty, describe
from harmline.reports.indicators import defang
from harmline.reports.labels import (
    CATEGORY_LABELS,
    FOUND_IN_LABELS,
    INDICATOR_LABELS,
    ORIGIN_LABELS,
    PLATFORM_LABELS,
    STATUS_LABELS,
    country_name,
    language_name,
)
from harmline.reports.model import SELF, IndicatorHistory, Report, ReportStatus

MESSAGE_LIMIT = 4096
# Room left for the header lines, measured in UTF-16 units as Telegram counts them.
_SAFETY = 96


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def truncate(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` UTF-16 units, at a word break when one is near."""
    if utf16_length(text) <= limit:
        return text
    cut = text[: max(limit - 1, 0)]
    while utf16_length(cut) > limit - 1:
        cut = cut[:-1]
    space = cut.rfind(" ", max(len(cut) - 40, 0))
    return (cut[:space] if space > 0 else cut) + "…"


def repeat_note(history: IndicatorHistory | None, _: Gettext) -> str | None:
    """"reported 37 times since 2026-11-02 (4 countries)" — what makes a number urgent."""
    if history is None or history.reports < 2 or history.first_seen is None:
        return _("first report") if history is not None and history.reports == 1 else None
    since = f"{history.first_seen:%Y-%m-%d}"
    if len(history.countries) > 1:
        return _("reported {count} times since {date} ({countries} countries)").format(
            count=history.reports, date=since, countries=len(history.countries))
    return _("reported {count} times since {date}").format(count=history.reports, date=since)


def age(span: timedelta, _: Gettext) -> str:
    """How long ago, as a moderator glances at it: minutes, hours, then days."""
    minutes = max(int(span.total_seconds() // 60), 0)
    if minutes < 60:
        return _("{count} min ago").format(count=minutes)
    if minutes < 48 * 60:
        return _("{count} h ago").format(count=minutes // 60)
    return _("{count} days ago").format(count=minutes // (24 * 60))


DECIDED_ICONS = {ReportStatus.CONFIRMED: "✅", ReportStatus.REJECTED: "🚫", ReportStatus.MERGED: "🔗"}


def decision_line(report: Report, _: Gettext) -> str | None:
    """Who decided what, replacing the buttons once a report is decided (plain text)."""
    who, when = report.decided_by or "?", f"{report.decided_at:%Y-%m-%d %H:%M} UTC" if report.decided_at else ""
    if report.status is ReportStatus.CONFIRMED:
        line = _("Confirmed by {moderator}, {time}").format(moderator=who, time=when)
    elif report.status is ReportStatus.REJECTED:
        line = _("Not harmful — decided by {moderator}, {time}").format(moderator=who, time=when)
    elif report.status is ReportStatus.MERGED:
        line = _("Merged into {ref} by {moderator}, {time}").format(ref=report.merged_into or "?", moderator=who,
                                                                    time=when)
    else:
        return None
    return DECIDED_ICONS[report.status] + " " + line


def _moderator_lines(report: Report, _: Gettext, now: datetime) -> list[str]:
    lines = [_field(_("Status"), escape(_(STATUS_LABELS[report.status]))
                    + (" · 🔺 " + escape(_("urgent")) if report.urgent else ""))]
    decided = decision_line(report, _)
    if decided:
        lines.append("<b>" + escape(decided) + "</b>")
    received = f"{report.created_at:%Y-%m-%d %H:%M} UTC"
    lines.append(_field(_("Received"), f"{received} ({escape(age(now - report.created_at, _))})"))
    return lines


def _why(report: Report, _: Gettext) -> str:
    """The classifier's cues and the citizen's words, in the moderator's language; a category a
    moderator set (or one stored before explanations were kept) keeps its stored reason."""
    if report.explanation is None:
        return report.category_reason
    return describe(report.explanation, report.category, _)


def _field(label: str, html_value: str) -> str:
    return f"<b>{escape(label)}:</b> {html_value}".rstrip()


def render_card(report: Report, language: str, catalogs: Catalogs, *, for_moderators: bool = False,
                now: datetime | None = None, note: str | None = None) -> str:
    """The card. Moderators also see its state, age and who decided it, and why the report got
    its category (the classifier's reason); ``note`` is a plain line put first."""
    _ = catalogs.gettext(language)
    not_stated = _("not stated")
    platform = _(PLATFORM_LABELS[report.platform]) if report.platform else not_stated
    if report.money_lost is None:
        loss = not_stated
    elif report.money_lost:
        loss = _("Yes") + (f" — {escape(report.loss_amount)}" if report.loss_amount else "")
    else:
        loss = _("No")
    detected = language_name(report.detected_language, language)
    # pybabel cannot see _() inside f-strings: every label is looked up here, outside them.
    if for_moderators and report.status.decided:  # no longer new: the title says what became of it
        title = DECIDED_ICONS.get(report.status, "📄") + " <b>" + escape(_("Report {ref}").format(
            ref=report.reference)) + "</b>"
    else:
        title = ("🔺 " if report.urgent else "🚨 ") + "<b>" + escape(_("New report {ref}").format(
            ref=report.reference)) + "</b>"
    lines = [
        *([escape(note)] if note else []),
        title,
        *(_moderator_lines(report, _, now or report.created_at) if for_moderators else []),
        *(["🗄 " + escape(_("Kept on file only, at the citizen's choice: not forwarded."))]
          if for_moderators and report.keep_on_file else []),
        _field(_("Category"), escape(_(CATEGORY_LABELS[report.category]))
               + (f" ({escape(certainty(report.explanation, _))})"
                  if for_moderators and report.explanation else "")),
        *([_field(_("Why this category"), escape(_why(report, _)))] if for_moderators else []),
        _field(_("Country"), escape(country_name(report.country, language))),
        _field(_("Platform"), escape(platform)),
        _field(_("Money lost"), loss),
        *([] if for_moderators else [_field(_("Received"), f"{report.created_at:%Y-%m-%d %H:%M} UTC")]),
    ]
    if report.indicators:
        lines.append(_field(_("Indicators"), ""))
        for indicator in report.indicators[:15]:
            label = escape(_(INDICATOR_LABELS.get(indicator.kind, indicator.kind)))
            seen = repeat_note(report.history.get((indicator.kind, indicator.value)), _)
            # What names it (bank, wallet, network, platform); a URL's detail is its domain, shown already.
            named = f" ({escape(indicator.detail)})" if indicator.detail and indicator.kind != "url" else ""
            where = _(FOUND_IN_LABELS[indicator.found_in]) if indicator.found_in in FOUND_IN_LABELS else None
            lines.append(f"• {label}: <code>{escape(defang(indicator.value))}</code>{named}"
                         + (f" ({escape(where)})" if where else "") + (f" — {escape(seen)}" if seen else ""))
    origins = [m.origin for m in report.messages if m.origin is not None]
    forwarded_from = _("Forwarded from")
    for origin in dict.fromkeys(origins):
        when = f", {origin.date:%Y-%m-%d %H:%M} UTC" if origin.date else ""
        kind = _(ORIGIN_LABELS.get(origin.type, origin.type))
        if origin.type == SELF or not origin.name:  # the reporter's own chat (never their name), or de-identified
            lines.append(_field(forwarded_from, f"{escape(kind)}{when}"))
        else:
            lines.append(_field(forwarded_from, f"{escape(origin.name)} ({escape(kind)}){when}"))
    if report.same_script_reports:
        lines.append(escape(_("Same scam text as {count} earlier report(s).").format(
            count=report.same_script_reports)))
    if report.possible_duplicates:
        lines.append(escape(_("Possibly the same as {count} earlier report(s): a moderator can merge them.").format(
            count=report.possible_duplicates)))
    if report.evidence:
        lines.append(escape(_("Evidence: {count} file(s), attached below.").format(count=len(report.evidence))))
    lines.append("<i>" + escape(_("The reporter's identity is withheld.")) + "</i>")
    heading = "<b>" + escape(_("The citizen's words ({language}):").format(language=detected)) + "</b>"
    header = "\n".join(lines)
    # Tags overcount: errs on the safe side. The citizen's words keep at least half of the room.
    room = MESSAGE_LIMIT - utf16_length(header) - utf16_length(heading) - _SAFETY
    read = _fitting(_read_from_images(report, language, _), room // 2)
    words = truncate(defang(report.text) or "—", room - utf16_length(read))
    return f"{header}\n\n{heading}\n<blockquote>{escape(words)}</blockquote>" + (f"\n{read}" if read else "")


def _read_from_images(report: Report, language: str, _: Gettext) -> list[str]:
    """What was read from each evidence image, under its own heading so nobody takes it for the
    citizen's words (HTML, defanged and escaped); why an image was not read."""
    sections: list[str] = []
    for number, evidence in enumerate(report.evidence, start=1):
        read = evidence.read
        if read is None:
            continue
        if read.state == "read" and (read.text or read.codes):
            heading = _("Text read from screenshot {number} ({language}):").format(
                number=number, language=language_name(read.language, language))
            body = [defang(read.text)] if read.text else []
            body += [_("QR code: {content}").format(content=defang(code)) for code in read.codes]
            sections.append(f"<b>{escape(heading)}</b>\n<blockquote>{escape(truncate(chr(10).join(body), 1200))}"
                            "</blockquote>")
        elif read.state == "pending":
            sections.append("<i>" + escape(_("Screenshot {number} is still being read.").format(number=number))
                            + "</i>")
        elif read.state != "read":
            sections.append("<i>" + escape(_("Screenshot {number} could not be read.").format(number=number))
                            + "</i>")
    return sections


def _fitting(sections: list[str], room: int) -> str:
    """As many whole sections (never half a tag) as fit in ``room`` UTF-16 units."""
    kept: list[str] = []
    used = 0
    for section in sections:
        used += utf16_length(section) + 1
        if used > room:
            break
        kept.append(section)
    return "\n".join(kept)
