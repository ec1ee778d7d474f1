"""Find knowledge strings (patterns, aliases, reason phrases) in a paste, fast at any size.

Literals are bucketed by their most distinctive word, so a message only checks the strings
that share a word with it. Two fuzzy paths: typos in a few words are compared with phrases of
the same length and first letter; the paste's error message is compared (rapidfuzz, token
based) with every entry's patterns, aliases and example messages that share an informative
word with it. Both keep the cost flat as the knowledge grows to thousands of entries.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.detectors.messages import PLACEHOLDERS, error_messages, masked
from bot.core.entry import Entry
from bot.core.evidence import Evidence, Kind
from bot.core.linear_re import Regex, for_re2
from bot.core.vocabulary import Signals
from bot.core.words import alnum_runs, find_word

PATTERN = 6.0
ALIAS = 2.2
REASON = 1.6
FUZZY_MAX_WORDS = 25
FUZZY_CUTOFF = 86.0
# Whole-message fuzzy matching: calibrated on the corpus (see tests/corpus/holdout9.jsonl).
MESSAGE_CUTOFF = 76.0
MESSAGE_BASE, MESSAGE_SPAN = 1.5, 4.0  # weight at the cutoff, and added up to 100 %
MIN_INFORMATIVE = 2  # words a message and a choice must both have, beyond the common ones
COMMON_SHARE = 0.25  # a word in more entries' choices than this share is not informative,
COMMON_ENTRIES = 200  # nor one in this many (a large knowledge: keeps each lookup short)
MAX_CANDIDATES = 300
COVERAGE = 0.5  # a choice must share at least this share of its informative words
UNCOVERED = 0.7  # how much of the similarity rests on covering the choice's words


@dataclass(frozen=True, slots=True)
class Hit:
    """A knowledge string found in the text, and the entry it points to."""

    entry: Entry
    evidence: Evidence

    @property
    def weight(self) -> float:
        return self.evidence.weight


@dataclass(frozen=True, slots=True)
class _Literal:
    text: str
    entry: Entry
    weight: float
    kind: Kind
    source: str


@dataclass(frozen=True, slots=True)
class _Choice:
    """A masked knowledge string the error message is compared with."""

    masked: str
    entry: Entry
    source: str  # the pattern, alias or example message as written
    examples: frozenset[str] = frozenset()  # the examples it came from; empty: a pattern/alias
    alias: bool = False  # an alias is a phrase people type: resembling it is a typo, not a message


def _key(words: list[str]) -> str:
    """The most distinctive whole word: the longest, preferring interior words."""
    inner = words[1:-1] if len(words) > 2 else words
    return max(inner, key=len)


def _longest(hits: list[Hit]) -> list[Hit]:
    """Drop a phrase hit that a longer hit contains ("not found" inside "model not found")."""
    texts = [hit.evidence.source for hit in hits]
    return [
        hit
        for hit, text in zip(hits, texts, strict=True)
        if not any(text != other and text in other for other in texts)
    ]


class KnowledgeIndex:
    """Lookup structures built once per loaded knowledge."""

    def __init__(self, entries: Iterable[Entry], signals: Signals) -> None:
        entries = tuple(entries)
        self._literals: dict[str, list[_Literal]] = defaultdict(list)
        self._regexes: list[tuple[Regex, Entry, str]] = []
        self._phrases: dict[tuple[int, str], list[str]] = defaultdict(list)
        self._phrase_owner: dict[str, tuple[Entry, float, str]] = {}
        for entry in entries:
            for pattern in entry.patterns:
                if pattern.regex is not None:
                    self._regexes.append((pattern.regex, entry, pattern.text))
                else:
                    self._add_literal(pattern.text, entry, PATTERN, Kind.PATTERN, pattern.text)
            for alias in entry.aliases:
                self._add_phrase(alias, entry, ALIAS, Kind.ALIAS)
        generic = {}
        for entry in entries:
            if entry.generic or entry.code not in generic:
                generic[entry.code] = entry
        words = signals.statuses
        for phrase, code in words.reasons.items():
            if code in generic and phrase not in self._phrase_owner:
                # "TooManyRequests" is often a class name that already counted as evidence
                weight = ALIAS if " " in phrase and phrase not in words.common_reasons else REASON
                self._add_phrase(phrase, generic[code], weight, Kind.REASON)
        self._paraphrases = signals.paraphrases
        self._build_choices(entries)

    def _add_literal(self, text: str, entry: Entry, weight: float, kind: Kind, source: str) -> None:
        lowered = text.lower()
        words = alnum_runs(lowered)
        if words:
            self._literals[_key(words)].append(_Literal(lowered, entry, weight, kind, source))

    def _add_phrase(self, phrase: str, entry: Entry, weight: float, kind: Kind) -> None:
        lowered = " ".join(alnum_runs(phrase.lower()))
        if not lowered or lowered in self._phrase_owner:
            return
        self._phrase_owner[lowered] = (entry, weight, kind, phrase)
        self._add_literal(lowered, entry, weight, kind, phrase)
        self._phrases[(lowered.count(" ") + 1, lowered[0])].append(lowered)

    def _build_choices(self, entries: tuple[Entry, ...]) -> None:
        """Every entry's patterns, aliases and example messages, masked, with a word index."""
        owners: dict[str, _Choice | None] = {}
        for entry in entries:
            texts = [(p.text, "", False) for p in entry.patterns if p.regex is None]
            texts += [(alias, "", True) for alias in entry.aliases]
            # A generic entry is found by its status; its examples hold no message of their own.
            for example in () if entry.generic else entry.examples:
                texts += [(message, example, False) for message in error_messages(example)]
            for text, example, alias in texts:
                key = self._canonical(masked(text))
                if not key:
                    continue
                other = owners.get(key)
                if key in owners and (other is None or other.entry.id != entry.id):
                    owners[key] = None  # two entries share it: it tells them apart from nothing
                elif other is None:
                    origins = frozenset({example} if example else ())
                    owners[key] = _Choice(key, entry, text, origins, alias)
                elif other.examples and example:
                    owners[key] = _Choice(key, entry, other.source, other.examples | {example})
                elif not example:  # a pattern or alias: no example can leave it out
                    owners[key] = _Choice(key, entry, text, frozenset(), alias)
        choices = [choice for choice in owners.values() if choice is not None]
        spread: dict[str, set[str]] = defaultdict(set)
        for choice in choices:
            for word in dict.fromkeys(choice.masked.split()):
                spread[word].add(choice.entry.id)
        limit = max(2, min(COMMON_SHARE * len(entries), COMMON_ENTRIES))
        self._common = frozenset(word for word, ids in spread.items() if len(ids) > limit)
        # A word found in fewer entries tells more: "zq" outweighs "rate" and "limit".
        total = max(len(entries), 2)
        self._idf = {word: math.log(1 + total / len(ids)) for word, ids in spread.items()}
        self._choices: list[_Choice] = []
        self._choice_texts: list[str] = []
        self._sizes: list[float] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for choice in choices:
            informative = [w for w in choice.masked.split() if w not in self._common]
            informative = [w for w in informative if w not in PLACEHOLDERS]
            if len(set(informative)) < MIN_INFORMATIVE:
                continue
            number = len(self._choices)
            self._choices.append(choice)
            self._choice_texts.append(" ".join(informative))
            unique = dict.fromkeys(informative)  # in order: float sums and ties never vary
            self._sizes.append(sum(self._idf[word] for word in unique))
            for word in unique:
                self._postings[word].append(number)

    def hits(self, text: str, exact_evidence: bool = False, leave_out: str = "") -> list[Hit]:
        """Every pattern, alias and reason phrase in `text`, and the entries it resembles.

        Typo matching only runs on short text that nothing else explains; message matching
        runs when no pattern matched exactly. `leave_out` is an example that must not count
        as memory (`check` tests each example against the others).
        """
        lowered = text.lower()
        words = alnum_runs(lowered)
        found: dict[str, Hit] = {}
        for word in dict.fromkeys(words):
            for literal in self._literals.get(word, ()):
                start = find_word(lowered, literal.text)
                if start == -1:
                    continue
                label = f"{literal.kind}:{literal.source}"
                if label not in found:
                    end = start + len(literal.text)
                    evidence = Evidence(
                        literal.kind,
                        literal.weight,
                        text[start:end],
                        start,
                        end,
                        code=literal.entry.code or None,
                        entry=literal.entry.id,
                        source=literal.source,
                    )
                    found[label] = Hit(literal.entry, evidence)
        readable = for_re2(text) if self._regexes else text
        for regex, entry, source in self._regexes:
            match = regex.search(readable)
            if match:
                start, end = match.span()
                evidence = Evidence(
                    Kind.PATTERN,
                    PATTERN,
                    text[start:end],
                    start,
                    end,
                    code=entry.code or None,
                    entry=entry.id,
                    source=source,
                )
                found[f"pattern:{source}"] = Hit(entry, evidence)
        if not found and not exact_evidence and len(words) <= FUZZY_MAX_WORDS:
            for hit in self._fuzzy(words):
                found.setdefault(f"typo:{hit.evidence.text}", hit)
        hits = _longest(list(found.values()))
        if not any(hit.evidence.kind is Kind.PATTERN for hit in hits):
            # a phrase spelled right ("bad gateway") leaves no room for a misspelt one
            hits += self.similar(text, leave_out, typos=not hits)
        return hits

    def similar(self, text: str, leave_out: str = "", typos: bool = True) -> list[Hit]:
        """Entries whose patterns, aliases or example messages resemble the paste's message.

        Not `typos`: an alias it resembles doesn't count (an alias was found exactly).
        """
        best: dict[tuple[str, bool], Hit] = {}
        for message in error_messages(text):
            key = self._canonical(masked(message))
            words = [w for w in key.split() if w not in self._common and w not in PLACEHOLDERS]
            if len(set(words)) < MIN_INFORMATIVE:
                continue
            shared: dict[int, int] = defaultdict(int)
            covered: dict[int, float] = defaultdict(float)
            # In order, not a set's: coverage sums and ties come out the same in every process.
            for word in dict.fromkeys(words):
                for number in self._postings.get(word, ()):
                    shared[number] += 1
                    covered[number] += self._idf[word]
            coverage = {n: covered[n] / self._sizes[n] for n in shared}
            candidates = [
                n
                for n, count in shared.items()
                if count >= MIN_INFORMATIVE and coverage[n] >= COVERAGE
            ]
            if not candidates:
                continue
            if len(candidates) > MAX_CANDIDATES:
                candidates.sort(key=lambda n: -covered[n])
                candidates = candidates[:MAX_CANDIDATES]
            query = " ".join(words)
            for _, raw, number in process.extract(
                query,
                {n: self._choice_texts[n] for n in candidates},
                scorer=fuzz.token_set_ratio,
                score_cutoff=MESSAGE_CUTOFF,
                limit=None,
            ):
                # token_set_ratio is 100 when the message holds only a few of the choice's
                # words: scale by how much of the choice (weighted by rarity) the message covers.
                choice = self._choices[number]
                if choice.alias and not typos:
                    continue
                score = raw * (1 - UNCOVERED + UNCOVERED * coverage[number])
                if score < MESSAGE_CUTOFF or (leave_out and choice.examples == {leave_out}):
                    continue
                key = (choice.entry.id, choice.alias)
                if key in best and (best[key].evidence.similarity or 0.0) >= score:
                    continue
                start = text.find(message)
                weight = MESSAGE_BASE + MESSAGE_SPAN * (score - MESSAGE_CUTOFF) / (
                    100 - MESSAGE_CUTOFF
                )
                if choice.alias:  # counts as an alias would, however long the message
                    weight = min(weight, ALIAS * score / 100)
                evidence = Evidence(
                    Kind.TYPO if choice.alias else Kind.FUZZY,
                    weight,
                    " ".join(message.split()),
                    start,
                    start + len(message) if start >= 0 else -1,
                    code=choice.entry.code or None,
                    entry=choice.entry.id,
                    source=choice.source,
                    similarity=score,
                )
                best[key] = Hit(choice.entry, evidence)
        return list(best.values())

    def _canonical(self, key: str) -> str:
        """A masked message in the canonical words of `signals/paraphrases.yaml`."""
        if not self._paraphrases:
            return key
        padded = f" {key} "
        for phrase, canonical in self._paraphrases:
            if f" {phrase} " in padded:
                padded = padded.replace(f" {phrase} ", f" {canonical} ")
        return padded.strip()

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
                # a number is never mistyped: "cloudflare 530" is another status than 520's
                if best and best[1] < 100 and _digits(window) == _digits(best[0]):
                    entry, weight, _, phrase = self._phrase_owner[best[0]]
                    evidence = Evidence(
                        Kind.TYPO,
                        weight * best[1] / 100,
                        window,
                        code=entry.code or None,
                        entry=entry.id,
                        source=phrase,
                        similarity=best[1],
                    )
                    yield Hit(entry, evidence)


def _digits(text: str) -> list[str]:
    """The numbers of `text` that stand as words ("530"; not the "3" a picture put in "Larg3")."""
    return [word for word in text.split() if word.isdigit()]
