"""One function finds a paste's error line; checked on every labelled corpus case (issue 19).

The support checklist used to quote the last line containing "error": a stack frame
(`at APIError.generate (file:///...)`), a logger call (`logger.error("failed")`), cut before
what support needs. The corpus test's checks are written here, apart from the module's own
shapes, so a wrong pick can't pass by agreeing with itself.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest

from bot.core.error_line import error_line, is_code, is_frame
from bot.core.evidence import Kind
from bot.core.explain import explain, support_for
from bot.core.ocr import repair
from bot.core.prepare import prepare
from bot.knowledge.load import load_knowledge

KNOWLEDGE = load_knowledge()
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FILES = sorted(CORPUS.glob("*.jsonl")) + sorted((CORPUS / "clients").glob("*.jsonl"))

NODE_429 = """\
Error: 429 Too Many Requests
    at APIError.generate (file:///app/node_modules/openai/error.mjs:63:20)
    at OpenAI.makeStatusError (file:///app/node_modules/openai/core.mjs:286:25)
    at OpenAI.makeRequest (file:///app/node_modules/openai/core.mjs:330:30)
    at async main (file:///app/index.mjs:12:3) {
  status: 429,
  headers: { 'retry-after': '3' }
}
"""
PYTHON_500 = """\
Traceback (most recent call last):
  File "/app/main.py", line 14, in <module>
    resp = client.chat.completions.create(model=MODEL, messages=msgs)
openai.InternalServerError: Error code: 500 - {'error': {'message': 'Internal server error'}}
During handling of the above exception, another exception occurred:
  File "/app/main.py", line 18, in <module>
    logger.error("failed")
"""

# The test's own idea of what is not an error line: frames as runtimes print them, a call to
# a logger, and the source line Python prints under a frame.
_FRAME = re.compile(
    r"^\s*(at\s+\S.*[:)]\s*$|at\s+\S+\s+\(|File \"[^\"]+\", line \d+|goroutine \d+"
    r"|\S+\.go:\d+(?:\s|$))"
)
_LOGGER = re.compile(r"\b(logger|logging|console|log)\.\w+\(")
_EXCEPTION_HEAD = re.compile(r"\b\w*(Error|Exception)\b|^\s*(Error|panic)\b:")


def _python_sources(text: str) -> set[str]:
    lines = text.splitlines()
    return {
        b.strip()
        for a, b in itertools.pairwise(lines)
        if a.lstrip().startswith('File "') and b[:1].isspace()
    }


@pytest.mark.parametrize(
    ("paste", "expected"),
    [
        (NODE_429, "Error: 429 Too Many Requests"),
        (PYTHON_500, PYTHON_500.splitlines()[3]),
        (
            'logger.error("failed")\nHTTP/1.1 503 Service Unavailable\n',
            "HTTP/1.1 503 Service Unavailable",
        ),
        ("print(e)\nraise RuntimeError(str(e))\n", None),  # only code: no error line
    ],
)
def test_the_error_line_is_never_a_frame_or_a_logger_call(paste: str, expected: str) -> None:
    assert error_line(paste) == expected


def test_the_checklist_quotes_the_error_line_not_the_last_frame() -> None:
    """The checklist said `Error: at APIError.generate (...)` and `logger.error("failed")`."""
    for paste, want in (
        (NODE_429, "Error: 429 Too Many Requests"),
        (PYTHON_500, "Error code: 500"),
    ):
        support = support_for(paste, KNOWLEDGE)
        assert want in support.error, support.error
        assert "at APIError" not in support.error and "logger" not in support.error


def test_frames_and_code_are_told_from_output() -> None:
    assert is_frame("    at OpenAI.makeStatusError (file:///app/node_modules/openai/core.mjs:1:2)")
    assert is_frame('  File "/app/x.py", line 3, in <module>')
    assert is_code('logger.error("failed")') and is_code("    raise self._make_status_error()")
    assert not is_code("ERROR:root:request failed: 429") and not is_frame("HTTP/2 429")


def _cases() -> list[tuple[str, dict]]:
    return [
        (f"{path.relative_to(CORPUS)}:{number}", json.loads(line))
        for path in FILES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.strip()
    ]


def test_the_error_line_of_every_corpus_case_is_output_and_holds_the_error() -> None:
    """Across every labelled case (hand-written and every client's format): the line picked
    is never a frame, a logger call or a source line, and when the matcher found a status or
    an exception it holds one of them, or is the final exception line."""
    cases = _cases()
    assert len(cases) > 4000
    wrong = []
    for where, case in cases:
        result = explain(case["text"], KNOWLEDGE, "explicit")
        prepared = prepare(result.redaction.text)
        line = error_line(prepared, result.decision.evidence)
        keys = [
            e.text.strip()
            for e in result.decision.evidence
            if e.kind in (Kind.STATUS, Kind.EXCEPTION) and e.text.strip()
        ]
        if line is None:
            # Only when every line holding the error is a frame or code ("if resp.status_code
            # == 429:" in a question about retry code).
            holding = [raw for raw in prepared.splitlines() if any(k in raw for k in keys)]
            if any(not (is_frame(raw) or is_code(raw)) for raw in holding):
                wrong.append((where, "none", holding[:1]))
            continue
        # The matcher reads text copied from a picture mended (`4l3` as 413): so may this check.
        mended = repair(line, KNOWLEDGE.signals.ocr)
        if _FRAME.search(line) or _LOGGER.search(line) or line in _python_sources(prepared):
            wrong.append((where, "frame or code", line[:100]))
        elif (
            keys
            and not any(k in line or k in mended for k in keys)
            and not _EXCEPTION_HEAD.search(line)
        ):
            wrong.append((where, "misses the error", line[:100], keys[:2]))
    assert not wrong, f"{len(wrong)} of {len(cases)}: {wrong[:10]}"
