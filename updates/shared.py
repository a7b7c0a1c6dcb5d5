"""Several bot processes on one database (PostgreSQL): who handles which update.

Every process stores what it receives (webhook POSTs behind one URL, or one poller) in the shared
inbox. Handling goes by chat: a process claims a chat that has updates waiting and no live claim,
hands them to its handlers one at a time, in order, renewing the claim, and lets it go when the
chat has nothing left. So each update is handled once, one chat's updates in order, and a chat
whose process died is taken up by another once the claim expires (the update in hand then is
handled again: the handlers' writes are idempotent per update id, as after a restart).

Every begun handling counts: an update that was begun ``MAX_REPLAYS`` times without ending (a
poison update killing each process that takes it) is abandoned instead of taking them all down.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from harmline.repositories import InboxRepository
from harmline.repositories.inbox import MAX_REPLAYS, StoredUpdate

log = logging.getLogger(__name__)
CLAIM_SECONDS = 15.0  # a claim not renewed for this long (its process died) is free
LOOK_SECONDS = 0.25  # how often a process looks for chats received by the others
MAX_CHATS = 64  # chats one process handles at once


class SharedIntake:
    def __init__(self, inbox: InboxRepository, clock: Callable[[], datetime],
                 hand_over: Callable[[StoredUpdate], Awaitable[bool]], worker: str) -> None:
        self.inbox = inbox
        self.clock = clock
        self.hand_over = hand_over  # to the handlers; False if the update cannot be read (skipped)
        self.worker = worker
        self._arrived = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._chats: dict[int, asyncio.Task[None]] = {}
        self._handled: dict[int, asyncio.Event] = {}

    async def start(self) -> None:
        # Claims this process held before a crash are its own: taken back now, not in CLAIM_SECONDS.
        released = await self.inbox.release_chats(self.worker)
        if released:
            log.info("took back %d chat(s) this process was handling when it stopped", released)
        self._task = asyncio.create_task(self._claim_chats(), name="shared-intake")

    async def stop(self) -> None:
        tasks = [task for task in (self._task, *self._chats.values()) if task is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._task = None
        self._chats.clear()

    def wake(self) -> None:
        """Updates were stored here: look for them now rather than at the next round."""
        self._arrived.set()

    def handled(self, update_id: int) -> None:
        """The handlers are through with the update (its inbox row is marked)."""
        event = self._handled.get(update_id)
        if event is not None:
            event.set()

    def _until(self) -> datetime:
        return self.clock() + timedelta(seconds=CLAIM_SECONDS)

    async def _claim_chats(self) -> None:
        while True:
            self._arrived.clear()
            free = MAX_CHATS - len(self._chats)
            if free > 0:
                try:
                    claimed = await self.inbox.claim_chats(self.worker, self.clock(), self._until(), free)
                except asyncio.CancelledError:
                    raise
                except Exception:  # a database hiccup must not end intake for good
                    log.exception("shared intake: cannot read the inbox; retrying shortly")
                    claimed = []
                    await asyncio.sleep(1.0)
                for chat_id in claimed:
                    task = asyncio.create_task(self._handle_chat(chat_id), name=f"chat-{chat_id}")
                    self._chats[chat_id] = task
                    task.add_done_callback(partial(self._chat_done, chat_id))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(LOOK_SECONDS):
                    await self._arrived.wait()

    def _chat_done(self, chat_id: int, _: asyncio.Task[None]) -> None:
        self._chats.pop(chat_id, None)
        self._arrived.set()  # room for another chat, and this one may have more by now

    async def _handle_chat(self, chat_id: int) -> None:
        try:
            while updates := await self.inbox.pending_in(chat_id):
                for update in updates:
                    if not await self.inbox.renew_chat(chat_id, self.worker, self._until()):
                        return  # the claim lapsed (this process stalled): whoever holds it goes on
                    await self._handle(update)
        except asyncio.CancelledError:
            raise
        except Exception:  # the database: the claim lapses and the chat is taken up again
            log.exception("shared intake: chat %d interrupted; it will be taken up again", chat_id)
            return
        finally:
            with contextlib.suppress(Exception):  # unreleased, the claim expires on its own
                await self.inbox.release_chat(chat_id, self.worker)

    async def _handle(self, update: StoredUpdate) -> None:
        if update.replays >= MAX_REPLAYS:
            log.warning("update %d abandoned: begun %d times without ending (kept a week in the inbox table)",
                        update.update_id, update.replays)
            await self.inbox.abandon(update.update_id, self.clock())
            return
        await self.inbox.begin_replay(update.update_id)  # committed before the handlers begin
        handled = self._handled[update.update_id] = asyncio.Event()
        try:
            if not await self.hand_over(update):
                return
            while not handled.is_set():
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(CLAIM_SECONDS / 3):
                        await handled.wait()
                if not handled.is_set() and not await self.inbox.renew_chat(
                        update.chat_id, self.worker, self._until()):
                    return
        finally:
            self._handled.pop(update.update_id, None)
