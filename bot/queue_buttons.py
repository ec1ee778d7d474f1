""" "Claim" and "Resolved" on each post in the moderators' queue.

State lives in the custom_id (the escalation's key) and in the post itself (who claimed it),
so the buttons work after a restart, with or without a store.
"""

from __future__ import annotations

import re

import discord

from bot.button_rate import allow_press

QUEUE_TEMPLATE = r"fwerror:queue:(?P<action>claim|resolve):(?P<key>[0-9]+)"
QUEUE_PRESSED = "fwerror_queue_button"  # event: (interaction, action, key)
QUEUED = "fwerror_queued"  # event: (case, the queue post), once a case is posted


class QueueButton(discord.ui.DynamicItem[discord.ui.Button], template=QUEUE_TEMPLATE):
    def __init__(self, action: str, key: int, *, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label="Claim" if action == "claim" else "Resolved",
                style=discord.ButtonStyle.primary
                if action == "claim"
                else discord.ButtonStyle.success,
                custom_id=f"fwerror:queue:{action}:{key}",
                disabled=disabled,
            )
        )
        self.action = action
        self.key = key

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Button,
        match: re.Match[str],
        /,
    ) -> QueueButton:
        return cls(match["action"], int(match["key"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await allow_press(interaction)

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(QUEUE_PRESSED, interaction, self.action, self.key)


def queue_view(key: int, *, claimed: bool = False, resolved: bool = False) -> discord.ui.View:
    """The buttons a queue post carries in each state (all disabled once resolved)."""
    view = discord.ui.View(timeout=None)
    view.add_item(QueueButton("claim", key, disabled=claimed or resolved))
    view.add_item(QueueButton("resolve", key, disabled=resolved))
    return view
