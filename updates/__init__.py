"""Telegram updates in: fetched by long polling or received by webhook, stored in the inbox before
Telegram is told they arrived, then handed to the handlers, and replayed after a crash."""

from harmline.updates.client import TelegramClient
from harmline.updates.feed import UpdateFeed
from harmline.updates.lifecycle import StartupError, running, serve

__all__ = ["StartupError", "TelegramClient", "UpdateFeed", "running", "serve"]
