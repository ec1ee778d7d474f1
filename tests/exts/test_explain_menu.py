"""The "Explain error" context menu end to end."""

from __future__ import annotations

import pytest

from bot.exts.help.menu import ALREADY_ANSWERED, NO_ERROR
from tests.exts.conftest import (
    CALLBACK,
    FOLLOWUP,
    MESSAGES,
    RATE_LIMIT_PASTE,
    Harness,
    is_reply_to,
)
from tests.fake_discord.payloads import CallbackType, MessageFlag

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def _target(harness: Harness, content: str, **fields) -> dict:
    """A message in a non-help channel, so only the menu can make the bot answer it."""
    message = await harness.fake.post_message(content, channel=harness.general, **fields)
    await harness.fake.expect_no_request()
    return message


async def test_error_is_answered_in_public_and_invoker_told_privately(harness: Harness) -> None:
    fake = harness.fake
    target = await _target(harness, RATE_LIMIT_PASTE, author=fake.world.owner)
    await fake.message_command("Explain error", target, channel=harness.general)
    deferral = await fake.wait_for_request("POST", CALLBACK)
    reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(target))
    ack = await fake.wait_for_request("POST", FOLLOWUP)

    assert deferral.json["type"] == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert deferral.json["data"]["flags"] == MessageFlag.EPHEMERAL
    assert reply.path == harness.channel_path(harness.general)
    assert reply.json["allowed_mentions"] == {
        "parse": [],
        "users": [int(fake.world.owner["id"])],  # the target's author, not the invoker
        "replied_user": True,
    }
    assert "429-rate-limit" in reply.json["embeds"][0]["footer"]["text"]
    assert ack.json["content"].startswith("Answered in the channel")
    assert ack.response["flags"] & MessageFlag.EPHEMERAL


async def test_message_without_an_error_is_only_told_to_the_invoker(harness: Harness) -> None:
    fake = harness.fake
    target = await _target(harness, "does anyone know a good pizza place near the office?")
    await fake.message_command("Explain error", target, channel=harness.general)
    await fake.wait_for_request("POST", CALLBACK)
    ack = await fake.wait_for_request("POST", FOLLOWUP)

    assert ack.json["content"] == NO_ERROR
    assert ack.response["flags"] & MessageFlag.EPHEMERAL
    await fake.expect_no_request("POST", MESSAGES)


async def test_text_attachment_of_the_target_is_read(harness: Harness) -> None:
    fake = harness.fake
    log = fake.attachment("run.txt", RATE_LIMIT_PASTE.encode(), channel=harness.general)
    target = await _target(harness, "my job died", attachments=[log])
    await fake.message_command("Explain error", target, channel=harness.general)
    reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(target))
    assert "429-rate-limit" in reply.json["embeds"][0]["footer"]["text"]


async def test_a_message_is_answered_once(harness: Harness) -> None:
    fake = harness.fake
    target = await _target(harness, RATE_LIMIT_PASTE)
    await fake.message_command("Explain error", target, channel=harness.general)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(target))
    await fake.wait_for_request("POST", FOLLOWUP)
    await fake.message_command(
        "Explain error", target, channel=harness.general, user=fake.world.owner
    )
    second = await fake.wait_for_request("POST", FOLLOWUP)
    assert second.json["content"] == ALREADY_ANSWERED
    await fake.expect_no_request("POST", MESSAGES)
