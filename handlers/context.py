"""The typed context every handler receives, and the services it reaches through it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from harmline.delivery import OutboxWorker
from harmline.i18n import Catalogs, Gettext
from harmline.moderation import Roster
from harmline.moderation.service import Moderation
from harmline.operations import Metrics, OperationsServer
from harmline.reports.intake import Intake
from harmline.reports.screenshots import ScreenshotReading
from harmline.settings import Settings
from harmline.storage import Database, Outbox, ReportStore
from harmline.storage.inbox import Inbox
from harmline.summaries.service import Summaries
from harmline.updates.client import TelegramClient
from harmline.updates.feed import UpdateFeed
from telegram.ext import Application, CallbackContext, ExtBot


@dataclass
class Services:
    """Built by the composition root (bot.py); opened in post_init, closed in post_shutdown."""

    settings: Settings
    database: Database
    reports: ReportStore
    outbox: Outbox
    intake: Intake
    moderation: Moderation
    roster: Roster
    catalogs: Catalogs
    summaries: Summaries
    inbox: Inbox
    feed: UpdateFeed | None = None  # how updates reach the handlers (stored first)
    worker: OutboxWorker | None = None
    screenshots: ScreenshotReading | None = None  # reads evidence images ([ocr] enabled)
    metrics: Metrics | None = None  # served on [operations] port
    operations: OperationsServer | None = None
    http: httpx.AsyncClient | None = None


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
