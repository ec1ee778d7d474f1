"""The shapes people post a captured error in: few and realistic, chosen per capture.

Every capture yields the whole output in a code fence under a question, and the one line people
copy on its own (the exception line, the curl status, the log line). A third shape rotates:
the raw output with nothing around it, the line under a chat question, or a `.log` excerpt with
timestamps and unrelated INFO lines.
"""

from __future__ import annotations

import re

QUESTIONS = (
    "getting this since this morning, any idea?",
    "anyone seen this before? started after a deploy, nothing changed on our side",
    "help pls, our prod worker keeps dying with this",
    "what does this mean?",
    "works on my laptop, fails on the server:",
    "is this on my end or yours?",
    "new to fireworks, trying the quickstart and got this",
)
LOG_BEFORE = (
    "INFO app.startup: loaded config from /etc/app/config.yaml",
    "INFO app.queue: picked up job ticket-summary-7f3a",
    "INFO app.llm: sending prompt (model=llama-v3p1-8b-instruct)",
)
LOG_AFTER = ("INFO app.queue: job ticket-summary-7f3a marked failed, will retry later",)
FRAME = re.compile(r"^\s+(File \"|at |\^|~)|^\s*$")
NODE_ERROR = re.compile(
    r"^(<ref \*\d+> )?([A-Za-z_$][\w$.]*(Error|Exception)\b|Error\b|\[?[A-Z]\w+Error\]?)"
)


def headline(output: str, kind: str) -> str:
    """The part of the output a user copies alone."""
    lines = [line for line in output.splitlines() if line.strip()]
    if not lines:
        return ""
    if kind == "py":
        return _python_exception(lines)
    if kind == "node":
        for line in lines:
            if NODE_ERROR.match(line) and not line.startswith("Node.js"):
                return line.strip()
    if kind == "first":  # JVM, .NET, PHP, Ruby: the exception opens the output, frames follow
        return lines[0].strip()
    if kind == "curl":  # curl's own error, not the advice lines it prints after a TLS failure
        for line in reversed(lines):
            if line.startswith("curl: ("):
                return line.strip()
    return lines[-1].strip()


def _python_exception(lines: list[str]) -> str:
    """The exception line(s) after the last frame of the last traceback."""
    last_frame = max((i for i, line in enumerate(lines) if line.startswith("  ")), default=-1)
    rest = [line for line in lines[last_frame + 1 :] if not line.startswith("Traceback")]
    return "\n".join(rest).strip() or lines[-1].strip()


def shapes(output: str, kind: str, index: int) -> list[tuple[str, str]]:
    """`(variant, text)` pairs for one capture; `index` rotates the questions and third shape."""
    question = QUESTIONS[index % len(QUESTIONS)]
    line = headline(output, kind)
    out = [("fenced-with-question", f"{question}\n```\n{output.rstrip()}\n```")]
    if line and line != output.strip():
        out.append(("last-line", line))
    third = index % 3
    if third == 0:
        out.append(("raw", output.rstrip()))
    elif third == 1 and line:
        out.append(("last-line-with-question", f"{line}\n\n{question}"))
    else:
        out.append(("log-excerpt", _log(output, index)))
    return out


def _log(output: str, index: int) -> str:
    """The output as it sits in a timestamped application log."""
    minute, second = 10 + index % 40, index % 60
    stamp = f"2026-11-30 09:{minute:02d}:{second:02d}"
    before = [f"{stamp},{100 + i * 7:03d} {line}" for i, line in enumerate(LOG_BEFORE)]
    error = f"{stamp},{131:03d} ERROR app.llm: completion failed"
    after = [f"{stamp},{142:03d} {line}" for line in LOG_AFTER]
    return "\n".join([*before, error, output.rstrip(), *after])


HEADLINE_VARIANTS = ("last-line", "last-line-with-question")
UNKNOWN = "unknown"


def _headline_of(case: dict) -> str | None:
    if case["variant"] not in HEADLINE_VARIANTS:
        return None
    return case["text"].split("\n\n", 1)[0]


def label_shared_headlines(cases: list[dict]) -> int:
    """Relabel `unknown` a client's headline that several failures print alike; return how many.

    `APIConnectionError: Connection error.` alone is what one client prints for a reset, a DNS
    failure and a bad certificate: the line can't say which, so the right answer to it is the
    unknown one (escalate, ask for the whole traceback), not any one of the three. `cases` are
    one client's, as written to its file; the full pastes keep their scenario's label.
    """
    labels: dict[str, set[str]] = {}
    for case in cases:
        line = _headline_of(case)
        if line is not None:
            labels.setdefault(line, set()).add(case["expected"])
    shared = {line for line, found in labels.items() if len(found - {UNKNOWN}) > 1}
    changed = 0
    for case in cases:
        if _headline_of(case) in shared and case["expected"] != UNKNOWN:
            case["expected"] = UNKNOWN
            changed += 1
    return changed
