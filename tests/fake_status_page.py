"""A fake Atlassian Statuspage on 127.0.0.1: serves a summary.json the test chooses, slowly or
malformed if asked, and records each request (so a test can tell whether it was read)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web


def summary(indicator: str, description: str, incidents: list[dict] | None = None) -> dict:
    """What an Atlassian Statuspage's /api/v2/summary.json holds (the parts the bot reads)."""
    return {
        "page": {"id": "FAKEpage", "name": "Fake", "url": "http://127.0.0.1"},
        "status": {"indicator": indicator, "description": description},
        "components": [{"id": "c1", "name": "Serverless inference", "status": "operational"}],
        "incidents": incidents or [],
        "scheduled_maintenances": [],
    }


UP = summary("none", "All Systems Operational")
DEGRADED = summary("minor", "Partial System Outage")
INCIDENT = summary(
    "major",
    "Major Service Outage",
    [
        {"name": "Elevated 503s on serverless", "status": "investigating", "impact": "major"},
        {"name": "Yesterday's blip", "status": "resolved", "impact": "minor"},
    ],
)


@dataclass
class FakeStatusPage:
    """Serves `body` at /api/v2/summary.json; `delay` seconds before answering."""

    body: bytes = json.dumps(UP).encode()
    delay: float = 0.0
    hits: list[str] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.hits.append(request.path)
        if self.delay:
            await asyncio.sleep(self.delay)
        return web.Response(body=self.body, content_type="application/json")

    def serve(self, data: object) -> None:
        self.body = json.dumps(data).encode()


@pytest.fixture
async def status_server() -> AsyncIterator[FakeStatusPage]:
    fake = FakeStatusPage()
    app = web.Application()
    app.router.add_get("/api/v2/summary.json", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    fake.url = f"http://127.0.0.1:{port}/api/v2/summary.json"
    yield fake
    await runner.cleanup()
