"""A report's card for moderators, with their buttons: into the moderators' group (the
country's topic when the group has topics) or a moderator's private chat, then the evidence.
Each card sent is remembered, so a decision updates every copy."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode

from harmline.channels.card import render_card
from harmline.channels.telegram_chat import TelegramChatChannel
from harmline.i18n import Catalogs, Gettext
from harmline.reports.model import Delivery, Report
from harmline.reports.purpose import Card

# (report id, chat id, message id, card language, forum topic) of a card just sent.
CardSent = Callable[[int, int, int, str, int | None], Awaitable[None]]
# A card's buttons (report, review before forwarding?, the card's language): the handlers own
# what the buttons say and carry, so the composition root hands their builder in.
Buttons = Callable[[Report, bool, Gettext], InlineKeyboardMarkup | None]


class ReviewChannel(TelegramChatChannel):
    def __init__(self, bot: Bot, catalogs: Catalogs, *, before_forward: bool, topics: Mapping[tuple[int, str], int],
                 buttons: Buttons, on_card: CardSent, clock: Callable[[], datetime]) -> None:
        super().__init__(bot, catalogs)
        self.before_forward = before_forward
        self.buttons = buttons
        self.topics = topics  # (chat id, country) -> forum topic, filled at start-up
        self.on_card = on_card
        self.clock = clock

    def thread_for(self, chat_id: int, report: Report) -> int | None:
        return self.topics.get((chat_id, report.country))

    async def send_card(self, chat_id: int, thread: int | None, delivery: Delivery, report: Report) -> None:
        _ = self.catalogs.gettext(delivery.language)
        note = ("💬 " + _("The citizen answered the moderators' question.")
                if isinstance(delivery.purpose, Card) and delivery.purpose.answer is not None else None)
        card = render_card(report, delivery.language, self.catalogs, for_moderators=True, now=self.clock(), note=note)
        sent = await self.bot.send_message(chat_id, card, parse_mode=ParseMode.HTML, message_thread_id=thread,
                                           reply_markup=self.buttons(report, self.before_forward, _))
        await self.on_card(report.id, chat_id, sent.message_id, delivery.language, thread)
