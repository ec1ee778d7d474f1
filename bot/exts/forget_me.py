"""`/fwerror-forget-me`: delete what the bot stored about the user who runs it.

That is their decisions (with the redacted excerpts of their pastes), their votes and the
escalations they reported. The once-only claims stay: they hold message ids, nothing personal.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.store.store import StoreUnavailable

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)

NOTHING_KEPT = "This bot keeps no store, so there is nothing about you to delete."
DOWN = "I couldn't reach my database, so nothing was deleted. Please try again in a few minutes."


class ForgetMe(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="fwerror-forget-me", description="Delete what fwerror stored about you"
    )
    async def forget_me(self, interaction: discord.Interaction) -> None:
        store = self.bot.store
        if not store.configured:
            await interaction.response.send_message(NOTHING_KEPT, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            gone = await store.forget_user(interaction.user.id)
        except StoreUnavailable:
            await interaction.followup.send(DOWN, ephemeral=True)
            return
        log.info("forget-me: deleted %d row(s) for a user", gone.total)
        await interaction.followup.send(
            f"Done: I deleted {gone.decisions} record(s) of your messages and queries, "
            f"{gone.feedback} vote(s) and {gone.escalations} escalation(s) you reported.",
            ephemeral=True,
        )


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(ForgetMe(bot))
