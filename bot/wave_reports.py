"""A report in a wave: counting it as the answer goes out, and what the answer then says.

`bot.respond` asks `sense_wave` about each answer it is about to send; while a wave's incident
is open, the answer says so (`notice`) and, instead of escalating one by one, dispatches
`REPORTED` for the incidents feature (`bot.exts.incidents`) to post or edit the one card.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

from bot.core.explain import Explanation
from bot.core.incidents import Sensed, trouble_of, wave_notice
from bot.core.limits import MODEL_NAME_CHARS
from bot.core.mentions import defuse_mentions
from bot.core.render import one_line

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

REPORTED = "fwerror_incident_report"  # event: (Sensed), once the report's answer is sent


async def sense_wave(
    bot: FwerrorBot, result: Explanation, message: discord.Message, model: str | None
) -> Sensed | None:
    """Count this answered report; the wave it is part of, or None (handled as usual).
    `model`: the model the paste names (its support checklist's), if any."""
    trouble = trouble_of(result.decision.entry)
    if trouble is None:
        return None
    model = one_line(model, MODEL_NAME_CHARS) if model else None
    return await bot.waves.sense(message.id, message.author.id, trouble, model, message.jump_url)


def notice(bot: FwerrorBot, sensed: Sensed) -> str:
    """What the answer says above itself during a wave."""
    page = bot.status_page
    status = page.line() if page is not None else ""
    text = wave_notice(sensed, bot.waves.rules, bot.knowledge.tips.status_url, status)
    return defuse_mentions(text)  # the model's name came from the paste


def takes_over(bot: FwerrorBot, sensed: Sensed | None) -> bool:
    """Whether the incident's card replaces this report's own escalation."""
    return (
        sensed is not None and sensed.takes_over and bot.settings.escalation_channel_id is not None
    )
