"""The dashboard's web server (aiohttp): sign-in with Telegram, then read-only pages in the
viewer's language, scoped to their countries and role.

URLs carry no personal data: the widget's fields are POSTed, not put in a redirect's query, and
reports are addressed by reference. The server writes no access log.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import jinja2
from aiohttp import web

from harmline.dashboard.access import Viewer, viewer_of
from harmline.dashboard.charts import Bar, bars_svg, columns_svg
from harmline.dashboard.login import Identity, LoginRefused, Sessions, verify_login
from harmline.exports import EXPORT_STATUSES, write_export
from harmline.i18n import LANGUAGES, Catalogs
from harmline.i18n.languages import negotiate
from harmline.moderation.roles import Roster
from harmline.reports.indicators import defang
from harmline.reports.labels import DELIVERY_LABELS, N_, STATUS_LABELS, babel_locale, country_name
from harmline.reports.model import ReportStatus
from harmline.reports.purpose import FORWARD
from harmline.reports.reference import normalise_reference
from harmline.repositories import Store
from harmline.services.summaries import Summaries
from harmline.settings.model import TIME_ZONES, Settings
from harmline.summaries.build import SummaryBuilder
from harmline.summaries.figures import Count
from harmline.summaries.week import Week, last_complete_week
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

log = logging.getLogger(__name__)
SESSION_COOKIE, LANGUAGE_COOKIE = "harmline_session", "harmline_lang"
TREND_WEEKS = 12
PERIODS = (1, 4, 12)  # the most reported values over this week, or this and the weeks before it
QUEUE_PAGE = 20
Clock = Callable[[], datetime]
SECURITY_HEADERS = {
    # Nothing from elsewhere but the Telegram Login widget on the sign-in page.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: https://t.me https://telegram.org;"
                               " style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'"
                               " https://telegram.org; frame-src https://oauth.telegram.org",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
STATUSES = {status.value for status in ReportStatus}
# The exports offered per week: which reports (harmline export --status) and each format's file.
EXPORT_CHOICES = {"forwarded": N_("Forwarded to a contact"), "confirmed": N_("Confirmed by a moderator"),
                  "received": N_("Every report received")}
EXPORT_FILES = {"csv": ("CSV", "csv", "text/csv"), "jsonl": ("JSON Lines", "jsonl", "application/jsonl"),
                "stix": ("STIX 2.1", "json", "application/json")}


class Dashboard:
    def __init__(self, settings: Settings, store: Store, catalogs: Catalogs, clock: Clock) -> None:
        self.settings = settings
        self.store = store
        self.catalogs = catalogs
        self.clock = clock
        self.roster = Roster(settings)
        self.builder = SummaryBuilder(store.summaries)
        self.summaries = Summaries(store, settings, catalogs, clock)
        self.sessions = Sessions(settings.telegram.token, timedelta(hours=settings.dashboard.session_hours))
        self.templates = jinja2.Environment(loader=jinja2.PackageLoader("harmline.dashboard"),
                                            autoescape=True, undefined=jinja2.StrictUndefined)
        self._runner: web.AppRunner | None = None

    # --- serving ---------------------------------------------------------------------------

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self._headers])
        app.router.add_get("/", self._home)
        app.router.add_get("/login", self._login)
        app.router.add_post("/auth", self._auth)
        app.router.add_post("/logout", self._logout)
        app.router.add_get("/overview", self._overview)
        app.router.add_get("/reports/{reference}", self._report)
        app.router.add_get("/queue", self._queue)
        app.router.add_get("/indicators", self._indicators)
        app.router.add_get("/downloads/{country}/{week}/{kind}", self._download)
        app.router.add_get("/exports/{country}/{week}/{format}", self._export)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.application(), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.settings.dashboard.listen, self.settings.dashboard.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @web.middleware
    async def _headers(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as answer:  # redirects and refusals carry them too
            answer.headers.update(SECURITY_HEADERS)
            raise
        response.headers.update(SECURITY_HEADERS)
        return response

    # --- who is asking -----------------------------------------------------------------------

    def _language(self, request: web.Request) -> str:
        for candidate in (request.query.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
            if candidate in LANGUAGES:
                return candidate
        for part in request.headers.get("Accept-Language", "").split(","):
            found = negotiate(part.split(";")[0])
            if found:
                return found
        return "en"

    async def _viewer(self, request: web.Request) -> Viewer | None:
        identity = self.sessions.read(request.cookies.get(SESSION_COOKIE), self.clock())
        return await self._viewer_of(identity) if identity is not None else None

    async def _viewer_of(self, identity: Identity) -> Viewer | None:
        # Moderators added or removed in the bot (/mod) count at once.
        self.roster.load(await self.store.moderation.grants())
        return viewer_of(identity.user_id, identity.name, self.settings, self.roster)

    def _page(self, request: web.Request, template: str, status: int = 200, **values: object) -> web.Response:
        language = self._language(request)
        text = self.templates.get_template(template).render(
            _=self.catalogs.gettext(language), language=language,
            language_links=[(code, str(request.rel_url.update_query(lang=code))) for code in LANGUAGES], **values)
        response = web.Response(text=text, content_type="text/html", status=status)
        if request.query.get("lang") in LANGUAGES:
            response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, httponly=True, samesite="Lax")
        return response

    # --- pages ---------------------------------------------------------------------------------

    async def _home(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/overview" if await self._viewer(request) else "/login")

    async def _login(self, request: web.Request) -> web.StreamResponse:
        return self._page(request, "login.html", viewer=None, bot_username=self.settings.dashboard.bot_username,
                          refused=request.query.get("refused") == "1")

    async def _auth(self, request: web.Request) -> web.StreamResponse:
        """The widget's fields, POSTed as JSON by the sign-in page: a session cookie, or 403."""
        try:
            fields = {str(key): str(value) for key, value in (await request.json()).items()}
            identity: Identity = verify_login(fields, self.settings.telegram.token, self.clock())
        except (LoginRefused, json.JSONDecodeError, AttributeError) as error:
            log.warning("dashboard sign-in refused: %s", error)
            raise web.HTTPForbidden(text="sign-in refused") from None
        if await self._viewer_of(identity) is None:
            raise web.HTTPForbidden(text="no role: ask an admin")
        response = web.json_response({"next": "/overview"})
        response.set_cookie(SESSION_COOKIE, self.sessions.issue(identity, self.clock()),
                            max_age=int(self.sessions.lifetime.total_seconds()), httponly=True, samesite="Strict",
                            secure=request.secure)
        return response

    async def _logout(self, request: web.Request) -> web.StreamResponse:
        response = web.HTTPFound("/login")
        response.del_cookie(SESSION_COOKIE)
        raise response

    async def _scope(self, request: web.Request) -> tuple[Viewer, str] | web.Response:
        """Who asks and for which of their countries (``?country=``, their first by default); or
        the page to answer with (a redirect to sign in is raised)."""
        viewer = await self._viewer(request)
        if viewer is None:
            raise web.HTTPFound("/login")
        country = request.query.get("country", viewer.countries[0] if viewer.countries else "")
        if not viewer.sees(country):
            _ = self.catalogs.gettext(self._language(request))
            return self._page(request, "missing.html", status=404, viewer=viewer,
                              message=_("Nothing to show for this country among yours."))
        return viewer, country

    async def _overview(self, request: web.Request) -> web.StreamResponse:
        scope = await self._scope(request)
        if isinstance(scope, web.Response):
            return scope
        viewer, country = scope
        language = self._language(request)
        _ = self.catalogs.gettext(language)
        locale = babel_locale(language)
        zone = TIME_ZONES[country]
        now = self.clock()
        this_week = Week.containing(now.astimezone(ZoneInfo(zone)).date())
        complete_week = last_complete_week(zone, now)
        summary = await self.builder.country(country, this_week, now)
        weeks = [this_week]
        for _step in range(TREND_WEEKS - 1):
            weeks.insert(0, weeks[0].previous())
        boundaries = [week.bounds(zone)[0] for week in weeks] + [this_week.bounds(zone)[1]]
        received = await self.store.summaries.received_per_period(country, boundaries)

        def breakdown(counts: tuple[Count, ...], label: Callable[[str], str]) -> str:
            return bars_svg("", [Bar(label(c.key), c.this_week, c.last_week) for c in counts[:8]], locale)

        return self._page(
            request, "overview.html", viewer=viewer, country=country,
            countries=[(code, country_name(code, language)) for code in viewer.countries],
            country_label=country_name(country, language), week=this_week.label,
            dates=week_span(this_week, locale), received=number(summary.received, locale),
            last_week=number(summary.received_last_week, locale),
            change=change(summary.received, summary.received_last_week, locale),
            trend=columns_svg(_("Reports received per week"),
                              [Bar(week.label[-3:], count) for week, count in zip(weeks, received, strict=True)],
                              locale),
            categories=breakdown(summary.categories, lambda key: category_label(key, _)),
            scam_types=breakdown(summary.scam_types, lambda key: scam_type_label(key, _)),
            platforms=breakdown(summary.platforms, lambda key: platform_label(key, _)),
            languages_chart=breakdown(summary.languages, lambda key: language_label(key, language, _)),
            decisions=decision_lines(summary.decisions, locale, _),
            losses=[(m.currency, number(m.reports, locale), money(m.total, m.currency, locale),
                     money(m.median, m.currency, locale)) for m in summary.money],
            indicators=[(indicator_label(i.kind, _), defang(i.value), number(i.reports, locale),
                         number(i.reports_before, locale), day(i.first_seen, ZoneInfo(zone), locale),
                         day(i.last_seen, ZoneInfo(zone), locale))
                        for i in summary.top_indicators],
            clusters=[(indicator_label(c.kind, _), defang(c.value), number(c.reports, locale),
                       ", ".join([*(category_label(k, _) for k in c.categories),
                                  *(platform_label(k, _) for k in c.platforms)]),
                       f"{day(c.first_seen, ZoneInfo(zone), locale)} – {day(c.last_seen, ZoneInfo(zone), locale)}")
                      for c in summary.new_clusters],
            complete_week=complete_week.label,
            # This week so far, then the last complete one.
            exports=[(week.label, status, _(label)) for week in (this_week, complete_week)
                     for status, label in EXPORT_CHOICES.items()],
            export_files=[(kind, name) for kind, (name, _extension, _media) in EXPORT_FILES.items()])

    async def _indicators(self, request: web.Request) -> web.StreamResponse:
        """The most reported numbers, links and accounts of one country over this week or the last
        4 or 12 weeks (``?weeks=``), with the weekly summary's counting (SummaryBuilder)."""
        scope = await self._scope(request)
        if isinstance(scope, web.Response):
            return scope
        viewer, country = scope
        language = self._language(request)
        _, locale, zone = self.catalogs.gettext(language), babel_locale(language), TIME_ZONES[country]
        asked = request.query.get("weeks", "1")
        weeks = int(asked) if asked in {str(period) for period in PERIODS} else 1
        this_week = Week.containing(self.clock().astimezone(ZoneInfo(zone)).date())
        first = this_week
        for _step in range(weeks - 1):
            first = first.previous()
        values = await self.builder.most_reported(country, first.bounds(zone)[0], this_week.bounds(zone)[1])
        return self._page(
            request, "indicators.html", viewer=viewer, country=country, weeks=weeks,
            countries=[(code, country_name(code, language)) for code in viewer.countries],
            country_label=country_name(country, language),
            span=this_week.label if weeks == 1 else f"{first.label} – {this_week.label}",
            periods=[(period, _("This week") if period == 1 else _("Last {count} weeks").format(count=period))
                     for period in PERIODS],
            rows=[(indicator_label(i.kind, _), defang(i.value), number(i.reports, locale),
                   number(i.reports_before, locale), day(i.first_seen, ZoneInfo(zone), locale),
                   day(i.last_seen, ZoneInfo(zone), locale)) for i in values])

    async def _queue(self, request: web.Request) -> web.StreamResponse:
        """Undecided reports of the moderator's countries (or one of them), oldest first."""
        viewer = await self._viewer(request)
        if viewer is None:
            raise web.HTTPFound("/login")
        _ = self.catalogs.gettext(self._language(request))
        country = request.query.get("country")
        if not viewer.reads_reports or (country is not None and not viewer.sees(country)):
            return self._page(request, "missing.html", status=404, viewer=viewer,
                              message=_("Nothing to show for this country among yours."))
        asked = request.query.get("from", "0")
        offset = int(asked) if re.fullmatch(r"[0-9]{1,9}", asked) else 0  # ASCII digits: "²".isdigit() too
        page = await self.store.moderation.queue([country] if country else viewer.countries, offset=offset,
                                                 limit=QUEUE_PAGE)
        return self._page(request, "queue.html", viewer=viewer, page=page, country=country,
                          items=[(item.reference, category_label(item.category, _), _(STATUS_LABELS[item.status]),
                                  f"{item.received_at:%Y-%m-%d %H:%M}", defang(item.excerpt), item.urgent)
                                 for item in page.items],
                          following=offset + QUEUE_PAGE if offset + QUEUE_PAGE < page.total else None)

    async def _download(self, request: web.Request) -> web.StreamResponse:
        """A week's printable summary (PDF) or its CSV of forwarded reports, as contacts get them."""
        viewer = await self._viewer(request)
        if viewer is None:
            raise web.HTTPFound("/login")
        country, kind = request.match_info["country"], request.match_info["kind"]
        try:
            week = Week.parse(request.match_info["week"])
        except ValueError:
            raise web.HTTPNotFound() from None
        if not viewer.sees(country) or kind not in ("pdf", "csv"):
            raise web.HTTPNotFound()
        files = await self.summaries.files(country, week, self._language(request))
        body, name, media = ((files.pdf, files.pdf_name, "application/pdf") if kind == "pdf"
                             else (files.csv, files.csv_name, "text/csv"))
        return web.Response(body=body, content_type=media,
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def _export(self, request: web.Request) -> web.StreamResponse:
        """A week's reports of one country in a status (``?status=``, forwarded by default) as
        CSV, JSON Lines or STIX 2.1: ``harmline export``'s files, with no reporter data and no
        report text, so ministry viewers may have them too."""
        viewer = await self._viewer(request)
        if viewer is None:
            raise web.HTTPFound("/login")
        country, kind = request.match_info["country"], request.match_info["format"]
        asked = request.query.get("status", "forwarded")
        status = next((known for known in EXPORT_STATUSES if known == asked), None)
        try:
            week = Week.parse(request.match_info["week"])
        except ValueError:
            raise web.HTTPNotFound() from None
        if not viewer.sees(country) or kind not in EXPORT_FILES or status is None:
            raise web.HTTPNotFound()
        start, end = week.bounds(TIME_ZONES[country])
        body = io.BytesIO()  # one country's week: a few MB at most, even in the busiest week
        await write_export(kind, self.store.exports.reports_since(start, country, until=end, status=status), body,
                           producer=" ".join(self.settings.countries), status=status)
        _name, extension, media = EXPORT_FILES[kind]
        return web.Response(body=body.getvalue(), content_type=media, headers={
            "Content-Disposition": f'attachment; filename="harmline-{country}-{week.label}-{status}.{extension}"'})

    async def _report(self, request: web.Request) -> web.StreamResponse:
        """One report and its history, for its country's moderators (and admins). Anyone else,
        including a moderator of another country, is told there is no such report among theirs:
        the page does not say whether it exists."""
        viewer = await self._viewer(request)
        if viewer is None:
            raise web.HTTPFound("/login")
        _ = self.catalogs.gettext(self._language(request))
        reference = normalise_reference(request.match_info["reference"])
        report = await self.store.reports.find(reference) if reference else None
        if report is None or not viewer.reads_reports or not viewer.sees(report.country):
            return self._page(request, "missing.html", status=404, viewer=viewer,
                              message=_("No report {ref} among your countries.").format(
                                  ref=reference or request.match_info["reference"][:20]))
        history = await self.store.moderation.history(report.id)
        forwards = [d for d in await self.store.outbox.for_report(report.id) if d.purpose == FORWARD]

        def state(value: str | None) -> str:
            return _(STATUS_LABELS[ReportStatus(value)]) if value in STATUSES else value or ""

        return self._page(request, "report.html", viewer=viewer, report=report, state_label=state(report.status.value),
                          history=[(f"{entry.at:%Y-%m-%d %H:%M}", entry.actor_name or "", entry.action,
                                    f"{state(entry.from_status)} → {state(entry.to_status)}"
                                    if entry.from_status or entry.to_status else "") for entry in history],
                          forwards=[(d.contact_name, d.channel, _(DELIVERY_LABELS[d.state])) for d in forwards],
                          words=defang(report.text), category=category_label(report.category, _),
                          country_label=country_name(report.country, self._language(request)),
                          indicators=[(indicator_label(i.kind, _), defang(i.value)) for i in report.indicators])

