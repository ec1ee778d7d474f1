"""What an answer says about humans, and where a short answer may be cut (issue 19)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.core.explain import explain
from bot.core.handoff import HANDOFF_LINES, Handoff, narrowed
from bot.core.render import (
    EVIDENCE_QUOTE,
    clip_prose,
    clip_words,
    render_short_embed,
    telling,
    why_line,
)
from bot.core.reply import SupportRequest
from bot.knowledge.load import load_knowledge

KNOWLEDGE = load_knowledge()
PASTED_500 = (
    "openai.InternalServerError: Error code: 500 - {'error': {'message': 'Internal server error'}}"
)


def test_a_short_answer_is_cut_at_a_sentence_or_a_word_never_inside_one() -> None:
    """A 500 with a long checklist cut its cause mid-word ('a bug in the serving cod…')."""
    reply = explain(PASTED_500, KNOWLEDGE, "passive").reply
    assert reply is not None
    long_support = SupportRequest(
        "support@fireworks.ai",
        "7" * 60,
        "2026-11-30T10:00:00Z",
        "accounts/acme/models/" + "m" * 70,
        "openai.InternalServerError: Error code: 500 " + "z " * 80,
    )
    reply = replace(reply, support=long_support)
    cause = " ".join(reply.cause.split())
    for limit in range(500, 900, 3):
        shown = render_short_embed(reply, limit=limit)["description"].split("\n\n")[-1]
        stem = shown.removesuffix("…")
        assert cause.startswith(stem), limit
        after = cause[len(stem) : len(stem) + 1]
        assert not (stem[-1].isalnum() and after.isalnum()), (limit, shown[-30:])


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("One sentence. Another sentence that is long.", 30, "One sentence."),
        ("- first item\n- second item that is long", 30, "- first item"),
        ("no sentence end anywhere in this text at all", 30, "no sentence end anywhere in…"),
        ("短い文です。長い文が続きます", 10, "短い文です。"),
        ("fits", 10, "fits"),
    ],
)
def test_clip_prose_ends_on_a_sentence_an_item_or_a_word(
    text: str, limit: int, expected: str
) -> None:
    assert clip_prose(text, limit) == expected
    assert len(clip_prose(text, limit)) <= limit


def test_clip_words_cuts_one_huge_token_where_the_limit_falls() -> None:
    assert clip_words("a" * 50, 10) == "a" * 9 + "…"


@pytest.mark.parametrize(
    ("paste", "handoff"),
    [
        (PASTED_500, Handoff.PINGED),
        ("openai.RateLimitError: Error code: 429 - rate limit exceeded", Handoff.OFFER_QUEUE),
        ("fireworks is broken", Handoff.OFFER_PING),
    ],
)
def test_every_answer_says_what_happens_now(paste: str, handoff: Handoff) -> None:
    reply = explain(paste, KNOWLEDGE, "passive").reply
    assert reply is not None and reply.handoff is handoff
    said = {f["name"]: f["value"] for f in render_short_embed(reply)["fields"]}
    assert said["What happens now"] == HANDOFF_LINES[handoff]


def test_a_failure_told_in_words_gets_no_checklist_and_no_red_card() -> None:
    reply = explain("fireworks is broken", KNOWLEDGE, "passive").reply
    assert reply is not None
    assert reply.title == "Please paste the full error text"
    assert reply.support is None and not reply.escalate
    assert reply.status_url in str(render_short_embed(reply))


@pytest.mark.parametrize(
    ("handoff", "can_ping", "can_queue", "expected"),
    [
        (Handoff.PINGED, True, True, Handoff.PINGED),
        (Handoff.PINGED, False, True, Handoff.QUEUED),  # a private answer: no thread
        (Handoff.PINGED, False, False, Handoff.NOBODY),
        (Handoff.OFFER_QUEUE, True, False, Handoff.NOBODY),
        (Handoff.OFFER_PING, False, True, Handoff.OFFER_PING),
        (Handoff.OFFER_PING, False, False, Handoff.NOBODY),
    ],
)
def test_the_promise_narrows_to_what_the_server_can_do(
    handoff: Handoff, can_ping: bool, can_queue: bool, expected: Handoff
) -> None:
    assert narrowed(handoff, can_ping=can_ping, can_queue=can_queue) is expected


def test_the_recognised_line_keeps_the_evidence_whole_within_the_error_line() -> None:
    """The quote is a window on the paste's error line: whatever it shows around the
    evidence, the evidence itself is never cut (when it fits the quote at all)."""
    checked = 0
    for entry in KNOWLEDGE.entries:
        for example in entry.examples:
            reply = explain(example, KNOWLEDGE, "explicit").reply
            if reply is None or not reply.evidence:
                continue
            line = why_line(reply.evidence, reply.error_line)
            quoted = line.split("`")[1] if "`" in line else ""
            first = telling(reply.evidence)
            best = " ".join(first.text.split()).replace("`", "'") if first else ""
            if best and len(best) < EVIDENCE_QUOTE - 4 and best in reply.error_line:
                assert best in quoted, (entry.id, line)
                checked += 1
    assert checked > 50
