"""Build what the matcher derives from a knowledge before a message waits on it.

Some structures are compiled on first use, once per knowledge: the screen over the prose word
lists, the status rules' screen, the one-edit spellings of failure words. Together they take
tens of milliseconds, which would fall on the first messages after a start or a reload, on
the event loop. Diagnosing the entries' own examples in both modes builds every one of them.
"""

from __future__ import annotations

from typing import get_args

from bot.core.decision import Mode
from bot.core.matcher import diagnose
from bot.core.model import Knowledge


def warm(knowledge: Knowledge) -> int:
    """Diagnose each entry's examples in both modes; how many diagnoses that took. Blocking:
    call it off the event loop, before the knowledge serves its first message."""
    count = 0
    for entry in knowledge.entries:
        for text in entry.examples:
            for mode in get_args(Mode):
                diagnose(text, knowledge, mode)
                count += 1
    return count
