"""Two workers on one PostgreSQL database, as during a rolling deploy: a burst of 100 pastes is
answered exactly once each. The second bot runs in its own thread and event loop, so the only
thing the two share is the database (and the fake Discord, which sends every event to both)."""

from __future__ import annotations

import asyncio
import threading
from dataclasses import replace

from bot.bot import FwerrorBot
from bot.core.load import load_knowledge
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
