"""The text a message carries: its content (code blocks included) and its text attachments.

Users paste long tracebacks as `.txt`/`.log` files because of the 2,000-character limit, so
those count as part of the message. Every text attachment is read (`bot.sources.attachments`)
and searched for secrets; only the log-like files are explained.

A link to a paste site is read the same way (`bot.sources.pastes`): its text is explained with
the logs, and kept apart in `linked`, because a secret in it sits on another site, where the
bot can't delete it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.sources.attachments import ATTACHMENT_BYTES, Attachments, looks_like_log
from bot.sources.provider import read_texts

if TYPE_CHECKING:
    from bot.screenshots.reading import Reading
    from bot.sources.pastes import PasteReader

LOG_ATTACHMENTS = 3  # a traceback split over more files than this is not one


@dataclass(frozen=True, slots=True)
class MessageText:
    """What a message says: the part to explain, and all of it to search for secrets."""

    logs: str  # the content, the log-like text attachments and the linked pastes
    everything: str  # the content and every text attachment: what Discord holds
    linked: str = ""  # the text of the linked pastes, held on other sites
    pictured: str = ""  # what the screenshots say, sure or not (bot.pictures): scanned apart
    pictures: tuple[Reading, ...] = ()  # each screenshot read


def _joined(parts: list[str]) -> str:
    return "\n\n".join(part for part in parts if part.strip())


async def message_text(
    message: discord.Message,
    session: aiohttp.ClientSession,
    limit: int = ATTACHMENT_BYTES,
    pastes: PasteReader | None = None,
) -> MessageText:
    """Content first, then each text attachment in order, then the linked pastes."""
    files = await read_texts(Attachments(session, limit), message)
    links = await read_texts(pastes, message) if pastes is not None else []
    linked = [text for _, text in links]
    logs = _joined(
        [
            message.content,
            *[text for a, text in files if looks_like_log(a)][:LOG_ATTACHMENTS],
            *linked,
        ]
    )
    everything = _joined([message.content, *[text for _, text in files]])
    return MessageText(logs, logs if everything == logs else everything, _joined(linked))
