"""Waves in the store (real SQLite and PostgreSQL): people are counted, not messages; one
incident per wave even when two workers report at once; a closed incident stays closed for
its wave; a quiet window ends it; forgetting a user forgets their reports."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.incidents import IncidentState, Report, Sensed, WaveRules
from bot.store.store import Store

pytestmark = pytest.mark.asyncio

T0 = 1_800_000_000.0
RULES = WaveRules()  # the defaults: 3 people within 10 minutes
TROUBLE = "503-service-unavailable"


def report(message_id: int, reporter_id: int, at: float, model: str | None = None) -> Report:
    url = f"https://discord.com/channels/1/2/{message_id}"
    return Report(message_id, reporter_id, TROUBLE, at, model, url)


async def reported(store: Store, report: Report) -> Sensed | None:
    """One report sent alone: a batch of one."""
    [sensed] = await store.report_waves([report], RULES)
    return sensed


async def opened(url: str) -> Store:
    store = Store(url)
    await store.open()
    return store


async def test_three_people_make_a_wave_and_one_person_is_one(database_url: str) -> None:
    store = await opened(database_url)
    try:
        assert await reported(store, report(1, 100, T0)) is None
        assert await reported(store, report(2, 100, T0 + 5)) is None  # same person
        assert await reported(store, report(3, 101, T0 + 10)) is None
        third = await reported(store, report(4, 102, T0 + 20, "llama-v3p1-8b"))
        assert third is not None and third.opened and third.people_in_window == 3
        assert (third.key, third.model) == (4, "llama-v3p1-8b")
        incident = await store.incident(4)
        assert (incident.key, incident.reports, incident.people) == (4, 4, 3)
        assert incident.first_seen == T0 and incident.state is IncidentState.OPEN
        assert incident.models == ("llama-v3p1-8b",)

        later = await reported(store, report(5, 103, T0 + 60))
        assert later is not None and not later.opened and later.key == 4
        assert later.model == "llama-v3p1-8b" and later.people_in_window == 4
        incident = await store.incident(4)
        assert (incident.reports, incident.people, incident.links[0]) == (
            5,
            4,
            "https://discord.com/channels/1/2/1",
        )
        assert await reported(store, report(5, 103, T0 + 60)) is not None  # redelivered
        assert (await store.incident(4)).reports == 5  # ...and counted once

        # Ten quiet minutes end the wave: one more report is alone in its window.
        assert await reported(store, report(6, 104, T0 + 60 + 601)) is None
        [listed] = await store.recent_incidents(T0 - 1)
        assert listed.key == 4 and listed.last_seen == T0 + 60
    finally:
        await store.close()


async def test_a_closed_incident_stays_closed_until_its_wave_ends(database_url: str) -> None:
    store = await opened(database_url)
    try:
        for n in range(3):
            sensed = await reported(store, report(n + 1, 200 + n, T0 + n))
        assert sensed is not None and sensed.opened
        closed = await store.set_incident(3, state=IncidentState.CLOSED, by=9)
        assert closed is not None and closed.state is IncidentState.CLOSED
        again = await reported(store, report(10, 210, T0 + 300))
        assert again is not None and again.key == 3 and not again.takes_over

        # A new wave after a quiet window is a new incident, open again.
        for n in range(3):
            new = await reported(store, report(20 + n, 220 + n, T0 + 1000 + n))
        assert new is not None and new.opened and new.key == 22 and new.takes_over
        assert [i.key for i in await store.recent_incidents(T0)] == [22, 3]
    finally:
        await store.close()


async def test_two_workers_reporting_at_once_open_one_incident(database_url: str) -> None:
    """Two stores on one database (two workers), twenty people at the same instant."""
    first, second = await opened(database_url), await opened(database_url)
    try:
        results = await asyncio.gather(
            *(reported(first if n % 2 else second, report(100 + n, 300 + n, T0)) for n in range(20))
        )
        sensed = [r for r in results if r is not None]
        assert sum(r.opened for r in sensed) == 1
        assert len({r.key for r in sensed}) == 1
        assert (await first.incident(sensed[0].key)).people == 20
    finally:
        await first.close()
        await second.close()


async def test_forgetting_a_user_forgets_their_reports(database_url: str) -> None:
    store = await opened(database_url)
    try:
        for n in range(3):
            await reported(store, report(n + 1, 400 + n, T0 + n))
        gone = await store.forget_user(400)
        assert gone.decisions == 1  # the one report (no decisions were stored)
        assert (await store.incident(3)).people == 2
        assert await store.purge(T0 + 10) == 3  # two reports and the incident
    finally:
        await store.close()


async def test_a_batch_is_counted_once_per_trouble_and_its_latest_report_opens(
    database_url: str,
) -> None:
    """A burst sent as one batch: each trouble's wave opens one incident, named by its first
    report; the others join it; a trouble short of a wave gets None."""
    store = await opened(database_url)
    other = "502-bad-gateway"
    burst = [report(500 + n, 600 + n, T0 + n) for n in range(5)]
    burst.insert(2, Report(900, 601, other, T0 + 2, None, "https://discord.com/x/900"))
    try:
        sensed = await store.report_waves(burst, RULES)
        assert sensed[2] is None  # one 502 from one person: no wave
        waves = [s for s in sensed if s is not None]
        assert len(waves) == 5 and {s.key for s in waves} == {500}
        assert [s.opened for s in waves] == [True, False, False, False, False]
        assert all(s.people_in_window == 5 and s.takes_over for s in waves)
        incident = await store.incident(500)
        assert (incident.reports, incident.people, incident.first_seen) == (5, 5, T0)
    finally:
        await store.close()


async def test_reports_older_than_the_opener_that_land_after_it_are_counted(
    database_url: str,
) -> None:
    """Two workers' batches: the one that opens the incident is written first; the other
    worker's batch, which began before it, after. The incident counts every report."""
    first, second = await opened(database_url), await opened(database_url)
    try:
        batch = [report(700 + n, 800 + n, T0 + 10 + n) for n in range(3)]
        opener = await first.report_waves(batch, RULES)
        assert opener[0] is not None and opener[0].opened
        batch = [report(710, 810, T0), report(711, 811, T0 + 20)]
        late = await second.report_waves(batch, RULES)
        assert all(s is not None and s.key == 700 and not s.opened for s in late)
        incident = await first.incident(700)
        assert (incident.reports, incident.people, incident.first_seen) == (5, 5, T0)
    finally:
        await first.close()
        await second.close()


async def test_a_report_older_than_the_whole_wave_that_lands_after_it_joins(
    database_url: str,
) -> None:
    """A worker slow to write: its one report was made before the three that opened the
    incident (too early to be a wave on its own count), and written after them. It is part of
    the wave, so it joins the incident and the card counts it."""
    first, second = await opened(database_url), await opened(database_url)
    try:
        opener = await first.report_waves(
            [report(720 + n, 820 + n, T0 + 10 + n) for n in range(3)], RULES
        )
        assert opener[0] is not None and opener[0].opened
        late = await reported(second, report(730, 830, T0))
        assert late is not None and late.key == 720 and not late.opened
        incident = await first.incident(720)
        assert (incident.reports, incident.people, incident.first_seen) == (4, 4, T0)
    finally:
        await first.close()
        await second.close()


async def test_a_model_name_the_database_would_refuse_is_kept_cleaned(database_url: str) -> None:
    """The model is the user's text: NUL (PostgreSQL refuses it) and a lone surrogate (both
    drivers do) are replaced as they are bound, so the report still counts."""
    store = await opened(database_url)
    try:
        for n in range(3):
            sensed = await reported(store, report(n + 1, 100 + n, T0 + n, "llama\x00\ud800-8b"))
        assert sensed is not None and sensed.opened and sensed.model == "llama\ufffd\ufffd-8b"
    finally:
        await store.close()
