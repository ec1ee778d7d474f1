"""Answer error pastes in the help channels without being asked, and stay quiet otherwise.

Most messages in a help channel are conversation, so the cheap checks run first and an
ignored message costs no Discord call at all; only a message that could be answered has its
attachments downloaded. A leaked secret is contained (see `bot.answering`) even when the
cooldown holds back the answer.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.answering import Target, analyse, contain_leak, post_answer
from bot.core.explain import Explanation
from bot.core.redact import redact
from bot.exts.escalation import escalate_message
from bot.observability.hooks import record_cooldown_drop, record_decision

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)


class HelpListener(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        started = time.perf_counter()
        knowledge = self.bot.knowledge
        if not self.bot.listens_to(message):
            return
        if not self.bot.within_rate(message):
            # The cooldown holds back answers, never the warning about a leaked key.
            record_cooldown_drop(self.bot, "listener")
            await self.contain_leak_only(message)
            return
        async with self.bot.reading_turn(message.author.id):
            if not self.bot.wants_to_read(message):  # their previous message used the cooldown
                record_cooldown_drop(self.bot, "listener")
                return
            text = await self.bot.read_message(message)
            result, redaction = await analyse(text, knowledge, "passive")
            leaked = redaction.found
            if (result.reply is None and not leaked) or not await self.bot.claim_answer(
                message, text
            ):
                record_decision(self.bot, "listener", result, started, message, sent=False)
                return
        target = await contain_leak(self.bot, message, redaction) if leaked else Target(message)
        answer = await self.answer(message, result, target)
        record_decision(self.bot, "listener", result, started, message, sent=answer is not None)
        if answer is not None and result.decision.escalate:
            escalate_message(self.bot, result, message, target.message or answer)

    async def contain_leak_only(self, message: discord.Message) -> None:
        """Warn about (and contain) a secret in the message's own text; no error answer."""
        redaction = redact(message.content)
        if not redaction.found or not await self.bot.claim_message(message.id):
            return
        target = await contain_leak(self.bot, message, redaction)
        await self.answer(message, None, target)

    async def answer(
        self, message: discord.Message, result: Explanation | None, target: Target
    ) -> discord.Message | None:
        """Reply to the author (pinging only them); None if Discord refused."""
        try:
            return await post_answer(self.bot, message, result and result.reply, target)
        except discord.HTTPException as error:
            log.error("help listener: could not answer message %s: %s", message.id, error)
            return None


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(HelpListener(bot))
