"""Retry logs: each attempt prints its status, and the last one is where the person is stuck.

A worker's backoff log ("attempt 1 -> 503 ... attempt 4 -> 408 Request Timeout, giving up")
names several statuses, and each earlier one would otherwise stand as a rival to the last,
leaving no answer sure enough to give. The log is also a paste of what happened, not a mention:
"what's the 408 about?" under it asks about a failure the person hit. The words that mark an
attempt's line are the `retries` list of `knowledge/signals/wrapping.yaml`; here is only the
rule that the last attempt wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.core.evidence import Evidence, Kind
from bot.core.linear_re import compile_linear
from bot.core.paste import Paste
from bot.core.statuses import MEDIUM, StatusWords, is_detached_code
from bot.core.words import find_word

_ATTEMPT_KINDS = (Kind.STATUS, Kind.EXCEPTION, Kind.ENVELOPE)  # what prints an attempt's status
ATTEMPT_LINES = 2  # a retry log shows at least this many attempts, each with its status
# A bare error code on an attempt's line ("[retry] 503 -> sleep 4s"): not glued to a word, a
# decimal point or a percent sign.
_BARE_CODE = compile_linear(r"(?:^|[^\w.])([45]\d\d)(?:$|[^\w.%])", multiline=True)


@dataclass(frozen=True, slots=True)
class RetryLog:
    """What a paste's retry log leaves of its statuses: the last attempt's, and the rest."""

    signals: list[Evidence]
    is_log: bool
    # the earlier attempts' codes: a reason phrase on their lines ("try 1 -> 502 Bad Gateway")
    # is no rival to the last attempt either
    earlier: frozenset[str] = frozenset()


def latest_attempt(paste: Paste, signals: list[Evidence], retries: tuple[str, ...]) -> RetryLog:
    """`signals` without the statuses of earlier attempts, when the paste is a retry log whose
    attempts end on another status; unchanged otherwise."""
    on_attempt_line = _attempt_lines(paste, retries)
    attempts = [
        s for s in signals if s.code and s.kind in _ATTEMPT_KINDS and on_attempt_line(s.start)
    ]
    if len({_line_start(paste, s.start) for s in attempts}) < ATTEMPT_LINES:
        return RetryLog(signals, is_log=False)
    last = max(attempts, key=lambda s: s.start)
    superseded = {id(s) for s in attempts if s.code != last.code}
    earlier = frozenset(s.code for s in attempts if s.code and s.code != last.code)
    return RetryLog([s for s in signals if id(s) not in superseded], True, earlier)


def attempt_statuses(
    paste: Paste, signals: list[Evidence], retries: tuple[str, ...], words: StatusWords
) -> list[Evidence]:
    """The bare codes of a retry log's attempt lines that no status rule read: on a line that
    says it retries, a code with no unit after it is that attempt's status. None unless two or
    more attempt lines have one."""
    read = {_line_start(paste, s.start) for s in signals}
    found = []
    on_attempt_line = _attempt_lines(paste, retries)
    for match in _BARE_CODE.finditer(paste.view):
        start, end = match.span(1)
        if _line_start(paste, start) in read or not on_attempt_line(start):
            continue
        if paste.lowered[start - 1 : start] == "/":  # "2/500": a count of tries
            continue
        if is_detached_code(paste.text, start, end, words):  # not "of 500", not "500 ms"
            code = match[1]
            weight = paste.weight(MEDIUM, start)
            found.append(Evidence(Kind.STATUS, weight, code, start, end, code=code))
    if len({_line_start(paste, e.start) for e in found}) < ATTEMPT_LINES:
        return []
    return found


def _line_start(paste: Paste, position: int) -> int:
    return paste.lowered.rfind("\n", 0, position) + 1


def _attempt_lines(paste: Paste, retries: tuple[str, ...]) -> Callable[[int], bool]:
    """Whether the line holding a position has one of the retry words: each line is read
    once, however many codes it holds (a 1 MB line of codes would otherwise be read per code)."""
    marked: dict[int, bool] = {}
    # a log introduced as retries ("Retry log from our worker:") marks every line under it
    first_end = paste.lowered.find("\n")
    if first_end > 0 and _BARE_CODE.search(paste.lowered[:first_end]) is None:
        header = paste.lowered[:first_end]
        if any(find_word(header, word) != -1 for word in retries):
            return lambda position: position > first_end

    def on_attempt_line(position: int) -> bool:
        start = _line_start(paste, position)
        if start not in marked:
            end = paste.lowered.find("\n", position)
            line = paste.lowered[start : end if end >= 0 else len(paste.lowered)]
            marked[start] = any(find_word(line, word) != -1 for word in retries)
        return marked[start]

    return on_attempt_line
