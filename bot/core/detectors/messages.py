"""The error message of a paste: what the fuzzy matcher compares with the knowledge.

Only grammar lives here: the JSON `message`/`detail` field, the text after an exception class,
and, for a short message, the whole text. `masked` turns numbers, ids, model names, paths and
URLs into placeholders, so "prompt has 200122 tokens" and "prompt has 9120 tokens" compare equal.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.core.limits import MESSAGE_STRING_CHARS
from bot.core.linear_re import compile_linear, for_re2
from bot.core.words import alnum_runs

MAX_MESSAGES = 4
WHOLE_TEXT_WORDS = 60
# What `masked` puts in place of what varies between pastes; never an informative word.
PLACEHOLDERS = frozenset({"url", "model", "path", "id", "0"})
# The counts ({8,400}) spell out thousands of RE2 steps: in RE2's default memory the DFA cache
# of these two refilled on most pastes, which made them most of the p99 (bench_core.py).
_COUNTED_MEMORY = 16 << 20
_FIELD = compile_linear(
    r"""(?i)["']?(?:message|detail|msg|error)["']?\s*[:=]\s*(?:"(?P<dq>[^"\n]{8,400})"|'(?P<sq>[^'\n]{8,400})')""",
    memory=_COUNTED_MEMORY,
)
_AFTER_CLASS = compile_linear(
    r"^\s*(?:[\w.]+\.)?[A-Za-z_]\w*(?:Error|Exception|Timeout)\s*:\s*(?P<msg>[^\n]{8,400})$",
    multiline=True,
    memory=_COUNTED_MEMORY,
)
_URL = compile_linear(r"(?i)\bhttps?://\S+")
_MODEL = compile_linear(r"(?i)\baccounts/[\w.-]+/(?:models|deployedModels|deployments)/[\w.@:-]+")
_PATH = compile_linear(r"(?:/[\w.@-]+){2,}")
_HEX_ID = compile_linear(r"\b[0-9a-fA-F-]{16,}\b")


def error_messages(text: str) -> list[str]:
    """Up to a few error messages: the JSON message fields, else the text after an exception
    class, else (a short message) the whole text."""
    readable = for_re2(text)
    found = _first(match["dq"] or match["sq"] for match in _FIELD.finditer(readable))
    if not found:
        found = _first(match["msg"] for match in _AFTER_CLASS.finditer(readable))
    if not found and len(text.split()) <= WHOLE_TEXT_WORDS:
        found = [text[:MESSAGE_STRING_CHARS]]
    return found


def _first(messages: Iterator[str]) -> list[str]:
    """The first few different messages (a log repeats one 10,000 times)."""
    found: dict[str, None] = {}
    for message in messages:
        found[message[:MESSAGE_STRING_CHARS]] = None
        if len(found) == MAX_MESSAGES:
            break
    return list(found)


def masked(message: str) -> str:
    """Lower-case words of `message`, with URLs, models, paths, ids and numbers as placeholders."""
    readable = for_re2(message)
    for regex, placeholder in (
        (_URL, " url "),
        (_MODEL, " model "),
        (_PATH, " path "),
        (_HEX_ID, " id "),
    ):
        if regex.search(readable):
            readable = regex.sub(placeholder, readable)
    words = ["0" if word.isdigit() else word for word in alnum_runs(readable.lower())]
    return " ".join(word for word in words if not (word[0].isdigit() and len(word) > 1))
