"""Where the bot counts waves: in the store when it has one (shared by every worker and kept
across restarts), else in memory. The rules are `bot.core.incidents`'; this only chooses
where they are applied, and falls back to memory whenever the store is slow or down.

Each report is counted in memory at once and sent to the store, whose word takes longer (a
few statements, and a row lock shared with other workers). The answer goes out on memory's
word, which the store's reports warm at start-up; the escalation, or the incident's card that
replaces it, waits for the store's, after the answer is sent (`Sensing`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.incidents import (
    KEPT_REPORTS,
    Incident,
    IncidentState,
    MemoryWaves,
    Report,
    Sensed,
    WaveRules,
)
from bot.store.service import StoreService
from bot.store.store import StoreUnavailable

log = logging.getLogger(__name__)

# A wave report is a few statements, and two workers reporting one wave wait on each other's
# row lock: the escalation (after the answer) waits this long for it, then trusts memory.
REPORT_TIMEOUT = 1.0


@dataclass(frozen=True, slots=True)
class Sensing:
    """One report: memory's word now, the store's (every worker's reports) on its way."""

    now: Sensed | None
    sent: asyncio.Task[Sensed | None] | None = None

    async def settled(self) -> Sensed | None:
        """The store's word, or memory's when the store is slow, down or not configured."""
        if self.sent is None:
            return self.now
        try:
            return await self.sent
        except StoreUnavailable as error:
            log.warning("waves: counted in memory, the store failed (%s)", error)
            return self.now


class WaveTracker:
    def __init__(
        self,
        store: StoreService,
        rules: WaveRules,
        *,
        clock: Callable[[], float] = time.time,
        timeout: float = REPORT_TIMEOUT,
    ) -> None:
        self.store = store
        self.rules = rules
        self.clock = clock  # tests move it forward instead of sleeping
        self.timeout = timeout
        self.memory = MemoryWaves()
        self._seen: dict[str, Incident] = {}  # the latest incident of each trouble, for metrics
        self._sent: set[asyncio.Task[Sensed | None]] = set()  # reports on their way to the store

    async def warm(self) -> None:
        """Count the store's reports of the last window in memory, and their incidents'
        states, so memory's word after a restart is the store's."""
        if self.store.store is None:
            return
        since = self.clock() - self.rules.window
        try:
            reports = await self.store.incidents(lambda s: s.recent_reports(since, KEPT_REPORTS))
            incidents = await self.store.incidents(lambda s: s.recent_incidents(since))
        except StoreUnavailable as error:
            log.warning("waves: memory starts empty, the store failed (%s)", error)
            return
        for report in reports:
            self.memory.report(report, self.rules)
        for incident in incidents:
            self.memory.set_state(incident.key, incident.state)

    def sense(
        self,
        message_id: int,
        reporter_id: int,
        trouble: str,
        model: str | None,
        jump_url: str,
    ) -> Sensing:
        """Count one report: in memory now, in the store in the background."""
        report = Report(message_id, reporter_id, trouble, self.clock(), model, jump_url)
        now = self.memory.report(report, self.rules)
        if self.store.store is None:
            return Sensing(now)
        sent = asyncio.create_task(self.store.report_wave(report, self.rules, self.timeout))
        self._sent.add(sent)  # the loop keeps only a weak reference to a task
        sent.add_done_callback(self._sent.discard)
        sent.add_done_callback(_retrieved)
        return Sensing(now, sent)

    def seen(self, incident: Incident) -> None:
        """Keep the latest reading of each trouble's incident, for `open_now`."""
        latest = self._seen.get(incident.trouble)
        if latest is None or latest.key != incident.key or latest.reports <= incident.reports:
            self._seen[incident.trouble] = incident

    def open_now(self) -> list[Incident]:
        """The incidents still open whose wave is not over, as this worker last saw them."""
        cutoff = self.clock() - self.rules.window
        return [
            incident
            for incident in self._seen.values()
            if incident.state is IncidentState.OPEN and incident.last_seen >= cutoff
        ]

    async def incident(self, key: int) -> Incident | None:
        """The whole incident as stored now (every worker's reports)."""
        found = None
        if self.store.store is not None:
            try:
                found = await self.store.incidents(lambda s: s.incident(key))
            except StoreUnavailable:
                found = None
        found = found or self.memory.incident(key)
        if found is not None:
            self.seen(found)
        return found

    async def set_state(self, key: int, state: IncidentState, by: int) -> Incident | None:
        changed = self.memory.set_state(key, state)
        if self.store.store is not None:
            try:
                changed = await self.store.incidents(
                    lambda s: s.set_incident(key, state=state, by=by)
                )
            except StoreUnavailable as error:
                log.warning("incident %s: state kept in memory only (%s)", key, error)
        if changed is not None:
            self.seen(changed)
        return changed

    async def set_card(self, key: int, queue_message_id: int) -> Incident | None:
        """Remember the incident's card; the incident as stored now (other workers' reports
        included, so the caller can tell whether the card it posted is already behind)."""
        self.memory.set_card(key, queue_message_id)
        if self.store.store is not None:
            try:
                return await self.store.incidents(
                    lambda s: s.set_incident(key, queue_message_id=queue_message_id)
                )
            except StoreUnavailable:
                pass
        return self.memory.incident(key)

    async def recent(self, seconds: float) -> list[Incident]:
        """Incidents seen in the last `seconds`, newest first."""
        since = self.clock() - seconds
        if self.store.store is not None:
            try:
                return await self.store.incidents(lambda s: s.recent_incidents(since))
            except StoreUnavailable:
                pass
        return self.memory.recent(since)


def _retrieved(task: asyncio.Task[Sensed | None]) -> None:
    """A report whose answer failed is never settled: its error is still retrieved."""
    if not task.cancelled():
        task.exception()
