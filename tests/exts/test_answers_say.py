"""Every answer says what the bot did about humans, and its button follows (issue 19).

The quoted examples of the issue, end to end: a failure told in words gets a request for the
error text (not the red unknown card), `/fwerror` on text with no error answers privately, a
500 says support was pinged and its button says so, a press turns the button off.
"""

from __future__ import annotations

import pytest

from bot.core.render import ANSWER_COLOUR
from tests.exts.conftest import (
    CALLBACK,
    FOLLOWUP,
    MESSAGES,
    RATE_LIMIT_PASTE,
    Harness,
    is_reply_to,
    told,
)
from tests.fake_discord.payloads import CallbackType, MessageFlag

pytestmark = pytest.mark.asyncio(loop_scope="module")

THREADS = r"/channels/\d+/messages/\d+/threads"
PASTED_500 = (
    "2026-11-30T10:00:00Z x-request-id: 7f3a9c1e-55aa-4b2b-9d1e-0c3a7f3a9c1e\n"
    "openai.InternalServerError: Error code: 500 - {'error': {'message': 'Internal server "
    "error'}}"
)


def _fields(message: dict) -> dict[str, str]:
    return {f["name"]: f["value"] for f in message["embeds"][0]["fields"]}


def _first_button(message: dict) -> dict:
    return message["components"][0]["components"][0]


async def _answer_to(harness: Harness, content: str) -> tuple[dict, dict]:
    paste = await harness.fake.post_message(content)
    reply = await harness.fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    return paste, reply.response


async def test_a_failure_told_in_words_asks_for_the_error_text(harness: Harness) -> None:
    """'fireworks is broken' got the red 'Not an error I know: handing you to a human'."""
    fake = harness.fake
    _, reply = await _answer_to(harness, "fireworks is broken")
    [embed] = reply["embeds"]
    assert embed["title"] == "Please paste the full error text"
    assert embed["color"] == ANSWER_COLOUR  # not the red card of an escalation
    assert "handing you to a human" not in str(reply)
    said = _fields(reply)
    assert "status page" in said["Fix"]
    assert "[Status page](https://status.fireworks.ai)" in said["Links"]
    assert said["What happens now"].startswith("Nobody has been told yet")
    button = _first_button(reply)
    assert button["label"] == "Talk to a human" and not button.get("disabled")
    labels = [c["label"] for c in reply["components"][0]["components"]]
    assert "More" not in labels  # the unknown-error card is not "more" of a request for text
    await fake.expect_no_request("POST", THREADS)  # nobody pinged: the words say so


@pytest.mark.parametrize("query", ["thanks", "x" * 20 + " " + "hello there " * 30])
async def test_fwerror_on_text_with_no_error_answers_only_the_asker(
    harness: Harness, query: str
) -> None:
    """'/fwerror query:thanks' got the red card in public, 'Error: `thanks`', 'confidence 0%'."""
    fake = harness.fake
    await fake.slash_command("fwerror", {"query": query})
    callback = await fake.wait_for_request("POST", CALLBACK)
    if callback.json["type"] == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
        # A long query was deferred in public: that "thinking" message goes, the answer is private.
        await fake.wait_for_request("DELETE", FOLLOWUP + "/messages/@original")
        data = (await fake.wait_for_request("POST", FOLLOWUP)).json
    else:
        data = callback.json["data"]
    assert data["flags"] & MessageFlag.EPHEMERAL
    assert data["content"].startswith("I found no error in that.")
    assert "confidence" not in str(data) and "Error: `" not in str(data)
    await fake.expect_no_request("POST", MESSAGES)


async def test_a_500_says_support_was_pinged_and_its_button_says_so(harness: Harness) -> None:
    """A 500 said only 'Needs a human' and still offered Talk to a human after the ping."""
    fake = harness.fake
    _, reply = await _answer_to(harness, PASTED_500)
    await fake.wait_for_request("POST", THREADS)
    said = _fields(reply)
    assert said["What happens now"] == (
        "I've pinged support in a thread on your message: they'll answer there."
    )
    button = _first_button(reply)
    assert button["label"] == "Support pinged" and button["disabled"] is True
    assert "Talk to a human" not in str(reply["components"])
    cause = reply["embeds"][0]["description"].split("\n\n")[-1]
    assert not cause.endswith("…") or not cause[-2].isalnum()  # never cut inside a word


async def test_a_press_turns_the_button_into_where_the_case_went(harness: Harness) -> None:
    fake = harness.fake
    _, reply = await _answer_to(harness, RATE_LIMIT_PASTE)
    assert _fields(reply)["What happens now"].startswith("Nobody has been told.")
    await fake.click_button(reply, _first_button(reply)["custom_id"])
    ack = await told(fake)
    assert "without pinging anyone" in ack["content"]
    edit = await fake.wait_for_request("PATCH", rf"/channels/\d+/messages/{reply['id']}")
    edited = edit.response
    button = _first_button(edited)
    assert button["label"] == "In the moderators' queue" and button["disabled"] is True
    assert _fields(edited)["What happens now"] == (
        "I've put this in the moderators' queue; nobody was pinged."
    )
    labels = [c["label"] for c in edited["components"][0]["components"]]
    assert labels[1:] == ["Helped", "Didn't help", "More"]  # the rest of the answer is kept


NODE_500 = """\
InternalServerError: 500 Internal server error
    at APIError.generate (file:///app/node_modules/openai/error.mjs:63:20)
    at OpenAI.makeStatusError (file:///app/node_modules/openai/core.mjs:286:25)
    at async main (file:///app/index.mjs:12:3)
"""


async def test_the_checklist_and_the_queue_quote_the_error_line_and_the_message_time(
    harness: Harness,
) -> None:
    """The checklist said `Error: at APIError.generate (...)` and 'Time (UTC): **missing**'."""
    fake = harness.fake
    paste, reply = await _answer_to(harness, NODE_500)
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    checklist = _fields(reply)["What support needs"]
    assert "- Error: `InternalServerError: 500 Internal server error`" in checklist
    sent = paste["timestamp"][:19]  # the message's own time, to the second
    assert f"- Time (UTC): `{sent}Z (when you posted)`" in checklist
    assert "at APIError" not in str(reply["embeds"])
    [card] = queue.json["embeds"]
    assert "InternalServerError: 500 Internal server error" in card["description"]
    assert "at APIError" not in card["description"]


async def test_fwerror_502_says_how_sure_in_words(harness: Harness) -> None:
    """`/fwerror 502` showed 'confidence 67%'."""
    await harness.fake.slash_command("fwerror", {"query": "502"})
    callback = await harness.fake.wait_for_request("POST", CALLBACK)
    footer = callback.json["data"]["embeds"][0]["footer"]["text"]
    assert footer == "fwerror · 502-bad-gateway · exact match"


async def test_the_queue_post_and_ping_read_as_plain_words(harness: Harness) -> None:
    """Posts read like logs ("500-internal-server-error (HTTP 500, confidence 80%)") and a
    pasted fence was swapped for look-alike characters."""
    fake = harness.fake
    paste = (
        "```\nopenai.InternalServerError: Error code: 500 - {'error': {'message': "
        "'Internal server error'}}\n```"
    )
    posted, _ = await _answer_to(harness, paste)
    ping = await fake.wait_for_request("POST", rf"/channels/{posted['id']}/messages")
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    title = harness.bot.knowledge.by_id["500-internal-server-error"].title
    assert f"needs a human here: **{title}**." in ping.json["content"]
    [card] = queue.json["embeds"]
    assert card["title"] == f"Needs a human: {title}"
    assert "confidence" not in str(card) and "HTTP 500," not in str(card)
    assert card["description"].startswith("The error:\n> openai.InternalServerError")
    assert "\u02cb" not in str(card)  # no look-alike characters
    fields = {f["name"]: f["value"] for f in card["fields"]}
    assert fields["Message"] == f"[Jump to it]({card['url']})"


async def test_a_fence_in_the_error_line_is_escaped_not_swapped(harness: Harness) -> None:
    fake = harness.fake
    await _answer_to(harness, "Error code: 520 - error code: 520 ``` `tick`")
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    description = queue.json["embeds"][0]["description"]
    # The fence itself is read away with the paste's other fences; every other backtick is
    # escaped, so it shows as typed and can't end the quote.
    assert "\\`tick\\`" in description and "\u02cb" not in description


CHINESE_429 = "一直报 429, 怎么办?\n" + RATE_LIMIT_PASTE


async def test_a_chinese_429_is_answered_in_chinese_and_more_offers_the_english(
    harness: Harness,
) -> None:
    """A report written in Chinese was matched well and answered in English only."""
    fake = harness.fake
    _, reply = await _answer_to(harness, CHINESE_429)
    [embed] = reply["embeds"]
    assert embed["title"].startswith("429 请求过多")
    assert "RateLimitError: Error code: 429" in embed["description"]  # as pasted
    assert _fields(reply)["接下来会怎样"].startswith("还没有通知任何人")
    more = reply["components"][0]["components"][-1]
    assert more["label"] == "More (English)"
    await fake.click_button(reply, more["custom_id"])
    opened = await fake.wait_for_request("POST", CALLBACK)
    english = harness.bot.knowledge.by_id["429-rate-limit"].title
    assert opened.json["data"]["embeds"][0]["title"] == english


async def test_a_press_on_a_chinese_answer_says_where_it_went_in_chinese(harness: Harness) -> None:
    fake = harness.fake
    _, reply = await _answer_to(harness, CHINESE_429)
    await fake.click_button(reply, _first_button(reply)["custom_id"])
    await told(fake)
    edit = await fake.wait_for_request("PATCH", rf"/channels/\d+/messages/{reply['id']}")
    assert _fields(edit.response)["接下来会怎样"].startswith("我已把这个问题放进版主队列")
