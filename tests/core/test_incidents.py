"""The incident rules (bot.core.incidents): what counts as the same trouble, waves in memory,
and what an answer during a wave says."""

from __future__ import annotations

import pytest

from bot.core.incidents import (
    IncidentState,
    MemoryWaves,
    Report,
    Sensed,
    WaveRules,
    describe,
    summarise,
    trouble_of,
    wave_notice,
)
from bot.knowledge.load import load_knowledge

T0 = 1_800_000_000.0


@pytest.fixture(scope="module")
def entries():
    return {entry.id: entry for entry in load_knowledge().entries}


def test_same_trouble_is_a_server_side_entry_a_timeout_or_a_cut_stream(entries) -> None:
    waves = {e for e in entries if trouble_of(entries[e]) is not None}
    assert waves == {
        "500-internal-server-error",
        "502-bad-gateway",
        "503-service-unavailable",
        "504-gateway-timeout",
        "520-unknown-error",
        "client-timeout",
        "stream-cut-off",
    }
    assert trouble_of(entries["520-unknown-error"]) == "520-unknown-error"
    assert trouble_of(None) is None  # an unknown error has nothing to compare


def report(message_id: int, reporter_id: int, at: float, model: str | None = None) -> Report:
    return Report(message_id, reporter_id, "502-bad-gateway", at, model, f"https://x/{message_id}")


def test_memory_counts_people_within_the_window() -> None:
    waves, rules = MemoryWaves(), WaveRules()
    assert waves.report(report(1, 10, T0), rules) is None
    assert waves.report(report(2, 10, T0 + 1), rules) is None  # the same person again
    assert waves.report(report(3, 11, T0 + 2), rules) is None
    opened = waves.report(report(4, 12, T0 + 3, "deepseek-v3"), rules)
    assert opened is not None and opened.opened and opened.people_in_window == 3
    assert opened.model == "deepseek-v3"  # the only model named in the window
    incident = waves.incident(4)
    assert incident is not None and (incident.reports, incident.people) == (4, 3)
    joined = waves.report(report(5, 13, T0 + 500), rules)
    assert joined is not None and not joined.opened and joined.key == 4
    assert joined.model == "deepseek-v3"
    assert waves.incident(4).models == ("deepseek-v3",)

    assert waves.set_state(4, IncidentState.CLOSED) is not None
    closed = waves.report(report(6, 14, T0 + 550), rules)
    assert closed is not None and closed.key == 4 and not closed.takes_over

    assert waves.report(report(7, 15, T0 + 550 + 601), rules) is None  # the wave is over
    assert [i.key for i in waves.recent(T0)] == [4]


def test_a_higher_threshold_and_a_shorter_window() -> None:
    waves, rules = MemoryWaves(), WaveRules(people=4, window=60)
    for n in range(3):
        assert waves.report(report(n, 20 + n, T0 + n * 25), rules) is None
    # the first reporter's report is now more than 60 s old: three people in the window
    assert waves.report(report(9, 30, T0 + 75), rules) is None
    assert waves.report(report(10, 31, T0 + 76), rules) is not None


def test_the_notice_says_how_many_whose_side_where_to_watch_and_keeps_the_fix() -> None:
    incident = summarise(
        4,
        "503-service-unavailable",
        IncidentState.OPEN,
        [report(1, 1, T0, "llama-v3p1-8b"), report(4, 2, T0 + 60, "llama-v3p1-8b")],
    )
    sensed = Sensed(4, incident.trouble, incident.state, 2, False, "llama-v3p1-8b")
    text = wave_notice(
        sensed,
        WaveRules(),
        "https://status.fireworks.ai",
        "Status page: **Partial System Outage**",
    )
    assert text.startswith("**2 people reported this error on `llama-v3p1-8b` in the last 10 ")
    assert "most likely on Fireworks' side, not in your code" in text
    assert "<https://status.fireworks.ai>" in text
    assert "Status page: **Partial System Outage**" in text
    assert text.endswith("the fix below still helps:")
    assert "Fireworks' status page" in wave_notice(sensed, WaveRules(), "")
    assert describe(incident).endswith(
        "503-service-unavailable  open: 2 reports from 2 people over 1 min, models "
        "llama-v3p1-8b https://x/1"
    )
