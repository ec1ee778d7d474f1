"""Text copied from a picture: look-alike characters and joined words (signals/ocr.yaml)."""

from __future__ import annotations

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from bot.core.ocr import OcrRules, repair


@pytest.mark.parametrize(
    ("text", "mended"),
    [
        ("Error code: 4O4 - Mode1 not found", "Error code: 404 - Model not found"),
        ("HTTP/1.1 5O3 Service Unavai1able", "HTTP/1.1 503 Service Unavailable"),
        ("Request tirned out.", "Request timed out."),
        ("Request fai1ed", "Request failed"),
        ("Errorcode: 429", "error code: 429"),
    ],
)
def test_the_shipped_rules_mend_what_a_picture_confuses(
    knowledge: Knowledge, text: str, mended: str
) -> None:
    assert repair(text, knowledge.signals.ocr) == mended


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-14T09:12:44Z took 30B-A3B and 37B models",  # times and model sizes
        "x-ratelimit-remaining-requests: 598, RateLimited in our enum",  # names
        "return the internal client, +1, 401s since this morning",  # real words, counts
        "version v1.5O0 at 09:12:4O",
    ],
)
def test_real_text_is_left_as_it_is(knowledge: Knowledge, text: str) -> None:
    assert repair(text, knowledge.signals.ocr) == text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Error code: 4O4 - Mode1 not found, inaccessible, and/or not deployed", "404"),
        ("keep getting 5O2 bad gateway from fireworks", "502"),
        ("HTTP 5O3 Service Unavailable", "503"),
    ],
)
@pytest.mark.parametrize("mode", ["passive", "explicit"])
def test_a_status_read_from_a_picture_is_answered(
    knowledge: Knowledge, text: str, code: str, mode: str
) -> None:
    decision = diagnose(text, knowledge, mode)  # type: ignore[arg-type]
    assert decision.entry is not None and decision.entry.code == code


def test_no_rules_change_nothing() -> None:
    text = "Error code: 4O4"
    assert repair(text, OcrRules()) is text
