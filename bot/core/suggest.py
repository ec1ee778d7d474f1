"""Autocomplete: the entries a half-typed query most likely means."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from bot.core.model import Entry, Knowledge

AUTOCOMPLETE_LIMIT = 25  # Discord shows at most 25 choices
CHOICE_NAME_CHARS = 100  # and each choice name is at most 100 characters


def suggest(query: str, knowledge: Knowledge, limit: int = AUTOCOMPLETE_LIMIT) -> list[Entry]:
    """Entries whose code starts with the query, then the best fuzzy matches on title/aliases."""
    query = query.strip()[:200]
    entries = knowledge.entries
    if not query:
        return sorted(entries, key=lambda e: (e.code, not e.generic, e.id))[:limit]
    by_code = [e for e in entries if e.code.startswith(query)]
    haystacks = {e.id: " ".join((e.code, e.title, *e.aliases)) for e in entries}
    ranked = process.extract(
        query,
        haystacks,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=50,
    )
    chosen = {e.id: e for e in sorted(by_code, key=lambda e: (e.code, not e.generic, e.id))}
    for _, _, entry_id in ranked:
        chosen.setdefault(entry_id, knowledge.by_id[entry_id])
    return list(chosen.values())[:limit]


def choice_name(entry: Entry) -> str:
    """How an entry reads in the autocomplete list, within Discord's 100 characters."""
    name = entry.title
    return name if len(name) <= CHOICE_NAME_CHARS else name[: CHOICE_NAME_CHARS - 1] + "…"
