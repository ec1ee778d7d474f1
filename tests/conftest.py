"""Shared fixtures."""

from collections.abc import AsyncIterator

import discord
import pytest
import yarl

from tests.fake_discord import FakeDiscord


@pytest.fixture
async def fake_discord(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    """A running FakeDiscord with discord.py pointed at it for this test only."""
    async with FakeDiscord() as fake:
        monkeypatch.setattr(discord.http.Route, "BASE", fake.api_url)
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.gateway_url)
        )
        yield fake


pytest_plugins = ["tests.store.fixtures", "tests.fake_status_page"]


@pytest.fixture
def screens_built(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many regex screens are compiled while the test runs."""
    from bot.core import linear_re

    built: list[int] = []
    compile_screen = linear_re.Screen.__init__

    def counting(self: linear_re.Screen, regexes: list[linear_re.Regex]) -> None:
        built.append(len(regexes))
        compile_screen(self, regexes)

    monkeypatch.setattr(linear_re.Screen, "__init__", counting)
    return built
