"""An append-only log that tests wait on, so they react to traffic instead of sleeping."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Journal(Generic[T]):
    """Entries in arrival order. `wait_for` claims an entry so sequential waits see successive ones.

    Claiming matters: after "wait for the first POST" a second wait must return the *next* POST
    (say, discord.py's retry after a 429), not the one already seen.
    """

    def __init__(self) -> None:
        self.entries: list[T] = []
        self._claimed: set[int] = set()
        self._changed = asyncio.Event()

    def append(self, entry: T) -> None:
        self.entries.append(entry)
        self._changed.set()

    def unclaimed(self, predicate: Callable[[T], bool]) -> list[T]:
        return [
            entry
            for index, entry in enumerate(self.entries)
            if index not in self._claimed and predicate(entry)
        ]

    def claim_all(self) -> None:
        self._claimed.update(range(len(self.entries)))

    async def wait_for(self, predicate: Callable[[T], bool], timeout: float, what: str) -> T:
        try:
            async with asyncio.timeout(timeout):
                while True:
                    for index, entry in enumerate(self.entries):
                        if index not in self._claimed and predicate(entry):
                            self._claimed.add(index)
                            return entry
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            seen = "\n  ".join(map(str, self.unclaimed(lambda _: True))) or "nothing"
            raise TimeoutError(f"no {what} within {timeout}s; unclaimed:\n  {seen}") from None

    async def wait_quiet(self, quiet: float) -> None:
        """Return once no entry has arrived for `quiet` seconds."""
        while True:
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), quiet)
            except TimeoutError:
                return
