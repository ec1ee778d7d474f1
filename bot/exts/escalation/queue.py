"""The moderators' queue gets state: each escalation post can be claimed and resolved.

Only members with the support role, the moderator role or Manage Server may press the
buttons; the post then shows who claimed or resolved it. Each queue post is also kept in the
store (redacted), so `report` can list escalations still open after a day.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.records import stored_text
from bot.views.queue import QUEUE_PRESSED, QUEUED, QueueButton, queue_view

if TYPE_CHECKING:
    from bot.bot import FwerrorBot
    from bot.cases import Case

log = logging.getLogger(__name__)

STATE_FIELD = "Status"
RESOLVED_COLOUR = 0x57F287
CLAIMED_COLOUR = 0xFEE75C
NOT_ALLOWED = "Only the support or moderator roles can claim or resolve escalations."


def with_state(embed: discord.Embed, action: str, user: discord.abc.User) -> discord.Embed:
    """The post's embed with its Status field saying who claimed or resolved it."""
    embed = embed.copy()
    previous = next((f.value for f in embed.fields if f.name == STATE_FIELD), "")
    claimed = previous.split("\n")[0] if previous.startswith("Claimed") else ""
    if action == "claim":
        status, embed.colour = f"Claimed by {user.mention}", discord.Colour(CLAIMED_COLOUR)
    else:
        status = "\n".join(filter(None, [claimed, f"Resolved by {user.mention}"]))
        embed.colour = discord.Colour(RESOLVED_COLOUR)
    index = next((i for i, f in enumerate(embed.fields) if f.name == STATE_FIELD), None)
    if index is None:
        embed.add_field(name=STATE_FIELD, value=status, inline=False)
    else:
        embed.set_field_at(index, name=STATE_FIELD, value=status, inline=False)
    return embed


class EscalationQueue(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(QueueButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(QueueButton)

    @commands.Cog.listener(f"on_{QUEUED}")
    async def on_queued(self, case: Case, post: discord.Message) -> None:
        entry = case.entry
        await self.bot.store.add_escalation(
            {
                "key": case.key,
                "matched": stored_text(case.matched)[:300],
                "code": entry.code if entry else None,
                "entry": entry.id if entry else None,
                "excerpt": stored_text(case.excerpt),
                "jump_url": case.jump_url[:200],
                "reporter_id": case.reporter.id,
                "author_id": case.author_id,
                "queue_message_id": post.id,
            }
        )

    @commands.Cog.listener(f"on_{QUEUE_PRESSED}")
    async def on_button(self, interaction: discord.Interaction, action: str, key: int) -> None:
        post = interaction.message
        if post is None:
            return
        if not self.bot.may_handle_queue(interaction.user):
            await interaction.response.send_message(NOT_ALLOWED, ephemeral=True)
            return
        embed = with_state(
            post.embeds[0] if post.embeds else discord.Embed(), action, interaction.user
        )
        view = queue_view(key, claimed=True, resolved=action == "resolve")
        await interaction.response.edit_message(embed=embed, view=view)
        state = "claimed" if action == "claim" else "resolved"
        log.info("escalation %s %s by user %s", key, state, interaction.user.id)
        await self.bot.store.set_escalation_state(key, state, interaction.user.id)


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(EscalationQueue(bot))
