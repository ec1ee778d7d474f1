""" "Close" and "Not an incident" on an incident's card in the moderators' queue.

State lives in the custom_id (the incident's key), so the buttons work after a restart; a press
reaches the incidents feature as an event.
"""

from __future__ import annotations

from typing import ClassVar

import discord

from bot.views.base import ActionButton, Looks

TEMPLATE = r"fwerror:incident:(?P<action>close|dismiss):(?P<key>[0-9]+)"
PRESSED = "fwerror_incident_button"  # event: (interaction, action, key)


class IncidentButton(ActionButton, template=TEMPLATE):
    prefix = "fwerror:incident"
    looks: ClassVar[Looks] = {
        "close": ("Close", discord.ButtonStyle.success),
        "dismiss": ("Not an incident", discord.ButtonStyle.secondary),
    }
    event = PRESSED


def card_view(key: int, *, done: bool = False) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(IncidentButton("close", key, disabled=done))
    view.add_item(IncidentButton("dismiss", key, disabled=done))
    return view
