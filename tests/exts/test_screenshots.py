"""Screenshots posted in a help channel, end to end against the fake Discord (needs fwerror[ocr]).

The pictures are the committed fixtures (tests/corpus/screenshots/fixtures, drawn by
`python -m tools.screenshot_factory --fixtures`). The OCR really runs, in the bot's process
pool; nothing about reading is faked.
"""

from __future__ import annotations

import asyncio
import struct
import zlib
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio

from bot.answering import PICTURE_DELETED, PICTURE_NOT_DELETED
from bot.bot import FwerrorBot
from bot.knowledge.load import load_knowledge
from tests.exts.conftest import (
    CALLBACK,
    FOLLOWUP,
    MESSAGES,
    Harness,
    add_world,
    harness_settings,
    is_reply_to,
)
from tests.exts.test_leaked_keys import bot_permissions
from tests.fake_discord import FakeDiscord, redirected, running
from tests.fake_discord.payloads import EVERYONE_PERMISSIONS

pytestmark = [pytest.mark.ocr, pytest.mark.asyncio(loop_scope="module")]

FIXTURES = Path(__file__).resolve().parents[1] / "corpus" / "screenshots" / "fixtures"
FAKE_KEY = "fw_FAKETESTKEY7Qm2Lp9Rt4Xc"  # drawn in e2e-fake-key-terminal.png
READING = 180.0  # seconds: a loaded 2-core CI machine reads a picture in seconds, not minutes
MESSAGE = r"/channels/\d+/messages/\d+"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def harness() -> AsyncIterator[Harness]:
    """The usual harness, with screenshots read by one OCR worker."""
    async with FakeDiscord() as fake:
        general, queue, role = add_world(fake)
        with redirected(fake):
            settings = replace(harness_settings(fake, queue, role), screenshot_workers=1)
            bot = FwerrorBot(settings, load_knowledge(), guild_ready_timeout=0.1)
            assert bot.reader.screenshots is not None
            bot.reader.screenshots.deadline = READING
            async with running(bot, fake.token):
                yield Harness(fake, bot, general, queue, role, settings)


def screenshots(harness: Harness, result: str) -> float:
    value = harness.bot.metrics.registry.get_sample_value(
        "fwerror_screenshots_total", {"result": result}
    )
    return value or 0.0


async def until_counted(harness: Harness, result: str, before: float) -> None:
    async with asyncio.timeout(READING):
        while screenshots(harness, result) <= before:
            await asyncio.sleep(0.05)


async def post_picture(harness: Harness, name: str, content: str = "", **kind: str):
    fake = harness.fake
    data = (FIXTURES / name).read_bytes()
    picture = fake.attachment(name, data, content_type=kind.get("content_type", "image/png"))
    picture.update(width=1280, height=720)  # Discord decoded it: an image
    return await fake.post_message(content, attachments=[picture])


async def answer_to(harness: Harness, message) -> dict:
    reply = await harness.fake.wait_for_request(
        "POST", MESSAGES, predicate=is_reply_to(message), timeout=READING
    )
    return reply.json


@pytest.mark.parametrize(
    ("name", "footer", "read"),
    [
        ("e2e-429-dark-terminal.png", "429-rate-limit", "Error code: 429"),
        ("e2e-502-browser.png", "502-bad-gateway", "502 Bad Gateway"),
        ("e2e-tls-windows-console.png", "tls-certificate-failed", "CERTIFICATE_VERIFY_FAILED"),
    ],
)
async def test_a_screenshot_of_an_error_gets_its_answer(
    harness: Harness, name: str, footer: str, read: str
) -> None:
    message = await post_picture(harness, name)
    reply = await answer_to(harness, message)
    assert footer in reply["embeds"][0]["footer"]["text"]
    assert reply["content"].startswith("Read from your screenshot: `")
    assert read in reply["content"]


async def test_the_text_and_the_picture_are_read_together(harness: Harness) -> None:
    message = await post_picture(harness, "e2e-429-dark-terminal.png", "any idea? started today")
    reply = await answer_to(harness, message)
    assert "429-rate-limit" in reply["embeds"][0]["footer"]["text"]


async def test_a_chart_gets_nothing(harness: Harness) -> None:
    before = screenshots(harness, "read")
    await post_picture(harness, "e2e-chatter-chart.png")
    await until_counted(harness, "read", before)
    await harness.fake.expect_no_request("POST", MESSAGES, within=0.5)


async def test_a_key_in_a_screenshot_is_contained_never_echoed(harness: Harness) -> None:
    fake = harness.fake
    message = await post_picture(harness, "e2e-fake-key-terminal.png", "why 429??")
    delete = await fake.wait_for_request("DELETE", MESSAGE, timeout=READING)
    assert delete.path.endswith(f"/messages/{message['id']}")
    repost = await fake.wait_for_request("POST", MESSAGES)  # the text, without the picture
    assert "why 429??" in repost.json["content"]
    answer = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(repost.response))
    notice = answer.json["content"]
    assert "Your screenshot contained a secret" in notice and PICTURE_DELETED in notice
    assert "429" in answer.json["embeds"][0]["footer"]["text"]
    assert FAKE_KEY not in str([r.json for r in fake.requests])
    assert FAKE_KEY[:12] not in str([r.json for r in fake.requests])


async def test_without_manage_messages_a_key_in_a_screenshot_is_warned_of(
    harness: Harness,
) -> None:
    fake = harness.fake
    async with bot_permissions(harness, EVERYONE_PERMISSIONS):
        message = await post_picture(harness, "e2e-fake-key-terminal.png")
        reply = await answer_to(harness, message)
        await fake.expect_no_request("DELETE")
    assert PICTURE_NOT_DELETED in reply["content"]
    assert FAKE_KEY not in str([r.json for r in fake.requests])


async def test_the_key_is_contained_once_even_if_the_message_is_seen_twice(
    harness: Harness,
) -> None:
    fake = harness.fake
    message = await post_picture(harness, "e2e-fake-key-terminal.png")
    await fake.wait_for_request("DELETE", MESSAGE, timeout=READING)
    assert not await harness.bot.claims.containment(int(message["id"]))


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels: a decompression bomb's opening."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return b"\x89PNG\r\n\x1a\n" + ihdr + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bomb.png", png_claiming(60_000, 60_000)),
        ("screenshot.png", b"openai.RateLimitError: Error code: 429 " * 50),  # not an image
    ],
)
async def test_a_picture_that_is_not_one_is_refused_before_decoding(
    harness: Harness, name: str, data: bytes
) -> None:
    fake = harness.fake
    before = screenshots(harness, "refused")
    picture = fake.attachment(name, data, content_type="image/png")
    await fake.post_message("", attachments=[picture])
    await until_counted(harness, "refused", before)
    await fake.expect_no_request("POST", MESSAGES, within=0.5)


async def test_a_full_queue_drops_the_picture_with_a_metric(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    reader = harness.bot.reader.screenshots
    assert reader is not None
    before = screenshots(harness, "dropped")
    queue, reader.queue = reader.queue, 0
    try:
        await post_picture(harness, "e2e-429-dark-terminal.png")
        await until_counted(harness, "dropped", before)
    finally:
        reader.queue = queue
    await harness.fake.expect_no_request("POST", MESSAGES, within=0.5)
    assert "dropped one" in caplog.text


async def test_explain_error_on_a_message_with_a_screenshot(harness: Harness) -> None:
    fake = harness.fake
    data = (FIXTURES / "e2e-502-browser.png").read_bytes()
    picture = fake.attachment("page.png", data, content_type="image/png")
    target = await fake.post_message("", channel=harness.general, attachments=[picture])
    await fake.message_command("Explain error", target, channel=harness.general)
    reply = await answer_to(harness, target)
    assert "502-bad-gateway" in reply["embeds"][0]["footer"]["text"]
    assert reply["content"].startswith("Read from your screenshot: `")


async def test_fwerror_with_an_image_reads_it(harness: Harness) -> None:
    fake = harness.fake
    data = (FIXTURES / "e2e-429-dark-terminal.png").read_bytes()
    picture = fake.attachment("shot.png", data, content_type="image/png")
    await fake.slash_command("fwerror", {"image": picture}, channel=harness.general)
    answer = await fake.wait_for_request("POST", FOLLOWUP, timeout=READING)
    assert "429-rate-limit" in answer.json["embeds"][0]["footer"]["text"]
    assert "Read from your screenshot: `" in answer.json["content"]


async def test_fwerror_with_nothing_asks_for_something(harness: Harness) -> None:
    await harness.fake.slash_command("fwerror", {}, channel=harness.general)
    callback = await harness.fake.wait_for_request("POST", CALLBACK)
    assert "screenshot" in callback.json["data"]["content"]
