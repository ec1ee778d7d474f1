"""A worker alone on its database posts an answer at once and reads its claim's word after
(see `bot.store.presence`); when another worker had claimed the message, the answer is that
worker's to record, and Discord kept one reply of the two (their nonce is the message's)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.store.presence import CLOCK_MARGIN
from bot.store.store import Store
from tests.exts.conftest import RATE_LIMIT_PASTE, is_reply_to
from tests.learning.conftest import MESSAGES, World
from tests.learning.db_proxy import Proxy
from tests.learning.test_two_workers import replied

DELAY = 0.15  # each statement's way to the database, once the test slows it


@pytest.fixture
async def slowed(world: World, postgres_url: str) -> AsyncIterator[tuple[World, Proxy, Store]]:
    """The world's bot reaches PostgreSQL through a proxy; the test reaches it directly."""
    host_port, _, database = postgres_url.split("@", 1)[1].partition("/")
    host, _, port = host_port.partition(":")
    proxy = Proxy(host, int(port))
    local = await proxy.start()
    world.settings = replace(
        world.settings, database_url=f"postgresql://postgres@127.0.0.1:{local}/{database}"
    )
    direct = Store(postgres_url)
    await direct.open()
    yield world, proxy, direct
    await direct.close()
    with contextlib.suppress(AssertionError):
        await proxy.cut()


async def test_an_answer_goes_out_before_a_slow_databases_word(
    slowed: tuple[World, Proxy, Store],
) -> None:
    world, proxy, direct = slowed
    async with world.bot() as bot:
        await asyncio.sleep(CLOCK_MARGIN)  # what is posted from now on can only be this bot's
        bot.store.claim_timeout = 10 * DELAY  # a first statement on a connection is prepared
        proxy.delay = DELAY
        paste = await world.fake.post_message(RATE_LIMIT_PASTE + " (a slow database)")
        reply = await world.fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
        # Posted while the claim was on its way: the database hasn't seen it yet.
        arrived_before = await _claimed(direct, int(paste["id"]))
        await world.fake.settle(12 * DELAY)
        arrived_after = await _claimed(direct, int(paste["id"]))
        mine = replied(bot)
        up = bot.store.up

    assert not arrived_before and arrived_after  # the word came, for other workers and restarts
    assert reply.json["nonce"] == f"a{paste['id']}" and reply.json["enforce_nonce"] is True
    assert mine == 1 and up


async def test_an_answer_whose_claim_another_worker_won_is_theirs_to_record(
    slowed: tuple[World, Proxy, Store],
) -> None:
    world, proxy, direct = slowed
    async with world.bot() as bot:
        await asyncio.sleep(CLOCK_MARGIN)
        bot.store.claim_timeout = 10 * DELAY
        proxy.delay = DELAY
        paste = await world.fake.post_message(RATE_LIMIT_PASTE + " (two workers)")
        # Another worker's claim, at full speed, lands before this bot's.
        assert await direct.claim("answer", int(paste["id"]))
        await world.fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
        await world.fake.settle(12 * DELAY)
        mine = replied(bot)
        up = bot.store.up

    assert mine == 0 and up  # posted (Discord keeps one of the two), but not counted here


async def _claimed(store: Store, message_id: int) -> bool:
    """Whether the answer's claim for `message_id` is in the database (taken back at once)."""
    if await store.claim("answer", message_id):
        await store.release("answer", message_id)
        return False
    return True
