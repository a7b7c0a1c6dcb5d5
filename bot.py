"""harmline's composition root: builds the settings' services, the Telegram application and its
update source (polling or webhook). ``cli.py`` is the command line around it."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

import httpx
from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest, HTTPXRequest

from harmline import updates
from harmline.channels.notice import NoticeChannel
from harmline.channels.review import ReviewChannel
from harmline.channels.summary import SummaryChannel
from harmline.channels.telegram_chat import TelegramChatChannel
from harmline.channels.telegram_files import download
from harmline.channels.webhook import WebhookChannel
from harmline.dashboard.server import Dashboard
from harmline.delivery import Channel, OutboxWorker
from harmline.handlers import register_handlers
from harmline.handlers.context import BotData, HarmlineApplication, HarmlineContext, Services
from harmline.handlers.keyboards import moderation_keyboard
from harmline.handlers.ordering import PerChatOrderedProcessor
from harmline.i18n import Catalogs
from harmline.moderation import Roster
from harmline.ocr.models import installed
from harmline.operations import Metrics, OperationsServer
from harmline.reports.labels import country_name, flag
from harmline.reports.language import LayeredLanguageDetector
from harmline.reports.learned import LearnedClassifier
from harmline.routing import NOTICE, REVIEW, SUMMARY, TELEGRAM, WEBHOOK
from harmline.services.intake import Intake, utc_now
from harmline.services.moderation import Moderation
from harmline.services.retention import Retention
from harmline.services.screenshots import ScreenshotReading, make_reader
from harmline.services.summaries import Summaries
from harmline.settings import Settings
from harmline.settings.log import JsonLines, OneLineNonJson, TokenRedactor, install
from harmline.storage import open_store
from harmline.updates import TelegramClient, UpdateFeed
from harmline.updates.lifecycle import UpdateSource
from harmline.updates.polling import Poller
from harmline.updates.webhook import WebhookServer

log = logging.getLogger("harmline")
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def build_reading() -> tuple[LayeredLanguageDetector, LearnedClassifier]:
    """How harmline reads a text: the language detector and the classifier (loaded once)."""
    return LayeredLanguageDetector(), LearnedClassifier()


def process_name(settings: Settings) -> str:
    """This process among those sharing a database: the host and the port it receives webhooks
    on (or "polling": Telegram lets one process poll a bot). Two live processes cannot have the
    same, and a restarted one has its old name, so it takes back at once what it held."""
    webhook = settings.telegram.webhook
    return f"{socket.gethostname()}:{webhook.port if webhook is not None else 'polling'}"


def build_application(settings: Settings, *, request: BaseRequest | None = None,
                      clock: Callable[[], datetime] = utc_now) -> HarmlineApplication:
    """Everything the bot needs, wired once. Resources are opened in post_init."""
    catalogs = Catalogs()
    store = open_store(settings.database, settings.database_url)
    detector, classifier = build_reading()
    roster = Roster(settings)  # run-time changes (/mod, /duty) are loaded in post_init
    intake = Intake(store, settings, detector, classifier, roster, clock=clock)
    moderation = Moderation(store, roster, settings, clock)
    summaries = Summaries(store, settings, catalogs, clock)
    services = Services(settings, store.database, store.reports, store.outbox, intake, moderation, roster, catalogs,
                        summaries, store.inbox, Retention(store, settings, clock))
    # On PostgreSQL several processes may share the database: each claims the chats and delivery
    # lanes it works on, under a name of its own. SQLite is one process.
    services.worker_name = process_name(settings) if settings.database_url else None
    services.metrics = intake.metrics = Metrics()
    if settings.dashboard.with_bot:
        services.dashboard = Dashboard(settings, store, catalogs, clock)

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
    services.feed = UpdateFeed(store.inbox, queue, bot, clock, worker=services.worker_name)
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
                              topics=topics, buttons=moderation_keyboard, on_card=moderation.store.add_card,
                              clock=moderation.clock),
        NOTICE: NoticeChannel(application.bot, services.catalogs, settings),
        WEBHOOK: WebhookChannel(services.http, settings.contacts, services.catalogs),
    }
    worker = OutboxWorker(services.outbox, services.reports, channels, settings.delivery, services.intake.clock,
                          after_delivery=moderation.notices.after_delivery,
                          standalone={SUMMARY: SummaryChannel(application.bot, services.summaries)},
                          worker=services.worker_name)
    services.worker = worker
    worker.metrics = services.metrics
    services.intake.on_due = moderation.on_due = services.summaries.on_due = worker.wake
    await worker.take_back_lanes()
    worker.start()
    if settings.operations.port is not None and services.metrics is not None:
        services.operations = OperationsServer(services.metrics, lambda: _readiness(services),
                                               settings.operations.listen, settings.operations.port)
        await services.operations.start()
        log.info("metrics and health on http://%s:%d/metrics, /healthz, /readyz", settings.operations.listen,
                 settings.operations.port)
    if services.dashboard is not None:
        await services.dashboard.start()
        log.info("dashboard on http://%s:%d/", settings.dashboard.listen, settings.dashboard.port)
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
        BotCommand("block", _("Block the citizen who sent a report: /block REF")),
        BotCommand("unblock", _("Let a blocked citizen report again: /unblock REF")),
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
        await services.database.ping()
    except Exception as error:  # any failure of the database means not ready; the reason is shown
        return f"database: {type(error).__name__}"
    return None


async def _post_shutdown(application: HarmlineApplication) -> None:
    services = application.bot_data.services
    if services is None:
        return
    if services.operations is not None:
        await services.operations.stop()
    if services.dashboard is not None:
        await services.dashboard.stop()
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
