"""Forward a report into a contact's Telegram chat: the summary card, then the evidence.

Evidence Telegram will not take in its own form (a photo refused as a photo: "type of file
mismatch") is sent as a document — by its file id, else downloaded and uploaded again; an item
that cannot be sent at all ("wrong file identifier", a file too big to fetch) is replaced by one
line saying so, its reason kept on the delivery, and the delivery goes on with the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from html import escape

from telegram import (
    Bot,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, InvalidToken, TelegramError

from harmline.channels.card import render_card
from harmline.channels.telegram_errors import delivery_failure, describe, file_problem
from harmline.delivery.channel import Attempt
from harmline.i18n import Catalogs, Gettext
from harmline.reports.model import Delivery, Evidence, Report

log = logging.getLogger(__name__)
_MEDIA_GROUP_MAX = 10
InputMedia = InputMediaPhoto | InputMediaVideo | InputMediaDocument | InputMediaAudio
# A file name for evidence uploaded again as a document, when it came without one.
_EXTENSIONS = {"photo": "jpg", "video": "mp4", "animation": "mp4", "voice": "ogg", "audio": "mp3",
               "sticker": "webp"}


class _FileRefused(Exception):
    """The file itself could not be fetched for uploading again (gone, too big)."""


class TelegramChatChannel:
    def __init__(self, bot: Bot, catalogs: Catalogs) -> None:
        self.bot = bot
        self.catalogs = catalogs

    async def send(self, delivery: Delivery, report: Report, attempt: Attempt) -> None:
        """The card, then the evidence in albums; each of these messages is sent once, even
        when a retry follows a failure half-way (``attempt.progress`` counts those sent, saved
        after each one)."""
        chat_id = int(delivery.target)
        thread = self.thread_for(chat_id, report)
        _ = self.catalogs.gettext(delivery.language)
        parts = [None, *_evidence_parts(report.evidence)]  # None: the card
        number = 1  # of the first evidence item of the part, in the order the contact sees them
        done = attempt.progress
        for index, part in enumerate(parts):
            if index >= done:
                try:
                    if part is None:
                        await self.send_card(chat_id, thread, delivery, report)
                    else:
                        evidence = _Evidence(chat_id, thread, report, number, attempt, _)
                        await self._send_part(evidence, part)
                except TelegramError as error:
                    raise delivery_failure(error, progress=index) from error
                await attempt.sent(index + 1, last=index + 1 == len(parts))
            number += len(part or ())

    def thread_for(self, chat_id: int, report: Report) -> int | None:
        """The forum topic to post in (None: the chat itself)."""
        return None

    async def send_card(self, chat_id: int, thread: int | None, delivery: Delivery, report: Report) -> None:
        card = render_card(report, delivery.language, self.catalogs)
        await self.bot.send_message(chat_id, card, parse_mode=ParseMode.HTML, message_thread_id=thread)

    async def _send_part(self, evidence: _Evidence, items: Sequence[Evidence]) -> None:
        """An album, or one item; an album Telegram refuses for what it carries goes item by item."""
        if len(items) == 1:
            await self._send_item(evidence, items[0], 0)
            return
        try:
            await self._send_group(evidence.chat_id, evidence.thread, items, evidence.caption)
        except BadRequest as error:
            if not file_problem(error):
                raise
            log.info("evidence album of %s refused (%s): sending its items one by one",
                     evidence.report.reference, describe(error))
            for offset, item in enumerate(items):
                await self._send_item(evidence, item, offset)

    async def _send_item(self, evidence: _Evidence, item: Evidence, offset: int) -> None:
        """One item as its kind, else as a document by file id, else downloaded and uploaded as
        a document; failing all three, a line saying it could not be sent."""
        chat_id, thread, caption = evidence.chat_id, evidence.thread, evidence.caption
        ways: list[Callable[[], Awaitable[object]]] = [lambda: self._send_single(chat_id, thread, item, caption)]
        if item.kind != "document":
            ways.append(lambda: self.bot.send_document(chat_id, item.file_id, caption=caption,
                                                       message_thread_id=thread))
        ways.append(lambda: self._upload_again(evidence, item, offset))
        refusals: list[str] = []
        for way in ways:
            try:
                await way()
                return
            except BadRequest as error:
                if not file_problem(error):
                    raise
                refusals.append(describe(error))
            except _FileRefused as error:
                refusals.append(str(error))
        number = evidence.first_number + offset
        evidence.attempt.note(f"evidence item {number} not sent: {refusals[0]}")
        log.info("evidence item %d of %s not sent: %s", number, evidence.report.reference, "; ".join(refusals))
        _ = evidence.gettext
        line = _("Evidence item {number} of {total} for {ref} could not be sent.").format(
            number=number, total=len(evidence.report.evidence), ref=evidence.report.reference)
        await self.bot.send_message(chat_id, line, message_thread_id=thread)

    async def _upload_again(self, evidence: _Evidence, item: Evidence, offset: int) -> None:
        try:
            file = await self.bot.get_file(item.file_id)
            data = bytes(await file.download_as_bytearray())
        except (InvalidToken, EndPointNotFound) as error:  # the file server's 401/404: the file is gone
            raise _FileRefused(describe(error)) from error
        name = item.file_name or f"evidence-{evidence.first_number + offset}.{_EXTENSIONS.get(item.kind, 'bin')}"
        await self.bot.send_document(evidence.chat_id, data, filename=name, caption=evidence.caption,
                                     message_thread_id=evidence.thread)

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


class _Evidence:
    """Where a part of the evidence goes, and how its items are numbered and captioned."""

    def __init__(self, chat_id: int, thread: int | None, report: Report, first_number: int, attempt: Attempt,
                 gettext: Gettext) -> None:
        self.chat_id, self.thread, self.report = chat_id, thread, report
        self.first_number, self.attempt, self.gettext = first_number, attempt, gettext
        _ = gettext
        self.caption = _("Evidence for {ref}").format(ref=report.reference)


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
