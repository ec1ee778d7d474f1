"""Undo the OCR confusions that matter to the matcher, by the rules in `signals/screenshots.yaml`
(read by `bot.knowledge.screenshots`).

The vocabulary is data: which letters pass for which digits inside a status code (`5o4`),
which words the engine runs together (`Errorcode`), and literal fixes (`/vl/`, full-width
punctuation). Python only says where each applies: lookalike digits only inside a token that
is already mostly a number, so `Hello` keeps its `o` and `llama` its `l`.
"""

from __future__ import annotations

import re

from bot.knowledge.screenshots import Confusions


def _code_pattern(confusions: Confusions) -> re.Pattern[str]:
    letters = re.escape("".join(sorted(confusions.digits)))
    # A three-character token of digits and lookalikes, with at least one real digit,
    # standing alone or after `code`/`status`-like punctuation (`:5o4`, `(2oo)`).
    chars = f"[0-9{letters}]"
    return re.compile(rf"(?<![\w.]){chars}{{3}}(?![\w.])")


# A status code glued to the reason phrase after it (`502Bad Gateway`): the engine lost the
# narrow space between a digit and a capital.
_GLUED_CODE = re.compile(r"(?<![\w.])([1-5]\d\d)(?=[A-Z][a-z])")
# ...or to the HTTP version before it (`HTTP/2502`, `HTTP/1.1429`).
_GLUED_VERSION = re.compile(r"\b(HTTP/(?:1\.[01]|2|3))([1-5]\d\d)\b")

# A colon or comma glued to the next word (`tls:failed`, `scratch,so`): the engine drops the
# narrow space a monospace font leaves after it. Not in a URL (`https://`), a Windows path
# (`C:\\`), a time (`09:29`) or a number (`1,000`).
_GLUED_PUNCT = re.compile(r"(?<=[A-Za-z0-9)\]\"'])([:,])(?=[A-Za-z])")


def normalise(text: str, confusions: Confusions) -> str:
    """`text` with the confusions undone: literal fixes, run-together words, lookalike digits,
    and a code glued to its reason phrase."""
    for wrong, right in confusions.literal:
        text = text.replace(wrong, right)
    if confusions.words:
        pattern = re.compile(
            r"\b("
            + "|".join(re.escape(w) for w in sorted(confusions.words, key=len, reverse=True))
            + r")\b",
            re.IGNORECASE,
        )
        text = pattern.sub(lambda m: confusions.words[m.group(1).lower()], text)
    if confusions.digits:
        table = str.maketrans(dict(confusions.digits))

        def fix(match: re.Match[str]) -> str:
            token = match.group(0)
            return token.translate(table) if any(c.isdigit() for c in token) else token

        text = _code_pattern(confusions).sub(fix, text)
    text = _GLUED_PUNCT.sub(r"\1 ", text)
    return _GLUED_VERSION.sub(r"\1 \2", _GLUED_CODE.sub(r"\1 ", text))
