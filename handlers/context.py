"""The typed context every handler receives, and the services it reaches through it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from telegram.ext import Application, CallbackContext, ExtBot

from harmline.delivery import OutboxWorker
from harmline.i18n import Catalogs, Gettext
from harmline.moderation import Roster
from harmline.operations import Metrics, OperationsServer
from harmline.repositories import InboxRepository, OutboxRepository, ReportRepository, UnitOfWork
from harmline.services.intake import Intake
from harmline.services.moderation import Moderation
from harmline.services.retention import Retention
from harmline.services.screenshots import ScreenshotReading
from harmline.services.summaries import Summaries
from harmline.settings import Settings
from harmline.updates.client import TelegramClient
from harmline.updates.feed import UpdateFeed


class Server(Protocol):
    """A server the bot process runs beside the bot (the dashboard): started in post_init, stopped
    in post_shutdown."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@dataclass
class Services:
    """Built by the composition root (bot.py); opened in post_init, closed in post_shutdown."""

    settings: Settings
    database: UnitOfWork
    reports: ReportRepository
    outbox: OutboxRepository
    intake: Intake
    moderation: Moderation
    roster: Roster
    catalogs: Catalogs
    summaries: Summaries
    inbox: InboxRepository
    retention: Retention
    feed: UpdateFeed | None = None  # how updates reach the handlers (stored first)
    worker_name: str | None = None  # set when several processes share the database (PostgreSQL)
    worker: OutboxWorker | None = None
    screenshots: ScreenshotReading | None = None  # reads evidence images ([ocr] enabled)
    metrics: Metrics | None = None  # served on [operations] port
    operations: OperationsServer | None = None
    http: httpx.AsyncClient | None = None
    dashboard: Server | None = None  # [dashboard] with_bot: served by this process too


class BotData:
    """``application.bot_data``: holds the services (set once, before the application starts)."""

    services: Services | None = None


class HarmlineContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("services are not attached to the application")
        return services

    @property
    def settings(self) -> Settings:
        return self.services.settings

    def gettext(self, language: str) -> Gettext:
        return self.services.catalogs.gettext(language)


HarmlineApplication = Application[TelegramClient, HarmlineContext, dict[Any, Any], dict[Any, Any], BotData, Any]
