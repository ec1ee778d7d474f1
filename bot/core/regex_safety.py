"""Vet a moderator's regex before the bot runs it on every message.

The matcher searches untrusted pastes of up to ~32k characters, so a pattern that backtracks
exponentially (or retries a wildcard from every position) would let one message stall the bot.
Rather than time patterns, reject the shapes that cause it: a variable quantifier inside a
repeated group, overlapping alternatives inside a repeated group, backreferences (which the
engine cannot match without backtracking), and a quantifier or wildcard at the start.
"""

from __future__ import annotations

import re
import string
from re import _constants as sre
from re import _parser  # the stdlib's own regex parser: the tree that `re` compiles

from bot.core.model import Pattern

FLAGS = re.IGNORECASE  # regex patterns compare case-insensitively, like literal ones

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_BACKREFS = (sre.GROUPREF, sre.GROUPREF_EXISTS)
_CATEGORY_CHARS = {
    sre.CATEGORY_DIGIT: frozenset(string.digits),
    sre.CATEGORY_SPACE: frozenset(" \t\n\r\f\v"),
}
_WIDEST_RANGE = 256  # a wider class is treated as "could be anything"

# What `_first_chars` returns when it cannot bound the first character (or the item can be empty).
_ANY = None


def compile_pattern(source: str) -> tuple[Pattern | None, str | None]:
    """Compile a regex pattern, or explain why it is rejected (the reason says how to fix it)."""
    try:
        compiled = re.compile(source, FLAGS)
    except re.error as error:
        return None, (
            f"does not compile: {error} — fix the syntax "
            "(a literal . ( ) [ ] ? + * needs a backslash before it)"
        )
    reason = unsafe_reason(source)
    if reason is not None:
        return None, reason
    return Pattern(source, regex=compiled), None


def unsafe_reason(source: str) -> str | None:
    """Why a compilable regex could backtrack catastrophically, or None when it cannot."""
    parsed = _parser.parse(source, FLAGS)
    return _walk(parsed, repeated=False) or _loose_start(parsed)


def _loose_start(items: _parser.SubPattern) -> str | None:
    """A leading `.*` or `\\w+` is retried from every position: quadratic on a long paste."""
    first = next(((op, av) for op, av in items if op is not sre.AT), None)
    variable = first is not None and first[0] in _REPEATS and first[1][0] != first[1][1]
    if variable or _first_chars(items) is _ANY:
        return (
            "starts with a quantifier or a wildcard, which is retried from every position of "
            "a long paste — start it with literal text, like 'prompt is too long: \\d+'"
        )
    return None


def _walk(items: _parser.SubPattern | list, repeated: bool) -> str | None:
    for op, av in items:
        reason = None
        if op in _BACKREFS:
            return (
                "uses a backreference (\\1, (?P=name) or (?(1)...)), which needs backtracking — "
                "write the repeated text out instead"
            )
        if op in _REPEATS:
            low, high, body = av
            if repeated and low != high:
                return (
                    "has a quantifier inside a repeated group, like (a+)+ or (.*)*, which can "
                    "take exponential time — drop the inner or the outer quantifier"
                )
            reason = _walk(body, repeated or high > 1)
        elif op is sre.SUBPATTERN:
            reason = _walk(av[3], repeated)
        elif op is sre.BRANCH:
            if repeated and _overlapping(av[1]):
                return (
                    "has alternatives inside a repeated group that can match the same text, "
                    "like (a|aa)+, which can take exponential time — make the alternatives "
                    "start differently, or drop the repetition"
                )
            reason = next((r for branch in av[1] if (r := _walk(branch, repeated))), None)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            reason = _walk(av[1], repeated)
        elif op is sre.ATOMIC_GROUP:
            reason = _walk(av, repeated)
        if reason is not None:
            return reason
    return None


def _overlapping(branches: list) -> bool:
    """Whether two alternatives can start with the same character (an empty one always can)."""
    seen: set[str] = set()
    for branch in branches:
        first = _first_chars(branch)
        if first is _ANY or seen & first:
            return True
        seen |= first
    return False


def _first_chars(items: _parser.SubPattern | list) -> frozenset[str] | None:
    for op, av in items:
        if op is sre.AT:  # anchors like ^ or \b consume nothing
            continue
        if op is sre.LITERAL:
            return frozenset(chr(av).lower())
        if op is sre.IN:
            return _class_chars(av)
        if op is sre.SUBPATTERN:
            return _first_chars(av[3])
        if op in _REPEATS and av[0] > 0:
            return _first_chars(av[2])
        if op is sre.BRANCH:
            parts = [_first_chars(branch) for branch in av[1]]
            return _ANY if _ANY in parts else frozenset().union(*parts)
        return _ANY
    return _ANY


def _class_chars(members: list) -> frozenset[str] | None:
    chars: set[str] = set()
    for op, av in members:
        if op is sre.LITERAL:
            chars.add(chr(av).lower())
        elif op is sre.RANGE and av[1] - av[0] < _WIDEST_RANGE:
            chars.update(chr(code).lower() for code in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av in _CATEGORY_CHARS:
            chars |= _CATEGORY_CHARS[av]
        else:
            return _ANY
    return frozenset(chars)
