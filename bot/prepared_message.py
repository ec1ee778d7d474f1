"""A message prepared once: each part redacted once, the parts joined, the matcher's text made.

Everything downstream (the explanation, the leak notices, the screenshot quote, the support
checklist, the claim's paste digest) reads this value, so nothing redacts, normalises or
joins a message's text a second time. The parts keep apart what must be treated apart: a
secret in what Discord holds is contained (deleted and re-posted), one in a linked paste can
only be warned of, and one in a screenshot is contained by deleting the message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.prepare import prepare
from bot.core.redact import Redaction, redact

if TYPE_CHECKING:
    from bot.message_text import MessageText
    from bot.screenshots.reading import Reading


@dataclass(frozen=True, slots=True)
class PreparedMessage:
    """A message's text, redacted part by part and joined; nothing in it holds a secret."""

    logs: Redaction  # what is explained: content, log-like files, pastes, sure screenshots
    held: Redaction  # what Discord holds (content and every text file): a secret here is contained
    linked: Redaction  # the linked pastes: a secret here can only be warned of
    pictured: Redaction  # every screenshot's text, sure or not: contained by deleting
    matched: str  # `logs` clipped and normalised (`bot.core.prepare`): what the matcher reads
    digest: bytes  # the paste's words, hashed: the same paste re-posted counts once
    pictures: tuple[Reading, ...] = ()
    trusted_pictures: str = ""  # the sure screenshots' text, redacted: what a quote may show

    @property
    def leaked(self) -> bool:
        return self.held.found or self.linked.found or self.pictured.found


def joined(parts: Iterable[Redaction]) -> Redaction:
    """The parts that say anything, a blank line between them, and all their secrets."""
    kept = [part for part in parts if part.text.strip()]
    if len(kept) == 1:
        return kept[0]
    secrets = dict.fromkeys(secret for part in kept for secret in part.secrets)
    return Redaction("\n\n".join(part.text for part in kept), tuple(secrets))


def digest(parts: Iterable[str]) -> bytes:
    """The hash of the parts' words in order: as of the joined text, without joining it."""
    words = hashlib.sha256()
    for n, word in enumerate(word for part in parts for word in part.split()):
        words.update(f" {word}".encode(errors="replace") if n else word.encode(errors="replace"))
    return words.digest()


def held_redaction(text: MessageText) -> Redaction:
    """Only what Discord holds, redacted part by part: for containing an edit's secret."""
    return joined(redact(part) for part in (text.content, *(f.text for f in text.files)))


def prepare_message(text: MessageText) -> PreparedMessage:
    """Redact each part of `text` once, join them, and make the matcher's text once.

    Runs in a worker thread: a megabyte takes the core tens of milliseconds.
    """
    content = redact(text.content)
    files = [(file, redact(file.text)) for file in text.files]
    pastes = [redact(paste) for paste in text.pastes]
    sure = {id(r): redact(r.text) for r in text.pictures if r.trusted}
    trusted = list(sure.values())
    # A reading's whole text (prompts included) is searched for secrets, sure or not.
    pictured = [
        redact(r.whole) if r.whole else sure.get(id(r)) or redact(r.text) for r in text.pictures
    ]
    logged = [redaction for file, redaction in files if file.is_log][: len(text.log_files)]
    logs = joined([content, *logged, *pastes, *trusted])
    raw_logs = [
        text.content,
        *(f.text for f in text.log_files),
        *text.pastes,
        *(r.text for r in text.pictures if r.trusted),
    ]
    return PreparedMessage(
        logs=logs,
        held=joined([content, *(redaction for _, redaction in files)]),
        linked=joined(pastes),
        pictured=joined(pictured),
        matched=prepare(logs.text),
        digest=digest(raw_logs),
        pictures=text.pictures,
        trusted_pictures=joined(trusted).text,
    )
