"""Incidents: one card in the moderators' queue for a wave of the same server-side trouble.

The help-channel listener asks `sense_wave` about each answer it is about to send (the rules
are `bot.core.incidents`'). While a wave's incident is open, its reports don't escalate one by
one: the first posts the card and pings the support role once, later ones edit the card (count,
people, models, first and last seen, a few jump links) and ping nobody. Moderators press Close
or Not an incident; after either, the rest of the wave is handled as it would be without one.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.core.incidents import (
    Incident,
    IncidentState,
    Sensed,
)
from bot.core.render import EMBED_TITLE, FIELD_VALUE, shorten
from bot.views.incident import PRESSED, IncidentButton, card_view
from bot.wave_reports import REPORTED

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)

COLOURS = {
    IncidentState.OPEN: 0xED4245,
    IncidentState.CLOSED: 0x57F287,
    IncidentState.NOT_INCIDENT: 0x95A5A6,
}
NOT_ALLOWED = "Only the support or moderator roles can close an incident."
STATES = {
    IncidentState.OPEN: "Open",
    IncidentState.CLOSED: "Closed",
    IncidentState.NOT_INCIDENT: "Not an incident",
}


def timestamp(seconds: float) -> str:
    return f"<t:{int(seconds)}:T> (<t:{int(seconds)}:R>)"


def card(incident: Incident, status: str = "") -> discord.Embed:
    """The incident's card: what on-call reads first."""
    embed = discord.Embed(
        title=shorten(f"Incident: {incident.trouble}", EMBED_TITLE),
        description=(
            f"{incident.people} people reported this server-side error in "
            f"{incident.reports} messages. Their own escalations are held back: this card "
            "counts them."
        ),
        colour=COLOURS[incident.state],
    )
    embed.add_field(name="Reports", value=str(incident.reports))
    embed.add_field(name="People", value=str(incident.people))
    models = ", ".join(f"`{m}`" for m in incident.models) or "none named"
    embed.add_field(name="Models", value=shorten(models, FIELD_VALUE))
    embed.add_field(name="First seen", value=timestamp(incident.first_seen))
    embed.add_field(name="Last seen", value=timestamp(incident.last_seen))
    links = "\n".join(incident.links) or "none"
    embed.add_field(name="Jump to", value=shorten(links, FIELD_VALUE), inline=False)
    embed.add_field(name="Status", value=status or STATES[incident.state], inline=False)
    return embed


class Incidents(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot
        self.cards: dict[int, int] = {}  # incident key -> its card's message id
        self.locks: dict[int, asyncio.Lock] = {}
        # Per incident, reports heard of, and how many had been heard of at the last read that
        # was shown on its card: a report heard of before a read is counted in it (reports are
        # dispatched once stored).
        self.heard: dict[int, int] = {}
        self.read: dict[int, int] = {}

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(IncidentButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(IncidentButton)

    @commands.Cog.listener(f"on_{REPORTED}")
    async def on_report(self, sensed: Sensed) -> None:
        key = sensed.key
        heard = self.heard[key] = self.heard.get(key, 0) + 1
        async with self.locks.setdefault(key, asyncio.Lock()):
            if self.read.get(key, 0) >= heard:
                return  # a burst: the card was read, and shown, after this report was stored
            heard = self.heard[key]
            incident = await self.bot.waves.incident(key)
            if incident is None:
                return
            card_id = self.cards.get(key) or incident.queue_message_id
            if card_id is None and sensed.opened:
                self.read[key] = heard
                await self._post(incident)
            elif card_id is not None:
                self.read[key] = heard
                await self._edit(card_id, incident)
            # else another worker opened it and is still posting its card: it re-reads the
            # incident once the card exists, so this report is counted there.

    async def _post(self, incident: Incident) -> None:
        settings = self.bot.settings
        channel_id = settings.escalation_channel_id
        if channel_id is None:
            return
        role = settings.support_role_id
        text = (
            f"{incident.people} people are reporting the same server-side error "
            f"({incident.trouble}): one incident card, updated as more arrive."
        )
        mentions = discord.AllowedMentions.none()
        if role is not None:
            text = f"<@&{role}> {text}"
            mentions = self.bot.escalation_mentions(role)
        try:
            post = await self.bot.get_partial_messageable(channel_id).send(
                content=text,
                embed=card(incident),
                view=card_view(incident.key),
                allowed_mentions=mentions,
            )
        except discord.HTTPException as error:
            log.error("incident %s: could not post its card: %s", incident.key, error)
            return
        self.cards[incident.key] = post.id
        log.info(
            "incident %s opened: %s, %d people", incident.key, incident.trouble, incident.people
        )
        now = await self.bot.waves.set_card(incident.key, post.id)
        if now is not None and now.reports != incident.reports:  # others reported meanwhile
            await self._edit(post.id, now)

    async def _edit(self, card_id: int, incident: Incident) -> None:
        """Show `incident` on its card; then again while the store holds more reports.

        Two workers may edit one card at once, and the edit showing fewer reports can land
        last; re-reading after each edit, until a read finds no more reports than the card
        shows, means the last edit to land shows every report. It ends when reports stop
        coming; only more reports, never fewer (memory's word when the store fails), are
        chased.
        """
        channel_id = self.bot.settings.escalation_channel_id
        if channel_id is None:
            return
        message = self.bot.get_partial_messageable(channel_id).get_partial_message(card_id)
        while True:
            if incident.state is not IncidentState.OPEN:
                return  # a closed card keeps what it said when it was closed
            try:
                await message.edit(
                    embed=card(incident),
                    view=card_view(incident.key),
                    allowed_mentions=discord.AllowedMentions.none(),
                )
            except discord.HTTPException as error:
                log.error("incident %s: could not update its card: %s", incident.key, error)
                return
            fresh = await self.bot.waves.incident(incident.key)
            if fresh is None or fresh.reports <= incident.reports:
                return
            incident = fresh

    @commands.Cog.listener(f"on_{PRESSED}")
    async def on_button(self, interaction: discord.Interaction, action: str, key: int) -> None:
        if not self.bot.may_handle_queue(interaction.user):
            await interaction.response.send_message(NOT_ALLOWED, ephemeral=True)
            return
        await interaction.response.defer()
        state = IncidentState.CLOSED if action == "close" else IncidentState.NOT_INCIDENT
        incident = await self.bot.waves.set_state(key, state, interaction.user.id)
        log.info("incident %s %s by user %s", key, state.value, interaction.user.id)
        if incident is None or interaction.message is None:
            return
        status = f"{STATES[state]} by {interaction.user.mention}"
        try:
            await interaction.edit_original_response(
                embed=card(incident, status), view=card_view(key, done=True)
            )
        except discord.HTTPException as error:
            log.error("incident %s: could not update its card: %s", key, error)


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(Incidents(bot))
