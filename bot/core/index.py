"""Find knowledge strings (patterns, aliases, reason phrases) in a paste, fast at any size.

Literals are bucketed by their most distinctive word, so a message only checks the strings
that share a word with it; fuzzy matching compares word windows against phrases of the same
length and first letter. Both keep the cost flat as the knowledge grows to thousands of entries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.linear_re import Regex, for_re2
from bot.core.model import Entry
from bot.core.status_names import COMMON_PHRASES, REASON_PHRASES
from bot.core.words import alnum_runs, occurs

PATTERN = 6.0
ALIAS = 2.2
REASON = 1.6
FUZZY_MAX_WORDS = 25
FUZZY_CUTOFF = 86.0


@dataclass(frozen=True, slots=True)
class Hit:
    """A knowledge string found in the text, and the entry it points to."""

    entry: Entry
    weight: float
    label: str


@dataclass(frozen=True, slots=True)
class _Literal:
    text: str
    entry: Entry
    weight: float
    label: str


def _key(words: list[str]) -> str:
    """The most distinctive whole word: the longest, preferring interior words."""
    inner = words[1:-1] if len(words) > 2 else words
    return max(inner, key=len)


def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop a phrase hit that a longer hit contains ("not found" inside "model not found")."""
    texts = [hit.label.partition(":")[2] for hit in hits]
    return [
        hit
        for hit, text in zip(hits, texts, strict=True)
        if not any(text != other and text in other for other in texts)
    ]


class KnowledgeIndex:
    """Lookup structures built once per loaded knowledge."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        entries = tuple(entries)
        self._literals: dict[str, list[_Literal]] = defaultdict(list)
        self._regexes: list[tuple[Regex, Entry, str]] = []
        self._phrases: dict[tuple[int, str], list[str]] = defaultdict(list)
        self._phrase_owner: dict[str, tuple[Entry, float, str]] = {}
        for entry in entries:
            for pattern in entry.patterns:
                if pattern.regex is not None:
                    self._regexes.append((pattern.regex, entry, f"pattern:{pattern.text}"))
                else:
                    self._add_literal(pattern.text, entry, PATTERN, f"pattern:{pattern.text}")
            for alias in entry.aliases:
                self._add_phrase(alias, entry, ALIAS, f"alias:{alias}")
        generic = {}
        for entry in entries:
            if entry.generic or entry.code not in generic:
                generic[entry.code] = entry
        for phrase, code in REASON_PHRASES.items():
            if code in generic and phrase not in self._phrase_owner:
                # "TooManyRequests" is often a class name that already counted as evidence
                weight = ALIAS if " " in phrase and phrase not in COMMON_PHRASES else REASON
                self._add_phrase(phrase, generic[code], weight, f"reason:{phrase}")

    def _add_literal(self, text: str, entry: Entry, weight: float, label: str) -> None:
        lowered = text.lower()
        words = alnum_runs(lowered)
        if words:
            self._literals[_key(words)].append(_Literal(lowered, entry, weight, label))

    def _add_phrase(self, phrase: str, entry: Entry, weight: float, label: str) -> None:
        lowered = " ".join(alnum_runs(phrase.lower()))
        if not lowered or lowered in self._phrase_owner:
            return
        self._phrase_owner[lowered] = (entry, weight, label)
        self._add_literal(lowered, entry, weight, label)
        self._phrases[(lowered.count(" ") + 1, lowered[0])].append(lowered)

    def hits(self, text: str, exact_evidence: bool = False) -> list[Hit]:
        """Every pattern, alias and reason phrase in `text`.

        Fuzzy matching, the costly part, only runs on short text that nothing else explains.
        """
        lowered = text.lower()
        words = alnum_runs(lowered)
        found: dict[str, Hit] = {}
        for word in set(words):
            for literal in self._literals.get(word, ()):
                if literal.label not in found and occurs(lowered, literal.text):
                    found[literal.label] = Hit(literal.entry, literal.weight, literal.label)
        readable = for_re2(text) if self._regexes else text
        for regex, entry, label in self._regexes:
            if regex.search(readable):
                found[label] = Hit(entry, PATTERN, label)
        if not found and not exact_evidence and len(words) <= FUZZY_MAX_WORDS:
            for hit in self._fuzzy(words):
                found.setdefault(hit.label, hit)
        return _longest(list(found.values()))

    def _fuzzy(self, words: list[str]) -> Iterable[Hit]:
        """Phrases that a window of the same number of words nearly spells (typos)."""
        for size in range(1, 5):
            for start in range(len(words) - size + 1):
                window = " ".join(words[start : start + size])
                if len(window) < 6:
                    continue
                choices = self._phrases.get((size, window[0]))
                if not choices:
                    continue
                best = process.extractOne(
                    window, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
                )
                if best and best[1] < 100:
                    entry, weight, label = self._phrase_owner[best[0]]
                    yield Hit(entry, weight * best[1] / 100, f"fuzzy:{window}~{label}")
