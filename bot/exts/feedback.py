"""Votes on answers: "Helped" and "Didn't help", one per user per answer, changeable.

A vote is stored (the answer, the voter, the message answered) and counted in the metrics.
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
from bot.core.entry import Entry
from bot.core.render import checklist_text, entry_in_footer
from bot.feedback_buttons import VOTED, VoteButton
from bot.human_button import THIS_MESSAGE, HumanButton

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)

THANKS = "Thanks, glad it helped! (You can change your vote any time.)"
SORRY = (
    "Thanks for telling me; that helps improve the answers. If you still need help, a human "
    "can take a look (the button below), or send Fireworks support this:"
)


def answered_entry(answer: discord.Message, bot: FwerrorBot) -> Entry | None:
    """The knowledge entry an answer showed (its footer names it), for the metrics' labels."""
    footer = answer.embeds[0].footer.text if answer.embeds else None
    entry_id = entry_in_footer(footer)
    return bot.knowledge.by_id.get(entry_id) if entry_id else None


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
        else:
            answered = await answered_for(self.bot, interaction, message_id)
            view = discord.ui.View(timeout=None)
            view.add_item(
                HumanButton(channel_id, message_id, key=answered.case_key, answer_id=answer.id)
            )
            told = f"{SORRY}\n\n{checklist_text(answered.support)}"
            await interaction.response.send_message(told, view=view, ephemeral=True)
        self.bot.metrics.vote(
            "helped" if helped else "not_helpful", answered_entry(answer, self.bot)
        )
        target = message_id if message_id != THIS_MESSAGE else answer.id
        if self.bot.store.configured and not await self.bot.store.vote(
            answer.id, interaction.user.id, target, helped
        ):
            log.warning("feedback: the store is down; a vote on answer %s was not kept", answer.id)


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(Feedback(bot))
