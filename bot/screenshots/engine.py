"""The OCR engine: RapidOCR (PP-OCRv4 models shipped inside its wheel, run by onnxruntime).

Chosen over Tesseract on the screenshot corpus (see benchmarks/compare_ocr_engines.py and
the README): it reads light-on-dark consoles and small fonts better, and installs with pip
alone. Its models load from the wheel, never from the network. One engine per process, made
on first use, with one thread: the bot sizes its process pool instead.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

EXTRA = 'pip install "fwerror[ocr]"'
_MODULES = ("rapidocr_onnxruntime", "PIL", "numpy")
DETECT_SIDE = 2000
_engine: Any = None


class EngineMissing(RuntimeError):
    """The `ocr` extra is not installed."""


@dataclass(frozen=True, slots=True)
class Box:
    """One run of text the engine found, where it sits, and how sure it is (0-1)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    confidence: float
    slope: float = 0.0  # of the box's top edge (dy/dx): a photo of a screen is tilted

    @property
    def height(self) -> float:
        """The text's own height: a tilted box's bounds are taller by its rise."""
        return max(1.0, self.bottom - self.top - abs(self.slope) * (self.right - self.left))

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


def available() -> bool:
    """Whether the extra is installed (checked without importing it)."""
    return all(importlib.util.find_spec(name) is not None for name in _MODULES)


def _load() -> Any:
    global _engine
    if _engine is None:
        if not available():
            raise EngineMissing(f"screenshots need the OCR engine: {EXTRA}")
        from rapidocr_onnxruntime import RapidOCR

        # No angle classifier: screenshots are upright, and it costs a pass per line. The
        # detector's default scales the *short* side up to 736 px, which makes a wide, short
        # crop of a console enormous; scaling only the long side down keeps it as it is.
        # Lines are recognised one at a time: in a batch each is padded to the widest, so a
        # console's short lines cost as much as its longest (about 3x the time in all).
        _engine = RapidOCR(
            use_cls=False,
            det_limit_type="max",
            det_limit_side_len=DETECT_SIDE,
            rec_batch_num=1,
            intra_op_num_threads=1,
            inter_op_num_threads=1,
            print_verbose=False,
        )
    return _engine


def warm_up() -> None:
    """Load the models now (a pool worker's initializer), so the first image isn't slower."""
    _load()


def recognise(image: Image) -> list[Box]:
    """Every text box in `image` (RGB), in the engine's order."""
    import numpy

    # The engine takes an array as OpenCV's BGR, as its models were trained; Pillow's is RGB.
    result, _ = _load()(numpy.ascontiguousarray(numpy.asarray(image)[:, :, ::-1]))
    boxes = []
    for corners, text, score in result or ():
        xs = [point[0] for point in corners]
        ys = [point[1] for point in corners]
        (x0, y0), (x1, y1) = corners[0], corners[1]  # top-left, top-right
        slope = (y1 - y0) / (x1 - x0) if x1 - x0 > 1 else 0.0
        boxes.append(Box(text, min(xs), min(ys), max(xs), max(ys), float(score), slope))
    return boxes
