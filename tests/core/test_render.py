"""Replies render within Discord's caps, carry the support details, and never ping or leak."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.explain import explain
from bot.core.model import Knowledge
from bot.core.render import (
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    EMBED_TOTAL,
    FIELD_VALUE,
    MESSAGE_CHARS,
    embed_length,
    render_embed,
    render_text,
)
from bot.core.reply import Reply, SupportRequest
from bot.knowledge.load import load_knowledge

PING = re.compile(r"@(everyone|here)|<@[!&]?\d+>")
KNOWLEDGE = load_knowledge()


def fake_key() -> str:
    return "fw_" + "Q7x" * 9


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return KNOWLEDGE


def test_answer_renders_cause_fix_and_docs(knowledge: Knowledge) -> None:
    reply = explain("openai.RateLimitError: Error code: 429", knowledge).reply
    assert reply is not None
    text = render_text(reply)
    assert reply.title in text
    assert "**Fix:**" in text
    assert reply.docs_url in text
    embed = render_embed(reply)
    assert embed["title"] == reply.title
    assert embed["fields"][0]["name"] == "Fix"


def test_escalation_fills_the_support_request_from_the_paste(knowledge: Knowledge) -> None:
    paste = (
        "2024-06-28T13:30:39Z x-request-id: 322db0c1-b95a-4026-9af1-0647581d755c\n"
        'model="accounts/fireworks/models/llama-v3p1-70b-instruct"\n'
        "openai.InternalServerError: Error code: 520 - error code: 520"
    )
    reply = explain(paste, knowledge).reply
    assert reply is not None and reply.escalate and reply.support is not None
    assert reply.support.email == "support@fireworks.ai"
    assert reply.support.request_id == "322db0c1-b95a-4026-9af1-0647581d755c"
    assert reply.support.timestamp == "2024-06-28T13:30:39Z"
    assert reply.support.model == "accounts/fireworks/models/llama-v3p1-70b-instruct"
    assert "520" in reply.support.error
    assert "support@fireworks.ai" in render_text(reply)


def test_unknown_errors_escalate_with_general_tips(knowledge: Knowledge) -> None:
    reply = explain("openai.APIConnectionError: Connection error.", knowledge).reply
    assert reply is not None
    assert reply.entry_id is None and reply.escalate
    assert "support@fireworks.ai" in render_text(reply)


def test_a_secret_never_reaches_the_reply(knowledge: Knowledge) -> None:
    key = fake_key()
    paste = f'curl -H "Authorization: Bearer {key}" ... \nError code: 520 - error code: 520'
    result = explain(paste, knowledge)
    assert result.reply is not None and result.reply.leaked_secrets
    rendered = render_text(result.reply) + str(render_embed(result.reply))
    assert key not in rendered
    assert key[3:12] not in rendered
    assert "revoke" in rendered


def long_reply(size: int) -> Reply:
    big = "x" * size
    return Reply(
        title=big,
        cause=big,
        fix=big,
        tips=(big,) * 30,
        docs_url="https://docs.fireworks.ai",
        status_url="https://status.fireworks.ai",
        escalate=True,
        confidence=0.5,
        entry_id="e",
        code="500",
        support=SupportRequest("support@fireworks.ai", big, big, big, big),
        leaked_secrets=("fw_abcd…[redacted]",),
    )


def assert_within_caps(embed: dict) -> None:
    assert len(embed["title"]) <= EMBED_TITLE
    assert len(embed["description"]) <= EMBED_DESCRIPTION
    assert len(embed["fields"]) <= 25
    assert all(len(f["value"]) <= FIELD_VALUE for f in embed["fields"])
    assert embed_length(embed) <= EMBED_TOTAL


def test_huge_replies_are_cut_to_discord_caps() -> None:
    reply = long_reply(10_000)
    assert len(render_text(reply)) <= MESSAGE_CHARS
    assert_within_caps(render_embed(reply))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=3000))
def test_rendering_any_paste_stays_in_caps_and_never_pings(text: str) -> None:
    for mode in ("explicit", "passive"):
        result = explain(text, KNOWLEDGE, mode)
        if result.reply is None:
            continue
        rendered = render_text(result.reply)
        embed = render_embed(result.reply)
        assert len(rendered) <= MESSAGE_CHARS
        assert_within_caps(embed)
        assert not PING.search(rendered)
        assert not PING.search(str(embed))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_mentions_in_a_paste_are_defused(before: str, after: str) -> None:
    paste = f"{before} @everyone <@&123456789012345678> Error code: 520 {after}"
    reply = explain(paste, KNOWLEDGE).reply
    assert reply is not None
    assert not PING.search(render_text(reply))
    assert not PING.search(str(render_embed(reply)))
