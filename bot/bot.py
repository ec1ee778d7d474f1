"""The bot class: the one place for policy (intents, mentions, spam control, size caps).

Features live in `bot/exts/`, one module each, and ask this class what they may do: whether a
message is worth reading, whether it was answered already, who a reply may ping. No feature
repeats a rule, so changing one changes it everywhere.
"""

from __future__ import annotations

import hashlib
import logging
import math
import pkgutil
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

import bot.exts
from bot.cooldowns import RateLimiter, RecentKeys
from bot.core.model import Knowledge
from bot.message_text import ATTACHMENT_BYTES, message_text
from bot.settings import Settings

log = logging.getLogger(__name__)

# Ordinary user posts; joins, pins, boosts, thread notices and command echoes are not pastes.
HUMAN_MESSAGE_TYPES = frozenset({discord.MessageType.default, discord.MessageType.reply})


def bot_intents(message_content: bool) -> discord.Intents:
    """Only what the features use; Message Content is privileged and may be refused (4014)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = message_content
    return intents


class SlowDown(app_commands.CheckFailure):
    """A user ran commands faster than `FWERROR_COMMAND_RATE` allows."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"on cooldown for {retry_after:.0f}s")
        self.retry_after = retry_after


def within_command_rate(interaction: discord.Interaction) -> bool:
    """App-command check: spend one use of the user's command rate, or raise `SlowDown`."""
    client = interaction.client
    if isinstance(client, FwerrorBot):
        wait = client.command_retry_after(interaction.user.id)
        if wait:
            raise SlowDown(wait)
    return True


class FwerrorTree(app_commands.CommandTree):
    """Answers every failed command in one place: politely for cooldowns, logged otherwise."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        if isinstance(error, SlowDown):
            text = f"Slow down a little: try again in {math.ceil(error.retry_after)} s."
        else:
            name = interaction.command.name if interaction.command else "?"
            log.error("command %r failed", name, exc_info=error)
            text = "Sorry, that failed on my side. Please try again in a moment."
        try:
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except discord.HTTPException as failure:
            log.warning("could not tell the user about the error: %s", failure)


class FwerrorBot(commands.Bot):
    """Holds the settings, the current knowledge snapshot and every cross-cutting rule."""

    def __init__(
        self,
        settings: Settings,
        knowledge: Knowledge,
        *,
        message_content: bool = True,
        **options: Any,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=bot_intents(message_content),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=FwerrorTree,
            **options,
        )
        self.settings = settings
        self.knowledge = knowledge
        # Without Message Content every help-channel message arrives blank: nothing to read.
        self.listening = message_content and bool(settings.help_channel_ids)
        self.attachment_bytes = ATTACHMENT_BYTES
        self.downloads: aiohttp.ClientSession | None = None
        self.user_cooldown = RateLimiter(settings.user_rate)
        self.channel_cooldown = RateLimiter(settings.channel_rate)
        self.command_cooldown = RateLimiter(settings.command_rate)
        self.answered = RecentKeys()
        # (author, text digest): the same paste re-posted within the user window counts once.
        self.recent_pastes = RecentKeys(ttl=settings.user_rate.seconds)
        self.escalated = RecentKeys()

    # Start-up and shutdown

    async def setup_hook(self) -> None:
        self.downloads = aiohttp.ClientSession()
        for module in pkgutil.iter_modules(bot.exts.__path__, f"{bot.exts.__name__}."):
            await self.load_extension(module.name)
        for note in dict.fromkeys(self.settings.disabled_features()):
            log.warning(note)
        if not self.intents.message_content and self.settings.help_channel_ids:
            log.warning("Message Content intent is off: the help-channel listener is off.")
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Sync to the configured guild (instant) or globally; a refusal is logged, not fatal."""
        guild_id = self.settings.guild_id
        try:
            if guild_id is None:
                synced = await self.tree.sync()
            else:
                guild = discord.Object(guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
        except discord.HTTPException as error:
            log.error("Could not sync application commands (guild %s): %s", guild_id, error)
            return
        log.info("Synced %d application command(s) to %s", len(synced), guild_id or "all guilds")

    async def close(self) -> None:
        if self.downloads is not None:
            await self.downloads.close()
        await super().close()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: skip discord.py's per-message command parsing."""

    # Knowledge

    def swap_knowledge(self, new: Knowledge) -> Knowledge:
        """Replace the snapshot in one assignment and return the old one.

        Handlers read `self.knowledge` once into a local, so each answer uses one snapshot.
        """
        old, self.knowledge = self.knowledge, new
        return old

    # Which messages the bot reads

    def accepts(self, message: discord.Message) -> bool:
        """A person's ordinary message: not a bot, a webhook, a system notice or ourselves."""
        return (
            not message.author.bot
            and message.webhook_id is None
            and message.type in HUMAN_MESSAGE_TYPES
            and (self.user is None or message.author.id != self.user.id)
        )

    def is_help_channel(self, channel: object) -> bool:
        """A help channel, or a thread / forum post whose parent is one."""
        ids = self.settings.help_channel_ids
        return getattr(channel, "id", None) in ids or getattr(channel, "parent_id", None) in ids

    def wants_to_read(self, message: discord.Message) -> bool:
        """Cheap checks, before any download, on whether a passive answer could follow."""
        return (
            self.listening
            and self.accepts(message)
            and self.is_help_channel(message.channel)
            and message.id not in self.answered
            and self.user_cooldown.retry_after(message.author.id) == 0.0
            and self.channel_cooldown.retry_after(message.channel.id) == 0.0
        )

    async def read_message(self, message: discord.Message) -> str:
        """The message's text, with its small text attachments, within the size caps."""
        if self.downloads is None:
            return message.content
        return await message_text(message, self.downloads, self.attachment_bytes)

    # Answering at most once, within the cooldowns

    def claim_answer(self, message: discord.Message, text: str) -> bool:
        """Mark a message answered and spend its cooldowns; False if it must not be answered.

        Called right before replying (after any await), so two copies of one paste can't both
        pass: the second finds the message id or the (author, text) digest already taken.
        """
        paste = (message.author.id, hashlib.sha256(" ".join(text.split()).encode()).digest())
        if message.id in self.answered or paste in self.recent_pastes:
            return False
        if self.user_cooldown.retry_after(message.author.id) or self.channel_cooldown.retry_after(
            message.channel.id
        ):
            return False
        self.answered.add(message.id)
        self.recent_pastes.add(paste)
        self.user_cooldown.record(message.author.id)
        self.channel_cooldown.record(message.channel.id)
        return True

    def command_retry_after(self, user_id: int) -> float:
        """Spend one command use for `user_id`; seconds to wait if the user is over the rate."""
        return self.command_cooldown.hit(user_id)

    def claim_escalation(self, key: int) -> bool:
        """True the first time a message or thread is escalated, False after."""
        return self.escalated.add(key)

    def release_escalation(self, key: int) -> None:
        """Let a later attempt escalate again, when every step of this one failed."""
        self.escalated.discard(key)

    # Who a message may ping

    def reply_mentions(self, user: discord.abc.Snowflake) -> discord.AllowedMentions:
        """A reply pings its author and nobody else, whatever the echoed text says."""
        return discord.AllowedMentions(users=[user], everyone=False, roles=False, replied_user=True)

    def escalation_mentions(self, role_id: int) -> discord.AllowedMentions:
        """An escalation pings the support role and nobody else."""
        return discord.AllowedMentions(
            users=False, everyone=False, roles=[discord.Object(role_id)], replied_user=False
        )
