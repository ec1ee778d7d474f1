"""Paste links end to end: a message linking a paste on a loopback fake paste host."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import web

from bot.sources.pastes import PasteReader
from tests.exts.conftest import CALLBACK, FOLLOWUP, MESSAGES, RATE_LIMIT_PASTE, Harness, is_reply_to
from tests.exts.test_leaked_keys import is_repost

pytestmark = pytest.mark.asyncio(loop_scope="module")

KEY = "fw_" + "Pq4" * 8  # built at runtime: shaped like a Fireworks key, not one
OPENAI_KEY = "sk-proj-" + "FAKE0test" * 3
PASTES = {
    "RateLim1": RATE_LIMIT_PASTE,
    "KeyLeak1": f"export FIREWORKS_API_KEY={KEY}\n{RATE_LIMIT_PASTE}",
    "Html0001": "<html>not raw</html>",
}


class FakePasteHost:
    """Pastebin and GitHub's gist host, as far as the bot reads them, on 127.0.0.1."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.runner: web.AppRunner | None = None
        self.base = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self.serve)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"

    async def serve(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        self.paths.append(path)
        name = path.rsplit("/", 1)[-1]
        if name == "Html0001":
            return web.Response(text=PASTES[name], content_type="text/html")
        if name == "Huge0001":
            return web.Response(body=b"x" * (1024 * 1024 + 10), content_type="text/plain")
        if name == "Slow0001":
            await asyncio.sleep(2)
            return web.Response(text=RATE_LIMIT_PASTE, content_type="text/plain")
        if name == "Away0001":
            raise web.HTTPFound("https://evil.example/raw/RateLim1")
        if name == "Hop00001":
            raise web.HTTPFound("/raw/RateLim1")
        if name in PASTES:
            return web.Response(text=PASTES[name], content_type="text/plain")
        if path.endswith("/raw") and "/alice/" in path:  # a gist's raw text
            return web.Response(text=RATE_LIMIT_PASTE, content_type="text/plain")
        return web.Response(status=404, text="Not Found")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def paste_host(harness: Harness) -> AsyncIterator[FakePasteHost]:
    host = FakePasteHost()
    await host.start()
    before = harness.bot.reader.pastes
    harness.bot.reader.pastes = PasteReader(
        bases={
            "pastebin.com": host.base,
            "gist.githubusercontent.com": host.base,
            "raw.githubusercontent.com": host.base,
        },
        allow_private=True,  # the fake host is on loopback; production never allows it
        timeout=0.5,
    )
    yield host
    await harness.bot.reader.pastes.close()
    harness.bot.reader.pastes = before
    assert host.runner is not None
    await host.runner.cleanup()


async def _answer_to(harness: Harness, content: str, **fields):
    paste = await harness.fake.post_message(content, **fields)
    return paste, await harness.fake.wait_for_request(
        "POST", MESSAGES, predicate=is_reply_to(paste)
    )


@pytest.mark.parametrize(
    ("link", "path"),
    [
        ("https://pastebin.com/RateLim1", "/raw/RateLim1"),
        ("https://gist.github.com/alice/0123456789abcdef", "/alice/0123456789abcdef/raw"),
        ("<https://pastebin.com/Hop00001>", "/raw/RateLim1"),  # a redirect on the same host
    ],
)
async def test_a_linked_paste_is_read_and_answered(
    harness: Harness, paste_host: FakePasteHost, link: str, path: str
) -> None:
    _, reply = await _answer_to(harness, f"my batch job dies, full log here: {link}")
    assert "429-rate-limit" in reply.json["embeds"][0]["footer"]["text"]
    assert path in paste_host.paths


async def test_a_key_in_a_linked_paste_gets_the_warning_and_the_message_stays(
    harness: Harness, paste_host: FakePasteHost
) -> None:
    fake = harness.fake
    paste, reply = await _answer_to(harness, "log: https://pastebin.com/KeyLeak1")
    content = reply.json["content"]
    assert content.startswith("⚠️ The paste you linked contained a secret (`fw_")
    assert "can't delete a paste on another site: revoke the key first" in content
    assert "429-rate-limit" in reply.json["embeds"][0]["footer"]["text"]
    await fake.expect_no_request("DELETE", rf"/channels/\d+/messages/{paste['id']}")
    assert all(KEY not in str(r.json) for r in fake.requests)


@pytest.mark.parametrize(
    ("name", "logged"),
    [
        ("Gone0001", "answered 404"),
        ("Html0001", "text/html is not raw text"),
        ("Huge0001", "over 1048576 bytes"),
        ("Slow0001", "not read within 0.5s"),
        ("Away0001", "redirects off the list (https://evil.example/raw/RateLim1)"),
    ],
)
async def test_unreadable_pastes_are_skipped_with_a_log_line(
    harness: Harness,
    paste_host: FakePasteHost,
    caplog: pytest.LogCaptureFixture,
    name: str,
    logged: str,
) -> None:
    fake = harness.fake
    caplog.set_level(logging.INFO, logger="bot.sources.pastes")
    await fake.post_message(f"here's my log https://pastebin.com/{name}")
    await fake.expect_no_request("POST", MESSAGES, within=1.0)
    assert any(logged in record.getMessage() for record in caplog.records)
    # The control: in the same run, a readable paste from someone else is answered.
    await _answer_to(harness, "and mine: https://pastebin.com/RateLim1", author=fake.world.owner)


async def test_a_link_off_the_list_is_never_fetched(
    harness: Harness, paste_host: FakePasteHost
) -> None:
    fake = harness.fake
    before = len(paste_host.paths)
    await fake.post_message(f"log at {paste_host.base}/raw/RateLim1 and https://example.com/x")
    await fake.expect_no_request("POST", MESSAGES, within=0.5)
    assert len(paste_host.paths) == before
    await _answer_to(harness, "log: https://pastebin.com/RateLim1", author=fake.world.owner)


async def test_explain_error_reads_a_linked_paste(
    harness: Harness, paste_host: FakePasteHost
) -> None:
    fake = harness.fake
    target = await fake.post_message("see https://pastebin.com/RateLim1", channel=harness.general)
    await fake.message_command("Explain error", target)
    await fake.wait_for_request("POST", CALLBACK)
    answer = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(target))
    await fake.wait_for_request("POST", FOLLOWUP)
    assert "429-rate-limit" in answer.json["embeds"][0]["footer"]["text"]


@pytest.mark.parametrize(
    ("link", "secret"),
    [
        (f"https://pastebin.com/raw/{KEY}", KEY),
        (f"https://pastebin.com/{KEY}", KEY),
        (f"https://gist.github.com/alice/0123456789abcdef/raw/{OPENAI_KEY}", OPENAI_KEY),
        (f"https://github.com/alice/tools/blob/main/{KEY}.txt", KEY),
        (f"https://github.com/alice/tools/blob/main/run.sh?key={OPENAI_KEY}", OPENAI_KEY),
    ],
)
async def test_a_key_typed_into_a_paste_link_never_reaches_the_paste_site(
    harness: Harness, paste_host: FakePasteHost, link: str, secret: str
) -> None:
    fake = harness.fake
    paste = await fake.post_message(f"my log is at {link}\n{RATE_LIMIT_PASTE}")
    await fake.wait_for_request("DELETE", rf"/channels/\d+/messages/{paste['id']}")
    repost = await fake.wait_for_request("POST", MESSAGES, predicate=is_repost)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(repost.response))
    body = secret.split("_", 1)[-1][-12:]
    assert not any(body in path for path in paste_host.paths)
    assert all(body not in str(r.json) for r in fake.requests)
