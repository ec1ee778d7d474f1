"""Handlers still at work when the bot closes.

discord.py runs each event handler (and each command or button press) as a task of its own
and nothing waits for them: closing shut the HTTP sessions under the answers being written (a
paste being read failed with "Connector is closed" and its answer was never posted; a post
after the close meets "Session is closed"), and an escalation due once the store had counted
its report was lost. The bot tracks these tasks here; closing stops reading new messages,
waits for them a bounded while (`DRAIN_SECONDS`), and cancels the few still running then, with
one line in the log.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

DRAIN_SECONDS = 5.0  # what closing waits for answers being written; less than a stop's grace
UNWIND_SECONDS = 1.0  # what it then waits for the cancelled ones to unwind


class InFlight:
    """The handler tasks running now; `closing` once the bot stops taking new work."""

    def __init__(self, seconds: float = DRAIN_SECONDS) -> None:
        self.seconds = seconds
        self.closing = False
        self._tasks: set[asyncio.Task[Any]] = set()  # the loop keeps only weak references

    def track(self, task: asyncio.Task[Any]) -> asyncio.Task[Any]:
        """Count `task` until it ends; returned for the caller's convenience."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def track_current(self) -> None:
        """Count the task running this handler (one discord.py started without telling)."""
        if (task := asyncio.current_task()) is not None:
            self.track(task)

    async def drain(self) -> None:
        """Stop taking new work and wait up to `seconds` for what is running, handlers those
        start included (a card's update after its answer); cancel what is left."""
        self.closing = True
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        while (running := self._others()) and (left := deadline - loop.time()) > 0:
            await asyncio.wait(running, timeout=left)
        if not (late := self._others()):
            return
        log.warning(
            "closing: cancelled %d handler(s) still running after %g s: %s",
            len(late),
            self.seconds,
            ", ".join(sorted({task.get_name() for task in late})),
        )
        for task in late:
            task.cancel()
        await asyncio.wait(late, timeout=UNWIND_SECONDS)

    def _others(self) -> set[asyncio.Task[Any]]:
        """The tracked tasks but the one closing the bot (a command may close it)."""
        return self._tasks - {asyncio.current_task()}
