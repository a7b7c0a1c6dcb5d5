"""Long polling that confirms an update to Telegram only once it is stored.

getUpdates confirms every update below its ``offset``. python-telegram-bot's Updater advances the
offset as soon as updates are in memory; here it advances only after :meth:`UpdateFeed.accept`
has committed them, so a crash at any instant leaves each update either unconfirmed (Telegram
sends it again) or in the inbox (replayed at start-up).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from telegram.error import RetryAfter, TelegramError

from harmline.storage.units import DATABASE_ERRORS
from harmline.updates.backoff import Backoff, explain, retry_seconds
from harmline.updates.client import TelegramClient
from harmline.updates.feed import UpdateFeed, update_id_of

log = logging.getLogger(__name__)


class Poller:
    def __init__(self, bot: TelegramClient, feed: UpdateFeed, allowed_updates: Sequence[str], where: str,
                 *, timeout: int = 30) -> None:
        self.bot = bot
        self.feed = feed
        self.allowed_updates = list(allowed_updates)
        self.where = where  # the Bot API address for messages (without the token)
        self.timeout = timeout
        self.offset: int | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="telegram-polling")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        if self.offset is not None:
            # Confirm what is stored, so the next start is not sent it again (harmless if it were:
            # the inbox knows every update id).
            try:
                await self.bot.fetch_updates(self.offset, 0, self.allowed_updates)
            except TelegramError as error:
                log.info("could not confirm the last updates at stop (%s); they come again at start", error.message)

    async def _run(self) -> None:
        backoff = Backoff()
        webhook_removed = False
        while True:
            try:
                if not webhook_removed:
                    # Telegram refuses getUpdates while a webhook is set (a previous webhook deployment).
                    await self.bot.delete_webhook()
                    webhook_removed = True
                payloads = await self.bot.fetch_updates(self.offset, self.timeout, self.allowed_updates)
            except RetryAfter as flood:
                wait = retry_seconds(flood)
                log.warning("Telegram asks to wait %.0f s before polling again", wait)
                await asyncio.sleep(wait)
                continue
            except TelegramError as error:
                delay = backoff.next_delay()
                log.warning("polling for updates: %s; attempt %d, next in %.0f s", explain(error, self.where),
                            backoff.attempt, delay)
                await asyncio.sleep(delay)
                continue
            if backoff.attempt:
                log.info("polling for updates again after %d failed attempt(s)", backoff.attempt)
                backoff.reset()
            if not payloads:
                continue
            try:
                await self.feed.accept(payloads)
            except Exception as error:
                # Not stored, so not confirmed: Telegram keeps them and they are asked for again.
                # Whatever the error: a polling loop that ended here would take no more reports.
                delay = backoff.next_delay()
                log.error("could not store %d update(s) (%s); asking for them again in %.0f s", len(payloads),
                          error, delay, exc_info=not isinstance(error, DATABASE_ERRORS))
                await asyncio.sleep(delay)
                continue
            ids = [update_id for update_id in map(update_id_of, payloads) if update_id is not None]
            if ids:
                self.offset = max(ids) + 1

