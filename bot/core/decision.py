"""What the matcher concluded about one piece of text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from bot.core.entry import Entry
from bot.core.evidence import Evidence, Kind

Mode = Literal["explicit", "passive"]
Action = Literal["answer", "escalate", "ignore"]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One entry the text might be about, with the evidence that points at it."""

    entry: Entry
    confidence: float
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict for a message: answer with an entry, hand it to a human, or stay quiet."""

    action: Action
    entry: Entry | None
    confidence: float
    evidence: tuple[Evidence, ...]
    candidates: tuple[Candidate, ...] = ()

    @property
    def code(self) -> str | None:
        return (self.entry.code or None) if self.entry else None

    @property
    def escalate(self) -> bool:
        return self.action == "escalate"

    @property
    def pages_support(self) -> bool:
        """Whether to call the support role now, unasked: an escalation with an error in it.

        A failure reported without its error text gets the unknown answer (what to send, the
        human button) but no ping: support can't act on it yet, and the user is one press away.
        """
        return self.escalate and any(e.kind is not Kind.REPORT for e in self.evidence)

    @property
    def wants_error_text(self) -> bool:
        """A failure reported in words only ("fireworks is broken"): ask for the error text."""
        return (
            self.entry is None
            and bool(self.evidence)
            and all(e.kind is Kind.REPORT for e in self.evidence)
        )

    @property
    def holds_no_error(self) -> bool:
        """No entry and nothing that reads as an error or a report of one ("thanks")."""
        return self.entry is None and not self.evidence

    @property
    def fix_is_users(self) -> bool:
        """A known error whose fix is on the user's side (an entry that doesn't escalate).

        Someone may still ask for a human about it; that reaches the moderators' queue but
        pings nobody, since support has nothing to do until the user's own fix has failed.
        """
        return self.entry is not None and not self.entry.escalate

    def to_json(self) -> dict[str, Any]:
        """The shape `explain --json` prints and tests compare against."""
        return {
            "action": self.action,
            "code": self.code,
            "entry": self.entry.id if self.entry else None,
            "confidence": round(self.confidence, 3),
            "escalate": self.escalate,
            "pages_support": self.pages_support,
            "evidence": [evidence.to_json() for evidence in self.evidence],
        }
