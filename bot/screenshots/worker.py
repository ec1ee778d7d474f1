"""What a pool worker does with one picture: check it, decode its first frame, find the text.

Runs in a separate process, so the decoding and the engine's seconds of CPU never hold the
bot's event loop or its GIL. Only plain data crosses the process boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.screenshots.engine import Box, recognise
from bot.screenshots.images import Limits, Refused, open_picture


@dataclass(frozen=True, slots=True)
class Found:
    """The engine's boxes for one picture, or why the picture was refused."""

    boxes: tuple[Box, ...] = ()
    refused: str = ""


def find_text(data: bytes, limits: Limits) -> Found:
    try:
        picture = open_picture(data, limits)
    except Refused as error:
        return Found(refused=str(error))
    return Found(tuple(recognise(picture)))
