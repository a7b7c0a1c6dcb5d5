"""A local HTTP endpoint standing in for a national contact point's report webhook.

Why: report delivery must be tested end to end — HMAC signatures, idempotency keys, retries
while the endpoint is down — without a real HTTPS service.  It records every accepted POST.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

SIGNATURE_HEADER = "X-Harmline-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def sign(body: bytes, secret: str) -> str:
    """The ``X-Harmline-Signature`` value: ``sha256=<hex HMAC-SHA256(secret, raw body)>``."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass
class ReceivedWebhook:
    body: Any  # parsed JSON
    headers: dict[str, str]
    signature_valid: bool | None  # None when the receiver has no secret
    idempotency_key: str | None
    duplicate: bool = False  # an earlier accepted request carried the same Idempotency-Key
    raw: bytes = field(default=b"", repr=False)


class WebhookReceiver:
    """``POST /hook`` recorder with an on/off switch to simulate outages."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, secret: str | None = None) -> None:
        self.host, self.port, self.secret = host, port, secret
        self.received: list[ReceivedWebhook] = []
        self.attempts = 0  # every POST, including ones answered with an error status
        self._down_status: int | None = None
        self._seen_keys: set[str] = set()
        self._runner: web.AppRunner | None = None
        self._arrived = asyncio.Event()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/hook"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> WebhookReceiver:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    def go_down(self, status: int = 503) -> None:
        """Answer every request with ``status`` (nothing is recorded) until :meth:`go_up`."""
        self._down_status = status

    def go_up(self) -> None:
        self._down_status = None

    async def _handle(self, request: web.Request) -> web.Response:
        self.attempts += 1
        if self._down_status is not None:
            return web.json_response({"ok": False, "error": "unavailable"}, status=self._down_status)
        raw = await request.read()
        try:
            body = json.loads(raw)
        except ValueError:
            return web.json_response({"ok": False, "error": "invalid JSON"}, status=400)
        valid = None
        if self.secret is not None:
            valid = hmac.compare_digest(request.headers.get(SIGNATURE_HEADER, ""), sign(raw, self.secret))
        key = request.headers.get(IDEMPOTENCY_HEADER)
        self.received.append(
            ReceivedWebhook(
                body,
                dict(request.headers),
                valid,
                key,
                duplicate=key is not None and key in self._seen_keys,
                raw=raw,
            )
        )
        if key is not None:
            self._seen_keys.add(key)
        self._arrived.set()
        self._arrived = asyncio.Event()
        return web.json_response({"ok": True})

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[ReceivedWebhook]:  # noqa: ASYNC109 (public API)
        """Wait until at least ``count`` requests were accepted; return all of them."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while len(self.received) < count:
            remaining = deadline - loop.time()
            if remaining <= 0:
                bodies = "\n".join(f"  {r.idempotency_key}: {r.body!r}"[:300] for r in self.received)
                raise AssertionError(
                    f"Webhook got {len(self.received)} of {count} requests within {timeout}s "
                    f"({self.attempts} attempts, down={self._down_status}).\n{bodies}"
                )
            with suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), remaining)
        return list(self.received)
