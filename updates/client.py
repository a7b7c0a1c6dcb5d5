"""python-telegram-bot's bot, with getUpdates as Telegram sent it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram.ext import ExtBot

# Added to the long-poll timeout when waiting for getUpdates' answer: Telegram answers at the
# timeout at the latest, so a read that takes longer means the connection is gone.
READ_MARGIN_SECONDS = 10.0


class TelegramClient(ExtBot[Any]):
    async def fetch_updates(self, offset: int | None, poll_seconds: int,
                            allowed_updates: Sequence[str]) -> list[Any]:
        """getUpdates, each update left as the JSON Telegram sent.

        ``Bot.get_updates`` turns the whole batch into ``Update`` objects at once: one update that
        python-telegram-bot cannot read fails the batch, and the same offset is asked for again
        and again. Raw, each update is stored first and read on its own.
        """
        data: dict[str, Any] = {"timeout": poll_seconds, "allowed_updates": list(allowed_updates)}
        if offset is not None:
            data["offset"] = offset
        result = await self._post("getUpdates", data, read_timeout=poll_seconds + READ_MARGIN_SECONDS)
        return list(result) if isinstance(result, list) else []
