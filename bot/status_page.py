"""The status page, read in the background when `FWERROR_STATUS_PAGE_URL` is set.

It expects the Atlassian Statuspage `summary.json` format (`status.indicator`,
`status.description`, `incidents[].name`); whether Fireworks' own status page serves it is not
confirmed. Answers never wait on it: a loop fetches the page with a timeout, keeps the last
good reading, and backs off after failures; answers and `/fwerror-admin status` read the
cached reading only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from bot.core.render import one_line

log = logging.getLogger(__name__)

POLL_SECONDS = 60.0
TIMEOUT_SECONDS = 5.0
MAX_BACKOFF_SECONDS = 900.0
MAX_BYTES = 1024 * 1024
SHOWN_INCIDENTS = 3
TITLE_CHARS = 100
INDICATORS = ("none", "minor", "major", "critical", "maintenance")


class StatusPageError(ValueError):
    """The page answered, but not with a Statuspage summary."""


@dataclass(frozen=True, slots=True)
class StatusReading:
    """What the status page said, and when it was read."""

    indicator: str  # none, minor, major, critical or maintenance
    description: str  # "All Systems Operational", "Partial System Outage", ...
    incidents: tuple[str, ...]  # titles of the incidents not yet resolved
    read_at: float

    @property
    def operational(self) -> bool:
        return self.indicator == "none" and not self.incidents


def parse_summary(data: Any, read_at: float) -> StatusReading:
    """A Statuspage summary.json, already decoded; raises `StatusPageError` if it isn't one."""
    status = data.get("status") if isinstance(data, dict) else None
    if not isinstance(status, dict):
        raise StatusPageError("no 'status' object: not a Statuspage summary.json")
    indicator = status.get("indicator")
    description = status.get("description")
    if indicator not in INDICATORS or not isinstance(description, str):
        raise StatusPageError(f"unexpected status.indicator {str(indicator)[:30]!r}")
    incidents = data.get("incidents") or []
    if not isinstance(incidents, list):
        raise StatusPageError("'incidents' is not a list")
    titles = tuple(
        one_line(item["name"], TITLE_CHARS)
        for item in incidents
        if isinstance(item, dict)
        and isinstance(item.get("name"), str)
        and item.get("status") not in ("resolved", "postmortem")
    )
    return StatusReading(indicator, one_line(description, TITLE_CHARS), titles, read_at)


def status_line(reading: StatusReading | None, now: float) -> str:
    """One line for an answer or the admin status: the state, open incidents, and its age."""
    if reading is None:
        return ""
    parts = [f"Status page: **{reading.description}**"]
    if reading.incidents:
        parts.append("; ".join(reading.incidents[:SHOWN_INCIDENTS]))
    age = now - reading.read_at
    if age > 2 * POLL_SECONDS:
        parts.append(f"(read {round(age / 60)} min ago)")
    return " · ".join(parts)


class StatusPage:
    """Polls one summary.json; `reading` is the last good one (None until the first)."""

    def __init__(
        self,
        url: str,
        *,
        interval: float = POLL_SECONDS,
        timeout: float = TIMEOUT_SECONDS,
        max_backoff: float = MAX_BACKOFF_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = url
        self.interval = interval
        self.timeout = timeout
        self.max_backoff = max_backoff
        self.clock = clock
        self.reading: StatusReading | None = None
        self.error: str | None = None  # why the last poll failed; None after a good one
        self.failures = 0
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        self._task = asyncio.create_task(self._loop(), name="fwerror status page")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._session is not None:
            await self._session.close()

    def next_wait(self) -> float:
        """The interval after a good poll; doubled per failure in a row, up to the cap."""
        if not self.failures:
            return self.interval
        return min(self.interval * 2**self.failures, self.max_backoff)

    async def _loop(self) -> None:
        while True:
            await self.poll()
            await asyncio.sleep(self.next_wait())

    async def poll(self) -> bool:
        """Read the page once; whether it gave a reading. Never raises."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        try:
            async with self._session.get(self.url, allow_redirects=False) as response:
                if response.status != 200:
                    raise StatusPageError(f"HTTP {response.status}")
                body = await response.content.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise StatusPageError("over 1 MiB")
            try:
                data = json.loads(body)
            except ValueError as error:
                raise StatusPageError(f"malformed JSON ({error})") from None
            self.reading = parse_summary(data, self.clock())
        except (TimeoutError, aiohttp.ClientError, StatusPageError, OSError) as error:
            self.failures += 1
            why = str(error) or type(error).__name__
            if self.error != why:
                log.warning(
                    "status page %s: %s; retrying in %.0f s", self.url, why, self.next_wait()
                )
            self.error = why
            return False
        if self.error is not None:
            log.info("status page %s: readable again", self.url)
        self.failures, self.error = 0, None
        return True

    def line(self) -> str:
        return status_line(self.reading, self.clock())
