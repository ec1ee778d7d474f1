"""Once-only across restarts, and a database that goes away mid-run."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace

import pytest

from bot.observability.health import health_report
from tests.exts.conftest import CALLBACK, RATE_LIMIT_PASTE, SERVER_ERROR_PASTE, is_reply_to
from tests.learning.conftest import MESSAGES, World
from tests.learning.db_proxy import Proxy

THREADS = r"/channels/\d+/messages/\d+/threads"


async def test_a_restart_on_the_same_database_neither_answers_nor_escalates_again(
    world: World,
) -> None:
    fake = world.fake
    async with world.bot():
        escalated, _ = await world.answered(SERVER_ERROR_PASTE)
        await fake.wait_for_request("POST", THREADS)
        await fake.wait_for_request("POST", rf"/channels/{world.queue['id']}/messages")
        answered, reply = await world.answered(RATE_LIMIT_PASTE + " (batch job)")
        await fake.settle(0.2)

    await world.forget_requests()
    async with world.bot() as bot:  # a new process: empty memory, the same database
        await world.redeliver(escalated)
        await world.redeliver(answered)
        await fake.expect_no_request("POST")
        # The control: the restarted bot does answer a message it has not seen.
        await world.answered(RATE_LIMIT_PASTE + " (another one)")
        # And the old answer's vote buttons still work (their state is in the custom_id).
        helped = f"fwerror:vote:y:{answered['channel_id']}:{answered['id']}"
        await fake.click_button(reply, helped)
        thanks = await fake.wait_for_request("POST", CALLBACK)
        assert "glad it helped" in thanks.json["data"]["content"]
        await fake.settle(0.2)
        assert (await bot.store.store.counts())["fwerror_feedback"] == 1


@pytest.fixture
async def proxied(world: World, postgres_url: str) -> tuple[World, Proxy]:
    host_port, _, database = postgres_url.split("@", 1)[1].partition("/")
    host, _, port = host_port.partition(":")
    proxy = Proxy(host, int(port))
    local = await proxy.start()
    url = f"postgresql://postgres@127.0.0.1:{local}/{database}"
    world.settings = replace(world.settings, database_url=url)
    yield world, proxy
    with contextlib.suppress(AssertionError):
        await proxy.cut()


async def test_a_database_that_goes_away_degrades_to_memory_claims(
    proxied: tuple[World, Proxy], caplog: pytest.LogCaptureFixture
) -> None:
    world, proxy = proxied
    fake = world.fake
    caplog.set_level(logging.WARNING, logger="bot.store")
    async with world.bot() as bot:
        before, _ = await world.answered(RATE_LIMIT_PASTE + " (before)")
        assert bot.store.up

        await proxy.cut()
        during, _ = await world.answered(RATE_LIMIT_PASTE + " (during)")
        assert not bot.store.up
        assert any("kept in memory" in r.getMessage() for r in caplog.records)
        ok, body = health_report(bot)
        assert ok  # the bot still serves; the store check says what is wrong
        assert body["checks"]["store"] == {
            "ok": False,
            "status": "unreachable",
            "database": "postgresql",
        }
        assert "fwerror_store_up 0.0" in bot.metrics.render().decode()

        # Memory still keeps each promise: neither message is answered twice.
        await world.redeliver(during)
        await world.redeliver(before)
        await fake.expect_no_request("POST", MESSAGES)
        another = await fake.post_message(RATE_LIMIT_PASTE + " (still down)")
        await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(another))
        assert 'fwerror_store_fallbacks_total{kind="answer"}' in bot.metrics.render().decode()
