"""A fake Telegram Bot API server on 127.0.0.1 speaking the real HTTP/JSON wire format.

Why: the end-to-end tests and ``harmline demo`` run the *real* python-telegram-bot stack
(HTTPXRequest, Updater long polling, handlers) against it, so everything from parameter
encoding to error handling is exercised exactly as in production, without the internet.
This module adds the HTTP routes, the getUpdates queue, fault injection and the waiting
helpers on top of the method implementations in :mod:`botapi_server.methods`.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from aiohttp import web

from .methods import BotApiMethods, Pulse
from .models import ApiError, SentMessage
from .users import FakeUser
from .wire import Params, opt_bool, opt_int, opt_str, read_params

_CHAT_METHODS = ("send", "edit", "copymessage")
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
_CONFLICT_POLL = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
IDLE_QUIET = 0.2
_log = logging.getLogger(__name__)


@dataclass
class _Pending:
    update: dict[str, Any]
    delivered: bool = False


@dataclass
class _CallFailure:
    """A fault injected with :meth:`BotApiServer.fail_method` or :meth:`BotApiServer.fail_file`."""

    error: ApiError
    methods: set[str] | None  # lower-case names; None: any method
    file_id: str | None = None  # only calls that name this file
    left: int | None = None  # None: until restore_calls()

    def matches(self, method: str, p: Params) -> bool:
        if self.methods is not None and method not in self.methods:
            return False
        return self.file_id is None or self.file_id in _file_ids(p)


_FILE_PARAMS = ("photo", "document", "video", "audio", "voice", "animation", "sticker", "video_note", "file_id")


def _file_ids(p: Params) -> set[str]:
    """The file ids a call names: sent by id (also inside an album's media), or asked of getFile."""
    found = {value for key in _FILE_PARAMS if isinstance(value := p.get(key), str)}
    media = p.get("media")
    if isinstance(media, list):
        found |= {item["media"] for item in media if isinstance(item, dict) and isinstance(item.get("media"), str)}
    return found


class BotApiServer(BotApiMethods):
    """Fake Bot API: start it, point PTB's ``base_url``/``base_file_url`` at it, drive users."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_id: int = 123456,
        bot_username: str = "harmline_test_bot",
        bot_first_name: str = "Harmline",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        super().__init__(token, bot_id=bot_id, bot_username=bot_username, bot_first_name=bot_first_name)
        self.host, self.port = host, port
        self.users: dict[int, FakeUser] = {}
        self.webhook: dict[str, Any] | None = None  # last setWebhook parameters while a webhook is set
        self.allowed_updates: list[str] | None = None
        self._runner: web.AppRunner | None = None
        self._queue: list[_Pending] = []
        self._history: dict[int, dict[str, Any]] = {}
        self._last_update_id = 100_000
        self._poll_generation = 0
        self._update_pulse = Pulse()
        self._closing = False
        self._in_flight = 0
        self._last_activity = 0.0
        # Set by whoever runs the bot in the same process: whether it is still handling an update.
        # A handler may go longer than IDLE_QUIET without calling the API (a busy database).
        self.bot_busy: Callable[[], bool] = lambda: False
        self._flood_left = 0
        self._flood_retry_after = 1
        self._flood_methods: set[str] | None = None
        self._failed_chats: dict[int, ApiError] = {}
        self._failed_calls: list[_CallFailure] = []
        self.register_method("getUpdates", partial(self._poll, None))
        self.register_method("setWebhook", self._set_webhook)
        self.register_method("deleteWebhook", self._delete_webhook)
        self.register_method(
            "getWebhookInfo",
            lambda p: {
                "url": (self.webhook or {}).get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": self.pending_updates,
            },
        )

    # ----------------------------------------------------------------------- lifecycle
    async def start(self) -> None:
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        self._closing = True
        self._update_pulse.fire()  # release long polls so shutdown does not wait for them
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotApiServer:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    # ----------------------------------------------------------------------- HTTP
    async def _handle_api(self, request: web.Request) -> web.Response:
        entry = self._methods.get(request.match_info["method"].lower())
        name = entry[0] if entry else request.match_info["method"]
        loop = asyncio.get_running_loop()
        polling = name == "getUpdates"
        self._last_activity = loop.time()
        self._in_flight += not polling
        try:
            params: Params = {}
            try:
                params = await read_params(request)
            finally:
                self.calls.append((name, params))
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            if entry is None:
                raise ApiError(404, "Not Found")
            self._check_faults(name, params)
            result = await self._poll(request, params) if polling else entry[1](params)
            if inspect.isawaitable(result):
                result = await result
            if not polling or result:
                self._last_activity = loop.time()
            return web.json_response({"ok": True, "result": result})
        except ApiError as exc:
            self.errors.append((name, exc.error_code, exc.description))
            return web.json_response(exc.payload(), status=exc.error_code)
        except Exception as exc:  # a bug in the fake: make it loud in logs, calls and errors
            _log.exception("fake Bot API failed on %s", name)
            error = ApiError(500, f"Internal Server Error: {exc!r}")
            self.errors.append((name, 500, error.description))
            return web.json_response(error.payload(), status=500)
        finally:
            self._in_flight -= not polling

    async def _handle_file(self, request: web.Request) -> web.Response:
        stored = self._files_by_path.get(request.match_info["path"])
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        if stored is None:
            return web.json_response(ApiError(404, "Not Found").payload(), status=404)
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    # ----------------------------------------------------------------------- faults
    def flood(self, count: int, *, retry_after: int = 1, methods: set[str] | None = None) -> None:
        """Answer the next ``count`` matching calls with 429 (default: any send*/edit* but sendChatAction)."""
        self._flood_left, self._flood_retry_after = count, retry_after
        self._flood_methods = {m.lower() for m in methods} if methods is not None else None

    def fail_chat(
        self, chat_id: int, *, error_code: int = 400, description: str = "Bad Request: chat not found"
    ) -> None:
        """Fail every send/edit/copy into ``chat_id`` (e.g. 403 "Forbidden: bot was blocked by the user")."""
        self._failed_chats[chat_id] = ApiError(error_code, description)

    def restore_chat(self, chat_id: int) -> None:
        self._failed_chats.pop(chat_id, None)

    def fail_method(
        self, method: str, *, description: str, error_code: int = 400, count: int | None = None
    ) -> None:
        """Answer calls to ``method`` with this error: every one until :meth:`restore_calls`, or the
        next ``count`` (e.g. "Bad Request: not enough rights to send text messages to the chat")."""
        self._failed_calls.append(_CallFailure(ApiError(error_code, description), {method.lower()}, left=count))

    def fail_file(
        self,
        file_id: str,
        *,
        description: str = "Bad Request: wrong file identifier/HTTP URL specified",
        error_code: int = 400,
        methods: set[str] | None = None,
    ) -> None:
        """Answer every call that names ``file_id`` — sent by its id, also inside an album, or asked of
        getFile — with this error; only calls to ``methods`` when given. As Telegram answers "Bad
        Request: type of file mismatch" when a photo's file id is sent as a document, or "Bad Request:
        wrong file identifier/HTTP URL specified" for a file it no longer has."""
        names = {m.lower() for m in methods} if methods is not None else None
        self._failed_calls.append(_CallFailure(ApiError(error_code, description), names, file_id))

    def restore_calls(self) -> None:
        """Undo every :meth:`fail_method` and :meth:`fail_file`."""
        self._failed_calls.clear()

    def _check_faults(self, name: str, p: Params) -> None:
        lower = name.lower()
        if self._flood_left > 0 and (
            lower in self._flood_methods
            if self._flood_methods is not None
            else lower.startswith(("send", "edit")) and lower != "sendchataction"
        ):
            self._flood_left -= 1
            n = self._flood_retry_after
            raise ApiError(429, f"Too Many Requests: retry after {n}", retry_after=n)
        chat_id = p.get("chat_id")
        failure = self._failed_chats.get(chat_id) if isinstance(chat_id, int) else None
        if failure is not None and lower.startswith(_CHAT_METHODS):
            raise ApiError(failure.error_code, failure.description)
        for rule in self._failed_calls:
            if rule.left != 0 and rule.matches(lower, p):
                if rule.left is not None:
                    rule.left -= 1
                raise ApiError(rule.error.error_code, rule.error.description)

    # ----------------------------------------------------------------------- updates
    def user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> FakeUser:
        """A citizen/moderator in a private chat with the bot (chat id == user id)."""
        fake = FakeUser(self, user_id, first_name, last_name=last_name, username=username, language_code=language_code)
        self.users[user_id] = fake
        self._private_chats[user_id] = fake.chat()
        return fake

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw Update for getUpdates; assigns a monotonic ``update_id`` when absent."""
        if "update_id" not in update:
            self._last_update_id += 1
            update["update_id"] = self._last_update_id
        update_id = int(update["update_id"])
        self._last_update_id = max(self._last_update_id, update_id)
        self._history[update_id] = update
        self._queue.append(_Pending(copy.deepcopy(update)))
        self._update_pulse.fire()
        return update_id

    def redeliver(self, update_id: int) -> None:
        """Deliver an already-sent update again with the same id, as Telegram does after a lost ack."""
        self._queue.append(_Pending(copy.deepcopy(self._history[update_id])))
        self._update_pulse.fire()

    @property
    def pending_updates(self) -> int:
        return len(self._queue)

    def _confirm(self, offset: int) -> None:
        self._queue = [e for e in self._queue if not (e.delivered and int(e.update["update_id"]) < offset)]

    async def _poll(self, request: web.Request | None, p: Params) -> list[dict[str, Any]]:
        """getUpdates: confirm ``offset``, then long-poll up to ``timeout`` s, waking on push_update."""
        if self.webhook is not None:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        offset, limit = opt_int(p, "offset"), min(max(opt_int(p, "limit") or 100, 1), 100)
        if isinstance(p.get("allowed_updates"), list):
            self.allowed_updates = p["allowed_updates"]
        self._poll_generation += 1
        generation = self._poll_generation
        self._update_pulse.fire()  # a newer getUpdates terminates an older long poll, like Telegram
        if offset is not None:
            self._confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(opt_int(p, "timeout") or 0, 0)
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, _CONFLICT_POLL)
            transport = request.transport if request is not None else None
            if self._closing or (request is not None and (transport is None or transport.is_closing())):
                return []
            batch = sorted(self._queue, key=lambda e: int(e.update["update_id"]))[:limit]
            if batch:
                for entry in batch:
                    entry.delivered = True
                return [copy.deepcopy(e.update) for e in batch]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self._update_pulse.wait(remaining)

    def _set_webhook(self, p: Params) -> bool:
        if not opt_str(p, "url"):
            return self._delete_webhook(p)
        self.webhook = {k: v for k, v in p.items() if k != "certificate"}
        if opt_bool(p, "drop_pending_updates"):
            self._queue.clear()
        return True

    def _delete_webhook(self, p: Params) -> bool:
        self.webhook = None
        if opt_bool(p, "drop_pending_updates"):
            self._queue.clear()
        return True

    # ----------------------------------------------------------------------- observing
    def messages_to(self, chat_id: int) -> list[SentMessage]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every call to ``method`` (case-insensitive)."""
        return [params for name, params in self.calls if name.lower() == method.lower()]

    def dump(self, headline: str) -> str:
        """Human-readable state for assertion messages: what the bot sent and what failed."""
        lines = [headline, f"Messages sent by the bot ({len(self.sent)}, last 30):"]
        lines += [f"  {m.describe()}" for m in self.sent[-30:]] or ["  (none)"]
        lines.append(f"Failed API calls ({len(self.errors)}, last 10):")
        lines += [f"  {name} -> {code} {desc}" for name, code, desc in self.errors[-10:]] or ["  (none)"]
        lines.append(f"Pending updates: {self.pending_updates}; API calls so far: {len(self.calls)}")
        return "\n".join(lines)

    async def wait_for(self, predicate: Callable[[SentMessage], bool], timeout: float = 5.0) -> SentMessage:  # noqa: ASYNC109 (public API)
        """Return the first (already present or future) message matching ``predicate``."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            for msg in self.sent:
                if predicate(msg):
                    return msg
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(self.dump(f"No bot message matched the predicate within {timeout}s."))
            await self._message_pulse.wait(remaining)

    async def wait_for_messages(self, chat_id: int, count: int, timeout: float = 5.0) -> list[SentMessage]:  # noqa: ASYNC109 (public API)
        """Wait until the bot has sent at least ``count`` messages to ``chat_id``; return all of them."""
        try:
            await self.wait_for(lambda _: len(self.messages_to(chat_id)) >= count, timeout)
        except AssertionError:
            raise AssertionError(
                self.dump(f"Chat {chat_id} got {len(self.messages_to(chat_id))} of {count} messages in {timeout}s.")
            ) from None
        return self.messages_to(chat_id)

    async def wait_for_answer(self, after: int, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109 (public API)
        """The first callback answer beyond the first ``after`` ones, once the bot gave it. A handler
        may take longer than wait_idle's quiet interval between fetching a press and answering it."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.callback_answers) <= after:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(self.dump(f"The bot answered no button press within {timeout}s."))
            await self._message_pulse.wait(remaining)
        return self.callback_answers[after]

    async def wait_idle(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109 (public API)
        """Wait until every pushed update is fetched and confirmed, the bot handles none (``bot_busy``)
        and made no call for 0.2 s."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (self._queue or self._in_flight or self.bot_busy()
               or loop.time() - self._last_activity < IDLE_QUIET):
            if loop.time() >= deadline:
                raise AssertionError(
                    self.dump(
                        f"Bot not idle after {timeout}s ({self.pending_updates} unconfirmed updates, "
                        f"{self._in_flight} calls in flight)."
                    )
                )
            await asyncio.sleep(0.02)
