"""Feedback end to end: "Helped" / "Didn't help" under every answer, one vote per user per
answer, changeable, and "Didn't help" offers "Talk to a human" at once."""

from __future__ import annotations

import copy

from sqlalchemy import select

from bot.store import schema
from tests.exts.conftest import CALLBACK, RATE_LIMIT_PASTE, told
from tests.fake_discord.payloads import MessageFlag
from tests.learning.conftest import World

THREADS = r"/channels/\d+/messages/\d+/threads"


def _buttons(message: dict) -> dict[str, str]:
    return {
        child["label"]: child["custom_id"]
        for row in message["components"]
        for child in row["components"]
    }


async def _votes(bot) -> dict[tuple[int, int], bool]:
    async with bot.store.store.engine.connect() as conn:
        rows = (await conn.execute(select(schema.feedback))).mappings().all()
    return {(row["answer_id"], row["user_id"]): row["helped"] for row in rows}


async def test_a_vote_is_recorded_and_can_be_changed(world: World) -> None:
    fake = world.fake
    async with world.bot() as bot:
        _paste, reply = await world.answered(RATE_LIMIT_PASTE)
        buttons = _buttons(reply)
        assert list(buttons) == ["Talk to a human", "Helped", "Didn't help", "More"]

        await fake.click_button(reply, buttons["Helped"])
        thanks = await fake.wait_for_request("POST", CALLBACK)
        assert thanks.json["data"]["flags"] == MessageFlag.EPHEMERAL
        assert "glad it helped" in thanks.json["data"]["content"]
        await fake.settle(0.2)
        alice, answer = int(fake.user["id"]), int(reply["id"])
        assert await _votes(bot) == {(answer, alice): True}

        await fake.click_button(reply, buttons["Didn't help"])
        await told(fake)
        await fake.click_button(reply, buttons["Helped"], user=fake.world.owner)
        await fake.wait_for_request("POST", CALLBACK)
        await fake.settle(0.2)
        owner = int(fake.world.owner["id"])
        # One row per user per answer: alice's changed vote replaced her first one.
        assert await _votes(bot) == {(answer, alice): False, (answer, owner): True}

        metrics = bot.metrics.render().decode()
        assert (
            'fwerror_feedback_total{code="429",entry="429-rate-limit",vote="not_helpful"} 1.0'
            in metrics
        )
        assert 'fwerror_feedback_total{code="429",entry="429-rate-limit",vote="helped"} 2.0' in (
            metrics
        )


async def test_didnt_help_offers_talk_to_a_human_which_escalates(world: World) -> None:
    fake = world.fake
    async with world.bot():
        paste, reply = await world.answered(RATE_LIMIT_PASTE)
        await fake.click_button(reply, _buttons(reply)["Didn't help"])
        sorry = await fake.wait_for_request("POST", CALLBACK)
        data = sorry.json["data"]
        assert data["flags"] & MessageFlag.EPHEMERAL
        assert "a human can take a look" in data["content"]
        assert "Email **support@fireworks.ai** with:" in data["content"]
        assert "- Error: `openai.RateLimitError: Error code: 429" in data["content"]
        [human] = [c for row in data["components"] for c in row["components"]]
        assert human["label"] == "Talk to a human"
        # The offer names the answer's case (the paste) and the answer it is about.
        assert human["custom_id"] == (
            f"fwerror:human:{paste['channel_id']}:{paste['id']}:{paste['id']}:{reply['id']}"
        )

        offer = sorry.response["resource"]["message"]
        await fake.click_button(offer, human["custom_id"])
        ack = await told(fake)
        # A 429 is fixed on the user's side: the queue hears of it, nobody is pinged.
        assert "moderators' queue" in ack["content"]
        assert "Email **support@fireworks.ai** with:" in ack["content"]
        queued = await fake.wait_for_request("POST", rf"/channels/{world.queue['id']}/messages")
        assert queued.json["embeds"][0]["footer"]["text"] == "entry 429-rate-limit"


def _showing_nothing(reply: dict) -> dict:
    """The answer as pressed, with neither its footer nor its "More" button naming its entry:
    what it decided must come from its record, not from what it shows."""
    shown = copy.deepcopy(reply)
    shown["embeds"][0]["footer"] = {"text": "fwerror"}
    for row in shown["components"]:
        row["components"] = [c for c in row["components"] if c["label"] != "More"]
    return shown


async def test_a_vote_counts_the_entry_the_answer_decided_before_and_after_a_restart(
    world: World,
) -> None:
    fake = world.fake
    label = 'fwerror_feedback_total{code="429",entry="429-rate-limit",vote="%s"} 1.0'
    async with world.bot() as bot:
        _paste, reply = await world.answered(RATE_LIMIT_PASTE)
        pressed = _showing_nothing(reply)
        await fake.click_button(pressed, _buttons(reply)["Helped"])
        await fake.wait_for_request("POST", CALLBACK)
        await fake.settle(0.2)
        assert label % "helped" in bot.metrics.render().decode()  # the record in memory

    await world.forget_requests()
    async with world.bot() as bot:  # a new process: the record is the store's
        await fake.click_button(pressed, _buttons(reply)["Didn't help"])
        offer = await told(fake)
        assert "- Error: `openai.RateLimitError: Error code: 429" in offer["content"]
        await fake.settle(0.2)
        assert label % "not_helpful" in bot.metrics.render().decode()
