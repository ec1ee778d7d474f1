"""Two workers on one PostgreSQL database, as during a rolling deploy: a burst of 100 pastes is
answered exactly once each. The second bot runs in its own thread and event loop, so the only
thing the two share is the database (and the fake Discord, which sends every event to both)."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import replace

from sqlalchemy import select

from bot.bot import FwerrorBot
from bot.knowledge.load import load_knowledge
from bot.store import schema
from bot.store.store import Store
from tests.exts.conftest import RATE_LIMIT_PASTE
from tests.fake_discord import running
from tests.learning.conftest import MESSAGES, World

PASTES = 100


def replied(bot: FwerrorBot) -> int:
    """How many replies this bot sent, from its own metrics."""
    [family] = bot.metrics.decisions.collect()
    return int(
        sum(
            s.value
            for s in family.samples
            if s.name.endswith("_total") and s.labels["outcome"] == "replied"
        )
    )


class Worker(threading.Thread):
    """A bot in a thread with its own event loop, until `stop()`."""

    def __init__(self, world: World) -> None:
        super().__init__(name="second worker", daemon=True)
        self.world = world
        self.ready = threading.Event()
        self.done = threading.Event()
        self.error: BaseException | None = None
        self.replied = 0
        self.metrics = ""

    def run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as error:  # reported by the test
            self.error = error
            self.ready.set()

    async def _serve(self) -> None:
        bot = FwerrorBot(self.world.settings, load_knowledge(), guild_ready_timeout=0.1)
        async with running(bot, self.world.fake.token):
            self.ready.set()
            while not self.done.is_set():
                await asyncio.sleep(0.05)
            self.replied = replied(bot)
            self.metrics = bot.metrics.render().decode()


async def test_two_workers_on_one_database_answer_a_burst_exactly_once(
    world: World, postgres_url: str
) -> None:
    fake = world.fake
    world.settings = replace(world.settings, database_url=postgres_url)
    second = Worker(world)
    second.start()
    try:
        assert await asyncio.to_thread(second.ready.wait, 20) and second.error is None
        async with world.bot() as first:
            pastes = [
                await fake.post_message(f"{RATE_LIMIT_PASTE}\nworker {n} of the batch job")
                for n in range(PASTES)
            ]
            replies = [await fake.wait_for_request("POST", MESSAGES, timeout=20) for _ in pastes]
            await fake.expect_no_request("POST", MESSAGES, within=1.0)
            mine = replied(first)
    finally:
        second.done.set()
        await asyncio.to_thread(second.join, 20)
    assert second.error is None

    answered = sorted(str(r.json["message_reference"]["message_id"]) for r in replies)
    assert answered == sorted(p["id"] for p in pastes)  # each paste once, none twice
    assert mine + second.replied == PASTES  # and each bot counted only its own replies


async def stored_excerpt(url: str, message_id: int, timeout: float = 5.0) -> str | None:
    """The excerpt stored for a message's decision, once the writer has written it."""
    store = Store(url)
    await store.open()
    d = schema.decisions.c
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            async with store.engine.connect() as conn:
                found = await conn.execute(select(d.excerpt).where(d.message_id == message_id))
                excerpt = found.scalar()
            if excerpt is not None:
                return excerpt
            await asyncio.sleep(0.1)
        return None
    finally:
        await store.close()


async def test_a_nul_in_a_message_keeps_two_workers_answering_once(
    world: World, postgres_url: str
) -> None:
    """PostgreSQL refuses NUL in text: the decision row used to fail its batch for ever, mark
    the store down each time, and two workers then answered every later message twice."""
    fake = world.fake
    world.settings = replace(world.settings, database_url=postgres_url)
    second = Worker(world)
    second.start()
    try:
        assert await asyncio.to_thread(second.ready.wait, 20) and second.error is None
        async with world.bot() as first:
            nul = await fake.post_message(f"{RATE_LIMIT_PASTE}\nfrom a C string: a\x00b")
            await fake.wait_for_request("POST", MESSAGES, timeout=20)
            excerpt = await stored_excerpt(postgres_url, int(nul["id"]))
            assert excerpt is not None, "the decision with a NUL never reached the database"
            assert "\x00" not in excerpt and "a\ufffdb" in excerpt
            pastes = [
                await fake.post_message(f"{RATE_LIMIT_PASTE}\nafter the NUL, job {n}")
                for n in range(20)
            ]
            replies = [await fake.wait_for_request("POST", MESSAGES, timeout=20) for _ in pastes]
            await fake.expect_no_request("POST", MESSAGES, within=1.0)
            metrics = first.metrics.render().decode()
            up = first.store.up
    finally:
        second.done.set()
        await asyncio.to_thread(second.join, 20)
    assert second.error is None

    answered = sorted(str(r.json["message_reference"]["message_id"]) for r in replies)
    assert answered == sorted(p["id"] for p in pastes)  # each paste once, none twice
    assert up
    for shown in (metrics, second.metrics):
        assert "fwerror_store_up 1.0" in shown
        assert "fwerror_store_fallbacks_total{" not in shown  # no claim was decided in memory
        assert "fwerror_store_dropped_rows_total 0.0" in shown
