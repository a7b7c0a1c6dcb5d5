"""The one way updates reach the handlers: stored first, then queued; marked when processed.

Whoever receives updates (the long-polling loop, the webhook server) hands them to
:meth:`UpdateFeed.accept` and tells Telegram it has them only after that returned: by then they
are committed to the inbox. The update processor calls :meth:`UpdateFeed.processed` when the
handlers are through with one. At start-up, :meth:`UpdateFeed.replay` queues what a crash left
between the two. The handlers' own writes are idempotent per update id, so an update replayed
after its work was stored changes nothing twice (and its reply is given again).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import Callable, Sequence
from datetime import datetime

from telegram import Bot, Update

from harmline.repositories import InboxRepository
from harmline.repositories.inbox import DONE, MAX_REPLAYS, SKIPPED, StoredUpdate
from harmline.updates.shared import SharedIntake

log = logging.getLogger(__name__)
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Times an update whose handling met a passing Telegram failure (no network, flood control) is
# handled again in this process; after that it waits for the next start.
MAX_RETRIES = 5
# How long start-up waits for one suspect update to be handled before it goes on.
SUSPECT_WAIT_SECONDS = 30.0


def update_id_of(payload: object) -> int | None:
    """The update id of a JSON update, or None when it is not one."""
    if not isinstance(payload, dict):
        return None
    update_id = payload.get("update_id")
    return update_id if isinstance(update_id, int) and not isinstance(update_id, bool) else None


# Where an update says which chat it belongs to (Bot API "Update" fields); others go to chat 0.
_IN_A_CHAT = ("message", "edited_message", "channel_post", "edited_channel_post", "business_message",
              "edited_business_message", "message_reaction", "message_reaction_count", "my_chat_member",
              "chat_member", "chat_join_request", "chat_boost", "removed_chat_boost")


def chat_of(payload: object) -> int:
    """The chat an update belongs to (0 when it names none): one chat's updates are handled in order."""
    if not isinstance(payload, dict):
        return 0
    for field in _IN_A_CHAT:
        chat = (payload.get(field) or {}).get("chat") if isinstance(payload.get(field), dict) else None
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return int(chat["id"])
    query = payload.get("callback_query")
    if isinstance(query, dict):
        message = query.get("message")
        if isinstance(message, dict) and isinstance((message.get("chat") or {}).get("id"), int):
            return int(message["chat"]["id"])
        if isinstance((query.get("from") or {}).get("id"), int):
            return int(query["from"]["id"])
    return 0


def as_text(payload: object) -> str:
    """The update as JSON text to store. A lone UTF-16 surrogate ("\\ud800" in the JSON: no
    character, and SQLite cannot store it) becomes U+FFFD, the replacement character."""
    return LONE_SURROGATE.sub("\ufffd", json.dumps(payload, ensure_ascii=False))


class UpdateFeed:
    def __init__(self, inbox: InboxRepository, queue: asyncio.Queue[object], bot: Bot,
                 clock: Callable[[], datetime], *, worker: str | None = None) -> None:
        self.inbox = inbox
        # Set when several processes share the database (shared.py): updates are then handled by
        # whichever process claims their chat, not by the one that received them.
        self.shared = SharedIntake(inbox, clock, self._queue, worker) if worker is not None else None
        self.queue = queue  # the application's update queue
        self.bot = bot  # updates refer to the bot that received them (message.reply_text …)
        self.clock = clock
        self._retries: dict[int, int] = {}  # update id -> times handled again so far
        self._again: dict[int, float] = {}  # update id -> seconds to wait before handling it again
        self._waiting: set[asyncio.Task[None]] = set()
        self._replayed: set[int] = set()  # replayed at start-up, not yet begun on
        self._ended: dict[int, asyncio.Event] = {}  # suspects replayed alone: set when handled

    async def accept(self, payloads: Sequence[object]) -> None:
        """Store the updates (one commit), then queue those not seen before. Only once this has
        returned may Telegram be told they arrived."""
        stored = []
        for payload in payloads:
            update_id = update_id_of(payload)
            if update_id is None:
                log.warning("ignored something that is not a Telegram update (%s)", type(payload).__name__)
                continue
            stored.append(StoredUpdate(update_id, as_text(payload), chat_id=chat_of(payload)))
        new = await self.inbox.store(stored, self.clock())
        if self.shared is not None:
            self.shared.wake()
            return
        for update in new:
            await self._queue(update)

    async def replay(self) -> int:
        """Queue the updates a stop or crash left stored but unprocessed (before any new one).

        Those the handlers already began on after an earlier restart (suspects: one of them may be
        what kills the process) go first and one at a time, so that only the update in hand when
        the process dies counts towards giving it up — not the dozens handled beside it.

        When processes share the database, none replays for the others: each handles the chats
        it claims, those a dead process held included, once their claims expire."""
        if self.shared is not None:
            await self.shared.start()
            return 0
        replay = await self.inbox.replay(self.clock())
        for update_id in replay.abandoned:
            log.warning("update %d abandoned: the bot stopped while handling it after %d restarts (kept a week "
                        "in the inbox table)", update_id, MAX_REPLAYS)
        if replay.updates:
            log.info("processing %d update(s) received before the last stop", len(replay.updates))
        for update in replay.updates:
            self._replayed.add(update.update_id)
        for update in (u for u in replay.updates if u.replays):
            self._ended[update.update_id] = ended = asyncio.Event()
            if await self._queue(update):
                with contextlib.suppress(TimeoutError):  # a handler waiting on Telegram: let the rest go on
                    await asyncio.wait_for(ended.wait(), SUSPECT_WAIT_SECONDS)
            self._ended.pop(update.update_id, None)
        for update in (u for u in replay.updates if not u.replays):
            await self._queue(update)
        return len(replay.updates)

    def retry_later(self, update: Update, seconds: float) -> bool:
        """Handle ``update`` again in ``seconds`` (its handling met a passing Telegram failure, and
        its reply is still owed; the handlers answer a repeated update as the first time).
        False once it was retried ``MAX_RETRIES`` times."""
        retries = self._retries.get(update.update_id, 0)
        if retries >= MAX_RETRIES:
            return False
        self._retries[update.update_id] = retries + 1
        self._again[update.update_id] = seconds
        return True

    async def starting(self, update: object) -> None:
        """The handlers begin on ``update``: a replayed one counts towards giving it up (if it is
        what kills the process, it must not do so at every start)."""
        if isinstance(update, Update) and update.update_id in self._replayed:
            self._replayed.discard(update.update_id)
            await self.inbox.begin_replay(update.update_id)

    async def processed(self, update: object) -> None:
        """The handlers are through with ``update``: it leaves the inbox, unless it is to be
        handled again (it stays pending, so a stop meanwhile replays it at the next start)."""
        if not isinstance(update, Update):
            return
        ended = self._ended.get(update.update_id)
        if ended is not None:
            ended.set()
        seconds = self._again.pop(update.update_id, None)
        if seconds is None:
            self._retries.pop(update.update_id, None)
            await self._finish(update.update_id, DONE)
            if self.shared is not None:
                self.shared.handled(update.update_id)
            return
        task = asyncio.create_task(self._queue_after(update, seconds), name=f"update-{update.update_id}-again")
        self._waiting.add(task)
        task.add_done_callback(self._waiting.discard)

    async def _queue_after(self, update: Update, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await self.queue.put(update)

    async def close(self) -> None:
        """Stop handing updates over (the shared intake's tasks); what is left stays in the inbox."""
        if self.shared is not None:
            await self.shared.stop()

    async def _queue(self, stored: StoredUpdate) -> bool:
        """Hand the update to the handlers; False if it cannot be read (marked skipped)."""
        try:
            update = Update.de_json(json.loads(stored.payload), self.bot)
        except Exception as error:  # reading foreign data: any failure means "unreadable"
            # One line, no traceback, and never again: the update is marked and not retried.
            log.warning("update %d skipped: python-telegram-bot cannot read it (%s: %s)", stored.update_id,
                        type(error).__name__, str(error)[:200])
            await self._finish(stored.update_id, SKIPPED)
            return False
        await self.queue.put(update)
        return True

    async def _finish(self, update_id: int, state: str) -> None:
        try:
            await self.inbox.finish(update_id, state, self.clock())
        except RuntimeError as error:  # the database closed under a shutdown: replayed at the next start
            log.info("update %d stays in the inbox: %s", update_id, error)

