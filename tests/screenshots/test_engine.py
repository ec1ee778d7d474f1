"""How the picture is handed to the OCR engine."""

from __future__ import annotations

from typing import Any

import pytest

from bot.screenshots import engine

pytestmark = pytest.mark.ocr


def test_the_engine_gets_the_picture_in_bgr_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """RapidOCR takes an array as OpenCV's BGR (its models were trained on it); Pillow's RGB
    handed over as it is swaps red and blue, and red tracebacks read worse."""
    from PIL import Image

    given: list[Any] = []

    def record(array: Any) -> tuple[list[Any], None]:
        given.append(array)
        corners = [[2, 3], [40, 3], [40, 12], [2, 12]]
        return [(corners, "Error code: 429", 0.97)], None

    monkeypatch.setattr(engine, "_engine", record)
    picture = Image.new("RGB", (64, 32), (200, 30, 10))  # a red traceback's colour
    boxes = engine.recognise(picture)

    (array,) = given
    assert array.shape == (32, 64, 3)
    assert tuple(int(v) for v in array[0, 0]) == (10, 30, 200)
    assert array.flags["C_CONTIGUOUS"]
    assert boxes == [engine.Box("Error code: 429", 2, 3, 40, 12, 0.97, 0.0)]
