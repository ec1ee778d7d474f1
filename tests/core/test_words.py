"""Whole-word search: the shared rule for transport phrases and knowledge strings."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.words import alnum_runs, find_word, letter_runs


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("502 bad gateway again", "bad gateway", True),
        ("badgateway", "bad gateway", False),
        ("filenotfounderror: x", "enotfound", False),
        ("error: enotfound api", "enotfound", True),
        ("curl: (6) could not resolve host", "curl: (", True),
        ("cloudflare 520s all day", "cloudflare 520", True),
        ("cloudflare 5200", "cloudflare 520", False),
        ("glued then free: xrate limit, rate limit", "rate limit", True),
    ],
)
def test_occurs(text: str, needle: str, expected: bool) -> None:
    assert (find_word(text, needle) != -1) is expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("az09' _-é漢\u0130\ud800\n\t\u00a0")) | st.text())
def test_word_runs_are_what_the_regexes_found(text: str) -> None:
    lowered = text.lower()
    assert letter_runs(lowered) == re.findall(r"[a-z']+", lowered)
    assert alnum_runs(lowered) == re.findall(r"[a-z0-9]+", lowered)
