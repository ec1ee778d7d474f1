"""The bot's policy methods, on stand-ins locked to the shape of real discord.py objects."""

from __future__ import annotations

import logging
from dataclasses import replace
from unittest import mock

import discord
import pytest

from bot.bot import FwerrorBot, bot_intents
from bot.knowledge.load import load_knowledge
from bot.prepared_message import digest
from bot.settings import Rate, Settings

HELP, OTHER = 100, 200


def settings(**changes: object) -> Settings:
    base = Settings(
        token="unused",
        help_channel_ids=frozenset({HELP}),
        user_rate=Rate(2, 30.0),
        channel_rate=Rate(3, 60.0),
        command_rate=Rate(1, 60.0),
    )
    return replace(base, **changes)


@pytest.fixture(scope="module")
def knowledge():
    return load_knowledge()


@pytest.fixture
def bot(knowledge) -> FwerrorBot:
    return FwerrorBot(settings(), knowledge)


def channel(channel_id: int, parent_id: int | None = None) -> mock.NonCallableMock:
    if parent_id is None:
        stand_in = mock.NonCallableMock(spec_set=discord.TextChannel)
    else:
        stand_in = mock.NonCallableMock(spec_set=discord.Thread)
        stand_in.parent_id = parent_id
    stand_in.id = channel_id
    return stand_in


def message(
    message_id: int = 1,
    *,
    author_id: int = 7,
    bot: bool = False,
    webhook_id: int | None = None,
    type: discord.MessageType = discord.MessageType.default,
    where: mock.NonCallableMock | None = None,
) -> mock.NonCallableMock:
    author = mock.NonCallableMock(spec_set=discord.Member)
    author.id, author.bot = author_id, bot
    stand_in = mock.NonCallableMock(spec_set=discord.Message)
    stand_in.id = message_id
    stand_in.author = author
    stand_in.webhook_id = webhook_id
    stand_in.type = type
    stand_in.channel = where or channel(HELP)
    return stand_in


def test_intents_global_mentions_and_no_help_command(bot: FwerrorBot) -> None:
    assert bot.intents == bot_intents(True)
    assert bot.intents.guilds and bot.intents.guild_messages and bot.intents.message_content
    assert not bot.intents.members and not bot.intents.presences
    assert bot.allowed_mentions is not None
    assert bot.allowed_mentions.to_dict() == {"parse": []}
    assert bot.help_command is None


def test_without_message_content_or_help_channels_the_listener_is_off(knowledge) -> None:
    assert FwerrorBot(settings(), knowledge).listening
    assert not FwerrorBot(settings(), knowledge, message_content=False).listening
    assert not FwerrorBot(settings(help_channel_ids=frozenset()), knowledge).listening


@pytest.mark.parametrize(
    ("changes", "accepted"),
    [
        ({}, True),
        ({"type": discord.MessageType.reply}, True),
        ({"bot": True}, False),
        ({"webhook_id": 5}, False),
        ({"type": discord.MessageType.thread_created}, False),
        ({"type": discord.MessageType.pins_add}, False),
        ({"type": discord.MessageType.chat_input_command}, False),
    ],
)
def test_accepts_only_ordinary_human_messages(
    bot: FwerrorBot, changes: dict, accepted: bool
) -> None:
    assert bot.accepts(message(**changes)) is accepted


def test_help_channels_include_their_threads_and_forum_posts(bot: FwerrorBot) -> None:
    assert bot.is_help_channel(channel(HELP))
    assert bot.is_help_channel(channel(300, parent_id=HELP))
    assert not bot.is_help_channel(channel(OTHER))
    assert not bot.is_help_channel(channel(301, parent_id=OTHER))


async def test_wants_to_read_checks_channel_answered_and_cooldowns(bot: FwerrorBot) -> None:
    assert bot.wants_to_read(message(1))
    assert not bot.wants_to_read(message(1, where=channel(OTHER)))
    assert await bot.claims.answer(message(1), digest(["Error code: 429"]))
    assert not bot.wants_to_read(message(1))  # answered already
    assert await bot.claims.answer(message(2), digest(["Error code: 502"]))
    assert not bot.wants_to_read(message(3))  # the author used their 2 per 30 s
    assert bot.wants_to_read(message(4, author_id=8))


async def test_the_same_paste_is_answered_once_per_author(bot: FwerrorBot) -> None:
    assert await bot.claims.answer(message(1), digest(["Error code: 429\n  rate limited"]))
    assert not await bot.claims.answer(message(1), digest(["anything"]))  # same message
    assert not await bot.claims.answer(
        message(2), digest(["Error code: 429 rate limited"])
    )  # same text again
    assert await bot.claims.answer(
        message(3, author_id=8), digest(["Error code: 429 rate limited"])
    )


async def test_channel_cooldown_spans_authors(bot: FwerrorBot) -> None:
    claims = [
        await bot.claims.answer(message(i, author_id=i), digest([f"paste {i}"]))
        for i in range(1, 5)
    ]
    assert claims == [True, True, True, False]
    elsewhere = message(9, author_id=9, where=channel(300, parent_id=HELP))
    assert await bot.claims.answer(elsewhere, digest(["paste 9"]))


def test_command_rate_is_per_user(bot: FwerrorBot) -> None:
    assert bot.command_retry_after(7) == 0.0
    assert bot.command_retry_after(7) > 0.0
    assert bot.command_retry_after(8) == 0.0


async def test_escalation_is_claimed_once_unless_released(bot: FwerrorBot) -> None:
    assert await bot.claims.escalation(1)
    assert not await bot.claims.escalation(1)
    bot.claims.release_escalation(1)
    assert await bot.claims.escalation(1)


def test_replies_ping_only_the_author_and_escalations_only_the_role(bot: FwerrorBot) -> None:
    author = discord.Object(42)
    assert bot.reply_mentions(author).to_dict() == {
        "parse": [],
        "users": [42],
        "replied_user": True,
    }
    assert bot.escalation_mentions(77).to_dict() == {"parse": [], "roles": [77]}


def test_swapping_knowledge_is_one_assignment(bot: FwerrorBot, knowledge) -> None:
    newer = replace(knowledge, version="next")
    assert bot.swap_knowledge(newer) is knowledge
    assert bot.knowledge is newer


async def test_setup_hook_loads_every_feature_and_warns_once_per_missing_setting(
    knowledge, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = FwerrorBot(settings(), knowledge)
    synced: list[object] = []

    async def sync(*, guild: object = None) -> list[object]:
        synced.append(guild)
        return []

    monkeypatch.setattr(bot.tree, "sync", sync)
    caplog.set_level(logging.WARNING, logger="bot.bot")
    try:
        await bot.setup_hook()
        cogs = set(bot.cogs)
        commands = {
            c.to_dict(bot.tree)["name"]: c.to_dict(bot.tree)["type"]
            for c in bot.tree.get_commands(type=None)
        }
    finally:
        await bot.close()

    assert cogs == {
        "Admin",
        "Catalogue",
        "Escalation",
        "EscalationQueue",
        "ExplainMenu",
        "Feedback",
        "ForgetMe",
        "FwerrorCommand",
        "HelpListener",
        "Incidents",
        "Operations",
    }
    assert commands == {
        "fwerror": 1,
        "fwerror-admin": 1,
        "fwerror-forget-me": 1,
        "fwerror-list": 1,
        "Explain error": 3,
    }
    assert not bot.tree.get_commands(type=discord.AppCommandType.message)  # unloaded on close
    warnings = [r.getMessage() for r in caplog.records]
    assert warnings == settings().disabled_features()
    assert synced == [None]  # no guild id: a global sync


PASTE = "fireworks geeft een fout bij elke call"


async def test_setup_hook_warms_the_knowledge_before_the_first_message(
    screens_built: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the matcher compiles on first use is built at start-up, off the loop, not on the
    first message (about 40 ms on the loop, once per knowledge)."""
    from bot.core.matcher import diagnose

    bot = FwerrorBot(settings(), load_knowledge())  # fresh: nothing compiled for it yet

    async def sync(*, guild: object = None) -> list[object]:
        return []

    monkeypatch.setattr(bot.tree, "sync", sync)
    try:
        await bot.setup_hook()
        warmed = len(screens_built)
        diagnose(PASTE, bot.knowledge, "passive")
    finally:
        await bot.close()
    assert warmed > 0 and len(screens_built) == warmed


async def test_a_reloaded_knowledge_is_warm_when_it_is_swapped_in(
    knowledge, screens_built: list[int]
) -> None:
    from bot.core.matcher import diagnose

    bot = FwerrorBot(settings(), knowledge)
    try:
        result = await bot.reload_knowledge("test")
        assert result.new is not None and bot.knowledge is result.new
        warmed = len(screens_built)
        diagnose(PASTE, bot.knowledge, "passive")
    finally:
        await bot.close()
    assert warmed > 0 and len(screens_built) == warmed
