"""Escalation end to end: role ping in a thread, queue post, the "Talk to a human" button."""

from __future__ import annotations

from dataclasses import replace

import pytest
import pytest_asyncio

from bot.cooldowns import RateLimiter
from bot.views.answer import answer_view
from tests.exts.conftest import (
    CALLBACK,
    MESSAGES,
    RATE_LIMIT_PASTE,
    SERVER_ERROR_PASTE,
    Harness,
    is_reply_to,
    told,
)
from tests.fake_discord import Recorded
from tests.fake_discord.payloads import MessageFlag

pytestmark = pytest.mark.asyncio(loop_scope="module")

THREADS = r"/channels/\d+/messages/\d+/threads"
FAKE_KEY = "fw_" + "Q7x" * 10  # built at runtime: shaped like a Fireworks key, not one


@pytest_asyncio.fixture(autouse=True, loop_scope="module")
async def fresh_presses(harness: Harness) -> None:
    """Each test starts with a fresh allowance of presses (the module shares one bot)."""
    escalation = harness.bot.get_cog("Escalation")  # a copy of the module: no isinstance
    assert escalation is not None
    escalation.presses = RateLimiter(harness.settings.human_rate)


def has_button(recorded: Recorded) -> bool:
    return bool((recorded.json or {}).get("components"))


def _button(reply_json: dict) -> str:
    return reply_json["components"][0]["components"][0]["custom_id"]


async def _answered(harness: Harness, content: str, **fields) -> tuple[dict, dict]:
    """Post a paste in the help channel; return it and the bot's reply (as created)."""
    paste = await harness.fake.post_message(content, **fields)
    reply = await harness.fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    return paste, reply.response


async def test_server_error_pings_the_role_in_a_thread_and_queues_once(harness: Harness) -> None:
    fake = harness.fake
    # Keep the paste in place (no delete and re-post: tests/exts/test_leaked_keys.py covers it).
    harness.reset_policy(replace(harness.settings, delete_leaked_keys=False))
    paste, _ = await _answered(harness, f"{SERVER_ERROR_PASTE}\nmy key is {FAKE_KEY}")
    thread = await fake.wait_for_request("POST", THREADS)
    ping = await fake.wait_for_request("POST", rf"/channels/{paste['id']}/messages")
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))

    channel_id = fake.guild.text_channel["id"]
    assert thread.path == f"/channels/{channel_id}/messages/{paste['id']}/threads"
    assert len(thread.json["name"]) <= 100
    role = harness.support_role["id"]
    assert f"<@&{role}>" in ping.json["content"]
    assert ping.json["allowed_mentions"] == {"parse": [], "roles": [int(role)]}
    [embed] = queue.json["embeds"]
    assert (
        embed["url"] == f"https://discord.com/channels/{fake.guild.id}/{channel_id}/{paste['id']}"
    )
    # Plain words: the entry's title; its id is in the footer for moderators.
    assert embed["title"].startswith("Needs a human: 520")
    assert embed["footer"]["text"] == "entry 520-unknown-error"
    assert "Error code: 520" in embed["description"]
    assert FAKE_KEY not in str(queue.json) and FAKE_KEY not in str(ping.json)
    assert queue.json["allowed_mentions"] == {"parse": []}
    await fake.expect_no_request("POST")


async def test_an_escalated_answer_says_support_was_pinged_and_needs_no_button(
    harness: Harness,
) -> None:
    fake = harness.fake
    _, reply = await _answered(harness, SERVER_ERROR_PASTE)
    await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    # The case is with a human already: the button says so and can't be pressed.
    button = reply["components"][0]["components"][0]
    assert button["label"] == "Support pinged" and button["disabled"] is True
    said = {f["name"]: f["value"] for f in reply["embeds"][0]["fields"]}
    assert said["What happens now"].startswith("I've pinged support in a thread")
    await fake.wait_for_request("POST", THREADS)
    await harness.forget_requests()
    await fake.expect_no_request("PATCH")  # nothing to take back


async def test_button_queues_a_users_side_error_once_without_a_ping(harness: Harness) -> None:
    fake = harness.fake
    paste, reply = await _answered(harness, RATE_LIMIT_PASTE)
    await fake.expect_no_request("POST", THREADS)  # a 429 answer is not escalated by itself
    await fake.click_button(reply, _button(reply))
    ack = await told(fake)
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))

    assert ack["flags"] & MessageFlag.EPHEMERAL
    # A 429 is fixed on the user's side: the queue hears of it, nobody is pinged.
    assert "without pinging anyone" in ack["content"]
    assert "Email **support@fireworks.ai** with:" in ack["content"]
    assert "- Error: `openai.RateLimitError: Error code: 429" in ack["content"]
    assert "Request ID: **missing**" in ack["content"]
    assert queue.json["embeds"][0]["title"].startswith("Needs a human: 429 Too Many Requests")
    assert "rate limit exceeded" in queue.json["embeds"][0]["description"]

    await fake.click_button(reply, _button(reply), user=fake.world.owner)
    again = await told(fake)
    assert "already with a human" in again["content"]
    assert "Email **support@fireworks.ai** with:" in again["content"]
    await fake.expect_no_request("POST", THREADS)
    await fake.expect_no_request("POST", MESSAGES)
    # The press acted on what the answer decided: the paste was never read again.
    assert not [r for r in fake.requests if r.method == "GET" and paste["id"] in r.path]


async def test_escalation_in_a_forum_post_pings_in_that_post(harness: Harness) -> None:
    fake = harness.fake
    post = fake.guild.forum_post
    paste = await fake.post_message(SERVER_ERROR_PASTE, channel=post)
    await fake.wait_for_request("POST", harness.channel_path(post), predicate=is_reply_to(paste))
    ping = await fake.wait_for_request("POST", harness.channel_path(post))
    await fake.wait_for_request("POST", harness.channel_path(harness.queue))

    assert ping.json["content"].startswith(f"<@&{harness.support_role['id']}>")
    await fake.expect_no_request("POST", THREADS)


async def test_button_works_on_a_message_sent_before_a_restart(harness: Harness) -> None:
    """The button's state is its custom_id: no view and no record was kept for this answer,
    so the press acts on what the answer itself says (its entry), never reading the paste."""
    fake = harness.fake
    paste = await fake.post_message(RATE_LIMIT_PASTE, channel=harness.general)
    await fake.expect_no_request()
    channel_id, message_id = int(paste["channel_id"]), int(paste["id"])
    components = answer_view(channel_id, message_id).to_components()
    embed = {"title": "Rate limited", "footer": {"text": "fwerror · 429-rate-limit · 95%"}}
    old_reply = fake.world.new_message(
        harness.general,
        fake.bot_user,
        {
            "content": "",
            "embeds": [embed],
            "components": components,
            "message_reference": {"message_id": paste["id"]},
        },
    )
    await fake.click_button(old_reply, f"fwerror:human:{channel_id}:{message_id}")
    ack = await told(fake)
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))

    assert "moderators' queue" in ack["content"]
    assert queue.json["embeds"][0]["url"].endswith(f"/{channel_id}/{message_id}")
    assert queue.json["embeds"][0]["footer"]["text"] == "entry 429-rate-limit"
    assert not [r for r in fake.requests if r.method == "GET" and paste["id"] in r.path]


async def test_an_old_short_answer_names_its_entry_by_its_more_button(harness: Harness) -> None:
    """No record and a footer that names nothing: the entry is the one "More" names."""
    fake = harness.fake
    paste = await fake.post_message(RATE_LIMIT_PASTE, channel=harness.general)
    await fake.expect_no_request()
    channel_id, message_id = int(paste["channel_id"]), int(paste["id"])
    components = answer_view(channel_id, message_id, more="429-rate-limit").to_components()
    old_reply = fake.world.new_message(
        harness.general,
        fake.bot_user,
        {
            "content": "",
            "embeds": [{"title": "Rate limited", "footer": {"text": "fwerror"}}],
            "components": components,
            "message_reference": {"message_id": paste["id"]},
        },
    )
    await fake.click_button(old_reply, f"fwerror:human:{channel_id}:{message_id}")
    await told(fake)
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    assert queue.json["embeds"][0]["footer"]["text"] == "entry 429-rate-limit"


async def test_failed_thread_is_logged_and_the_queue_still_posted(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    fake = harness.fake
    fake.fail_next("POST", THREADS, 403)
    await _answered(harness, SERVER_ERROR_PASTE)
    refused = await fake.wait_for_request("POST", THREADS)
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))

    assert refused.status == 403 and queue.status == 200
    assert any("could not ping the support role" in r.getMessage() for r in caplog.records)
    later = await fake.post_message(RATE_LIMIT_PASTE, author=fake.world.owner)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(later))


async def test_everything_failing_lets_the_button_try_again(harness: Harness) -> None:
    fake = harness.fake
    fake.fail_next("POST", THREADS, 403)
    fake.fail_next("POST", harness.channel_path(harness.queue), 403)
    _, reply = await _answered(harness, SERVER_ERROR_PASTE)
    await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    # Nobody was reached: the answer takes back its promise and offers the button again.
    edit = await fake.wait_for_request("PATCH", rf"/channels/\d+/messages/{reply['id']}")
    reply = edit.response
    said = {f["name"]: f["value"] for f in reply["embeds"][0]["fields"]}
    assert said["What happens now"].startswith("Nobody has been told yet")
    await harness.forget_requests()
    await fake.click_button(reply, _button(reply))
    ack = await told(fake)
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    assert "asked a human" in ack["content"]
    assert queue.status == 200


async def test_a_second_press_on_the_same_case_is_already_with_a_human(harness: Harness) -> None:
    fake = harness.fake
    _, reply = await _answered(harness, RATE_LIMIT_PASTE)
    await fake.click_button(reply, _button(reply))
    first = await told(fake)
    await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    await fake.click_button(reply, _button(reply))
    second = await told(fake)

    assert "moderators' queue" in first["content"]
    assert second["flags"] == MessageFlag.EPHEMERAL
    assert "already with a human" in second["content"]
    await fake.expect_no_request("POST", harness.channel_path(harness.queue))


async def test_repeated_presses_by_one_user_are_limited(harness: Harness) -> None:
    fake = harness.fake
    allowed = harness.settings.human_rate.count
    replies = [
        (await _answered(harness, f"{RATE_LIMIT_PASTE}\n(attempt {attempt})"))[1]
        for attempt in range(allowed + 1)
    ]
    for reply in replies[:allowed]:
        await fake.click_button(reply, _button(reply))
        ack = await told(fake)
        assert "moderators' queue" in ack["content"]
        await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    last = replies[-1]
    await fake.click_button(last, _button(last))
    refused = await told(fake)

    assert refused["flags"] == MessageFlag.EPHEMERAL
    assert refused["content"].startswith("Slow down a little: you can ask for a human")
    await fake.expect_no_request("POST", harness.channel_path(harness.queue))
    # The limit is per user: someone else may still ask for a human on that answer.
    await fake.click_button(last, _button(last), user=fake.world.owner)
    other = await told(fake)
    queue = await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    assert "moderators' queue" in other["content"] and queue.status == 200


async def test_a_reposted_leak_escalated_once_says_so_on_its_button(harness: Harness) -> None:
    """The answer replies to the redacted re-post, and its button names the re-post."""
    fake = harness.fake
    await fake.post_message(f"{SERVER_ERROR_PASTE}\nmy key is {FAKE_KEY}")
    answer = await fake.wait_for_request("POST", MESSAGES, predicate=has_button)
    await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    button = answer.response["components"][0]["components"][0]
    assert button["label"] == "Support pinged" and button["disabled"] is True


async def test_a_private_answer_escalated_once_says_it_is_queued(harness: Harness) -> None:
    fake = harness.fake
    await fake.slash_command("fwerror", {"query": SERVER_ERROR_PASTE, "private": True})
    callback = await fake.wait_for_request("POST", CALLBACK)
    await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    answer = callback.response["resource"]["message"]
    assert answer["flags"] & MessageFlag.EPHEMERAL
    # A private answer has no message to open a thread on: the queue has it, nobody is pinged.
    button = answer["components"][0]["components"][0]
    assert button["label"] == "In the moderators' queue" and button["disabled"] is True
    await fake.expect_no_request("POST")


@pytest.mark.parametrize(
    ("content", "title", "pings"),
    [
        (
            "the Fireworks API doesn't work at all, the connection test in our app fails",
            "Please paste the full error text",
            True,
        ),
        ("Error: read ECONNRESET\n    at TLSWrap.onStreamRead (node:internal)", "No status", False),
    ],
)
async def test_no_status_and_text_less_reports_are_answered_without_a_ping(
    harness: Harness, content: str, title: str, pings: bool
) -> None:
    fake = harness.fake
    paste, reply = await _answered(harness, content)
    assert reply["embeds"][0]["title"].startswith(title)
    assert reply["embeds"][0]["description"].startswith("Recognised: `")
    await fake.expect_no_request("POST", THREADS)  # no thread, no role ping

    # The control: the user can still ask for a human. An unknown error pings the role; a
    # reset connection is fixed on the user's side, so it only reaches the queue.
    await fake.click_button(reply, _button(reply))
    said = await told(fake)
    assert "Email **support@fireworks.ai** with:" in said["content"]
    if pings:
        await fake.wait_for_request("POST", THREADS)
        ping = await fake.wait_for_request("POST", rf"/channels/{paste['id']}/messages")
        assert ping.json["allowed_mentions"]["roles"] == [int(harness.support_role["id"])]
    await fake.wait_for_request("POST", harness.channel_path(harness.queue))
    await fake.expect_no_request("POST")


async def test_every_path_to_a_human_shows_the_same_checklist(harness: Harness) -> None:
    """An escalated answer, the button, "Didn't help": one checklist, filled from the paste.

    With nobody on call the button stays offered (it can only hand over the checklist).
    """
    fake = harness.fake
    harness.reset_policy(
        replace(harness.settings, support_role_id=None, escalation_channel_id=None)
    )
    paste_text = (
        "2026-11-30T10:00:00Z x-request-id: 7f3a9c1e-55aa\n"
        "openai.InternalServerError: Error code: 500 - {'error': {'message': 'Internal server "
        "error'}}"
    )
    _paste, reply = await _answered(harness, paste_text)
    embed_text = str(reply["embeds"][0])
    for item in ("Request ID: `7f3a9c1e-55aa`", "Time (UTC): `2026-11-30T10:00:00Z`"):
        assert item in embed_text
    assert "Model: **missing**" in embed_text

    await fake.click_button(reply, _button(reply))
    button = await told(fake)
    votes = {c["label"]: c["custom_id"] for c in reply["components"][0]["components"]}
    await fake.click_button(reply, votes["Didn't help"])
    sorry = await told(fake)
    for said in (button, sorry):
        assert said["flags"] & MessageFlag.EPHEMERAL
        assert "Email **support@fireworks.ai** with:" in said["content"]
        assert "Request ID: `7f3a9c1e-55aa`" in said["content"]
        assert "Model: **missing**" in said["content"]
        assert "Error: `openai.InternalServerError: Error code: 500" in said["content"]
