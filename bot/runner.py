"""Run the bot until SIGTERM/SIGINT; turn each start-up failure into a message saying what to do.

`serve` is the testable core: it takes an `asyncio.Event` to stop on instead of signals.
SIGHUP reloads the knowledge, exactly as `/fwerror-admin reload` does.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import Callable

import aiohttp
import discord

from bot.bot import FwerrorBot
from bot.core.model import Knowledge
from bot.knowledge.load import KnowledgeError, load_knowledge
from bot.observability import logs
from bot.observability.worker_lock import worker_lock
from bot.settings import Settings

log = logging.getLogger("bot.runner")

INTENT_REFUSED = (
    "Discord refused the Message Content intent (close code 4014), so the bot can't read "
    "pastes in help channels. To fix it: Developer Portal "
    "(https://discord.com/developers/applications) -> your app -> Bot -> Privileged Gateway "
    "Intents -> enable MESSAGE CONTENT INTENT, then restart the bot. Reconnecting without it: "
    "the help-channel listener is off; /fwerror and 'Explain error' still work."
)
TOKEN_REJECTED = (
    "Discord rejected DISCORD_TOKEN (401 Unauthorized). Copy a new token from Developer Portal "
    "-> your app -> Bot -> Reset Token, and set DISCORD_TOKEN in the environment or .env."
)
UNREACHABLE = "Could not reach Discord: %s. Check the network, then start the bot again."
CLOSED = "fwerror closed cleanly"


def configure_logging(level: str, log_format: str = "text") -> None:
    logs.configure_logging(level, log_format)


async def _run_until_stopped(bot: FwerrorBot, token: str, stop: asyncio.Event) -> None:
    """Start the bot; return once `stop` is set (after a clean close) or the bot stops itself."""
    async with bot:
        running = asyncio.create_task(bot.start(token))
        stopping = asyncio.create_task(stop.wait())
        try:
            done, _ = await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if running in done:
            running.result()  # re-raise a start-up failure
            return
        log.info("Shutting down")
        await bot.close()
        try:
            await running
        except Exception as error:  # a stop during start-up tears the connection down mid-way
            log.debug("start-up interrupted by shutdown: %r", error)


async def serve(
    settings: Settings,
    knowledge: Knowledge,
    *,
    stop: asyncio.Event | None = None,
    on_bot: Callable[[FwerrorBot], None] | None = None,
) -> int:
    """Run until `stop` is set; return the process exit code. `on_bot` sees each bot built."""
    stop = stop or asyncio.Event()
    token = settings.token or ""
    message_content = True
    while True:
        bot = FwerrorBot(settings, knowledge, message_content=message_content, settles_heap=True)
        if on_bot is not None:
            on_bot(bot)
        try:
            await _run_until_stopped(bot, token, stop)
        except discord.PrivilegedIntentsRequired:
            if not message_content:
                log.error("Discord refused the intents the bot asked for; stopping.")
                return 1
            log.error(INTENT_REFUSED)
            message_content = False
            knowledge = bot.knowledge  # keep a reload that happened before the refusal
            continue
        except discord.LoginFailure:
            log.error(TOKEN_REJECTED)
            return 2
        except (aiohttp.ClientError, OSError) as error:
            log.error(UNREACHABLE, error)
            return 1
        log.info(CLOSED)
        return 0


class HangupReload:
    """SIGHUP: reload the running bot's knowledge; the outcome is logged, a failure never raised."""

    def __init__(self) -> None:
        self.bot: FwerrorBot | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    def watch(self, bot: FwerrorBot) -> None:
        """`serve`'s `on_bot`: a rebuilt bot is the one to reload."""
        self.bot = bot

    def __call__(self) -> None:
        if self.bot is None:
            return
        task = asyncio.get_running_loop().create_task(self._reload(self.bot))
        self.tasks.add(task)  # the loop keeps only a weak reference to a task
        task.add_done_callback(self.tasks.discard)

    async def _reload(self, bot: FwerrorBot) -> None:
        try:
            await bot.reload_knowledge("SIGHUP")
        except Exception:
            log.exception("SIGHUP reload crashed; still serving the old knowledge")


async def _main(settings: Settings, knowledge: Knowledge) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    hangup = HangupReload()
    if hasattr(signal, "SIGHUP"):  # not on Windows
        loop.add_signal_handler(signal.SIGHUP, hangup)
    return await serve(settings, knowledge, stop=stop, on_bot=hangup.watch)


def run(settings: Settings) -> int:
    """`python -m bot`: load the knowledge, connect, and run until SIGTERM or Ctrl-C."""
    configure_logging(settings.log_level, settings.log_format)
    try:
        knowledge = load_knowledge(settings.knowledge_dir)
    except KnowledgeError as error:
        print("fwerror: the knowledge base is invalid; fix these and start again:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    log.info("Loaded %d knowledge entries (version %s)", len(knowledge.entries), knowledge.version)
    with worker_lock(settings.token or ""):
        return asyncio.run(_main(settings, knowledge))
