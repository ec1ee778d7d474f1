"""Reading `knowledge/languages/`: the telling words of each language and the labels around a
translated answer. `bot.core.language` uses them to tell which language a message is in.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.language import LANGUAGES
from bot.knowledge.yaml_lines import YamlError, load_plain

WORDS_FILE = Path("languages") / "words.yaml"
LABELS_FILE = Path("languages") / "labels.yaml"


class LanguageError(ValueError):
    """The words file is unusable; the message says why."""


def _read(path: Path) -> object:
    """The file's data; None when the knowledge ships no such file (English only)."""
    if not path.is_file():
        return None
    try:
        return load_plain(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlError) as error:
        raise LanguageError(f"can't read it: {error}") from None


def load_words(directory: Path) -> dict[str, frozenset[str]]:
    """The word lists in `directory`; none (English only) when the knowledge ships none."""
    path = directory / WORDS_FILE
    document = _read(path)
    if document is None:
        return {}
    if not isinstance(document, dict) or not all(
        isinstance(words, list) and all(isinstance(w, str) and w for w in words)
        for words in document.values()
    ):
        raise LanguageError("each language maps to a list of words")
    return {str(lang): frozenset(w.lower() for w in words) for lang, words in document.items()}


def load_labels(directory: Path) -> dict[str, dict[str, str]]:
    """Per language, the words around a translated answer (English ones as keys)."""
    path = directory / LABELS_FILE
    document = _read(path)
    if document is None:
        return {}
    if not isinstance(document, dict) or not all(
        lang in LANGUAGES
        and isinstance(labels, dict)
        and all(isinstance(k, str) and isinstance(v, str) and v for k, v in labels.items())
        for lang, labels in document.items()
    ):
        raise LanguageError(f"maps a language ({', '.join(LANGUAGES)}) to its labels")
    return {str(lang): dict(labels) for lang, labels in document.items()}
