"""The "More" button on a short answer: the whole entry, shown only to whoever presses it.

Its state is the entry id in its custom_id (`-` for the unknown-error answer), so it works
after a restart and after a reload: it shows the entry as the knowledge has it now.
"""

from __future__ import annotations

import re

import discord

from bot.button_rate import allow_press
from bot.core.explain import entry_reply
from bot.core.render import render_embed

MORE_TEMPLATE = r"fwerror:more:(?P<entry_id>[a-z0-9-]{1,64})"
UNKNOWN = "-"
GONE = "That entry is no longer in my knowledge base. Try `/fwerror` with the error text."


class MoreButton(discord.ui.DynamicItem[discord.ui.Button], template=MORE_TEMPLATE):
    """ "More": the full cause, every fix step and the tips, privately."""

    def __init__(self, entry_id: str, label: str = "More") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary,
                custom_id=f"fwerror:more:{entry_id}",
            )
        )
        self.entry_id = entry_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button,
        match: re.Match[str],
        /,
    ) -> MoreButton:
        return cls(match["entry_id"])

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await allow_press(interaction)

    async def callback(self, interaction: discord.Interaction) -> None:
        knowledge = interaction.client.knowledge  # type: ignore[attr-defined]
        entry = None if self.entry_id == UNKNOWN else knowledge.by_id.get(self.entry_id)
        if entry is None and self.entry_id != UNKNOWN:
            await interaction.response.send_message(GONE, ephemeral=True)
            return
        embed = discord.Embed.from_dict(render_embed(entry_reply(entry, knowledge)))
        await interaction.response.send_message(embed=embed, ephemeral=True)
