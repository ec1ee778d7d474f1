"""/healthz's store check and the store's metrics, over HTTP from a running bot."""

from __future__ import annotations

import json

import aiohttp

from tests.learning.conftest import World


async def _get(bot, path: str) -> tuple[int, str]:
    port = bot.get_cog("Operations").server.port
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.text()


async def test_healthz_reports_the_store_reachable(world: World) -> None:
    async with world.bot(metrics_port=0) as bot:
        status, text = await _get(bot, "/healthz")
        assert status == 200
        store = json.loads(text)["checks"]["store"]
        assert store == {"ok": True, "status": "connected", "database": "sqlite"}
        _, metrics = await _get(bot, "/metrics")
        assert "fwerror_store_up 1.0" in metrics


async def test_healthz_reports_a_store_it_cannot_open_and_stays_up(world: World) -> None:
    # A directory that doesn't exist: SQLite can't create the file, the bot runs in memory.
    async with world.bot(metrics_port=0, database_url="sqlite:////nonexistent/dir/f.db") as bot:
        status, text = await _get(bot, "/healthz")
        body = json.loads(text)
        assert status == 200 and body["status"] == "ok"
        assert body["checks"]["store"] == {
            "ok": False,
            "status": "unreachable",
            "database": "sqlite",
        }
        _paste, _ = await world.answered("openai.RateLimitError: Error code: 429 - rate limited")
