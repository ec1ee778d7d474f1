"""A prepared paste in the forms the detectors read, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from bot.core.linear_re import AsciiView, Regex, compile_linear, literal
from bot.core.words import letter_runs

# What the regexes read: words of any alphabet kept whole, as Python's `re` saw them. A status
# rule spells out the arrow in "PUT → 405", and the cross in "first request ❌ 412".
_VIEW = AsciiView(keep="→❌✗✖")


@dataclass(frozen=True, slots=True)
class Paste:
    """`text` as it came (for quoting), `view` as RE2 reads it, both lower-cased, and words."""

    text: str
    view: str
    lowered: str
    view_lowered: str
    segment_start: int  # where the last exception of a chained traceback begins
    words: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, text: str, chain: Chain) -> Paste:
        """`chain`: the lines that open the next exception of a chained traceback."""
        view = _VIEW.of(text)
        lowered = text.lower()
        view_lowered = lowered if view is text else view.lower()
        return cls(
            text,
            view,
            lowered,
            view_lowered,
            _final_segment_start(view, chain),
            frozenset(letter_runs(lowered)),
        )

    def weight(self, base: float, position: int) -> float:
        """Later evidence counts a little more; evidence a later exception replaced, less."""
        if position < self.segment_start:
            return base * EARLIER_SEGMENT
        return base * (0.9 + 0.1 * position / max(len(self.text), 1))


EARLIER_SEGMENT = 0.4  # evidence from a traceback that a later exception superseded


@dataclass(frozen=True, slots=True)
class Chain:
    """What opens the next exception of a chained traceback (`signals/markers.yaml`): lines
    that start with an opener ("Caused by:"), or a tag that may be indented ("[cause]:")."""

    openers: tuple[str, ...]
    tags: tuple[str, ...]


NO_CHAIN = Chain((), ())


@cache
def _chain_regex(chain: Chain) -> Regex:
    openers = "|".join(literal(opener) for opener in chain.openers)
    tags = "|".join(literal(tag) for tag in chain.tags)
    alternatives = "|".join(part for part in (openers, tags and rf"\s*(?:{tags})") if part)
    return compile_linear(rf"^(?:{alternatives})", multiline=True)


def _final_segment_start(text: str, chain: Chain) -> int:
    if not any(opener in text for opener in (*chain.openers, *chain.tags)):
        return 0
    starts = [m.end() for m in _chain_regex(chain).finditer(text)]
    return starts[-1] if starts else 0
