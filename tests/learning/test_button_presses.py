"""Buttons pressed by hostile or careless members, end to end with a store.

A press acts on what its answer decided when it was posted: it never downloads the paste's
attachments or fetches its linked pastes again; every button has a per-user rate; every press
about one answer is one case, whoever presses and wherever; and a case is about the paste's
author, so /fwerror-forget-me finds it for them and unnames, but keeps it, for whoever pressed.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.settings import Rate
from bot.sources.pastes import PasteReader
from bot.store import schema
from bot.views.base import SLOW_DOWN
from tests.exts.conftest import CALLBACK, FOLLOWUP, RATE_LIMIT_PASTE, told
from tests.exts.test_paste_hosts import FakePasteHost
from tests.fake_discord import FakeDiscord
from tests.fake_discord.payloads import JSON, CallbackType, MessageFlag
from tests.learning.conftest import World

REQUEST_ID = "7f3a9c1e-55aa"
LOG = f"2026-11-30T10:00:00Z x-request-id: {REQUEST_ID}\n{RATE_LIMIT_PASTE}\n".encode()


def _buttons(message: JSON) -> dict[str, str]:
    return {
        child["label"]: child["custom_id"]
        for row in message["components"]
        for child in row["components"]
    }


def _downloads(fake: FakeDiscord) -> int:
    return sum(1 for r in fake.requests if r.method == "GET" and r.path.startswith("/attachments/"))


async def _queue_posts(fake: FakeDiscord, world: World) -> list[JSON]:
    await fake.settle(0.3)
    path = f"/channels/{world.queue['id']}/messages"
    return [r.response for r in fake.requests if r.method == "POST" and r.path == path]


async def _escalations(bot) -> list[dict]:
    async with bot.store.store.engine.connect() as conn:
        rows = (await conn.execute(select(schema.escalations))).mappings().all()
    return [dict(row) for row in rows]


async def _stored_escalations(bot, fake: FakeDiscord, count: int) -> list[dict]:
    """The escalation rows once there are `count` (written after the queue post)."""
    rows: list[dict] = []
    for _ in range(100):
        rows = await _escalations(bot)
        if len(rows) == count:
            return rows
        await fake.settle(0.05)
    raise AssertionError(f"expected {count} escalation row(s), found {rows}")


async def _offer(fake: FakeDiscord) -> JSON:
    """The private message a "Didn't help" press answered with (sent at once or after a
    deferral)."""
    callback = await fake.wait_for_request("POST", CALLBACK)
    if callback.json["type"] == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
        return (await fake.wait_for_request("POST", FOLLOWUP)).response
    return callback.response["resource"]["message"]


async def test_didnt_help_and_talk_to_a_human_never_read_the_paste_again(
    world: World, paste_host: FakePasteHost
) -> None:
    fake = world.fake
    async with world.bot(button_rate=Rate(1000, 60.0)) as bot:
        assert bot.reader.pastes is not None
        await bot.reader.pastes.close()
        bot.reader.pastes = PasteReader(
            bases={"pastebin.com": paste_host.base}, allow_private=True, timeout=2.0
        )
        log = fake.attachment("job.log", LOG)
        paste, reply = await world.answered(
            "my batch job keeps failing, log attached, also https://pastebin.com/RateLim1",
            attachments=[log],
        )
        assert (_downloads(fake), len(paste_host.paths)) == (1, 1)  # read once, to answer

        presses = 25
        offers = []
        for _ in range(presses):
            await fake.click_button(reply, _buttons(reply)["Didn't help"])
            offers.append(await told(fake))
        # The checklist still comes from the attachment, as decided when answering.
        assert all(f"Request ID: `{REQUEST_ID}`" in offer["content"] for offer in offers)
        await fake.click_button(reply, _buttons(reply)["Talk to a human"])
        ack = await told(fake)
        assert f"Request ID: `{REQUEST_ID}`" in ack["content"]
        await fake.settle(0.3)

        assert _downloads(fake) == 1
        assert len(paste_host.paths) == 1
        fetched = [r for r in fake.requests if r.method == "GET" and paste["id"] in r.path]
        assert fetched == []
        [post] = await _queue_posts(fake, world)
        assert post["embeds"][0]["footer"]["text"] == "entry 429-rate-limit"


async def test_a_press_after_a_restart_acts_on_the_stored_decision(world: World) -> None:
    fake = world.fake
    async with world.bot():
        log = fake.attachment("job.log", LOG)
        paste, reply = await world.answered("my job keeps failing, log attached", attachments=[log])
    assert _downloads(fake) == 1
    async with world.bot() as bot:
        assert len(bot.answers) == 0  # memory is gone: the store holds the decision
        await world.forget_requests()
        await fake.click_button(reply, _buttons(reply)["Didn't help"])
        offer = await _offer(fake)
        assert f"Request ID: `{REQUEST_ID}`" in offer["content"]
        await fake.click_button(offer, _buttons(offer)["Talk to a human"], user=fake.world.owner)
        ack = await told(fake)
        assert "moderators' queue" in ack["content"]
        [post] = await _queue_posts(fake, world)
        assert post["embeds"][0]["title"].startswith("Needs a human: 429 Too Many Requests")
        assert post["embeds"][0]["footer"]["text"] == "entry 429-rate-limit"
        [row] = await _stored_escalations(bot, fake, 1)
        assert (row["key"], row["author_id"]) == (int(paste["id"]), int(fake.user["id"]))
    assert _downloads(fake) == 1
    assert not [r for r in fake.requests if r.method == "GET" and paste["id"] in r.path]


async def test_every_button_has_a_per_user_rate(world: World) -> None:
    fake = world.fake
    async with world.bot(button_rate=Rate(3, 60.0)) as bot:
        _paste, reply = await world.answered(RATE_LIMIT_PASTE)
        buttons = _buttons(reply)
        await fake.click_button(reply, buttons["More"])
        await told(fake)
        await fake.click_button(reply, buttons["Didn't help"])
        await told(fake)
        await fake.settle(0.2)  # its vote is written after the answer: let it land first
        await fake.click_button(reply, buttons["Helped"])
        await told(fake)
        await fake.settle(0.2)

        for label in ("Didn't help", "More", "Talk to a human"):
            await world.forget_requests()
            await fake.click_button(reply, buttons[label])
            refused = await fake.wait_for_request("POST", CALLBACK)
            assert refused.json["data"].get("flags") == MessageFlag.EPHEMERAL
            assert refused.json["data"].get("content", "").startswith(SLOW_DOWN.split("{")[0])
            await fake.expect_no_request("POST", FOLLOWUP, within=0.3)
        await fake.expect_no_request("POST", rf"/channels/{world.queue['id']}/messages")

        # The refused "Didn't help" changed nothing: the vote is still the third press.
        async with bot.store.store.engine.connect() as conn:
            votes = (await conn.execute(select(schema.feedback))).mappings().all()
        assert [(v["user_id"], v["helped"]) for v in votes] == [(int(fake.user["id"]), True)]

        # The rate is per user: someone else may still press.
        await fake.click_button(reply, buttons["More"], user=fake.world.owner)
        more = await told(fake)
        assert "Slow down" not in str(more)
        assert more["embeds"][0]["footer"]["text"].startswith("fwerror · 429-rate-limit")


async def test_talk_to_a_human_from_didnt_help_on_fwerror_is_one_case(world: World) -> None:
    fake = world.fake
    async with world.bot(button_rate=Rate(1000, 60.0)) as bot:
        await fake.slash_command("fwerror", {"query": RATE_LIMIT_PASTE})
        answer = (await fake.wait_for_request("POST", CALLBACK)).response["resource"]["message"]
        offers = []
        for user in (fake.user, fake.world.owner, fake.user):
            await fake.click_button(answer, _buttons(answer)["Didn't help"], user=user)
            offers.append(await _offer(fake))
        said = []
        pressers = (fake.user, fake.world.owner, fake.world.owner)
        for user, offer in zip(pressers, offers, strict=True):
            await fake.click_button(offer, _buttons(offer)["Talk to a human"], user=user)
            said.append((await told(fake))["content"])
        await fake.click_button(answer, _buttons(answer)["Talk to a human"])
        said.append((await told(fake))["content"])

        # One case, carrying the real decision, not "unmatched / (see the answer)".
        posts = await _queue_posts(fake, world)
        assert [p["embeds"][0]["title"] for p in posts] == [posts[0]["embeds"][0]["title"]]
        assert "moderators' queue" in said[0]
        assert all("already with a human" in later for later in said[1:])
        [post] = posts
        embed = post["embeds"][0]
        assert embed["title"].startswith("Needs a human: 429 Too Many Requests")
        assert embed["footer"]["text"] == "entry 429-rate-limit"
        assert "rate limit exceeded" in embed["description"]
        [row] = await _stored_escalations(bot, fake, 1)
        assert row["key"] == int(answer["id"])
        assert row["author_id"] == int(fake.user["id"])


async def test_forget_me_finds_cases_about_my_paste_whoever_pressed(world: World) -> None:
    fake = world.fake
    alice, owner = fake.user, fake.world.owner
    async with world.bot(button_rate=Rate(1000, 60.0)) as bot:
        paste, reply = await world.answered(RATE_LIMIT_PASTE)
        # The owner (B) asks for a human about alice's (A's) paste.
        await fake.click_button(reply, _buttons(reply)["Talk to a human"], user=owner)
        await told(fake)
        [post] = await _queue_posts(fake, world)
        await _stored_escalations(bot, fake, 1)

        # B forgets: A's case stays, without B's id, and its post no longer names B.
        await world.forget_requests()
        await fake.slash_command("fwerror-forget-me", user=owner)
        await fake.wait_for_request("POST", CALLBACK)
        done = await fake.wait_for_request("POST", FOLLOWUP)
        [row] = await _escalations(bot)
        assert (row.get("author_id"), row["reporter_id"]) == (int(alice["id"]), None)
        assert "0 escalation(s) about your messages" in done.json["content"]
        assert "removed your name from 1 escalation(s)" in done.json["content"]
        fields = {f["name"]: f["value"] for f in post["embeds"][0]["fields"]}
        assert fields["Reported by"] == f"<@{owner['id']}>"
        assert fields["Paste by"] == f"<@{alice['id']}>"
        queue_post = rf"/channels/{world.queue['id']}/messages/{post['id']}"
        edited = await fake.wait_for_request("PATCH", queue_post)
        assert owner["id"] not in str(edited.json)
        assert f"<@{alice['id']}>" in str(edited.json)
        await fake.expect_no_request("DELETE", queue_post)

        # A forgets: the case and its queue post go, though A never pressed anything.
        await world.forget_requests()
        await fake.slash_command("fwerror-forget-me", user=alice)
        await fake.wait_for_request("POST", CALLBACK)
        done = await fake.wait_for_request("POST", FOLLOWUP)
        assert "1 escalation(s) about your messages with their 1 post(s)" in done.json["content"]
        await fake.wait_for_request("DELETE", queue_post)
        assert await _escalations(bot) == []
        assert bot.answers.get(int(reply["id"])) is None
        assert paste["id"] not in str(fake.world.messages.get(post["id"], ""))
