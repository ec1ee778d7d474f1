"""Operations settings at start-up: bad values exit 2, and the real entry point serves health."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.settings import Settings, SettingsError, load_settings
from tests.fake_discord import FakeDiscord
from tests.fake_discord.gateway import Op
from tests.test_runner import PASTE, _env, _python


def test_defaults_are_text_logs_and_no_endpoint() -> None:
    settings = load_settings({}, dotenv=None)
    assert (settings.log_format, settings.metrics_port, settings.metrics_host) == (
        "text",
        None,
        "127.0.0.1",
    )


def test_operations_settings_are_read() -> None:
    env = {
        "FWERROR_LOG_FORMAT": " JSON ",
        "FWERROR_METRICS_PORT": "9108",
        "FWERROR_METRICS_HOST": "0.0.0.0",
    }
    settings = load_settings(env, dotenv=None)
    assert settings == Settings(
        log_format="json",
        metrics_port=9108,
        metrics_host="0.0.0.0",
        database_url="sqlite:///fwerror.db",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FWERROR_LOG_FORMAT", "xml"),
        ("FWERROR_METRICS_PORT", "http"),
        ("FWERROR_METRICS_PORT", "0"),
        ("FWERROR_METRICS_PORT", "65536"),
        ("FWERROR_METRICS_PORT", "-1"),
        ("FWERROR_METRICS_HOST", "127.0.0.1/8"),
    ],
)
def test_a_malformed_setting_is_named(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        load_settings({name: value}, dotenv=None)


@pytest.mark.parametrize(
    ("name", "value"), [("FWERROR_LOG_FORMAT", "xml"), ("FWERROR_METRICS_PORT", "nine")]
)
async def test_a_bad_setting_stops_start_up_with_exit_2(
    tmp_path: Path, name: str, value: str
) -> None:
    env = _env(tmp_path, DISCORD_TOKEN="not-used", **{name: value})
    process = await _python(["-m", "bot"], env, tmp_path)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    text = out.decode() + err.decode()
    assert process.returncode == 2
    assert name in text and value in text
    assert "Traceback" not in text


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_the_entry_point_serves_health_logs_json_and_holds_the_lock(
    fake_discord: FakeDiscord, tmp_path: Path
) -> None:
    fake, port = fake_discord, free_port()
    env = _env(
        tmp_path,
        FAKE_DISCORD_ORIGIN=fake.origin,
        DISCORD_TOKEN=fake.token,
        FWERROR_HELP_CHANNEL_IDS=fake.guild.text_channel["id"],
        FWERROR_GUILD_ID=fake.guild.id,
        FWERROR_LOG_FORMAT="json",
        FWERROR_METRICS_PORT=str(port),
        TMPDIR=str(tmp_path),  # where the worker lock goes
    )
    process = await _python(["-m", "tests.launch_against_fake"], env, tmp_path)
    try:
        await fake.wait_for_gateway(Op.IDENTIFY, timeout=30)
        await fake.post_message(PASTE)
        await fake.wait_for_request("POST", r"/channels/\d+/messages", timeout=15)
        async with aiohttp.ClientSession() as session:
            for _ in range(500):  # READY reaches the bot a moment after IDENTIFY
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        break
                await asyncio.sleep(0.02)
            assert response.status == 200
        health = await _python(["-m", "bot", "health"], env, tmp_path)
        health_out, _ = await asyncio.wait_for(health.communicate(), 60)
        without_port = {k: v for k, v in env.items() if k != "FWERROR_METRICS_PORT"}
        lock = await _python(["-m", "bot", "health"], without_port, tmp_path)
        lock_out, _ = await asyncio.wait_for(lock.communicate(), 60)
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    assert health.returncode == 0 and json.loads(health_out)["status"] == "ok"
    assert lock.returncode == 0 and b"worker lock" in lock_out
    records = [json.loads(line) for line in err.decode().splitlines()]  # JSON, every line
    assert any(r["logger"] == "bot.decisions" for r in records)
    assert any(r["logger"].startswith("discord.") for r in records)
    assert not any("PyNaCl" in r["message"] or "davey" in r["message"] for r in records)


async def test_health_without_a_running_bot_fails(tmp_path: Path) -> None:
    env = _env(tmp_path, DISCORD_TOKEN="nobody-runs-this", TMPDIR=str(tmp_path))
    lock = await _python(["-m", "bot", "health"], env, tmp_path)
    out, _ = await asyncio.wait_for(lock.communicate(), 60)
    assert lock.returncode == 1 and b"unhealthy" in out
    env["FWERROR_METRICS_PORT"] = str(free_port())
    probe = await _python(["-m", "bot", "health"], env, tmp_path)
    out, _ = await asyncio.wait_for(probe.communicate(), 60)
    assert probe.returncode == 1 and b"did not answer" in out
