"""The moderators' queue: Claim and Resolved buttons for the support and moderator roles."""

from __future__ import annotations

from sqlalchemy import select

from bot.store import schema
from tests.exts.conftest import CALLBACK, SERVER_ERROR_PASTE
from tests.fake_discord.payloads import CallbackType, MessageFlag
from tests.learning.conftest import World


async def stored_state(bot, fake, state: str) -> dict:
    """The escalation's row once it holds `state`: it is written after the post is updated,
    so wait for it (up to 5 s), however busy the machine."""
    row = None
    for _ in range(100):
        async with bot.store.store.engine.connect() as conn:
            row = (await conn.execute(select(schema.escalations))).mappings().one_or_none()
        if row is not None and row["state"] == state:
            break
        await fake.settle(0.05)
    assert row is not None, "the escalation was never stored"
    return dict(row)


async def test_claim_and_resolve_show_who_and_only_for_the_roles(world: World) -> None:
    fake = world.fake
    async with world.bot() as bot:
        paste, _ = await world.answered(SERVER_ERROR_PASTE)
        posted = await fake.wait_for_request("POST", rf"/channels/{world.queue['id']}/messages")
        post = posted.response
        claim, resolve = (c["custom_id"] for c in post["components"][0]["components"])
        assert claim == f"fwerror:queue:claim:{paste['id']}"

        # alice has neither role: refused, privately, and the post is unchanged.
        await fake.click_button(post, claim)
        refused = await fake.wait_for_request("POST", CALLBACK)
        assert refused.json["data"]["flags"] == MessageFlag.EPHEMERAL
        assert "Only the support or moderator roles" in refused.json["data"]["content"]

        alice = fake.world.member(fake.guild.id, fake.user["id"])
        alice["roles"].append(world.support_role["id"])
        await fake.click_button(post, claim)
        claimed = await fake.wait_for_request("POST", CALLBACK)
        assert claimed.json["type"] == CallbackType.UPDATE_MESSAGE
        [embed] = claimed.json["data"]["embeds"]
        status = {f["name"]: f["value"] for f in embed["fields"]}["Status"]
        assert status == f"Claimed by <@{fake.user['id']}>"
        buttons = claimed.json["data"]["components"][0]["components"]
        assert [b.get("disabled", False) for b in buttons] == [True, False]

        assert (await stored_state(bot, fake, "claimed"))["state"] == "claimed"
        post = fake.world.messages[post["id"]]
        await fake.click_button(post, resolve, user=fake.world.owner)  # Manage Server
        resolved = await fake.wait_for_request("POST", CALLBACK)
        [embed] = resolved.json["data"]["embeds"]
        status = {f["name"]: f["value"] for f in embed["fields"]}["Status"]
        assert status == (
            f"Claimed by <@{fake.user['id']}>\nResolved by <@{fake.world.owner['id']}>"
        )
        row = await stored_state(bot, fake, "resolved")
        assert row["state"] == "resolved"
        assert row["claimed_by"] == int(fake.user["id"])
        assert row["resolved_by"] == int(fake.world.owner["id"])
        assert row["queue_message_id"] == int(post["id"])
