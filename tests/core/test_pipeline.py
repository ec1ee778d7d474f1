"""One pipeline order: secrets are found before any clean-up or cut can hide or rejoin them.

Each test is a paste whose key was echoed by `explain` when redaction ran on the clipped text,
or before the clean-up (issue 8, breaks 3 and 10).
"""

import random
import string

import pytest

from bot.core.explain import explain
from bot.core.prepare import HEAD_CHARS, TAIL_CHARS
from bot.knowledge.load import load_knowledge

KNOWLEDGE = load_knowledge()
ALNUM = string.ascii_letters + string.digits


def fake_key(seed: int) -> str:
    rng = random.Random(seed)
    return "fw_" + "".join(rng.choice(ALNUM) for _ in range(22)) + "7q"


def echoed(key: str, text: str) -> list[str]:
    """The parts of `key` past what a marker shows that `explain` lets through."""
    result = explain(text, KNOWLEDGE, "explicit")
    shown = repr(result.reply) + result.redaction.text
    return [part for part in (key, key[7:], key[9:], key[-12:]) if part in shown]


@pytest.mark.parametrize("splitter", ["\x1b[0m", "\x1b[31m\x1b[0m", "\x08", "\x1f", "```"])
def test_a_key_split_by_colour_codes_or_control_characters_is_not_echoed(splitter: str) -> None:
    key = fake_key(1)
    paste = (
        "openai.InternalServerError: Error code: 520 - error code: 520\n"
        f"error: rejected key {key[:9]}{splitter}{key[9:]} on retry"
    )
    assert echoed(key, paste) == []


@pytest.mark.parametrize("into_key", [1, 3, 5, 12, 24])
def test_a_key_across_the_cut_of_a_long_paste_is_not_echoed(into_key: int) -> None:
    """The matcher keeps the last TAIL_CHARS characters: the cut falls `into_key` chars in."""
    key = fake_key(2)
    line_end = " was rejected with an error\n"
    filler = "INFO retrying\n" * (TAIL_CHARS // 14)
    after = key[into_key:] + line_end + filler[: TAIL_CHARS - len(key[into_key:]) - len(line_end)]
    assert len(after) == TAIL_CHARS
    paste = "INFO starting\n" * (HEAD_CHARS // 7) + "error: key " + key[:into_key] + after
    assert paste[-TAIL_CHARS:].startswith(key[into_key:])
    assert echoed(key, paste) == []
