"""Forward a report into a contact's Telegram chat: the summary card, then the evidence."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import (
    Bot,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
)
from telegram.constants import ParseMode
from telegram.error import RetryAfter, TelegramError

from channels.card import render_card
from delivery.channel import DeliveryFailed, flood_failure
from i18n import Catalogs
from reports.model import Delivery, Evidence, Report

_MEDIA_GROUP_MAX = 10
InputMedia = InputMediaPhoto | InputMediaVideo | InputMediaDocument | InputMediaAudio


class TelegramChatChannel:
    def __init__(self, bot: Bot, catalogs: Catalogs) -> None:
        self.bot = bot
        self.catalogs = catalogs

    async def send(self, delivery: Delivery, report: Report) -> None:
        """The card, then the evidence in albums; each of these messages is sent once, even
        when a retry follows a failure half-way (``delivery.progress`` counts those sent)."""
        chat_id = int(delivery.target)
        thread = self.thread_for(chat_id, report)
        _ = self.catalogs.gettext(delivery.language)
        caption = _("Evidence for {ref}").format(ref=report.reference)
        parts = [None, *_evidence_parts(report.evidence)]  # None: the card
        for index, part in enumerate(parts):
            if index < delivery.progress:
                continue
            try:
                if part is None:
                    await self.send_card(chat_id, thread, delivery, report)
                elif len(part) == 1:
                    await self._send_single(chat_id, thread, part[0], caption)
                else:
                    await self._send_group(chat_id, thread, part, caption)
            except RetryAfter as flood:
                raise flood_failure(flood.retry_after, progress=index) from flood
            except TelegramError as error:
                raise DeliveryFailed(f"{type(error).__name__}: {error.message}", progress=index) from error

    def thread_for(self, chat_id: int, report: Report) -> int | None:
        """The forum topic to post in (None: the chat itself)."""
        return None

    async def send_card(self, chat_id: int, thread: int | None, delivery: Delivery, report: Report) -> None:
        card = render_card(report, delivery.language, self.catalogs)
        await self.bot.send_message(chat_id, card, parse_mode=ParseMode.HTML, message_thread_id=thread)

    async def _send_group(self, chat_id: int, thread: int | None, items: Sequence[Evidence], caption: str) -> None:
        media: list[InputMedia] = []
        for index, item in enumerate(items):
            text = escape(caption) if index == 0 else None
            kind = {"photo": InputMediaPhoto, "video": InputMediaVideo, "document": InputMediaDocument,
                    "audio": InputMediaAudio}[item.kind]
            media.append(kind(item.file_id, caption=text, parse_mode=ParseMode.HTML))
        await self.bot.send_media_group(chat_id, media, message_thread_id=thread)

    async def _send_single(self, chat_id: int, thread: int | None, item: Evidence, caption: str) -> None:
        bot = self.bot
        if item.kind == "photo":
            await bot.send_photo(chat_id, item.file_id, caption=caption, message_thread_id=thread)
        elif item.kind == "video":
            await bot.send_video(chat_id, item.file_id, caption=caption, message_thread_id=thread)
        elif item.kind == "audio":
            await bot.send_audio(chat_id, item.file_id, caption=caption, message_thread_id=thread)
        elif item.kind == "voice":
            await bot.send_voice(chat_id, item.file_id, caption=caption, message_thread_id=thread)
        elif item.kind == "animation":
            await bot.send_animation(chat_id, item.file_id, caption=caption, message_thread_id=thread)
        elif item.kind == "sticker":
            await bot.send_sticker(chat_id, item.file_id, message_thread_id=thread)
        else:
            await bot.send_document(chat_id, item.file_id, caption=caption, message_thread_id=thread)


def _evidence_parts(evidence: Sequence[Evidence]) -> list[list[Evidence]]:
    """The evidence as Telegram can send it: albums of up to ten photos and videos, of documents,
    of audio (each kind only with its own), and every other kind on its own."""
    groups: dict[str, list[Evidence]] = {"visual": [], "document": [], "audio": []}
    parts: list[list[Evidence]] = []
    singles: list[list[Evidence]] = []
    for item in evidence:
        key = {"photo": "visual", "video": "visual", "document": "document", "audio": "audio"}.get(item.kind)
        if key is None:
            singles.append([item])
        else:
            groups[key].append(item)
    for items in groups.values():
        parts += [items[start:start + _MEDIA_GROUP_MAX] for start in range(0, len(items), _MEDIA_GROUP_MAX)]
    return parts + singles
