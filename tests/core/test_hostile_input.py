"""Extraction and matching take any text: odd characters, huge pastes, adversarial shapes.

The shapes that once made a regex quadratic (issue 8, break 1: blank lines, whitespace runs,
repeated prefixes, fences, digits, nested brackets) are in the generated input from now on;
benchmarks/bench_fuzz.py times them.
"""

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.core.controls import without_controls
from bot.core.explain import explain
from bot.core.redact import MARKER_SUFFIX, for_storage
from bot.knowledge.load import load_knowledge
from bot.sources.pastes import paste_links

KNOWLEDGE = load_knowledge()
NASTY = st.sampled_from(
    [
        *("\x00", "\ud800", "\udfff", "\u202e", "\u200f", "\u200b", "\ufeff", "\r\n", "```"),
        *("\x1b[31m", "\x1b]52;c;", "\x1b]8;;", "\x07", "\x1b\\", "\x9b", "\x9d", "\x9c", "\u2066"),
    ]
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
        # Personal data and other services' tokens (issue 16): for_storage's shapes.
        "alice.smith@example.com",
        "postgres://fwuser:FAKEpass@db:5432/app",
        "/home/alice/",
        "C:\\Users\\alice\\",
        "hf_",
        "ghp_",
        "github_pat_",
        "xoxb-",
        "eyJhbGciOi.",
        "password=",
        "https://pastebin.com/raw/",
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


BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def obeyed(text: str) -> list[str]:
    """The characters a terminal would act on rather than show."""
    return [c for c in text if c in BIDI or (unicodedata.category(c) == "Cc" and c not in "\t\n")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(NASTY, FRAGMENTS, RUNS, st.text(max_size=20)), max_size=60))
# a token redacted first took the URL's scheme with it; its credentials must still go
@example(["Bearer 429github_pat_postgres://fwuser:FAKEpass@db:5432/app"])
def test_what_is_kept_shown_or_fetched_is_clean(parts: list[str]) -> None:
    text = "".join(parts)
    kept = for_storage(text)
    assert "smith@" not in kept and "FAKEpass" not in kept and "/alice/" not in kept
    assert obeyed(without_controls(text)) == []
    for link in paste_links(text):
        assert MARKER_SUFFIX not in link.path and "fw_" not in link.path


@pytest.mark.parametrize(
    "unit", ["a@b.cd ", "postgres://u:p@", "/home/alice ", "C:\\Users\\bob ", "password=FAKE1 "]
)
def test_a_megabyte_of_private_shapes_is_cleaned(unit: str) -> None:
    kept = for_storage(unit * (MIB // len(unit)))
    assert not any(name in kept for name in ("a@b", "u:p@", "alice", "bob", "FAKE1"))


def test_a_megabyte_of_escape_sequences_is_cleaned() -> None:
    assert obeyed(without_controls(fill("\x1b]52;c;ZmFrZQ==\x07\x9b2J\u202e", MIB))) == []


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
