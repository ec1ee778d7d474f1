"""One known error as immutable data: its patterns, texts and where it is written.

Below the index and the matcher, which read entries; `bot.core.model` gathers entries into a
`Knowledge`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.core.linear_re import Regex
from bot.core.slots import Slots
from bot.core.translation import Translation, english_source


@dataclass(frozen=True, slots=True)
class Pattern:
    """A message string that identifies an entry: a literal, or a regex vetted by `check`."""

    text: str
    # RE2 regexes compare by identity; the text alone says whether two patterns are the same.
    regex: Regex | None = field(default=None, compare=False)


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
    outage: bool = False  # many reports at once make a wave (bot.core.incidents)
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
