"""Every button's per-user rate (`FWERROR_BUTTON_RATE`), checked before a press does any work.

Each button class calls `allow_press` from its `interaction_check`, so a member pressing as
fast as Discord allows costs one short private reply per press and nothing else.
"""

from __future__ import annotations

import logging
import math

import discord

log = logging.getLogger(__name__)

SLOW_DOWN = "Slow down a little: you can press my buttons again in {wait} s."


async def allow_press(interaction: discord.Interaction) -> bool:
    """Spend one of the user's presses; over the rate, say so privately and refuse."""
    limiter = getattr(interaction.client, "button_cooldown", None)
    if limiter is None:  # a client without the policy (not an FwerrorBot)
        return True
    wait = limiter.hit(interaction.user.id)
    if not wait:
        return True
    log.debug("cooldown: refused a button press by user %s", interaction.user.id)
    try:
        await interaction.response.send_message(
            SLOW_DOWN.format(wait=math.ceil(wait)), ephemeral=True
        )
    except discord.HTTPException as error:
        log.warning("could not tell a user to slow down: %s", error)
    return False
