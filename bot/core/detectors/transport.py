"""Failures before any status: transport phrases (ECONNRESET), and the user's own proxy.

The phrases and what they mean are in `knowledge/signals/transport.yaml` and `proxies.yaml`.
"""

from __future__ import annotations

from functools import cache

from bot.core.evidence import Evidence, Kind
from bot.core.linear_re import compile_linear
from bot.core.paste import Paste
from bot.core.vocabulary import UNKNOWN, Signals, Term
from bot.core.words import find_word, letter_runs

PHRASE = 1.0
PROXY = 1.5
_BLOCKS_FIREWORKS = compile_linear(r"\bblock(?:s|ed|ing)? (?:\w+ ){0,2}(?:to )?(?:api\.)?fireworks")
_KEY_UNSET = compile_linear(r"fireworks_api_key\W+(?:is\s+)?(?:not set|missing|field required)")
# The proxy passed Fireworks' own answer through: its status is Fireworks'.
_UPSTREAM = ("from fireworks", "via_upstream")


def _key_word(phrase: str) -> str:
    """The phrase's longest run of letters: a paste without that word can't hold the phrase."""
    return max((run.strip("'") for run in letter_runs(phrase)), key=len, default="")


@cache
def _by_key(terms: tuple[Term, ...]) -> tuple[dict[str, list[Term]], list[Term]]:
    """Hundreds of phrases, filed under their key word; those with none are always tried."""
    keyed: dict[str, list[Term]] = {}
    always: list[Term] = []
    for term in terms:
        key = _key_word(term.text)
        if key:
            keyed.setdefault(key, []).append(term)
        else:
            always.append(term)
    return keyed, always


def _candidates(paste: Paste, terms: tuple[Term, ...]) -> list[Term]:
    """The phrases whose key word the paste holds, in the order they are written."""
    keyed, always = _by_key(terms)
    words = {word.strip("'") for word in paste.words}  # "('Connection aborted.'"
    found = [term for word in words & keyed.keys() for term in keyed[word]]
    return sorted(always + found, key=lambda term: term.line)


def _found(paste: Paste, terms: tuple[Term, ...], kind: Kind, weight: float) -> list[Evidence]:
    found = []
    for term in _candidates(paste, terms):
        start = find_word(paste.lowered, term.text)
        if start != -1:
            end = start + len(term.text)
            entry = None if term.meaning == UNKNOWN else term.meaning
            text = paste.text[start:end]
            found.append(Evidence(kind, weight, text, start, end, entry=entry, source=term.text))
    return found


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
    if "fireworks_api_key" in paste.lowered and (unset := _KEY_UNSET.search(paste.view_lowered)):
        start, end = unset.span()
        found.append(Evidence(Kind.TRANSPORT, PHRASE, paste.text[start:end], start, end))
    return found


def own_proxy(paste: Paste, signals: Signals) -> tuple[list[Evidence], bool]:
    """The user's proxy or firewall, named; and whether any status is then the proxy's."""
    found = _found(paste, signals.proxies, Kind.PROXY, PROXY)
    if "block" in paste.lowered and (blocked := _BLOCKS_FIREWORKS.search(paste.view_lowered)):
        start, end = blocked.span()
        found.append(Evidence(Kind.PROXY, PROXY, paste.text[start:end], start, end))
    upstream = any(marker in paste.lowered for marker in _UPSTREAM)
    return found, bool(found) and not upstream
