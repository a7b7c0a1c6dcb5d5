"""Updates by webhook: Telegram's POST is answered 200 only once the update is stored.

Telegram sends an update again until it gets a 2xx, so answering after the commit means a crash
at any instant loses nothing: before it, Telegram retries; after it, the inbox has the update.
Anything that is not a Telegram update gets 400 (a client error, not 500), a request without
the secret token 403.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Sequence

from aiohttp import web
from telegram.error import RetryAfter, TelegramError

from harmline.settings.model import WebhookServerSettings
from harmline.storage.units import DATABASE_ERRORS
from harmline.updates.backoff import Backoff, explain, retry_seconds
from harmline.updates.client import TelegramClient
from harmline.updates.feed import UpdateFeed, update_id_of

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are a few KiB; a message with many entities stays far below this.
MAX_UPDATE_BYTES = 1024 * 1024


class WebhookServer:
    def __init__(self, bot: TelegramClient, feed: UpdateFeed, settings: WebhookServerSettings,
                 allowed_updates: Sequence[str], where: str) -> None:
        self.bot = bot
        self.feed = feed
        self.settings = settings
        self.allowed_updates = list(allowed_updates)
        self.where = where
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_UPDATE_BYTES)
        app.router.add_post("/" + self.settings.url_path.strip("/"), self._receive)
        self._runner = web.AppRunner(app, access_log=None)  # request lines would show the path
        await self._runner.setup()
        await web.TCPSite(self._runner, self.settings.listen, self.settings.port).start()
        log.info("receiving updates on %s:%d, webhook %s", self.settings.listen, self.settings.port,
                 self.settings.url)
        await self._register()

    async def stop(self) -> None:
        # The webhook stays registered: Telegram keeps the updates until the bot is back.
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _register(self) -> None:
        backoff = Backoff()
        while True:
            try:
                await self.bot.set_webhook(self.settings.url, allowed_updates=self.allowed_updates,
                                           secret_token=self.settings.secret_token)
                return
            except RetryAfter as flood:
                await asyncio.sleep(retry_seconds(flood))
            except TelegramError as error:
                delay = backoff.next_delay()
                log.warning("registering the webhook: %s; attempt %d, next in %.0f s", explain(error, self.where),
                            backoff.attempt, delay)
                await asyncio.sleep(delay)

    async def _receive(self, request: web.Request) -> web.Response:
        secret = self.settings.secret_token
        if secret is not None and not hmac.compare_digest(
                request.headers.get(SECRET_HEADER, "").encode(), secret.encode()):
            log.warning("webhook: refused a request without the secret token")
            return web.Response(status=403, text="forbidden")
        try:
            payload = json.loads(await request.read())
        except ValueError:  # not JSON, or not UTF-8
            log.warning("webhook: refused a request that is not JSON")
            return web.Response(status=400, text="not a Telegram update")
        if update_id_of(payload) is None:
            log.warning("webhook: refused JSON that is not a Telegram update")
            return web.Response(status=400, text="not a Telegram update")
        try:
            await self.feed.accept([payload])
        except DATABASE_ERRORS as error:
            # Not stored: Telegram sends it again after a non-2xx answer.
            log.error("webhook: could not store update %s (%s); Telegram will send it again",
                      update_id_of(payload), error)
            return web.Response(status=503, text="try again")
        return web.Response(text="ok")
