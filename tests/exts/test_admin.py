"""/fwerror-admin and SIGHUP end to end: moderators reload a copy of the shipped knowledge.

The bot here reads `knowledge/` copied into a temp dir, so tests can edit it as a merged PR
would; each test starts from a fresh copy and the knowledge the bot started with.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sys
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from pathlib import Path

import discord
import pytest
import pytest_asyncio

import bot.bot as bot_module
from bot.bot import FwerrorBot
from bot.core.model import Knowledge
from bot.knowledge.load import load_knowledge
from bot.knowledge.reload import prepare_reload
from tests.exts.conftest import (
    CALLBACK,
    FOLLOWUP,
    Harness,
    add_world,
    harness_settings,
)
from tests.fake_discord import FakeDiscord, Recorded, payloads, redirected, running
from tests.fake_discord.gateway import Op
from tests.fake_discord.payloads import (
    EVERYONE_PERMISSIONS,
    JSON,
    CallbackType,
    CommandType,
    InteractionType,
    MessageFlag,
    OptionType,
)
from tests.knowledge.knowledge_fixtures import alias_bomb

pytestmark = pytest.mark.asyncio(loop_scope="module")

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "knowledge"
MANAGE_GUILD = discord.Permissions(manage_guild=True).value
REFUSAL = "Sorry, only moderators can do that"

# A new entry, written the way knowledge/README.md shows: block examples, one pattern.
CONFLICT_TITLE = "409 Conflict: a resource with that id already exists"
CONFLICT_EXAMPLE = (
    "openai.ConflictError: Error code: 409 - {'error': {'object': 'error', 'type': "
    "'invalid_request_error', 'message': 'resource already exists'}}"
)
CONFLICT_HTTP_EXAMPLE = (
    "requests.exceptions.HTTPError: 409 Client Error: Conflict for url: "
    'https://api.fireworks.ai/v1/accounts/me/deployments {"message": "resource already exists"}'
)
CONFLICT_YAML = f"""\
id: 409-conflict
code: 409
title: "{CONFLICT_TITLE}"
escalate: false
cause: >
  The request tried to create a deployment, model or dataset under an id that
  is already taken in your account, so Fireworks refused it with 409 Conflict.
fix: |
  - Pick a new id, or delete the existing resource first.
  - To change the existing one, update it instead of creating it again.
docs: https://docs.fireworks.ai/tools-sdks/firectl/firectl
aliases:
  - resource conflict
patterns:
  - resource already exists
examples:
  - |-
    {CONFLICT_EXAMPLE}
  - |-
    {CONFLICT_HTTP_EXAMPLE}
  - |-
    getting 409 resource already exists when I create my deployment again
"""
RATE_LIMIT_EXAMPLE = (
    "openai.RateLimitError: Error code: 429 - {'error': {'message': "
    "'rate limit exceeded, please try again later'}}"
)


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def broken_by_load(text: str) -> str:
    """An unknown key and a cause over Discord's 1,024-character field cap."""
    text = text.replace("escalate: false\n", "escalate: false\nseverity: high\n")
    return text.replace("cause: >\n", f"cause: >\n  {'x' * 1100}\n")


def broken_by_example(text: str) -> str:
    """Valid YAML, but its fourth example is answered by 429-rate-limit."""
    return text + f"  - |-\n    {RATE_LIMIT_EXAMPLE}\n"


@dataclass
class AdminHarness(Harness):
    directory: Path  # the copy the bot reloads from
    started_with: Knowledge
    moderator: JSON  # has the moderator role
    manager: JSON  # has Manage Server through a role
    member: JSON  # neither


def add_member(fake: FakeDiscord, name: str, roles: list[str]) -> JSON:
    world = fake.world
    user = payloads.user(world.new_id(), name)
    world.users[user["id"]] = user
    world.members[(fake.guild.id, user["id"])] = payloads.member(user, roles)
    return user


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def harness(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[AdminHarness]:
    directory = tmp_path_factory.mktemp("admin") / "knowledge"
    shutil.copytree(SHIPPED, directory)
    async with FakeDiscord() as fake:
        general, queue, support = add_world(fake)
        world, guild_id = fake.world, fake.guild.id
        moderators = payloads.role(world.new_id(), "moderators", EVERYONE_PERMISSIONS, position=3)
        managers = payloads.role(
            world.new_id(), "managers", EVERYONE_PERMISSIONS | MANAGE_GUILD, position=4
        )
        world.roles[guild_id] += [moderators, managers]
        moderator = add_member(fake, "mod", [moderators["id"]])
        manager = add_member(fake, "manager", [managers["id"]])
        member = add_member(fake, "member", [support["id"]])  # any role but the right one
        with redirected(fake):
            # No escalation targets: unmatched answers here ping nobody and post nowhere.
            settings = replace(
                harness_settings(fake, queue, support),
                support_role_id=None,
                escalation_channel_id=None,
                moderator_role_id=int(moderators["id"]),
                knowledge_dir=directory,
            )
            knowledge = load_knowledge(directory)
            bot = FwerrorBot(settings, knowledge, guild_ready_timeout=0.1)
            async with running(bot, fake.token):
                yield AdminHarness(
                    fake,
                    bot,
                    general,
                    queue,
                    support,
                    settings,
                    directory,
                    knowledge,
                    moderator,
                    manager,
                    member,
                )


@pytest.fixture(autouse=True)
def pristine(harness: AdminHarness) -> None:
    """Each test starts from the shipped files and the knowledge the bot started with."""
    shutil.rmtree(harness.directory, ignore_errors=True)
    shutil.copytree(SHIPPED, harness.directory)
    harness.bot.swap_knowledge(harness.started_with)


async def admin(fake: FakeDiscord, subcommand: str, user: JSON) -> JSON:
    """`user` runs `/fwerror-admin <subcommand>` (the fake's verb only fills plain options)."""
    command = fake.world.command_named("fwerror-admin", CommandType.CHAT_INPUT, fake.guild.id)
    data = payloads.slash_command_data(
        command["id"],
        command["name"],
        [{"name": subcommand, "type": OptionType.SUB_COMMAND, "options": []}],
        guild_id=command.get("guild_id"),
    )
    return await fake.interact(InteractionType.APPLICATION_COMMAND, data, user=user)


async def reload_as(harness: AdminHarness, user: JSON) -> tuple[Recorded, Recorded]:
    """The deferral and the followup of a reload that `user` may run."""
    await admin(harness.fake, "reload", user)
    deferral = await harness.fake.wait_for_request("POST", CALLBACK)
    followup = await harness.fake.wait_for_request("POST", FOLLOWUP, timeout=30)
    return deferral, followup


async def answer_title(fake: FakeDiscord, query: str) -> str:
    await fake.slash_command("fwerror", {"query": query})
    callback = await fake.wait_for_request("POST", CALLBACK)
    return callback.json["data"]["embeds"][0]["title"]


# Who may reload


async def test_a_member_without_the_role_or_manage_server_is_refused(
    harness: AdminHarness,
) -> None:
    fake, bot = harness.fake, harness.bot
    old_title = await answer_title(fake, CONFLICT_EXAMPLE)
    (harness.directory / "409-conflict.yaml").write_text(CONFLICT_YAML, encoding="utf-8")

    for subcommand in ("reload", "status"):
        await admin(fake, subcommand, harness.member)
        callback = await fake.wait_for_request("POST", CALLBACK)
        assert callback.json["type"] == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
        assert callback.json["data"]["flags"] == MessageFlag.EPHEMERAL
        assert callback.json["data"]["content"].startswith(REFUSAL)

    assert bot.knowledge is harness.started_with
    assert old_title != CONFLICT_TITLE
    assert await answer_title(fake, CONFLICT_EXAMPLE) == old_title


@pytest.mark.parametrize("who", ["moderator", "manager"])
async def test_the_moderator_role_or_manage_server_may_reload(
    harness: AdminHarness, who: str
) -> None:
    deferral, followup = await reload_as(harness, getattr(harness, who))

    assert deferral.json["type"] == CallbackType.DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
    assert deferral.json["data"]["flags"] & MessageFlag.EPHEMERAL
    assert followup.json["flags"] & MessageFlag.EPHEMERAL
    version = harness.started_with.version
    assert followup.json["content"] == (
        f"Reloaded: version `{version}` → `{version}`, "
        f"{len(harness.started_with.entries)} entries (was {len(harness.started_with.entries)})."
        "\nNo entry changed."
    )


# Reloading


async def test_a_valid_new_entry_answers_the_next_command(harness: AdminHarness) -> None:
    fake, bot = harness.fake, harness.bot
    old = bot.knowledge
    assert await answer_title(fake, CONFLICT_EXAMPLE) != CONFLICT_TITLE
    (harness.directory / "409-conflict.yaml").write_text(CONFLICT_YAML, encoding="utf-8")

    _, followup = await reload_as(harness, harness.moderator)

    new = bot.knowledge
    assert new.version != old.version
    assert len(new.entries) == len(old.entries) + 1
    content = followup.json["content"]
    assert content.startswith(f"Reloaded: version `{old.version}` → `{new.version}`, ")
    assert f"{len(new.entries)} entries (was {len(old.entries)})" in content
    assert "\nAdded (1): 409-conflict" in content
    assert await answer_title(fake, CONFLICT_EXAMPLE) == CONFLICT_TITLE


@pytest.mark.parametrize("breakage", [broken_by_load, broken_by_example])
async def test_broken_knowledge_keeps_the_old_answers_and_shows_file_and_line(
    harness: AdminHarness, breakage
) -> None:
    fake, bot = harness.fake, harness.bot
    old_title = await answer_title(fake, RATE_LIMIT_EXAMPLE)
    text = breakage(CONFLICT_YAML)
    (harness.directory / "409-conflict.yaml").write_text(text, encoding="utf-8")

    _, followup = await reload_as(harness, harness.moderator)

    assert bot.knowledge is harness.started_with
    content = followup.json["content"]
    assert followup.json["flags"] & MessageFlag.EPHEMERAL
    assert followup.json["allowed_mentions"] == {"parse": []}
    assert content.startswith("Reload failed: ")
    assert f"Still serving version `{harness.started_with.version}`" in content
    if breakage is broken_by_load:
        assert f"knowledge/409-conflict.yaml:{line_of(text, 'severity')}: unknown key" in content
        cause = line_of(text, "cause:")
        assert re.search(
            rf"knowledge/409-conflict.yaml:{cause}: 'cause' is \d+ characters", content
        )
    else:
        line = line_of(text, "openai.RateLimitError") - 1  # the `- |-` line starts the item
        assert f"knowledge/409-conflict.yaml:{line}: example 4 resolves to 429-rate-limit" in (
            content
        )
    assert await answer_title(fake, RATE_LIMIT_EXAMPLE) == old_title
    assert await answer_title(fake, CONFLICT_EXAMPLE) != CONFLICT_TITLE


async def test_many_problems_fit_one_message_and_ping_nobody(harness: AdminHarness) -> None:
    for number in range(60):
        (harness.directory / f"418-teapot-{number:02}.yaml").write_text(
            '"@everyone": 1\n', encoding="utf-8"
        )

    _, followup = await reload_as(harness, harness.manager)

    content = followup.json["content"]
    assert len(content) <= 2000
    assert re.search(r"\n… and \d+ more\n```$", content)
    assert "@everyone" not in content  # defused: "@\u200beveryone"
    assert "knowledge/418-teapot-00.yaml:1: " in content
    assert harness.bot.knowledge is harness.started_with


async def test_an_alias_bomb_in_a_signals_example_is_refused_at_its_line_at_once(
    harness: AdminHarness,
) -> None:
    fake = harness.fake
    old_title = await answer_title(fake, RATE_LIMIT_EXAMPLE)
    prose = harness.directory / "signals" / "prose.yaml"
    text = prose.read_text(encoding="utf-8") + alias_bomb()
    prose.write_text(text, encoding="utf-8")
    line = text[: text.index("&a0")].count("\n") + 1

    _, followup = await reload_as(harness, harness.moderator)

    content = followup.json["content"]
    assert f"knowledge/signals/prose.yaml:{line}: anchor '&a0': anchors (&) and aliases" in content
    assert harness.bot.knowledge is harness.started_with
    assert await answer_title(fake, RATE_LIMIT_EXAMPLE) == old_title


async def test_a_vanished_directory_is_reported_and_the_old_knowledge_answers(
    harness: AdminHarness,
) -> None:
    fake = harness.fake
    old_title = await answer_title(fake, RATE_LIMIT_EXAMPLE)
    shutil.rmtree(harness.directory)

    _, followup = await reload_as(harness, harness.moderator)

    assert "knowledge directory does not exist" in followup.json["content"]
    assert harness.bot.knowledge is harness.started_with
    assert await answer_title(fake, RATE_LIMIT_EXAMPLE) == old_title


async def test_reloads_run_one_at_a_time_off_the_event_loop(
    harness: AdminHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake, bot = harness.fake, harness.bot
    gate = threading.Event()
    entered: list[str] = []

    def gated(directory: Path | None, current: Knowledge):
        entered.append(current.version)
        assert gate.wait(10)
        return prepare_reload(directory, current)

    monkeypatch.setattr(bot_module, "prepare_reload", gated)
    (harness.directory / "409-conflict.yaml").write_text(CONFLICT_YAML, encoding="utf-8")
    first = asyncio.create_task(bot.reload_knowledge("first"))
    second = asyncio.create_task(bot.reload_knowledge("second"))
    try:
        async with asyncio.timeout(5):  # the first check has reached its thread
            while not entered:
                await asyncio.sleep(0.01)
        # While the first check is blocked in its thread, the bot still answers.
        assert await answer_title(fake, RATE_LIMIT_EXAMPLE)
        assert len(entered) == 1
    finally:
        gate.set()
    results = await asyncio.gather(first, second)

    assert entered == [harness.started_with.version, results[0].new.version]
    assert [r.new is not None for r in results] == [True, True]
    assert str(results[0].diff) == "added 409-conflict"
    assert str(results[1].diff) == "no entry changed"


# Status


async def test_status_shows_version_entries_load_time_and_latency(harness: AdminHarness) -> None:
    knowledge = harness.bot.knowledge
    await admin(harness.fake, "status", harness.moderator)
    callback = await harness.fake.wait_for_request("POST", CALLBACK)

    assert callback.json["type"] == CallbackType.CHANNEL_MESSAGE_WITH_SOURCE
    assert callback.json["data"]["flags"] == MessageFlag.EPHEMERAL
    [embed] = callback.json["data"]["embeds"]
    fields = {field["name"]: field["value"] for field in embed["fields"]}
    assert fields["Knowledge version"] == f"`{knowledge.version}`"
    assert fields["Entries"] == str(len(knowledge.entries))
    assert fields["Loaded"] == f"<t:{int(knowledge.loaded_at.timestamp())}:R>"
    assert re.fullmatch(r"\d+ (s|min \d+ s) \(since <t:\d+:R>\)", fields["Uptime"])
    assert re.fullmatch(r"\d+ ms|not measured yet", fields["Gateway latency"])
    assert fields["Knowledge directory"] == f"`{harness.directory.resolve()}`"


# A new moderator's path: scaffold, fill in, check, reload


async def run_cli(*args: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode()


# Each TODO line of the scaffold, and what a moderator following knowledge/README.md writes.
FILLED_IN = {
    "<Reason Phrase>": f'title: "{CONFLICT_TITLE}"',
    "explain why this error happens": (
        "  Creating a deployment, model or dataset under an id that is already taken in\n"
        "  your account is refused with 409 Conflict."
    ),
    "the first thing to check or change": (
        "  - Pick a new id, or delete the existing resource first.\n"
        "  - To change the existing one, update it instead of creating it again."
    ),
    "an extra hint": '  - "Ids are unique per account, not per project."',
    "what a moderator should know": "  Not in the seed table; 409 is a control-plane error.",
    "a phrase people type": "  - resource conflict",
    "a message string from the error body": "  - resource already exists",
    "an SDK exception line": f"  - |-\n    {CONFLICT_EXAMPLE}",
    "a traceback or raw HTTP response": (
        "    HTTP/1.1 409 Conflict\n"
        "    content-type: application/json\n"
        "\n"
        '    {"error": {"object": "error", "type": "invalid_request_error", '
        '"message": "resource already exists"}}'
    ),
    "how a user describes the error in chat": (
        '  - "getting 409 resource already exists when I create my deployment again"'
    ),
}


def fill_in(scaffold: str) -> str:
    lines = []
    for line in scaffold.splitlines():
        if "TODO" in line and not line.lstrip().startswith("#"):
            [fragment] = [f for f in FILLED_IN if f in line]
            line = FILLED_IN[fragment]
        lines.append(line)
    return "\n".join(lines) + "\n"


async def test_a_new_moderator_scaffolds_checks_and_reloads_an_entry(
    harness: AdminHarness,
) -> None:
    directory = str(harness.directory)
    code, out = await run_cli("new", "409", "conflict", "--knowledge", directory)
    assert code == 0, out
    path = harness.directory / "409-conflict.yaml"
    code, out = await run_cli("check", "--knowledge", directory)
    assert code == 1  # the untouched TODOs are rejected
    assert "knowledge/409-conflict.yaml:" in out

    path.write_text(fill_in(path.read_text(encoding="utf-8")), encoding="utf-8")
    code, out = await run_cli("check", "--knowledge", directory)
    assert code == 0, out
    assert out.startswith("OK: ")

    _, followup = await reload_as(harness, harness.moderator)
    assert "Added (1): 409-conflict" in followup.json["content"]
    entry = harness.bot.knowledge.by_id["409-conflict"]
    assert len(entry.examples) == 3
    for example in entry.examples:
        assert await answer_title(harness.fake, example) == CONFLICT_TITLE


# SIGHUP on the real entry point


class Log:
    """The bot's stderr, read line by line as it runs, so a test can wait for a message."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.lines: list[str] = []
        self._seen = 0
        self._stream = stream
        self._changed = asyncio.Condition()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while line := await self._stream.readline():
            async with self._changed:
                self.lines.append(line.decode().rstrip("\n"))
                self._changed.notify_all()
        async with self._changed:  # the bot exited: wake waiters so they fail now
            self._changed.notify_all()

    async def wait_for(self, text: str, timeout: float = 30) -> str:
        """The next unseen line containing `text`; fails with the whole log if it never comes."""
        match: list[str] = []

        def found() -> bool:
            while not match and self._seen < len(self.lines):
                self._seen += 1
                if text in self.lines[self._seen - 1]:
                    match.append(self.lines[self._seen - 1])
            return bool(match) or self.reader.done()

        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(found), timeout)
        except TimeoutError:
            pass
        assert match, f"no line with {text!r} in:\n" + "\n".join(self.lines)
        return match[0]


async def test_sighup_reloads_the_running_bot_and_keeps_it_on_failure(tmp_path: Path) -> None:
    directory = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, directory)
    entry_file = directory / "409-conflict.yaml"
    async with FakeDiscord() as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FWERROR_", "DISCORD_"))}
        env.update(
            PYTHONPATH=str(ROOT),
            FAKE_DISCORD_ORIGIN=fake.origin,
            DISCORD_TOKEN=fake.token,
            FWERROR_GUILD_ID=fake.guild.id,
            FWERROR_KNOWLEDGE_DIR=str(directory),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.launch_against_fake",
            env=env,
            cwd=tmp_path,
            stderr=asyncio.subprocess.PIPE,
        )
        assert process.stderr is not None
        log = Log(process.stderr)
        try:
            await fake.wait_for_gateway(Op.IDENTIFY, timeout=30)
            old_title = await answer_title(fake, CONFLICT_EXAMPLE)
            assert old_title != CONFLICT_TITLE

            entry_file.write_text(CONFLICT_YAML, encoding="utf-8")
            process.send_signal(signal.SIGHUP)
            reloaded = await log.wait_for("Knowledge reloaded (SIGHUP)")
            assert "added 409-conflict" in reloaded
            assert await answer_title(fake, CONFLICT_EXAMPLE) == CONFLICT_TITLE

            broken = broken_by_load(CONFLICT_YAML)
            entry_file.write_text(broken, encoding="utf-8")
            process.send_signal(signal.SIGHUP)
            await log.wait_for("Knowledge reload (SIGHUP) failed")
            await log.wait_for(f"knowledge/409-conflict.yaml:{line_of(broken, 'severity')}: ")
            assert await answer_title(fake, CONFLICT_EXAMPLE) == CONFLICT_TITLE

            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 30)
            await log.reader
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    text = "\n".join(log.lines)
    assert process.returncode == 0, text
    assert "Traceback" not in text
