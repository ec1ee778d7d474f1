"""Typed evidence: what a detector or the knowledge index found in a paste, and where.

Every decision carries these objects, so nothing parses a label string back: the renderer
quotes `text`, `check` finds the knowledge line from `source`, and the matcher weighs `kind`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What the evidence is."""

    STATUS = "status"  # a status code printed in an HTTP context
    EXCEPTION = "exception"  # a client's exception class
    ENVELOPE = "envelope"  # a Fireworks envelope code name (NOT_FOUND)
    TRANSPORT = "transport"  # a phrase of a failure with no status (ECONNRESET)
    PROXY = "proxy"  # the user's own proxy or firewall is named
    PATTERN = "pattern"  # an entry's pattern, exactly
    ALIAS = "alias"  # an entry's alias, exactly
    REASON = "reason"  # a standard reason phrase (bad gateway)
    TYPO = "typo"  # a few words that nearly spell an alias or reason phrase
    FUZZY = "fuzzy"  # the paste's error message resembles an entry's pattern or example
    ENTRY = "entry"  # an autocomplete pick named the entry
    REPORT = "report"  # prose that says the API fails, with no error text


@dataclass(frozen=True, slots=True)
class Evidence:
    """One thing found in a paste that points at a status, an entry, or a failure with none.

    `text` is the part of the paste it rests on and `start`/`end` its span (-1 when unknown);
    `source` is the knowledge string it matched (a pattern, alias, example or signal term).
    """

    kind: Kind
    weight: float
    text: str
    start: int = -1
    end: int = -1
    code: str | None = None  # the status it points at ("5xx": a server error, status unknown)
    entry: str | None = None  # the entry it points at
    source: str = ""
    similarity: float | None = None  # fuzzy only, 0..100

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind.value, "text": self.text}
        if self.start >= 0:
            data["span"] = [self.start, self.end]
        for key in ("code", "entry"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.source:
            data["source"] = self.source
        if self.similarity is not None:
            data["similarity"] = round(self.similarity, 1)
        data["weight"] = round(self.weight, 3)
        return data

    def __str__(self) -> str:
        """A short human form, for logs and `check` messages."""
        target = self.entry or self.code or "no status"
        shown = f"{self.kind.value} `{self.text}` -> {target}"
        if self.similarity is not None:
            shown += f" ({self.similarity:.0f}% like '{self.source}')"
        return shown
