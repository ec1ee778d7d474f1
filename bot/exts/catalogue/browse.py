"""`/fwerror-list`: browse every entry, grouped by status, and open one from a select menu.

A command of its own, so `/fwerror 502` keeps working as typed. The list is private to whoever
asked; its page buttons and select menu are `bot.views.catalogue`. This feature also registers
the "More" button that short answers carry (`bot.views.answer`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import within_command_rate
from bot.views.answer import MoreButton
from bot.views.catalogue import EntryPicker, PageButton, page_message

if TYPE_CHECKING:
    from bot.bot import FwerrorBot


class Catalogue(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(MoreButton, PageButton, EntryPicker)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(MoreButton, PageButton, EntryPicker)

    @app_commands.command(name="fwerror-list", description="Browse every error fwerror knows")
    @app_commands.check(within_command_rate)
    async def fwerror_list(self, interaction: discord.Interaction) -> None:
        embed, view = page_message(self.bot.knowledge, 0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(Catalogue(bot))
