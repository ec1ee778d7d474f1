"""The one-line calls features make where they decide: a log line for operators, and metrics.

Each decision is one INFO line on the `bot.decisions` logger: what the matcher concluded, what
the bot did about it, where (the message's jump link) and how long it took. Never the text:
only labels from the knowledge, ids, and numbers. The same fields ride on the record as
`decision`, so the JSON log format carries them as an object.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Protocol

from bot import records
from bot.observability.metrics import BotMetrics, Feature, Outcome, Trigger, entry_labels

if TYPE_CHECKING:
    from bot.core.entry import Entry
    from bot.core.explain import Explanation
    from bot.core.redact import Redaction

log = logging.getLogger("bot.decisions")

MODES: dict[Feature, str] = {"listener": "passive", "command": "explicit", "menu": "explicit"}


class Observed(records.Recorder, Protocol):
    """What the hooks need of the bot: its metrics, and what a decision's record needs."""

    @property
    def metrics(self) -> BotMetrics: ...


def _outcome(result: Explanation, sent: bool) -> Outcome:
    decision = result.decision
    if sent:
        return "replied"
    if decision.holds_no_error:  # no sign of an error report at all
        return "ignored"
    return "not_sent"  # a cooldown, a duplicate, or Discord refused the reply


def _fields(fields: dict[str, Any]) -> str:
    return " ".join(f"{key}={value}" for key, value in fields.items())


def record_decision(
    bot: Observed,
    feature: Feature,
    result: Explanation,
    started: float,
    where: Any,
    *,
    sent: bool,
    user: Any = None,
) -> None:
    """Log, count and store one decision; `where` is the message (or channel) it is about,
    `user` who asked when that isn't `where`'s author (a slash command)."""
    seconds = time.perf_counter() - started
    outcome = _outcome(result, sent)
    bot.metrics.decision(feature, result.decision, outcome, seconds)
    records.record_decision(bot, feature, result, outcome, where, user)
    if not log.isEnabledFor(logging.INFO):
        return
    code, entry = entry_labels(result.decision.entry)
    fields = {
        "feature": feature,
        "mode": MODES[feature],
        "action": result.decision.action,
        "outcome": outcome,
        "code": code,
        "entry": entry,
        "confidence": round(result.decision.confidence, 3),
        "leaked": result.redaction.found,
        "ms": round(seconds * 1000),
        "url": getattr(where, "jump_url", None) or "-",
    }
    log.info("decision %s", _fields(fields), extra={"decision": fields})


def record_escalation(bot: Observed, trigger: Trigger, entry: Entry | None, url: str) -> None:
    """A case claimed for humans (each message or thread once)."""
    code, entry_id = entry_labels(entry)
    fields = {"trigger": trigger, "code": code, "entry": entry_id, "url": url or "-"}
    log.info("escalation %s", _fields(fields), extra={"escalation": fields})
    bot.metrics.escalation(trigger, entry)


def record_leak(bot: Observed, redaction: Redaction) -> None:
    """Secrets about to be contained in a user's message (the kinds only, never the values)."""
    bot.metrics.leak([secret.kind for secret in redaction.secrets])


def record_cooldown_drop(bot: Observed, feature: Feature) -> None:
    log.debug("cooldown: held back a %s answer", feature)
    bot.metrics.cooldown_drop(feature)
