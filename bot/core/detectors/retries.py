"""Retry logs: each attempt prints its status, and the last one is where the person is stuck.

A worker's backoff log ("attempt 1 -> 503 ... attempt 4 -> 408 Request Timeout, giving up")
names several statuses, and each earlier one would otherwise stand as a rival to the last,
leaving no answer sure enough to give. The log is also a paste of what happened, not a mention:
"what's the 408 about?" under it asks about a failure the person hit. The words that mark an
attempt's line are the `retries` list of `knowledge/signals/wrapping.yaml`; here is only the
rule that the last attempt wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.evidence import Evidence, Kind
from bot.core.paste import Paste
from bot.core.words import find_word

ATTEMPT_LINES = 2  # a retry log shows at least this many attempts, each with its status


@dataclass(frozen=True, slots=True)
class RetryLog:
    """What a paste's retry log leaves of its statuses: the last attempt's, and the rest."""

    signals: list[Evidence]
    is_log: bool


def latest_attempt(paste: Paste, signals: list[Evidence], retries: tuple[str, ...]) -> RetryLog:
    """`signals` without the statuses of earlier attempts, when the paste is a retry log whose
    attempts end on another status; unchanged otherwise."""
    attempts = [s for s in signals if s.code and _on_attempt_line(paste, s, retries)]
    if len({_line_start(paste, s.start) for s in attempts}) < ATTEMPT_LINES:
        return RetryLog(signals, is_log=False)
    last = max(attempts, key=lambda s: s.start)
    superseded = {id(s) for s in attempts if s.code != last.code}
    return RetryLog([s for s in signals if id(s) not in superseded], is_log=True)


def _line_start(paste: Paste, position: int) -> int:
    return paste.lowered.rfind("\n", 0, position) + 1


def _on_attempt_line(paste: Paste, status: Evidence, retries: tuple[str, ...]) -> bool:
    if status.kind not in (Kind.STATUS, Kind.EXCEPTION, Kind.ENVELOPE):
        return False
    start = _line_start(paste, status.start)
    end = paste.lowered.find("\n", status.start)
    line = paste.lowered[start : end if end >= 0 else len(paste.lowered)]
    return any(find_word(line, word) != -1 for word in retries)
