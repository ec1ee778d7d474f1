"""Discord API v10 payloads, built field by field from the API docs.

Every builder returns plain JSON-ready dicts exactly as Discord would send them, so a bot
that handles these handles the real thing. Snowflakes are strings, timestamps ISO 8601.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterable, Mapping
from enum import IntEnum, IntFlag
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000
DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


class Permission(IntFlag):
    """The permission bits a support bot cares about (docs: Permissions)."""

    ADMINISTRATOR = 1 << 3
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_APPLICATION_COMMANDS = 1 << 31
    MANAGE_THREADS = 1 << 34
    CREATE_PUBLIC_THREADS = 1 << 35
    SEND_MESSAGES_IN_THREADS = 1 << 38


EVERYONE_PERMISSIONS = (
    Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.ADD_REACTIONS
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.USE_APPLICATION_COMMANDS
    | Permission.SEND_MESSAGES_IN_THREADS
)
# What a freshly invited support bot typically gets on top of @everyone.
BOT_PERMISSIONS = (
    EVERYONE_PERMISSIONS | Permission.MANAGE_MESSAGES | Permission.CREATE_PUBLIC_THREADS
)


class Intent(IntFlag):
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    GUILD_MESSAGE_REACTIONS = 1 << 10
    DIRECT_MESSAGES = 1 << 12
    DIRECT_MESSAGE_REACTIONS = 1 << 13
    MESSAGE_CONTENT = 1 << 15


PRIVILEGED_INTENTS = Intent.GUILD_MEMBERS | Intent.GUILD_PRESENCES | Intent.MESSAGE_CONTENT


class ApplicationFlag(IntFlag):
    GATEWAY_PRESENCE = 1 << 12
    GATEWAY_GUILD_MEMBERS = 1 << 14
    GATEWAY_MESSAGE_CONTENT = 1 << 18


class ChannelType(IntEnum):
    GUILD_TEXT = 0
    DM = 1
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    GUILD_FORUM = 15


THREAD_TYPES = frozenset({ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD})


class MessageType(IntEnum):
    DEFAULT = 0
    CHANNEL_PINNED_MESSAGE = 6
    USER_JOIN = 7
    THREAD_CREATED = 18
    REPLY = 19
    CHAT_INPUT_COMMAND = 20
    THREAD_STARTER_MESSAGE = 21
    CONTEXT_MENU_COMMAND = 23


class MessageFlag(IntFlag):
    EPHEMERAL = 1 << 6
    LOADING = 1 << 7


class InteractionType(IntEnum):
    PING = 1
    APPLICATION_COMMAND = 2
    MESSAGE_COMPONENT = 3
    APPLICATION_COMMAND_AUTOCOMPLETE = 4
    MODAL_SUBMIT = 5


class CallbackType(IntEnum):
    """Interaction callback types (docs: Interaction Response Object)."""

    PONG = 1
    CHANNEL_MESSAGE_WITH_SOURCE = 4
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5
    DEFERRED_UPDATE_MESSAGE = 6
    UPDATE_MESSAGE = 7
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT = 8
    MODAL = 9


class CommandType(IntEnum):
    CHAT_INPUT = 1
    USER = 2
    MESSAGE = 3


class OptionType(IntEnum):
    SUB_COMMAND = 1
    SUB_COMMAND_GROUP = 2
    STRING = 3
    INTEGER = 4
    BOOLEAN = 5
    USER = 6
    CHANNEL = 7
    ROLE = 8
    MENTIONABLE = 9
    NUMBER = 10
    ATTACHMENT = 11


class ComponentType(IntEnum):
    ACTION_ROW = 1
    BUTTON = 2
    STRING_SELECT = 3


class InteractionContext(IntEnum):
    GUILD = 0
    BOT_DM = 1
    PRIVATE_CHANNEL = 2


class Snowflakes:
    """Makes unique snowflakes whose timestamp part is 'now', as Discord's are."""

    def __init__(self) -> None:
        self._increment = itertools.count(1)

    def __call__(self) -> str:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (next(self._increment) & 0xFFF))


def timestamp(when: dt.datetime | None = None) -> str:
    return (when or dt.datetime.now(dt.UTC)).isoformat()


def user(user_id: str, username: str, *, bot: bool = False) -> JSON:
    payload: JSON = {
        "id": user_id,
        "username": username,
        "discriminator": "0",
        "global_name": None if bot else username.title(),
        "avatar": None,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
    }
    if bot:
        payload["bot"] = True
    return payload


def role(
    role_id: str, name: str, permissions: int, *, position: int = 0, managed: bool = False
) -> JSON:
    return {
        "id": role_id,
        "name": name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": position,
        "permissions": str(int(permissions)),
        "managed": managed,
        "mentionable": False,
        "flags": 0,
    }


def member(member_user: JSON | None, roles: Iterable[str], *, joined_at: str | None = None) -> JSON:
    """A guild member; pass ``member_user=None`` for the partial member of MESSAGE_CREATE."""
    payload: JSON = {
        "nick": None,
        "avatar": None,
        "banner": None,
        "roles": list(roles),
        "joined_at": joined_at or timestamp(),
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "communication_disabled_until": None,
    }
    if member_user is not None:
        payload["user"] = member_user
    return payload


def channel(
    channel_id: str,
    name: str,
    *,
    guild_id: str,
    type: int = ChannelType.GUILD_TEXT,
    position: int = 0,
    parent_id: str | None = None,
    topic: str | None = None,
) -> JSON:
    payload: JSON = {
        "id": channel_id,
        "type": int(type),
        "guild_id": guild_id,
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "parent_id": parent_id,
        "topic": topic,
        "nsfw": False,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
    }
    if type == ChannelType.GUILD_FORUM:
        payload.update(
            available_tags=[],
            default_reaction_emoji=None,
            default_thread_rate_limit_per_user=0,
            default_sort_order=None,
            default_forum_layout=0,
        )
    return payload


def thread(
    thread_id: str,
    name: str,
    *,
    guild_id: str,
    parent_id: str,
    owner_id: str,
    type: int = ChannelType.PUBLIC_THREAD,
    auto_archive_duration: int = 1440,
) -> JSON:
    now = timestamp()
    return {
        "id": thread_id,
        "type": int(type),
        "guild_id": guild_id,
        "parent_id": parent_id,
        "owner_id": owner_id,
        "name": name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "flags": 0,
        "applied_tags": [],
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": auto_archive_duration,
            "archive_timestamp": now,
            "locked": False,
            "create_timestamp": now,
        },
    }


def attachment(
    attachment_id: str,
    filename: str,
    *,
    url: str,
    size: int,
    content_type: str | None = None,
) -> JSON:
    payload: JSON = {
        "id": attachment_id,
        "filename": filename,
        "size": size,
        "url": url,
        "proxy_url": url,
    }
    if content_type is not None:
        payload["content_type"] = content_type
    return payload


def message(
    message_id: str,
    *,
    channel_id: str,
    author: JSON,
    content: str = "",
    type: int = MessageType.DEFAULT,
    embeds: Iterable[JSON] = (),
    attachments: Iterable[JSON] = (),
    components: Iterable[JSON] = (),
    mentions: Iterable[JSON] = (),
    flags: int = 0,
    webhook_id: str | None = None,
    application_id: str | None = None,
    message_reference: JSON | None = None,
    referenced_message: JSON | None = None,
    interaction_metadata: JSON | None = None,
    nonce: str | int | None = None,
) -> JSON:
    """A message as REST returns it; see `gateway_message` for the MESSAGE_CREATE form."""
    payload: JSON = {
        "id": message_id,
        "channel_id": channel_id,
        "author": author,
        "content": content,
        "timestamp": timestamp(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": list(mentions),
        "mention_roles": [],
        "attachments": list(attachments),
        "embeds": list(embeds),
        "components": list(components),
        "pinned": False,
        "type": int(type),
        "flags": int(flags),
    }
    optional = {
        "webhook_id": webhook_id,
        "application_id": application_id,
        "message_reference": message_reference,
        "interaction_metadata": interaction_metadata,
        "nonce": nonce,
    }
    payload.update({key: value for key, value in optional.items() if value is not None})
    # Docs: referenced_message is only present on replies, thread starters and context menus.
    if type in (
        MessageType.REPLY,
        MessageType.THREAD_STARTER_MESSAGE,
        MessageType.CONTEXT_MENU_COMMAND,
    ):
        payload["referenced_message"] = referenced_message
    return payload


def gateway_message(rest_message: JSON, *, guild_id: str | None, member: JSON | None) -> JSON:
    """MESSAGE_CREATE/UPDATE add guild_id and the author's partial member in guilds."""
    payload = dict(rest_message)
    if guild_id is not None:
        payload["guild_id"] = guild_id
        if member is not None and "webhook_id" not in rest_message:
            payload["member"] = {key: value for key, value in member.items() if key != "user"}
    return payload


def message_reference(message_id: str, channel_id: str, guild_id: str | None) -> JSON:
    reference: JSON = {"type": 0, "message_id": message_id, "channel_id": channel_id}
    if guild_id is not None:
        reference["guild_id"] = guild_id
    return reference


def button(custom_id: str, label: str, *, style: int = 2) -> JSON:
    return {"type": ComponentType.BUTTON, "style": style, "label": label, "custom_id": custom_id}


def action_row(*components: JSON) -> JSON:
    return {"type": ComponentType.ACTION_ROW, "components": list(components)}


def application(app_id: str, owner: JSON, *, flags: int) -> JSON:
    return {
        "id": app_id,
        "name": owner["username"],
        "icon": None,
        "description": "",
        "bot_public": True,
        "bot_require_code_grant": False,
        "bot": owner,
        "owner": owner,
        "team": None,
        "verify_key": "0" * 64,
        "flags": int(flags),
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "approximate_guild_count": 1,
        "integration_types_config": {"0": {}},
    }


def application_command(
    command_id: str, app_id: str, body: Mapping[str, Any], guild_id: str | None
) -> JSON:
    """The stored form of one command from a bulk overwrite body, as Discord echoes it."""
    command: JSON = {
        "id": command_id,
        "application_id": app_id,
        "version": command_id,
        "type": CommandType.CHAT_INPUT,
        "description": "",
        "default_member_permissions": None,
        "nsfw": False,
        "integration_types": [0],
        "contexts": None,
        "name_localizations": None,
        "description_localizations": None,
        **body,
    }
    if guild_id is not None:
        command["guild_id"] = guild_id
    return command


def interaction(
    interaction_id: str,
    *,
    type: int,
    token: str,
    application_id: str,
    guild_id: str,
    channel: JSON,
    member: JSON,
    member_permissions: int,
    app_permissions: int,
    data: JSON | None = None,
    message: JSON | None = None,
    locale: str = "en-US",
) -> JSON:
    """A guild interaction with every field discord.py 2.7 reads (docs: Interaction Object)."""
    payload: JSON = {
        "id": interaction_id,
        "application_id": application_id,
        "type": int(type),
        "token": token,
        "version": 1,
        "guild": {"id": guild_id, "locale": "en-US", "features": []},
        "guild_id": guild_id,
        "guild_locale": "en-US",
        "channel": channel,
        "channel_id": channel["id"],
        "member": {**member, "permissions": str(int(member_permissions))},
        "app_permissions": str(int(app_permissions)),
        "locale": locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "authorizing_integration_owners": {"0": guild_id},
        "context": InteractionContext.GUILD,
        "attachment_size_limit": DEFAULT_ATTACHMENT_SIZE_LIMIT,
    }
    if data is not None:
        payload["data"] = data
    if message is not None:
        payload["message"] = message
    return payload


def slash_command_data(
    command_id: str, name: str, options: Iterable[JSON] = (), *, guild_id: str | None = None
) -> JSON:
    """`data` of a CHAT_INPUT command; options carry name, type and value (and focused)."""
    data: JSON = {"id": command_id, "name": name, "type": CommandType.CHAT_INPUT}
    if options:
        data["options"] = list(options)
    if guild_id is not None:
        data["guild_id"] = guild_id
    return data


def option(name: str, type: int, value: Any, *, focused: bool = False) -> JSON:
    payload: JSON = {"name": name, "type": int(type), "value": value}
    if focused:
        payload["focused"] = True
    return payload


def message_command_data(
    command_id: str, name: str, target: JSON, *, guild_id: str | None = None
) -> JSON:
    """`data` of a MESSAGE context-menu command: the target arrives in resolved.messages."""
    data: JSON = {
        "id": command_id,
        "name": name,
        "type": CommandType.MESSAGE,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    if guild_id is not None:
        data["guild_id"] = guild_id
    return data


def button_data(custom_id: str) -> JSON:
    return {"custom_id": custom_id, "component_type": ComponentType.BUTTON}


def select_data(custom_id: str, values: list[str]) -> JSON:
    return {"custom_id": custom_id, "component_type": ComponentType.STRING_SELECT, "values": values}


def error(code: int, message: str, errors: JSON | None = None) -> JSON:
    """Discord's JSON error body (docs: Error Messages)."""
    body: JSON = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return body
