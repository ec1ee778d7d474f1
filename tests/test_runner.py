"""Start-up and shutdown: the real `python -m bot`, and `serve` against the fake Discord."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

import pytest

from bot.bot import FwerrorBot
from bot.knowledge.load import load_knowledge
from bot.runner import CLOSED, serve
from bot.settings import Settings
from tests.fake_discord import FakeDiscord
from tests.fake_discord.gateway import Op
from tests.fake_discord.payloads import CallbackType, Intent

ROOT = Path(__file__).resolve().parent.parent
PASTE = (
    "openai.RateLimitError: Error code: 429 - {'error': {'message': "
    "'rate limit exceeded, please try again later'}}"
)


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    """A clean environment: no inherited FWERROR_*/DISCORD_* settings, no .env (cwd is empty)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FWERROR_", "DISCORD_"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update(values)
    return env


async def _python(args: list[str], env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    # asyncio's subprocess keeps the fake Discord (same event loop) serving meanwhile.
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_without_a_token_it_explains_how_to_set_one(tmp_path: Path) -> None:
    process = await _python(["-m", "bot"], _env(tmp_path), tmp_path)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    text = err.decode()
    assert process.returncode == 2
    assert "DISCORD_TOKEN is not set" in text
    assert "python -m bot explain" in text
    assert "Traceback" not in text + out.decode()


async def test_invalid_knowledge_stops_start_up_naming_file_and_line(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    env = _env(tmp_path, DISCORD_TOKEN="not-used", FWERROR_KNOWLEDGE_DIR=str(knowledge))
    process = await _python(["-m", "bot"], env, tmp_path)
    _, err = await asyncio.wait_for(process.communicate(), 60)
    text = err.decode()
    assert process.returncode == 2
    assert "broken.yaml:2:" in text
    assert "Traceback" not in text


async def test_sigterm_shuts_the_real_entry_point_down_cleanly(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake = fake_discord
    env = _env(
        tmp_path,
        FAKE_DISCORD_ORIGIN=fake.origin,
        DISCORD_TOKEN=fake.token,
        FWERROR_HELP_CHANNEL_IDS=fake.guild.text_channel["id"],
        FWERROR_GUILD_ID=fake.guild.id,
    )
    process = await _python(["-m", "tests.launch_against_fake"], env, tmp_path)
    try:
        await fake.wait_for_gateway(Op.IDENTIFY, timeout=30)
        paste = await fake.post_message(PASTE)
        reply = await fake.wait_for_request("POST", r"/channels/\d+/messages", timeout=15)
        assert str(reply.json["message_reference"]["message_id"]) == paste["id"]
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    text = err.decode()
    assert process.returncode == 0, text
    assert CLOSED in text
    assert "Traceback" not in text


def _settings(fake: FakeDiscord, **changes: object) -> Settings:
    values: dict[str, object] = {
        "token": fake.token,
        "help_channel_ids": frozenset({int(fake.guild.text_channel["id"])}),
        "guild_id": int(fake.guild.id),
    }
    values.update(changes)
    return Settings(**values)  # type: ignore[arg-type]


async def test_rejected_token_exits_2_with_a_message(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    settings = _settings(fake_discord, token="x" + fake_discord.token)
    code = await asyncio.wait_for(serve(settings, load_knowledge()), 20)
    assert code == 2
    assert any("Reset Token" in r.getMessage() for r in caplog.records)


async def test_refused_message_content_reconnects_without_it(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake = fake_discord
    fake.world.privileged_intents = Intent.GUILD_MEMBERS | Intent.GUILD_PRESENCES
    bots: list[FwerrorBot] = []
    stop = asyncio.Event()
    serving = asyncio.create_task(
        serve(_settings(fake), load_knowledge(), stop=stop, on_bot=bots.append)
    )
    try:
        first = await fake.wait_for_gateway(Op.IDENTIFY, timeout=10)
        second = await fake.wait_for_gateway(Op.IDENTIFY, timeout=10)
        await asyncio.wait_for(bots[-1].wait_until_ready(), 10)

        await fake.post_message(PASTE)
        await fake.expect_no_request("POST", r"/channels/\d+/messages")
        await fake.slash_command("fwerror", {"query": "429"})
        callback = await fake.wait_for_request("POST", r"/interactions/\d+/[^/]+/callback")
    finally:
        stop.set()
        code = await asyncio.wait_for(serving, 20)

    assert int(first.d["intents"]) & Intent.MESSAGE_CONTENT
    assert not int(second.d["intents"]) & Intent.MESSAGE_CONTENT
    assert [bot.listening for bot in bots] == [True, False]
    assert callback.json["type"] == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
    assert "429-rate-limit" in callback.json["data"]["embeds"][0]["footer"]["text"]
    assert any("MESSAGE CONTENT INTENT" in r.getMessage() for r in caplog.records)
    assert code == 0
    assert any(r.getMessage() == CLOSED for r in caplog.records)


async def test_stop_before_ready_still_closes_cleanly(
    fake_discord: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    stop = asyncio.Event()
    serving = asyncio.create_task(serve(_settings(fake_discord), load_knowledge(), stop=stop))
    await fake_discord.wait_for_gateway(Op.IDENTIFY, timeout=10)
    stop.set()
    assert await asyncio.wait_for(serving, 20) == 0
    assert any(r.getMessage() == CLOSED for r in caplog.records)
