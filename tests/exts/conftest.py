"""One running FwerrorBot per test module, against a FakeDiscord, with state reset per test.

Starting a bot costs a login, a command sync and a gateway handshake, so each module shares
one (`harness`, module-scoped); `fresh` (autouse) wipes spam-control memory and claims every
request made so far, so each test waits only on its own traffic.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest_asyncio

from bot.bot import FwerrorBot
from bot.claims import Claims
from bot.cooldowns import RateLimiter
from bot.knowledge.load import load_knowledge
from bot.settings import Rate, Settings
from tests.fake_discord import FakeDiscord, Recorded, payloads, redirected, running
from tests.fake_discord.payloads import EVERYONE_PERMISSIONS, JSON, CallbackType

MESSAGES = r"/channels/\d+/messages"
CALLBACK = r"/interactions/\d+/[^/]+/callback"
FOLLOWUP = r"/webhooks/\d+/[^/]+"

RATE_LIMIT_PASTE = (
    "openai.RateLimitError: Error code: 429 - {'error': {'message': "
    "'rate limit exceeded, please try again later'}}"
)
SERVER_ERROR_PASTE = "openai.InternalServerError: Error code: 520 - error code: 520"
CHATTER = "thanks, that fixed it! have a nice weekend"


@dataclass
class Harness:
    fake: FakeDiscord
    bot: FwerrorBot
    general: JSON  # a channel that is not a help channel
    queue: JSON  # the moderators' escalation queue
    support_role: JSON
    settings: Settings  # as started; a test that changes the bot's settings gets these back

    def channel_path(self, channel: JSON) -> str:
        return rf"/channels/{channel['id']}/messages"

    async def forget_requests(self) -> None:
        """Claim every request so far, so the next wait sees only new ones."""
        await self.fake.settle(0.05)
        for _ in self.fake.rest.requests.unclaimed(lambda _: True):
            await self.fake.wait_for_request(timeout=0.1)

    def reset_policy(self, settings: Settings | None = None) -> None:
        """Fresh spam-control memory, as after a restart (with `settings` if given)."""
        bot = self.bot
        bot.settings = settings or bot.settings
        bot.command_cooldown = RateLimiter(bot.settings.command_rate)
        bot.button_cooldown = RateLimiter(bot.settings.button_rate)
        contained = bot.claims.contained  # kept, as before: a leak is dealt with once
        bot.claims = Claims(bot.settings, bot.store)
        bot.claims.contained = contained


def add_world(fake: FakeDiscord) -> tuple[JSON, JSON, JSON]:
    """A non-help channel, a queue channel and a support role, created before the bot connects."""
    world, guild_id = fake.world, fake.guild.id
    general = payloads.channel(world.new_id(), "general", guild_id=guild_id, position=2)
    queue = payloads.channel(world.new_id(), "escalations", guild_id=guild_id, position=3)
    for channel in (general, queue):
        world.channels[channel["id"]] = channel
    role = payloads.role(world.new_id(), "support", EVERYONE_PERMISSIONS, position=2)
    world.roles[guild_id].append(role)
    return general, queue, role


def harness_settings(fake: FakeDiscord, queue: JSON, role: JSON) -> Settings:
    generous = Rate(1000, 60.0)
    return Settings(
        token=fake.token,
        help_channel_ids=frozenset(
            {int(fake.guild.text_channel["id"]), int(fake.guild.forum_channel["id"])}
        ),
        support_role_id=int(role["id"]),
        escalation_channel_id=int(queue["id"]),
        guild_id=int(fake.guild.id),
        user_rate=generous,
        channel_rate=generous,
        command_rate=generous,
        button_rate=generous,
        screenshot_workers=0,  # tests/exts/test_screenshots.py reads pictures
    )


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def harness() -> AsyncIterator[Harness]:
    async with FakeDiscord() as fake:
        general, queue, role = add_world(fake)
        with redirected(fake):
            settings = harness_settings(fake, queue, role)
            bot = FwerrorBot(settings, load_knowledge(), guild_ready_timeout=0.1)
            async with running(bot, fake.token):
                yield Harness(fake, bot, general, queue, role, settings)


@pytest_asyncio.fixture(autouse=True, loop_scope="module")
async def fresh(harness: Harness) -> AsyncIterator[None]:
    harness.reset_policy(harness.settings)
    await harness.forget_requests()
    yield


def is_reply_to(message: JSON):
    def matches(recorded: Recorded) -> bool:
        reference = (recorded.json or {}).get("message_reference") or {}
        return str(reference.get("message_id")) == message["id"]

    return matches


async def told(fake: FakeDiscord) -> JSON:
    """What the bot told whoever pressed a button: an answer at once, or a deferral and then
    the followup that completes it (content and flags, as one message's data)."""
    callback = await fake.wait_for_request("POST", CALLBACK)
    data = callback.json.get("data") or {}
    if callback.json["type"] != CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
        return data
    followup = await fake.wait_for_request("POST", FOLLOWUP)
    return {**followup.json, "flags": data.get("flags", 0) | followup.json.get("flags", 0)}
