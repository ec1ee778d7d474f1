"""/fwerror end to end: the real discord.py client answering the fake Discord's interactions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.settings import Rate
from tests.exts.conftest import (
    CALLBACK,
    FOLLOWUP,
    MESSAGES,
    RATE_LIMIT_PASTE,
    SERVER_ERROR_PASTE,
    Harness,
)
from tests.fake_discord.payloads import CallbackType, MessageFlag

pytestmark = pytest.mark.asyncio(loop_scope="module")

THREADS = r"/channels/\d+/messages/\d+/threads"


async def test_short_query_is_answered_at_once_with_embed_and_button(harness: Harness) -> None:
    fake = harness.fake
    await fake.slash_command("fwerror", {"query": "429"})
    callback = await fake.wait_for_request("POST", CALLBACK)

    assert callback.json["type"] == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
    data = callback.json["data"]
    assert data["allowed_mentions"] == {"parse": []}
    assert not data.get("flags", 0) & MessageFlag.EPHEMERAL
    [embed] = data["embeds"]
    assert "429-rate-limit" in embed["footer"]["text"]
    button, *votes, more = data["components"][0]["components"]
    assert button["custom_id"] == f"fwerror:human:{fake.guild.text_channel['id']}:0"
    assert [vote["label"] for vote in votes] == ["Helped", "Didn't help"]
    assert more["custom_id"] == "fwerror:more:429-rate-limit"
    await fake.expect_no_request("POST", MESSAGES)  # an answer, not an escalation


async def test_private_answer_is_ephemeral_and_whole(harness: Harness) -> None:
    entry = harness.bot.knowledge.by_id["429-rate-limit"]
    await harness.fake.slash_command("fwerror", {"query": "429", "private": True})
    callback = await harness.fake.wait_for_request("POST", CALLBACK)
    data = callback.json["data"]
    assert data["flags"] & MessageFlag.EPHEMERAL
    [embed] = data["embeds"]
    assert " ".join(entry.cause.split()) in " ".join(embed["description"].split())
    assert [f["name"] for f in embed["fields"]] == ["Fix", "Tips", "What happens now", "Links"]
    assert "status.fireworks.ai" in embed["fields"][-1]["value"]
    labels = [c["label"] for c in data["components"][0]["components"]]
    assert "More" not in labels  # it is all there already


async def test_long_paste_is_deferred_then_answered_by_followup(harness: Harness) -> None:
    fake = harness.fake
    paste = "Traceback (most recent call last):\n" + '  File "app.py", line 3\n' * 20
    assert len(paste + RATE_LIMIT_PASTE) > 300
    await fake.slash_command("fwerror", {"query": paste + RATE_LIMIT_PASTE})
    deferral = await fake.wait_for_request("POST", CALLBACK)
    followup = await fake.wait_for_request("POST", FOLLOWUP)

    assert deferral.json["type"] == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert "429-rate-limit" in followup.json["embeds"][0]["footer"]["text"]
    assert followup.json["components"][0]["components"][0]["label"] == "Talk to a human"
    # The followup completes the "thinking" message rather than adding a second one.
    assert followup.response["id"] == deferral.response["resource"]["message"]["id"]


@pytest.mark.parametrize("typed", ["", "rate", "5", "x" * 150])
async def test_autocomplete_offers_at_most_25_entries_by_id(harness: Harness, typed: str) -> None:
    fake = harness.fake
    knowledge = harness.bot.knowledge
    await fake.autocomplete("fwerror", "query", {"query": typed})
    callback = await fake.wait_for_request("POST", CALLBACK)

    assert callback.json["type"] == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    choices = callback.json["data"]["choices"]
    assert len(choices) <= 25
    assert all(choice["value"] in knowledge.by_id for choice in choices)
    assert all(len(choice["name"]) <= 100 for choice in choices)
    if typed == "rate":
        assert choices[0]["value"] == "429-rate-limit"
    if typed == "":
        assert len(choices) == min(25, len(knowledge.entries))


async def test_an_autocomplete_pick_answers_that_entry(harness: Harness) -> None:
    entry = next(e for e in harness.bot.knowledge.entries if e.code == "503")
    await harness.fake.slash_command("fwerror", {"query": entry.id})
    callback = await harness.fake.wait_for_request("POST", CALLBACK)
    assert callback.json["data"]["embeds"][0]["title"] == entry.title


async def test_server_error_query_escalates_in_a_thread_on_the_answer(harness: Harness) -> None:
    fake = harness.fake
    await fake.slash_command("fwerror", {"query": SERVER_ERROR_PASTE})
    callback = await fake.wait_for_request("POST", CALLBACK)
    answer_id = callback.response["resource"]["message"]["id"]
    thread = await fake.wait_for_request("POST", THREADS)
    ping = await fake.wait_for_request("POST", rf"/channels/{answer_id}/messages")
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))

    assert thread.path == f"/channels/{fake.guild.text_channel['id']}/messages/{answer_id}/threads"
    role = harness.support_role["id"]
    assert ping.json["content"].startswith(f"<@&{role}>")
    assert ping.json["allowed_mentions"] == {"parse": [], "roles": [int(role)]}
    [embed] = queue.json["embeds"]
    assert embed["url"].endswith(f"/{fake.guild.text_channel['id']}/{answer_id}")
    assert "520" in embed["title"]


async def test_private_escalation_posts_to_the_queue_only(harness: Harness) -> None:
    fake = harness.fake
    await fake.slash_command("fwerror", {"query": SERVER_ERROR_PASTE, "private": True})
    await fake.wait_for_request("POST", CALLBACK)
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    await fake.expect_no_request("POST", THREADS)
    assert queue.json["embeds"][0]["url"].endswith(f"/{fake.guild.text_channel['id']}")


async def test_a_query_with_no_error_pings_nobody(harness: Harness) -> None:
    fake = harness.fake
    await fake.slash_command("fwerror", {"query": "hello there"})
    callback = await fake.wait_for_request("POST", CALLBACK)
    data = callback.json["data"]
    assert data["flags"] & MessageFlag.EPHEMERAL
    assert data["content"].startswith("I found no error in that.")
    assert not data.get("embeds") and not data.get("components")
    await fake.expect_no_request("POST")


async def test_command_cooldown_answers_slow_down_privately(harness: Harness) -> None:
    fake = harness.fake
    harness.reset_policy(replace(harness.settings, command_rate=Rate(1, 60.0)))
    await fake.slash_command("fwerror", {"query": "429"})
    first = await fake.wait_for_request("POST", CALLBACK)
    await fake.slash_command("fwerror", {"query": "429"})
    second = await fake.wait_for_request("POST", CALLBACK)
    await fake.autocomplete("fwerror", "query", {"query": "4"})  # typing is never limited
    third = await fake.wait_for_request("POST", CALLBACK)

    assert first.json["data"]["embeds"]
    assert second.json["type"] == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
    assert second.json["data"]["flags"] == MessageFlag.EPHEMERAL
    assert second.json["data"]["content"].startswith("Slow down a little: try again in ")
    assert third.json["data"]["choices"]


PASTED_500 = (
    "Traceback (most recent call last):\n"
    '  File "app.py", line 12, in <module>\n'
    "openai.InternalServerError: Error code: 500 - {'error': {'object': 'error', 'type': "
    "'internal_server_error', 'message': 'Internal server error'}}"
)


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        (RATE_LIMIT_PASTE, "429-rate-limit"),
        (PASTED_500, "500-internal-server-error"),
        (
            "The prompt is too long: 140000, model maximum context length: 131072",
            "400-prompt-too-long",
        ),
        ("invalid key", "401-invalid-api-key"),
        ("model not found", "404-model-not-found"),
        ("ssl", "tls-certificate-failed"),
    ],
)
async def test_autocomplete_ranks_a_paste_or_a_sentence_by_the_matcher(
    harness: Harness, typed: str, first: str
) -> None:
    await harness.fake.autocomplete("fwerror", "query", {"query": typed})
    callback = await harness.fake.wait_for_request("POST", CALLBACK)
    choices = callback.json["data"]["choices"]
    assert choices[0]["value"] == first
    assert len({c["value"] for c in choices}) == len(choices)


@pytest.mark.parametrize("typed", ["429", "5", "40", "412"])
async def test_autocomplete_lists_the_entries_of_a_bare_code(harness: Harness, typed: str) -> None:
    knowledge = harness.bot.knowledge
    await harness.fake.autocomplete("fwerror", "query", {"query": typed})
    callback = await harness.fake.wait_for_request("POST", CALLBACK)
    values = [c["value"] for c in callback.json["data"]["choices"]]
    expected = [e.id for e in knowledge.entries if e.code.startswith(typed)]
    assert sorted(values) == sorted(expected)
    codes = [knowledge.by_id[v].code for v in values]
    assert codes == sorted(codes)
    generic = [knowledge.by_id[v] for v in values if knowledge.by_id[v].code == typed]
    if len(generic) > 1:
        assert generic[0].generic  # the generic entry of a code comes first
