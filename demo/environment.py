"""A whole harmline deployment on loopback: the embedded Bot API server, a contact's webhook
endpoint, and the real bot polling the server. Used by ``harmline demo`` and the end-to-end tests."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AsyncExitStack
from datetime import datetime
from types import TracebackType
from typing import Any

from harmline.bot import build_application, running
from harmline.demo.botapi_server import BotApiServer, WebhookReceiver
from harmline.handlers.context import HarmlineApplication, Services
from harmline.services.intake import utc_now
from harmline.settings import Settings, parse_settings

CONTACT_CHAT_ID = -1001234500001
WEBHOOK_SECRET = "demo-webhook-secret"


def storage_for(database: str) -> dict[str, str]:
    """The ``[storage]`` table for ``database``: a postgresql:// URL, or an SQLite file."""
    return {"url": database} if database.startswith(("postgresql://", "postgres://")) else {"database": database}


def local_config(database: str, server: BotApiServer, receiver: WebhookReceiver,
                 **overrides: Any) -> dict[str, Any]:
    """A configuration pointing at the loopback servers; ``overrides`` replace whole tables."""
    document: dict[str, Any] = {
        "telegram": {"token": server.token, "base_url": server.base_url, "base_file_url": server.base_file_url,
                     "rate_limit": False},
        "storage": storage_for(database),
        "deployment": {"countries": ["MY"]},
        "moderation": {"review": "none"},
        # The contact's webhook is the receiver on 127.0.0.1, plain http: nothing leaves the machine.
        # A plain http webhook_url is refused unless the contact says allow_insecure = true; a real
        # contact's must be https (reports carry personal evidence).
        "contacts": [{"country": "MY", "name": "National Scam Response Centre", "language": "ms",
                      "telegram_chat_id": CONTACT_CHAT_ID, "webhook_url": receiver.url,
                      "webhook_secret": WEBHOOK_SECRET, "allow_insecure": True}],
        "intake": {"merge_window_seconds": 1, "followup_window_seconds": 300},
        "delivery": {"backoff_base_seconds": 0.2, "backoff_max_seconds": 1.0, "max_attempts": 5},
    }
    document.update(overrides)
    return document


class LocalDeployment:
    """``async with LocalDeployment(db) as local:`` — servers up, bot running; all stopped after."""

    def __init__(self, database: str, *, clock: Callable[[], datetime] = utc_now,
                 config: Callable[[dict[str, Any]], dict[str, Any]] = lambda document: document,
                 **overrides: Any) -> None:
        self.database = database
        self.clock = clock
        self.edit_config = config
        self.overrides = overrides
        self.server = BotApiServer()
        self.receiver = WebhookReceiver(secret=WEBHOOK_SECRET)
        self._stack = AsyncExitStack()
        self._bot_stack: AsyncExitStack | None = None
        self.settings: Settings | None = None
        self.application: HarmlineApplication | None = None

    async def __aenter__(self) -> LocalDeployment:
        await self._stack.enter_async_context(self.server)
        await self._stack.enter_async_context(self.receiver)
        await self.start_bot()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        traceback: TracebackType | None) -> None:
        await self.stop_bot()
        await self._stack.aclose()

    async def start_bot(self) -> None:
        """Start (or restart) the bot process against the same servers and database."""
        document = self.edit_config(local_config(self.database, self.server, self.receiver, **self.overrides))
        self.settings = parse_settings(document)
        self.application = build_application(self.settings, clock=self.clock)
        processor = self.application.update_processor
        self.server.bot_busy = lambda: processor.current_concurrent_updates > 0
        self._bot_stack = AsyncExitStack()
        await self._bot_stack.enter_async_context(running(self.application))

    async def stop_bot(self) -> None:
        if self._bot_stack is not None:
            await self._bot_stack.aclose()
            self._bot_stack = None
        self.server.bot_busy = lambda: False

    @property
    def services(self) -> Services:
        assert self.application is not None and self.application.bot_data.services is not None
        return self.application.bot_data.services
