"""Reading `signals/screenshots.yaml`: the OCR confusions `bot.screenshots.normalise` undoes.

Here with the rest of the knowledge loading, so `check` validates the file without importing the
screenshot reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.yaml_lines import YamlError, load_plain

FILE = "screenshots.yaml"
SIGNALS = "signals"
KEYS = frozenset({"digits", "words", "literal", "instructions", "letters"})


class ScreenshotSignalsError(ValueError):
    """The file is malformed; the message names it and the fix."""


@dataclass(frozen=True, slots=True)
class Confusions:
    digits: Mapping[str, str]  # a letter the engine reads for a digit -> that digit
    words: Mapping[str, str]  # lower-case run-together word -> the words as printed
    literal: tuple[tuple[str, str], ...]  # exact text -> its fix, in file order
    # first words of a line typed to a model (a playground's prompt box), lower case
    instructions: tuple[str, ...] = ()
    letters: Mapping[str, str] = field(default_factory=dict)  # a letter read for another


def load_confusions(knowledge_dir: Path) -> Confusions:
    """The confusions in `knowledge_dir/signals/screenshots.yaml` (none if the file is absent)."""
    path = knowledge_dir / SIGNALS / FILE
    if not path.exists():
        return Confusions({}, {}, ())
    try:
        data = load_plain(path.read_text(encoding="utf-8")) or {}
    except YamlError as error:
        raise ScreenshotSignalsError(f"{path}: not valid YAML: {error}") from None
    if not isinstance(data, dict) or set(data) - KEYS:
        raise ScreenshotSignalsError(
            f"{path}: expected the keys digits, words, literal, instructions and letters"
        )
    letters = data.get("letters") or {}
    if not isinstance(letters, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(k) == len(v) == 1 and k.isalpha()
        for k, v in letters.items()
    ):
        raise ScreenshotSignalsError(f"{path}: 'letters' must map one letter to one letter")
    instructions = data.get("instructions") or []
    if not isinstance(instructions, list) or not all(
        isinstance(word, str) and word.strip() for word in instructions
    ):
        raise ScreenshotSignalsError(f"{path}: 'instructions' must be a list of words")
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
        tuple(word.strip().lower() for word in instructions),
        dict(letters),
    )
