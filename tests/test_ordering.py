"""One citizen's updates stay in order; a slow chat does not hold up the others."""

from __future__ import annotations

import asyncio

from telegram import Bot, Update

from harmline.handlers.ordering import PerChatOrderedProcessor

BOT = Bot("1:offline")


def update(update_id: int, chat_id: int) -> Update:
    return Update.de_json({"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": "x", "chat": {"id": chat_id, "type": "private"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "C"}}}, BOT)


async def test_same_chat_in_order_other_chats_concurrently() -> None:
    finished: list[str] = []
    processed: list[tuple[int, int]] = []  # (update id, how many works had finished by then)

    started: list[tuple[int, int]] = []  # (update id, how many works had finished when it started)

    class Tracker:
        async def starting(self, update: object) -> None:
            assert isinstance(update, Update)
            started.append((update.update_id, len(finished)))

        async def processed(self, update: object) -> None:
            assert isinstance(update, Update)
            processed.append((update.update_id, len(finished)))

    processor = PerChatOrderedProcessor(Tracker())

    async def work(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        finished.append(name)

    async with processor:
        await asyncio.gather(
            processor.process_update(update(1, 100), work("A1 slow", 0.2)),
            processor.process_update(update(2, 100), work("A2 fast", 0.0)),
            processor.process_update(update(3, 200), work("B1 fast", 0.0)),
        )
    assert finished == ["B1 fast", "A1 slow", "A2 fast"]
    # Each update is marked processed once its own work is through, never before; A2 starts only
    # once A1 is through (its chat's turn), the others at once.
    assert sorted(processed) == [(1, 2), (2, 3), (3, 1)]
    assert sorted(started) == [(1, 0), (2, 2), (3, 0)]
    assert processor._locks == {}  # no lock kept for chats with nothing in flight
