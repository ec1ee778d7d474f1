"""The fake's Discord state: users, one guild with its channels, messages, commands, interactions.

Both the gateway (GUILD_CREATE) and REST read from here, so what the bot sees and what it can
fetch always agree. Payload dicts are stored as-is; edits mutate them in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tests.fake_discord import payloads
from tests.fake_discord.payloads import (
    BOT_PERMISSIONS,
    EVERYONE_PERMISSIONS,
    JSON,
    PRIVILEGED_INTENTS,
    ApplicationFlag,
    ChannelType,
    Intent,
    MessageFlag,
    MessageType,
    Permission,
    Snowflakes,
)

ALL_PERMISSIONS = (1 << 53) - 1
USER_MENTION = re.compile(r"<@!?(\d+)>")
EDITABLE_FIELDS = {"content": str, "embeds": list, "components": list, "flags": int}


@dataclass
class Guild:
    """A guild wired the way a support server is: a help channel, a forum, threads in both."""

    id: str
    name: str
    owner_id: str
    everyone_role: JSON
    bot_role: JSON
    text_channel: JSON
    forum_channel: JSON
    thread: JSON
    forum_post: JSON


@dataclass
class InteractionState:
    """What has been answered so far, to route callbacks, followups and @original edits."""

    payload: JSON
    callback_type: int | None = None
    original_id: str | None = None
    followup_ids: list[str] = field(default_factory=list)


class World:
    def __init__(
        self,
        *,
        token: str,
        privileged_intents: int = PRIVILEGED_INTENTS,
        bot_permissions: int = BOT_PERMISSIONS,
    ) -> None:
        self.token = token
        # The privileged intents switched on in the developer portal; others get close code 4014.
        self.privileged_intents = privileged_intents
        self.new_id = Snowflakes()
        self.bot_user = payloads.user(self.new_id(), "fwerror", bot=True)
        # Since 2020 an application's id and its bot user's id are the same snowflake.
        self.application_id: str = self.bot_user["id"]
        self.user = payloads.user(self.new_id(), "alice")
        self.owner = payloads.user(self.new_id(), "owner")
        self.users: dict[str, JSON] = {u["id"]: u for u in (self.bot_user, self.user, self.owner)}
        self.channels: dict[str, JSON] = {}
        self.members: dict[tuple[str, str], JSON] = {}
        self.messages: dict[str, JSON] = {}
        # (author, nonce) -> (message id, when): what `enforce_nonce` checks a create against.
        self.nonces: dict[tuple[str, str], tuple[str, float]] = {}
        self.roles: dict[str, list[JSON]] = {}
        self.commands: dict[str | None, list[JSON]] = {None: []}
        self.interactions: dict[str, InteractionState] = {}
        self.guild = self._add_guild("Fireworks AI", bot_permissions)
        self.guilds = [self.guild]

    def application_flags(self) -> int:
        flags = 0
        for intent, flag in (
            (Intent.MESSAGE_CONTENT, ApplicationFlag.GATEWAY_MESSAGE_CONTENT),
            (Intent.GUILD_MEMBERS, ApplicationFlag.GATEWAY_GUILD_MEMBERS),
            (Intent.GUILD_PRESENCES, ApplicationFlag.GATEWAY_PRESENCE),
        ):
            if self.privileged_intents & intent:
                flags |= flag
        return flags

    def application(self) -> JSON:
        return payloads.application(
            self.application_id, self.bot_user, flags=self.application_flags()
        )

    def _add_guild(self, name: str, bot_permissions: int) -> Guild:
        guild_id = self.new_id()
        everyone = payloads.role(guild_id, "@everyone", EVERYONE_PERMISSIONS)
        bot_role = payloads.role(
            self.new_id(), "fwerror", bot_permissions, position=1, managed=True
        )
        self.roles[guild_id] = [everyone, bot_role]
        self.commands[guild_id] = []
        self.members[(guild_id, self.bot_user["id"])] = payloads.member(
            self.bot_user, [bot_role["id"]]
        )
        for human in (self.user, self.owner):
            self.members[(guild_id, human["id"])] = payloads.member(human, [])
        text = self._add_channel(payloads.channel(self.new_id(), "help", guild_id=guild_id))
        forum = self._add_channel(
            payloads.channel(
                self.new_id(),
                "help-forum",
                guild_id=guild_id,
                type=ChannelType.GUILD_FORUM,
                position=1,
            )
        )
        return Guild(
            id=guild_id,
            name=name,
            owner_id=self.owner["id"],
            everyone_role=everyone,
            bot_role=bot_role,
            text_channel=text,
            forum_channel=forum,
            thread=self.create_thread(text, "502 on every request", owner_id=self.user["id"]),
            forum_post=self.create_thread(forum, "Getting 429s", owner_id=self.user["id"]),
        )

    def _add_channel(self, channel: JSON) -> JSON:
        self.channels[channel["id"]] = channel
        return channel

    def guild_create(self, guild: Guild) -> JSON:
        """The GUILD_CREATE a bot receives right after READY (docs: Guild Create)."""
        in_guild = [c for c in self.channels.values() if c.get("guild_id") == guild.id]
        members = [m for (gid, _), m in self.members.items() if gid == guild.id]
        return {
            "id": guild.id,
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": guild.owner_id,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": self.roles[guild.id],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "nsfw_level": 0,
            "max_members": 500000,
            "joined_at": self.members[(guild.id, self.bot_user["id"])]["joined_at"],
            "large": False,
            "unavailable": False,
            "member_count": len(members),
            "voice_states": [],
            "members": members,
            "channels": [c for c in in_guild if c["type"] not in payloads.THREAD_TYPES],
            "threads": [c for c in in_guild if c["type"] in payloads.THREAD_TYPES],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def permissions(self, guild_id: str, user_id: str) -> int:
        """Guild-level permissions (channel overwrites are not modelled)."""
        if user_id == self.guild_of_id(guild_id).owner_id:
            return ALL_PERMISSIONS
        member = self.members.get((guild_id, user_id))
        if member is None:
            return 0
        value = 0
        for role in self.roles[guild_id]:
            if role["id"] == guild_id or role["id"] in member["roles"]:
                value |= int(role["permissions"])
        return ALL_PERMISSIONS if value & Permission.ADMINISTRATOR else value

    def bot_can(self, guild_id: str | None, needed: int) -> bool:
        if guild_id is None:
            return True
        return self.permissions(guild_id, self.bot_user["id"]) & needed == needed

    def guild_of_id(self, guild_id: str) -> Guild:
        return next(g for g in self.guilds if g.id == guild_id)

    def member(self, guild_id: str | None, user_id: str) -> JSON | None:
        return None if guild_id is None else self.members.get((guild_id, user_id))

    def new_message(
        self,
        channel: JSON,
        author: JSON,
        body: JSON,
        *,
        attachments: list[JSON] | None = None,
        **extra: object,
    ) -> JSON:
        """Store a message built from a create body (REST) or a test's description of one."""
        guild_id = channel.get("guild_id")
        reference = body.get("message_reference")
        referenced = self.messages.get(str(reference["message_id"])) if reference else None
        message = payloads.message(
            self.new_id(),
            channel_id=channel["id"],
            author=author,
            content=body.get("content") or "",
            type=MessageType.REPLY if referenced else MessageType.DEFAULT,
            embeds=body.get("embeds") or [],
            attachments=attachments or [],
            components=body.get("components") or [],
            mentions=self._mentions(body, referenced),
            flags=body.get("flags") or 0,
            message_reference=(
                payloads.message_reference(referenced["id"], referenced["channel_id"], guild_id)
                if referenced
                else None
            ),
            referenced_message=referenced,
            nonce=body.get("nonce"),
        )
        message.update(extra)
        self.messages[message["id"]] = message
        channel["last_message_id"] = message["id"]
        if channel["type"] in payloads.THREAD_TYPES:
            channel["message_count"] += 1
            channel["total_message_sent"] += 1
        return message

    def _mentions(self, body: JSON, referenced: JSON | None) -> list[JSON]:
        """Users pinged: content mentions filtered by allowed_mentions, plus the replied user."""
        allowed = body.get("allowed_mentions")
        ids = USER_MENTION.findall(body.get("content") or "")
        if allowed is not None:
            ids = [
                i
                for i in ids
                if "users" in allowed.get("parse", []) or i in allowed.get("users", [])
            ]
        replied_user = True if allowed is None else allowed.get("replied_user", False)
        if referenced and replied_user:
            ids.append(referenced["author"]["id"])
        return [self.users[i] for i in dict.fromkeys(ids) if i in self.users]

    def edit_message(
        self, message: JSON, body: JSON, *, attachments: list[JSON] | None = None
    ) -> JSON:
        for key, empty in EDITABLE_FIELDS.items():
            if key in body:
                message[key] = body[key] if body[key] is not None else empty()
        if attachments is not None:
            message["attachments"] = attachments
        # Completing a deferred response is an edit that clears "is thinking".
        message["flags"] = int(message["flags"]) & ~MessageFlag.LOADING
        message["edited_timestamp"] = payloads.timestamp()
        return message

    def create_thread(
        self,
        parent: JSON,
        name: str,
        *,
        owner_id: str,
        thread_id: str | None = None,
        type: int = ChannelType.PUBLIC_THREAD,
        auto_archive_duration: int = 1440,
    ) -> JSON:
        return self._add_channel(
            payloads.thread(
                thread_id or self.new_id(),
                name,
                guild_id=parent["guild_id"],
                parent_id=parent["id"],
                owner_id=owner_id,
                type=type,
                auto_archive_duration=auto_archive_duration,
            )
        )

    def overwrite_commands(self, guild_id: str | None, bodies: list[JSON]) -> list[JSON]:
        """Bulk overwrite; a command keeps its id when its name and type are unchanged."""
        previous = {(c["name"], c["type"]): c["id"] for c in self.commands[guild_id]}
        stored = []
        for body in bodies:
            key = (body["name"], body.get("type", payloads.CommandType.CHAT_INPUT))
            command_id = previous.get(key) or self.new_id()
            stored.append(
                payloads.application_command(command_id, self.application_id, body, guild_id)
            )
        self.commands[guild_id] = stored
        return stored

    def command_named(self, name: str, type: int, guild_id: str) -> JSON:
        """The synced command a user can invoke here; raises like a client with no such command."""
        for command in self.commands[guild_id] + self.commands[None]:
            if command["name"] == name and command["type"] == type:
                return command
        raise LookupError(f"no synced command {name!r} of type {type}; did the bot sync its tree?")
