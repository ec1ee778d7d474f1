""" "Claim" and "Resolved" on each post in the moderators' queue.

State lives in the custom_id (the escalation's key) and in the post itself (who claimed it),
so the buttons work after a restart, with or without a store.
"""

from __future__ import annotations

from typing import ClassVar

import discord

from bot.views.base import ActionButton, Looks

QUEUE_TEMPLATE = r"fwerror:queue:(?P<action>claim|resolve):(?P<key>[0-9]+)"
QUEUE_PRESSED = "fwerror_queue_button"  # event: (interaction, action, key)
QUEUED = "fwerror_queued"  # event: (case, the queue post), once a case is posted


class QueueButton(ActionButton, template=QUEUE_TEMPLATE):
    prefix = "fwerror:queue"
    looks: ClassVar[Looks] = {
        "claim": ("Claim", discord.ButtonStyle.primary),
        "resolve": ("Resolved", discord.ButtonStyle.success),
    }
    event = QUEUE_PRESSED


def queue_view(key: int, *, claimed: bool = False, resolved: bool = False) -> discord.ui.View:
    """The buttons a queue post carries in each state (all disabled once resolved)."""
    view = discord.ui.View(timeout=None)
    view.add_item(QueueButton("claim", key, disabled=claimed or resolved))
    view.add_item(QueueButton("resolve", key, disabled=resolved))
    return view
