"""A message's attachments as a source of text.

Users paste long tracebacks as `.txt`/`.log` files because of the 2,000-character limit. A key
can sit in any text file, though (`settings.yaml`, `.env`, `run.sh`), so every attachment up to
Discord's ten per message is read and kept if its bytes are text, whatever its name or content
type says. Images Discord could decode, big files and binary data are skipped silently, and a
download that fails or arrives truncated is logged and skipped: reading an attachment must
never take the bot down.
"""

from __future__ import annotations

import logging
from pathlib import PurePosixPath

import aiohttp
import discord

from bot.core.limits import ATTACHMENT_BYTES
from bot.core.render import MESSAGE_ATTACHMENTS
from bot.sources.text import capped_body, readable_text

log = logging.getLogger(__name__)

LOG_SUFFIXES = frozenset({".txt", ".log", ".json", ".py", ".js", ".ts"})
MAX_ATTACHMENTS = MESSAGE_ATTACHMENTS  # Discord's limit: every one is searched for secrets
DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=15)


def looks_like_log(attachment: discord.Attachment) -> bool:
    """A log or source file by name (or, without an extension, a text content type)."""
    suffix = PurePosixPath(attachment.filename).suffix.lower()
    if suffix:
        return suffix in LOG_SUFFIXES
    return (attachment.content_type or "").startswith("text/")


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
            data = await capped_body(response, limit)
            if data is None:
                log.info("attachment %s: over %d bytes, skipped", attachment.id, limit)
            return data
    except (TimeoutError, aiohttp.ClientError) as error:
        log.warning("attachment %s: download failed (%s), skipped", attachment.id, error)
        return None


class Attachments:
    """The `Provider` of a message's text attachments, each at most `limit` bytes."""

    def __init__(self, session: aiohttp.ClientSession, limit: int = ATTACHMENT_BYTES) -> None:
        self.session = session
        self.limit = limit

    def find(self, message: discord.Message) -> list[discord.Attachment]:
        wanted = [a for a in message.attachments if _worth_reading(a, self.limit)]
        return wanted[:MAX_ATTACHMENTS]

    async def fetch(self, source: discord.Attachment) -> str | None:
        return readable_text(await read_attachment(self.session, source, self.limit))
