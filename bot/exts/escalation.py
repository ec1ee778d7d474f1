"""Hand an error to humans: a thread pinging the support role, and a post in the moderators' queue.

It runs for 500/520 entries and unknown errors (the other features dispatch a
`fwerror_escalation` event with a `Case`), and when someone presses "Talk to a human". The
button's state lives in its custom_id, so it still works after a restart. Each message or
thread is escalated at most once (a second press hears it is already with a human), a user
may press at most `FWERROR_HUMAN_RATE` times, and a failing Discord call is logged, never raised.
"""

from __future__ import annotations

import asyncio
import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.cooldowns import RateLimiter
from bot.core.explain import Explanation, explain
from bot.core.mentions import defuse_mentions
from bot.core.model import Entry, Knowledge
from bot.core.render import FIELD_VALUE, shorten
from bot.human_button import PRESSED, THIS_MESSAGE, HumanButton
from bot.observability.hooks import record_escalation
from bot.queue_buttons import QUEUED, queue_view

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)

EVENT = "fwerror_escalation"
EXCERPT_CHARS = 900
THREAD_NAME_CHARS = 100
QUEUE_COLOUR = 0xED4245


@dataclass(frozen=True, slots=True)
class Case:
    """What humans need to pick up an error, already redacted."""

    key: int  # the message, or the thread it sits in: escalated at most once
    channel: discord.abc.Messageable
    anchor: discord.Message | discord.PartialMessage | None  # a thread opens here; None if private
    reporter: discord.abc.User
    matched: str
    excerpt: str
    jump_url: str
    entry: Entry | None = None  # for metrics: what the matcher found, if anything


def holds_no_error(result: Explanation) -> bool:
    """No entry and no sign of an error report (passive mode would ignore it): not for humans."""
    return result.decision.entry is None and not result.decision.evidence


def matched_label(explanation: Explanation) -> str:
    decision = explanation.decision
    if decision.entry is None:
        return "unmatched"
    status = f"HTTP {decision.entry.code}" if decision.entry.code else "no HTTP status"
    return f"{decision.entry.id} ({status}, confidence {decision.confidence:.0%})"


def excerpt_of(explanation: Explanation) -> str:
    """The error line the reply asks support for, else the head of the redacted paste."""
    reply = explanation.reply
    text = reply.support.error if reply and reply.support else explanation.redaction.text
    return shorten(defuse_mentions(text.strip()), EXCERPT_CHARS)


def case_for(
    explanation: Explanation,
    *,
    channel: discord.abc.Messageable,
    anchor: discord.Message | discord.PartialMessage | None,
    reporter: discord.abc.User,
    jump_url: str,
    key: int,
) -> Case:
    """A case keyed by its thread when it is in one, so one thread pings the role once."""
    if isinstance(channel, discord.Thread):
        key = channel.id
    return Case(
        key=key,
        channel=channel,
        anchor=anchor,
        reporter=reporter,
        matched=matched_label(explanation),
        excerpt=excerpt_of(explanation),
        jump_url=jump_url,
        entry=explanation.decision.entry,
    )


def request_escalation(bot: FwerrorBot, explanation: Explanation, **where: Any) -> None:
    """Hand a case (see `case_for`) to the Escalation cog, which acts on it at most once."""
    bot.dispatch(EVENT, case_for(explanation, **where))


def escalate_message(
    bot: FwerrorBot, explanation: Explanation, message: discord.Message, answer: discord.Message
) -> None:
    """Escalate a user's message; `answer` is what the answer replied to (or the answer itself).

    The case is keyed by `answer`, the message the answer's button names: the user's message,
    or its redacted re-post when it leaked a key, so a press on that button finds the case.
    """
    if not explanation.decision.pages_support:  # no error text yet: the button stays offered
        return
    request_escalation(
        bot,
        explanation,
        channel=message.channel,
        anchor=answer,
        reporter=message.author,
        jump_url=answer.jump_url,
        key=answer.id,
    )


def press_key(interaction: discord.Interaction, answer: discord.Message, message_id: int) -> int:
    """The case a press of `answer`'s button is about, keyed as its first escalation was."""
    if isinstance(interaction.channel, discord.Thread) and interaction.channel_id is not None:
        return interaction.channel_id
    if message_id != THIS_MESSAGE:
        return message_id
    made_by = answer.interaction_metadata
    if answer.flags.ephemeral and made_by is not None:
        return made_by.id  # a private /fwerror answer can't hold a thread: keyed by its command
    return answer.id


class Escalation(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot
        # Every press costs an answer, and a new case a post to the moderators: per user.
        self.presses = RateLimiter(bot.settings.human_rate)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(HumanButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(HumanButton)

    @commands.Cog.listener(f"on_{PRESSED}")
    async def on_button(
        self, interaction: discord.Interaction, channel_id: int, message_id: int
    ) -> None:
        await self.press(interaction, channel_id, message_id)

    @commands.Cog.listener(f"on_{EVENT}")
    async def on_escalation(self, case: Case) -> None:
        if await self.bot.claim_escalation(case.key):
            record_escalation(self.bot, "auto", case.entry, case.jump_url)
            await self.deliver(case)

    async def press(
        self, interaction: discord.Interaction, channel_id: int, message_id: int
    ) -> None:
        """The button: acknowledge at once (3 s rule), then build the case and deliver it."""
        knowledge = self.bot.knowledge
        answer = interaction.message
        if answer is None:  # a button always sits on a message; guard the type
            return
        key = press_key(interaction, answer, message_id)
        refusal = await self._claim(interaction.user.id, key)
        if refusal is not None:
            await interaction.response.send_message(refusal, ephemeral=True)
            return
        await interaction.response.send_message(
            f"I've asked a human to look at this. You can also email "
            f"**{knowledge.tips.support_email}** with the details from the answer.",
            ephemeral=True,
        )
        case = await self._case_from_button(
            interaction, answer, knowledge, channel_id, message_id, key
        )
        record_escalation(self.bot, "button", case.entry, case.jump_url)
        await self.deliver(case)

    async def _claim(self, user_id: int, key: int) -> str | None:
        """Spend one of the user's presses and claim the case; else what to tell the user."""
        email = self.bot.knowledge.tips.support_email
        settings = self.bot.settings
        wait = self.presses.hit(user_id)
        if wait:
            return (
                f"Slow down a little: you can ask for a human again in {math.ceil(wait)} s. "
                f"If it can't wait, email **{email}** with the details from the answer."
            )
        if settings.support_role_id is None and settings.escalation_channel_id is None:
            return (
                f"Nobody in this server is on call for this: please email **{email}** with the "
                "details from the answer."
            )
        if not await self.bot.claim_escalation(key):
            return (
                "This is already with a human: they'll pick it up here. You can also email "
                f"**{email}** with the details from the answer."
            )
        return None

    async def _case_from_button(
        self,
        interaction: discord.Interaction,
        answer: discord.Message,
        knowledge: Knowledge,
        channel_id: int,
        message_id: int,
        key: int,
    ) -> Case:
        """Re-read the user's message if there is one; else describe the answer itself."""
        channel = interaction.channel or self.bot.get_partial_messageable(channel_id)
        if message_id != THIS_MESSAGE:
            try:
                message = await channel.fetch_message(message_id)
            except discord.HTTPException as error:
                log.warning("escalation: could not fetch message %s: %s", message_id, error)
            else:
                text = await self.bot.read_message(message)
                # Off the loop: a message with its attachments can be megabytes to redact.
                result = await asyncio.to_thread(explain, text, knowledge, "explicit")
                return case_for(
                    result,
                    channel=channel,
                    anchor=message,
                    reporter=interaction.user,
                    jump_url=message.jump_url,
                    key=key,
                )
        embed = answer.embeds[0] if answer.embeds else discord.Embed()
        support = next((f.value for f in embed.fields if f.name == "Needs a human"), None)
        return Case(
            key=key,
            channel=channel,
            anchor=None if answer.flags.ephemeral else answer,
            reporter=interaction.user,
            matched=shorten(embed.footer.text or embed.title or "unmatched", 200),
            excerpt=shorten(support or embed.title or "(see the answer)", EXCERPT_CHARS),
            jump_url=answer.jump_url,
        )

    async def deliver(self, case: Case) -> None:
        """Ping the role in a thread and post to the queue; release the claim if both failed."""
        settings = self.bot.settings
        steps = []
        if settings.support_role_id is not None and case.anchor is not None:
            steps.append(await self._ping_role(case, settings.support_role_id))
        if settings.escalation_channel_id is not None:
            steps.append(await self._post_to_queue(case, settings.escalation_channel_id))
        if steps and not any(steps):
            self.bot.release_escalation(case.key)

    async def _thread(self, case: Case) -> discord.Thread | None:
        if isinstance(case.channel, discord.Thread):
            return case.channel
        if case.anchor is None:
            return None
        if case.anchor.thread is not None:
            return case.anchor.thread
        name = shorten(f"Help: {case.matched}", THREAD_NAME_CHARS)
        return await case.anchor.create_thread(name=name, auto_archive_duration=1440)

    async def _ping_role(self, case: Case, role_id: int) -> bool:
        try:
            thread = await self._thread(case)
            if thread is None:
                return False
            await thread.send(
                f"<@&{role_id}> {case.reporter.mention} needs a human here: {case.matched}.",
                allowed_mentions=self.bot.escalation_mentions(role_id),
            )
        except discord.HTTPException as error:
            log.error("escalation %s: could not ping the support role: %s", case.key, error)
            return False
        return True

    async def _post_to_queue(self, case: Case, channel_id: int) -> bool:
        excerpt = case.excerpt.replace("`", "\u02cb")  # a lookalike, so the code block can't end
        embed = discord.Embed(
            title=shorten(f"Escalated: {case.matched}", 256),
            url=case.jump_url,
            description=shorten(f"```\n{excerpt}\n```", 4096),
            colour=QUEUE_COLOUR,
        )
        embed.add_field(name="Reported by", value=case.reporter.mention)
        embed.add_field(name="Message", value=shorten(case.jump_url, FIELD_VALUE), inline=False)
        try:
            post = await self.bot.get_partial_messageable(channel_id).send(
                embed=embed,
                view=queue_view(case.key),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as error:
            log.error("escalation %s: could not post to the queue: %s", case.key, error)
            return False
        self.bot.dispatch(QUEUED, case, post)  # bot.exts.escalation_queue keeps its state
        return True


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(Escalation(bot))
