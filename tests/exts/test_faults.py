"""Faults on the way out: a gateway drop mid-reply, 5xx and 429 on the reply, broken downloads.

Each must end with the reply posted exactly once (or logged, never crashing), and the bot
still answering the next message.
"""

from __future__ import annotations

import discord
import pytest

from tests.exts.conftest import MESSAGES, RATE_LIMIT_PASTE, Harness, is_reply_to
from tests.fake_discord.gateway import Op
from tests.fake_discord.payloads import JSON
from tests.fake_discord.test_fake_discord import SleeplessAsyncio

pytestmark = pytest.mark.asyncio(loop_scope="module")

GATEWAY_ERROR_PASTE = "openai.APIStatusError: Error code: 502 - Bad Gateway"


def replies_to(harness: Harness, paste: JSON) -> list[JSON]:
    """The messages the bot created that reply to `paste`."""
    bot_id = harness.fake.bot_user["id"]
    return [
        message
        for message in harness.fake.world.messages.values()
        if message["author"]["id"] == bot_id
        and (message.get("message_reference") or {}).get("message_id") == paste["id"]
    ]


async def next_message_is_answered(harness: Harness) -> None:
    fake = harness.fake
    paste = await fake.post_message(GATEWAY_ERROR_PASTE, author=fake.world.owner)
    reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    assert reply.status == 200


async def test_gateway_drop_right_after_the_message_still_replies_once(harness: Harness) -> None:
    fake = harness.fake
    paste = await fake.post_message(RATE_LIMIT_PASTE)
    await fake.drop_connection()
    reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    await fake.wait_for_gateway(Op.RESUME, timeout=10)
    await fake.settle()
    assert reply.status == 200
    assert len(replies_to(harness, paste)) == 1
    await next_message_is_answered(harness)


async def test_message_sent_while_disconnected_is_replayed_and_answered_once(
    harness: Harness,
) -> None:
    fake = harness.fake
    await fake.drop_connection()
    paste = await fake.post_message(RATE_LIMIT_PASTE)  # kept by the session, replayed on RESUME
    await fake.wait_for_gateway(Op.RESUME, timeout=10)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    await fake.settle()
    assert len(replies_to(harness, paste)) == 1


@pytest.mark.parametrize("status", [500, 502, 429])
async def test_one_failed_reply_post_is_retried_and_posted_once(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    fake = harness.fake
    monkeypatch.setattr(discord.http, "asyncio", SleeplessAsyncio("asyncio"))
    fake.fail_next("POST", MESSAGES, status, retry_after=0.05 if status == 429 else None)
    paste = await fake.post_message(RATE_LIMIT_PASTE)
    failed = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    retried = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    await fake.settle(0.2)
    assert (failed.status, retried.status) == (status, 200)
    assert len(replies_to(harness, paste)) == 1
    await next_message_is_answered(harness)


async def test_reply_failing_with_502_every_time_is_logged_not_raised(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fake = harness.fake
    monkeypatch.setattr(discord.http, "asyncio", SleeplessAsyncio("asyncio"))
    fake.fail_next("POST", MESSAGES, 502, times=5)  # discord.py's five tries, all refused
    paste = await fake.post_message(RATE_LIMIT_PASTE)
    for _ in range(5):
        await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    await fake.expect_no_request("POST", MESSAGES)
    assert replies_to(harness, paste) == []
    assert any("could not answer" in r.getMessage() for r in caplog.records)
    await next_message_is_answered(harness)


@pytest.mark.parametrize("fault", ["500", "truncated"])
async def test_broken_attachment_download_still_explains_the_text(
    harness: Harness, fault: str
) -> None:
    fake = harness.fake
    data = b"INFO starting\n" * 200
    if fault == "500":
        log = fake.attachment("run.log", data)
        fake.fail_next("GET", r"/attachments/.+", 500)
    else:
        log = fake.attachment("run.log", data, truncate_to=100)
    paste = await fake.post_message(RATE_LIMIT_PASTE, attachments=[log])
    download = await fake.wait_for_request("GET", r"/attachments/.+")
    reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    assert download.status == (500 if fault == "500" else 200)
    assert "429" in reply.json["embeds"][0]["footer"]["text"]
