"""Confidence as a probability: the matcher's raw score mapped to how often it is right.

The map is fitted on the labelled corpus (`python -m bot calibrate`) with isotonic regression
(pool adjacent violators): raw scores sorted, neighbouring groups pooled until accuracy never
falls as the score rises. The result is a step table, committed as data in
`knowledge/calibration/confidence.yaml`, so among answers shown with confidence c about c are
right. Users see words for it (`confidence_words`), never a percentage.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.decision import Mode

# The bands of the reliability table; the last holds 1.0.
BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.8), (0.8, 0.9), (0.9, 0.95), (0.95, 1.0))
MIN_BAND_CASES = 50  # a band with fewer cases says little about calibration
WORDS = ((0.95, "exact match"), (0.75, "likely"), (0.0, "best guess"))


Steps = tuple[tuple[float, float], ...]  # (raw upper bound, probability), raw ascending


def _lookup(steps: Steps, raw: float) -> float:
    if not steps:
        return raw
    at = min(bisect_left([bound for bound, _ in steps], raw), len(steps) - 1)
    return steps[at][1]


@dataclass(frozen=True, slots=True)
class Calibration:
    """A step table per mode: the listener answers only when sure, so the same raw score is
    right more often there than in `/fwerror`, which always answers. Identity when empty."""

    passive: Steps = ()
    explicit: Steps = ()

    def of(self, raw: float, mode: Mode) -> float:
        """The probability that an answer with raw score `raw`, in `mode`, is right."""
        return _lookup(self.passive if mode == "passive" else self.explicit, raw)


IDENTITY = Calibration()


def fit(scored: Iterable[tuple[float, bool]]) -> Steps:
    """Isotonic regression of right/wrong on the raw score (pool adjacent violators)."""
    blocks: list[list[float]] = []  # [raw upper bound, right, total]
    for raw, right in sorted(scored):
        if blocks and blocks[-1][0] == raw:
            blocks[-1][1] += right
            blocks[-1][2] += 1
        else:
            blocks.append([raw, float(right), 1.0])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            blocks[-1] = [last[0], blocks[-1][1] + last[1], blocks[-1][2] + last[2]]
    return tuple((round(bound, 4), round(right / total, 3)) for bound, right, total in blocks)


@dataclass(frozen=True, slots=True)
class Band:
    low: float
    high: float
    cases: int
    shown: float  # mean calibrated confidence in the band
    right: float  # observed accuracy

    @property
    def gap(self) -> float:
        return abs(self.shown - self.right)


def reliability(
    scored: Iterable[tuple[float, bool]], calibration: Calibration, mode: Mode
) -> list[Band]:
    """Per band of calibrated confidence: how many answers, what they showed, how many right."""
    cells: list[list[float]] = [[0, 0.0, 0] for _ in BANDS]
    for raw, right in scored:
        shown = calibration.of(raw, mode)
        at = next(i for i, (_, high) in enumerate(BANDS) if shown < high or high == 1.0)
        cells[at][0] += 1
        cells[at][1] += shown
        cells[at][2] += right
    return [
        Band(low, high, int(n), total / n if n else 0.0, right / n if n else 0.0)
        for (low, high), (n, total, right) in zip(BANDS, cells, strict=True)
    ]


def format_reliability(bands: list[Band]) -> str:
    lines = ["confidence band   answers   shown   right   gap"]
    for band in bands:
        flag = "" if band.cases >= MIN_BAND_CASES else "  (under 50: not held to 5 points)"
        lines.append(
            f"{band.low:4.0%} - {band.high:4.0%}     {band.cases:>7}  {band.shown:6.1%}  "
            f"{band.right:6.1%}  {band.gap * 100:4.1f}{flag}"
            if band.cases
            else f"{band.low:4.0%} - {band.high:4.0%}           0"
        )
    return "\n".join(lines)


def confidence_words(confidence: float) -> str:
    """What a user reads instead of a percentage."""
    return next(word for floor, word in WORDS if confidence >= floor)
