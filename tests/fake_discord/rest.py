"""The REST API under /api/v10, plus request recording and fault injection for every HTTP path.

Answers are shaped like Discord's: bodies with `Content-Type: application/json` exactly (discord.py
compares the header verbatim), errors as `{"message", "code", "errors"}`, 429s with the headers
discord.py needs to retry. Every created or edited message is also dispatched over the gateway.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from aiohttp import BodyPartReader, web

from tests.fake_discord import limits, payloads
from tests.fake_discord.cdn import Cdn, Upload
from tests.fake_discord.gateway import Gateway
from tests.fake_discord.journal import Journal
from tests.fake_discord.payloads import (
    JSON,
    CallbackType,
    ChannelType,
    CommandType,
    InteractionType,
    MessageFlag,
    MessageType,
    Permission,
)
from tests.fake_discord.world import InteractionState, World

API = "/api/v10"
# Discord checks a message's nonce "in the past few minutes" (Create Message, enforce_nonce).
NONCE_SECONDS = 180.0
# Paths authenticated by the token in the URL rather than the bot token.
TOKEN_IN_PATH = re.compile(r"/(interactions/\d+|webhooks/\d+)/[^/]+")
DEFAULT_ERRORS = {
    400: (50035, "Invalid Form Body"),
    401: (0, "401: Unauthorized"),
    403: (50013, "Missing Permissions"),
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Recorded:
    """One HTTP request the client made, with what the fake answered."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any = None
    files: list[Upload] = field(default_factory=list)
    status: int = 0
    response: Any = None

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status}"


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    times: int
    retry_after: float | None
    body: JSON

    def matches(self, method: str, path: str) -> bool:
        return self.times > 0 and method == self.method and bool(self.path.fullmatch(path))


RECORDED = web.RequestKey("recorded", Recorded)


class DiscordError(Exception):
    """Raised by a handler to answer with Discord's error body."""

    def __init__(self, status: int, code: int, message: str, errors: JSON | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = payloads.error(code, message, errors)


def json_response(
    data: Any, *, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def _reject(body: JSON | None) -> None:
    """Answer 400 with `body`, a validation error from `limits`, if there is one."""
    if body is not None:
        raise DiscordError(400, body["code"], body["message"], body.get("errors"))


class Rest:
    def __init__(self, world: World, gateway: Gateway, cdn: Cdn) -> None:
        self.world = world
        self.gateway = gateway
        self.cdn = cdn
        self.requests: Journal[Recorded] = Journal()
        self.faults: list[Fault] = []

    # -- plumbing -------------------------------------------------------------------------------

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == "/gateway":
            return await handler(request)
        path = request.path.removeprefix(API)
        recorded = Recorded(request.method, path, dict(request.query), dict(request.headers))
        await self._read_body(request, recorded)
        request[RECORDED] = recorded
        try:
            response = self._fault_response(recorded) or await self._authorized(request, handler)
        except DiscordError as error:
            response = json_response(error.body, status=error.status)
        recorded.status = response.status
        if isinstance(response, web.Response) and response.content_type == "application/json":
            recorded.response = json.loads(response.body)
        self.requests.append(recorded)
        return response

    async def _read_body(self, request: web.Request, recorded: Recorded) -> None:
        if request.content_type == "application/json":
            recorded.json = await request.json()
        elif request.content_type == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                assert isinstance(part, BodyPartReader)
                if part.name == "payload_json":
                    recorded.json = json.loads(await part.text())
                elif part.filename is not None:
                    kind = part.headers.get("Content-Type", "application/octet-stream")
                    recorded.files.append(
                        Upload(part.name or "", part.filename, kind, await part.read())
                    )

    async def _authorized(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        path = request.path
        needs_bot_token = path.startswith(API) and not TOKEN_IN_PATH.match(path.removeprefix(API))
        if needs_bot_token and request.headers.get("Authorization") != f"Bot {self.world.token}":
            raise DiscordError(401, 0, "401: Unauthorized")
        return await handler(request)

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
        if status == 429:
            body: JSON = {
                "message": "You are being rate limited.",
                "retry_after": 0.1 if retry_after is None else retry_after,
                "global": False,
            }
        else:
            default_code, default_message = DEFAULT_ERRORS.get(
                status, (0, f"{status}: {HTTPStatus(status).phrase}")
            )
            body = payloads.error(
                default_code if code is None else code, message or default_message
            )
        self.faults.append(
            Fault(method.upper(), re.compile(path), status, times, retry_after, body)
        )

    def _fault_response(self, recorded: Recorded) -> web.Response | None:
        fault = next((f for f in self.faults if f.matches(recorded.method, recorded.path)), None)
        if fault is None:
            return None
        fault.times -= 1
        headers = {}
        if fault.status == 429:
            retry_after = fault.body["retry_after"]
            bucket = hashlib.sha1(re.sub(r"\d+", ":id", recorded.path).encode()).hexdigest()[:32]
            headers = {
                "Via": "1.1 google",
                "Retry-After": str(math.ceil(retry_after)),
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                "X-RateLimit-Bucket": bucket,
                "X-RateLimit-Scope": "user",
            }
        return json_response(fault.body, status=fault.status, headers=headers)

    def routes(self) -> list[web.RouteDef]:
        channel = API + "/channels/{channel_id}"
        message = channel + "/messages/{message_id}"
        webhook_message = API + "/webhooks/{app_id}/{token}/messages/{message_id}"
        return [
            web.get(API + "/users/@me", self.get_current_user),
            web.get(API + "/oauth2/applications/@me", self.get_application),
            web.get(API + "/gateway", self.get_gateway),
            web.get(API + "/gateway/bot", self.get_gateway_bot),
            web.get(API + "/applications/{app_id}/commands", self.get_commands),
            web.put(API + "/applications/{app_id}/commands", self.put_commands),
            web.get(API + "/applications/{app_id}/guilds/{guild_id}/commands", self.get_commands),
            web.put(API + "/applications/{app_id}/guilds/{guild_id}/commands", self.put_commands),
            web.get(API + "/guilds/{guild_id}/members/{user_id}", self.get_member),
            web.get(channel, self.get_channel),
            web.post(channel + "/typing", self.trigger_typing),
            web.post(channel + "/messages", self.create_message),
            web.get(message, self.get_message),
            web.patch(message, self.edit_message),
            web.delete(message, self.delete_message),
            web.put(message + "/reactions/{emoji}/@me", self.add_reaction),
            web.delete(message + "/reactions/{emoji}/@me", self.remove_reaction),
            web.post(message + "/threads", self.start_thread_from_message),
            web.post(channel + "/threads", self.start_thread),
            web.post(
                API + "/interactions/{interaction_id}/{token}/callback", self.interaction_callback
            ),
            web.post(API + "/webhooks/{app_id}/{token}", self.execute_webhook),
            web.get(webhook_message, self.get_webhook_message),
            web.patch(webhook_message, self.edit_webhook_message),
            web.delete(webhook_message, self.delete_webhook_message),
            web.route("*", API + "/{tail:.*}", self.unknown_route),
        ]

    # -- lookups --------------------------------------------------------------------------------

    def _channel(self, request: web.Request) -> JSON:
        channel = self.world.channels.get(request.match_info["channel_id"])
        if channel is None:
            raise DiscordError(404, 10003, "Unknown Channel")
        return channel

    def _message(self, request: web.Request, channel: JSON) -> JSON:
        message = self.world.messages.get(request.match_info["message_id"])
        if message is None or message["channel_id"] != channel["id"]:
            raise DiscordError(404, 10008, "Unknown Message")
        return message

    def _require(self, guild_id: str | None, needed: int) -> None:
        if not self.world.bot_can(guild_id, needed):
            raise DiscordError(403, 50013, "Missing Permissions")

    def _body(self, request: web.Request) -> JSON:
        return request[RECORDED].json or {}

    async def announce(self, event: str, message: JSON) -> None:
        """Dispatch a message event as Discord does; ephemeral messages never reach the gateway."""
        if int(message["flags"]) & MessageFlag.EPHEMERAL:
            return
        channel = self.world.channels.get(message["channel_id"], {})
        guild_id = channel.get("guild_id")
        member = self.world.member(guild_id, message["author"]["id"])
        await self.gateway.dispatch(
            event, payloads.gateway_message(message, guild_id=guild_id, member=member)
        )

    async def _announce_delete(self, message: JSON) -> None:
        self.world.messages.pop(message["id"], None)
        if int(message["flags"]) & MessageFlag.EPHEMERAL:
            return
        data = {"id": message["id"], "channel_id": message["channel_id"]}
        guild_id = self.world.channels.get(message["channel_id"], {}).get("guild_id")
        if guild_id is not None:
            data["guild_id"] = guild_id
        await self.gateway.dispatch("MESSAGE_DELETE", data)

    # -- users, application, gateway, commands -------------------------------------------------

    async def get_current_user(self, request: web.Request) -> web.Response:
        return json_response(self.world.bot_user)

    async def get_application(self, request: web.Request) -> web.Response:
        return json_response(self.world.application())

    async def get_gateway(self, request: web.Request) -> web.Response:
        return json_response({"url": self.gateway.url})

    async def get_gateway_bot(self, request: web.Request) -> web.Response:
        limit = {"total": 1000, "remaining": 999, "reset_after": 86_400_000, "max_concurrency": 1}
        return json_response({"url": self.gateway.url, "shards": 1, "session_start_limit": limit})

    def _command_scope(self, request: web.Request) -> str | None:
        if request.match_info["app_id"] != self.world.application_id:
            raise DiscordError(403, 50001, "Missing Access")
        guild_id = request.match_info.get("guild_id")
        if guild_id is not None and guild_id not in self.world.commands:
            raise DiscordError(404, 10004, "Unknown Guild")
        return guild_id

    async def get_commands(self, request: web.Request) -> web.Response:
        return json_response(self.world.commands[self._command_scope(request)])

    async def put_commands(self, request: web.Request) -> web.Response:
        scope = self._command_scope(request)
        bodies = request[RECORDED].json or []
        _reject(limits.commands_errors(bodies))
        return json_response(self.world.overwrite_commands(scope, bodies))

    async def get_member(self, request: web.Request) -> web.Response:
        member = self.world.member(request.match_info["guild_id"], request.match_info["user_id"])
        if member is None:
            raise DiscordError(404, 10007, "Unknown Member")
        return json_response(member)

    # -- channels and messages -----------------------------------------------------------------

    async def get_channel(self, request: web.Request) -> web.Response:
        return json_response(self._channel(request))

    async def trigger_typing(self, request: web.Request) -> web.Response:
        self._channel(request)
        return web.Response(status=204)

    async def create_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        body = self._body(request)
        in_thread = channel["type"] in payloads.THREAD_TYPES
        send = Permission.SEND_MESSAGES_IN_THREADS if in_thread else Permission.SEND_MESSAGES
        self._require(channel.get("guild_id"), Permission.VIEW_CHANNEL | send)
        _reject(limits.message_errors(body, has_files=bool(request[RECORDED].files)))
        reference = body.get("message_reference")
        if reference and str(reference.get("message_id")) not in self.world.messages:
            _reject(
                limits.field_error(
                    ("message_reference",), "REPLIES_UNKNOWN_MESSAGE", "Unknown message"
                )
            )
        if (earlier := self._same_nonce(body)) is not None:
            return json_response(earlier)
        message = self.world.new_message(
            channel,
            self.world.bot_user,
            body,
            attachments=self.cdn.store_uploads(request[RECORDED].files, channel["id"]),
        )
        if body.get("enforce_nonce") and body.get("nonce") is not None:
            key = (self.world.bot_user["id"], str(body["nonce"]))
            self.world.nonces[key] = (message["id"], time.monotonic())
        await self.announce("MESSAGE_CREATE", message)
        return json_response(message)

    def _same_nonce(self, body: JSON) -> JSON | None:
        """As Discord does with `enforce_nonce`: the author's message created with this nonce
        in the past few minutes, returned instead of a new one."""
        if not body.get("enforce_nonce") or body.get("nonce") is None:
            return None
        earlier = self.world.nonces.get((self.world.bot_user["id"], str(body["nonce"])))
        if earlier is None or time.monotonic() - earlier[1] > NONCE_SECONDS:
            return None
        return self.world.messages.get(earlier[0])

    async def get_message(self, request: web.Request) -> web.Response:
        return json_response(self._message(request, self._channel(request)))

    async def edit_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        if message["author"]["id"] != self.world.bot_user["id"]:
            raise DiscordError(403, 50005, "Cannot edit a message authored by another user")
        return await self._edit(request, message)

    async def _edit(self, request: web.Request, message: JSON) -> web.Response:
        body = self._body(request)
        _reject(limits.message_errors(body, edit=True))
        attachments = None
        if "attachments" in body or request[RECORDED].files:
            kept = {str(a.get("id")) for a in body.get("attachments") or []}
            attachments = [a for a in message["attachments"] if a["id"] in kept]
            attachments += self.cdn.store_uploads(request[RECORDED].files, message["channel_id"])
        self.world.edit_message(message, body, attachments=attachments)
        await self.announce("MESSAGE_UPDATE", message)
        return json_response(message)

    async def delete_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        if message["author"]["id"] != self.world.bot_user["id"]:
            self._require(channel.get("guild_id"), Permission.MANAGE_MESSAGES)
        await self._announce_delete(message)
        return web.Response(status=204)

    async def add_reaction(self, request: web.Request) -> web.Response:
        return await self._react(request, "MESSAGE_REACTION_ADD")

    async def remove_reaction(self, request: web.Request) -> web.Response:
        return await self._react(request, "MESSAGE_REACTION_REMOVE")

    async def _react(self, request: web.Request, event: str) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        guild_id = channel.get("guild_id")
        self._require(guild_id, Permission.ADD_REACTIONS | Permission.READ_MESSAGE_HISTORY)
        name, _, emoji_id = request.match_info["emoji"].partition(":")
        data: JSON = {
            "user_id": self.world.bot_user["id"],
            "channel_id": channel["id"],
            "message_id": message["id"],
            "emoji": {"id": emoji_id or None, "name": name},
            "burst": False,
            "type": 0,
        }
        if guild_id is not None:
            data["guild_id"] = guild_id
            if event == "MESSAGE_REACTION_ADD":
                data["member"] = self.world.member(guild_id, self.world.bot_user["id"])
                data["message_author_id"] = message["author"]["id"]
        await self.gateway.dispatch(event, data)
        return web.Response(status=204)

    # -- threads --------------------------------------------------------------------------------

    async def start_thread_from_message(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        message = self._message(request, channel)
        if channel["type"] != ChannelType.GUILD_TEXT:
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        self._require(channel["guild_id"], Permission.CREATE_PUBLIC_THREADS)
        if message["id"] in self.world.channels:
            raise DiscordError(400, 160004, "A thread has already been created for this message")
        body = self._body(request)
        _reject(limits.thread_name_errors(body))
        thread = self.world.create_thread(
            channel,
            body["name"],
            owner_id=self.world.bot_user["id"],
            thread_id=message["id"],
            auto_archive_duration=body.get("auto_archive_duration", 1440),
        )
        await self._announce_thread(thread)
        return json_response(thread)

    async def start_thread(self, request: web.Request) -> web.Response:
        channel = self._channel(request)
        body = self._body(request)
        if channel["type"] not in (ChannelType.GUILD_TEXT, ChannelType.GUILD_FORUM):
            raise DiscordError(400, 50024, "Cannot execute action on this channel type")
        _reject(limits.thread_name_errors(body))
        forum = channel["type"] == ChannelType.GUILD_FORUM
        needed = Permission.SEND_MESSAGES if forum else Permission.CREATE_PUBLIC_THREADS
        self._require(channel["guild_id"], Permission.VIEW_CHANNEL | needed)
        if forum:
            _reject(
                limits.message_errors(
                    body.get("message") or {}, has_files=bool(request[RECORDED].files)
                ),
            )
        thread = self.world.create_thread(
            channel,
            body["name"],
            owner_id=self.world.bot_user["id"],
            type=body.get("type", ChannelType.PUBLIC_THREAD),
            auto_archive_duration=body.get("auto_archive_duration", 1440),
        )
        await self._announce_thread(thread)
        if not forum:
            return json_response(thread)
        # A forum post is a thread whose starter message shares the thread's id.
        starter = self.world.new_message(
            thread,
            self.world.bot_user,
            body["message"],
            attachments=self.cdn.store_uploads(request[RECORDED].files, thread["id"]),
            id=thread["id"],
        )
        await self.announce("MESSAGE_CREATE", starter)
        return json_response({**thread, "message": starter})

    async def _announce_thread(self, thread: JSON) -> None:
        member = {
            "id": thread["id"],
            "user_id": self.world.bot_user["id"],
            "join_timestamp": payloads.timestamp(),
            "flags": 0,
        }
        await self.gateway.dispatch(
            "THREAD_CREATE", {**thread, "newly_created": True, "member": member}
        )

    # -- interactions ---------------------------------------------------------------------------

    def _interaction(self, request: web.Request) -> InteractionState:
        state = self.world.interactions.get(request.match_info["token"])
        expected_id = request.match_info.get("interaction_id")
        if state is None or (expected_id is not None and state.payload["id"] != expected_id):
            raise DiscordError(404, 10062, "Unknown interaction")
        return state

    def _interaction_message(
        self, state: InteractionState, body: JSON, request: web.Request
    ) -> JSON:
        """A message an interaction response or followup creates: webhook-authored, tied to it."""
        interaction = state.payload
        channel = self.world.channels[interaction["channel_id"]]
        metadata = {
            "id": interaction["id"],
            "type": interaction["type"],
            "user": interaction["member"]["user"],
            "authorizing_integration_owners": interaction["authorizing_integration_owners"],
        }
        if state.original_id is not None:
            metadata["original_response_message_id"] = state.original_id
        command_type = interaction.get("data", {}).get("type")
        if interaction["type"] == InteractionType.APPLICATION_COMMAND and state.original_id is None:
            kind = (
                MessageType.CHAT_INPUT_COMMAND
                if command_type == CommandType.CHAT_INPUT
                else MessageType.CONTEXT_MENU_COMMAND
            )
        else:
            kind = MessageType.DEFAULT
        if "message" in interaction:
            metadata["interacted_message_id"] = interaction["message"]["id"]
        message = self.world.new_message(
            channel,
            self.world.bot_user,
            {key: value for key, value in body.items() if key != "message_reference"},
            attachments=self.cdn.store_uploads(request[RECORDED].files, channel["id"]),
            webhook_id=self.world.application_id,
            application_id=self.world.application_id,
            interaction_metadata=metadata,
            type=kind,
        )
        return message

    async def interaction_callback(self, request: web.Request) -> web.Response:
        state = self._interaction(request)
        if state.callback_type is not None:
            raise DiscordError(400, 40060, "Interaction has already been acknowledged.")
        body = self._body(request)
        callback_type, data = body.get("type"), body.get("data") or {}
        resource: JSON | None = None
        if callback_type == CallbackType.APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            _reject(limits.autocomplete_errors(data))
        elif callback_type == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE:
            _reject(limits.message_errors(data, has_files=bool(request[RECORDED].files)))
            resource = self._interaction_message(state, data, request)
        elif callback_type == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            flags = MessageFlag.LOADING | (int(data.get("flags", 0)) & MessageFlag.EPHEMERAL)
            resource = self._interaction_message(state, {"flags": int(flags)}, request)
        elif callback_type == CallbackType.UPDATE_MESSAGE:
            _reject(limits.message_errors(data, edit=True))
            clicked = self.world.messages.get(state.payload["message"]["id"])
            if clicked is None:
                raise DiscordError(404, 10008, "Unknown Message")
            resource = self.world.edit_message(clicked, data)
        elif callback_type == CallbackType.DEFERRED_UPDATE_MESSAGE:
            state.original_id = state.payload["message"]["id"]
        elif callback_type != CallbackType.MODAL:
            _reject(
                limits.field_error(
                    ("type",), "BASE_TYPE_CHOICES", "Value must be one of {1, 4, 5, 6, 7, 8, 9}."
                )
            )
        state.callback_type = callback_type
        if resource is not None:
            state.original_id = resource["id"]
            event = (
                "MESSAGE_UPDATE"
                if callback_type == CallbackType.UPDATE_MESSAGE
                else "MESSAGE_CREATE"
            )
            await self.announce(event, resource)
        if request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        flags = int(resource["flags"]) if resource else 0
        answer: JSON = {
            "interaction": {
                "id": state.payload["id"],
                "type": state.payload["type"],
                "response_message_loading": bool(flags & MessageFlag.LOADING),
                "response_message_ephemeral": bool(flags & MessageFlag.EPHEMERAL),
            }
        }
        if resource is not None:
            answer["interaction"]["response_message_id"] = resource["id"]
            answer["resource"] = {"type": callback_type, "message": resource}
        return json_response(answer)

    async def execute_webhook(self, request: web.Request) -> web.Response:
        state = self._followup_target(request)
        body = self._body(request)
        _reject(limits.message_errors(body, has_files=bool(request[RECORDED].files)))
        original = self.world.messages.get(state.original_id or "")
        # The first followup after a "thinking" deferral replaces the loading message.
        if original is not None and int(original["flags"]) & MessageFlag.LOADING:
            return await self._edit(request, original)
        message = self._interaction_message(state, body, request)
        state.followup_ids.append(message["id"])
        await self.announce("MESSAGE_CREATE", message)
        if request.query.get("wait") not in ("1", "true", "True"):
            return web.Response(status=204)
        return json_response(message)

    def _followup_target(self, request: web.Request) -> InteractionState:
        state = self.world.interactions.get(request.match_info["token"])
        app_matches = request.match_info["app_id"] == self.world.application_id
        if state is None or state.callback_type is None or not app_matches:
            raise DiscordError(404, 10015, "Unknown Webhook")
        return state

    def _webhook_message(self, request: web.Request) -> JSON:
        state = self._followup_target(request)
        message_id = request.match_info["message_id"]
        if message_id == "@original":
            message_id = state.original_id or ""
        elif message_id not in state.followup_ids and message_id != state.original_id:
            message_id = ""
        message = self.world.messages.get(message_id)
        if message is None:
            raise DiscordError(404, 10008, "Unknown Message")
        return message

    async def get_webhook_message(self, request: web.Request) -> web.Response:
        return json_response(self._webhook_message(request))

    async def edit_webhook_message(self, request: web.Request) -> web.Response:
        return await self._edit(request, self._webhook_message(request))

    async def delete_webhook_message(self, request: web.Request) -> web.Response:
        await self._announce_delete(self._webhook_message(request))
        return web.Response(status=204)

    async def unknown_route(self, request: web.Request) -> web.Response:
        raise DiscordError(404, 0, "404: Not Found")
