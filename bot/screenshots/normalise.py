"""Undo the OCR confusions that matter to the matcher, by the rules in `signals/screenshots.yaml`.

The vocabulary is data: which letters pass for which digits inside a status code (`5o4`),
which words the engine runs together (`Errorcode`), and literal fixes (`/vl/`, full-width
punctuation). Python only says where each applies: lookalike digits only inside a token that
is already mostly a number, so `Hello` keeps its `o` and `llama` its `l`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.core.yaml_lines import YamlError, load_plain

FILE = "screenshots.yaml"
SIGNALS = "signals"


class ScreenshotSignalsError(ValueError):
    """The file is malformed; the message names it and the fix."""


@dataclass(frozen=True, slots=True)
class Confusions:
    digits: Mapping[str, str]  # a letter the engine reads for a digit -> that digit
    words: Mapping[str, str]  # lower-case run-together word -> the words as printed
    literal: tuple[tuple[str, str], ...]  # exact text -> its fix, in file order

    def _code_pattern(self) -> re.Pattern[str]:
        letters = re.escape("".join(sorted(self.digits)))
        # A three-character token of digits and lookalikes, with at least one real digit,
        # standing alone or after `code`/`status`-like punctuation (`:5o4`, `(2oo)`).
        chars = f"[0-9{letters}]"
        return re.compile(rf"(?<![\w.]){chars}{{3}}(?![\w.])")


def load_confusions(knowledge_dir: Path) -> Confusions:
    """The confusions in `knowledge_dir/signals/screenshots.yaml` (none if the file is absent)."""
    path = knowledge_dir / SIGNALS / FILE
    if not path.exists():
        return Confusions({}, {}, ())
    try:
        data = load_plain(path.read_text(encoding="utf-8")) or {}
    except YamlError as error:
        raise ScreenshotSignalsError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict) or set(data) - {"digits", "words", "literal"}:
        raise ScreenshotSignalsError(f"{path}: expected the keys digits, words and literal")
    digits, words, literal = (data.get(key) or {} for key in ("digits", "words", "literal"))
    for name, table in (("digits", digits), ("words", words), ("literal", literal)):
        if not isinstance(table, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int) for k, v in table.items()
        ):
            raise ScreenshotSignalsError(f"{path}: '{name}' must map text to text")
    for letter, digit in digits.items():
        if len(letter) != 1 or not str(digit).isdigit() or len(str(digit)) != 1:
            raise ScreenshotSignalsError(
                f"{path}: digits: '{letter}: {digit}' must map one letter to one digit"
            )
    return Confusions(
        {k: str(v) for k, v in digits.items()},
        {k.lower(): str(v) for k, v in words.items()},
        tuple((k, str(v)) for k, v in literal.items()),
    )


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

        text = confusions._code_pattern().sub(fix, text)
    text = _GLUED_PUNCT.sub(r"\1 ", text)
    return _GLUED_VERSION.sub(r"\1 \2", _GLUED_CODE.sub(r"\1 ", text))
