"""Code pasted for review: a status or a class named in source code is the code's, not a failure.

`switch (err.status) { case 429: ... }`, `except openai.RateLimitError as e:` or
`StatusCode::TOO_MANY_REQUESTS =>` say what the code handles, not what the person hit. When every
piece of evidence sits on lines of source code, the paste is a report only if the words around
the code say so ("this keeps failing", "getting 429 with this").
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.detectors.prose import prose
from bot.core.error_line import source_lines
from bot.core.evidence import Evidence
from bot.core.paste import Paste
from bot.core.vocabulary import Signals


def under_review(text: str, evidence: Iterable[Evidence], signals: Signals) -> bool:
    """Every piece of `evidence` lies on lines of source code in `text`, and the prose around
    the code reports nothing: no ongoing failure, no failure in words, no report outside a
    question."""
    spans = [(e.start, max(e.end, e.start + 1)) for e in evidence]
    if not spans or any(start < 0 for start, _ in spans):
        return False
    first = _line(text, spans[0][0])
    told = signals.told_after_code
    if not source_lines(text[first[0] : first[1]], told):
        return False  # a cheap first look: the first piece's line is not code
    code = source_lines(text, told)
    if not all(_on_code(text, code, start, end) for start, end in spans):
        return False
    around = list(text)
    for start, end in code.items():
        around[start:end] = " " * (end - start)
    words = prose(Paste.of("".join(around), signals.chain), signals)
    said = words.report_words and not words.asks
    return not (words.ongoing or words.outage or words.failing or said)


def _line(text: str, position: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return start, len(text) if end < 0 else end


def _on_code(text: str, code: dict[int, int], start: int, end: int) -> bool:
    """Each line the span [start, end) touches is code or blank, and no part of the span lies
    in a line's trailing comment."""
    position = start
    while position < end:
        line_start, line_end = _line(text, position)
        code_end = code.get(line_start)
        if code_end is None and text[line_start:line_end].strip():
            return False
        if code_end is not None and min(end, line_end) > code_end:
            return False
        position = line_end + 1
    return True
