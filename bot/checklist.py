"""What every path to a human shows: the checklist for support@fireworks.ai.

An escalated answer carries it; "Talk to a human" and "Didn't help" build it again from the
message the button names (re-read and redacted, as the answer was), so the user gets the same
ready-to-send list however they asked. An answer with no message behind it (`/fwerror`) has
no paste to fill it from: every item is marked missing.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord

from bot.core.explain import Explanation, explain, support_for
from bot.core.model import Entry
from bot.core.render import entry_in_footer
from bot.core.reply import SupportRequest
from bot.human_button import THIS_MESSAGE

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Named:
    """The message an answer's buttons name, explained; or only the answer when there is none."""

    message: discord.Message | None
    explanation: Explanation | None
    support: SupportRequest
    entry: Entry | None  # what the answer was about

    @property
    def fix_is_users(self) -> bool:
        """Whether the error is one the user fixes (see `Decision.fix_is_users`)."""
        if self.explanation is not None:
            return self.explanation.decision.fix_is_users
        return self.entry is not None and not self.entry.escalate


async def read_named(
    bot: FwerrorBot,
    channel: discord.abc.Messageable,
    message_id: int,
    answer: discord.Message | None,
) -> Named:
    """Re-read and explain the message `message_id`, falling back to the answer's own entry."""
    knowledge = bot.knowledge
    if message_id != THIS_MESSAGE:
        try:
            message = await channel.fetch_message(message_id)
        except discord.HTTPException as error:
            log.warning("checklist: could not fetch message %s: %s", message_id, error)
        else:
            text = await bot.read_message(message)
            # Off the loop: a message with its attachments can be megabytes to redact.
            result = await asyncio.to_thread(explain, text, knowledge, "explicit")
            support = support_for(
                result.redaction.text, knowledge, result.decision.evidence, message.created_at
            )
            return Named(message, result, support, result.decision.entry)
    footer = answer.embeds[0].footer.text if answer is not None and answer.embeds else None
    entry_id = entry_in_footer(footer)
    entry = knowledge.by_id.get(entry_id) if entry_id else None
    return Named(None, None, support_for("", knowledge), entry)
