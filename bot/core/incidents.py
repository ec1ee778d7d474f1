"""Incidents: several people reporting the same server-side trouble within minutes.

Every rule of the feature lives here (the README's "Incidents" section says the same in
words): which reports count as the same trouble, how many people make a wave and within what
window, and what an answer during a wave says. The store (`bot.store.store`) applies these
rules in SQL across workers; `MemoryWaves` applies them in one process, when there is no store
or it is down. Both answer a report with the same `Sensed` and an incident with the same
`Incident`.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.core.entry import Entry

DEFAULT_PEOPLE = 3
DEFAULT_WINDOW_SECONDS = 600.0
CARD_LINKS = 5  # jump links a card shows: the first reports, enough to start reading
MODELS_SHOWN = 10  # the most reported models a card names
KEPT_REPORTS = 1000  # per trouble, and per incident, in memory


class IncidentState(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"  # handled by the moderators: stays closed for the rest of its wave
    NOT_INCIDENT = "not_incident"  # the moderators say it's a coincidence: handled as today


@dataclass(frozen=True, slots=True)
class WaveRules:
    """A wave: at least `people` distinct people reporting one trouble within `window` s."""

    people: int = DEFAULT_PEOPLE
    window: float = DEFAULT_WINDOW_SECONDS

    def is_wave(self, people: int) -> bool:
        return people >= self.people

    @property
    def minutes(self) -> int:
        return max(1, round(self.window / 60))


def trouble_of(entry: Entry | None) -> str | None:
    """What a report's trouble is called when it can be part of a wave, else None.

    The same 5xx entry (a 520 included), a client timeout or a stream cut off are each one
    trouble; a 4xx is the caller's own and never a wave, and neither is an unknown error (it
    has nothing to compare).
    """
    return entry.id if entry is not None and entry.outage else None


@dataclass(frozen=True, slots=True)
class Report:
    """One person's report of a trouble; `model` as the paste named it, if it did."""

    message_id: int
    reporter_id: int
    trouble: str
    at: float
    model: str | None = None
    jump_url: str = ""


@dataclass(frozen=True, slots=True)
class Incident:
    """A wave as the moderators' card shows it."""

    key: int  # the message id of the report that opened it
    trouble: str
    state: IncidentState
    first_seen: float
    last_seen: float
    reports: int
    people: int
    models: tuple[str, ...]  # most reported first
    links: tuple[str, ...]  # the first `CARD_LINKS` reports' jump links
    queue_message_id: int | None = None


@dataclass(frozen=True, slots=True)
class Sensed:
    """A report that is part of a wave: what its answer needs, read on the reply's path."""

    key: int  # the incident's
    trouble: str
    state: IncidentState
    people_in_window: int  # distinct people in the window ending at this report
    opened: bool  # this report opened the incident
    model: str | None = None  # the one model every report in the window named, if any

    @property
    def takes_over(self) -> bool:
        """Whether the incident replaces the usual escalation (only while it is open)."""
        return self.state is IncidentState.OPEN


def summarise(
    key: int,
    trouble: str,
    state: IncidentState,
    reports: Iterable[Report],
    queue_message_id: int | None = None,
) -> Incident:
    """An incident from its reports (oldest first); one person pasting five times is one."""
    reports = sorted(reports, key=lambda r: (r.at, r.message_id))
    models: dict[str, int] = {}
    for report in reports:
        if report.model:
            models[report.model] = models.get(report.model, 0) + 1
    return Incident(
        key=key,
        trouble=trouble,
        state=state,
        first_seen=reports[0].at if reports else 0.0,
        last_seen=reports[-1].at if reports else 0.0,
        reports=len(reports),
        people=len({r.reporter_id for r in reports}),
        models=tuple(sorted(models, key=lambda m: (-models[m], m)))[:MODELS_SHOWN],
        links=tuple(r.jump_url for r in reports if r.jump_url)[:CARD_LINKS],
        queue_message_id=queue_message_id,
    )


def wave_notice(sensed: Sensed, rules: WaveRules, status_url: str, status_line: str = "") -> str:
    """What an answer during a wave says above the usual answer (whose fix still applies)."""
    people = sensed.people_in_window
    on = f" on `{sensed.model}`" if sensed.model else ""
    watch = f"Fireworks' status page: <{status_url}>" if status_url else "Fireworks' status page"
    lines = [
        f"**{people} people reported this error{on} in the last {rules.minutes} minutes.** "
        "It's most likely on Fireworks' side, not in your code. "
        f"Watch {watch}",
    ]
    if status_line:
        lines.append(status_line)
    lines.append("Meanwhile, the fix below still helps:")
    return "\n".join(lines)


@dataclass
class _Wave:
    key: int
    state: IncidentState
    reports: list[Report] = field(default_factory=list)
    queue_message_id: int | None = None

    def incident(self, trouble: str) -> Incident:
        return summarise(self.key, trouble, self.state, self.reports, self.queue_message_id)


class MemoryWaves:
    """The rules in one process: used with no store, or while the store is down."""

    def __init__(self) -> None:
        self._recent: dict[str, deque[Report]] = {}
        self._current: dict[str, _Wave] = {}  # the latest wave of each trouble
        self._waves: dict[int, tuple[str, _Wave]] = {}
        self._order: deque[int] = deque(maxlen=KEPT_REPORTS)

    def report(self, report: Report, rules: WaveRules) -> Sensed | None:
        """Count `report`; the incident it belongs to if its trouble is in a wave, else None."""
        recent = self._recent.setdefault(report.trouble, deque(maxlen=KEPT_REPORTS))
        if all(r.message_id != report.message_id for r in recent):
            recent.append(report)
        cutoff = report.at - rules.window
        while recent and recent[0].at < cutoff:
            recent.popleft()
        window = [r for r in recent if r.at <= report.at]
        people = len({r.reporter_id for r in window})
        models = {r.model for r in window if r.model}
        if not rules.is_wave(people):
            return None
        wave = self._current.get(report.trouble)
        opened = wave is None or wave.reports[-1].at < cutoff
        if opened:
            wave = _Wave(report.message_id, IncidentState.OPEN, list(window))
            self._current[report.trouble] = wave
            self._remember(report.trouble, wave)
        elif all(r.message_id != report.message_id for r in wave.reports):
            wave.reports.append(report)
            del wave.reports[:-KEPT_REPORTS]
        model = models.pop() if len(models) == 1 else None
        return Sensed(wave.key, report.trouble, wave.state, people, opened, model)

    def _remember(self, trouble: str, wave: _Wave) -> None:
        if len(self._order) == self._order.maxlen:
            self._waves.pop(self._order[0], None)
        self._order.append(wave.key)
        self._waves[wave.key] = (trouble, wave)

    def incident(self, key: int) -> Incident | None:
        found = self._waves.get(key)
        return found[1].incident(found[0]) if found else None

    def set_state(self, key: int, state: IncidentState) -> Incident | None:
        found = self._waves.get(key)
        if found is None:
            return None
        found[1].state = state
        return found[1].incident(found[0])

    def set_card(self, key: int, queue_message_id: int) -> None:
        found = self._waves.get(key)
        if found is not None:
            found[1].queue_message_id = queue_message_id

    def recent(self, since: float) -> list[Incident]:
        """Incidents seen since `since`, newest first."""
        found = [wave.incident(trouble) for trouble, wave in self._waves.values()]
        return sorted((i for i in found if i.last_seen >= since), key=lambda i: -i.first_seen)


def _utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M UTC")


def describe(incident: Incident) -> str:
    """One line for a list of recent waves (`/fwerror-admin incidents`, the report)."""
    models = f", models {', '.join(incident.models[:3])}" if incident.models else ""
    minutes = max(1, round((incident.last_seen - incident.first_seen) / 60))
    link = f" {incident.links[0]}" if incident.links else ""
    return (
        f"{_utc(incident.first_seen)}  {incident.trouble}  {incident.state.value}: "
        f"{incident.reports} reports from {incident.people} people over {minutes} min"
        f"{models}{link}"
    )


def incident_json(incident: Incident) -> dict[str, object]:
    return {
        "key": incident.key,
        "trouble": incident.trouble,
        "state": incident.state.value,
        "first_seen": _utc(incident.first_seen),
        "last_seen": _utc(incident.last_seen),
        "reports": incident.reports,
        "people": incident.people,
        "models": list(incident.models),
        "jump_urls": list(incident.links),
    }
