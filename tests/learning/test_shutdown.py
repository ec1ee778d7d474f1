"""Closing the bot while it is answering: the answer in flight is posted, not cut off with
"Session is closed", and one that outlasts the bound is cancelled with one log line. The slow
answers are real ones: reading a paste that a loopback paste host takes 2 s to serve, or
escalating once the store, slowed by another worker's lock on PostgreSQL, has had its say."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.bot import FwerrorBot
from bot.sources.pastes import PasteReader
from tests.exts.conftest import MESSAGES, SERVER_ERROR_PASTE, is_reply_to
from tests.exts.test_paste_hosts import FakePasteHost
from tests.learning.conftest import World
from tests.learning.test_incidents import wave_lock_held

SLOW_PASTE = "my batch job dies, full log here: https://pastebin.com/Slow0001"  # served in 2 s


async def answering_slowly(world: World, bot: FwerrorBot, host: FakePasteHost) -> dict:
    """Post a message whose answer waits on the slow paste; return it once the bot is reading."""
    await bot.reader.close()  # the reader's own paste client, replaced by one for the fake host
    bot.reader.pastes = PasteReader(
        bases={"pastebin.com": host.base}, allow_private=True, timeout=5.0
    )
    paste = await world.fake.post_message(SLOW_PASTE)
    for _ in range(250):
        if host.paths:
            return paste
        await asyncio.sleep(0.02)
    raise AssertionError("the bot never asked for the paste")


def troubles(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Log records a clean shutdown has none of: errors, tracebacks, a closed session."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR
        or record.exc_info
        or "Session is closed" in record.getMessage()
    ]


async def test_closing_waits_for_the_answer_being_written(
    world: World, paste_host: FakePasteHost, caplog: pytest.LogCaptureFixture
) -> None:
    async with world.bot() as bot:
        paste = await answering_slowly(world, bot, paste_host)
    # Closed: the answer that was reading its paste then was posted first.
    reply = await world.fake.wait_for_request(
        "POST", MESSAGES, predicate=is_reply_to(paste), timeout=1.0
    )
    assert "429-rate-limit" in reply.json["embeds"][0]["footer"]["text"]
    assert troubles(caplog) == []
    assert "cancelled" not in caplog.text


async def test_an_answer_that_outlasts_the_bound_is_cancelled_with_one_line(
    world: World, paste_host: FakePasteHost, caplog: pytest.LogCaptureFixture
) -> None:
    async with world.bot() as bot:
        bot.in_flight.seconds = 0.3  # the paste takes 2 s
        await answering_slowly(world, bot, paste_host)
        closing = asyncio.create_task(bot.close())
        await asyncio.sleep(0.05)
        # Closing: a new message is not read any more.
        await world.fake.post_message(SLOW_PASTE.replace("my batch", "our batch"))
        await closing
    await world.fake.expect_no_request("POST", MESSAGES, within=2.5)
    assert paste_host.paths == ["/raw/Slow0001"]  # the second message was never read
    [line] = [r for r in caplog.records if r.name == "bot.in_flight"]
    assert line.levelno == logging.WARNING and not line.exc_info
    assert line.getMessage() == (
        "closing: cancelled 1 handler(s) still running after 0.3 s: discord.py: on_message"
    )
    assert troubles(caplog) == []


async def test_an_escalation_due_after_the_answer_is_sent_before_closing(
    world: World, postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A 520 is answered at once and escalated once the store has counted it (at most a second
    later): closing in between still escalates it (before, its post met a closed session)."""
    queue = rf"/channels/{world.queue['id']}/messages"
    async with world.bot(database_url=postgres_url) as bot:
        async with wave_lock_held(postgres_url, "520-unknown-error"):
            await world.answered(SERVER_ERROR_PASTE)
            closing = asyncio.create_task(bot.close())
            await asyncio.sleep(0.3)
            assert not closing.done()  # waiting for the escalation
        await closing  # the other worker let go: the store's late word lands meanwhile
    escalation = await world.fake.wait_for_request("POST", queue, timeout=1.0)
    assert escalation.json["embeds"][0]["title"].startswith("Needs a human:")
    assert troubles(caplog) == []
    assert "cancelled" not in caplog.text
