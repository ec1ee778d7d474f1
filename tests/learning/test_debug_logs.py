"""Logs at DEBUG, end to end: nothing users wrote, whichever library logs it."""

from __future__ import annotations

import logging

import pytest

from bot.observability.logs import configure_logging
from tests.exts.conftest import RATE_LIMIT_PASTE
from tests.learning.conftest import World


async def test_a_bot_at_debug_logs_no_users_text_or_author_id(
    world: World, capsys: pytest.CaptureFixture
) -> None:
    """End to end at DEBUG: discord.py's gateway and HTTP dumps, aiosqlite's calls and the
    bot's own lines together hold neither the paste's text nor who wrote it."""
    marker = "USER-TEXT-MARKER-in-the-paste"
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging("DEBUG")
        async with world.bot() as bot:
            paste, _ = await world.answered(f"{RATE_LIMIT_PASTE}\n{marker}")
            await bot.store.flush()
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    written = capsys.readouterr().err
    assert "DEBUG" in written and "decision feature=listener" in written  # the control
    assert marker not in written
    assert paste["author"]["id"] not in written
