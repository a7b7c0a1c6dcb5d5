"""Plain data records shared by the fake server, its fake users and the tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .entities import strip_html


class ApiError(Exception):
    """A Bot API error answer: HTTP status == ``error_code``, JSON ``description``."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


@dataclass
class UploadedFile:
    """A file part of a multipart request (PTB uploads ``InputFile`` contents this way)."""

    filename: str | None
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:
        return f"UploadedFile({self.filename!r}, {self.content_type!r}, {len(self.data)} bytes)"


@dataclass
class StoredFile:
    """A file known to the server: downloadable at ``/file/bot<token>/<file_path>`` after getFile."""

    file_id: str
    file_unique_id: str
    kind: str  # "photo", "document", "video"
    data: bytes
    file_path: str
    mime_type: str | None = None
    file_name: str | None = None
    width: int = 640
    height: int = 360
    thumb_id: str | None = None  # photos: the smaller PhotoSize served next to this one

    def _ids(self) -> dict[str, Any]:
        return {"file_id": self.file_id, "file_unique_id": self.file_unique_id, "file_size": len(self.data)}

    def photo_size(self) -> dict[str, Any]:
        return {**self._ids(), "width": self.width, "height": self.height}

    def as_media(self) -> dict[str, Any]:
        """The Document/Video object Telegram puts into a Message for this file."""
        media = self._ids()
        if self.file_name:
            media["file_name"] = self.file_name
        if self.mime_type:
            media["mime_type"] = self.mime_type
        if self.kind == "video":
            media.update(width=self.width, height=self.height, duration=5)
        return media


@dataclass
class SentMessage:
    """A message the bot created, kept up to date by later edits (the same object mutates)."""

    chat_id: int
    message_id: int
    method: str
    text: str | None = None  # text or caption exactly as the bot sent it (HTML tags included)
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    media_type: str | None = None
    file_id: str | None = None
    media_group_id: str | None = None
    edits: list[str] = field(default_factory=list)
    message_thread_id: int | None = None
    reply_to_message_id: int | None = None
    deleted: bool = False
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)  # wire Message

    @property
    def plain_text(self) -> str:
        """What the citizen sees: tags removed, entities unescaped (``&lt;`` -> ``<``)."""
        if self.text is None:
            return ""
        if (self.parse_mode or "").lower() == "html":
            return strip_html(self.text)
        return self.text

    def _buttons(self) -> list[dict[str, Any]]:
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [b if isinstance(b, dict) else {"text": str(b)} for row in rows for b in row]

    def button_data(self) -> list[str]:
        """All ``callback_data`` of the inline keyboard, row-major."""
        return [str(b["callback_data"]) for b in self._buttons() if "callback_data" in b]

    def button_texts(self) -> list[str]:
        """Texts of all buttons (inline or reply keyboard), row-major."""
        return [str(b.get("text", "")) for b in self._buttons()]

    def describe(self) -> str:
        extra = f" [{self.media_type}]" if self.media_type else ""
        buttons = f" buttons={self.button_texts()}" if self.reply_markup else ""
        head = f"chat={self.chat_id} id={self.message_id} {self.method}{extra}"
        return f"{head}: {self.plain_text[:120]!r}{buttons}"
