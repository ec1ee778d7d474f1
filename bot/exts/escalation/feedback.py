"""Votes on answers: "Helped" and "Didn't help", one per user per answer, changeable.

A vote is stored (the answer, the voter, the message answered) and counted in the metrics
under the entry the answer decided (its record, `bot.checklist`).
"Didn't help" offers "Talk to a human" at once, privately, with the checklist for
support@fireworks.ai that every path to a human shows, as the answer decided it
(`bot.checklist`): a vote never reads the paste again. The offer's button names the answer's
case and the answer, so every press on it is that one case, whoever presses.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.checklist import answered_for
from bot.core.render import checklist_text
from bot.views.answer import THIS_MESSAGE, VOTED, HumanButton, VoteButton

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)

THANKS = "Thanks, glad it helped! (You can change your vote any time.)"
SORRY = (
    "Thanks for telling me; that helps improve the answers. If you still need help, a human "
    "can take a look (the button below), or send Fireworks support this:"
)


class Feedback(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(VoteButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(VoteButton)

    @commands.Cog.listener(f"on_{VOTED}")
    async def on_vote(
        self, interaction: discord.Interaction, helped: bool, channel_id: int, message_id: int
    ) -> None:
        answer = interaction.message
        if answer is None:
            return
        if helped:
            await interaction.response.send_message(THANKS, ephemeral=True)
        answered = await answered_for(self.bot, interaction, message_id)
        if not helped:
            view = discord.ui.View(timeout=None)
            view.add_item(
                HumanButton(channel_id, message_id, key=answered.case_key, answer_id=answer.id)
            )
            told = f"{SORRY}\n\n{checklist_text(answered.support)}"
            await interaction.response.send_message(told, view=view, ephemeral=True)
        # The entry the answer decided (its record), for the metrics' labels.
        entry = self.bot.knowledge.by_id.get(answered.entry_id or "")
        self.bot.metrics.vote("helped" if helped else "not_helpful", entry)
        target = message_id if message_id != THIS_MESSAGE else answer.id
        if self.bot.store.configured and not await self.bot.store.vote(
            answer.id, interaction.user.id, target, helped
        ):
            log.warning("feedback: the store is down; a vote on answer %s was not kept", answer.id)


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(Feedback(bot))
