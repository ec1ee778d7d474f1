"""Normalise a paste before anything reads it, and bound how much of it is read."""

from __future__ import annotations

import re

# Enough for any real traceback; a 1 MB log is cut to its head and (more telling) its tail.
HEAD_CHARS = 8_000
TAIL_CHARS = 24_000

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")
_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]"
)
_FENCE = re.compile(r"^[ \t]*```[\w+-]*[ \t]*$|```", re.MULTILINE)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clip(text: str) -> str:
    """Keep the head and the tail of a huge paste; the middle rarely says what failed."""
    if len(text) <= HEAD_CHARS + TAIL_CHARS:
        return text
    return text[:HEAD_CHARS] + "\n...\n" + text[-TAIL_CHARS:]


def prepare(text: str) -> str:
    """Clip, then strip ANSI colours, CRLF, code fences and invisible characters."""
    text = clip(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI.sub("", text)
    text = _FENCE.sub("", text)
    text = _SURROGATE.sub("\ufffd", text)
    return _INVISIBLE.sub("", text)
