"""The "Explain error" message context menu: explain someone's message in public, on request.

The invoker asked for it, so this runs in explicit mode; but a message with no error in it at
all gets a private "nothing found" instead of a public reply nobody needs.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import within_command_rate
from bot.core.explain import explain
from bot.core.render import render_embed
from bot.exts.escalation import EVENT, answer_view, case_for, holds_no_error

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)

NO_ERROR = "I found no Fireworks API error in that message."
ALREADY_ANSWERED = "I already answered that message."


class ExplainMenu(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot
        # Context menus can't be methods decorated inside a class, so the cog builds its own.
        self.menu = app_commands.ContextMenu(name="Explain error", callback=self.explain_message)
        self.menu.add_check(within_command_rate)
        bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def explain_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        knowledge = self.bot.knowledge
        # Attachments may need downloading: acknowledge first, privately.
        await interaction.response.defer(ephemeral=True, thinking=True)
        if message.id in self.bot.answered:
            await interaction.followup.send(ALREADY_ANSWERED, ephemeral=True)
            return
        result = explain(await self.bot.read_message(message), knowledge, "explicit")
        if result.reply is None or holds_no_error(result):
            await interaction.followup.send(NO_ERROR, ephemeral=True)
            return
        self.bot.answered.add(message.id)
        try:
            answer = await message.reply(
                embed=discord.Embed.from_dict(render_embed(result.reply)),
                view=answer_view(message.channel.id, message.id),
                allowed_mentions=self.bot.reply_mentions(message.author),
            )
        except discord.HTTPException as error:
            log.error("explain menu: could not reply to %s: %s", message.id, error)
            await interaction.followup.send("I couldn't post in that channel.", ephemeral=True)
            return
        await interaction.followup.send(
            f"Answered in the channel: {answer.jump_url}", ephemeral=True
        )
        if result.decision.escalate:
            self.bot.dispatch(
                EVENT,
                case_for(
                    result,
                    channel=message.channel,
                    anchor=message,
                    reporter=message.author,
                    jump_url=message.jump_url,
                    key=message.id,
                ),
            )


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(ExplainMenu(bot))
