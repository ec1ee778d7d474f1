"""Which of the prose word lists may match a text, told in one pass: the others aren't searched.

`prose()` reads a paste with some twenty RE2 alternations of phrases, most of which match in
few pastes. Each search costs a few microseconds, and a list with a bounded repeat after
common words (`outage`: "error ... is it just me") builds new DFA states on nearly every paste,
tens of microseconds. One screen over all the lists (`Screen`, RE2's FilteredRE2) names those
whose literal words the text holds; a list it rules out can't match the text, nor any part of
it (a line, the head): the words it needs are missing there too.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core.linear_re import Regex, Screen
from bot.core.vocabulary import Signals

# A list as the text lets it match: itself, or None when the screen rules it out.
Narrow = Callable[[Regex | None], Regex | None]

# Screens by the signals' identity, which the entry holds; a reload brings new signals, and
# when full the cache starts again (one step, safe for diagnoses running in threads).
_SCREENS: dict[int, tuple[Signals, tuple[Regex, ...], Screen]] = {}
_KEPT = 4  # the signals in use, and those of a knowledge being reloaded


def _screened(signals: Signals) -> tuple[tuple[Regex, ...], Screen]:
    """The lists `prose()` searches in the text, the view or a part of them, with their screen
    (not `ongoing`: it is searched with the quotes blanked, which can make new words)."""
    kept = _SCREENS.get(id(signals))
    if kept is not None and kept[0] is signals:
        return kept[1], kept[2]
    lists = (
        signals.resolved,
        signals.new_failure,
        signals.not_fireworks,
        signals.own_system,
        signals.own_gateway,
        signals.gateways,
        signals.gateway_replies,
        signals.gateway_refusals,
        signals.fronting,
        signals.fireworks_names,
        signals.fireworks_answered,
        signals.question,
        signals.hypothetical,
        signals.teaching,
        signals.how_to,
        signals.quoting,
        signals.past,
        signals.asks_meaning,
        signals.outage,
        signals.failing,
        signals.failing_what,
        signals.error_nouns,
        signals.persistence,
        signals.owned,
        signals.model_behaviour,
    )
    regexes = tuple(regex for regex in lists if regex is not None)
    screen = Screen(list(regexes))
    if len(_SCREENS) >= _KEPT:
        _SCREENS.clear()
    _SCREENS[id(signals)] = (signals, regexes, screen)  # the signals are held: the id stays theirs
    return regexes, screen


def narrowing(signals: Signals, text: str) -> Narrow:
    """What each list is for `text` and its parts: None for one that can't match there."""
    regexes, screen = _screened(signals)
    possible = screen.possible(text)
    ruled_out = frozenset(regex for i, regex in enumerate(regexes) if i not in possible)
    return lambda regex: None if regex in ruled_out else regex
