"""The knowledge base as immutable data.

Everything here is frozen so that a reload can swap a whole `Knowledge` in one assignment:
an answer is computed from one snapshot or the next, never from a mix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.core.calibration import IDENTITY, Calibration
from bot.core.linear_re import Regex
from bot.core.slots import Slots
from bot.core.translation import Translation, english_source

if TYPE_CHECKING:
    from bot.core.index import KnowledgeIndex
    from bot.core.signals import Signals


@dataclass(frozen=True, slots=True)
class Pattern:
    """A message string that identifies an entry: a literal, or a regex vetted by `check`."""

    text: str
    # RE2 regexes compare by identity; the text alone says whether two patterns are the same.
    regex: Regex | None = field(default=None, compare=False)

    def search(self, lowered: str, original: str) -> bool:
        """Whether the pattern occurs; literals compare case-insensitively."""
        if self.regex is None:
            return self.text.lower() in lowered
        return self.regex.search(original) is not None


@dataclass(frozen=True, slots=True)
class Entry:
    """One known error: a status code and one distinct cause of it.

    `code` is "" for an error that happens before any HTTP status (TLS, DNS, a reset).
    """

    id: str
    code: str
    title: str
    cause: str
    fix: str
    docs: str
    escalate: bool = False
    generic: bool = False
    aliases: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    tips: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    notes: str = ""  # for moderators: never rendered
    slots: Slots | None = None  # templates filled from the paste (bot.core.slots)
    translations: tuple[tuple[str, Translation], ...] = ()  # (language, its text)
    source: Path | None = None
    line: int = 1

    def translation_in(self, language: str) -> Translation | None:
        """The entry in `language`, if it has a translation as new as its English text."""
        found = dict(self.translations).get(language)
        if found is None or found.source != english_source(self.title, self.cause, self.fix):
            return None
        return found


@dataclass(frozen=True, slots=True)
class Tips:
    """General troubleshooting advice and where humans can be reached."""

    general: tuple[str, ...]
    support_email: str
    status_url: str
    docs_url: str


@dataclass(frozen=True, slots=True)
class Knowledge:
    """A validated, loaded knowledge directory."""

    entries: tuple[Entry, ...]
    tips: Tips
    version: str
    loaded_at: datetime
    directory: Path
    signals: Signals
    calibration: Calibration = IDENTITY  # raw score -> probability (bot.core.calibration)
    clients: dict[str, tuple[str, ...]] = field(default_factory=dict)  # client -> its markers
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # language -> telling words
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> its labels
    by_id: dict[str, Entry] = field(init=False, compare=False, repr=False)
    by_code: dict[str, tuple[Entry, ...]] = field(init=False, compare=False, repr=False)
    index: KnowledgeIndex = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        from bot.core.index import KnowledgeIndex  # the index needs Entry from this module

        by_code: dict[str, list[Entry]] = {}
        for entry in sorted(self.entries, key=lambda e: (not e.generic, e.id)):
            by_code.setdefault(entry.code, []).append(entry)
        object.__setattr__(self, "by_id", {entry.id: entry for entry in self.entries})
        object.__setattr__(self, "by_code", {c: tuple(es) for c, es in by_code.items()})
        object.__setattr__(self, "index", KnowledgeIndex(self.entries, self.signals))

    def for_code(self, code: str) -> tuple[Entry, ...]:
        """The entries that share a status code, generic one first."""
        return self.by_code.get(code, ())
