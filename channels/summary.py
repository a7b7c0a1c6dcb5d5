"""A weekly summary in a Telegram chat: the message, the charts as one album, then the PDF and
the CSV as another. The same posting serves the scheduled deliveries and an admin's /summary."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from telegram import Bot, InputMediaDocument, InputMediaPhoto
from telegram.constants import ParseMode
from telegram.error import TelegramError

from harmline.channels.telegram_errors import delivery_failure
from harmline.delivery.channel import Attempt, DeliveryFailed
from harmline.reports.model import Delivery
from harmline.services.summaries import Summaries
from harmline.summaries.schedule import summary_of

if TYPE_CHECKING:
    from harmline.summaries.files import SummaryFiles

Step = Callable[[], Awaitable[object]]


def posting(bot: Bot, chat_id: int, files: SummaryFiles, thread: int | None = None) -> list[Step]:
    """The messages of a summary, in order; each is one step so a retry resumes after the last sent."""
    photos = [InputMediaPhoto(chart.png, caption=chart.title, filename=chart.name) for chart in files.charts]
    documents = [InputMediaDocument(files.pdf, filename=files.pdf_name),
                 InputMediaDocument(files.csv, filename=files.csv_name)]
    steps: list[Step] = [lambda: bot.send_message(chat_id, files.message, parse_mode=ParseMode.HTML,
                                                  message_thread_id=thread)]
    if len(photos) == 1:
        chart = files.charts[0]
        steps.append(lambda: bot.send_photo(chat_id, chart.png, caption=chart.title, filename=chart.name,
                                            message_thread_id=thread))
    elif photos:
        steps.append(lambda: bot.send_media_group(chat_id, photos, message_thread_id=thread))
    steps.append(lambda: bot.send_media_group(chat_id, documents, message_thread_id=thread))
    return steps


class SummaryChannel:
    """Delivers the outbox rows whose purpose is ``summary:<scope>:<week>``."""

    def __init__(self, bot: Bot, summaries: Summaries) -> None:
        self.bot = bot
        self.summaries = summaries

    async def send(self, delivery: Delivery, attempt: Attempt) -> None:
        parsed = summary_of(delivery.purpose)
        if parsed is None:
            raise DeliveryFailed(f"not a summary: {delivery.purpose}", permanent=True)
        scope, week = parsed
        # Made afresh at each attempt: the figures of a past week only change as moderators decide,
        # and a retry that resumes half-way should show the state the first part showed, or newer.
        files = await self.summaries.files(scope, week, delivery.language)
        done = attempt.progress
        steps = posting(self.bot, int(delivery.target), files)
        for index, step in enumerate(steps):
            if index < done:
                continue
            try:
                await step()
            except TelegramError as error:
                raise delivery_failure(error, progress=index) from error
            await attempt.sent(index + 1, last=index + 1 == len(steps))
