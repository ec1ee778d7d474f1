"""The "Helped" and "Didn't help" buttons every answer carries, next to "Talk to a human".

Like that button, their state lives in the custom_id (the channel and the message answered,
`THIS_MESSAGE` for a slash command's answer), so they work after a restart; a press reaches
the feedback feature as an event.
"""

from __future__ import annotations

import re

import discord

from bot.button_rate import allow_press

VOTE_TEMPLATE = r"fwerror:vote:(?P<vote>[yn]):(?P<channel_id>[0-9]+):(?P<message_id>[0-9]+)"
VOTED = "fwerror_vote"  # event: (interaction, helped, channel_id, message_id)


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=VOTE_TEMPLATE):
    """One vote on the answer this button sits under."""

    def __init__(self, helped: bool, channel_id: int, message_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Helped" if helped else "Didn't help",
                style=discord.ButtonStyle.success if helped else discord.ButtonStyle.secondary,
                custom_id=f"fwerror:vote:{'y' if helped else 'n'}:{channel_id}:{message_id}",
            )
        )
        self.helped = helped
        self.channel_id = channel_id
        self.message_id = message_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button,
        match: re.Match[str],
        /,
    ) -> VoteButton:
        return cls(match["vote"] == "y", int(match["channel_id"]), int(match["message_id"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await allow_press(interaction)

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(
            VOTED, interaction, self.helped, self.channel_id, self.message_id
        )


def add_vote_buttons(view: discord.ui.View, channel_id: int, message_id: int) -> None:
    """Append "Helped" and "Didn't help" to an answer's view."""
    view.add_item(VoteButton(True, channel_id, message_id))
    view.add_item(VoteButton(False, channel_id, message_id))
