"""Health and metrics for operators: `/healthz` and `/metrics` when FWERROR_METRICS_PORT is set.

The server runs in the bot's own event loop, starts with the extensions and stops when the bot
closes. A port that can't be bound is logged and leaves the bot running without the endpoint.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from discord.ext import commands

from bot.observability.health import HealthServer, probe_loop_lag

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)


class Operations(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot
        self.server: HealthServer | None = None
        self.lag_probe: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        settings = self.bot.settings
        if settings.metrics_port is None:
            return
        server = HealthServer(self.bot)
        try:
            await server.start(settings.metrics_host, settings.metrics_port)
        except OSError as error:
            log.error(
                "FWERROR_METRICS_PORT: can't serve health and metrics on %s:%s (%s); running "
                "without them",
                settings.metrics_host,
                settings.metrics_port,
                error,
            )
            return
        self.server = server
        self.lag_probe = asyncio.create_task(probe_loop_lag(self.bot), name="fwerror lag probe")

    async def cog_unload(self) -> None:
        if self.lag_probe is not None:
            self.lag_probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.lag_probe
        if self.server is not None:
            await self.server.stop()


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(Operations(bot))
