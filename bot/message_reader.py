"""Reading a message: its text attachments, linked pastes and screenshots, one author at a time.

The bot holds one reader (`FwerrorBot.reader`); it owns the download session, the paste
reader and the screenshot pool, and closes them when the bot closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

import aiohttp

from bot.core.limits import ATTACHMENT_BYTES
from bot.message_text import MessageText, message_text
from bot.pictures import read_pictures, with_pictures
from bot.sources.pastes import PasteReader

if TYPE_CHECKING:
    import discord

    from bot.core.model import Knowledge
    from bot.screenshots.reader import ScreenshotReader


@dataclasses.dataclass
class ReadingTurn:
    """One author's queue of messages to read: the lock, and how many hold or wait for it."""

    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)
    queued: int = 0


class MessageReader:
    """Downloads what a message carries, within the caps; never raises on a bad download."""

    def __init__(
        self, paste_hosts: frozenset[str], screenshots: ScreenshotReader | None = None
    ) -> None:
        self.attachment_bytes = ATTACHMENT_BYTES
        self.downloads: aiohttp.ClientSession | None = None  # opened in `start`
        # None: paste links are not read (FWERROR_PASTE_HOSTS=none).
        self.pastes = PasteReader(paste_hosts) if paste_hosts else None
        # None: screenshots are not read (no `ocr` extra, or FWERROR_SCREENSHOT_WORKERS=0).
        self.screenshots = screenshots
        self._turns: dict[int, ReadingTurn] = {}  # by author id: see `turn`

    def start(self) -> None:
        self.downloads = aiohttp.ClientSession()
        if self.screenshots is not None:
            self.screenshots.start()

    async def close(self) -> None:
        if self.downloads is not None:
            await self.downloads.close()
        if self.pastes is not None:
            await self.pastes.close()
        if self.screenshots is not None:
            await self.screenshots.close()

    async def read(
        self, message: discord.Message, knowledge: Knowledge, *, links: bool = True
    ) -> MessageText:
        """The message's text with its text attachments (and linked pastes), within the caps,
        and what its screenshots say (`bot.pictures`).

        `links=False` when only the text Discord holds matters (containing an edit's secret:
        an edit can't add a picture).
        """
        if self.downloads is None:
            return MessageText(message.content)
        pastes = self.pastes if links else None
        text = await message_text(message, self.downloads, self.attachment_bytes, pastes)
        if not links or self.screenshots is None:
            return text
        readings = await read_pictures(
            message.attachments, self.downloads, self.screenshots, knowledge
        )
        return with_pictures(text, readings)

    @contextlib.asynccontextmanager
    async def turn(self, user_id: int) -> AsyncIterator[None]:
        """One read per author at a time, other authors in parallel.

        A flood of big pastes from one user is read in turn, and once one is answered the
        cooldown (checked again inside the turn) stops the rest from being explained; each is
        still read and searched for secrets.
        """
        turn = self._turns.setdefault(user_id, ReadingTurn())
        turn.queued += 1
        try:
            async with turn.lock:
                yield
        finally:
            turn.queued -= 1
            if not turn.queued:
                del self._turns[user_id]
