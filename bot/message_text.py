"""The text a message carries: its content (code blocks included) and its small text attachments.

Users paste long tracebacks as `.txt`/`.log` files because of the 2,000-character limit, so
those count as part of the message. Anything else (images, archives, big files) is skipped
silently, and a download that fails or arrives truncated is logged and skipped: reading an
attachment must never take the bot down.
"""

from __future__ import annotations

import logging
from pathlib import PurePosixPath

import aiohttp
import discord

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".log", ".json", ".py", ".js", ".ts"})
ATTACHMENT_BYTES = 1024 * 1024
MAX_ATTACHMENTS = 3  # a paste split over more files than this is not a traceback
DOWNLOAD_TIMEOUT = aiohttp.ClientTimeout(total=15)


def is_text_attachment(attachment: discord.Attachment, limit: int = ATTACHMENT_BYTES) -> bool:
    """A text file by name (or, without an extension, by content type) within the size cap."""
    suffix = PurePosixPath(attachment.filename).suffix.lower()
    if suffix:
        textual = suffix in TEXT_SUFFIXES
    else:
        textual = (attachment.content_type or "").startswith("text/")
    return textual and 0 <= attachment.size <= limit


async def read_attachment(
    session: aiohttp.ClientSession, attachment: discord.Attachment, limit: int = ATTACHMENT_BYTES
) -> str | None:
    """The attachment decoded as UTF-8, or None if the download failed or exceeded `limit`."""
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
    return data.decode("utf-8", errors="replace")


async def message_text(
    message: discord.Message, session: aiohttp.ClientSession, limit: int = ATTACHMENT_BYTES
) -> str:
    """Content first, then each readable text attachment, separated by blank lines."""
    parts = [message.content]
    wanted = [a for a in message.attachments if is_text_attachment(a, limit)][:MAX_ATTACHMENTS]
    for attachment in wanted:
        text = await read_attachment(session, attachment, limit)
        if text:
            parts.append(text)
    return "\n\n".join(part for part in parts if part.strip())
