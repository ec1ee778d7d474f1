"""A plain discord.py commands.Bot, unmodified, against FakeDiscord over 127.0.0.1.

These prove the fake is faithful enough for the bot's end-to-end tests: whatever passes here
passed through discord.py's real HTTP client, gateway state machine and interaction code.
"""

from __future__ import annotations

import asyncio
import io
import json
import types
import zlib

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands

from tests.fake_discord import FakeDiscord, redirected, running
from tests.fake_discord.gateway import Op
from tests.fake_discord.payloads import (
    BOT_PERMISSIONS,
    CallbackType,
    Intent,
    MessageFlag,
    Permission,
)

MESSAGES = r"/channels/\d+/messages"
CALLBACK = r"/interactions/\d+/[^/]+/callback"
FOLLOWUP = r"/webhooks/\d+/[^/]+"
CODES = ("400", "404", "429", "500", "502")


@app_commands.command(name="fwerror", description="Explain a Fireworks API error")
async def fwerror(interaction: discord.Interaction, code: str, slow: bool = False) -> None:
    if slow:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send(f"{code}: explained after thinking")
    else:
        await interaction.response.send_message(f"{code}: explained")


@fwerror.autocomplete("code")
async def code_choices(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=code, value=code) for code in CODES if code.startswith(current)
    ]


@app_commands.command(name="retry", description="Answer, then revise and withdraw the answer")
async def retry(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("draft")
    await interaction.edit_original_response(content="final")
    fetched = await interaction.original_response()
    await interaction.followup.send(f"original now says {fetched.content}")
    await interaction.delete_original_response()


async def explain_message(interaction: discord.Interaction, message: discord.Message) -> None:
    await interaction.response.send_message(f"you pointed at {message.content!r}", ephemeral=True)


class EscalateView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)

    @discord.ui.button(label="Escalate", custom_id="fwerror:escalate")
    async def escalate(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message("escalated to support", ephemeral=True)


class EchoBot(commands.Bot):
    """The shapes fwerror needs: replies with a button, a slash command, a context menu."""

    def __init__(self, *, message_content: bool = True) -> None:
        intents = discord.Intents.default()
        intents.message_content = message_content
        super().__init__(
            command_prefix="!",
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=0.1,
        )
        self.seen: asyncio.Queue[discord.Message] = asyncio.Queue()

    async def setup_hook(self) -> None:
        self.tree.add_command(fwerror)
        self.tree.add_command(retry)
        self.tree.add_command(
            app_commands.ContextMenu(name="Explain error", callback=explain_message)
        )
        self.add_view(EscalateView())
        await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        self.seen.put_nowait(message)
        if message.author.bot:
            return
        await message.reply(f"echo: {message.content}", view=EscalateView())

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py sleeps 5 s before re-identifying; nothing here rate-limits identifies."""


class SleeplessAsyncio(types.ModuleType):
    """asyncio as discord.http sees it, with the 1-9 s back-off between 5xx retries cut short."""

    def __getattr__(self, name: str) -> object:
        return getattr(asyncio, name)

    @staticmethod
    async def sleep(delay: float, result: object = None) -> object:
        return await asyncio.sleep(min(delay, 0.01), result)


async def next_message(bot: EchoBot, *, by_bot: bool) -> discord.Message:
    async with asyncio.timeout(5):
        while True:
            message = await bot.seen.get()
            if message.author.bot == by_bot:
                return message


async def test_bot_becomes_ready_with_the_guild_as_discord_describes_it(
    fake_discord: FakeDiscord,
) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        guild = bot.get_guild(int(fake_discord.guild.id))
        assert bot.user is not None and bot.user.id == int(fake_discord.bot_user["id"])
        assert bot.application_id == int(fake_discord.application_id)
        assert guild is not None and guild.me is not None
        assert guild.get_channel(int(fake_discord.guild.text_channel["id"])).name == "help"
        post = guild.get_thread(int(fake_discord.guild.forum_post["id"]))
        assert isinstance(post.parent, discord.ForumChannel)
        assert guild.me.guild_permissions.manage_messages
        assert guild.me.guild_permissions.create_public_threads
    assert fake_discord.intents == discord.Intents.default().value | Intent.MESSAGE_CONTENT


async def test_reply_carries_reference_and_allowed_mentions_and_comes_back(
    fake_discord: FakeDiscord,
) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        sent = await fake_discord.post_message("my request fails with 502")
        request = await fake_discord.wait_for_request("POST", MESSAGES)
        echoed = await next_message(bot, by_bot=True)

    assert request.status == 200
    assert request.json["content"] == "echo: my request fails with 502"
    assert str(request.json["message_reference"]["message_id"]) == sent["id"]
    assert request.json["allowed_mentions"] == {"parse": []}
    assert request.json["components"][0]["components"][0]["custom_id"] == "fwerror:escalate"
    assert echoed.id == int(request.response["id"])
    assert echoed.reference is not None and echoed.reference.message_id == int(sent["id"])


async def test_slash_command_is_synced_and_answered(fake_discord: FakeDiscord) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        sync = await fake_discord.wait_for_request("PUT", r"/applications/\d+/commands")
        interaction = await fake_discord.slash_command("fwerror", {"code": "502"})
        callback = await fake_discord.wait_for_request("POST", CALLBACK)

    assert {command["name"] for command in sync.json} == {"fwerror", "retry", "Explain error"}
    assert all(command["id"] for command in sync.response)
    assert callback.path == f"/interactions/{interaction['id']}/{interaction['token']}/callback"
    assert callback.query == {"with_response": "1"}
    assert callback.json == {
        "type": CallbackType.CHANNEL_MESSAGE_WITH_SOURCE,
        "data": callback.json["data"],
    }
    assert callback.json["data"]["content"] == "502: explained"
    assert callback.response["resource"]["message"]["content"] == "502: explained"


async def test_deferred_command_is_completed_by_its_followup(fake_discord: FakeDiscord) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        await fake_discord.slash_command("fwerror", {"code": "500", "slow": True})
        deferral = await fake_discord.wait_for_request("POST", CALLBACK)
        followup = await fake_discord.wait_for_request("POST", FOLLOWUP)

    assert deferral.json["type"] == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert deferral.response["interaction"]["response_message_loading"] is True
    assert followup.query["wait"] == "1"
    assert followup.json["content"] == "500: explained after thinking"
    # The first followup after a deferral replaces the "thinking" message instead of adding one.
    assert followup.response["id"] == deferral.response["resource"]["message"]["id"]
    assert not followup.response["flags"] & MessageFlag.LOADING


async def test_original_response_can_be_edited_fetched_and_deleted(
    fake_discord: FakeDiscord,
) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        await fake_discord.slash_command("retry")
        callback = await fake_discord.wait_for_request("POST", CALLBACK)
        edit = await fake_discord.wait_for_request("PATCH", FOLLOWUP + "/messages/@original")
        fetch = await fake_discord.wait_for_request("GET", FOLLOWUP + "/messages/@original")
        followup = await fake_discord.wait_for_request("POST", FOLLOWUP)
        delete = await fake_discord.wait_for_request("DELETE", FOLLOWUP + "/messages/@original")

    original_id = callback.response["resource"]["message"]["id"]
    assert edit.response["id"] == fetch.response["id"] == original_id
    assert fetch.response["content"] == "final"
    assert followup.json["content"] == "original now says final"
    assert followup.response["id"] != original_id
    assert delete.status == 204 and original_id not in fake_discord.world.messages


async def test_autocomplete_answers_with_choices(fake_discord: FakeDiscord) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        await fake_discord.autocomplete("fwerror", "code", {"code": "5"})
        callback = await fake_discord.wait_for_request("POST", CALLBACK)

    assert callback.json["type"] == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT
    assert callback.json["data"]["choices"] == [
        {"name": "500", "value": "500"},
        {"name": "502", "value": "502"},
    ]


async def test_message_context_menu_receives_the_target_message(fake_discord: FakeDiscord) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        target = await fake_discord.post_message("Error code: 429 - rate limited")
        await fake_discord.wait_for_request("POST", MESSAGES)
        await fake_discord.message_command("Explain error", target)
        callback = await fake_discord.wait_for_request("POST", CALLBACK)

    assert callback.json["data"]["content"] == "you pointed at 'Error code: 429 - rate limited'"
    assert callback.json["data"]["flags"] == MessageFlag.EPHEMERAL


async def test_button_on_the_bots_reply_is_delivered_to_its_view(fake_discord: FakeDiscord) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        await fake_discord.post_message("help")
        reply = await fake_discord.wait_for_request("POST", MESSAGES)
        await fake_discord.click_button(reply.response, "fwerror:escalate")
        callback = await fake_discord.wait_for_request("POST", CALLBACK)
        await fake_discord.expect_no_request("POST", MESSAGES)

    assert callback.json["data"]["content"] == "escalated to support"
    with pytest.raises(LookupError):
        await fake_discord.click_button(reply.response, "no-such-button")


async def test_dropped_connection_is_resumed_and_missed_events_replayed(
    fake_discord: FakeDiscord,
) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        identify = await fake_discord.wait_for_gateway(Op.IDENTIFY)
        await fake_discord.drop_connection()
        await fake_discord.post_message("sent while the bot was away")
        resume = await fake_discord.wait_for_gateway(Op.RESUME)
        missed = await fake_discord.wait_for_request("POST", MESSAGES)
        await fake_discord.post_message("sent after the resume")
        after = await fake_discord.wait_for_request("POST", MESSAGES)

    assert resume.d["token"] == identify.d["token"]
    assert resume.d["session_id"] in fake_discord.gateway.sessions
    assert missed.json["content"] == "echo: sent while the bot was away"
    assert after.json["content"] == "echo: sent after the resume"
    assert [r.op for r in fake_discord.gateway.received.entries].count(Op.IDENTIFY) == 1


async def test_invalidated_session_makes_the_client_identify_again(
    fake_discord: FakeDiscord,
) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        await fake_discord.wait_for_gateway(Op.IDENTIFY)
        await fake_discord.invalidate_session()
        await fake_discord.wait_for_gateway(Op.IDENTIFY)
        await bot.wait_for("ready", timeout=5)
        await fake_discord.post_message("still there?")
        reply = await fake_discord.wait_for_request("POST", MESSAGES)

    assert reply.json["content"] == "echo: still there?"
    assert len(fake_discord.gateway.sessions) == 2


async def test_rate_limited_message_is_retried_after_retry_after(fake_discord: FakeDiscord) -> None:
    fake_discord.fail_next("POST", MESSAGES, 429, retry_after=0.05)
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        await fake_discord.post_message("hello")
        limited = await fake_discord.wait_for_request("POST", MESSAGES)
        retried = await fake_discord.wait_for_request("POST", MESSAGES)
        await next_message(bot, by_bot=True)

    assert (limited.status, retried.status) == (429, 200)
    assert limited.response["retry_after"] == 0.05
    assert retried.json["content"] == "echo: hello"


async def test_server_errors_surface_as_discord_server_error(
    fake_discord: FakeDiscord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """discord.py 2.7.1 retries 500, 502, 504 and 524 on a 1, 3, 5, 7, 9 s back-off (5 tries,
    25 s) before raising DiscordServerError; any other 5xx (e.g. 503) is raised at once."""
    monkeypatch.setattr(discord.http, "asyncio", SleeplessAsyncio("asyncio"))
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        channel = bot.get_channel(int(fake_discord.guild.text_channel["id"]))
        fake_discord.fail_next("POST", MESSAGES, 503)
        with pytest.raises(discord.DiscordServerError) as unavailable:
            await channel.send("first")
        await fake_discord.wait_for_request("POST", MESSAGES)
        await fake_discord.expect_no_request("POST", MESSAGES)

        fake_discord.fail_next("POST", MESSAGES, 500, times=5)
        with pytest.raises(discord.DiscordServerError) as internal:
            await channel.send("second")
        attempts = [await fake_discord.wait_for_request("POST", MESSAGES) for _ in range(5)]
        await fake_discord.expect_no_request("POST", MESSAGES)

    assert unavailable.value.status == 503
    assert internal.value.status == 500
    assert [a.status for a in attempts] == [500] * 5


async def test_refused_message_content_intent_closes_with_4014(fake_discord: FakeDiscord) -> None:
    fake_discord.world.privileged_intents = Intent.GUILD_MEMBERS | Intent.GUILD_PRESENCES
    with pytest.raises(discord.PrivilegedIntentsRequired):
        async with running(EchoBot(), fake_discord.token):
            pass
    application = await fake_discord.wait_for_request("GET", "/oauth2/applications/@me")
    assert application.response["flags"] & (1 << 18) == 0


async def test_without_message_content_intent_content_is_blank_unless_mentioned(
    fake_discord: FakeDiscord,
) -> None:
    bot = EchoBot(message_content=False)
    async with running(bot, fake_discord.token):
        await fake_discord.post_message("a secret traceback")
        blank = await next_message(bot, by_bot=False)
        await fake_discord.post_message(f"<@{fake_discord.bot_user['id']}> look at this")
        mentioned = await next_message(bot, by_bot=False)
        replies = [await fake_discord.wait_for_request("POST", MESSAGES) for _ in range(2)]

    assert blank.content == ""
    assert mentioned.content.endswith("look at this")
    assert [r.json["content"] for r in replies] == ["echo: ", f"echo: {mentioned.content}"]


async def test_message_over_2000_characters_is_rejected_like_discord(
    fake_discord: FakeDiscord,
) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        channel = bot.get_channel(int(fake_discord.guild.text_channel["id"]))
        with pytest.raises(discord.HTTPException) as rejected:
            await channel.send("x" * 2001)

    assert (rejected.value.status, rejected.value.code) == (400, 50035)
    assert "content" in rejected.value.text


async def test_bot_can_fetch_edit_react_to_and_delete_its_messages(
    fake_discord: FakeDiscord,
) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        channel = await bot.fetch_channel(int(fake_discord.guild.text_channel["id"]))
        member = await channel.guild.fetch_member(int(fake_discord.user["id"]))
        sent = await channel.send("first draft")
        fetched = await channel.fetch_message(sent.id)
        edited_event = asyncio.ensure_future(bot.wait_for("message_edit", timeout=5))
        await sent.edit(content="second draft")
        before, after = await edited_event
        reacted_event = asyncio.ensure_future(bot.wait_for("raw_reaction_add", timeout=5))
        await sent.add_reaction("\N{WHITE HEAVY CHECK MARK}")
        reaction = await fake_discord.wait_for_request("PUT", MESSAGES + r"/\d+/reactions/.+/@me")
        reacted = await reacted_event
        deleted_event = asyncio.ensure_future(bot.wait_for("raw_message_delete", timeout=5))
        await sent.delete()
        deleted = await deleted_event

    assert member.name == "alice"
    assert fetched.content == "first draft"
    assert (before.content, after.content) == ("first draft", "second draft")
    assert reaction.status == 204 and reaction.path.endswith("/\N{WHITE HEAVY CHECK MARK}/@me")
    assert (reacted.message_id, reacted.user_id) == (sent.id, bot.user.id)
    assert deleted.message_id == sent.id


async def test_a_second_message_with_one_enforced_nonce_is_the_first_again(
    fake_discord: FakeDiscord,
) -> None:
    """Discord's Create Message: with `enforce_nonce`, a nonce the author used in the past few
    minutes returns that message and creates none; without it, each post is a new message."""
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        channel = await bot.fetch_channel(int(fake_discord.guild.text_channel["id"]))
        first = await channel.send("one answer", nonce="a42")
        again = await channel.send("the same answer, from a second worker", nonce="a42")
        other = await channel.send("another answer", nonce="a43")
        created = [
            m for m in fake_discord.world.messages.values() if m["author"]["id"] == str(bot.user.id)
        ]

    assert again.id == first.id and again.content == "one answer"
    assert other.id != first.id
    assert [m["content"] for m in created] == ["one answer", "another answer"]


async def test_permissions_follow_the_bot_role(fake_discord: FakeDiscord) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        guild = bot.get_guild(int(fake_discord.guild.id))
        message = await fake_discord.post_message("spam")
        await fake_discord.wait_for_request("POST", MESSAGES)
        await fake_discord.set_bot_permissions(BOT_PERMISSIONS & ~Permission.MANAGE_MESSAGES)
        await bot.wait_for("guild_role_update", timeout=5)
        channel = guild.get_channel(int(message["channel_id"]))
        with pytest.raises(discord.Forbidden):
            await channel.get_partial_message(int(message["id"])).delete()

        assert not guild.me.guild_permissions.manage_messages


async def test_threads_from_a_message_and_in_a_forum(fake_discord: FakeDiscord) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        guild = bot.get_guild(int(fake_discord.guild.id))
        question = await fake_discord.post_message("why 502?")
        await fake_discord.wait_for_request("POST", MESSAGES)
        channel = guild.get_channel(int(question["channel_id"]))
        created = asyncio.ensure_future(bot.wait_for("thread_create", timeout=5))
        thread = await channel.get_partial_message(int(question["id"])).create_thread(
            name="502 help"
        )
        await created
        forum = guild.get_channel(int(fake_discord.guild.forum_channel["id"]))
        post = await forum.create_thread(name="429 help", content="Rate limits explained")

    assert thread.id == int(question["id"]) == created.result().id
    assert thread.type is discord.ChannelType.public_thread
    assert post.thread.parent_id == forum.id
    assert post.message.id == post.thread.id and post.message.content == "Rate limits explained"


async def test_files_are_uploaded_as_multipart_and_served_back(fake_discord: FakeDiscord) -> None:
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        channel = bot.get_channel(int(fake_discord.guild.text_channel["id"]))
        sent = await channel.send(
            "log attached", file=discord.File(io.BytesIO(b"Traceback: 502"), "log.txt")
        )
        upload = await fake_discord.wait_for_request("POST", MESSAGES)
        downloaded = await sent.attachments[0].read()

    assert upload.json["content"] == "log attached"
    assert [(f.filename, f.data) for f in upload.files] == [("log.txt", b"Traceback: 502")]
    assert downloaded == b"Traceback: 502"


async def test_attachment_downloads_can_fail_or_be_truncated(fake_discord: FakeDiscord) -> None:
    whole = fake_discord.attachment("error.log", b"HTTP 502 Bad Gateway\n" * 50)
    cut = fake_discord.attachment("cut.log", b"HTTP 502 Bad Gateway\n" * 50, truncate_to=30)
    fake_discord.fail_next("GET", r"/attachments/.*/error\.log", 500)
    bot = EchoBot()
    async with running(bot, fake_discord.token):
        message = await fake_discord.post_message("see logs", attachments=[whole, cut])
        received = await next_message(bot, by_bot=False)
        await fake_discord.wait_for_request("POST", MESSAGES)
        with pytest.raises(discord.HTTPException) as failed:
            await received.attachments[0].read()
        assert await received.attachments[0].read() == b"HTTP 502 Bad Gateway\n" * 50
        with pytest.raises(aiohttp.ClientPayloadError):
            await received.attachments[1].read()

    assert received.id == int(message["id"])
    assert received.attachments[1].size == len(b"HTTP 502 Bad Gateway\n" * 50)
    assert failed.value.status == 500


@pytest.mark.parametrize("compression", [None, "zlib-stream"])
async def test_gateway_speaks_plain_and_zlib_stream_json(
    fake_discord: FakeDiscord, compression: str | None
) -> None:
    inflate = zlib.decompressobj()
    query = {"v": "10", "encoding": "json"} | ({"compress": compression} if compression else {})

    async def receive(ws: aiohttp.ClientWebSocketResponse) -> dict:
        frame = await ws.receive(timeout=5)
        if compression is None:
            assert frame.type is aiohttp.WSMsgType.TEXT
            return json.loads(frame.data)
        assert frame.type is aiohttp.WSMsgType.BINARY and frame.data.endswith(b"\x00\x00\xff\xff")
        return json.loads(inflate.decompress(frame.data))

    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(fake_discord.gateway_url, params=query) as ws,
    ):
        hello = await receive(ws)
        await ws.send_json({"op": Op.IDENTIFY, "d": {"token": fake_discord.token, "intents": 513}})
        ready, guild_create = await receive(ws), await receive(ws)
        await ws.send_json({"op": Op.HEARTBEAT, "d": 2})
        ack = await receive(ws)

    assert hello["op"] == Op.HELLO and hello["d"]["heartbeat_interval"] > 0
    assert (ready["t"], ready["s"]) == ("READY", 1)
    assert ready["d"]["resume_gateway_url"] == fake_discord.gateway_url
    assert (guild_create["t"], guild_create["s"]) == ("GUILD_CREATE", 2)
    assert ack["op"] == Op.HEARTBEAT_ACK


async def test_fake_runs_outside_pytest_fixtures() -> None:
    async with FakeDiscord(privileged_intents=0) as fake:
        with redirected(fake), pytest.raises(discord.PrivilegedIntentsRequired):
            async with running(EchoBot(), fake.token):
                pass
        assert discord.http.Route.BASE == "https://discord.com/api/v10"
