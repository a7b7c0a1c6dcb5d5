"""Starting and stopping the bot: connect (waiting out a Bot API that cannot be reached), open the
services, process what the inbox kept from before, receive updates, and stop in reverse.

This replaces ``Application.run_polling``/``run_webhook``, whose updaters tell Telegram an update
arrived before it is stored (see :mod:`updates.polling`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any, Protocol

from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from harmline.updates.backoff import Backoff, explain, retry_seconds
from harmline.updates.feed import UpdateFeed

log = logging.getLogger(__name__)


class StartupError(Exception):
    """The bot cannot start; the message says why in one line for the operator."""


class UpdateSource(Protocol):
    """Long polling or a webhook server."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


Runnable = Application[Any, Any, Any, Any, Any, Any]


async def connect(application: Runnable, where: str, stopping: asyncio.Event) -> bool:
    """``application.initialize()`` (python-telegram-bot asks getMe), retried while the Bot API
    cannot be reached; False if ``stopping`` was set meanwhile. A token or address the Bot API
    refuses is a :class:`StartupError`: retrying would not help."""
    backoff = Backoff()
    while not stopping.is_set():
        try:
            await application.initialize()
            return True
        except RetryAfter as flood:
            delay = retry_seconds(flood)
        except InvalidToken as error:
            raise StartupError(explain(error, where)) from None
        except NetworkError as error:
            delay = backoff.next_delay()
            log.warning("starting: %s; attempt %d, next in %.0f s", explain(error, where), backoff.attempt, delay)
        except TelegramError as error:  # an answer that is not the Bot API's: waiting would not help
            raise StartupError(explain(error, where)) from None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), delay)
    return False


@contextlib.asynccontextmanager
async def running(application: Runnable, feed: UpdateFeed, source: UpdateSource, where: str,
                  stopping: asyncio.Event | None = None) -> AsyncIterator[None]:
    """The bot runs inside ``async with``: services open, stored updates replayed, ``source`` on."""
    if not await connect(application, where, stopping or asyncio.Event()):
        yield
        return
    try:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        try:
            # What a crash left stored but unprocessed goes first, before anything new arrives.
            await feed.replay()
            await source.start()
            yield
        finally:
            await source.stop()
            await feed.close()
            await application.stop()
    finally:
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)


async def serve(application: Runnable, feed: UpdateFeed, source: UpdateSource, where: str) -> None:
    """``harmline run``: until SIGINT or SIGTERM."""
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    async with running(application, feed, source, where, stopping):
        await stopping.wait()
    log.info("stopped")
