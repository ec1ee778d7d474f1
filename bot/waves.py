"""Where the bot counts waves: in the store when it has one (shared by every worker and kept
across restarts), else in memory. The rules are `bot.core.incidents`'; this only chooses
where they are applied, and falls back to memory whenever the store is slow or down.

Each report is counted in memory at once and queued for the store, whose word takes longer (a
few statements, and a row lock shared with other workers). The answer goes out on memory's
word, which the store's reports warm at start-up; the escalation, or the incident's card that
replaces it, waits for the store's, after the answer is sent, at most `REPORT_TIMEOUT`
(`Sensing`). A store slower than that still has the last word: when its count lands, it
reaches the card (`Sensing.landed`), or the card would stay a report short. One batch of
reports is on its way to the store at a time, and the reports that come meanwhile go together
in the next: a report alone is sent at once, and a burst of server errors costs a few
statements per trouble, not a transaction per message.
"""

from __future__ import annotations

import asyncio
import functools
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

# Two workers reporting one wave wait on each other's row lock: the escalation (after the
# answer) waits this long for the store's word, then trusts memory's.
REPORT_TIMEOUT = 1.0


@dataclass(slots=True)
class Sensing:
    """One report: memory's word now, the store's (every worker's reports) on its way."""

    now: Sensed | None
    stored: asyncio.Future[Sensed | None] | None = None  # set when the batch lands, late or not
    timeout: float = REPORT_TIMEOUT
    late: bool = False  # `settled` gave memory's word: the store's had not come in time

    async def settled(self) -> Sensed | None:
        """The store's word, or memory's when the store is slow, down or not configured."""
        if self.stored is None:
            return self.now
        try:
            # shield: past the deadline, the store's word still comes, for `landed`.
            return await asyncio.wait_for(asyncio.shield(self.stored), self.timeout)
        except TimeoutError:
            self.late = True
            return self.now
        except StoreUnavailable:
            return self.now

    async def landed(self) -> Sensed | None:
        """The store's word once it lands, when `settled` could not wait for it; None when
        `settled` had it, or the store then fails (memory's word stands)."""
        if self.stored is None or not self.late:
            return None
        try:
            return await self.stored
        except StoreUnavailable:
            return None


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
        self._queued: list[tuple[Report, asyncio.Future[Sensed | None]]] = []
        self._ready = asyncio.Event()
        self._writer: asyncio.Task[None] | None = None
        self._batches: set[asyncio.Task[list[Sensed | None]]] = set()  # the loop's refs are weak

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
        """Count one report: in memory now, in the store with the next batch."""
        report = Report(message_id, reporter_id, trouble, self.clock(), model, jump_url)
        now = self.memory.report(report, self.rules)
        if self.store.store is None:
            return Sensing(now)
        stored: asyncio.Future[Sensed | None] = asyncio.get_running_loop().create_future()
        self._queued.append((report, stored))
        self._ready.set()
        if self._writer is None:
            self._writer = asyncio.create_task(self._write(), name="fwerror wave reports")
        return Sensing(now, stored, self.timeout)

    async def close(self) -> None:
        """Send what is queued and wait (within the deadline) for the batches on their way, so
        a restart counts them."""
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.wait([self._writer], timeout=self.timeout)  # never hangs a shutdown
        if self._queued:
            batch, self._queued = self._queued, []
            await self._write_batch(batch)
        if self._batches:
            await asyncio.wait(self._batches, timeout=self.timeout)

    async def _write(self) -> None:
        while True:
            await self._ready.wait()
            self._ready.clear()
            batch, self._queued = self._queued, []
            await self._write_batch(batch)

    async def _write_batch(self, batch: list[tuple[Report, asyncio.Future[Sensed | None]]]) -> None:
        sent = self._send([report for report, _ in batch])
        sent.add_done_callback(functools.partial(_settle, batch))  # late or not, failed or not
        try:
            # shield: a batch past its deadline still lands, so the counts stay right; the
            # next batch waits for it at most this long.
            await asyncio.wait_for(asyncio.shield(sent), self.timeout)
        except StoreUnavailable as error:
            log.warning(
                "waves: %d report(s) counted in memory: the store failed (%s)", len(batch), error
            )
        except TimeoutError:
            log.warning(
                "waves: %d report(s) acted on by memory's count: the store took over %.0f ms "
                "(its count reaches the card when it lands)",
                len(batch),
                self.timeout * 1000,
            )

    def _send(self, reports: list[Report]) -> asyncio.Task[list[Sensed | None]]:
        sent = asyncio.create_task(self.store.report_waves(reports, self.rules))
        self._batches.add(sent)
        sent.add_done_callback(self._batches.discard)
        return sent

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


def _settle(
    batch: list[tuple[Report, asyncio.Future[Sensed | None]]],
    sent: asyncio.Task[list[Sensed | None]],
) -> None:
    """Give each report of a batch that ended the store's word, or its failure."""
    if sent.cancelled():
        error: BaseException | None = StoreUnavailable("cancelled")
    else:
        error = sent.exception()  # retrieved: a batch past its deadline may fail unwatched
    for n, (_, stored) in enumerate(batch):
        if stored.done():  # its waiter was cancelled
            continue
        if error is None:
            stored.set_result(sent.result()[n])
            continue
        if not isinstance(error, StoreUnavailable):
            error = StoreUnavailable(str(error) or type(error).__name__)
        stored.set_exception(error)
        stored.exception()  # retrieved: a report whose answer failed is never settled
