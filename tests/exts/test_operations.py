"""Health, metrics and decision logs end to end: the real client, the fake Discord, real HTTP."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import replace

import aiohttp
import pytest
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families

from bot.bot import FwerrorBot
from bot.knowledge.load import load_knowledge
from bot.observability.health import health_report
from bot.observability.logs import log_handler
from tests.exts.conftest import (
    CALLBACK,
    CHATTER,
    MESSAGES,
    RATE_LIMIT_PASTE,
    SERVER_ERROR_PASTE,
    Harness,
    add_world,
    harness_settings,
    is_reply_to,
)
from tests.fake_discord import FakeDiscord, payloads, redirected, running

pytestmark = pytest.mark.asyncio(loop_scope="module")

KEY = "fw_" + "Qz7" * 9  # built at runtime: shaped like a Fireworks key, not one
# Words no log line may carry: they exist only in what the user pasted.
MARKER = "purple-walrus-4471"
LEAKY_PASTE = f"{MARKER} {RATE_LIMIT_PASTE}\nclient = OpenAI(api_key='{KEY}')"
Labels = dict[str, str]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def harness() -> AsyncIterator[Harness]:
    """This module's own bot, with health and metrics on a free port of 127.0.0.1."""
    async with FakeDiscord() as fake:
        general, queue, role = add_world(fake)
        with redirected(fake):
            settings = replace(harness_settings(fake, queue, role), metrics_port=0)
            bot = FwerrorBot(settings, load_knowledge(), guild_ready_timeout=0.1)
            async with running(bot, fake.token):
                yield Harness(fake, bot, general, queue, role, settings)


def endpoint(bot: FwerrorBot, path: str) -> str:
    server = bot.get_cog("Operations").server  # the extension's own module: no isinstance
    assert server is not None
    return f"http://127.0.0.1:{server.port}{path}"


async def get(bot: FwerrorBot, path: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(endpoint(bot, path)) as response:
        return response.status, response.headers["Content-Type"], await response.text()


async def scrape(bot: FwerrorBot) -> dict[tuple[str, frozenset], float]:
    status, _, text = await get(bot, "/metrics")
    assert status == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def until_moved(bot: FwerrorBot, before: dict, name: str, **labels: str) -> dict:
    """Scrape until the sample grew (the bot counts right after Discord accepted its reply)."""
    for _ in range(250):
        after = await scrape(bot)
        if value(after, name, **labels) > value(before, name, **labels):
            return after
        await asyncio.sleep(0.02)
    raise AssertionError(f"{name}{labels} did not move")


def entry_of(paste: str) -> Labels:
    from bot.core.explain import explain

    entry = explain(paste, load_knowledge(), "passive").decision.entry
    assert entry is not None
    return {"code": entry.code, "entry": entry.id}


@contextmanager
def captured_logs(level: int, log_format: str) -> Iterator[io.StringIO]:
    """Everything the root logger writes at `level` and above, as the bot's handler writes it."""
    stream = io.StringIO()
    handler = log_handler(log_format, stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(level)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


async def answered(harness: Harness, content: str, **fields) -> dict:
    """Post in the help channel and return the bot's reply request's message."""
    paste = await harness.fake.post_message(content, **fields)
    await harness.fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    return paste


# /healthz


async def test_healthz_is_ok_with_gateway_knowledge_and_no_store(harness: Harness) -> None:
    status, content_type, text = await get(harness.bot, "/healthz")
    body = json.loads(text)

    assert status == 200 and content_type.startswith("application/json")
    assert body["status"] == "ok"
    checks = body["checks"]
    assert checks["gateway"]["ok"] and checks["gateway"]["status"] == "connected"
    knowledge = harness.bot.knowledge
    assert checks["knowledge"] == {
        "ok": True,
        "status": "loaded",
        "version": knowledge.version,
        "entries": len(knowledge.entries),
        "loaded_at": knowledge.loaded_at.isoformat(),
    }
    assert checks["store"] == {"ok": True, "status": "not configured"}


async def test_healthz_is_503_until_the_gateway_is_ready() -> None:
    async with FakeDiscord() as fake:
        _, queue, role = add_world(fake)
        with redirected(fake):
            settings = replace(harness_settings(fake, queue, role), metrics_port=0)
            bot = FwerrorBot(settings, load_knowledge(), guild_ready_timeout=0.1)
            async with bot:
                await bot.login(fake.token)  # extensions load: the server is up, no gateway
                status, _, text = await get(bot, "/healthz")
                body = json.loads(text)
    assert status == 503
    assert body["status"] == "unhealthy"
    assert body["checks"]["gateway"] == {"ok": False, "status": "disconnected", "latency_ms": None}
    assert body["checks"]["knowledge"]["ok"]


async def test_a_taken_port_is_logged_and_the_bot_runs_without_the_endpoint(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        async with FakeDiscord() as fake:
            _, queue, role = add_world(fake)
            with redirected(fake):
                settings = replace(harness_settings(fake, queue, role), metrics_port=port)
                bot = FwerrorBot(settings, load_knowledge(), guild_ready_timeout=0.1)
                async with running(bot, fake.token):
                    assert bot.get_cog("Operations").server is None
                    assert bot.is_ready()
    [error] = [r for r in caplog.records if r.name == "bot.exts.admin.operations"]
    assert error.levelno == logging.ERROR and "FWERROR_METRICS_PORT" in error.getMessage()


IDLE_CLIENTS = 1_100
SLOW_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: fwerror\r\n"  # the headers never end


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def idle_clients(port: int, count: int) -> list[socket.socket]:
    """`count` connections to `port` that send nothing or half a request, then wait."""
    loop = asyncio.get_running_loop()

    async def one(n: int) -> socket.socket:
        sock = socket.socket()
        sock.setblocking(False)
        await loop.sock_connect(sock, ("127.0.0.1", port))
        if n % 10 == 0:
            await loop.sock_sendall(sock, SLOW_REQUEST)
        return sock

    clients: list[socket.socket] = []
    for start in range(0, count, 100):  # the listen backlog takes about a hundred at a time
        clients += await asyncio.gather(*(one(n) for n in range(start, min(start + 100, count))))
    return clients


async def closed_by_the_server(sock: socket.socket) -> bool:
    loop = asyncio.get_running_loop()
    try:
        return await loop.sock_recv(sock, 1024) == b""
    except ConnectionResetError:
        return True


async def test_idle_clients_on_the_metrics_port_neither_exhaust_files_nor_block_answers(
    harness: Harness,
) -> None:
    from bot.observability.health import CONNECTION_SECONDS, MAX_CONNECTIONS

    fake, bot = harness.fake, harness.bot
    port = bot.get_cog("Operations").server.port
    before = open_fds()
    clients = await idle_clients(port, IDLE_CLIENTS)
    try:
        await fake.settle(0.2)  # the server accepts what is queued
        held_by_the_server = open_fds() - before - len(clients)
        assert held_by_the_server <= MAX_CONNECTIONS + 10

        status, _, _ = await asyncio.wait_for(get(bot, "/healthz"), 5)
        assert status == 200
        author = payloads.user(fake.world.new_id(), "idle-port-member")
        await asyncio.wait_for(answered(harness, RATE_LIMIT_PASTE, author=author), 10)

        # Every idle or half-sent request is let go: evicted, or at its deadline.
        closed = await asyncio.wait_for(
            asyncio.gather(*(closed_by_the_server(sock) for sock in clients)),
            CONNECTION_SECONDS + 5,
        )
        assert all(closed)
    finally:
        for sock in clients:
            sock.close()


async def test_health_report_of_a_bot_that_never_connected() -> None:
    from bot.settings import Settings

    ok, body = health_report(FwerrorBot(Settings(), load_knowledge()))
    assert not ok and body["status"] == "unhealthy"
    assert set(body["checks"]) == {"gateway", "knowledge", "store"}


# /metrics


async def test_metrics_move_when_the_bot_answers(harness: Harness) -> None:
    bot = harness.bot
    before = await scrape(bot)
    await answered(harness, RATE_LIMIT_PASTE)
    labels = {"feature": "listener", "action": "answer", "outcome": "replied"}
    after = await until_moved(
        bot, before, "fwerror_decisions_total", **labels, **entry_of(RATE_LIMIT_PASTE)
    )

    replies = value(after, "fwerror_reply_seconds_count", feature="listener")
    assert replies == value(before, "fwerror_reply_seconds_count", feature="listener") + 1
    assert value(after, "fwerror_gateway_connected") == 1
    assert value(after, "fwerror_knowledge_info", version=bot.knowledge.version) == 1
    assert value(after, "fwerror_knowledge_entries") == len(bot.knowledge.entries)


async def test_metrics_count_an_escalation(harness: Harness) -> None:
    bot = harness.bot
    before = await scrape(bot)
    await answered(harness, SERVER_ERROR_PASTE)
    labels = entry_of(SERVER_ERROR_PASTE)
    after = await until_moved(bot, before, "fwerror_escalations_total", trigger="auto", **labels)

    decision = {"feature": "listener", "action": "escalate", "outcome": "replied", **labels}
    assert value(after, "fwerror_decisions_total", **decision) == (
        value(before, "fwerror_decisions_total", **decision) + 1
    )


async def test_metrics_count_a_contained_key(harness: Harness) -> None:
    bot = harness.bot
    before = await scrape(bot)
    await harness.fake.post_message(LEAKY_PASTE)
    await harness.fake.wait_for_request("POST", MESSAGES)  # the redacted re-post
    after = await until_moved(bot, before, "fwerror_leaked_secrets_total", kind="fireworks")
    assert value(after, "fwerror_leaked_secrets_total", kind="fireworks") == (
        value(before, "fwerror_leaked_secrets_total", kind="fireworks") + 1
    )


async def test_metrics_count_ignored_chatter_and_the_slash_command(harness: Harness) -> None:
    bot = harness.bot
    before = await scrape(bot)
    await harness.fake.post_message(CHATTER)
    ignored = {"feature": "listener", "action": "ignore", "outcome": "ignored"}
    after = await until_moved(
        bot, before, "fwerror_decisions_total", **ignored, code="none", entry="none"
    )
    await harness.fake.slash_command("fwerror", {"query": "429"})
    await harness.fake.wait_for_request("POST", CALLBACK)
    command = {"feature": "command", "action": "answer", "outcome": "replied"}
    after = await until_moved(bot, after, "fwerror_decisions_total", **command, **entry_of("429"))
    assert value(after, "fwerror_reply_seconds_count", feature="command") >= 1


async def test_metrics_count_cooldown_drops(harness: Harness) -> None:
    from bot.settings import Rate

    harness.reset_policy(replace(harness.settings, user_rate=Rate(1, 3600.0)))
    bot = harness.bot
    before = await scrape(bot)
    await answered(harness, RATE_LIMIT_PASTE)
    await harness.fake.post_message(SERVER_ERROR_PASTE)  # the same author, within the window
    await until_moved(bot, before, "fwerror_cooldown_drops_total", feature="listener")


async def test_metrics_count_refused_commands_and_reloads(harness: Harness) -> None:
    from bot.settings import Rate

    harness.reset_policy(replace(harness.settings, command_rate=Rate(1, 3600.0)))
    bot = harness.bot
    before = await scrape(bot)
    for _ in range(2):  # the second is over the rate
        await harness.fake.slash_command("fwerror", {"query": "429"})
        await harness.fake.wait_for_request("POST", CALLBACK)
    await until_moved(bot, before, "fwerror_cooldown_drops_total", feature="command")

    result = await bot.reload_knowledge("test")
    assert result.new is not None
    after = await scrape(bot)
    assert value(after, "fwerror_knowledge_reloads_total", result="ok") == (
        value(before, "fwerror_knowledge_reloads_total", result="ok") + 1
    )


async def test_metric_labels_never_hold_ids_or_text(harness: Harness) -> None:
    await answered(harness, RATE_LIMIT_PASTE)
    knowledge = harness.bot.knowledge
    allowed = {e.id for e in knowledge.entries} | {e.code for e in knowledge.entries} | {"none"}
    _, _, text = await get(harness.bot, "/metrics")
    for family in text_string_to_metric_families(text):
        if not family.name.startswith("fwerror_"):
            continue
        for sample in family.samples:
            for name in ("code", "entry"):
                assert sample.labels.get(name, "none") in allowed, sample
            for label in sample.labels.values():
                assert not label.isdigit() or label in allowed, sample  # no snowflakes
                assert MARKER not in label


async def test_metrics_are_prometheus_text(harness: Harness) -> None:
    status, content_type, text = await get(harness.bot, "/metrics")
    assert status == 200
    assert content_type.startswith("text/plain") and "version=" in content_type
    assert "# TYPE fwerror_reply_seconds histogram" in text
    assert "fwerror_event_loop_lag_seconds" in text
    assert "process_resident_memory_bytes" in text


async def test_each_bot_has_its_own_registry() -> None:
    from bot.settings import Settings

    one, two = (FwerrorBot(Settings(), load_knowledge()) for _ in range(2))
    assert one.metrics.registry is not two.metrics.registry


# Decision logs


async def test_one_info_line_per_decision_without_the_text(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.decisions")
    paste = await answered(harness, RATE_LIMIT_PASTE)

    def lines() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "bot.decisions"]

    for _ in range(250):
        if lines():
            break
        await asyncio.sleep(0.02)
    [record] = lines()
    guild = harness.fake.guild.id
    url = f"https://discord.com/channels/{guild}/{paste['channel_id']}/{paste['id']}"

    assert record.levelno == logging.INFO
    message = record.getMessage()
    for field in (
        "feature=listener",
        "mode=passive",
        "action=answer",
        "outcome=replied",
        "code=429",
        "entry=429-rate-limit",
        "confidence=0.",
        "ms=",
        f"url={url}",
    ):
        assert field in message, message
    assert "rate limit exceeded" not in message and "RateLimitError" not in message
    assert record.decision["url"] == url and isinstance(record.decision["ms"], int)


async def test_json_logs_are_one_object_per_line_with_the_decision(harness: Harness) -> None:
    with captured_logs(logging.INFO, "json") as stream:
        await answered(harness, RATE_LIMIT_PASTE)
        for _ in range(250):
            if '"bot.decisions"' in stream.getvalue():
                break
            await asyncio.sleep(0.02)
        logging.getLogger("bot.test").error("two\nlines", exc_info=ValueError("boom"))
    lines = stream.getvalue().splitlines()
    records = [json.loads(line) for line in lines]  # every line is one whole object

    [decision] = [r for r in records if r["logger"] == "bot.decisions"]
    assert decision["level"] == "INFO" and decision["message"].startswith("decision ")
    assert decision["decision"]["entry"] == "429-rate-limit"
    assert {"time", "level", "logger", "message"} <= set(decision)
    [error] = [r for r in records if r["logger"] == "bot.test"]
    assert error["message"] == "two\nlines" and "ValueError: boom" in error["exception"]


async def test_no_log_line_at_any_level_holds_a_key_or_the_paste(harness: Harness) -> None:
    fake = harness.fake
    with captured_logs(logging.DEBUG, "text") as text, captured_logs(logging.DEBUG, "json") as js:
        paste = await fake.post_message(LEAKY_PASTE)  # contained, re-posted, answered
        await fake.wait_for_request("POST", MESSAGES, predicate=lambda r: MARKER in str(r.json))
        await fake.slash_command("fwerror", {"query": LEAKY_PASTE})
        await fake.wait_for_request("POST", CALLBACK)
        target = await fake.post_message(f"{MARKER} {SERVER_ERROR_PASTE}", channel=harness.general)
        await fake.message_command("Explain error", target, channel=harness.general)
        await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(target))
        await fake.settle(0.2)
    output = text.getvalue() + js.getvalue()

    assert paste["id"] in output  # the control: the records about this paste were captured
    assert "t=MESSAGE_CREATE" in output and "t=INTERACTION_CREATE" in output
    assert "decision " in output and "level" in js.getvalue()
    assert KEY not in output
    assert MARKER not in output
    assert "rate limit exceeded" not in output
    assert fake.token not in output
