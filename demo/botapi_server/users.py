"""Fake Telegram users: build the Update JSON a real client's actions would produce.

Why: handlers must be tested against what Telegram actually sends (``from``/``chat`` objects,
per-chat message ids, auto-detected entities with UTF-16 offsets, PhotoSize arrays, albums
sharing a ``media_group_id``, ``forward_origin``, callback queries carrying the bot message),
not against hand-written partial dicts.
"""

from __future__ import annotations

import copy
import re
import struct
import time
from typing import Any, Protocol

from .entities import utf16_len
from .models import SentMessage, StoredFile


class Server(Protocol):
    """What a user needs of the server (BotApiServer) to send it updates."""

    def push_update(self, update: dict[str, Any]) -> int: ...
    def next_serial(self) -> int: ...
    def next_message_id(self, chat_id: int) -> int: ...
    def chat_wire(self, chat_id: int) -> dict[str, Any]: ...
    def register_file(self, data: bytes, kind: str = "document", *, mime_type: str | None = None,
                      file_name: str | None = None) -> StoredFile: ...
    def register_photo(self, data: bytes) -> StoredFile: ...
    def photo_sizes(self, stored: StoredFile) -> list[dict[str, Any]]: ...
    def record_user_message(self, wire: dict[str, Any]) -> None: ...
    def open_callback(self, query_id: str) -> None: ...

# A valid 1x1 grayscale baseline JPEG, split so a COM segment can make every photo unique.
_JPEG_HEAD = bytes.fromhex("ffd8")
_JPEG_BODY = bytes.fromhex(
    "ffdb004300"
    + "01" * 64
    + "ffc0000b080001000101011100"
    + "ffc4001400"
    + "01"
    + "00" * 15
    + "00"
    + "ffc4001410"
    + "01"
    + "00" * 15
    + "00"
    + "ffda0008010100003f00"
    + "3f"
    + "ffd9"
)
_TLDS = (
    "com|net|org|info|io|co|me|xyz|top|site|online|app|dev|biz|asia|shop|club|vip|bet|cc|tk|link|live"
    "|th|vn|id|my|ph|sg|kh|la|mm|bn|ru|cn|uk|us"
)
_AUTO_ENTITIES = re.compile(
    rf"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    rf"|(?P<url>https?://[^\s<>\"]+|\b(?:[a-z0-9-]+\.)+(?:{_TLDS})\b(?:/[^\s<>\"]*)?)"
    rf"|(?P<mention>(?<![\w@])@[A-Za-z][A-Za-z0-9_]{{3,31}})",
    re.IGNORECASE,
)


def fake_jpeg(tag: bytes = b"") -> bytes:
    """Tiny valid JPEG; ``tag`` goes into a comment segment so contents (and hashes) differ."""
    return _JPEG_HEAD + b"\xff\xfe" + struct.pack(">H", len(tag) + 2) + tag + _JPEG_BODY


def text_entities(text: str) -> list[dict[str, Any]]:
    """Entities Telegram's client/server would attach: leading bot_command, urls, emails, mentions."""
    found: list[dict[str, Any]] = []
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        found.append({"type": "bot_command", "offset": 0, "length": utf16_len(command)})
    for m in _AUTO_ENTITIES.finditer(text):
        if found and m.start() < found[0]["length"] and found[0]["type"] == "bot_command":
            continue
        value = m.group().rstrip(".,;:!?)")
        found.append({"type": m.lastgroup, "offset": utf16_len(text[: m.start()]), "length": utf16_len(value)})
    return found


def _compact(**fields: Any) -> dict[str, Any]:
    """A JSON object without the optional fields that are None (Telegram omits them)."""
    return {key: value for key, value in fields.items() if value is not None}


def _earlier(date: int | None) -> int:
    return date or int(time.time()) - 3600


class FakeUser:
    """A user in a private chat with the bot; each action pushes an Update and returns its id."""

    def __init__(
        self,
        server: Server,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
    ) -> None:
        self.server = server
        self.id = user_id
        self.first_name, self.last_name = first_name, last_name
        self.username, self.language_code = username, language_code

    def user(self) -> dict[str, Any]:
        """The ``User`` object for ``from`` fields."""
        names = {"first_name": self.first_name, "last_name": self.last_name, "username": self.username}
        return _compact(id=self.id, is_bot=False, **names, language_code=self.language_code)

    def chat(self) -> dict[str, Any]:
        """The private ``Chat`` object (id == user id)."""
        return _compact(
            id=self.id, type="private", first_name=self.first_name, last_name=self.last_name, username=self.username
        )

    # ----------------------------------------------------------------------- building messages
    def _push_message(self, content: dict[str, Any], chat_id: int | None = None) -> int:
        chat = self.chat() if chat_id is None else self.server.chat_wire(chat_id)
        message = {"message_id": self.server.next_message_id(chat["id"]), "from": self.user(), "chat": chat}
        message.update(date=int(time.time()), **content)
        self.server.record_user_message(message)
        return self.server.push_update({"message": message})

    @staticmethod
    def _text(text: str) -> dict[str, Any]:
        return _compact(text=text, entities=text_entities(text) or None)

    @staticmethod
    def _caption(caption: str | None, media_group_id: str | None = None) -> dict[str, Any]:
        entities = text_entities(caption) if caption else None
        return _compact(caption=caption or None, caption_entities=entities or None, media_group_id=media_group_id)

    def _photo(self, content: bytes | None) -> list[dict[str, Any]]:
        data = content if content is not None else fake_jpeg(f"photo-{self.server.next_serial()}".encode())
        return self.server.photo_sizes(self.server.register_photo(data))

    # ----------------------------------------------------------------------- actions
    def send_other(self, content: dict[str, Any]) -> int:
        """A message of another kind, as Telegram's wire shows it: a sticker, a dice, a poll, a location."""
        return self._push_message(dict(content))

    def send_text(self, text: str, *, chat_id: int | None = None) -> int:
        """A text message, in the private chat or in group ``chat_id``; a leading "/command" gets a
        bot_command entity, links get url entities."""
        return self._push_message(self._text(text), chat_id)

    def send_photo(
        self, *, caption: str | None = None, media_group_id: str | None = None, content: bytes | None = None
    ) -> int:
        return self._push_message({"photo": self._photo(content), **self._caption(caption, media_group_id)})

    def send_document(
        self,
        filename: str,
        content: bytes,
        *,
        mime_type: str = "application/pdf",
        caption: str | None = None,
        media_group_id: str | None = None,
    ) -> int:
        stored = self.server.register_file(content, "document", mime_type=mime_type, file_name=filename)
        return self._push_message({"document": stored.as_media(), **self._caption(caption, media_group_id)})

    def send_album(self, captions: list[str | None]) -> list[int]:
        """Several photos sharing one media_group_id, one update each (as Telegram delivers albums)."""
        group_id = str(14_000_000_000_000_000 + self.server.next_serial())
        return [self.send_photo(caption=caption, media_group_id=group_id) for caption in captions]

    def share_contact(self, phone_number: str) -> int:
        """The user's own contact, as sent by a ``request_contact`` keyboard button."""
        contact = {"phone_number": phone_number, "first_name": self.first_name, "user_id": self.id}
        return self._push_message({"contact": contact})

    def forward_text(self, text: str, *, origin: dict[str, Any]) -> int:
        return self._push_message({**self._text(text), "forward_origin": origin})

    def forward_photo(self, *, caption: str | None, origin: dict[str, Any]) -> int:
        return self._push_message({"photo": self._photo(None), "forward_origin": origin, **self._caption(caption)})

    def press(
        self,
        message: SentMessage,
        callback_data: str,
        *,
        force: bool = False,
        expired: bool = False,
        inaccessible: bool = False,
    ) -> int:
        """Tap an inline button of a bot message; ``force`` allows data not on the current keyboard.
        ``expired``: the press reaches the bot after Telegram's answer window, so answering it
        fails with "query is too old". ``inaccessible``: Telegram no longer includes the message
        (deleted or too old), only its chat and id, with date 0."""
        if not force and (message.deleted or callback_data not in message.button_data()):
            raise AssertionError(f"No button {callback_data!r} on {message.describe()} (deleted={message.deleted})")
        query_id = f"{self.id}{self.server.next_serial():08d}"
        if not expired:
            self.server.open_callback(query_id)
        shown = copy.deepcopy(message.raw)
        if inaccessible:
            shown = {"chat": shown["chat"], "message_id": message.message_id, "date": 0}
        query = {"id": query_id, "from": self.user(), "message": shown, "data": callback_data}
        query["chat_instance"] = str(abs(message.chat_id * 7919 + 104729))
        return self.server.push_update({"callback_query": query})

    # ----------------------------------------------------------------------- forward origins (Bot API 7+)
    @staticmethod
    def origin_user(
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        date: int | None = None,
    ) -> dict[str, Any]:
        user = _compact(id=user_id, is_bot=False, first_name=first_name, last_name=last_name, username=username)
        return {"type": "user", "date": _earlier(date), "sender_user": user}

    @staticmethod
    def origin_hidden_user(name: str, *, date: int | None = None) -> dict[str, Any]:
        return {"type": "hidden_user", "date": _earlier(date), "sender_user_name": name}

    @staticmethod
    def origin_chat(
        chat_id: int,
        title: str,
        *,
        username: str | None = None,
        author_signature: str | None = None,
        date: int | None = None,
    ) -> dict[str, Any]:
        kind = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
        chat = _compact(id=chat_id, type=kind, title=title, username=username)
        return _compact(type="chat", date=_earlier(date), sender_chat=chat, author_signature=author_signature)

    @staticmethod
    def origin_channel(
        chat_id: int,
        title: str,
        *,
        username: str | None = None,
        message_id: int = 1,
        author_signature: str | None = None,
        date: int | None = None,
    ) -> dict[str, Any]:
        chat = _compact(id=chat_id, type="channel", title=title, username=username)
        origin = _compact(type="channel", date=_earlier(date), chat=chat, author_signature=author_signature)
        return {**origin, "message_id": message_id}
