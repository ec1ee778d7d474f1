"""The knowledge base as pages a person can browse: entries grouped by status, in pages that
fit one select menu (Discord shows at most 25 options in one)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.entry import Entry
from bot.core.model import Knowledge
from bot.core.render import SELECT_OPTIONS

NO_STATUS_GROUP = "No HTTP status"


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the catalogue: its entries, grouped by status in order."""

    number: int  # from 0
    count: int  # pages in all
    groups: tuple[tuple[str, tuple[Entry, ...]], ...]

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(entry for _, entries in self.groups for entry in entries)


def _order(entry: Entry) -> tuple[bool, str, bool, str]:
    return (entry.code == "", entry.code, not entry.generic, entry.id)


def group_name(entry: Entry) -> str:
    return entry.code or NO_STATUS_GROUP


def catalogue_page(knowledge: Knowledge, number: int, size: int = SELECT_OPTIONS) -> Page:
    """Page `number` (clamped to the pages there are): statuses in order, no-status last."""
    ordered = sorted(knowledge.entries, key=_order)
    count = max(1, -(-len(ordered) // size))
    number = min(max(number, 0), count - 1)
    groups: dict[str, list[Entry]] = {}
    for entry in ordered[number * size : (number + 1) * size]:
        groups.setdefault(group_name(entry), []).append(entry)
    return Page(number, count, tuple((name, tuple(es)) for name, es in groups.items()))


def compact_lines(page: Page) -> list[str]:
    """One line per status for a phone: its heading once ("429 Too Many Requests"), then what
    tells its entries apart, so no title repeats what the heading says."""
    lines = []
    for name, entries in page.groups:
        heads = [entry.title.partition(": ")[0] for entry in entries if ": " in entry.title]
        heading = max(set(heads), key=heads.count) if heads else name
        tails = [
            entry.title.partition(": ")[2]
            if entry.title.startswith(f"{heading}: ")
            else entry.title
            for entry in entries
        ]
        lines.append(f"**{heading}**: {' · '.join(tails)}")
    return lines
