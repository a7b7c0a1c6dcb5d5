"""Updates of different chats run concurrently; the updates of one chat run in order.

Processing one update at a time would let a single slow Bot API call hold up every citizen;
processing everything concurrently could file a citizen's text before the screenshot sent just
before it, or handle an answer before its question. Keying a lock by chat gives both.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, Protocol

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 64


class UpdateTracker(Protocol):
    """Told when the handlers start on an update, and when they are through with it (not when
    its processing was cancelled by a shutdown): the durable intake's bookkeeping."""

    async def starting(self, update: object) -> None: ...

    async def processed(self, update: object) -> None: ...


class PerChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, tracker: UpdateTracker, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self.tracker = tracker
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await self._tracked(update, coroutine)
        else:
            await self._in_chat_order(chat.id, update, coroutine)
        await self.tracker.processed(update)

    async def _tracked(self, update: object, coroutine: Awaitable[Any]) -> None:
        await self.tracker.starting(update)
        await coroutine

    async def _in_chat_order(self, key: int, update: object, coroutine: Awaitable[Any]) -> None:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await self._tracked(update, coroutine)
        finally:
            # Forget a chat's lock once nobody holds or waits for it, so memory stays flat.
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up: locks are made per chat as updates arrive."""

    async def shutdown(self) -> None:
        """Nothing to release."""
