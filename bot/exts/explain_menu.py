"""The "Explain error" message context menu: explain someone's message in public, on request.

The invoker asked for it, so this runs in explicit mode; but a message with no error in it at
all gets a private "nothing found" instead of a public reply nobody needs, unless it leaked a
secret (in its text or in any text attachment): then its author is warned in public, as the
help-channel listener does.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering import (
    Target,
    analyse,
    contain_leak,
    contain_picture_leak,
    paste_leak_notice,
    post_answer,
    with_notice,
)
from bot.bot import within_command_rate
from bot.exts.escalation import (
    checklist_for,
    escalate_message,
    holds_no_error,
    remember_reply,
)
from bot.observability.hooks import record_decision
from bot.pictures import picture_quote, unsure_notice

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)

NO_ERROR = "I found no Fireworks API error in that message."
ALREADY_ANSWERED = "I already answered that message."
ANSWERED = "Answered in the channel:"
ONLY_WARNED = "No Fireworks API error in it, but it leaked a secret, so I warned its author:"


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
        started = time.perf_counter()
        knowledge = self.bot.knowledge
        # Attachments may need downloading: acknowledge first, privately.
        await interaction.response.defer(ephemeral=True, thinking=True)
        if message.id in self.bot.answered:
            await interaction.followup.send(ALREADY_ANSWERED, ephemeral=True)
            return
        text = await self.bot.message_text(message)
        analysis = await analyse(text, knowledge, "explicit")
        result, redaction = analysis.explanation, analysis.redaction
        has_error = result.reply is not None and not holds_no_error(result)
        leaked = redaction.found or analysis.paste_leaked or analysis.picture_leaked
        if not has_error and not leaked:
            record_decision(self.bot, "menu", result, started, message, sent=False)
            unsure = unsure_notice(text)  # a screenshot it couldn't read well: ask for text
            await interaction.followup.send(f"{NO_ERROR}\n{unsure}".strip(), ephemeral=True)
            return
        if not await self.bot.claim_message(message.id):  # another invocation got here first
            await interaction.followup.send(ALREADY_ANSWERED, ephemeral=True)
            return
        target = Target(message)
        if leaked and await self.bot.claim_containment(message.id):
            if redaction.found:
                target = await contain_leak(self.bot, message, redaction)
            if analysis.pasted is not None and analysis.pasted.found:
                target = with_notice(target, paste_leak_notice(self.bot, analysis.pasted))
            if analysis.pictured is not None and analysis.pictured.found:
                target = await contain_picture_leak(
                    self.bot, message, analysis.pictured, redaction, target
                )
        if has_error and (quote := picture_quote(result, text)):
            target = with_notice(target, quote)
        support = await checklist_for(self.bot, result) if has_error else None
        try:
            answer = await post_answer(
                self.bot, message, result.reply if has_error else None, target
            )
        except discord.HTTPException as error:
            log.error("explain menu: could not reply to %s: %s", message.id, error)
            record_decision(self.bot, "menu", result, started, message, sent=False)
            await interaction.followup.send("I couldn't post in that channel.", ephemeral=True)
            return
        if support is not None:
            remember_reply(self.bot, result, support, message, answer, target.message or answer)
        record_decision(self.bot, "menu", result, started, message, sent=True)
        done = ANSWERED if has_error else ONLY_WARNED
        await interaction.followup.send(f"{done} {answer.jump_url}", ephemeral=True)
        if has_error and result.decision.escalate:
            escalate_message(self.bot, result, message, target.message or answer, answer)


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(ExplainMenu(bot))
