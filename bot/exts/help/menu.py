"""The "Explain error" message context menu: explain someone's message in public, on request.

The invoker asked for it, so this runs in explicit mode; but a message with no error in it at
all gets a private "nothing found" instead of a public reply nobody needs, unless it leaked a
secret (in its text or in any text attachment): then its author is warned in public, as the
help-channel listener does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import within_command_rate
from bot.respond import MENU, Outcome, Responded, respond

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

NO_ERROR = "I found no Fireworks API error in that message."
ALREADY_ANSWERED = "I already answered that message."
ANSWERED = "Answered in the channel:"
ONLY_WARNED = "No Fireworks API error in it, but it leaked a secret, so I warned its author:"
NOT_POSTED = "I couldn't post in that channel."


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
        # Attachments may need downloading: acknowledge first, privately.
        await interaction.response.defer(ephemeral=True, thinking=True)
        if message.id in self.bot.claims.answered:
            await interaction.followup.send(ALREADY_ANSWERED, ephemeral=True)
            return
        done = await respond(self.bot, message, MENU)
        await interaction.followup.send(_told(done), ephemeral=True)


def _told(done: Responded) -> str:
    """What the invoker hears, privately, of what was done."""
    if done.outcome is Outcome.QUIET:  # a screenshot it couldn't read well: ask for text
        return f"{NO_ERROR}\n{done.unsure}".strip()
    if done.outcome is Outcome.ALREADY:
        return ALREADY_ANSWERED
    if done.answer is None:
        return NOT_POSTED
    said = ANSWERED if done.outcome is Outcome.ANSWERED else ONLY_WARNED
    return f"{said} {done.answer.jump_url}"


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(ExplainMenu(bot))
