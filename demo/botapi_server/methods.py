"""The Bot API methods the fake server implements, with Telegram's validation and error texts.

Kept apart from the HTTP/long-polling plumbing in :mod:`botapi_server.server`: this class owns
the chat/message/file state and turns decoded parameters into the JSON ``result`` Telegram
would return, raising :class:`ApiError` exactly where Telegram answers ``ok: false``.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
import time
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from typing import Any

from .entities import EntityParseError, parse_html
from .models import ApiError, SentMessage, StoredFile, UploadedFile, bad_request
from .wire import Params, opt_bool, opt_int, opt_str, req_int

Handler = Callable[[Params], Any]
_FILE_PREFIX = {"photo": "AgACAgIAAxkBAAI", "document": "BQACAgIAAxkBAAI", "video": "BAACAgIAAxkBAAI"}
_FILE_DIR = {"photo": "photos", "document": "documents", "video": "videos"}
_BUTTON_ACTIONS = frozenset(
    "url callback_data web_app login_url switch_inline_query switch_inline_query_current_chat pay "
    "switch_inline_query_chosen_chat copy_text callback_game".split()
)
_ACCEPT_ONLY = "logOut close setChatMenuButton sendChatAction setMyDescription setMyShortDescription setMyName"
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_MEDIA_KEYS = ("photo", "document", "video")
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_WRONG_FILE = "wrong file identifier/HTTP URL specified"


def now() -> int:
    return int(time.time())


class Pulse:
    """Wakes every coroutine waiting on it; ``fire`` is synchronous so plain code can call it."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        with suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)


class BotApiMethods:
    """Chat, message and file state plus one handler per Bot API method (see ``_methods``)."""

    def __init__(self, token: str, *, bot_id: int, bot_username: str, bot_first_name: str) -> None:
        self.token = token
        self.bot_id, self.bot_username, self.bot_first_name = bot_id, bot_username, bot_first_name
        self.sent: list[SentMessage] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.errors: list[tuple[str, int, str]] = []  # (method, error_code, description) of failed calls
        self.files: dict[str, StoredFile] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}  # (scope JSON, language) -> list
        self._files_by_path: dict[str, StoredFile] = {}
        self._wires: dict[tuple[int, int], dict[str, Any]] = {}  # every live message, bot's and users'
        self._bot_messages: dict[tuple[int, int], SentMessage] = {}
        self._message_ids: dict[int, int] = {}
        self._private_chats: dict[int, dict[str, Any]] = {}
        self._open_callbacks: set[str] = set()
        self._frozen: set[tuple[int, int]] = set()  # messages that can no longer be edited
        self.forum_topics: dict[int, dict[int, str]] = {}  # forum supergroup -> topic thread id -> name
        self._serial = 0
        self._message_pulse = Pulse()
        self._methods: dict[str, tuple[str, Handler]] = {}
        simple: dict[str, Handler] = {
            "getMe": lambda p: self.bot_user(full=True),
            "getChat": self._get_chat,
            "createForumTopic": self._create_forum_topic,
            "sendMessage": self._send_message,
            "sendPhoto": partial(self._send_media, "photo", "sendPhoto"),
            "sendDocument": partial(self._send_media, "document", "sendDocument"),
            "sendVideo": partial(self._send_media, "video", "sendVideo"),
            "sendMediaGroup": self._send_media_group,
            "copyMessage": self._copy_message,
            "editMessageText": partial(self._edit, "text"),
            "editMessageCaption": partial(self._edit, "caption"),
            "editMessageReplyMarkup": partial(self._edit, None),
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "getFile": self._get_file,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": lambda p: self.commands.get(self._commands_key(p), []),
            "deleteMyCommands": lambda p: self.commands.pop(self._commands_key(p), None) is not None or True,
        }
        simple.update(dict.fromkeys(_ACCEPT_ONLY.split(), lambda p: True))
        for name, handler in simple.items():
            self.register_method(name, handler)

    def register_method(self, name: str, handler: Handler) -> None:
        """Add or replace a method (name matched case-insensitively, like Telegram)."""
        self._methods[name.lower()] = (name, handler)

    # ----------------------------------------------------------------- identities and files
    def next_serial(self) -> int:
        self._serial += 1
        return self._serial

    def next_message_id(self, chat_id: int) -> int:
        """Message ids are per chat and shared by the bot's and the user's messages."""
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def bot_user(self, *, full: bool = False) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.bot_id, "is_bot": True, "first_name": self.bot_first_name}
        user["username"] = self.bot_username
        if full:
            user.update(can_join_groups=True, can_read_all_group_messages=False, supports_inline_queries=False)
        return user

    def chat_wire(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            return dict(
                self._private_chats.get(chat_id) or {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
            )
        kind = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
        wire: dict[str, Any] = {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}
        if chat_id in self.forum_topics:
            wire["is_forum"] = True
        return wire

    def make_forum(self, chat_id: int) -> None:
        """Turn a supergroup into one with topics (as its admins would in Telegram)."""
        if chat_id > -1_000_000_000_000:
            raise ValueError("only supergroups (ids <= -1000000000000) can have topics")
        self.forum_topics.setdefault(chat_id, {})

    def _get_chat(self, p: Params) -> dict[str, Any]:
        # ChatFullInfo: the Chat fields plus the ones Telegram always sends.
        return {**self.chat_wire(req_int(p, "chat_id")), "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
                                        "premium_subscription": False, "gifts_from_channels": False}}

    def _create_forum_topic(self, p: Params) -> dict[str, Any]:
        chat_id = req_int(p, "chat_id")
        topics = self.forum_topics.get(chat_id)
        if topics is None:
            raise bad_request("the chat is not a forum")
        name = opt_str(p, "name") or ""
        if not 1 <= len(name) <= 128:
            raise bad_request("topic name must be 1-128 characters")
        # A topic's thread id is the id of the service message that opened it.
        thread_id = self.next_message_id(chat_id)
        topics[thread_id] = name
        return {"message_thread_id": thread_id, "name": name, "icon_color": 7322096}

    def register_file(
        self, data: bytes, kind: str = "document", *, mime_type: str | None = None, file_name: str | None = None
    ) -> StoredFile:
        """Store a file so its file_id can be sent and getFile + download work."""
        n = self.next_serial()
        ext = {"photo": "jpg", "video": "mp4"}.get(kind)
        if ext is None:
            ext = file_name.rsplit(".", 1)[-1] if file_name and "." in file_name else "bin"
        path = f"{_FILE_DIR.get(kind, 'documents')}/file_{n}.{ext}"
        stored = StoredFile(f"{_FILE_PREFIX.get(kind, 'BQAC')}{n:06d}fake", f"AQAD{n:06d}", kind, data, path)
        stored.mime_type, stored.file_name = mime_type, file_name
        self.files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def register_photo(self, data: bytes) -> StoredFile:
        """A photo as Telegram stores it: a 320x240 thumbnail plus the 1280x960 size returned here."""
        thumb, main = self.register_file(data, "photo"), self.register_file(data, "photo")
        thumb.width, thumb.height, main.width, main.height = 320, 240, 1280, 960
        main.thumb_id = thumb.file_id
        return main

    def photo_sizes(self, stored: StoredFile) -> list[dict[str, Any]]:
        thumb = self.files.get(stored.thumb_id or "")
        return [thumb.photo_size(), stored.photo_size()] if thumb else [stored.photo_size()]

    def record_user_message(self, wire: dict[str, Any]) -> None:
        self._wires[(wire["chat"]["id"], wire["message_id"])] = wire

    def open_callback(self, query_id: str) -> None:
        self._open_callbacks.add(query_id)

    def freeze_message(self, chat_id: int, message_id: int) -> None:
        """Make edits of a bot message fail with "message can't be edited", as Telegram answers for a
        message the bot may no longer change (e.g. too old)."""
        self._frozen.add((chat_id, message_id))

    def remove_message(self, chat_id: int, message_id: int) -> None:
        """The message was deleted in the chat (by the user or an admin, not through the bot):
        edits then fail with "message to edit not found"."""
        self._wires.pop((chat_id, message_id), None)
        msg = self._bot_messages.pop((chat_id, message_id), None)
        if msg is not None:
            msg.deleted = True
            self._message_pulse.fire()

    def _resolve_file(self, value: Any, kind: str, p: Params) -> StoredFile:
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.get(value.removeprefix("attach://"))
        if isinstance(value, UploadedFile):
            if kind == "photo":
                return self.register_photo(value.data)
            return self.register_file(value.data, kind, mime_type=value.content_type, file_name=value.filename)
        if isinstance(value, str) and value in self.files:
            stored = self.files[value]
            if stored.kind != kind and "document" not in (kind, stored.kind):
                raise bad_request(f"can't use file of type {stored.kind.title()} as {kind.title()}")
            return stored
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self.register_photo(b"") if kind == "photo" else self.register_file(b"", kind)
        raise bad_request(_WRONG_FILE)

    # ----------------------------------------------------------------------- validation
    @staticmethod
    def _render(text: Any, parse_mode: str | None, entities: Any, *, caption: bool) -> dict[str, Any]:
        """Validate text/caption; return the Message fields (``text``/``entities`` or caption ones)."""
        key, ents_key = ("caption", "caption_entities") if caption else ("text", "entities")
        mode = (parse_mode or "").lower()
        if mode not in ("", "html", "markdown", "markdownv2"):
            raise bad_request("unsupported parse_mode")
        plain, ents = ("" if text is None else str(text)), (entities if isinstance(entities, list) else [])
        if mode == "html":
            try:
                plain, ents = parse_html(plain)
            except EntityParseError as exc:
                raise bad_request(f"can't parse entities: {exc}") from exc
        if not plain.strip():
            if caption:
                return {}
            raise bad_request("message text is empty")
        if len(plain) > (1024 if caption else 4096):
            raise bad_request("message caption is too long" if caption else "message is too long")
        return {key: plain, ents_key: ents} if ents else {key: plain}

    @staticmethod
    def _markup(value: Any) -> dict[str, Any] | None:
        if value is None or value == "":
            return None
        if not isinstance(value, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        rows = value.get("inline_keyboard")
        if rows is None:
            return value
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
        for button in (b for row in rows for b in row):
            if not isinstance(button, dict) or not button.get("text"):
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode("utf-8")) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
            if not _BUTTON_ACTIONS & button.keys():
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )
        return value

    # ----------------------------------------------------------------------- creating messages
    def _create(
        self,
        method: str,
        p: Params,
        chat_id: int,
        content: dict[str, Any],
        text: str | None,
        mode: str | None,
        markup: dict[str, Any] | None,
        media: StoredFile | None = None,
        group_id: str | None = None,
    ) -> SentMessage:
        """Record a new bot message and build its wire form (validation must already have passed)."""
        message_id = self.next_message_id(chat_id)
        wire = {"message_id": message_id, "from": self.bot_user(), "chat": self.chat_wire(chat_id), "date": now()}
        wire.update(content)
        thread_id = opt_int(p, "message_thread_id")
        if thread_id is not None:
            wire["message_thread_id"] = thread_id
            if chat_id in self.forum_topics:
                wire["is_topic_message"] = True
        if group_id:
            wire["media_group_id"] = group_id
        if markup and "inline_keyboard" in markup:
            wire["reply_markup"] = markup
        msg = SentMessage(chat_id, message_id, method, text, mode, markup, media_group_id=group_id, raw=wire)
        reply = p.get("reply_parameters")
        msg.message_thread_id = thread_id
        msg.reply_to_message_id = (
            opt_int(reply, "message_id") if isinstance(reply, dict) else opt_int(p, "reply_to_message_id")
        )
        if media is not None:
            msg.media_type, msg.file_id = media.kind, media.file_id
        self.sent.append(msg)
        self._bot_messages[(chat_id, message_id)] = msg
        self._wires[(chat_id, message_id)] = wire
        self._message_pulse.fire()
        return msg

    def _media_content(self, stored: StoredFile, kind: str) -> dict[str, Any]:
        return {kind: self.photo_sizes(stored) if kind == "photo" else stored.as_media()}

    def _send_message(self, p: Params) -> dict[str, Any]:
        chat_id = req_int(p, "chat_id")
        mode = opt_str(p, "parse_mode")
        content = self._render(p.get("text"), mode, p.get("entities"), caption=False)
        markup = self._markup(p.get("reply_markup"))
        return self._create("sendMessage", p, chat_id, content, str(p["text"]), mode, markup).raw

    def _send_media(self, kind: str, method: str, p: Params) -> dict[str, Any]:
        chat_id = req_int(p, "chat_id")
        if p.get(kind) in (None, ""):
            raise bad_request(f"there is no {kind} in the request")
        mode = opt_str(p, "parse_mode")
        caption = self._render(p.get("caption"), mode, p.get("caption_entities"), caption=True)
        markup = self._markup(p.get("reply_markup"))
        stored = self._resolve_file(p[kind], kind, p)
        content = {**self._media_content(stored, kind), **caption}
        return self._create(method, p, chat_id, content, opt_str(p, "caption"), mode, markup, stored).raw

    def _send_media_group(self, p: Params) -> list[dict[str, Any]]:
        chat_id = req_int(p, "chat_id")
        media = p.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media in the album (2-10 items required)")
        prepared = []
        for item in media:
            kind = item.get("type") if isinstance(item, dict) else None
            if kind not in _MEDIA_KEYS:
                raise bad_request("unsupported media type in the album")
            mode = opt_str(item, "parse_mode")
            caption = self._render(item.get("caption"), mode, item.get("caption_entities"), caption=True)
            stored = self._resolve_file(item.get("media"), kind, p)
            prepared.append(({**self._media_content(stored, kind), **caption}, opt_str(item, "caption"), mode, stored))
        group_id = str(13_000_000_000_000_000 + self.next_serial())
        return [
            self._create("sendMediaGroup", p, chat_id, content, text, mode, None, stored, group_id).raw
            for content, text, mode, stored in prepared
        ]

    def _copy_message(self, p: Params) -> dict[str, Any]:
        chat_id = req_int(p, "chat_id")
        source = self._wires.get((req_int(p, "from_chat_id"), req_int(p, "message_id")))
        if source is None:
            raise bad_request("message to copy not found")
        keep = ("text", "entities", "caption", "caption_entities", "contact", *_MEDIA_KEYS)
        content = {k: copy.deepcopy(v) for k, v in source.items() if k in keep}
        mode = opt_str(p, "parse_mode")
        if "caption" in p:
            content.pop("caption", None)
            content.pop("caption_entities", None)
            content.update(self._render(p.get("caption"), mode, p.get("caption_entities"), caption=True))
        kind = next((k for k in _MEDIA_KEYS if k in content), None)
        media = None
        if kind is not None:
            media = self.files.get(content[kind][-1]["file_id"] if kind == "photo" else content[kind]["file_id"])
        text = content.get("text", content.get("caption"))
        markup = self._markup(p.get("reply_markup"))
        return {"message_id": self._create("copyMessage", p, chat_id, content, text, None, markup, media).message_id}

    # ----------------------------------------------------------------------- changing messages
    def _edit(self, field: str | None, p: Params) -> dict[str, Any]:
        """editMessageText (field "text"), editMessageCaption ("caption"), editMessageReplyMarkup (None)."""
        key = (opt_int(p, "chat_id") or 0, opt_int(p, "message_id") or 0)
        msg = self._bot_messages.get(key)
        if msg is None:
            if key in self._wires:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        if key in self._frozen:
            raise bad_request("message can't be edited")
        content: dict[str, Any] = {}
        mode = opt_str(p, "parse_mode")
        if field is not None:
            if (field == "text") != (msg.media_type is None):
                raise bad_request(f"there is no {field} in the message to edit")
            ents = "entities" if field == "text" else "caption_entities"
            content = {field: None, ents: None}
            content.update(self._render(p.get(field), mode, p.get(ents), caption=field == "caption"))
        markup = self._markup(p.get("reply_markup"))
        inline = markup if markup and "inline_keyboard" in markup else None
        if inline == msg.raw.get("reply_markup") and all(msg.raw.get(k) == v for k, v in content.items()):
            raise bad_request(_NOT_MODIFIED)
        if field is not None:
            msg.edits.append(msg.text or "")
            msg.text, msg.parse_mode = opt_str(p, field), mode
        msg.reply_markup = markup
        for k, v in {**content, "reply_markup": inline}.items():
            if v is None:
                msg.raw.pop(k, None)
            else:
                msg.raw[k] = v
        msg.raw["edit_date"] = now()
        self._message_pulse.fire()
        return msg.raw

    def _delete_message(self, p: Params) -> bool:
        key = (req_int(p, "chat_id"), req_int(p, "message_id"))
        if self._wires.pop(key, None) is None:
            raise bad_request("message to delete not found")
        msg = self._bot_messages.pop(key, None)
        if msg is not None:
            msg.deleted = True
            self._message_pulse.fire()
        return True

    def _answer_callback_query(self, p: Params) -> bool:
        query_id = opt_str(p, "callback_query_id") or ""
        if query_id not in self._open_callbacks:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        if len(opt_str(p, "text") or "") > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._open_callbacks.discard(query_id)
        answer = {"callback_query_id": query_id, "text": opt_str(p, "text"), "show_alert": opt_bool(p, "show_alert")}
        self.callback_answers.append(answer)
        self._message_pulse.fire()
        return True

    def _get_file(self, p: Params) -> dict[str, Any]:
        stored = self.files.get(opt_str(p, "file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        result = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "file_path": stored.file_path}
        return {**result, "file_size": len(stored.data)}

    # ----------------------------------------------------------------------- bot settings
    @staticmethod
    def _commands_key(p: Params) -> tuple[str, str]:
        scope = p.get("scope") if isinstance(p.get("scope"), dict) else {"type": "default"}
        return json.dumps(scope, sort_keys=True), opt_str(p, "language_code") or ""

    def _set_my_commands(self, p: Params) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise bad_request("commands must be an array")
        if len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(p)] = [
            {"command": str(c["command"]), "description": str(c["description"])} for c in commands
        ]
        return True


__all__ = ["ApiError", "BotApiMethods", "Pulse"]
