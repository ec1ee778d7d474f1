"""Which attachment bytes are text: sniffed from the bytes, never from the name or type."""

from __future__ import annotations

import random

import pytest

from bot.sources.text import sniff_text

TEXT = "FIREWORKS_API_KEY: fw_example\nmodel: llama-v3p1-8b-instruct\n"


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1"]
)
def test_text_in_any_common_encoding_is_text(encoding: str) -> None:
    text = sniff_text((TEXT + "café ok\n").encode(encoding))
    assert text is not None and text.startswith("FIREWORKS_API_KEY: fw_example\n")


def test_a_few_bad_bytes_in_a_log_are_replaced_not_fatal() -> None:
    data = TEXT.encode() * 10 + b"\xff\xfe\x80 garbled\n"
    text = sniff_text(data)
    assert text is not None and "\ufffd" in text and text.startswith(TEXT)


@pytest.mark.parametrize(
    "data",
    [
        random.Random(7).randbytes(4096),  # noise, NULs and all
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        bytes(byte | 0x80 for byte in random.Random(8).randbytes(4096)),  # no NUL, not UTF-8
        b"text\x00with\x00stray\x00nuls",
    ],
    ids=["noise", "png", "high-bytes", "stray-nuls"],
)
def test_binary_is_not_text(data: bytes) -> None:
    assert sniff_text(data) is None
