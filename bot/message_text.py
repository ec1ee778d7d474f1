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

from bot.core.limits import ATTACHMENT_BYTES, LOG_ATTACHMENTS
from bot.sources.attachments import Attachments, looks_like_log
from bot.sources.provider import read_texts

if TYPE_CHECKING:
    from bot.screenshots.reading import Reading
    from bot.sources.pastes import PasteReader


@dataclass(frozen=True, slots=True)
class TextFile:
    """A text attachment: its text, and whether it is log-like (explained) or not (only
    searched for secrets)."""

    text: str
    is_log: bool


@dataclass(frozen=True, slots=True)
class MessageText:
    """What a message says, part by part, as read: nothing here is redacted yet.

    `bot.prepared_message` redacts each part once and joins them; the joined forms below are
    for the callers that explain raw text themselves (the CLI, /fwerror).
    """

    content: str
    files: tuple[TextFile, ...] = ()  # every text attachment, in order: what Discord holds
    pastes: tuple[str, ...] = ()  # the text of each linked paste, held on other sites
    pictures: tuple[Reading, ...] = ()  # each screenshot read (bot.pictures)

    @property
    def log_files(self) -> tuple[TextFile, ...]:
        """The log-like attachments that are explained: a traceback split over more is not one."""
        return tuple(file for file in self.files if file.is_log)[:LOG_ATTACHMENTS]

    @property
    def logs(self) -> str:
        """What is explained: the content, the log-like files, the pastes and the sure pictures."""
        return joined(
            [
                self.content,
                *[f.text for f in self.log_files],
                *self.pastes,
                *[r.text for r in self.pictures if r.trusted],
            ]
        )

    @property
    def everything(self) -> str:
        """What Discord holds: the content and every text attachment."""
        return joined([self.content, *[f.text for f in self.files]])

    @property
    def linked(self) -> str:
        return joined(list(self.pastes))

    @property
    def pictured(self) -> str:
        """What the screenshots say, sure or not: scanned for secrets apart."""
        return joined([r.whole or r.text for r in self.pictures])


def joined(parts: list[str]) -> str:
    """The parts that say anything, a blank line between them."""
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
    return MessageText(
        message.content,
        tuple(TextFile(text, looks_like_log(attachment)) for attachment, text in files),
        tuple(text for _, text in links),
    )
