"""The bot class: the one place for policy (intents, mentions, spam control, size caps).

Features live in `bot/exts/`, one module each, and ask this class what they may do: whether a
message is worth reading, whether it was answered already, who a reply may ping. No feature
repeats a rule, so changing one changes it everywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import math
import pkgutil
from collections.abc import Callable, Coroutine
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

import bot.exts
from bot.checklist import AnswerRecords
from bot.claims import Claims
from bot.cooldowns import RateLimiter
from bot.core.incidents import WaveRules
from bot.core.model import Knowledge
from bot.core.redact import redact
from bot.core.warm import warm
from bot.gateway_turns import give_turns
from bot.in_flight import InFlight
from bot.knowledge.reload import Reload, prepare_reload
from bot.message_reader import MessageReader
from bot.observability.hooks import record_cooldown_drop
from bot.observability.metrics import BotMetrics
from bot.pictures import screenshot_reader, screenshots_off
from bot.settings import Settings
from bot.status_page import StatusPage
from bot.store.service import StoreService
from bot.waves import WaveTracker

log = logging.getLogger(__name__)

# Ordinary user posts; joins, pins, boosts, thread notices and command echoes are not pastes.
HUMAN_MESSAGE_TYPES = frozenset({discord.MessageType.default, discord.MessageType.reply})
HTTP_CONNECTIONS = 16  # to Discord's API, all of it on one host
# The collector's thresholds once started (generation 0 allocations, then collections of 0 and
# of 1). Python's (700, 10, 10) ran 17 full collections in bench_discord.py's 10,000-message
# burst, each pausing the loop for as long as the heap messages left behind takes to walk;
# these ran none, and a tenth as many young ones (figures in the commit that chose them).
GC_THRESHOLDS = (5000, 20, 20)


def bot_intents(message_content: bool) -> discord.Intents:
    """Only what the features use; Message Content is privileged and may be refused (4014)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = message_content
    return intents


def _redacted(value: object) -> object:
    """A JSON-like value with every string in it redacted."""
    if isinstance(value, str):
        return redact(value).text
    if isinstance(value, dict):
        return {key: _redacted(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(item) for item in value]
    return value


def _as_logged(arg: object) -> object:
    """A payload argument as redacted JSON; other arguments as they are."""
    if not isinstance(arg, dict | list):
        return arg
    # Nested too deep to walk: then only the whole message is redacted, below.
    with contextlib.suppress(RecursionError):
        arg = _redacted(arg)
    # As JSON, not repr: repr escapes invisible characters and would split a key apart.
    return json.dumps(arg, ensure_ascii=False, default=str)


class RedactSecrets(logging.Filter):
    """discord.py logs whole payloads at DEBUG, users' pastes among them: redact every record.

    A payload's strings are redacted before it becomes JSON, because in JSON a line break is
    the two characters `\\n` (glued to the key after it) and a colour code is `\\u001b` (which
    no longer looks like one, so a key split by it stays split). The finished message is then
    redacted too, for secrets in the format string or in arguments that are not payloads.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if any(isinstance(arg, dict | list) for arg in args):
            record.args = tuple(_as_logged(arg) for arg in args)
        try:
            redaction = redact(record.getMessage())
        except (TypeError, ValueError):  # a malformed record: logging reports it at emit
            return True
        if redaction.found:
            record.msg, record.args = redaction.text, ()
        return True


def guard_logs() -> None:
    """Attach `RedactSecrets` to every logger of discord.py and of the bot.

    A logger's filters don't apply to its children's records, so each logger gets its own.
    """
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in ("discord", "bot")]
    for name in ("discord", "bot", *names):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())


class SlowDown(app_commands.CheckFailure):
    """A user ran commands faster than `FWERROR_COMMAND_RATE` allows."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"on cooldown for {retry_after:.0f}s")
        self.retry_after = retry_after


class NotModerator(app_commands.CheckFailure):
    """A member without Manage Server or the moderator role ran a moderators' command."""


def within_command_rate(interaction: discord.Interaction) -> bool:
    """App-command check: spend one use of the user's command rate, or raise `SlowDown`."""
    client = interaction.client
    if isinstance(client, FwerrorBot):
        wait = client.command_retry_after(interaction.user.id)
        if wait:
            raise SlowDown(wait)
    return True


def settle_heap() -> None:
    """Freeze what is alive after start-up, and set the collector's thresholds.

    The knowledge, the extensions and discord.py's state live as long as the process: frozen
    (`gc.freeze`), no collection walks them again, so a full collection only walks what
    messages left behind instead of pausing the event loop for the whole heap.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class FwerrorTree(app_commands.CommandTree):
    """Answers every failed command in one place: cooldowns and refusals politely, others logged."""

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        # Run in the task discord.py started for this command: closing waits for it.
        if isinstance(interaction.client, FwerrorBot):
            interaction.client.in_flight.track_current()
        return True

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError, /
    ) -> None:
        if isinstance(error, SlowDown):
            record_cooldown_drop(interaction.client, "command")  # type: ignore[arg-type]
            text = f"Slow down a little: try again in {math.ceil(error.retry_after)} s."
        elif isinstance(error, NotModerator):
            log.info("refused a moderators' command to user %s", interaction.user.id)
            text = (
                "Sorry, only moderators can do that: it needs the Manage Server permission "
                "or the moderator role."
            )
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
        settles_heap: bool = False,
        **options: Any,
    ) -> None:
        """`settles_heap`: freeze the heap once started (`settle_heap`); the process runs
        one bot (`bot.runner`), not one after another as the tests do."""
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=bot_intents(message_content),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=FwerrorTree,
            # No message cache: edits arrive raw and buttons carry their message, so a cache
            # would only keep a thousand messages (embeds, components) for the collector to walk.
            max_messages=None,
            **options,
        )
        self.settings = settings
        self.knowledge = knowledge
        self.in_flight = InFlight()  # handlers at work, which closing waits for
        self.settles_heap = settles_heap
        self.reload_lock = asyncio.Lock()
        # Without Message Content every help-channel message arrives blank: nothing to read.
        self.listening = message_content and bool(settings.help_channel_ids)
        self.command_cooldown = RateLimiter(settings.command_rate)
        self.button_cooldown = RateLimiter(settings.button_rate)  # see bot.views.base
        self.answers = AnswerRecords()  # what each answer decided, for its buttons
        self.metrics = BotMetrics(self)
        self.store = StoreService(
            settings.database_url,
            retention_days=settings.retention_days,
            on_fallback=self.metrics.store_fallback,
            on_drop=self.metrics.store_dropped.inc,
        )
        self.claims = Claims(settings, self.store)  # answered, escalated, contained, cooldowns
        # Screenshots: None when not read (no `ocr` extra, or FWERROR_SCREENSHOT_WORKERS=0).
        shots = screenshot_reader(settings, self.metrics.screenshot)
        self.reader = MessageReader(settings.paste_hosts, shots)
        wave = settings.incident_wave
        self.waves = WaveTracker(self.store, WaveRules(wave.count, wave.seconds))
        # None: FWERROR_STATUS_PAGE_URL is not set, and nothing is ever fetched.
        page = settings.status_page_url
        self.status_page = StatusPage(page) if page else None

    # Start-up and shutdown

    async def login(self, token: str) -> None:
        # discord.py's own connector has no limit, so a burst of replies opened a socket (and
        # its buffers) each; queueing on a few keep-alive connections is as fast on one host.
        if self.http.connector is discord.utils.MISSING:
            self.http.connector = aiohttp.TCPConnector(limit=HTTP_CONNECTIONS)
        await super().login(token)

    async def setup_hook(self) -> None:
        give_turns()  # before the gateway connects
        await self.store.start()  # never raises: a database that is down means memory claims
        try:  # a database that doesn't answer in time: memory starts empty
            await asyncio.wait_for(self.waves.warm(), self.waves.timeout)
        except TimeoutError:
            seconds = self.waves.timeout
            log.warning("waves: memory starts empty: the store took over %.0f s", seconds)
        self.reader.start()
        if self.status_page is not None:
            self.status_page.start()
        # Each feature is a package under bot/exts; each module in it is one extension.
        for module in pkgutil.walk_packages(bot.exts.__path__, f"{bot.exts.__name__}."):
            if not module.ispkg:
                await self.load_extension(module.name)
        guard_logs()  # after the extensions, so their loggers exist
        for note in dict.fromkeys(self.settings.disabled_features()):
            log.warning(note)
        if not self.intents.message_content and self.settings.help_channel_ids:
            log.warning("Message Content intent is off: the help-channel listener is off.")
        if self.reader.screenshots is None:
            log.info(screenshots_off(self.settings))
        await self.sync_commands()
        await asyncio.to_thread(warm, self.knowledge)  # not on the first messages, on the loop
        if self.settles_heap:
            settle_heap()

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
        await self.in_flight.drain()  # first: the answers being written need all that follows
        await self.reader.close()
        if self.status_page is not None:
            await self.status_page.close()
        await super().close()
        await self.waves.close()
        await self.store.close()

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: skip discord.py's per-message command parsing."""

    def _schedule_event(
        self,
        coro: Callable[..., Coroutine[Any, Any, Any]],
        event_name: str,
        *args: Any,
        **kwargs: Any,
    ) -> asyncio.Task[None]:
        # discord.py's one place that starts an event's handler: tracked, closing waits for it.
        task = super()._schedule_event(coro, event_name, *args, **kwargs)  # type: ignore[misc]
        return self.in_flight.track(task)

    # Knowledge

    def swap_knowledge(self, new: Knowledge) -> Knowledge:
        """Replace the snapshot in one assignment and return the old one.

        Handlers read `self.knowledge` once into a local, so each answer uses one snapshot.
        """
        old, self.knowledge = self.knowledge, new
        return old

    async def reload_knowledge(self, requested_by: str) -> Reload:
        """Check the knowledge directory off the event loop; swap it in only if all of it passed.

        `/fwerror-admin reload` and SIGHUP both come here. One reload runs at a time: the next
        waits, then reads the directory afresh. A failure keeps the old snapshot and logs why.
        """
        async with self.reload_lock:
            current = self.knowledge
            result = await asyncio.to_thread(prepare_reload, self.settings.knowledge_dir, current)
            self.metrics.reloaded(result.new is not None)
            if result.new is None:
                log.error(
                    "Knowledge reload (%s) failed with %d problem(s); still serving version %s",
                    requested_by,
                    len(result.problems),
                    current.version,
                )
                for problem in result.problems:
                    log.error("  %s", problem)
                return result
            await asyncio.to_thread(warm, result.new)
            self.swap_knowledge(result.new)
            if self.settles_heap:  # the old snapshot was frozen: let it go, freeze the new one
                gc.unfreeze()
                settle_heap()
            log.info(
                "Knowledge reloaded (%s): version %s -> %s, %d entries; %s",
                requested_by,
                current.version,
                result.new.version,
                len(result.new.entries),
                result.diff,
            )
            return result

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

    def listens_to(self, message: discord.Message) -> bool:
        """A person's message in a help channel that hasn't been answered yet."""
        return (
            self.listening
            and self.accepts(message)
            and self.is_help_channel(message.channel)
            and message.id not in self.claims.answered
        )

    def wants_to_read(self, message: discord.Message) -> bool:
        """Cheap checks on whether a passive answer could follow (the cooldowns among them)."""
        return self.listens_to(message) and self.claims.within_rate(message)

    def watches_for_leaks(self, message: discord.Message) -> bool:
        """A person's message in a help channel, answered or not, on cooldown or not."""
        return self.listening and self.accepts(message) and self.is_help_channel(message.channel)

    # Spam control

    def command_retry_after(self, user_id: int) -> float:
        """Spend one command use for `user_id`; seconds to wait if the user is over the rate."""
        return self.command_cooldown.hit(user_id)

    def may_delete_leak(self, message: discord.Message) -> bool:
        """Delete a message that leaked a secret (it is re-posted redacted): if allowed and able."""
        guild = message.guild
        if not self.settings.delete_leaked_keys or guild is None:
            return False
        return message.channel.permissions_for(guild.me).manage_messages

    def may_handle_queue(self, user: discord.abc.User) -> bool:
        """Claim, resolve or close in the moderators' queue: the support or moderator roles, or
        Manage Server."""
        if not isinstance(user, discord.Member):
            return False
        if user.guild_permissions.manage_guild or user.guild_permissions.administrator:
            return True
        roles = {self.settings.support_role_id, self.settings.moderator_role_id} - {None}
        return any(user.get_role(role_id) for role_id in roles)

    # Who a message may ping

    def reply_mentions(self, user: discord.abc.Snowflake) -> discord.AllowedMentions:
        """A reply pings its author and nobody else, whatever the echoed text says."""
        return discord.AllowedMentions(users=[user], everyone=False, roles=False, replied_user=True)

    def escalation_mentions(self, role_id: int) -> discord.AllowedMentions:
        """An escalation pings the support role and nobody else."""
        return discord.AllowedMentions(
            users=False, everyone=False, roles=[discord.Object(role_id)], replied_user=False
        )
