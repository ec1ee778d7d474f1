"""Fireworks envelope codes: `"code": "NOT_FOUND"`, or PRECONDITION_FAILED named in prose."""

from __future__ import annotations

from bot.core.evidence import Evidence, Kind
from bot.core.linear_re import Regex, compile_linear
from bot.core.paste import Paste
from bot.core.vocabulary import Signals

ENVELOPE = 4.0
# `"code": "FORBIDDEN"` in JSON, or "gets code FORBIDDEN" in prose (upper case either way).
_CODE_FIELD = compile_linear(r"code(?:[\"']\s*:\s*[\"']|\s*[=:]?\s*)(?P<name>[A-Z][A-Z_]{3,})\b")
# Multi-word envelope names are distinctive even in prose.
_NAME = compile_linear(r"\b(?P<name>[A-Z]+(?:_[A-Z]+)+)\b")


def envelope_codes(paste: Paste, signals: Signals) -> list[Evidence]:
    """The envelope code names in the paste, each pointing at its status."""
    found = []
    view = paste.view
    if "_" in view:
        found += _named(paste, signals, _NAME, check_glued=False)
    if "code" in view:
        found += _named(paste, signals, _CODE_FIELD, check_glued=True)
    return found


def _named(paste: Paste, signals: Signals, regex: Regex, check_glued: bool) -> list[Evidence]:
    found = []
    group = regex.groupindex["name"]
    for match in regex.finditer(paste.view):
        if check_glued and match.start() and paste.text[match.start() - 1].isalnum():
            continue  # "errcode FOO" is not a code field
        start, end = match.span(group)
        term = signals.envelopes.get(match[group])
        if term is not None:
            found.append(
                Evidence(Kind.ENVELOPE, ENVELOPE, paste.text[start:end], start, end, term.meaning)
            )
    return found
