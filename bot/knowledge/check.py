"""`python -m bot check`: the knowledge loads, and every example finds its own entry.

Examples make a knowledge PR test itself: an entry whose examples resolve elsewhere, or that
passive mode would ignore, fails CI with the line of the example and of the pattern that won.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.decision import Decision
from bot.core.entry import Entry
from bot.core.evidence import Evidence, Kind
from bot.core.matcher import diagnose
from bot.core.translation import english_source
from bot.knowledge.load import KnowledgeError, Located, Problem, load_located
from bot.knowledge.screenshots import FILE, SIGNALS, ScreenshotSignalsError, load_confusions
from bot.knowledge.validate import shown

# Evidence that names one of the winning entry's own aliases, patterns or examples.
_LOCATABLE = {
    Kind.ALIAS: "aliases",
    Kind.PATTERN: "patterns",
    Kind.TYPO: "aliases",
    Kind.FUZZY: "patterns",
}


def check_knowledge(directory: Path | None = None) -> list[Problem]:
    """Every problem with the knowledge: load problems, else examples that resolve wrongly."""
    try:
        located = load_located(directory)
    except KnowledgeError as error:
        return error.problems
    problems: list[Problem] = []
    for entry in located.knowledge.entries:
        for index, example in enumerate(entry.examples):
            # An example resembles itself: it is tested against the other examples only.
            explicit = diagnose(example, located.knowledge, "explicit", leave_out=example)
            passive = diagnose(example, located.knowledge, "passive", leave_out=example)
            problems += _explicit_problems(located, entry, index, explicit)
            if passive.action == "ignore":
                problems.append(
                    Problem(
                        entry.source or located.knowledge.directory,
                        _example_line(located, entry, index),
                        f"example {index + 1} is ignored in passive mode (when pasted in a help "
                        "channel) — make it look like a real error report: the status code, "
                        "the error message or the exception",
                    )
                )
    problems += _signal_example_problems(located)
    problems += _stale_translations(located)
    problems += _screenshot_problems(located.knowledge.directory)
    return _unique(problems)


def _stale_translations(located: Located) -> list[Problem]:
    """A translation written from English that has changed since: the bot answers in English
    until it is updated."""
    problems = []
    for entry in located.knowledge.entries:
        now = english_source(entry.title, entry.cause, entry.fix)
        for language, translation in entry.translations:
            if translation.source != now and entry.source is not None:
                problems.append(
                    Problem(
                        entry.source,
                        located.documents[entry.id].fields["translations"].line,
                        f"the {language!r} translation is older than the English title, cause "
                        f"or fix (source {translation.source}, English now {now}): update it, "
                        f"then set its source to {now}",
                    )
                )
    return problems


def _screenshot_problems(directory: Path) -> list[Problem]:
    """`signals/screenshots.yaml` (OCR confusions) has its own loader: run it."""
    try:
        load_confusions(directory)
    except ScreenshotSignalsError as error:
        return [Problem(directory / SIGNALS / FILE, None, str(error).split(": ", 1)[-1])]
    return []


def _signal_example_problems(located: Located) -> list[Problem]:
    """Each `examples:` item of a signals file must get the answer it promises (passive)."""
    signals = located.knowledge.signals
    if signals.directory is None or signals.directory.parent != located.knowledge.directory:
        return []  # borrowed signals promise answers from entries this directory may lack
    problems = []
    for example in signals.examples:
        decision = diagnose(example.text, located.knowledge, "passive")
        got = decision.entry.id if decision.entry else None
        if example.expect == "none":
            right = decision.action == "ignore"
        elif example.expect == "unknown":
            right = decision.action == "escalate" and got is None
        elif example.expect.isdigit():
            right = decision.action != "ignore" and decision.code == example.expect
        else:
            right = decision.action == "answer" and got == example.expect
        if not right:
            shown_as = f"{decision.action} {got or decision.code or ''}".strip()
            evidence = ", ".join(map(str, decision.evidence)) or "none"
            problems.append(
                Problem(
                    signals.directory / example.file,
                    example.line,
                    f"example expects {example.expect} but the bot would {shown_as} "
                    f"(evidence: {evidence}) — add the phrase or class it needs, or fix 'expect'",
                )
            )
    return problems


def _explicit_problems(
    located: Located, entry: Entry, index: int, decision: Decision
) -> list[Problem]:
    if decision.entry is not None and decision.entry.id == entry.id:
        return []
    source = entry.source or located.knowledge.directory
    line = _example_line(located, entry, index)
    evidence = ", ".join(map(str, decision.evidence)) or "none"
    if decision.entry is None:
        return [
            Problem(
                source,
                line,
                f"example {index + 1} matches no entry (the bot would {decision.action} it;"
                f" evidence: {evidence}), not {entry.id} — make the example contain this "
                "entry's specific message, or add a pattern or alias that it contains",
            )
        ]
    other = decision.entry
    problems = [
        Problem(
            source,
            line,
            f"example {index + 1} resolves to {other.id} (evidence: {evidence}), not to "
            f"{entry.id} — make the example contain this entry's specific message, or narrow "
            "the other entry's patterns",
        )
    ]
    for found in decision.evidence:
        culprit = _culprit(located, other, found)
        if culprit is None:
            continue
        noun, text, culprit_line = culprit
        problems.append(
            Problem(
                other.source or located.knowledge.directory,
                culprit_line,
                f"{noun} '{text}' also captures example {index + 1} of {entry.id} "
                f"({shown(source)}:{line}) — narrow it so it only matches {other.id}'s errors",
            )
        )
    return problems


def _culprit(located: Located, entry: Entry, evidence: Evidence) -> tuple[str, str, int] | None:
    """The alias, pattern or example of `entry` that the evidence names, with its line."""
    document = located.documents.get(entry.id)
    if evidence.kind not in _LOCATABLE or document is None or evidence.entry != entry.id:
        return None
    text = evidence.source.strip().lower()
    for key in ("aliases", "patterns", "examples"):
        found = document.fields.get(key)
        if found is None or not isinstance(found.value, list):
            continue
        for item_index, item in enumerate(found.value):
            written = item.get("regex") if isinstance(item, dict) else item
            if not isinstance(written, str):
                continue
            if written.strip().lower() == text or (key == "examples" and text in written.lower()):
                noun = {"aliases": "alias", "patterns": "pattern", "examples": "example"}[key]
                return noun, evidence.source, found.item_line(item_index)
    return None


def _example_line(located: Located, entry: Entry, index: int) -> int:
    document = located.documents.get(entry.id)
    found = document.fields.get("examples") if document else None
    return found.item_line(index) if found else entry.line


def _unique(problems: list[Problem]) -> list[Problem]:
    return sorted(dict.fromkeys(problems), key=Problem.sort_key)
