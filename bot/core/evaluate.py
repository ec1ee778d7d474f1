"""`python -m bot evaluate`: how well passive mode labels a corpus of real-looking messages.

Passive mode is the risky one (the bot speaks unasked), so the corpus is scored there: a
labelled code must be answered or escalated with that code, `none` must be ignored, and
`unknown` must be escalated without a code. An entry id (`connection-reset`) is the label of
an error with no HTTP status: that entry must answer it. Explicit mode (`/fwerror`) is scored
too on request: there the bot always replies, so a code must be named and `none` must name no
code. Cases generated from real clients (`tests/corpus/clients/`) carry the client and its
version, so a report also scores each client: a new SDK release that prints errors differently
shows up as a drop for that client. `compare` shows what a knowledge change moves.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core import matcher
from bot.core.calibration import (
    IDENTITY,
    Band,
    Calibration,
    fit,
    format_reliability,
    reliability,
)
from bot.core.decision import Decision, Mode
from bot.core.limits import EVAL_EXCERPT_CHARS
from bot.core.model import Knowledge
from bot.core.render import one_line

NONE = "none"
ENTRY_ID = re.compile(r"[a-z][a-z0-9-]{2,63}")
UNKNOWN = "unknown"
CASE_KEYS = ("text", "expected", "note", "client", "scenario", "variant")
SOURCE_KEYS = CASE_KEYS[3:]  # optional strings naming where a generated case came from

Diagnose = Callable[[str, Knowledge, Mode], Decision]


class CorpusError(ValueError):
    """A corpus line is unusable; the message names `file:line` and the fix."""


@dataclass(frozen=True, slots=True)
class Case:
    """One labelled message: `expected` is a status code like "429", "none" or "unknown"."""

    text: str
    expected: str
    note: str = ""
    source: str = ""  # file:line, for pointing at the case
    client: str = ""  # "<package> <version>" for a paste generated from a real client
    scenario: str = ""  # what the fake API did, e.g. "429-rate-limit/stream"
    variant: str = ""  # the shape around the paste, e.g. "fenced-with-question"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The part of a decision the corpus is scored on."""

    action: str
    code: str | None
    entry: str | None

    @classmethod
    def of(cls, decision: Decision) -> Verdict:
        return cls(decision.action, decision.code, decision.entry.id if decision.entry else None)

    def to_json(self) -> dict[str, str | None]:
        return {"action": self.action, "code": self.code, "entry": self.entry}

    def __str__(self) -> str:
        if self.entry:
            return f"{self.action} {self.entry}"
        return f"{self.action} {self.code}" if self.code else self.action


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    got: Verdict
    correct: bool


@dataclass(frozen=True, slots=True)
class LabelScore:
    label: str
    total: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Report:
    """Scores per label, per client (generated cases) and overall, with every miss."""

    outcomes: tuple[Outcome, ...]
    labels: tuple[LabelScore, ...]
    clients: tuple[LabelScore, ...] = ()
    mode: Mode = "passive"
    scored: tuple[tuple[float, bool], ...] = ()  # (raw confidence, right) of each answer
    calibration: Calibration = IDENTITY

    @property
    def reliability(self) -> list[Band]:
        """The answers (an entry named) per band of the confidence users are shown."""
        return reliability(self.scored, self.calibration, self.mode)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def correct(self) -> int:
        return sum(outcome.correct for outcome in self.outcomes)

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def misses(self) -> tuple[Outcome, ...]:
        return tuple(outcome for outcome in self.outcomes if not outcome.correct)


@dataclass(frozen=True, slots=True)
class Change:
    """A case whose passive verdict differs between two knowledge sets."""

    case: Case
    before: Verdict
    after: Verdict

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.case.source,
            "text": _excerpt(self.case.text),
            "expected": self.case.expected,
            "before": self.before.to_json(),
            "after": self.after.to_json(),
        }


def load_corpus(paths: Iterable[Path]) -> list[Case]:
    """Cases from `.jsonl` files (a directory means its `*.jsonl`); bad lines raise CorpusError."""
    cases: list[Case] = []
    for path in paths:
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    cases.append(_case(line, f"{file}:{number}"))
    return cases


def evaluate(
    cases: Iterable[Case],
    knowledge: Knowledge,
    diagnose: Diagnose = matcher.diagnose,
    mode: Mode = "passive",
) -> Report:
    """Run every case through the matcher (passive mode unless told) and score it."""
    outcomes = []
    scored = []
    for case in cases:
        decision = diagnose(case.text, knowledge, mode)
        got = Verdict.of(decision)
        outcomes.append(Outcome(case, got, _correct(case.expected, got, mode)))
        # Explicit mode is asked about an error: its confidence is how likely the entry is
        # right for one, so what it makes of chatter (`none`, no right entry) isn't scored.
        asked = mode == "passive" or case.expected != NONE
        if decision.entry is not None and asked:
            scored.append((decision.confidence, outcomes[-1].correct))
    labels = _scores(outcomes, lambda outcome: outcome.case.expected, _ordered)
    clients = _scores(
        [outcome for outcome in outcomes if outcome.case.client],
        lambda outcome: outcome.case.client,
        sorted,
    )
    return Report(tuple(outcomes), labels, clients, mode, tuple(scored), knowledge.calibration)


def _scores(
    outcomes: list[Outcome],
    key: Callable[[Outcome], str],
    order: Callable[[Iterable[str]], list[str]],
) -> tuple[LabelScore, ...]:
    totals = Counter(key(outcome) for outcome in outcomes)
    rights = Counter(key(outcome) for outcome in outcomes if outcome.correct)
    return tuple(LabelScore(name, totals[name], rights[name]) for name in order(totals))


def client_label_scores(report: Report) -> dict[str, dict[str, tuple[int, int]]]:
    """`client -> label -> (correct, total)` over the generated cases."""
    table: dict[str, dict[str, list[int]]] = {}
    for outcome in report.outcomes:
        if outcome.case.client:
            cell = table.setdefault(outcome.case.client, {}).setdefault(
                outcome.case.expected, [0, 0]
            )
            cell[0] += outcome.correct
            cell[1] += 1
    return {
        client: {label: (cells[label][0], cells[label][1]) for label in _ordered(cells)}
        for client, cells in sorted(table.items())
    }


def compare(
    cases: Iterable[Case],
    baseline: Knowledge,
    knowledge: Knowledge,
    diagnose: Diagnose = matcher.diagnose,
) -> list[Change]:
    """The cases whose passive verdict (action, code, entry) differs from the baseline's."""
    changes = []
    for case in cases:
        before = Verdict.of(diagnose(case.text, baseline, "passive"))
        after = Verdict.of(diagnose(case.text, knowledge, "passive"))
        if before != after:
            changes.append(Change(case, before, after))
    return changes


def format_report(report: Report) -> str:
    """A plain-text summary: accuracy per label, overall, per client, then each miss."""
    rows = [(score.label, score.correct, score.total, score.accuracy) for score in report.labels]
    rows.append(("overall", report.correct, report.total, report.accuracy))
    width = max(10, *(len(row[0]) for row in rows))
    lines = [f"{'label':<{width}} {'correct':>9}  accuracy"]
    lines += [
        f"{label:<{width}} {f'{right}/{total}':>9}  {rate:8.1%}"
        for label, right, total, rate in rows
    ]
    if report.mode != "passive":
        lines.append(f"(scored in {report.mode} mode)")
    if report.clients:
        width = max(len(score.label) for score in report.clients)
        lines += ["", f"{'client':<{width}} {'correct':>9}  accuracy"]
        lines += [
            f"{s.label:<{width}} {f'{s.correct}/{s.total}':>9}  {s.accuracy:8.1%}"
            for s in report.clients
        ]
    if report.scored:
        lines += ["", f"reliability ({report.mode} mode): shown confidence against accuracy"]
        lines.append(format_reliability(report.reliability))
    if report.misses:
        lines += ["", f"misses ({len(report.misses)}):"]
        lines += [
            f"  {miss.case.source}: expected {miss.case.expected}, got {miss.got}"
            f"{_origin(miss.case)}: {_excerpt(miss.case.text)!r}"
            for miss in report.misses
        ]
    return "\n".join(lines)


def _origin(case: Case) -> str:
    """` [client, scenario, variant]` for a generated case, else nothing."""
    parts = [part for part in (case.client, case.scenario, case.variant) if part]
    return f" [{', '.join(parts)}]" if parts else ""


def report_json(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data, for `evaluate --json` and CI dashboards."""
    data: dict[str, Any] = {
        "total": report.total,
        "correct": report.correct,
        "accuracy": round(report.accuracy, 4),
        "labels": _scores_json(report.labels),
        "misses": [_miss_json(miss) for miss in report.misses],
        "reliability": [
            {
                "band": [band.low, band.high],
                "answers": band.cases,
                "shown": round(band.shown, 4),
                "right": round(band.right, 4),
            }
            for band in report.reliability
        ],
    }
    if report.mode != "passive":
        data["mode"] = report.mode
    if report.clients:
        data["clients"] = _scores_json(report.clients)
        data["client_labels"] = {
            client: {
                label: {"correct": right, "total": total} for label, (right, total) in row.items()
            }
            for client, row in client_label_scores(report).items()
        }
    return data


def _scores_json(scores: tuple[LabelScore, ...]) -> dict[str, dict[str, Any]]:
    return {
        score.label: {
            "total": score.total,
            "correct": score.correct,
            "accuracy": round(score.accuracy, 4),
        }
        for score in scores
    }


def _miss_json(miss: Outcome) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source": miss.case.source,
        "text": _excerpt(miss.case.text),
        "expected": miss.case.expected,
        "note": miss.case.note,
        "got": miss.got.to_json(),
    }
    data.update({key: getattr(miss.case, key) for key in SOURCE_KEYS if getattr(miss.case, key)})
    return data


def format_changes(changes: list[Change]) -> str:
    """One line per case that a knowledge change moves, with its label."""
    if not changes:
        return "no decision changed"
    lines = [f"{len(changes)} decision(s) changed:"]
    lines += [
        f"  {change.case.source}: {change.before} -> {change.after} "
        f"(expected {change.case.expected}): {_excerpt(change.case.text)!r}"
        for change in changes
    ]
    return "\n".join(lines)


def _correct(expected: str, got: Verdict, mode: Mode = "passive") -> bool:
    if expected == NONE:  # explicit mode always replies: it must not name a code
        return got.action == "ignore" if mode == "passive" else got.code is None
    if expected == UNKNOWN:
        return got.action == "escalate" and got.code is None
    if not expected.isdigit():  # an entry id: an error that happens before any status
        return got.action == "answer" and got.entry == expected
    return got.action in ("answer", "escalate") and got.code == expected


def _ordered(labels: Iterable[str]) -> list[str]:
    """Codes in numeric order, then `none` and `unknown`."""
    return sorted(labels, key=lambda label: (not label.isdigit(), label == UNKNOWN, label))


def _case(line: str, where: str) -> Case:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise CorpusError(
            f"{where}: not valid JSON ({error.msg}) — write one object per line"
        ) from None
    if not isinstance(data, dict):
        raise CorpusError(f'{where}: expected a JSON object like {{"text": ..., "expected": ...}}')
    unknown = sorted(set(data) - set(CASE_KEYS))
    if unknown:
        raise CorpusError(
            f"{where}: unknown key(s) {', '.join(unknown)} — allowed: {', '.join(CASE_KEYS)}"
        )
    text, expected, note = data.get("text"), data.get("expected"), data.get("note", "")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: 'text' must be a non-empty string")
    if isinstance(expected, int) and not isinstance(expected, bool):
        expected = str(expected)
    if not isinstance(expected, str) or not _label_ok(expected):
        raise CorpusError(
            f"{where}: 'expected' must be a status code from 400 to 599, {NONE!r}, "
            f"{UNKNOWN!r} or the id of an entry with no status, not {expected!r}"
        )
    if not isinstance(note, str):
        raise CorpusError(f"{where}: 'note' must be a string")
    origin = {key: data.get(key, "") for key in SOURCE_KEYS}
    for key, value in origin.items():
        if not isinstance(value, str):
            raise CorpusError(f"{where}: {key!r} must be a string")
    return Case(text, expected, note, where, **origin)


def _label_ok(label: str) -> bool:
    if label.isdigit():
        return 400 <= int(label) <= 599
    return label in (NONE, UNKNOWN) or ENTRY_ID.fullmatch(label) is not None


def _excerpt(text: str) -> str:
    return one_line(text, EVAL_EXCERPT_CHARS)


def calibration_from(cases: list[Case], knowledge: Knowledge) -> Calibration:
    """Fit the confidence map on `cases`, each mode on its own answers (`python -m bot
    calibrate`): the same data and the same scoring as `eval`, so the table is reproducible."""
    scored = {
        mode: evaluate(cases, knowledge, mode=mode).scored for mode in ("passive", "explicit")
    }
    return Calibration(fit(scored["passive"]), fit(scored["explicit"]))
