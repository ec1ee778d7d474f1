"""A turn for the event loop after each gateway event discord.py reads.

discord.py reads the gateway's events one after another without giving the loop a turn while
its socket buffer holds more: during a burst of thousands of messages one read went on for up
to 0.45 s, and every reply, claim and timer waited behind it. Taking a turn after each event
costs one pass of the loop (microseconds) and bounds that wait to one event's parsing.
"""

from __future__ import annotations

import asyncio

from discord.gateway import DiscordWebSocket

_read_one = DiscordWebSocket.poll_event


async def _read_one_then_yield(self: DiscordWebSocket) -> None:
    await _read_one(self)
    await asyncio.sleep(0)


def give_turns() -> None:
    """Install the turn (idempotent): discord.py has no hook for it, so its method is wrapped."""
    DiscordWebSocket.poll_event = _read_one_then_yield  # type: ignore[method-assign]
