"""A passive decision as a corpus label, for the tests that state a reason in new words."""

from bot.core.matcher import diagnose
from bot.core.model import Knowledge


def verdict_label(text: str, knowledge: Knowledge) -> str:
    """The label a corpus case would carry: 'none' (ignored), 'unknown' (escalated with no
    entry), else the entry's code or id."""
    decision = diagnose(text, knowledge, "passive")
    if decision.action == "ignore":
        return "none"
    if decision.entry is None:
        return "unknown"
    return decision.entry.code or decision.entry.id
