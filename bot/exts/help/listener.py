"""Answer error pastes in the help channels without being asked, and stay quiet otherwise.

Most messages in a help channel are conversation, so the cheap checks run first and an
ignored message costs no Discord call at all; the rest takes the one path every answer takes
(`bot.respond`). A leaked secret is contained (see
`bot.answering`) wherever it arrives: in a new message or an edit, in the text or in any text
attachment, from an author the cooldown holds back or not. The cooldown only ever holds back
answers; an edit is never answered, only contained.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.answering import contain_leak, post_answer, scan
from bot.respond import LISTENER, respond

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)


def _edited_text(payload: discord.RawMessageUpdateEvent) -> bool:
    """Whether an update may have changed what the message says: its author edited it.
    Discord's own updates, such as a link's preview, leave the edit time unset (the bot keeps
    no message cache to compare with)."""
    return payload.message.edited_at is not None


class HelpListener(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not self.bot.in_flight.closing and self.bot.listens_to(message):
            await respond(self.bot, message, LISTENER)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """An edit that adds a secret is contained as a new message would be, never answered."""
        message = payload.message
        if self.bot.in_flight.closing:  # closing: only the answers already begun are finished
            return
        if not self.bot.watches_for_leaks(message) or not _edited_text(payload):
            return
        async with self.bot.reader.turn(message.author.id):
            text = await self.bot.reader.read(message, self.bot.knowledge, links=False)
            redaction = await scan(text)
            contain = redaction.found and await self.bot.claims.containment(message.id)
        if not contain:
            return
        target = await contain_leak(self.bot, message, redaction)
        try:
            await post_answer(self.bot, message, None, target)
        except discord.HTTPException as error:
            log.error("help listener: could not warn of message %s: %s", message.id, error)


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(HelpListener(bot))
