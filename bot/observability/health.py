"""`/healthz` and `/metrics` on a small aiohttp server inside the bot's event loop.

`/healthz` answers 200 when every check passes and 503 otherwise, with one JSON object:
`{"status": "ok" | "unhealthy", "checks": {name: {"ok": bool, "status": str, ...}}}`. A new
check (the persistent store, once there is one) is one more key under `checks`; clients that
read only `status`, or each check's `ok`, keep working.

The port may face a network (`0.0.0.0` in a container), so the server caps what a client can
hold: at most `MAX_CONNECTIONS` open at once (a new one closes the oldest), and each closed
after `CONNECTION_SECONDS` whatever it is doing. A thousand idle clients then cost a few dozen
file descriptors, and `/healthz` still answers.
"""

from __future__ import annotations

import asyncio
import logging
import math
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

from aiohttp import web
from aiohttp.web_protocol import RequestHandler
from prometheus_client import CONTENT_TYPE_LATEST

from bot.observability.metrics import gateway_connected

if TYPE_CHECKING:
    from bot.bot import FwerrorBot
    from bot.settings import Settings

log = logging.getLogger(__name__)

LAG_PROBE_SECONDS = 1.0
PROBE_TIMEOUT = 5.0
MAX_CONNECTIONS = 64  # a scraper and a health check hold one or two each
CONNECTION_SECONDS = 10.0  # ample for a scrape; an idle or slow client lets go of its slot


def health_report(bot: FwerrorBot) -> tuple[bool, dict[str, Any]]:
    """Whether the bot is healthy, and the `/healthz` body that says why."""
    latency = bot.latency
    knowledge = bot.knowledge
    connected = gateway_connected(bot)
    checks: dict[str, dict[str, Any]] = {
        "gateway": {
            "ok": connected,
            "status": "connected" if connected else "disconnected",
            "latency_ms": round(latency * 1000) if math.isfinite(latency) else None,
        },
        "knowledge": {
            "ok": bool(knowledge.entries),
            "status": "loaded" if knowledge.entries else "empty",
            "version": knowledge.version,
            "entries": len(knowledge.entries),
            "loaded_at": knowledge.loaded_at.isoformat(),
        },
        "store": store_check(bot),
    }
    # A database that is down degrades claims to memory; restarting the bot wouldn't fix it.
    ok = all(check["ok"] for name, check in checks.items() if name != "store")
    return ok, {"status": "ok" if ok else "unhealthy", "checks": checks}


def store_check(bot: FwerrorBot) -> dict[str, Any]:
    """The store's state as of its last operation or ping (`healthz` pings it first)."""
    store = bot.store
    if not store.configured:
        return {"ok": True, "status": "not configured"}
    return {"ok": store.up, "status": store.status, "database": store.dialect}


class _CappedServer(web.Server):
    """aiohttp's low-level server, with a cap on open connections and a deadline on each."""

    def __init__(self, handler: Any, *, max_connections: int, connection_seconds: float) -> None:
        super().__init__(handler)
        self.max_connections = max_connections
        self.connection_seconds = connection_seconds
        self._deadlines: dict[RequestHandler, asyncio.TimerHandle] = {}  # oldest first

    def connection_made(self, handler: RequestHandler, transport: asyncio.Transport) -> None:
        super().connection_made(handler, transport)
        while len(self._deadlines) >= self.max_connections:
            self._close(next(iter(self._deadlines)))  # the oldest: likely idle, or a slow client
        self._deadlines[handler] = self._loop.call_later(
            self.connection_seconds, self._close, handler
        )

    def connection_lost(self, handler: RequestHandler, exc: BaseException | None = None) -> None:
        if (deadline := self._deadlines.pop(handler, None)) is not None:
            deadline.cancel()
        super().connection_lost(handler, exc)

    def _close(self, handler: RequestHandler) -> None:
        if (deadline := self._deadlines.pop(handler, None)) is not None:
            deadline.cancel()
        handler.force_close()


class HealthServer:
    """Serves `/healthz` and `/metrics` for one bot until `stop()`."""

    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot
        self.routes = {"/healthz": self.healthz, "/metrics": self.metrics}
        self.server = _CappedServer(
            self.handle, max_connections=MAX_CONNECTIONS, connection_seconds=CONNECTION_SECONDS
        )
        # No access log: a scraper every few seconds would drown the decision lines.
        self.runner = web.ServerRunner(self.server, access_log=None)
        self.port: int | None = None

    async def start(self, host: str, port: int) -> None:
        await self.runner.setup()
        site = web.TCPSite(self.runner, host, port)
        try:
            await site.start()
        except OSError:
            await self.runner.cleanup()
            raise
        self.port = self.runner.addresses[0][1]
        log.info("Health and metrics on http://%s:%d/healthz and /metrics", host, self.port)

    async def stop(self) -> None:
        await self.runner.cleanup()

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        route = self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="404: Not Found")
        if request.method not in ("GET", "HEAD"):
            return web.Response(
                status=405, text="405: Method Not Allowed", headers={"Allow": "GET"}
            )
        return await route(request)

    async def healthz(self, _: web.BaseRequest) -> web.Response:
        await self.bot.store.check()
        ok, body = health_report(self.bot)
        return web.json_response(body, status=200 if ok else 503)

    async def metrics(self, _: web.BaseRequest) -> web.Response:
        return web.Response(
            body=self.bot.metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )


async def probe_loop_lag(bot: FwerrorBot, interval: float = LAG_PROBE_SECONDS) -> None:
    """Sleep `interval` again and again; how much later than asked the loop woke us is lag."""
    loop = asyncio.get_running_loop()
    while True:
        started = loop.time()
        await asyncio.sleep(interval)
        bot.metrics.loop_lag.set(max(0.0, loop.time() - started - interval))


def check_health(settings: Settings) -> tuple[int, str]:
    """`python -m bot health`: (exit code, what to print) for a container's HEALTHCHECK.

    With FWERROR_METRICS_PORT, ask `/healthz`. Without it, the best evidence of a live bot
    on this host is the worker lock its process holds.
    """
    if settings.metrics_port is None:
        from bot.observability.worker_lock import held_elsewhere

        if settings.token and held_elsewhere(settings.token):
            return 0, "ok: a bot process holds the worker lock (set FWERROR_METRICS_PORT for more)"
        return 1, "unhealthy: no bot process holds the worker lock for this DISCORD_TOKEN"
    host = settings.metrics_host if settings.metrics_host not in ("0.0.0.0", "::") else "127.0.0.1"
    url = f"http://{host if ':' not in host else f'[{host}]'}:{settings.metrics_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=PROBE_TIMEOUT) as response:
            return 0, response.read().decode()
    except urllib.error.HTTPError as error:
        return 1, error.read().decode(errors="replace")
    except (OSError, ValueError) as error:
        return 1, f"unhealthy: {url} did not answer: {error}"
