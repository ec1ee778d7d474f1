"""The "Talk to a human" button every answer carries.

Its state lives in its custom_id, so it still works after a restart: the channel and the
message answered, and on the private offer "Didn't help" shows, also the case's key and the
answer it is about (that offer is a message of its own). It lives outside
`bot.exts` so that answers built anywhere share one button class, and a press reaches the
escalation feature as an event, whichever copy of the feature is loaded.
"""

from __future__ import annotations

import re

import discord

from bot.button_rate import allow_press
from bot.core.reply import Reply
from bot.feedback_buttons import add_vote_buttons
from bot.more_button import UNKNOWN, MoreButton

HUMAN_TEMPLATE = (
    r"fwerror:human:(?P<channel_id>[0-9]+):(?P<message_id>[0-9]+)"
    r"(?::(?P<key>[0-9]+):(?P<answer_id>[0-9]+))?"
)
THIS_MESSAGE = 0  # message_id for an answer with no user message behind it (/fwerror)
PRESSED = "fwerror_human_button"  # event: (interaction, HumanButton)


class HumanButton(discord.ui.DynamicItem[discord.ui.Button], template=HUMAN_TEMPLATE):
    """ "Talk to a human", naming the message to escalate (`THIS_MESSAGE`: the answer itself).

    Under an answer, the answer is the message pressed; elsewhere `key` and `answer_id` name the
    case and the answer, so every press on that answer's behalf is one case (at most 97 of
    Discord's 100 custom_id characters with 20-digit ids).
    """

    def __init__(
        self,
        channel_id: int,
        message_id: int,
        *,
        key: int | None = None,
        answer_id: int | None = None,
    ) -> None:
        about = f":{key}:{answer_id}" if key is not None and answer_id is not None else ""
        super().__init__(
            discord.ui.Button(
                label="Talk to a human",
                style=discord.ButtonStyle.secondary,
                custom_id=f"fwerror:human:{channel_id}:{message_id}{about}",
            )
        )
        self.channel_id = channel_id
        self.message_id = message_id
        self.key = key if about else None
        self.answer_id = answer_id if about else None

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button,
        match: re.Match[str],
        /,
    ) -> HumanButton:
        key, answer_id = match["key"], match["answer_id"]
        return cls(
            int(match["channel_id"]),
            int(match["message_id"]),
            key=int(key) if key else None,
            answer_id=int(answer_id) if answer_id else None,
        )

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await allow_press(interaction)

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(PRESSED, interaction, self)


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
