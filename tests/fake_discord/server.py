"""FakeDiscord: REST, gateway and attachment files on one 127.0.0.1 port, plus a test's verbs.

    async with FakeDiscord() as fake:
        ...point discord.py at fake.api_url / fake.gateway_url (see client.py)...
        await fake.post_message("my request fails with 502")
        reply = await fake.wait_for_request("POST", r"/channels/\\d+/messages")

The verbs (`post_message`, `slash_command`, `click_button`, ...) act as a Discord user would, so
they only allow what a user could do: invoke a synced command, click a button that exists.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from typing import Any, Self

from aiohttp import web

from tests.fake_discord import payloads
from tests.fake_discord.cdn import Cdn
from tests.fake_discord.gateway import Gateway, Op, Received
from tests.fake_discord.payloads import (
    BOT_PERMISSIONS,
    JSON,
    PRIVILEGED_INTENTS,
    CommandType,
    ComponentType,
    InteractionType,
    OptionType,
)
from tests.fake_discord.rest import API, Recorded, Rest
from tests.fake_discord.world import Guild, InteractionState, World


class FakeDiscord:
    def __init__(
        self,
        *,
        token: str | None = None,
        privileged_intents: int = PRIVILEGED_INTENTS,
        bot_permissions: int = BOT_PERMISSIONS,
        heartbeat_interval_ms: int = 5000,
    ) -> None:
        # Shaped like a bot token, random per fake, so a real one is never needed or leaked.
        self.token = (
            token
            or f"{secrets.token_urlsafe(18)}.{secrets.token_urlsafe(4)}.{secrets.token_urlsafe(27)}"
        )
        self.world = World(
            token=self.token, privileged_intents=privileged_intents, bot_permissions=bot_permissions
        )
        self.gateway = Gateway(self.world, heartbeat_interval_ms=heartbeat_interval_ms)
        self.cdn = Cdn(self.world.new_id)
        self.rest = Rest(self.world, self.gateway, self.cdn)
        self.origin = ""
        self._runner: web.AppRunner | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self.rest.middleware])
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{path:.+}", self.cdn.serve)
        app.add_routes(self.rest.routes())
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.origin = f"http://{host}:{port}"
        self.cdn.origin = self.origin
        self.gateway.url = f"ws://{host}:{port}/gateway"

    async def close(self) -> None:
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def api_url(self) -> str:
        """What `discord.http.Route.BASE` must be."""
        return self.origin + API

    @property
    def gateway_url(self) -> str:
        """What `DiscordWebSocket.DEFAULT_GATEWAY` must be (as a yarl.URL)."""
        return self.gateway.url

    # -- the cast -------------------------------------------------------------------------------

    @property
    def bot_user(self) -> JSON:
        return self.world.bot_user

    @property
    def user(self) -> JSON:
        """alice: a member with only @everyone, the default author of messages and commands."""
        return self.world.user

    @property
    def guild(self) -> Guild:
        return self.world.guild

    @property
    def application_id(self) -> str:
        return self.world.application_id

    @property
    def intents(self) -> int | None:
        """Intents of the last IDENTIFY, or None if the client never identified."""
        identifies = [r.d for r in self.gateway.received.entries if r.op == Op.IDENTIFY]
        return int(identifies[-1].get("intents", 0)) if identifies else None

    # -- observing the client -------------------------------------------------------------------

    @property
    def requests(self) -> list[Recorded]:
        return self.rest.requests.entries

    async def wait_for_request(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        predicate: Callable[[Recorded], bool] | None = None,
        timeout: float = 5.0,
    ) -> Recorded:
        """The next not-yet-awaited request matching method, path (a regex, full match, without
        /api/v10) and predicate, waiting for it to arrive and be answered."""
        match = _request_matcher(method, path, predicate)
        return await self.rest.requests.wait_for(match, timeout, f"request {method} {path}")

    async def expect_no_request(
        self, method: str | None = None, path: str | None = None, *, within: float = 0.3
    ) -> None:
        """Fail if a matching request arrives (or already arrived unawaited) within `within` s."""
        await self.rest.requests.wait_quiet(within)
        extra = self.rest.requests.unclaimed(_request_matcher(method, path, None))
        assert not extra, f"unexpected requests: {[str(r) for r in extra]}"

    def forget_requests(self) -> None:
        """Count every request so far as awaited, so later waits see only new traffic."""
        self.rest.requests.claim_all()

    async def settle(self, quiet: float = 0.3) -> None:
        """Wait until the client has made no request for `quiet` seconds."""
        await self.rest.requests.wait_quiet(quiet)

    async def wait_for_gateway(self, op: int, *, timeout: float = 5.0) -> Received:
        """The next not-yet-awaited payload the client sent with this opcode."""
        return await self.gateway.received.wait_for(
            lambda r: r.op == op, timeout, f"gateway {Op(op).name}"
        )

    # -- controlling the fake -------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int = 1,
        retry_after: float | None = None,
        code: int | None = None,
        message: str | None = None,
    ) -> None:
        """Answer the next `times` matching requests with a Discord-shaped error.

        `path` is a regex matched in full against the path without /api/v10 (attachment paths
        too). A 429 carries Via, Retry-After, X-RateLimit-* and `retry_after` like Discord's.
        """
        self.rest.fail_next(
            method, path, status, times=times, retry_after=retry_after, code=code, message=message
        )

    async def dispatch(self, event: str, data: JSON) -> None:
        await self.gateway.dispatch(event, data)

    async def drop_connection(self, code: int = 4000) -> None:
        await self.gateway.drop_connection(code)

    async def invalidate_session(self, *, resumable: bool = False) -> None:
        await self.gateway.invalidate_session(resumable=resumable)

    async def set_bot_permissions(self, permissions: int) -> None:
        """Change the bot role's permissions, live (GUILD_ROLE_UPDATE) if a client is connected."""
        role = self.guild.bot_role
        role["permissions"] = str(int(permissions))
        await self.gateway.dispatch("GUILD_ROLE_UPDATE", {"guild_id": self.guild.id, "role": role})

    def attachment(
        self,
        filename: str,
        data: bytes,
        *,
        content_type: str | None = None,
        truncate_to: int | None = None,
        channel: JSON | None = None,
    ) -> JSON:
        """An attachment object whose url serves `data` (or only `truncate_to` bytes of it)."""
        channel_id = (channel or self.guild.text_channel)["id"]
        return self.cdn.add(
            filename,
            data,
            channel_id=channel_id,
            content_type=content_type,
            truncate_to=truncate_to,
        )

    # -- acting as a user -----------------------------------------------------------------------

    async def post_message(
        self,
        content: str = "",
        *,
        channel: JSON | None = None,
        author: JSON | None = None,
        attachments: list[JSON] | None = None,
        embeds: list[JSON] | None = None,
        reply_to: JSON | None = None,
        **fields: Any,
    ) -> JSON:
        """A user posts a message (MESSAGE_CREATE); extra `fields` (webhook_id, type) override."""
        target = channel or self.guild.text_channel
        body: JSON = {"content": content, "embeds": embeds or []}
        if reply_to is not None:
            body["message_reference"] = {"message_id": reply_to["id"]}
        message = self.world.new_message(
            target, author or self.user, body, attachments=attachments, **fields
        )
        await self.rest.announce("MESSAGE_CREATE", message)
        return message

    async def edit_message(
        self, message: JSON, content: str | None = None, *, attachments: list[JSON] | None = None
    ) -> JSON:
        """Its author edits a message: MESSAGE_UPDATE carries the whole message, as on Discord."""
        body: JSON = {} if content is None else {"content": content}
        edited = self.world.edit_message(message, body, attachments=attachments)
        await self.rest.announce("MESSAGE_UPDATE", edited)
        return edited

    async def slash_command(
        self, name: str, options: Mapping[str, Any] | None = None, **context: Any
    ) -> JSON:
        """Invoke a synced chat-input command; option types come from the synced schema."""
        command = self.world.command_named(name, CommandType.CHAT_INPUT, self.guild.id)
        # An attachment option is given as the attachment object (`attachment()`); Discord
        # sends its id as the value and the object in resolved.attachments.
        files = {k: v for k, v in (options or {}).items() if isinstance(v, dict)}
        values = {k: v["id"] if k in files else v for k, v in (options or {}).items()}
        data = payloads.slash_command_data(
            command["id"],
            name,
            self._options(command, values),
            guild_id=command.get("guild_id"),
        )
        if files:
            data["resolved"] = {"attachments": {f["id"]: f for f in files.values()}}
        return await self.interact(InteractionType.APPLICATION_COMMAND, data, **context)

    async def autocomplete(
        self, name: str, focused: str, options: Mapping[str, Any], **context: Any
    ) -> JSON:
        """The user is typing option `focused` of command `name`; `options` holds what is typed."""
        command = self.world.command_named(name, CommandType.CHAT_INPUT, self.guild.id)
        if focused not in options:
            raise LookupError(f"the focused option {focused!r} must be among the typed options")
        typed = self._options(command, options)
        for option in typed:
            if option["name"] == focused:
                option["focused"] = True
        data = payloads.slash_command_data(
            command["id"], name, typed, guild_id=command.get("guild_id")
        )
        return await self.interact(
            InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE, data, **context
        )

    async def message_command(self, name: str, target: JSON, **context: Any) -> JSON:
        """Right-click `target` > Apps > `name`."""
        command = self.world.command_named(name, CommandType.MESSAGE, self.guild.id)
        data = payloads.message_command_data(
            command["id"], name, target, guild_id=command.get("guild_id")
        )
        return await self.interact(InteractionType.APPLICATION_COMMAND, data, **context)

    async def click_button(self, message: JSON, custom_id: str, **context: Any) -> JSON:
        buttons = [
            child.get("custom_id")
            for row in message.get("components", [])
            for child in row.get("components", [])
        ]
        if custom_id not in buttons:
            raise LookupError(f"message {message['id']} has no button {custom_id!r}: {buttons}")
        return await self.interact(
            InteractionType.MESSAGE_COMPONENT,
            payloads.button_data(custom_id),
            message=message,
            channel=self.world.channels[message["channel_id"]],
            **context,
        )

    async def choose(
        self, message: JSON, custom_id: str, values: list[str], **context: Any
    ) -> JSON:
        """Pick `values` in the string select `custom_id` of `message`."""
        selects = {
            child.get("custom_id"): child
            for row in message.get("components", [])
            for child in row.get("components", [])
            if child.get("type") == ComponentType.STRING_SELECT
        }
        if custom_id not in selects:
            raise LookupError(f"message {message['id']} has no select {custom_id!r}: {selects}")
        offered = {option["value"] for option in selects[custom_id].get("options", [])}
        if not set(values) <= offered:
            raise LookupError(f"select {custom_id!r} offers no {sorted(set(values) - offered)}")
        return await self.interact(
            InteractionType.MESSAGE_COMPONENT,
            payloads.select_data(custom_id, values),
            message=message,
            channel=self.world.channels[message["channel_id"]],
            **context,
        )

    async def interact(
        self,
        type: int,
        data: JSON,
        *,
        user: JSON | None = None,
        channel: JSON | None = None,
        message: JSON | None = None,
    ) -> JSON:
        """Dispatch INTERACTION_CREATE from `user` (default alice) in `channel`; returns it."""
        invoker = user or self.user
        guild_id = self.guild.id
        member = self.world.member(guild_id, invoker["id"])
        if member is None:
            raise LookupError(f"{invoker['username']} is not a member of the guild")
        interaction = payloads.interaction(
            self.world.new_id(),
            type=type,
            token=f"aW50ZXJhY3Rpb246{secrets.token_urlsafe(48)}",
            application_id=self.application_id,
            guild_id=guild_id,
            channel=channel or self.guild.text_channel,
            member=member,
            member_permissions=self.world.permissions(guild_id, invoker["id"]),
            app_permissions=self.world.permissions(guild_id, self.bot_user["id"]),
            data=data,
            message=message,
        )
        self.world.interactions[interaction["token"]] = InteractionState(interaction)
        await self.gateway.dispatch("INTERACTION_CREATE", interaction)
        return interaction

    @staticmethod
    def _options(command: JSON, values: Mapping[str, Any]) -> list[JSON]:
        schema = {option["name"]: option for option in command.get("options", [])}
        unknown = set(values) - set(schema)
        if unknown:
            raise LookupError(f"/{command['name']} has no option(s) {sorted(unknown)}")
        return [
            payloads.option(name, schema[name].get("type", OptionType.STRING), value)
            for name, value in values.items()
        ]


def _request_matcher(
    method: str | None, path: str | None, predicate: Callable[[Recorded], bool] | None
) -> Callable[[Recorded], bool]:
    pattern = re.compile(path) if path is not None else None

    def matches(recorded: Recorded) -> bool:
        return (
            (method is None or recorded.method == method.upper())
            and (pattern is None or bool(pattern.fullmatch(recorded.path)))
            and (predicate is None or predicate(recorded))
        )

    return matches
