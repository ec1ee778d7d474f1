"""What every button and menu of the bot shares: state in its custom_id, and the per-user rate.

A component keeps its state in its custom_id (a `template` with named groups), so it works after
a restart and after a reload. A subclass says what differs: its template, how a match becomes
its typed fields (`parse`), its look, and what a press does. Every press first spends one of the
user's presses (`FWERROR_BUTTON_RATE`), so a member pressing as fast as Discord allows costs one
short private reply per press and nothing else.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping
from typing import Any, ClassVar, Self, TypeVar

import discord

log = logging.getLogger(__name__)

SLOW_DOWN = "Slow down a little: you can press my buttons again in {wait} s."
NEVER = r"(?!)"  # the scaffolds' own template: they are never registered, only their subclasses

ItemT = TypeVar("ItemT", bound=discord.ui.Item[Any])
Looks = Mapping[str, tuple[str, discord.ButtonStyle]]  # an action's label and style


async def allow_press(interaction: discord.Interaction) -> bool:
    """Spend one of the user's presses; over the rate, say so privately and refuse."""
    if (in_flight := getattr(interaction.client, "in_flight", None)) is not None:
        in_flight.track_current()  # this press's task: closing waits for it
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


class Stateful(discord.ui.DynamicItem[ItemT], template=NEVER):
    """A component rebuilt from its custom_id on each press, checked against the rate first."""

    @classmethod
    def parse(cls, match: re.Match[str]) -> Self:
        """The component a custom_id matching `template` names, its groups as typed fields."""
        raise NotImplementedError

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> Self:
        return cls.parse(match)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await allow_press(interaction)


class StateButton(Stateful[discord.ui.Button], template=NEVER):
    """A button whose custom_id is its state."""

    def __init__(
        self,
        custom_id: str,
        label: str,
        style: discord.ButtonStyle,
        *,
        disabled: bool = False,
        row: int | None = None,
    ) -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=style, custom_id=custom_id, disabled=disabled, row=row
            )
        )


class EventButton(StateButton, template=NEVER):
    """A button whose press reaches a feature as the event `event`, with `event_args()`: the
    feature handles it whichever copy of it is loaded."""

    event: ClassVar[str]

    def event_args(self) -> tuple[Any, ...]:
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction) -> None:
        interaction.client.dispatch(self.event, interaction, *self.event_args())


class ActionButton(EventButton, template=NEVER):
    """One of a few actions (`looks`: action -> label and style) on one numbered thing, its
    custom_id `{prefix}:{action}:{key}`; a press is the event (interaction, action, key)."""

    prefix: ClassVar[str]
    looks: ClassVar[Looks]

    def __init__(self, action: str, key: int, *, disabled: bool = False) -> None:
        label, style = self.looks[action]
        super().__init__(f"{self.prefix}:{action}:{key}", label, style, disabled=disabled)
        self.action = action
        self.key = key

    @classmethod
    def parse(cls, match: re.Match[str]) -> Self:
        return cls(match["action"], int(match["key"]))

    def event_args(self) -> tuple[Any, ...]:
        return (self.action, self.key)
