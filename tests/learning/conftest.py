"""End to end with a store: real bots against the fake Discord, each test with its own world
and database, so a test can restart a bot (or run two) on the same database."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace

import pytest

from bot.bot import FwerrorBot
from bot.knowledge.load import load_knowledge
from bot.settings import Settings
from tests.exts.conftest import add_world, harness_settings, is_reply_to
from tests.exts.test_paste_hosts import FakePasteHost
from tests.fake_discord import FakeDiscord, running
from tests.fake_discord.payloads import JSON

MESSAGES = r"/channels/\d+/messages"


@dataclass
class World:
    fake: FakeDiscord
    general: JSON
    queue: JSON
    support_role: JSON
    settings: Settings

    @contextlib.asynccontextmanager
    async def bot(self, **changes: object) -> AsyncIterator[FwerrorBot]:
        """A bot connected to the fake with this world's settings (and `changes`)."""
        bot = FwerrorBot(
            replace(self.settings, **changes), load_knowledge(), guild_ready_timeout=0.1
        )
        async with running(bot, self.fake.token):
            yield bot

    async def answered(self, content: str, **fields: object) -> tuple[JSON, JSON]:
        """Post a paste in the help channel; return it and the bot's reply (as created)."""
        paste = await self.fake.post_message(content, **fields)
        reply = await self.fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
        return paste, reply.response

    async def redeliver(self, message: JSON) -> None:
        """The gateway sends the same MESSAGE_CREATE again (a resume or a restart replays it)."""
        await self.fake.rest.announce("MESSAGE_CREATE", message)

    async def forget_requests(self) -> None:
        await self.fake.settle(0.05)
        for _ in self.fake.rest.requests.unclaimed(lambda _: True):
            await self.fake.wait_for_request(timeout=0.1)


@pytest.fixture
async def world(fake_discord: FakeDiscord, sqlite_url: str) -> World:
    general, queue, role = add_world(fake_discord)
    settings = replace(harness_settings(fake_discord, queue, role), database_url=sqlite_url)
    return World(fake_discord, general, queue, role, settings)


@pytest.fixture
async def paste_host() -> AsyncIterator[FakePasteHost]:
    host = FakePasteHost()
    await host.start()
    yield host
    assert host.runner is not None
    await host.runner.cleanup()
