"""Extraction and matching take any text: odd characters, huge pastes, adversarial shapes.

The shapes that once made a regex quadratic (issue 8, break 1: blank lines, whitespace runs,
repeated prefixes, fences, digits, nested brackets) are in the generated input from now on;
benchmarks/bench_fuzz.py times them.
"""

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
# Units that, repeated, once made one regex retry from every position.
HOSTILE_UNITS = ["\n", " \t\n", "openai.", "```\n", "4290518", "[{(", ")}]", "x", "Error code: "]
RUNS = st.builds(
    lambda unit, count: unit * count, st.sampled_from(HOSTILE_UNITS), st.integers(1, 500)
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(NASTY, FRAGMENTS, RUNS, st.text(max_size=20)), max_size=60))
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


ERROR = "openai.RateLimitError: Error code: 429 - {'error': {'message': 'rate limit exceeded'}}"
KB, MIB = 32_000, 1 << 20


def fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


HOSTILE = {
    "blank lines": lambda size: "x" + "\n" * (size - 2) + "x",
    "whitespace runs": lambda size: fill(" \t\n", size),
    "openai. prefixes": lambda size: fill("openai.", size),
    "fences": lambda size: fill("```\n", size),
    "digits": lambda size: fill("4290518", size),
    "nested brackets": lambda size: fill("[{(", size),
    "one long line": lambda size: fill("abc ", size),
}


@pytest.mark.parametrize("size", [KB, MIB], ids=["32KB", "1MiB"])
@pytest.mark.parametrize("shape", HOSTILE)
def test_hostile_paste_is_noise_until_it_holds_an_error(shape: str, size: int) -> None:
    paste = HOSTILE[shape](size)

    assert explain(paste, KNOWLEDGE, "passive").decision.action == "ignore"
    assert explain(paste, KNOWLEDGE, "explicit").decision.action == "escalate"
    for text in (paste + "\n" + ERROR, ERROR + "\n" + paste):  # the tail, then the head
        decision = explain(text, KNOWLEDGE, "passive").decision
        assert (decision.action, decision.code) == ("answer", "429")
