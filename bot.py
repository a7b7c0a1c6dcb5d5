"""harmline's composition root and command line.

``harmline run --config FILE`` runs the bot (long polling, or a webhook when configured);
``harmline demo`` plays citizens against an embedded Bot API server; ``harmline outbox`` shows
what is waiting or failed. ``python bot.py ARGS`` is the same as ``harmline ARGS``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import sys
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import httpx
from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest, HTTPXRequest

import updates
from channels.notice import NoticeChannel
from channels.review import ReviewChannel
from channels.summary import SummaryChannel
from channels.telegram_chat import TelegramChatChannel
from channels.telegram_files import download
from channels.webhook import WebhookChannel
from delivery import Channel, OutboxWorker
from exports import FORMATS, TLP_LEVELS, write_export
from handlers import register_handlers
from handlers.context import BotData, HarmlineApplication, HarmlineContext, Services
from handlers.ordering import PerChatOrderedProcessor
from i18n import LANGUAGES, Catalogs
from i18n.labels import country_name, flag
from moderation import Roster
from moderation.service import Moderation
from ocr.models import installed
from operations import Metrics, OperationsServer
from reports.analyze import Analyzer, stream
from reports.intake import Intake, utc_now
from reports.language import LayeredLanguageDetector
from reports.learned import LearnedClassifier
from reports.screenshots import ScreenshotReading, make_reader
from routing import NOTICE, REVIEW, SUMMARY, TELEGRAM, WEBHOOK, summary_recipients
from settings import REGIONAL, ConfigError, Settings, load_settings
from settings.log import JsonLines, OneLineNonJson, TokenRedactor, install
from storage import Database, Outbox, ReportStore
from storage.exports import ExportStore
from storage.inbox import Inbox
from storage.moderation import ModerationStore
from summaries.service import Summaries
from summaries.week import Week, last_complete_week
from updates import StartupError, TelegramClient, UpdateFeed
from updates.lifecycle import UpdateSource
from updates.polling import Poller
from updates.webhook import WebhookServer

log = logging.getLogger("harmline")
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def build_reading() -> tuple[LayeredLanguageDetector, LearnedClassifier]:
    """How harmline reads a text: the language detector and the classifier (loaded once)."""
    return LayeredLanguageDetector(), LearnedClassifier()


def build_application(settings: Settings, *, request: BaseRequest | None = None,
                      clock: Callable[[], datetime] = utc_now) -> HarmlineApplication:
    """Everything the bot needs, wired once. Resources are opened in post_init."""
    catalogs = Catalogs()
    database = Database(settings.database)
    reports, outbox, inbox = ReportStore(database), Outbox(database), Inbox(database)
    detector, classifier = build_reading()
    roster = Roster(settings)  # run-time changes (/mod, /duty) are loaded in post_init
    intake = Intake(database, reports, outbox, settings, detector, classifier, roster, clock=clock)
    moderation = Moderation(database, reports, ModerationStore(database), outbox, roster, settings, clock)
    summaries = Summaries(database, settings, outbox, catalogs, clock)
    services = Services(settings, database, reports, outbox, intake, moderation, roster, catalogs, summaries, inbox)
    services.metrics = intake.metrics = Metrics()

    bot = TelegramClient(
        settings.telegram.token,
        base_url=settings.telegram.base_url,
        base_file_url=settings.telegram.base_file_url,
        request=request or HTTPXRequest(connection_pool_size=256),
        # Telegram's flood limits; 429 answers are retried by the outbox worker, not here.
        rate_limiter=AIORateLimiter() if settings.telegram.rate_limit else None,
    )
    # Updates reach the handlers only through the feed, which stores them first (updates/).
    queue: asyncio.Queue[object] = asyncio.Queue()
    services.feed = UpdateFeed(inbox, queue, bot, clock)
    application: HarmlineApplication = (
        ApplicationBuilder()
        .bot(bot)
        .update_queue(queue)
        .updater(None)
        .context_types(ContextTypes(context=HarmlineContext, bot_data=BotData))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .concurrent_updates(PerChatOrderedProcessor(services.feed))
        .build()
    )
    application.bot_data.services = services
    register_handlers(application)
    return application


async def _post_init(application: HarmlineApplication) -> None:
    services = application.bot_data.services
    assert services is not None
    settings = services.settings
    await services.database.open()
    moderation = services.moderation
    services.roster.load(await moderation.store.grants())
    services.http = httpx.AsyncClient(timeout=settings.delivery.webhook_timeout_seconds)
    topics = await _forum_topics(application, services)
    channels: dict[str, Channel] = {
        TELEGRAM: TelegramChatChannel(application.bot, services.catalogs),
        REVIEW: ReviewChannel(application.bot, services.catalogs, before_forward=settings.review == "before_forward",
                              topics=topics, on_card=moderation.store.add_card, clock=moderation.clock),
        NOTICE: NoticeChannel(application.bot, services.catalogs, settings),
        WEBHOOK: WebhookChannel(services.http, settings.contacts, services.catalogs),
    }
    worker = OutboxWorker(services.outbox, services.reports, channels, settings.delivery, services.intake.clock,
                          after_delivery=moderation.notices.after_delivery,
                          standalone={SUMMARY: SummaryChannel(application.bot, services.summaries)})
    services.worker = worker
    worker.metrics = services.metrics
    services.intake.on_due = moderation.on_due = services.summaries.on_due = worker.wake
    worker.start()
    if settings.operations.port is not None and services.metrics is not None:
        services.operations = OperationsServer(services.metrics, lambda: _readiness(services),
                                               settings.operations.listen, settings.operations.port)
        await services.operations.start()
        log.info("metrics and health on http://%s:%d/metrics, /healthz, /readyz", settings.operations.listen,
                 settings.operations.port)
    if settings.ocr.enabled:
        bot, limit = application.bot, settings.ocr.max_image_bytes
        reading = ScreenshotReading(services.intake, make_reader(settings.ocr, installed()), settings.ocr,
                                    lambda file_id: download(bot, file_id, limit), moderation.notices)
        services.screenshots, services.intake.on_image = reading, reading.wake
        reading.start()
    await _set_commands(application, services)


async def _forum_topics(application: HarmlineApplication, services: Services) -> dict[tuple[int, str], int]:
    """A topic per country in each moderators' group that has topics (created once, remembered).
    Without the right to manage topics the cards go to the group's general topic."""
    store = services.moderation.store
    topics = await store.topics()
    for chat in services.settings.moderator_chats:
        try:
            if not (await application.bot.get_chat(chat.chat_id)).is_forum:
                continue
            for country in services.settings.countries:
                if chat.covers(country) and (chat.chat_id, country) not in topics:
                    language = next((c.language for c in services.settings.contacts_for(country)), "en")
                    topic = await application.bot.create_forum_topic(
                        chat.chat_id, f"{flag(country)} {country_name(country, language)}")
                    topics[(chat.chat_id, country)] = topic.message_thread_id
                    await store.save_topic(chat.chat_id, country, topic.message_thread_id)
        except TelegramError as error:
            log.warning("moderators' group %d: cannot use topics (%s); cards go to the group itself",
                        chat.chat_id, error.message)
    return topics


def _citizen_commands(_: Callable[[str], str]) -> list[BotCommand]:
    return [
        BotCommand("check", _("Has this number or link been reported?")),
        BotCommand("status", _("Where is my report?")),
        BotCommand("myreports", _("My reports")),
        BotCommand("cancel", _("Withdraw a report not yet sent")),
        BotCommand("language", _("Change language")),
        BotCommand("privacy", _("What is shared, and with whom")),
        BotCommand("deleteme", _("Erase my personal data")),
        BotCommand("help", _("How to report")),
    ]


def _moderator_commands(_: Callable[[str], str]) -> list[BotCommand]:
    return [
        BotCommand("queue", _("Undecided reports, oldest first")),
        BotCommand("report", _("A report in full, with its history")),
        BotCommand("find", _("Reports with a number, link or words")),
        BotCommand("stats", _("Today and this week")),
        BotCommand("duty", _("New reports here too: on or off")),
        BotCommand("mod", _("Moderators (admins: add, remove)")),
    ]


async def _set_commands(application: HarmlineApplication, services: Services) -> None:
    """The command menu in every language the bot speaks; moderators (in private and in their
    groups) also see theirs, in their countries' contact languages."""
    catalogs, bot = services.catalogs, application.bot
    for language in catalogs.available:
        commands = _citizen_commands(catalogs.gettext(language))
        await bot.set_my_commands(commands, language_code=None if language == "en" else language)
    settings = services.settings
    chats = [(m.user_id, m.countries, m.admin) for m in services.roster.members()]
    chats += [(chat.chat_id, settings.countries, False) for chat in settings.moderator_chats]
    for chat_id, countries, admin in chats:
        languages = dict.fromkeys(["en", *(c.language for c in settings.contacts if c.country in countries)])
        for language in languages:
            _ = catalogs.gettext(language)
            commands = _moderator_commands(_) + (_citizen_commands(_) if chat_id > 0 else [])
            if admin:
                commands.append(BotCommand("summary", _("Weekly summary: /summary [country] [week]")))
            try:
                await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id),
                                          language_code=None if language == "en" else language)
            except TelegramError as error:  # a moderator who never opened the bot: no chat yet
                log.info("no command menu for chat %d: %s", chat_id, error.message)


async def _readiness(services: Services) -> str | None:
    """Why the bot cannot take reports now (its database does not answer), or None."""
    try:
        await services.database.fetch_one("SELECT 1")
    except Exception as error:  # any failure of the database means not ready; the reason is shown
        return f"database: {type(error).__name__}"
    return None


async def _post_shutdown(application: HarmlineApplication) -> None:
    services = application.bot_data.services
    if services is None:
        return
    if services.operations is not None:
        await services.operations.stop()
    if services.screenshots is not None:
        await services.screenshots.stop()
    if services.worker is not None:
        await services.worker.stop()
    if services.http is not None:
        await services.http.aclose()
    await services.database.close()


def update_source(application: HarmlineApplication, *, poll_timeout: int = 30) -> UpdateSource:
    """Long polling, or the webhook server when ``[telegram.webhook]`` is configured."""
    services = application.bot_data.services
    assert services is not None and services.feed is not None
    bot, telegram = application.bot, services.settings.telegram
    assert isinstance(bot, TelegramClient)
    if telegram.webhook is None:
        return Poller(bot, services.feed, ALLOWED_UPDATES, telegram.base_url, timeout=poll_timeout)
    return WebhookServer(bot, services.feed, telegram.webhook, ALLOWED_UPDATES, telegram.base_url)


@asynccontextmanager
async def running(application: HarmlineApplication, *, poll_timeout: int = 1) -> AsyncIterator[None]:
    """Run the application inside ``async with`` (tests, the demo): the same start, durable intake
    and stop as ``harmline run``, from a running event loop."""
    services = application.bot_data.services
    assert services is not None and services.feed is not None
    source = update_source(application, poll_timeout=poll_timeout)
    async with updates.running(application, services.feed, source, services.settings.telegram.base_url):
        yield


def configure_logging(level: str, token: str | None = None, log_format: str = "text") -> None:
    """One format on stderr (a readable line, or JSON lines); ``token`` (and any bot token in a Bot
    API URL) masked in every line, whichever library logs it (settings/log.py)."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if log_format == "json":
        for handler in logging.getLogger().handlers:
            handler.setFormatter(JsonLines())
    # httpx logs every request's URL, which carries the token: masked anyway, and too chatty at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("telegram.request.BaseRequest").addFilter(OneLineNonJson())
    install(TokenRedactor([token]))


def _load(path: str, *, existing_database: bool = False) -> Settings:
    """The settings, or one line on stderr and exit 2. With ``existing_database`` (commands that
    read what the bot stored) the database file must exist; else the folder to create it in."""
    from storage.database import missing_database

    try:
        settings = load_settings(path)
    except ConfigError as error:
        print(f"harmline: config error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    problem = missing_database(settings.database, create=not existing_database)
    if problem is not None:
        print(f"harmline: {problem}", file=sys.stderr)
        raise SystemExit(2)
    return settings


def command_run(args: argparse.Namespace) -> int:
    settings = _load(args.config)
    configure_logging(settings.log_level, settings.telegram.token, settings.log_format)
    try:
        # Loading the classifier takes a moment; Ctrl-C meanwhile is a stop, not a crash.
        application = build_application(settings)
        services = application.bot_data.services
        assert services is not None and services.feed is not None
        log.info("harmline serving %s, database %s", ", ".join(settings.countries), settings.database)
        asyncio.run(updates.serve(application, services.feed, update_source(application),
                                  settings.telegram.base_url))
    except StartupError as error:
        log.error("cannot start: %s", error)
        return 2
    except KeyboardInterrupt:  # before serve() handles SIGINT itself
        log.info("stopped while starting")
    return 0


def command_outbox(args: argparse.Namespace) -> int:
    """Operators: the pending and failed deliveries and why (``harmline outbox``), and re-queuing
    the failed ones once the cause is fixed (``harmline outbox retry REF|--failed``)."""
    from delivery.requeue import plan_requeue
    from delivery.worker import IDLE_POLL_SECONDS
    from storage.database import DatabaseNotFound
    from storage.outbox import FAILED, PENDING, OutboxEntry

    if not args.config:
        print("harmline outbox: --config FILE is required", file=sys.stderr)
        return 2
    settings = _load(args.config, existing_database=True)
    retrying = getattr(args, "outbox_command", None) == "retry"
    now = utc_now()
    shown = 50

    def when(moment: datetime) -> str:
        seconds = (moment - now).total_seconds()
        if seconds <= 0:
            return "due now"
        ahead = f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min" if seconds < 7200 \
            else f"{seconds / 3600:.1f} h"
        return f"{moment:%Y-%m-%d %H:%M:%S} UTC (in {ahead})"

    def line(entry: OutboxEntry, tries: str = "") -> str:
        delivery = entry.delivery
        # A citizen's chat id is their Telegram identity: never printed.
        where = delivery.channel if delivery.channel == NOTICE else f"{delivery.channel} {delivery.target}"
        tries += f"{delivery.attempts} attempt{'s' if delivery.attempts != 1 else ''}"
        return f"  {entry.subject:<11}  to {delivery.contact_name} ({where}), {tries}"

    async def show(outbox: Outbox) -> int:
        counts = await outbox.counts()
        print("deliveries: " + (", ".join(f"{state} {n}" for state, n in sorted(counts.items())) or "none"))
        for state, heading in ((PENDING, "pending, next attempt first"), (FAILED, "failed, newest first")):
            entries = await outbox.listing(state, shown)
            if not entries:
                continue
            print(f"\n{heading} ({counts.get(state, 0)}):")
            for entry in entries:
                delivery = entry.delivery
                if state == PENDING:
                    last = f"; last error: {delivery.last_error}" if delivery.last_error else ""
                    print(f"{line(entry)}; next {when(delivery.next_attempt_at)}{last}")
                else:
                    print(f"{line(entry)}: {delivery.last_error or 'no reason recorded'}")
            if counts.get(state, 0) > len(entries):
                print(f"  … and {counts[state] - len(entries)} more")
        if counts.get(FAILED):
            print(f"\nOnce the cause is fixed: harmline outbox retry REF --config {args.config} "
                  "(or --failed for every failed delivery)")
        return 0

    async def retry(outbox: Outbox) -> int:
        subject: str | None = None if args.failed else args.reference.strip()
        if subject is not None and not subject.startswith("summary:"):
            subject = subject.upper()  # as a citizen or contact may have written it
        failed = await outbox.failed_of(subject)
        if not failed:
            if subject is None:
                print("no failed deliveries: nothing to re-queue")
                return 0
            states = await outbox.states_of(subject)
            if states is None:
                print(f"harmline outbox retry: no report {subject}", file=sys.stderr)
            else:
                have = ", ".join(f"{state} {n}" for state, n in sorted(states.items())) or "none"
                print(f"harmline outbox retry: {subject} has no failed deliveries (deliveries: {have})",
                      file=sys.stderr)
            return 1
        planned = plan_requeue(failed, settings)
        requeued = set(await outbox.requeue([plan.change for plan in planned], utc_now()))
        print(f"re-queued {len(requeued)} failed deliver{'y' if len(requeued) == 1 else 'ies'}, due now (a running "
              f"bot picks them up within {IDLE_POLL_SECONDS:.0f} s; no restart needed):")
        for plan in planned:
            if plan.change.id in requeued:
                note = f" — {plan.note}" if plan.note else ""
                print(f"{line(plan.entry, 'failed after ')}: {plan.entry.delivery.last_error}{note}")
        left = [plan for plan in planned if plan.change.id not in requeued]
        if left:
            print("not re-queued (no longer failed, or the new target has this delivery already):")
            for plan in left:
                print(line(plan.entry))
        return 0 if requeued else 1

    async def run() -> int:
        database = Database(settings.database, create=False)
        await database.open()
        try:
            outbox = Outbox(database)
            return await (retry(outbox) if retrying else show(outbox))
        finally:
            await database.close()

    try:
        return asyncio.run(run())
    except DatabaseNotFound as error:  # removed since _load looked
        print(f"harmline: {error}", file=sys.stderr)
        return 2


def command_check_config(args: argparse.Namespace) -> int:
    settings = _load(args.config)
    fresh = settings.database != ":memory:" and not Path(settings.database).exists()
    print(f"config OK: countries {', '.join(settings.countries)}, {len(settings.contacts)} contact(s), "
          f"review {settings.review}, database {settings.database}"
          + (" (new: harmline run creates it)" if fresh else ""))
    return 0


def command_analyze(args: argparse.Namespace) -> int:
    """JSON lines on stdin → one JSON line per input on stdout; bad lines reported on stderr."""
    detector, classifier = build_reading()
    # Each result leaves as soon as its line is read: a consumer sees it at once, not per 8 KiB.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)
    written, bad = stream(Analyzer(detector, classifier), sys.stdin, sys.stdout, sys.stderr)
    if bad:
        print(f"harmline analyze: {written} line(s) analysed, {bad} bad line(s) skipped", file=sys.stderr)
    return 1 if bad else 0


def command_summary(args: argparse.Namespace) -> int:
    """Operators: write a week's summary files (message, charts, PDF, CSV) to a folder."""
    settings = _load(args.config, existing_database=True)
    scope = args.country.upper()
    if scope not in (*settings.countries, REGIONAL):
        print(f"harmline summary: --country {args.country!r} is not served here; use one of "
              f"{', '.join(settings.countries)} or ALL", file=sys.stderr)
        return 2
    try:
        week = Week.parse(args.week) if args.week else last_complete_week(settings.time_zone_of(scope), utc_now())
    except ValueError as error:
        print(f"harmline summary: --week: {error}", file=sys.stderr)
        return 2
    recipients = summary_recipients(scope, settings)
    language = args.language or (recipients[0].language if recipients else "en")

    from storage.database import DatabaseNotFound
    from summaries.files import write_files  # matplotlib and fpdf2: only for this command

    async def make() -> list[Path]:
        database = Database(settings.database, create=False)
        await database.open()
        try:
            summaries = Summaries(database, settings, Outbox(database), Catalogs(), utc_now)
            return write_files(await summaries.files(scope, week, language), Path(args.out))
        finally:
            await database.close()

    started = time.perf_counter()
    print(f"summary {scope} {week.label} in {language} from {settings.database} …")
    try:
        written = asyncio.run(make())
    except DatabaseNotFound as error:  # removed since _load looked
        print(f"harmline: {error}", file=sys.stderr)
        return 2
    for path in written:
        print(f"  wrote {path} ({path.stat().st_size:,} bytes)")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


def command_export(args: argparse.Namespace) -> int:
    """Investigators and CERTs: confirmed reports and their indicators, without reporter data."""
    settings = _load(args.config, existing_database=True)
    country = args.country.upper() if args.country else None
    if country is not None and country not in settings.countries:
        print(f"harmline export: --country {args.country!r} is not served here ({', '.join(settings.countries)})",
              file=sys.stderr)
        return 2
    try:
        since = datetime.fromisoformat(args.since)
    except ValueError:
        print(f"harmline export: --since {args.since!r} is not a date like 2026-11-01", file=sys.stderr)
        return 2
    since = since if since.tzinfo else since.replace(tzinfo=UTC)
    from storage.database import DatabaseNotFound

    async def export(handle: BinaryIO) -> int:
        database = Database(settings.database, create=False)
        await database.open()
        try:
            records = ExportStore(database).confirmed_since(since, country)
            producer = args.producer or " ".join(settings.countries)
            return await write_export(args.format, records, handle, producer=producer, tlp=args.tlp)
        finally:
            await database.close()

    try:
        with Path(args.out).open("wb") as handle:
            count = asyncio.run(export(handle))
    except DatabaseNotFound as error:  # removed since _load looked
        print(f"harmline: {error}", file=sys.stderr)
        return 2
    print(f"exported {count} confirmed report(s) since {since.isoformat()} as {args.format} to {args.out}")
    return 0


def command_demo(args: argparse.Namespace) -> int:
    from demo import run_demo  # the demo pulls in the embedded Bot API server; only load it here

    return asyncio.run(run_demo(keep_database=args.database, summary_folder=Path(args.summaries)))


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="harmline",
        description="A Telegram bot through which citizens report online scams, illegal gambling and "
                    "fraudulent content to their national contact point.")
    commands = root.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run the bot")
    run.add_argument("--config", required=True, help="TOML configuration file")
    run.set_defaults(handler=command_run)
    demo = commands.add_parser("demo", help="citizens report against an embedded Bot API server (no token, "
                                            "no network)")
    demo.add_argument("--database", help="keep the demo's SQLite database at this path")
    demo.add_argument("--summaries", default="harmline-demo-summary",
                      help="folder for the weekly summary files the demo makes (default: %(default)s)")
    demo.set_defaults(handler=command_demo)
    from delivery.worker import IDLE_POLL_SECONDS

    outbox = commands.add_parser(
        "outbox", help="list pending and failed deliveries (why, next attempt); re-queue failed ones",
        usage="%(prog)s --config FILE [retry (REF | --failed)]",
        description="Lists the deliveries waiting or failed, by report reference (or summary), with "
                    "recipient, channel, attempts, the last reason and the next attempt.")
    outbox.add_argument("--config", help="TOML configuration file (required)")
    outbox.set_defaults(handler=command_outbox)
    outbox_commands = outbox.add_subparsers(dest="outbox_command", title="commands")
    retry = outbox_commands.add_parser(
        "retry", help="re-queue failed deliveries once their cause is fixed", prog="harmline outbox retry",
        usage="%(prog)s (REF | --failed) --config FILE",
        description="Puts failed deliveries back in the outbox: pending, due now, attempts reset (the last "
                    "reason stays until the next attempt). A contact's chat id or webhook URL is taken from "
                    "the configuration as it is now, so fix it there first. A running bot picks them up "
                    f"within {IDLE_POLL_SECONDS:.0f} seconds, without a restart.")
    retry.add_argument("--config", default=argparse.SUPPRESS, help="TOML configuration file")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("reference", nargs="?", metavar="REF",
                       help="a report's reference (MY-7KQ4XP2D), or a summary as listed (summary:TH:2026-W47)")
    which.add_argument("--failed", action="store_true", help="every failed delivery")
    analyze = commands.add_parser("analyze", help="read JSON lines ({\"text\": …}) on stdin, write language, "
                                                  "category and indicators as JSON lines")
    analyze.set_defaults(handler=command_analyze)
    summary = commands.add_parser("summary", help="write a weekly summary (message, charts, PDF, CSV) to a folder")
    summary.add_argument("--config", required=True)
    summary.add_argument("--country", required=True, help="a served country code, or ALL for the regional summary")
    summary.add_argument("--week", help="ISO week, like 2026-W47 (default: the last complete week)")
    summary.add_argument("--language", choices=LANGUAGES, help="default: the language of the scope's first "
                                                               "summary contact, else English")
    summary.add_argument("--out", required=True, help="folder for the files (created if missing)")
    summary.set_defaults(handler=command_summary)
    export = commands.add_parser("export", help="confirmed reports and their indicators as CSV, JSON Lines or a "
                                                "STIX 2.1 bundle (no reporter data)")
    export.add_argument("--config", required=True)
    export.add_argument("--format", required=True, choices=sorted(FORMATS))
    export.add_argument("--since", required=True, help="confirmed on or after this date (UTC), like 2026-11-01")
    export.add_argument("--country", help="one served country (default: all)")
    export.add_argument("--out", required=True, help="the file to write")
    export.add_argument("--tlp", default="amber", choices=TLP_LEVELS, help="STIX: the TLP marking (default amber)")
    export.add_argument("--producer", help="STIX: the name of this deployment, e.g. \"Thailand pilot\" (the "
                                           "Identity is \"harmline: NAME\"; default: the served countries)")
    export.set_defaults(handler=command_export)
    check = commands.add_parser("check-config", help="validate a configuration file")
    check.add_argument("--config", required=True)
    check.set_defaults(handler=command_check_config)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
