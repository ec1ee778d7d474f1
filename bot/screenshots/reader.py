"""Read pictures in a process pool, never in the event loop, and never piling up.

The engine needs a second or more of CPU per screenshot. It runs in `workers` processes
(spawned, each with the models loaded once), each picture has a deadline, a message has at
most MAX_PICTURES read, and at most `queue` pictures wait or run at once: past that a
picture is dropped, with a log line and a metric, instead of delaying every later message.
A picture past its deadline is given up on but still counts against the queue until its
worker is done, so slow pictures can't stack up behind the caller's back.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from enum import Enum

from bot.screenshots.engine import warm_up
from bot.screenshots.images import DEFAULT_LIMITS, Limits
from bot.screenshots.worker import Found, find_text

log = logging.getLogger(__name__)

MAX_PICTURES = 3  # per message; a gallery of ten screenshots is not one error
DEADLINE = 20.0  # seconds per picture, waiting in the pool included
QUEUE = 6  # pictures waiting or being read at once, over all messages


class Result(Enum):
    READ = "read"
    REFUSED = "refused"
    DROPPED = "dropped"
    TIMEOUT = "timeout"
    FAILED = "failed"


class ScreenshotReader:
    def __init__(
        self,
        workers: int,
        limits: Limits = DEFAULT_LIMITS,
        deadline: float = DEADLINE,
        queue: int = QUEUE,
        on_result: Callable[[Result], None] = lambda _: None,
    ) -> None:
        self.workers = workers
        self.limits = limits
        self.deadline = deadline
        self.queue = queue
        self.on_result = on_result
        self.pending = 0
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # Spawned, not forked: a fork of a process running an event loop and threads
            # can inherit held locks.
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=warm_up
            )
        return self._pool

    def start(self) -> None:
        """Start the workers now, so the first screenshot doesn't wait for the models."""
        pool = self._executor()
        for _ in range(self.workers):
            pool.submit(int)

    async def read(self, data: bytes) -> Found | None:
        """The text boxes of one picture (or why it was refused); None if it wasn't read."""
        if self.pending >= self.queue:
            log.warning("screenshots: %d pictures in the queue; dropped one", self.pending)
            self.on_result(Result.DROPPED)
            return None
        try:
            future = self._executor().submit(find_text, data, self.limits)
        except (BrokenProcessPool, RuntimeError) as error:
            log.error("screenshots: the OCR pool is broken (%s); starting a new one", error)
            self._pool = None
            self.on_result(Result.FAILED)
            return None
        self.pending += 1
        loop = asyncio.get_running_loop()
        # Counted down when the worker is really done (in the pool's thread: hand it over).
        future.add_done_callback(lambda _: loop.call_soon_threadsafe(self._finished))
        try:
            found = await asyncio.wait_for(asyncio.wrap_future(future), self.deadline)
        except TimeoutError:
            log.warning("screenshots: a picture took over %.0f s; gave up on it", self.deadline)
            self.on_result(Result.TIMEOUT)
            return None
        except BrokenProcessPool as error:
            log.error("screenshots: an OCR worker died (%s); starting a new pool", error)
            self._pool = None
            self.on_result(Result.FAILED)
            return None
        if found.refused:
            log.info("screenshots: not read: %s", found.refused)
        self.on_result(Result.REFUSED if found.refused else Result.READ)
        return found

    def _finished(self) -> None:
        self.pending -= 1

    async def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
