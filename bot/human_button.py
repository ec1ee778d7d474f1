"""The "Talk to a human" button every answer carries.

Its state lives in its custom_id, so it still works after a restart. It lives outside
`bot.exts` so that answers built anywhere share one button class, and a press reaches the
escalation feature as an event, whichever copy of the feature is loaded.
"""

from __future__ import annotations

import re

import discord

from bot.core.reply import Reply
from bot.feedback_buttons import add_vote_buttons
from bot.more_button import UNKNOWN, MoreButton

HUMAN_TEMPLATE = r"fwerror:human:(?P<channel_id>[0-9]+):(?P<message_id>[0-9]+)"
THIS_MESSAGE = 0  # message_id for an answer with no user message behind it (/fwerror)
PRESSED = "fwerror_human_button"  # event: (interaction, channel_id, message_id)


class HumanButton(discord.ui.DynamicItem[discord.ui.Button], template=HUMAN_TEMPLATE):
    """ "Talk to a human", naming the message to escalate (`THIS_MESSAGE`: the answer itself)."""

    def __init__(self, channel_id: int, message_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Talk to a human",
                style=discord.ButtonStyle.secondary,
                custom_id=f"fwerror:human:{channel_id}:{message_id}",
            )
        )
        self.channel_id = channel_id
        self.message_id = message_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button,
        match: re.Match[str],
        /,
    ) -> HumanButton:
        return cls(int(match["channel_id"]), int(match["message_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(PRESSED, interaction, self.channel_id, self.message_id)


def answer_view(
    channel_id: int, message_id: int = THIS_MESSAGE, more: str | None = None
) -> discord.ui.View:
    """The components every answer carries; a short answer adds "More" for entry id `more`."""
    view = discord.ui.View(timeout=None)
    view.add_item(HumanButton(channel_id, message_id))
    add_vote_buttons(view, channel_id, message_id)
    if more is not None:
        view.add_item(MoreButton(more))
    return view


def more_id(reply: Reply) -> str:
    """What the "More" button under a short answer names: its entry, or the unknown answer."""
    return reply.entry_id or UNKNOWN
