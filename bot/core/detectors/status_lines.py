"""Status codes printed in an HTTP context: `Error code: 429`, `HTTP/2 503`, `502 Bad Gateway`."""

from __future__ import annotations

from bot.core.evidence import Evidence, Kind
from bot.core.linear_re import compile_linear
from bot.core.paste import Paste
from bot.core.statuses import (
    BARE,
    MEDIUM,
    STRONG,
    StatusWords,
    bare_code,
    find_statuses,
    is_detached_code,
    reason_messages,
)


def status_lines(paste: Paste, words: StatusWords) -> list[Evidence]:
    """Every error status (4xx and 5xx) the paste prints, weighted by how sure its context is."""
    code = bare_code(paste.view)
    if code:
        text = paste.text.strip()
        return [Evidence(Kind.STATUS, BARE, text, 0, len(paste.text), code=code, source="bare")]
    found = _written_out(paste)
    statuses = list(find_statuses(paste.view, paste.text, words))
    # A printed error code rules: a message that is a reason phrase may only agree with it.
    printed = {s.code for s in statuses if s.strength == STRONG and s.code[0] in "45"}
    statuses += (
        status
        for status in reason_messages(paste.view, paste.text, words)
        if not printed or status.code in printed
    )
    for status in statuses:
        if status.code[0] in "123":
            continue
        weight = paste.weight(status.strength, status.position)
        end = status.end if status.end >= 0 else status.position + len(status.code)
        found.append(
            Evidence(Kind.STATUS, weight, status.snippet, status.position, end, code=status.code)
        )
    return found


# curl told to print the status (`-w '%{http_code}'`), and a line that is only a code: its output.
_WRITE_OUT = "%{http_code}"
_CODE_LINE = compile_linear(r"^[ \t]*(?P<code>[45]\d\d)[ \t]*$", multiline=True)


def _written_out(paste: Paste) -> list[Evidence]:
    """The code curl printed for `-w '%{http_code}'`, on a line of its own after the command."""
    command = paste.view.find(_WRITE_OUT)
    if command < 0:
        return []
    return [
        Evidence(
            Kind.STATUS,
            paste.weight(STRONG, m.start()),
            m["code"],
            m.start(),
            m.end(),
            code=m["code"],
        )
        for m in _CODE_LINE.finditer(paste.view, command)
    ]


# A lone error code in a sentence that reports a failure: "Fehler 429 von Fireworks".
_LONE_CODE = compile_linear(r"\b[45]\d\d\b")


def loose_statuses(paste: Paste, words: StatusWords) -> list[Evidence]:
    """Error codes standing alone in a failure report: no unit after, nothing glued before."""
    found = []
    for match in _LONE_CODE.finditer(paste.view):
        start, end = match.span()
        if is_detached_code(paste.view, start, end, words):
            code = paste.text[start:end]
            weight = paste.weight(MEDIUM, start)
            found.append(Evidence(Kind.STATUS, weight, code, start, end, code=code, source="loose"))
    return found
