"""What the bot writes to the store about a decision or an escalation: ids, labels from the
knowledge, and a cleaned excerpt of at most 500 characters (no secret, no personal data, see
`for_storage`). Never the raw text."""

from __future__ import annotations

import time
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from bot.core.limits import STORED_EXCERPT_CHARS
from bot.core.redact import for_storage
from bot.store.store import evidence_json, excerpt

if TYPE_CHECKING:
    from bot.core.decision import Mode
    from bot.core.explain import Explanation
    from bot.core.model import Knowledge
    from bot.store.service import StoreService


STORED_EVIDENCE = 20  # what `evidence_json` keeps
STORED_TEXTS_CACHED = 256  # cleaned texts kept, each at most an excerpt long


class Recorder(Protocol):
    """What recording a decision needs of the bot (not the bot class: it imports this)."""

    @property
    def knowledge(self) -> Knowledge: ...

    @property
    def store(self) -> StoreService: ...


def stored_text(text: str) -> str:
    """Cleaned for storage (whatever the caller did) and cut to the excerpt length. Only the
    head is read: a secret cut at its edge would slip past cleaning, but that part is cut off."""
    return _cleaned(text[: STORED_EXCERPT_CHARS + 200])


@lru_cache(maxsize=STORED_TEXTS_CACHED)
def _cleaned(head: str) -> str:
    """Kept for the texts that come again (an answer's excerpt and error are in its decision's
    row too, a status's evidence in many): each cleaning takes tens of microseconds of the
    event loop."""
    return excerpt(for_storage(head))


def forget_cleaned_texts() -> None:
    """Drop the cleaned texts kept in memory: after forget-me, any of them may be the user's."""
    _cleaned.cache_clear()


def excerpt_source(result: Explanation) -> str:
    """The redacted paste from where its excerpt starts: the head, or, when the error line lies
    past the excerpt's length (a long traceback), the part that ends with that line."""
    text = result.redaction.text
    line = result.reply.error_line if result.reply is not None else ""
    at = text.find(line) if line else -1
    if at == -1 or at + len(line) <= STORED_EXCERPT_CHARS:
        return text
    end = at + len(line)
    start = text.find("\n", max(0, end - STORED_EXCERPT_CHARS)) + 1  # from a whole line
    return text[start if 0 < start <= at else at : end]


def _mode(feature: str) -> Mode:
    """The help-channel listener reads in passive mode; commands and the menu explicitly."""
    return "passive" if feature == "listener" else "explicit"


def decision_row(
    bot: Recorder, feature: str, result: Explanation, outcome: str, where: Any, user: Any
) -> dict[str, Any]:
    decision = result.decision
    entry = decision.entry
    channel = getattr(where, "channel", where)
    author = user if user is not None else getattr(where, "author", None)
    is_message = hasattr(where, "channel")
    return {
        "created_at": time.time(),
        "feature": feature,
        "action": decision.action,
        "outcome": outcome,
        "code": entry.code if entry else None,
        "entry": entry.id if entry else None,
        # Calibrated, so the report's low-confidence list means what it says.
        "confidence": round(bot.knowledge.calibration.of(decision.confidence, _mode(feature)), 4),
        "evidence": evidence_json(
            replace(e, text=stored_text(e.text)) for e in decision.evidence[:STORED_EVIDENCE]
        ),
        "knowledge_version": bot.knowledge.version[:64],
        "message_id": getattr(where, "id", None) if is_message else None,
        "channel_id": getattr(channel, "id", None),
        "jump_url": (getattr(where, "jump_url", None) or "")[:200] or None,
        "author_id": getattr(author, "id", None),
        "excerpt": stored_text(excerpt_source(result)),
    }


def record_decision(
    bot: Recorder, feature: str, result: Explanation, outcome: str, where: Any, user: Any = None
) -> None:
    """Queue the decision for the store (written in the background). Ignored messages with no
    sign of an error (chatter) are not kept: nothing in them teaches the bot anything."""
    if not bot.store.configured or outcome == "ignored":
        return
    bot.store.record(decision_row(bot, feature, result, outcome, where, user))
