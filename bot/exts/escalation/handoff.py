"""Hand an error to humans: a thread pinging the support role, and a post in the moderators' queue.

It runs for 500/520 entries and unknown errors (the other features dispatch a
`fwerror_escalation` event with a `Case`), and when someone presses "Talk to a human". The
button's state lives in its custom_id, so it still works after a restart. Each message or
thread is escalated at most once (a second press hears it is already with a human), a user
may press at most `FWERROR_HUMAN_RATE` times, and a failing Discord call is logged, never raised.

A press acts on what the answer decided when it was posted (`bot.checklist`): it never reads
the paste again. Whoever presses gets that checklist for support@fireworks.ai, whatever
happens next. A press about an error whose fix is on the user's side goes to the queue but
pings nobody (`Case.pings`). A case names whose paste it is about (`Case.author_id`) apart
from who pressed, so /fwerror-forget-me finds it for either.
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.cases import EVENT, Case
from bot.checklist import Answered, answered_for
from bot.cooldowns import RateLimiter
from bot.core.handoff import Handoff
from bot.core.render import (
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    FIELD_VALUE,
    THREAD_NAME,
    checklist_text,
    shorten,
)
from bot.observability.hooks import record_escalation
from bot.views.answer import PRESSED, HumanButton, show_handoff
from bot.views.queue import QUEUED, queue_view

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)

QUEUE_COLOUR = 0xED4245

# What a press answers; the checklist for support@fireworks.ai follows each of them.
ASKED = "I've asked a human to look at this. While you wait, this is what Fireworks support needs:"
QUEUED_ONLY = (
    "I've put this in the moderators' queue without pinging anyone: this error is usually "
    "fixed on your side (the answer and its **More** button say how). If you still need "
    "Fireworks support, send them this:"
)
ALREADY = (
    "This is already with a human: they'll pick it up here. You can also send Fireworks "
    "support this:"
)
NOBODY = "Nobody in this server is on call for this. Please send Fireworks support this:"
SLOW_DOWN = (
    "Slow down a little: you can ask for a human again in {wait} s. If it can't wait, email "
    "support with the checklist I gave you."
)


def quoted(text: str) -> str:
    """Pasted text as a Markdown quote that shows every character as typed: Markdown (fences,
    mentions, links) escaped, not swapped for look-alike characters."""
    lines = discord.utils.escape_markdown(text.strip(), as_needed=False).splitlines()
    return "\n".join(f"> {line}" for line in lines) or "> (nothing)"


def queue_card(case: Case) -> discord.Embed:
    """The moderators' queue post: what the case is in plain words, the error, the links."""
    embed = discord.Embed(
        title=shorten(f"Needs a human: {case.matched}", EMBED_TITLE),
        url=case.jump_url,
        description=shorten(f"The error:\n{quoted(case.excerpt)}", EMBED_DESCRIPTION),
        colour=QUEUE_COLOUR,
    )
    embed.add_field(name="Reported by", value=case.reporter.mention)
    if case.author_id is not None and case.author_id != case.reporter.id:
        embed.add_field(name="Paste by", value=f"<@{case.author_id}>")
    embed.add_field(
        name="Message",
        value=shorten(f"[Jump to it]({case.jump_url})", FIELD_VALUE),
        inline=False,
    )
    if case.entry is not None:
        embed.set_footer(text=f"entry {case.entry.id}")
    return embed


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
    async def on_button(self, interaction: discord.Interaction, button: HumanButton) -> None:
        await self.press(interaction, button)

    @commands.Cog.listener(f"on_{EVENT}")
    async def on_escalation(self, case: Case) -> None:
        if await self.bot.claims.escalation(case.key):
            record_escalation(self.bot, "auto", case.entry, case.jump_url)
            done = await self.deliver(case)
            if case.answer is not None:
                await show_handoff(case.answer, done, self.bot.knowledge.labels)

    async def press(self, interaction: discord.Interaction, button: HumanButton) -> None:
        """The button: answer with the checklist the answer decided, and deliver its case
        unless it is already with a human. Nothing is read again: at most the record and the
        claim wait on the store, each within the claim's deadline, so no deferral is needed."""
        if interaction.message is None:  # a button always sits on a message; guard the type
            return
        wait = self.presses.hit(interaction.user.id)
        if wait:
            slow = SLOW_DOWN.format(wait=math.ceil(wait))
            await interaction.response.send_message(slow, ephemeral=True)
            return
        answered = await answered_for(
            self.bot,
            interaction,
            button.message_id,
            key=button.key,
            answer_id=button.answer_id,
        )
        channel = interaction.channel or self.bot.get_partial_messageable(button.channel_id)
        case = self._case_from_button(interaction, answered, channel)
        refusal = await self._claim(case.key)
        said = refusal or self._promise(case)
        await interaction.response.send_message(
            f"{said}\n\n{checklist_text(answered.support)}", ephemeral=True
        )
        if refusal is None:
            record_escalation(self.bot, "button", case.entry, case.jump_url)
            done = await self.deliver(case)
            await show_handoff(interaction.message, done, self.bot.knowledge.labels)

    async def _claim(self, key: int) -> str | None:
        """Claim the case; else what to tell the user (the checklist follows either way)."""
        settings = self.bot.settings
        if settings.support_role_id is None and settings.escalation_channel_id is None:
            return NOBODY
        if not await self.bot.claims.escalation(key):
            return ALREADY
        return None

    def _promise(self, case: Case) -> str:
        """What delivering `case` will do, in the user's words."""
        if case.pings:
            return ASKED
        if self.bot.settings.escalation_channel_id is None:
            return NOBODY  # no queue, and this case pings nobody
        return QUEUED_ONLY

    def _case_from_button(
        self,
        interaction: discord.Interaction,
        answered: Answered,
        channel: discord.abc.Messageable,
    ) -> Case:
        """The case the answer decided, asked for by whoever pressed."""
        anchor = None
        if answered.anchor_id is not None and hasattr(channel, "get_partial_message"):
            anchor = channel.get_partial_message(answered.anchor_id)
        return Case(
            key=answered.case_key,
            channel=channel,
            anchor=anchor,
            reporter=interaction.user,
            author_id=answered.author_id,
            matched=answered.matched,
            excerpt=answered.excerpt,
            jump_url=answered.jump_url,
            entry=self.bot.knowledge.by_id.get(answered.entry_id or ""),
            pings=answered.pings,
        )

    async def deliver(self, case: Case) -> Handoff | None:
        """Ping the role in a thread and post to the queue; release the claim if both failed.

        Returns what was done, for the answer to say (`None`: nothing was tried).
        """
        settings = self.bot.settings
        pinged = queued = None
        if settings.support_role_id is not None and case.anchor is not None and case.pings:
            pinged = await self._ping_role(case, settings.support_role_id)
        if settings.escalation_channel_id is not None:
            queued = await self._post_to_queue(case, settings.escalation_channel_id)
        if pinged is None and queued is None:
            return None
        if pinged:
            return Handoff.PINGED
        if queued:
            return Handoff.QUEUED
        self.bot.claims.release_escalation(case.key)
        return Handoff.OFFER_PING if case.pings else Handoff.OFFER_QUEUE

    async def _thread(self, case: Case) -> discord.Thread | None:
        if isinstance(case.channel, discord.Thread):
            return case.channel
        if case.anchor is None:
            return None
        if case.anchor.thread is not None:
            return case.anchor.thread
        name = shorten(f"Help: {case.matched}", THREAD_NAME)
        return await case.anchor.create_thread(name=name, auto_archive_duration=1440)

    async def _ping_role(self, case: Case, role_id: int) -> bool:
        try:
            thread = await self._thread(case)
            if thread is None:
                return False
            await thread.send(
                f"<@&{role_id}> {case.reporter.mention} needs a human here: **{case.matched}**."
                " Their error and what support needs are in the answer above.",
                allowed_mentions=self.bot.escalation_mentions(role_id),
            )
        except discord.HTTPException as error:
            log.error("escalation %s: could not ping the support role: %s", case.key, error)
            return False
        return True

    async def _post_to_queue(self, case: Case, channel_id: int) -> bool:
        embed = queue_card(case)
        try:
            post = await self.bot.get_partial_messageable(channel_id).send(
                embed=embed,
                view=queue_view(case.key),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException as error:
            log.error("escalation %s: could not post to the queue: %s", case.key, error)
            return False
        self.bot.dispatch(QUEUED, case, post)  # bot.exts.escalation.queue keeps its state
        return True


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(Escalation(bot))
