"""Fake Telegram Bot API server (and webhook receiver) for end-to-end tests and ``harmline demo``.

Usage::

    async with BotApiServer() as server:
        app = ApplicationBuilder().token(server.token).base_url(server.base_url) \
            .base_file_url(server.base_file_url).build()
        alice = server.user(1001, "Alice", language_code="th")
        alice.send_text("/start")
        reply = await server.wait_for(lambda m: m.chat_id == alice.id)
"""

from .entities import EntityParseError, parse_html, strip_html
from .models import ApiError, SentMessage, StoredFile, UploadedFile
from .server import BotApiServer
from .users import FakeUser, fake_jpeg
from .webhook_receiver import ReceivedWebhook, WebhookReceiver, sign

__all__ = [
    "ApiError",
    "BotApiServer",
    "EntityParseError",
    "FakeUser",
    "ReceivedWebhook",
    "SentMessage",
    "StoredFile",
    "UploadedFile",
    "WebhookReceiver",
    "fake_jpeg",
    "parse_html",
    "sign",
    "strip_html",
]
