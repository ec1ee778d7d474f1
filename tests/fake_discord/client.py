"""Running a real discord.py client against a FakeDiscord."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator

import discord
import yarl

from tests.fake_discord.server import FakeDiscord


@contextlib.contextmanager
def redirected(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's REST base and gateway at `fake` (for scripts; tests use the fixture)."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


@contextlib.asynccontextmanager
async def running(
    client: discord.Client, token: str, *, timeout: float = 10.0
) -> AsyncIterator[discord.Client]:
    """Log `client` in, connect it, yield once `on_ready` fired, and close it afterwards.

    If the connection fails first (a 4014 close raises discord.PrivilegedIntentsRequired),
    that error is raised here instead of hanging until the timeout. Build clients with a small
    `guild_ready_timeout` (e.g. 0.1): discord.py otherwise waits 2 s after the last GUILD_CREATE.
    """
    connection: asyncio.Task[None] | None = None
    try:
        # login() runs setup_hook, so a tree.sync() there hits the fake before the gateway.
        await client.login(token)
        connection = asyncio.create_task(client.connect(), name="discord.py connect")
        ready = asyncio.create_task(client.wait_until_ready(), name="discord.py ready")
        done, _ = await asyncio.wait(
            {connection, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if connection in done:
                connection.result()
                raise RuntimeError("the client disconnected before it became ready")
            raise TimeoutError(f"the client was not ready after {timeout}s")
        yield client
    finally:
        await client.close()
        if connection is not None and not connection.done():
            await connection
