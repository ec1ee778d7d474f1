"""An entry's answer in the reader's language, kept in the entry's own YAML.

A translation carries `source`: a hash of the English title, cause and fix it was written
from. When the English text changes, the hash no longer matches: `check` says which
translation is older than its English text, and the bot answers in English until someone
updates it (a stale translation may say something the English no longer does).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

SOURCE_CHARS = 12


@dataclass(frozen=True, slots=True)
class Translation:
    title: str
    cause: str
    fix: str
    source: str  # `english_source` of the text it was translated from


def english_source(title: str, cause: str, fix: str) -> str:
    """A short hash of the English an entry's translations must be written from."""
    text = "\n".join(" ".join(part.split()) for part in (title, cause, fix))
    return hashlib.sha256(text.encode()).hexdigest()[:SOURCE_CHARS]
