"""A report in a wave: counting it as the answer goes out, and what the answer then says.

`bot.respond` asks `sense_wave` about each answer it is about to send; while a wave's incident
is open, the answer says so (`notice`) and, instead of escalating one by one, dispatches
`REPORTED` for the incidents feature (`bot.exts.incidents`) to post or edit the one card. The
answer's notice rests on this worker's count (`Sensing.now`); the card and the escalation on
the store's, which counts every worker's (`Sensing.settled`), and `mend_notice` corrects the
answer in the rare case the two disagree. A store slower than the deadline is acted on by
memory's count, and its own, once it lands, still reaches the card (`count_late`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.answering import Target, with_notice
from bot.core.explain import Explanation
from bot.core.incidents import Sensed, trouble_of, wave_notice
from bot.core.limits import MODEL_NAME_CHARS
from bot.core.mentions import defuse_mentions
from bot.core.render import one_line

if TYPE_CHECKING:
    from bot.bot import FwerrorBot
    from bot.waves import Sensing

log = logging.getLogger(__name__)

REPORTED = "fwerror_incident_report"  # event: (Sensed), once the report's answer is sent


def sense_wave(
    bot: FwerrorBot, result: Explanation, message: discord.Message, model: str | None
) -> Sensing | None:
    """Count this answered report, or None: its trouble never makes a wave.
    `model`: the model the paste names (its support checklist's), if any."""
    trouble = trouble_of(result.decision.entry)
    if trouble is None:
        return None
    model = one_line(model, MODEL_NAME_CHARS) if model else None
    return bot.waves.sense(message.id, message.author.id, trouble, model, message.jump_url)


def notice(bot: FwerrorBot, sensed: Sensed | None) -> str:
    """What the answer says above itself: "" outside an open incident."""
    if sensed is None or not sensed.takes_over:
        return ""
    page = bot.status_page
    status = page.line() if page is not None else ""
    text = wave_notice(sensed, bot.waves.rules, bot.knowledge.tips.status_url, status)
    return defuse_mentions(text)  # the model's name came from the paste


async def mend_notice(
    bot: FwerrorBot, answer: discord.Message, above: Target, posted: str, settled: Sensed | None
) -> None:
    """Edit the answer when the store (every worker's reports) says other than this worker
    did about the wave: one only another worker saw, or an incident closed before a restart.
    A count that differs alone is left as sent. `above`: where the answer went with its other
    notices; `posted`: the wave notice it was sent with."""
    wanted = notice(bot, settled)
    if bool(wanted) == bool(posted):
        return
    content = (with_notice(above, wanted) if wanted else above).notice or None
    try:
        await answer.edit(content=content, allowed_mentions=discord.AllowedMentions.none())
    except discord.HTTPException as error:
        log.warning("could not correct the wave notice of answer %s: %s", answer.id, error)


async def count_late(
    bot: FwerrorBot,
    wave: Sensing,
    answer: discord.Message,
    above: Target,
    posted: str,
    *,
    answered: bool,
) -> None:
    """The store's word on a report it counted after the deadline, once it lands: it still
    corrects the notice and reaches the incident's card, which would otherwise stay a report
    short (the card read before the store had it). `answered`: an answer, not a warning alone."""
    landed = await wave.landed()
    if landed is None:
        return
    await mend_notice(bot, answer, above, posted, landed)
    if answered and takes_over(bot, landed):
        bot.dispatch(REPORTED, landed)


def takes_over(bot: FwerrorBot, sensed: Sensed | None) -> bool:
    """Whether the incident's card replaces this report's own escalation."""
    return (
        sensed is not None and sensed.takes_over and bot.settings.escalation_channel_id is not None
    )
