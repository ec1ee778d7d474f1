"""The knowledge base as immutable data: the entries, their index, signals and calibration.

Everything here is frozen so that a reload can swap a whole `Knowledge` in one assignment:
an answer is computed from one snapshot or the next, never from a mix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.core.calibration import IDENTITY, Calibration
from bot.core.entry import Entry, Tips
from bot.core.index import KnowledgeIndex
from bot.core.vocabulary import Signals


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
        by_code: dict[str, list[Entry]] = {}
        for entry in sorted(self.entries, key=lambda e: (not e.generic, e.id)):
            by_code.setdefault(entry.code, []).append(entry)
        object.__setattr__(self, "by_id", {entry.id: entry for entry in self.entries})
        object.__setattr__(self, "by_code", {c: tuple(es) for c, es in by_code.items()})
        object.__setattr__(self, "index", KnowledgeIndex(self.entries, self.signals))

    def for_code(self, code: str) -> tuple[Entry, ...]:
        """The entries that share a status code, generic one first."""
        return self.by_code.get(code, ())
