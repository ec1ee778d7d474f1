"""Extraction and matching take any text: odd characters, huge pastes, adversarial shapes."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.explain import explain
from bot.core.load import load_knowledge

KNOWLEDGE = load_knowledge()
NASTY = st.sampled_from(
    ["\x00", "\ud800", "\udfff", "\u202e", "\u200f", "\u200b", "\ufeff", "\r\n", "```", "\x1b[31m"]
)
FRAGMENTS = st.sampled_from(
    [
        "Error code: ",
        "HTTP/1.1 ",
        "429",
        "503",
        "status_code=",
        '{"error": {"code": ',
        "Traceback",
        "fw_",
        "Bearer ",
        "@everyone",
        "<@&1>",
        "line 404, in",
        "llama-v3p1-405b",
        " ",
        "\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(NASTY, FRAGMENTS, st.text(max_size=20)), max_size=60))
def test_explain_never_raises(parts: list[str]) -> None:
    text = "".join(parts)
    for mode in ("explicit", "passive"):
        result = explain(text, KNOWLEDGE, mode)
        assert result.decision.action in ("answer", "escalate", "ignore")
        assert 0.0 <= result.decision.confidence <= 1.0


@pytest.mark.parametrize(
    "paste",
    [
        " ".join(str(400 + i % 200) for i in range(200_000)),
        "x" * 1_000_000,
        "{" * 300_000 + '"code": 503' + "}" * 300_000,
        "Error code: " * 90_000,
        "Traceback (most recent call last):\n" * 30_000,
        "fw_" * 300_000,
        "RateLimitError: \n" * 60_000,
    ],
    ids=["numbers", "long-line", "deep-json", "error-code", "tracebacks", "fw", "exceptions"],
)
def test_megabyte_adversarial_pastes_finish_with_a_decision(paste: str) -> None:
    result = explain(paste, KNOWLEDGE, "passive")
    assert result.decision.action in ("answer", "escalate", "ignore")
