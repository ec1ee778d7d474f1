"""Which files are read as pictures, refused before a pixel is decoded (needs Pillow: ocr)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest

from bot.screenshots.images import Kind, Limits, Refused, open_picture, sniff

pytestmark = pytest.mark.ocr


def encoded(kind: str, size=(200, 100), **options) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, kind, **options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(header))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("PNG", Kind.PNG), ("JPEG", Kind.JPEG), ("WEBP", Kind.WEBP), ("GIF", Kind.GIF)],
)
def test_each_format_is_known_by_its_bytes_and_opened(kind: str, expected: Kind) -> None:
    data = encoded(kind)
    assert sniff(data) is expected
    assert open_picture(data).mode == "RGB"


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    with pytest.raises(Refused, match="pixel cap"):
        open_picture(png_claiming(100_000, 100_000))


def test_a_file_over_the_size_cap_is_refused_unread() -> None:
    with pytest.raises(Refused, match="byte cap"):
        open_picture(encoded("PNG"), Limits(max_bytes=100))


@pytest.mark.parametrize(
    "data", [b"openai.RateLimitError: Error code: 429", b"%PDF-1.7", b"\x89PNG\r\n\x1a\nbroken"]
)
def test_what_is_not_really_a_picture_is_refused(data: bytes) -> None:
    with pytest.raises(Refused):
        open_picture(data)


def test_only_the_first_frame_of_an_animation_is_decoded() -> None:
    from PIL import Image

    frames = [Image.new("RGB", (120, 60), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    picture = open_picture(buffer.getvalue())
    red, _, blue = picture.getpixel((picture.width // 2, picture.height // 2))
    assert red > 200 and blue < 50


def test_a_huge_screen_is_scaled_down_and_empty_margins_cropped() -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (3840, 2160), (30, 30, 30))
    ImageDraw.Draw(image).rectangle((100, 100, 3700, 400), fill=(220, 220, 220))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    picture = open_picture(buffer.getvalue())
    assert max(picture.size) <= 2000
    assert picture.height < 500  # the empty bottom of the screen is gone
