"""Autocomplete: the entries a half-typed query most likely means.

A bare number lists the entries of the codes it starts. Anything else may be a paste or a
sentence, so the matcher reads it first (redacted, like every paste) and its verdict and
candidates lead; entries whose title, aliases or id look like the text fill the rest.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from bot.core.entry import Entry
from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from bot.core.redact import redact
from bot.core.render import AUTOCOMPLETE_CHOICES, CHOICE_NAME, shorten

MATCHED_CHARS = 4000  # a paste in the query box is read up to here: a keystroke must be cheap
FUZZY_CUTOFF = 75


def _order(entry: Entry) -> tuple[str, bool, str]:
    return (entry.code, not entry.generic, entry.id)


def by_matcher(query: str, knowledge: Knowledge) -> list[Entry]:
    """The matcher's answer, then its other candidates by confidence, then the answer's siblings."""
    decision = diagnose(redact(query[:MATCHED_CHARS]).text, knowledge, "explicit")
    ranked = [c.entry for c in sorted(decision.candidates, key=lambda c: -c.confidence)]
    if decision.entry is not None:
        ranked.insert(0, decision.entry)
        ranked += sorted(knowledge.for_code(decision.entry.code), key=_order)
    return ranked


def by_likeness(query: str, knowledge: Knowledge, limit: int) -> list[Entry]:
    """Entries whose title, one of their aliases or their id is most like the text."""
    names = {
        (entry.id, index): name
        for entry in knowledge.entries
        for index, name in enumerate((entry.title, entry.id, *entry.aliases))
    }
    ranked = process.extract(
        query[:200],
        names,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=None,
        score_cutoff=FUZZY_CUTOFF,
    )
    return [knowledge.by_id[entry_id] for _, _, (entry_id, _) in ranked][: limit * 4]


def suggest(query: str, knowledge: Knowledge, limit: int = AUTOCOMPLETE_CHOICES) -> list[Entry]:
    """Up to `limit` entries, best first, each once."""
    query = query.strip()
    if not query:
        return sorted(knowledge.entries, key=_order)[:limit]
    if query.isdigit():
        return sorted((e for e in knowledge.entries if e.code.startswith(query)), key=_order)[
            :limit
        ]
    chosen: dict[str, Entry] = {}
    for entry in [*by_matcher(query, knowledge), *by_likeness(query, knowledge, limit)]:
        chosen.setdefault(entry.id, entry)
    return list(chosen.values())[:limit]


def choice_name(entry: Entry) -> str:
    """How an entry reads in the autocomplete list, within Discord's 100 characters."""
    return shorten(entry.title, CHOICE_NAME)
