"""``/metrics`` (Prometheus), ``/healthz`` (the process answers) and ``/readyz`` (it can take
reports: the database answers) on a local port (``[operations]``). Nothing personal is exposed:
figures only, and the log of this server is off (URLs carry nothing, but requests are noise)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from harmline.operations.metrics import Metrics

Readiness = Callable[[], Awaitable[str | None]]  # None when ready, else why not


class OperationsServer:
    def __init__(self, metrics: Metrics, ready: Readiness, listen: str, port: int) -> None:
        self.metrics = metrics
        self.ready = ready
        self.listen, self.port = listen, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/healthz", self._health)
        app.router.add_get("/readyz", self._readiness)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _metrics(self, request: web.Request) -> web.Response:
        body = self.metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def _health(self, request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def _readiness(self, request: web.Request) -> web.Response:
        problem = await self.ready()
        return web.Response(text=f"{problem or 'ready'}\n", status=503 if problem else 200)
