"""The interface every source of a message's text has (refraction's `LogProvider`): find the
sources in a message, then fetch each one's text. A new kind of source is one new provider."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Protocol, TypeVar

import discord

SourceT = TypeVar("SourceT")


class Provider(Protocol[SourceT]):
    def find(self, message: discord.Message) -> Sequence[SourceT]:
        """The sources of text in `message`, in order, no more than are ever read."""
        ...

    async def fetch(self, source: SourceT) -> str | None:
        """The source's text, or None (logged) when it can't or mustn't be read, or is blank."""
        ...


async def read_texts(
    provider: Provider[SourceT], message: discord.Message
) -> list[tuple[SourceT, str]]:
    """Each readable source in `message` with its text, in order; the fetches run at once."""
    sources = provider.find(message)
    if not sources:
        return []
    read = await asyncio.gather(*(provider.fetch(source) for source in sources))
    return [(source, text) for source, text in zip(sources, read, strict=True) if text]
