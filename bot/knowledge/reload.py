"""Vet a knowledge directory for a live reload: the full `check`, then a load, and what changed.

The bot swaps in only knowledge that passed the same check as CI, examples included, so a
broken merge can never reach users. This module does the file work and the comparison; it
swaps nothing, so the bot can run it in a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from bot.core.entry import Entry
from bot.core.model import Knowledge
from bot.knowledge.check import check_knowledge
from bot.knowledge.load import KnowledgeError, Problem, load_knowledge


@dataclass(frozen=True, slots=True)
class KnowledgeDiff:
    """Entry ids added, removed and edited between two snapshots, and whether tips changed."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[str, ...]
    tips_changed: bool

    def groups(self) -> list[tuple[str, tuple[str, ...]]]:
        """The non-empty groups of entry ids, labelled: ("added", ids), ..."""
        labelled = (("added", self.added), ("removed", self.removed), ("changed", self.changed))
        return [(label, ids) for label, ids in labelled if ids]

    def __str__(self) -> str:
        parts = [f"{label} {', '.join(ids)}" for label, ids in self.groups()]
        if self.tips_changed:
            parts.append("tips changed")
        return "; ".join(parts) or "no entry changed"


@dataclass(frozen=True, slots=True)
class Reload:
    """The outcome of vetting: `new` knowledge to swap in, or the `problems` that stop it."""

    old: Knowledge
    new: Knowledge | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def diff(self) -> KnowledgeDiff | None:
        return None if self.new is None else diff_knowledge(self.old, self.new)


def diff_knowledge(old: Knowledge, new: Knowledge) -> KnowledgeDiff:
    """What a moderator wants to see after a reload: which entries moved, by id."""
    before, after = old.by_id, new.by_id
    return KnowledgeDiff(
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        changed=tuple(
            sorted(
                entry_id
                for entry_id in before.keys() & after.keys()
                if _content(before[entry_id]) != _content(after[entry_id])
            )
        ),
        tips_changed=old.tips != new.tips,
    )


def prepare_reload(directory: Path | None, current: Knowledge) -> Reload:
    """Check and load `directory` (None: the default one); never raises for bad or missing files.

    Blocking file work: call it from a worker thread.
    """
    try:
        return _vet(directory, current)
    except KnowledgeError as error:
        return Reload(current, problems=tuple(error.problems))
    except OSError as error:  # vanished or unreadable while being read
        where = error.filename or directory or current.directory
        return Reload(
            current,
            problems=(
                Problem(
                    Path(where),
                    None,
                    f"could not read the knowledge ({error.strerror or error}) — check that the "
                    "directory exists and the bot may read it, then reload again",
                ),
            ),
        )


def _vet(directory: Path | None, current: Knowledge) -> Reload:
    before = load_knowledge(directory)
    problems = check_knowledge(directory)
    if problems:
        return Reload(current, problems=tuple(problems))
    # `check` read the files itself; the same version before and after proves it vetted these.
    after = load_knowledge(directory)
    if after.version != before.version:
        return Reload(
            current,
            problems=(
                Problem(
                    after.directory,
                    None,
                    "the knowledge changed while it was being checked — reload again once the "
                    "update has finished",
                ),
            ),
        )
    return Reload(current, new=after)


def _content(entry: Entry) -> Entry:
    """The entry without where it was read from: moving a file is not a change."""
    return replace(entry, source=None, line=1)
