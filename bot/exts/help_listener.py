"""Answer error pastes in the help channels without being asked, and stay quiet otherwise.

Most messages in a help channel are conversation, so the cheap checks run first and an
ignored message costs no Discord call at all; only a message that could be answered has its
attachments downloaded. Each step is a small method so later features (say, acting on a
leaked key) slot in between them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.core.explain import Explanation, explain
from bot.core.render import render_embed
from bot.exts.escalation import EVENT, answer_view, case_for

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)


class HelpListener(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        knowledge = self.bot.knowledge
        if not self.bot.wants_to_read(message):
            return
        text = await self.bot.read_message(message)
        result = explain(text, knowledge, "passive")
        if result.reply is None or not self.bot.claim_answer(message, text):
            return
        if await self.answer(message, result):
            self.escalate_if_needed(message, result)

    async def answer(self, message: discord.Message, result: Explanation) -> bool:
        """Reply to the author (pinging only them); False if Discord refused."""
        if result.reply is None:
            return False
        try:
            await message.reply(
                embed=discord.Embed.from_dict(render_embed(result.reply)),
                view=answer_view(message.channel.id, message.id),
                allowed_mentions=self.bot.reply_mentions(message.author),
            )
        except discord.HTTPException as error:
            log.error("help listener: could not answer message %s: %s", message.id, error)
            return False
        return True

    def escalate_if_needed(self, message: discord.Message, result: Explanation) -> None:
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
    await bot.add_cog(HelpListener(bot))
