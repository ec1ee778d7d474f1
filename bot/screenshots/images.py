"""Which files are pictures worth reading, refused before any pixel is decoded.

An attachment's name and content type are the poster's word; the first bytes are the file's.
Only PNG, JPEG, WebP and GIF are read, only their first frame, and only within a byte and a
pixel cap read from the header, so a decompression bomb costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL.Image import Image

MAX_BYTES = 8 * 1024 * 1024  # a 4K PNG screenshot is a few MiB
MAX_PIXELS = 16_000_000  # 4K is 8.3 Mpx; a bomb claims far more
READ_SIDE = 2000  # the longest side the engine is given; bigger pictures are scaled down
MIN_SIDE = 24


class Kind(Enum):
    PNG = "png"
    JPEG = "jpeg"
    WEBP = "webp"
    GIF = "gif"


class Refused(ValueError):
    """A file that is not read; the message says why, for the log."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = MAX_BYTES
    max_pixels: int = MAX_PIXELS


DEFAULT_LIMITS = Limits()


def sniff(data: bytes) -> Kind | None:
    """The picture format by its magic bytes, or None: names and content types can lie."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Kind.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return Kind.JPEG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Kind.WEBP
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return Kind.GIF
    return None


def open_picture(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Image:
    """The first frame of `data` as RGB, checked before decoding; raises Refused."""
    if len(data) > limits.max_bytes:
        raise Refused(f"{len(data)} bytes, over the {limits.max_bytes}-byte cap")
    kind = sniff(data)
    if kind is None:
        raise Refused("not a PNG, JPEG, WebP or GIF")
    claimed = _claimed_size(kind, data)
    if claimed is not None and claimed[0] * claimed[1] > limits.max_pixels:
        raise Refused(f"{claimed[0]}x{claimed[1]} pixels, over the {limits.max_pixels}-pixel cap")
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        picture = Image.open(io.BytesIO(data), formats=[kind.value.upper()])
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise Refused(f"unreadable {kind.value}: {error}") from None
    width, height = picture.size  # from the header: nothing decoded yet
    if width * height > limits.max_pixels:
        raise Refused(f"{width}x{height} pixels, over the {limits.max_pixels}-pixel cap")
    if min(width, height) < MIN_SIDE:
        raise Refused(f"{width}x{height} pixels, too small to hold text")
    try:
        picture.seek(0)  # an animation: its first frame only
        return _fit(picture.convert("RGB"))
    except (OSError, ValueError, SyntaxError) as error:
        raise Refused(f"broken {kind.value}: {error}") from None


def _claimed_size(kind: Kind, data: bytes) -> tuple[int, int] | None:
    """The size a PNG or GIF header claims, read from fixed offsets: no library involved."""
    import struct

    if kind is Kind.PNG and len(data) >= 24 and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if kind is Kind.GIF and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    return None  # JPEG and WebP: Pillow reads the size from the header without decoding


def _fit(picture: Image) -> Image:
    """Cropped to where something differs from the background, and at most READ_SIDE long."""
    from PIL import ImageChops

    corner = picture.getpixel((0, 0))
    from PIL import Image

    background = Image.new("RGB", picture.size, corner)
    box = ImageChops.difference(picture, background).convert("L").point(lambda v: 255 * (v > 24))
    bounds = box.getbbox()
    if bounds is not None:
        left, top, right, bottom = bounds
        pad = 12
        picture = picture.crop(
            (
                max(0, left - pad),
                max(0, top - pad),
                min(picture.width, right + pad),
                min(picture.height, bottom + pad),
            )
        )
    longest = max(picture.size)
    if longest > READ_SIDE:
        scale = READ_SIDE / longest
        picture = picture.resize(
            (round(picture.width * scale), round(picture.height * scale)), Image.Resampling.LANCZOS
        )
    return picture
