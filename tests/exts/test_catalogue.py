"""Short answers with "More", and `/fwerror-list`, end to end against the fake Discord."""

from __future__ import annotations

import pytest

from bot.cooldowns import RateLimiter
from bot.core.render import SHORT_EMBED_CHARS, embed_length
from bot.settings import Rate
from tests.exts.conftest import CALLBACK, MESSAGES, RATE_LIMIT_PASTE, Harness, is_reply_to
from tests.fake_discord.payloads import CallbackType, MessageFlag

pytestmark = pytest.mark.asyncio(loop_scope="module")


def _components(message: dict) -> dict[str, dict]:
    return {
        child.get("custom_id") or child.get("url"): child
        for row in message.get("components", [])
        for child in row["components"]
    }


async def test_passive_answer_is_short_and_more_shows_the_rest_privately(harness: Harness) -> None:
    fake = harness.fake
    entry = harness.bot.knowledge.by_id["429-rate-limit"]
    paste = await fake.post_message(RATE_LIMIT_PASTE)
    reply = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    [short] = reply.json["embeds"]
    assert embed_length(short) <= SHORT_EMBED_CHARS
    assert short["description"].startswith("Recognised: `")
    links = short["fields"][-1]
    assert links["name"] == "Links" and "https://status.fireworks.ai" in links["value"]
    assert entry.tips[0] not in str(short)

    assert "fwerror:more:429-rate-limit" in _components(reply.response)
    await fake.click_button(reply.response, "fwerror:more:429-rate-limit", user=fake.world.owner)
    more = await fake.wait_for_request("POST", CALLBACK)
    assert more.json["data"]["flags"] & MessageFlag.EPHEMERAL
    [full] = more.json["data"]["embeds"]
    flat = " ".join(str(full).split())
    assert " ".join(entry.cause.split()) in " ".join(full["description"].split())
    assert entry.tips[0] in flat and "https://status.fireworks.ai" in flat
    await fake.expect_no_request("POST", MESSAGES)


async def test_more_works_for_an_entry_from_before_a_restart_and_one_since_removed(
    harness: Harness,
) -> None:
    """The button's state is its custom_id: a message the bot never saw still works."""
    fake = harness.fake
    channel = fake.guild.text_channel
    for entry_id, expected in (("401-invalid-api-key", "embeds"), ("999-gone", "content")):
        old = await fake.post_message(
            "",
            author=fake.bot_user,
            components=[
                {
                    "type": 1,
                    "components": [
                        {
                            "type": 2,
                            "style": 1,
                            "label": "More",
                            "custom_id": f"fwerror:more:{entry_id}",
                        }
                    ],
                }
            ],
            channel=channel,
        )
        await fake.click_button(old, f"fwerror:more:{entry_id}")
        answer = await fake.wait_for_request("POST", CALLBACK)
        assert answer.json["data"].get(expected)


async def test_fwerror_list_groups_by_status_and_pages_within_discord_limits(
    harness: Harness,
) -> None:
    fake = harness.fake
    knowledge = harness.bot.knowledge
    await fake.slash_command("fwerror-list")
    callback = await fake.wait_for_request("POST", CALLBACK)
    data = callback.json["data"]
    assert callback.status == 200 and data["flags"] & MessageFlag.EPHEMERAL
    [embed] = data["embeds"]
    # Compact for a phone: one line per status, its heading once, no field per status.
    lines = embed["description"].split("\n\n", 1)[1].splitlines()
    assert [line.split("**")[1] for line in lines][:3] == [
        "400 Bad Request",
        "401 Unauthorized",
        "402 Payment Required",
    ]
    assert not embed.get("fields")
    four_o_four = next(line for line in lines if line.startswith("**404 Not Found**"))
    assert four_o_four.count("404") == 1  # the titles don't repeat the heading
    assert embed["footer"]["text"] == "Page 1 of 2"
    first = callback.response["resource"]["message"]
    select = _components(first)["fwerror:pick:0"]
    assert len(select["options"]) == 25
    assert _components(first)["fwerror:list:0"]["disabled"]  # "Previous" on page 1

    await fake.click_button(first, "fwerror:list:1")
    turned = await fake.wait_for_request("POST", CALLBACK)
    assert turned.json["type"] == CallbackType.UPDATE_MESSAGE
    page_two = turned.json["data"]
    assert page_two["embeds"][0]["footer"]["text"] == "Page 2 of 2"
    assert "**No status**: " in page_two["embeds"][0]["description"]
    seen = {o["value"] for o in select["options"]}
    seen |= {o["value"] for o in _components(page_two)["fwerror:pick:1"]["options"]}
    assert seen == set(knowledge.by_id)


async def test_choosing_an_entry_in_the_list_opens_its_answer(harness: Harness) -> None:
    fake = harness.fake
    await fake.slash_command("fwerror-list")
    callback = await fake.wait_for_request("POST", CALLBACK)
    listing = callback.response["resource"]["message"]
    await fake.choose(listing, "fwerror:pick:0", ["401-invalid-api-key"])
    opened = await fake.wait_for_request("POST", CALLBACK)
    data = opened.json["data"]
    assert data["flags"] & MessageFlag.EPHEMERAL
    assert "401-invalid-api-key" in data["embeds"][0]["footer"]["text"]
    assert "status.fireworks.ai" in str(data["embeds"][0])


async def test_the_lists_buttons_and_menu_have_the_per_user_button_rate(harness: Harness) -> None:
    """Paging and picking answer each press: past FWERROR_BUTTON_RATE they only say slow down
    (issue 16: every button has a per-user rate; the list's were missed)."""
    fake = harness.fake
    harness.bot.button_cooldown = RateLimiter(Rate(1, 60.0))
    try:
        await fake.slash_command("fwerror-list")
        listing = (await fake.wait_for_request("POST", CALLBACK)).response["resource"]["message"]
        await fake.click_button(listing, "fwerror:list:1")
        turned = await fake.wait_for_request("POST", CALLBACK)
        assert turned.json["type"] == CallbackType.UPDATE_MESSAGE
        await fake.click_button(listing, "fwerror:list:1")
        refused = await fake.wait_for_request("POST", CALLBACK)
        await fake.choose(listing, "fwerror:pick:0", ["401-invalid-api-key"])
        refused_pick = await fake.wait_for_request("POST", CALLBACK)
    finally:
        harness.reset_policy()
    for said in (refused, refused_pick):
        assert said.json["data"]["content"].startswith("Slow down")
        assert said.json["data"]["flags"] & MessageFlag.EPHEMERAL
        assert not said.json["data"].get("embeds")
