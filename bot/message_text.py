"""The text a message carries: its content (code blocks included) and its text attachments.

Users paste long tracebacks as `.txt`/`.log` files because of the 2,000-character limit, so
those count as part of the message. A key can sit in any text file, though (`settings.yaml`,
`.env`, `run.sh`), so every attachment up to Discord's ten per message is read and kept if its
bytes are text, whatever its name or content type says: all of that is searched for secrets,
and only the log-like files are explained. Images Discord could decode, big files and binary
data are skipped silently, and a download that fails or arrives truncated is logged and
skipped: reading an attachment must never take the bot down.

A link to a paste site is read the same way (`bot.paste_links`): its text is explained with
the logs, and kept apart in `linked`, because a secret in it sits on another site, where the
bot can't delete it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.core.limits import ATTACHMENT_BYTES, LOG_ATTACHMENTS
from bot.core.render import MESSAGE_ATTACHMENTS

if TYPE_CHECKING:
    from bot.paste_links import PasteReader
    from bot.screenshots.reading import Reading

log = logging.getLogger(__name__)

LOG_SUFFIXES = frozenset({".txt", ".log", ".json", ".py", ".js", ".ts"})
MAX_ATTACHMENTS = MESSAGE_ATTACHMENTS  # Discord's limit: every one is searched for secrets
DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=15)
_NOT_TEXT = 0.1  # more undecodable characters than this share, and the bytes are binary
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


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


def looks_like_log(attachment: discord.Attachment) -> bool:
    """A log or source file by name (or, without an extension, a text content type)."""
    suffix = PurePosixPath(attachment.filename).suffix.lower()
    if suffix:
        return suffix in LOG_SUFFIXES
    return (attachment.content_type or "").startswith("text/")


def _utf16_order(data: bytes) -> str | None:
    """ "utf-16-le" or "-be" when the NULs fall on every other byte, as in UTF-16 ASCII text."""
    half = len(data) // 2
    if len(data) % 2 or not half:
        return None
    odd, even = data[1::2].count(0), data[0::2].count(0)
    if odd > half // 3 and even == 0:
        return "utf-16-le"
    if even > half // 3 and odd == 0:
        return "utf-16-be"
    return None


def sniff_text(data: bytes) -> str | None:
    """`data` decoded if its bytes are text (UTF-8, or UTF-16 by BOM or NUL pattern), else None.

    A few undecodable bytes (a Latin-1 accent in a log) don't make a file binary; NULs do.
    """
    if data.startswith(_UTF16_BOMS):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data:
        order = _utf16_order(data)
        if order is None:
            return None
        text = data.decode(order, errors="replace")
    else:
        text = data.decode("utf-8-sig", errors="replace")
    if "\x00" in text or text.count("\ufffd") > _NOT_TEXT * len(text):
        return None
    return text


def _worth_reading(attachment: discord.Attachment, limit: int) -> bool:
    # Discord gives dimensions only to images and videos it could decode: not text.
    return attachment.width is None and 0 <= attachment.size <= limit


async def read_attachment(
    session: aiohttp.ClientSession, attachment: discord.Attachment, limit: int = ATTACHMENT_BYTES
) -> bytes | None:
    """The attachment's bytes, or None if the download failed or exceeded `limit`."""
    try:
        async with session.get(attachment.url, timeout=DOWNLOAD_TIMEOUT) as response:
            if response.status != 200:
                log.warning("attachment %s: download answered %s", attachment.id, response.status)
                return None
            data = bytearray()
            # The declared size can lie; stop as soon as the real body passes the cap.
            async for chunk in response.content.iter_chunked(64 * 1024):
                data += chunk
                if len(data) > limit:
                    log.info("attachment %s: over %d bytes, skipped", attachment.id, limit)
                    return None
    except (TimeoutError, aiohttp.ClientError) as error:
        log.warning("attachment %s: download failed (%s), skipped", attachment.id, error)
        return None
    return bytes(data)


async def _read_file(
    session: aiohttp.ClientSession, attachment: discord.Attachment, limit: int
) -> TextFile | None:
    data = await read_attachment(session, attachment, limit)
    text = sniff_text(data) if data else None
    if text is None or not text.strip():
        return None
    return TextFile(text, looks_like_log(attachment))


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
    wanted = [a for a in message.attachments if _worth_reading(a, limit)][:MAX_ATTACHMENTS]
    read = await asyncio.gather(*(_read_file(session, a, limit) for a in wanted))
    linked = await pastes.read_all(message.content) if pastes is not None else []
    return MessageText(
        message.content, tuple(file for file in read if file is not None), tuple(linked)
    )
