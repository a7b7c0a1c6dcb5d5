"""A real browser for the dashboard's tests: Debian's Chromium, headless, driven over the Chrome
DevTools Protocol (a WebSocket; aiohttp's client speaks it)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = (390, 844, 3)  # width, height in CSS pixels, device pixel ratio: a common phone
DESKTOP = (1280, 900, 1)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Page:
    def __init__(self, socket_: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket_
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """One DevTools command and its result (events that arrive meanwhile are skipped)."""
        ident = next(self._ids)
        await self._socket.send_str(json.dumps({"id": ident, "method": method, "params": params}))
        async with asyncio.timeout(20):
            while True:
                message = json.loads((await self._socket.receive()).data)
                if message.get("id") == ident:
                    if "error" in message:
                        raise RuntimeError(f"{method}: {message['error']}")
                    return dict(message.get("result", {}))

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        return result["result"].get("value")

    async def open(self, url: str) -> None:
        await self.call("Page.navigate", url=url)
        await self.settle()

    async def settle(self) -> None:
        """Until the document has loaded (and any navigation it started)."""
        async with asyncio.timeout(20):
            # Polled: the page's own state is the question, and its load events may be long gone.
            while await self.evaluate("document.readyState") != "complete":  # noqa: ASYNC110
                await asyncio.sleep(0.05)

    async def resize(self, width: int, height: int, scale: int) -> None:
        await self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=scale,
                        mobile=width < 600)

    async def screenshot(self, path: Path) -> None:
        shot = await self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))


@asynccontextmanager
async def browser() -> AsyncIterator[Page]:
    """A fresh headless Chromium (its own profile: no cookies) and its first tab."""
    assert CHROMIUM is not None
    port = _free_port()
    # Chromium's helper processes may still be writing the profile as they exit.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        process = await asyncio.create_subprocess_exec(
            CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            f"--user-data-dir={profile}", f"--remote-debugging-port={port}", "--remote-allow-origins=*",
            # Loopback only: a page's outside resources (the Telegram widget) resolve to nothing.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "about:blank", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            async with aiohttp.ClientSession() as http:
                targets: list[dict[str, Any]] = []
                async with asyncio.timeout(30):
                    while not targets:
                        try:
                            async with http.get(f"http://127.0.0.1:{port}/json/list") as answer:
                                targets = [t for t in await answer.json() if t.get("type") == "page"]
                        except aiohttp.ClientError:
                            await asyncio.sleep(0.1)
                async with http.ws_connect(targets[0]["webSocketDebuggerUrl"], max_msg_size=0) as socket_:
                    page = Page(socket_)
                    await page.call("Page.enable")
                    yield page
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # the browser and its helper processes
            await process.wait()
