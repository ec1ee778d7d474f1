"""Answer error pastes in the help channels without being asked, and stay quiet otherwise.

Most messages in a help channel are conversation, so the cheap checks run first and an
ignored message costs no Discord call at all. A leaked secret is contained (see
`bot.answering`) wherever it arrives: in a new message or an edit, in the text or in any text
attachment, from an author the cooldown holds back or not. The cooldown only ever holds back
answers; an edit is never answered, only contained.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.answering import (
    Target,
    analyse,
    contain_leak,
    contain_picture_leak,
    paste_leak_notice,
    post_answer,
    scan,
    with_notice,
)
from bot.core.explain import Explanation
from bot.core.redact import Redaction, redact
from bot.core.reply import Reply
from bot.exts.escalation import checklist_for, escalate_message, remember_reply
from bot.exts.incidents import REPORTED, sense_wave, takes_over
from bot.exts.incidents import notice as wave_notice
from bot.observability.hooks import record_cooldown_drop, record_decision
from bot.pictures import picture_quote

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)


def _edited_text(payload: discord.RawMessageUpdateEvent) -> bool:
    """Whether an edit may have changed what the message says (not only an embed's unfurl)."""
    before, after = payload.cached_message, payload.message
    if before is None:
        return True
    return before.content != after.content or [a.id for a in before.attachments] != [
        a.id for a in after.attachments
    ]


class HelpListener(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        started = time.perf_counter()
        knowledge = self.bot.knowledge
        if not self.bot.listens_to(message):
            return
        result: Explanation | None = None
        pasted: Redaction | None = None
        pictured: Redaction | None = None
        async with self.bot.reading_turn(message.author.id):
            text = await self.bot.message_text(message)
            # Checked inside the turn: the author's previous message may have used the cooldown.
            if self.bot.wants_to_read(message):
                analysis = await analyse(text, knowledge, "passive")
                result, redaction = analysis.explanation, analysis.redaction
                pasted = analysis.pasted if analysis.paste_leaked else None
                pictured = analysis.pictured if analysis.picture_leaked else None
            else:
                record_cooldown_drop(self.bot, "listener")
                redaction = await scan(text)
                if text.pictured:
                    shown = await asyncio.to_thread(redact, text.pictured)
                    pictured = shown if shown.found else None
            reply = result.reply if result is not None else None
            if reply is not None and not await self.bot.claim_answer(message, text.logs):
                reply = None
            wave = await sense_wave(self.bot, result, message) if reply and result else None
            leaked = redaction.found or pasted is not None or pictured is not None
            contain = leaked and await self.bot.claim_containment(message.id)
        if reply is None and not contain:
            if result is not None:
                record_decision(self.bot, "listener", result, started, message, sent=False)
            return
        target = Target(message)
        if contain and redaction.found:
            target = await contain_leak(self.bot, message, redaction)
        if contain and pasted is not None:
            target = with_notice(target, paste_leak_notice(self.bot, pasted))
        if contain and pictured is not None:
            target = await contain_picture_leak(self.bot, message, pictured, redaction, target)
        if reply is not None and result is not None and (quote := picture_quote(result, text)):
            target = with_notice(target, quote)
        support = await checklist_for(self.bot, result) if result and reply else None
        if wave is not None and wave.takes_over:
            target = with_notice(target, wave_notice(self.bot, wave))
        answer = await self.answer(message, reply, target)
        if result is not None and answer is not None and support is not None:
            remember_reply(self.bot, result, support, message, answer, target.message or answer)
        if result is not None:
            sent = answer is not None and reply is not None
            record_decision(self.bot, "listener", result, started, message, sent=sent)
        if answer is not None and reply is not None and takes_over(self.bot, wave):
            self.bot.dispatch(REPORTED, wave)  # the incident's card, instead of an escalation
        elif answer is not None and reply is not None and result.decision.escalate:
            escalate_message(self.bot, result, message, target.message or answer, answer)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        """An edit that adds a secret is contained as a new message would be, never answered."""
        message = payload.message
        if not self.bot.watches_for_leaks(message) or not _edited_text(payload):
            return
        async with self.bot.reading_turn(message.author.id):
            redaction = await scan(await self.bot.message_text(message, links=False))
            contain = redaction.found and await self.bot.claim_containment(message.id)
        if contain:
            await self.answer(message, None, await contain_leak(self.bot, message, redaction))

    async def answer(
        self, message: discord.Message, reply: Reply | None, target: Target
    ) -> discord.Message | None:
        """Reply to the author (pinging only them); None if Discord refused."""
        try:
            return await post_answer(self.bot, message, reply, target)
        except discord.HTTPException as error:
            log.error("help listener: could not answer message %s: %s", message.id, error)
            return None


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(HelpListener(bot))
