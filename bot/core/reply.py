"""Replies as plain data, so the CLI, the bot and the tests render the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.evidence import Evidence
from bot.core.handoff import Handoff


@dataclass(frozen=True, slots=True)
class SupportRequest:
    """What to send to support@fireworks.ai, filled in from the paste where it says."""

    email: str
    request_id: str | None
    timestamp: str | None
    model: str | None
    error: str  # redacted and shortened


@dataclass(frozen=True, slots=True)
class Reply:
    """Everything a rendered answer needs; free of Discord types."""

    title: str
    cause: str
    fix: str
    tips: tuple[str, ...]
    docs_url: str
    status_url: str
    escalate: bool
    confidence: float
    entry_id: str | None
    code: str | None
    support: SupportRequest | None
    leaked_secrets: tuple[str, ...] = ()  # redaction markers, never the secrets themselves
    evidence: tuple[Evidence, ...] = ()  # what the answer rests on, quoted from the redacted paste
    handoff: Handoff | None = None  # what the bot did about humans; None: no message behind it
    error_line: str = ""  # the paste's error line (`bot.core.error_line`), redacted
    language: str = "en"  # the language title, cause and fix are in (bot.core.language)
    labels: tuple[tuple[str, str], ...] = ()  # the words around the answer in that language
    asks_for_text: bool = False  # a failure told in words: the reply asks for the error text

    def label(self, english: str) -> str:
        """`english` (a field name, a link, a handoff's name) in the answer's language."""
        return dict(self.labels).get(english, english)
