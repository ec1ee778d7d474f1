"""Telling text from binary by the bytes (never by a file's name or type), and reading a
download no further than its cap: what an attachment and a paste both go through."""

from __future__ import annotations

import aiohttp

CHUNK = 64 * 1024
_NOT_TEXT = 0.1  # more undecodable characters than this share, and the bytes are binary
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _utf16_order(data: bytes) -> str | None:
    """ "utf-16-le" or "-be" when the NULs fall on every other byte, as in UTF-16 ASCII text."""
    half = len(data) // 2
    if len(data) % 2 or not half:
        return None
    odd, even = data[1::2].count(0), data[0::2].count(0)
    if odd > half // 3 and even == 0:
        return "utf-16-le"
    if even > half // 3 and odd == 0:
        return "utf-16-be"
    return None


def sniff_text(data: bytes) -> str | None:
    """`data` decoded if its bytes are text (UTF-8, or UTF-16 by BOM or NUL pattern), else None.

    A few undecodable bytes (a Latin-1 accent in a log) don't make a file binary; NULs do.
    """
    if data.startswith(_UTF16_BOMS):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data:
        order = _utf16_order(data)
        if order is None:
            return None
        text = data.decode(order, errors="replace")
    else:
        text = data.decode("utf-8-sig", errors="replace")
    if "\x00" in text or text.count("\ufffd") > _NOT_TEXT * len(text):
        return None
    return text


def readable_text(data: bytes | None) -> str | None:
    """The text in `data`, or None when there is none (no bytes, binary, or only blanks)."""
    text = sniff_text(data) if data else None
    return text if text is not None and text.strip() else None


async def capped_body(response: aiohttp.ClientResponse, limit: int) -> bytes | None:
    """The response's body, or None once it passes `limit` (a declared size can lie)."""
    data = bytearray()
    async for chunk in response.content.iter_chunked(CHUNK):
        data += chunk
        if len(data) > limit:
            return None
    return bytes(data)
