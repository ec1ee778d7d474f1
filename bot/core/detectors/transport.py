"""Failures before any status: transport phrases (ECONNRESET), and the user's own proxy.

The phrases and what they mean are in `knowledge/signals/transport.yaml` and `proxies.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.core.evidence import Evidence, Kind
from bot.core.linear_re import Regex, Screen, compile_linear, literal
from bot.core.paste import Paste
from bot.core.vocabulary import UNKNOWN, Signals, Term
from bot.core.words import find_word, letter_runs

PHRASE = 1.0
PROXY = 1.5
KEY_VARIABLE = "fireworks_api_key"  # the environment variable Fireworks clients read the key from


@cache
def _blocks_fireworks(verbs: tuple[str, ...]) -> Regex:
    """'<verb> [up to two words] [to] [api.]fireworks': the user's proxy refusing the host."""
    alternatives = "|".join(literal(verb) for verb in verbs)
    return compile_linear(rf"\b(?:{alternatives}) (?:\w+ ){{0,2}}(?:to )?(?:api\.)?fireworks")


@cache
def _key_unset(phrases: tuple[str, ...]) -> Regex:
    """'FIREWORKS_API_KEY [is] <phrase>': the key was never set, so no request was sent."""
    alternatives = "|".join(literal(phrase) for phrase in phrases)
    return compile_linear(rf"{KEY_VARIABLE}\W+(?:is\s+)?(?:{alternatives})")


def _key_word(phrase: str) -> str:
    """The phrase's longest run of letters: a paste without that word can't hold the phrase."""
    return max((run.strip("'") for run in letter_runs(phrase)), key=len, default="")


@dataclass(frozen=True, slots=True)
class _Filed:
    """A list's phrases filed under their key word, and its patterns behind one screen.

    A phrase is looked for only in a paste that holds its key word. Each pattern used to be
    searched in every paste (a dozen searches, 30 us a message); the screen tells in one pass
    the few whose literal words the paste holds (none, in most pastes).
    """

    keyed: dict[str, list[Term]]
    always: list[tuple[Term, int]]  # without a key word; a pattern with its place in the screen
    screen: Screen | None


# Filed lists by identity, not by value: hashing hundreds of terms for a cache key cost more
# than the search it saved. Reloads bring new lists: when full, it starts again.
_FILED: dict[int, tuple[tuple[Term, ...], _Filed]] = {}
_FILED_LISTS = 4  # transport and proxies, and the same two of a knowledge being reloaded


def _by_key(terms: tuple[Term, ...]) -> _Filed:
    """Hundreds of phrases, filed under their key word; those with none are always tried."""
    kept = _FILED.get(id(terms))
    if kept is not None and kept[0] is terms:
        return kept[1]
    if len(_FILED) >= _FILED_LISTS:
        _FILED.clear()  # one step, safe for diagnoses running in threads
    filed = _file(terms)
    _FILED[id(terms)] = (terms, filed)  # the list is held, so its id names no other meanwhile
    return filed


def _file(terms: tuple[Term, ...]) -> _Filed:
    keyed: dict[str, list[Term]] = {}
    always: list[tuple[Term, int]] = []
    patterns: list[Regex] = []
    for term in terms:
        key = "" if term.pattern is not None else _key_word(term.text)
        if key:
            keyed.setdefault(key, []).append(term)
        elif term.pattern is not None:
            always.append((term, len(patterns)))
            patterns.append(term.pattern)
        else:
            always.append((term, -1))
    return _Filed(keyed, always, Screen(patterns) if patterns else None)


def _candidates(paste: Paste, terms: tuple[Term, ...]) -> list[Term]:
    """The phrases whose key word the paste holds, and the patterns the screen lets through,
    in the order they are written."""
    filed = _by_key(terms)
    words = {word.strip("'") for word in paste.words}  # "('Connection aborted.'"
    found = [term for word in words & filed.keyed.keys() for term in filed.keyed[word]]
    # the screen reads the text the patterns search (`_where`)
    possible = filed.screen.possible(paste.view_lowered) if filed.screen else frozenset()
    tried = [term for term, place in filed.always if place < 0 or place in possible]
    return sorted(tried + found, key=lambda term: term.line)


def _found(paste: Paste, terms: tuple[Term, ...], kind: Kind, weight: float) -> list[Evidence]:
    found = []
    for term in _candidates(paste, terms):
        start, end = _where(paste, term)
        if start != -1:
            entry = None if term.meaning == UNKNOWN else term.meaning
            text = paste.text[start:end]
            found.append(Evidence(kind, weight, text, start, end, entry=entry, source=term.text))
    return found


def _where(paste: Paste, term: Term) -> tuple[int, int]:
    """Where the term's phrase or pattern first occurs in the paste, or (-1, -1)."""
    if term.pattern is not None:
        match = term.pattern.search(paste.view_lowered)
        return match.span() if match is not None else (-1, -1)
    start = find_word(paste.lowered, term.text)
    return start, start + len(term.text) if start != -1 else -1


def _longest(found: list[Evidence]) -> list[Evidence]:
    """Drop a phrase that a longer one found holds ("unexpected end of stream" inside
    "unexpected end of stream on"): the longer phrase says more."""
    return [
        e
        for e in found
        if not any(
            o is not e
            and o.start <= e.start
            and e.end <= o.end
            and o.end - o.start > e.end - e.start
            for o in found
        )
    ]


def transport_phrases(paste: Paste, signals: Signals) -> list[Evidence]:
    """Each transport or misconfiguration phrase in the paste."""
    found = _longest(_found(paste, signals.transport, Kind.TRANSPORT, PHRASE))
    unset = (
        _key_unset(signals.key_unset).search(paste.view_lowered)
        if signals.key_unset and KEY_VARIABLE in paste.lowered
        else None
    )
    if unset:
        start, end = unset.span()
        found.append(Evidence(Kind.TRANSPORT, PHRASE, paste.text[start:end], start, end))
    return found


def own_proxy(paste: Paste, signals: Signals) -> tuple[list[Evidence], bool]:
    """The user's proxy or firewall, named; and whether any status is then the proxy's."""
    found = _found(paste, signals.proxies, Kind.PROXY, PROXY)
    verbs = signals.blocking
    blocked = (
        _blocks_fireworks(verbs).search(paste.view_lowered)
        if any(verb in paste.lowered for verb in verbs)
        else None
    )
    if blocked:
        start, end = blocked.span()
        found.append(Evidence(Kind.PROXY, PROXY, paste.text[start:end], start, end))
    # The proxy passed Fireworks' own answer through: its status is Fireworks'.
    upstream = any(marker in paste.lowered for marker in signals.passed_through)
    return found, bool(found) and not upstream
