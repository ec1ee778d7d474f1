"""Reading and writing `knowledge/calibration/confidence.yaml`, the committed step table.

`bot.core.calibration` fits and applies the table; this module is where it meets the file.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from bot.core.calibration import IDENTITY, Calibration, Steps
from bot.knowledge.yaml_lines import YamlError, load_plain

CALIBRATION_FILE = Path("calibration") / "confidence.yaml"


def calibration_yaml(calibration: Calibration, note: str) -> str:
    """The committed table: per mode, one `[raw upper bound, probability]` pair a line."""
    lines = [f"# {line}" for line in note.splitlines()]
    for mode, steps in (("passive", calibration.passive), ("explicit", calibration.explicit)):
        lines.append(f"{mode}:")
        lines += [f"  - [{bound}, {probability}]" for bound, probability in steps]
    return "\n".join(lines) + "\n"


class CalibrationError(ValueError):
    """The calibration file is unusable; the message says why."""


def load_calibration(directory: Path) -> Calibration:
    """The table in `directory`, or the identity when the knowledge ships none."""
    path = directory / CALIBRATION_FILE
    if not path.is_file():
        return IDENTITY
    try:
        document = load_plain(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlError) as error:
        raise CalibrationError(f"can't read it: {error}") from None
    if not isinstance(document, dict) or set(document) != {"passive", "explicit"}:
        raise CalibrationError("expected 'passive' and 'explicit' lists of steps")
    return Calibration(_steps(document["passive"]), _steps(document["explicit"]))


def _steps(steps: object) -> Steps:
    if not isinstance(steps, list) or not steps:
        raise CalibrationError("each mode is a list of [raw, probability] pairs")
    pairs = []
    for step in steps:
        if (
            not isinstance(step, list)
            or len(step) != 2
            or not all(isinstance(v, int | float) and 0 <= v <= 1 for v in step)
        ):
            raise CalibrationError(f"each step is [raw, probability], both 0 to 1: {step}")
        pairs.append((float(step[0]), float(step[1])))
    if any(b[0] <= a[0] or b[1] < a[1] for a, b in itertools.pairwise(pairs)):
        raise CalibrationError("steps must rise in raw score and never fall in probability")
    return tuple(pairs)
