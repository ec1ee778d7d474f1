"""Screenshots in a message: which attachments are pictures, reading them, and what they add.

A picture's text joins the message's text for the matcher only when the engine was sure of
it (`Reading.trusted`); every picture's text, sure or not, is searched for secrets, because a
half-read key is still a leaked key. Without the `ocr` extra (or with
FWERROR_SCREENSHOT_WORKERS=0) nothing here runs and the bot says so once at start-up.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import aiohttp
import discord

from bot.core.limits import PICTURE_QUOTE_CHARS, PICTURE_QUOTE_LEAD
from bot.core.render import one_line
from bot.message_text import MessageText
from bot.screenshots.engine import EXTRA, available
from bot.screenshots.images import MAX_BYTES
from bot.screenshots.reader import MAX_PICTURES, Result, ScreenshotReader
from bot.screenshots.reading import Reading, confusions_for, reading
from bot.screenshots.vocabulary import vocabulary
from bot.sources.attachments import read_attachment

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.core.explain import Explanation
    from bot.core.model import Knowledge
    from bot.settings import Settings

log = logging.getLogger(__name__)

PICTURE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif"})
READ_FROM = "Read from your screenshot: `{quote}`"
UNSURE = (
    "I couldn't read your screenshot clearly. It seems to say: `{quote}`\n"
    "Please paste the error as text (in a code block) and I'll take another look."
)


def screenshot_reader(
    settings: Settings, on_result: Callable[[Result], None]
) -> ScreenshotReader | None:
    """The pool that reads screenshots, or None when they are off or can't be read."""
    if settings.screenshot_workers == 0 or not available():
        return None
    return ScreenshotReader(settings.screenshot_workers, on_result=on_result)


def screenshots_off(settings: Settings) -> str:
    """Why screenshots are not read, and how to turn them on: said once at start-up."""
    if settings.screenshot_workers == 0:
        return "Screenshots are not read: FWERROR_SCREENSHOT_WORKERS is 0."
    return f"Screenshots are not read: the OCR engine is not installed ({EXTRA})."


def is_picture(attachment: discord.Attachment) -> bool:
    """An image by its name or content type; its bytes are checked again before decoding."""
    if (attachment.content_type or "").startswith("image/"):
        return True
    return PurePosixPath(attachment.filename).suffix.lower() in PICTURE_SUFFIXES


async def read_pictures(
    attachments: list[discord.Attachment],
    session: aiohttp.ClientSession,
    reader: ScreenshotReader,
    knowledge: Knowledge,
) -> tuple[Reading, ...]:
    """The first MAX_PICTURES picture attachments, each read within the reader's caps."""
    wanted = [a for a in attachments if is_picture(a)][:MAX_PICTURES]
    # The declared size is checked first, the real body again while it downloads.
    wanted = [a for a in wanted if 0 <= a.size <= reader.limits.max_bytes]
    if not wanted:
        return ()
    downloads = await asyncio.gather(
        *(read_attachment(session, a, min(reader.limits.max_bytes, MAX_BYTES)) for a in wanted)
    )
    found = await asyncio.gather(*(reader.read(data) for data in downloads if data))
    confusions, words = confusions_for(knowledge), vocabulary(knowledge)
    return tuple(reading(f, confusions, words) for f in found if f is not None)


def with_pictures(text: MessageText, readings: tuple[Reading, ...]) -> MessageText:
    """`text` with what its pictures say: the sure readings explained, all of them scanned
    (`MessageText.logs`, `.pictured`); what Discord holds is unchanged."""
    return replace(text, pictures=readings) if readings else text


def picture_quote(result: Explanation, said: str) -> str:
    """ "Read from your screenshot: ..." when the answer rests on a picture, else "".

    `said` is what the sure pictures say, redacted (`PreparedMessage.trusted_pictures`): the
    quote must never echo a key."""
    if not said:
        return ""
    for evidence in result.decision.evidence:
        start = said.find(evidence.text) if evidence.text.strip() else -1
        if start >= 0:
            line_start = said.rfind("\n", 0, start) + 1
            line_end = said.find("\n", start + len(evidence.text))
            line = said[line_start : line_end if line_end >= 0 else None]
            # A long line is quoted from a little before what the answer rests on.
            lead = start - line_start - PICTURE_QUOTE_LEAD
            if len(line) > PICTURE_QUOTE_CHARS and lead > 0:
                line = "…" + line[lead:]
            return READ_FROM.format(quote=_code(line))
    return ""


def unsure_notice(pictures: tuple[Reading, ...]) -> str:
    """What the bot could make of pictures it couldn't read well (explicit mode only)."""
    unsure = [r for r in pictures if not r.trusted and r.text.strip()]
    if not unsure or any(r.trusted for r in pictures):
        return ""
    return UNSURE.format(quote=_code(unsure[0].text))


def _code(text: str) -> str:
    return one_line(text, PICTURE_QUOTE_CHARS).replace(
        "`", "\u02cb"
    )  # a user's backtick can't end the quote
