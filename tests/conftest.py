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
