"""A prepared paste in the forms the detectors read, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.linear_re import AsciiView, compile_linear
from bot.core.words import letter_runs

# What the regexes read: words of any alphabet kept whole, as Python's `re` saw them. A status
# rule spells out the arrow in "PUT → 405".
_VIEW = AsciiView(keep="→")
_CHAIN_OPENERS = (
    "During handling of the above exception, another exception occurred:",
    "The above exception was the direct cause of the following exception:",
    "[cause]:",
    "Caused by:",
)
_CHAIN = compile_linear(
    r"^(?:During handling of the above exception, another exception occurred:"
    r"|The above exception was the direct cause of the following exception:"
    r"|\s*\[cause\]:|Caused by:)",
    multiline=True,
)


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
    def of(cls, text: str) -> Paste:
        view = _VIEW.of(text)
        lowered = text.lower()
        view_lowered = lowered if view is text else view.lower()
        return cls(
            text,
            view,
            lowered,
            view_lowered,
            _final_segment_start(view),
            frozenset(letter_runs(lowered)),
        )

    def weight(self, base: float, position: int) -> float:
        """Later evidence counts a little more; evidence a later exception replaced, less."""
        if position < self.segment_start:
            return base * EARLIER_SEGMENT
        return base * (0.9 + 0.1 * position / max(len(self.text), 1))


EARLIER_SEGMENT = 0.4  # evidence from a traceback that a later exception superseded


def _final_segment_start(text: str) -> int:
    if not any(opener in text for opener in _CHAIN_OPENERS):
        return 0
    starts = [m.end() for m in _CHAIN.finditer(text)]
    return starts[-1] if starts else 0
