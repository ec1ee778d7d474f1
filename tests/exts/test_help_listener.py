"""The passive listener, end to end: a real discord.py client against the fake Discord."""

from __future__ import annotations

import asyncio
import types
from dataclasses import replace

import discord
import pytest
from aiohttp import web

from bot.settings import Rate
from tests.exts.conftest import (
    CHATTER,
    MESSAGES,
    RATE_LIMIT_PASTE,
    Harness,
    is_reply_to,
)
from tests.fake_discord.gateway import Op
from tests.fake_discord.payloads import MessageType, timestamp

pytestmark = pytest.mark.asyncio(loop_scope="module")


def footer(request) -> str:
    return request.json["embeds"][0]["footer"]["text"]


async def test_pasted_traceback_in_help_channel_is_answered(harness: Harness) -> None:
    fake = harness.fake
    paste = await fake.post_message(f"Traceback (most recent call last):\n{RATE_LIMIT_PASTE}")
    reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))

    assert reply.status == 200
    body = reply.json
    assert str(body["message_reference"]["message_id"]) == paste["id"]
    assert body["allowed_mentions"] == {
        "parse": [],
        "users": [int(fake.user["id"])],
        "replied_user": True,
    }
    assert "429" in footer(reply)
    [row] = body["components"]
    button, helped, unhelpful, more = row["components"]
    assert more["custom_id"] == "fwerror:more:429-rate-limit"
    assert button["custom_id"] == f"fwerror:human:{paste['channel_id']}:{paste['id']}"
    assert button["label"] == "Talk to a human"
    assert (helped["label"], unhelpful["label"]) == ("Helped", "Didn't help")
    assert helped["custom_id"] == f"fwerror:vote:y:{paste['channel_id']}:{paste['id']}"


async def test_chatter_in_help_channel_sends_nothing(harness: Harness) -> None:
    await harness.fake.post_message(CHATTER)
    await harness.fake.expect_no_request()


async def test_message_in_another_channel_is_ignored(harness: Harness) -> None:
    await harness.fake.post_message(RATE_LIMIT_PASTE, channel=harness.general)
    await harness.fake.expect_no_request()


@pytest.mark.parametrize("kind", ["bot", "webhook", "system"])
async def test_bots_webhooks_and_system_messages_are_ignored(harness: Harness, kind: str) -> None:
    fake = harness.fake
    if kind == "bot":
        helper = fake.world.users.setdefault(
            "1", {**fake.bot_user, "id": "1", "username": "otherbot"}
        )
        await fake.post_message(RATE_LIMIT_PASTE, author=helper)
    elif kind == "webhook":
        await fake.post_message(RATE_LIMIT_PASTE, webhook_id="42")
    else:
        await fake.post_message(RATE_LIMIT_PASTE, type=int(MessageType.THREAD_CREATED))
    await fake.expect_no_request()


@pytest.mark.parametrize("where", ["thread", "forum_post"])
async def test_thread_or_forum_post_under_a_help_channel_counts(
    harness: Harness, where: str
) -> None:
    fake = harness.fake
    channel = getattr(fake.guild, where)
    paste = await fake.post_message(RATE_LIMIT_PASTE, channel=channel)
    reply = await fake.wait_for_request(
        "POST", harness.channel_path(channel), predicate=is_reply_to(paste)
    )
    assert reply.status == 200


async def test_a_message_is_answered_once_even_if_reposted_or_edited(harness: Harness) -> None:
    fake = harness.fake
    first = await fake.post_message(RATE_LIMIT_PASTE)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(first))
    await fake.post_message(RATE_LIMIT_PASTE)  # the same paste again
    edited = {**first, "content": RATE_LIMIT_PASTE + "\n(edited)", "edited_timestamp": timestamp()}
    await fake.dispatch("MESSAGE_UPDATE", {**edited, "guild_id": fake.guild.id})
    await fake.expect_no_request()


async def test_paste_with_everyone_pings_nobody(harness: Harness) -> None:
    fake = harness.fake
    paste = await fake.post_message(
        "@everyone help!! <@&123> openai.InternalServerError: Error code: 500 - "
        "{'error': 'internal error @here'}"
    )
    replies = [
        await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste)),
    ]
    await fake.settle(0.2)
    sent = replies + [
        r for r in fake.requests if r.method == "POST" and r.json and r.path.endswith("/messages")
    ]
    for request in sent:
        mentions = request.json.get("allowed_mentions", {})
        assert mentions.get("parse") == []
        assert "@everyone" not in str(request.json) and "@here" not in str(request.json)
        assert "<@&123>" not in str(request.json)
    created = fake.world.messages[replies[0].response["id"]]
    assert created["mention_everyone"] is False and created["mention_roles"] == []


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("error.log", None), ("trace.py", None), ("stderr", "text/plain; charset=utf-8")],
)
async def test_text_attachment_is_read(
    harness: Harness, filename: str, content_type: str | None
) -> None:
    fake = harness.fake
    data = f"INFO start\n{RATE_LIMIT_PASTE}\n\xff\n".encode("latin-1")  # not valid UTF-8
    log = fake.attachment(filename, data, content_type=content_type)
    paste = await fake.post_message("see the log", attachments=[log])
    download = await fake.wait_for_request("GET", r"/attachments/.+")
    reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    assert download.status == 200
    assert "429" in footer(reply)


def repeated_paste(size: int) -> bytes:
    data = (RATE_LIMIT_PASTE + "\n").encode() * (size // (len(RATE_LIMIT_PASTE) + 1) + 1)
    return data[:size]


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("screenshot.png", "image/png"), ("core", "application/octet-stream")],
)
async def test_text_under_another_name_is_searched_but_not_explained(
    harness: Harness, filename: str, content_type: str
) -> None:
    """Its bytes are text, so it is read (a key in it would be contained), but it is no log."""
    fake = harness.fake
    blob = fake.attachment(filename, repeated_paste(2_000), content_type=content_type)
    await fake.post_message("here is what I got", attachments=[blob])
    await fake.wait_for_request("GET", r"/attachments/.+")
    await fake.expect_no_request("POST")


async def test_oversized_files_and_decoded_images_are_not_downloaded(harness: Harness) -> None:
    fake = harness.fake
    huge = fake.attachment("huge.log", repeated_paste(1024 * 1024 + 1), content_type="text/plain")
    image = fake.attachment("plot.png", repeated_paste(2_000), content_type="image/png")
    image.update(width=640, height=480)  # Discord decoded it: an image, not text
    await fake.post_message("here is what I got", attachments=[huge, image])
    await fake.expect_no_request()


async def test_attachment_lying_about_its_size_is_cut_off(harness: Harness) -> None:
    fake = harness.fake
    blob = fake.attachment("error.log", b"x" * (2 * 1024 * 1024) + RATE_LIMIT_PASTE.encode())
    blob["size"] = 100  # the declared size says small; the body is 2 MiB
    await fake.post_message("log attached", attachments=[blob])
    download = await fake.wait_for_request("GET", r"/attachments/.+")
    await fake.expect_no_request("POST")
    assert download.status == 200


async def test_truncated_download_is_skipped_and_the_bot_carries_on(harness: Harness) -> None:
    fake = harness.fake
    blob = fake.attachment("error.log", RATE_LIMIT_PASTE.encode() * 50, truncate_to=40)
    await fake.post_message("log attached", attachments=[blob])
    await fake.wait_for_request("GET", r"/attachments/.+")
    await fake.expect_no_request("POST")
    paste = await fake.post_message(RATE_LIMIT_PASTE)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))


async def test_user_cooldown_limits_passive_answers(harness: Harness) -> None:
    fake = harness.fake
    harness.reset_policy(replace(harness.settings, user_rate=Rate(1, 60.0)))
    first = await fake.post_message(RATE_LIMIT_PASTE)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(first))
    await fake.post_message("openai.APIStatusError: Error code: 502 - Bad Gateway")
    await fake.expect_no_request()
    other = await fake.post_message(RATE_LIMIT_PASTE, author=fake.world.owner)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(other))


async def test_gateway_drop_and_resume_then_still_answers(harness: Harness) -> None:
    fake = harness.fake
    await fake.drop_connection()
    await fake.wait_for_gateway(Op.RESUME, timeout=10)
    paste = await fake.post_message(RATE_LIMIT_PASTE)
    reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    assert reply.status == 200


async def test_rate_limited_reply_is_retried(harness: Harness) -> None:
    fake = harness.fake
    fake.fail_next("POST", MESSAGES, 429, retry_after=0.05)
    paste = await fake.post_message(RATE_LIMIT_PASTE)
    limited = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    retried = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    assert (limited.status, retried.status) == (429, 200)


class _SleeplessAsyncio(types.ModuleType):
    """asyncio as discord.http sees it, with its 1-9 s back-off between 5xx retries cut short."""

    def __getattr__(self, name: str) -> object:
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(delay: float, result: object = None) -> object:
        return await asyncio.sleep(min(delay, 0.01), result)


async def test_server_error_on_reply_is_logged_and_next_message_answered(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fake = harness.fake
    monkeypatch.setattr(discord.http, "asyncio", _SleeplessAsyncio("asyncio"))
    fake.fail_next("POST", MESSAGES, 500, times=5)  # discord.py tries 5 times, then raises
    paste = await fake.post_message(RATE_LIMIT_PASTE)
    attempts = [
        await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
        for _ in range(5)
    ]
    assert [a.status for a in attempts] == [500] * 5
    await fake.settle(0.1)
    assert any("could not answer" in r.getMessage() for r in caplog.records)
    other = await fake.post_message(RATE_LIMIT_PASTE, author=fake.world.owner)
    reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(other))
    assert reply.status == 200


class HeldDownloads:
    """An attachment host on 127.0.0.1 that holds every download until released."""

    def __init__(self) -> None:
        self.requests = 0
        self.release = asyncio.Event()
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def serve(self, request: web.Request) -> web.Response:
        self.requests += 1
        await self.release.wait()
        return web.Response(text="INFO still starting\n", content_type="text/plain")

    async def __aenter__(self) -> HeldDownloads:
        app = web.Application()
        app.router.add_get("/{name}", self.serve)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.release.set()
        if self._runner is not None:
            await self._runner.cleanup()


async def test_a_flood_from_one_user_neither_gets_answers_nor_delays_others(
    harness: Harness,
) -> None:
    fake = harness.fake
    settings = replace(harness.settings, user_rate=Rate(1, 60.0), channel_rate=Rate(20, 60.0))
    harness.reset_policy(settings)
    async with HeldDownloads() as host:
        flood = []
        for n in range(20):
            log = fake.attachment(f"run{n}.log", b"")
            log["url"] = log["proxy_url"] = f"{host.url}/run{n}.log"
            paste = f"{RATE_LIMIT_PASTE}\nattempt {n}"
            flood.append(await fake.post_message(paste, attachments=[log]))
        async with asyncio.timeout(5):
            while not host.requests:  # the flood's first download has started, and is held
                await asyncio.sleep(0.01)
        other = await fake.post_message(RATE_LIMIT_PASTE, author=fake.world.owner)
        reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(other))
        # Answered while the flood's first download is still held; the rest wait their turn.
        assert reply.status == 200 and host.requests == 1
        host.release.set()
        await fake.settle()
    posts = [r for r in fake.requests if r.method == "POST" and isinstance(r.json, dict)]
    answered = [r for r in posts if any(is_reply_to(m)(r) for m in flood)]
    assert len(answered) == settings.user_rate.count  # the first; the flood got no more
    # Each was still read, one at a time, and searched for secrets: the cooldown holds back
    # answers, never containment.
    assert host.requests == len(flood)


async def test_an_edit_that_adds_an_error_is_not_answered(harness: Harness) -> None:
    fake = harness.fake
    chatter = await fake.post_message(CHATTER)
    await fake.expect_no_request()
    edited = {**chatter, "content": RATE_LIMIT_PASTE, "edited_timestamp": timestamp()}
    await fake.dispatch("MESSAGE_UPDATE", {**edited, "guild_id": fake.guild.id})
    await fake.expect_no_request()
