"""Turns a Telegram message into the intake's :class:`IncomingMessage` (no Telegram past here)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

from telegram import (
    Message,
    MessageOrigin,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    User,
)

from harmline.reports.model import SELF, Attachment, IncomingMessage, Origin


def origin_of(origin: MessageOrigin | None, reporter: User) -> Origin | None:
    """Who wrote a forwarded message: the scammer's name or channel is evidence, keep it. A
    message the reporter forwards from their own chat names them, and they are never named to
    anyone: it is kept as "self", with no name (the same user, or a hidden account with their name)."""
    if origin is None:
        return None
    if (isinstance(origin, MessageOriginUser) and origin.sender_user.id == reporter.id) or (
            isinstance(origin, MessageOriginHiddenUser)
            and origin.sender_user_name.strip().casefold() == reporter.full_name.strip().casefold()):
        return Origin(SELF, "", origin.date)
    if isinstance(origin, MessageOriginUser):
        user = origin.sender_user
        name = user.full_name + (f" (@{user.username})" if user.username else "")
    elif isinstance(origin, MessageOriginHiddenUser):
        name = origin.sender_user_name
    elif isinstance(origin, MessageOriginChannel):
        chat = origin.chat
        name = (chat.title or "") + (f" (@{chat.username})" if chat.username else "")
    elif isinstance(origin, MessageOriginChat):
        chat = origin.sender_chat
        name = (chat.title or "") + (f" (@{chat.username})" if chat.username else "")
    else:
        name = ""
    return Origin(origin.type, name.strip(), origin.date)


def attachments_of(message: Message) -> tuple[Attachment, ...]:
    if message.photo:
        largest = message.photo[-1]  # Telegram lists sizes smallest first
        return (Attachment("photo", largest.file_id, largest.file_unique_id, largest.file_size, "image/jpeg"),)
    # A sticker is not evidence of anything: alone it gets the hint, not a report (as a dice or a poll).
    for kind in ("document", "video", "audio", "voice", "animation", "video_note"):
        media = getattr(message, kind)
        if media is not None:
            return (Attachment(
                "video" if kind == "video_note" else kind, media.file_id, media.file_unique_id,
                media.file_size, getattr(media, "mime_type", None), getattr(media, "file_name", None),
            ),)
    return ()


def has_words(text: str) -> bool:
    """False for text made only of spaces and invisible characters (zero-width, direction marks)."""
    return any(not char.isspace() and unicodedata.category(char) not in ("Cf", "Cc", "Zs") for char in text)


def incoming_message(update_id: int, message: Message) -> IncomingMessage | None:
    """The report content of ``message``, or None if it carries nothing we can take."""
    user = message.from_user
    text = message.text or message.caption or ""
    attachments = attachments_of(message)
    if user is None or (not has_words(text) and not attachments):
        return None
    return IncomingMessage(
        update_id=update_id,
        user_id=user.id,
        chat_id=message.chat_id,
        message_id=message.message_id,
        text=text,
        received_at=datetime.now(UTC),
        language_code=user.language_code,
        attachments=attachments,
        media_group_id=message.media_group_id,
        origin=origin_of(message.forward_origin, user),
    )
