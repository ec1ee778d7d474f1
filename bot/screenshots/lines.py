"""Rebuild the lines of a screenshot from the engine's boxes.

The engine returns runs of text in no reliable order: a console line can come back as three
boxes, two panels side by side interleave, and a terminal wraps a long line onto the next row.
The matcher wants the paste as it was typed, so boxes are put back into columns, rows and
logical lines here, by geometry alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from bot.screenshots.engine import Box

ROW_OVERLAP = 0.5  # share of a box's height its middle may be off the row's and still belong
COLUMN_GAP = 4.0  # an empty vertical band this many line heights wide splits two columns
WRAP_EDGE = 0.04  # a row ending this close to the column's right edge was wrapped there
MIN_WRAP_ROWS = 3
LEVEL_SLOPE = 0.005  # below this tilt (0.3 degrees) the picture is taken as straight
MIN_WRAP_CHARS = 60  # terminals and consoles are at least 80 columns: a short row never wrapped


# A shell prompt (`user@host:~/app$ python main.py`, `C:\app> python main.py`, `% ...`): the
# screen's chrome, which the reader leaves out, and never the tail of the line above it.
# The engine may drop the space after `$` or `%` (`$export ...`, `%python3 main.py`).
PROMPT = re.compile(
    r"^\s*(?:[\w.-]+@[\w.-]+:\S*\s?[$#%]|[A-Za-z]:\\[^>\n]*>|[$%#]\s|[$%#]$|[$%](?=[a-z]))"
)
# The tail of a word cut at the screen's edge: lower-case letters closed by punctuation, not
# a word of its own followed by a space (`sending 12 images`) or a prompt (`user@dev`).
_TAIL = re.compile(r"[a-z]+[^\w\s@]")


@dataclass(frozen=True, slots=True)
class Text:
    """What a picture says, line by line, and how sure the engine was on the whole (0-1)."""

    text: str
    confidence: float
    characters: int


def rebuild(boxes: Sequence[Box]) -> Text:
    """The boxes as text: each column top to bottom, each row left to right, wraps undone."""
    boxes = _level([box for box in boxes if box.text.strip()])
    if not boxes:
        return Text("", 0.0, 0)
    height = median(box.height for box in boxes) or 1.0
    lines = [line for column in _columns(boxes, height) for line in _lines(column, height)]
    characters = sum(len(box.text) for box in boxes)
    confidence = sum(box.confidence * len(box.text) for box in boxes) / characters
    return Text("\n".join(lines), confidence, characters)


def _level(boxes: list[Box]) -> list[Box]:
    """The boxes as if the picture were straight: a phone photo of a screen is tilted, and
    rows of a tilted page drift up or down across it, so each box is moved by the page's
    slope (the median over the wide boxes, the ones whose slope can be trusted)."""
    wide = sorted(box.slope for box in boxes if box.right - box.left > 4 * box.height)
    slope = wide[len(wide) // 2] if wide else 0.0
    if abs(slope) < LEVEL_SLOPE:
        return boxes
    levelled = []
    for box in boxes:
        # A tilted box's bounds start at its highest corner; its top edge crosses its middle
        # lower by half its rise. That point, moved by the page's slope, is where it sits.
        middle = box.top + abs(box.slope) * (box.right - box.left) / 2
        top = middle - slope * (box.left + box.right) / 2
        levelled.append(Box(box.text, box.left, top, box.right, top + box.height, box.confidence))
    return levelled


def _columns(boxes: list[Box], height: float) -> list[list[Box]]:
    """Boxes split where a wide vertical band holds no box at all, left to right."""
    ordered = sorted(boxes, key=lambda box: box.left)
    columns: list[list[Box]] = [[ordered[0]]]
    right = ordered[0].right
    for box in ordered[1:]:
        if box.left - right > COLUMN_GAP * height:
            columns.append([])
        columns[-1].append(box)
        right = max(right, box.right)
    return columns


def _rows(column: list[Box], height: float) -> list[list[Box]]:
    rows: list[list[Box]] = []
    for box in sorted(column, key=lambda box: box.middle):
        if rows and abs(box.middle - _middle(rows[-1])) <= ROW_OVERLAP * height:
            rows[-1].append(box)
        else:
            rows.append([box])
    return [sorted(row, key=lambda box: box.left) for row in rows]


def _middle(row: list[Box]) -> float:
    return sum(box.middle for box in row) / len(row)


def _lines(column: list[Box], height: float) -> list[str]:
    """Rows joined into lines; a row that fills the column to its edge continues on the next."""
    rows = _rows(column, height)
    left = min(box.left for box in column)
    right = max(box.right for box in column)
    edge = WRAP_EDGE * (right - left)
    # Only a terminal that wrapped has several rows ending at one right edge; the longest
    # line of a picture always reaches the edge, and alone it proves nothing, unless it
    # stops inside a word whose tail opens the next row (`...Payment Requi` / `red"}}`).
    full = [
        right - row[-1].right <= edge and sum(len(box.text) for box in row) >= MIN_WRAP_CHARS
        for row in rows
    ]
    wraps = len(rows) >= MIN_WRAP_ROWS and sum(full) >= 2
    lines: list[str] = []
    wrapped = cut = False
    for row, reaches in zip(rows, full, strict=True):
        text = " ".join(box.text.strip() for box in row)
        at_left = row[0].left - left <= edge
        tail = cut and _TAIL.match(text) is not None and PROMPT.match(text) is None
        if lines and at_left and (wrapped or tail):
            lines[-1] += text
        else:
            lines.append(text)
        wrapped = wraps and reaches
        cut = reaches and text[-1:].isalpha()
    return lines
