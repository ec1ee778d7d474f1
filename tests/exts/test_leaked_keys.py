"""A paste that leaks a secret: warn, delete and re-post it redacted (or say why not), answer it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.answering import DELETED, NOT_DELETED, REPOST_FILE
from bot.core.render import MESSAGE_CHARS
from bot.exts.help.menu import ONLY_WARNED
from bot.settings import Rate
from tests.exts.conftest import (
    CALLBACK,
    CHATTER,
    FOLLOWUP,
    MESSAGES,
    RATE_LIMIT_PASTE,
    Harness,
    is_reply_to,
)
from tests.fake_discord import Recorded
from tests.fake_discord.payloads import BOT_PERMISSIONS, EVERYONE_PERMISSIONS

pytestmark = pytest.mark.asyncio(loop_scope="module")

KEY = "fw_" + "Ab3" * 8  # built at runtime: shaped like a Fireworks key, not one
MESSAGE = r"/channels/\d+/messages/\d+"


def is_delete_of(message: dict):
    def matches(recorded: Recorded) -> bool:
        return recorded.path.endswith(f"/messages/{message['id']}")

    return matches


def is_repost(recorded: Recorded) -> bool:
    body = recorded.json if isinstance(recorded.json, dict) else {}
    return "re-posted with the secret removed" in (body.get("content") or "")


def mention(user: dict) -> str:
    return f"<@{user['id']}>"


@contextlib.asynccontextmanager
async def bot_permissions(harness: Harness, permissions: int) -> AsyncIterator[None]:
    """The bot's role has `permissions` (as the bot's cache sees it) until the block ends."""

    async def apply(value: int) -> None:
        await harness.fake.set_bot_permissions(value)
        guild = harness.bot.get_guild(int(harness.fake.guild.id))
        while guild.me.guild_permissions.value != value:
            await asyncio.sleep(0.01)

    await apply(permissions)
    try:
        yield
    finally:
        await apply(BOT_PERMISSIONS)


async def test_leaked_key_is_deleted_reposted_redacted_and_answered(harness: Harness) -> None:
    fake = harness.fake
    paste = await fake.post_message(f"{RATE_LIMIT_PASTE}\nclient = OpenAI(api_key='{KEY}')")
    delete = await fake.wait_for_request("DELETE", MESSAGE, predicate=is_delete_of(paste))
    repost = await fake.wait_for_request("POST", MESSAGES, predicate=is_repost)
    answer = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(repost.response))

    assert delete.status == 204 and paste["id"] not in fake.world.messages
    content = repost.json["content"]
    assert content.startswith(f"**{mention(fake.user)}'s message")
    assert "rate limit exceeded" in content and "fw_Ab3A…[redacted]" in content
    assert repost.json["allowed_mentions"] == {"parse": []}  # the answer is what pings
    notice = answer.json["content"]
    assert notice.startswith(mention(fake.user)) and "Revoke it now" in notice
    assert DELETED in notice
    assert answer.json["allowed_mentions"]["users"] == [int(fake.user["id"])]
    [embed] = answer.json["embeds"]
    assert "429" in embed["footer"]["text"]
    assert "Leaked secret" not in [field["name"] for field in embed["fields"]]
    [row] = answer.json["components"]
    assert row["components"][0]["custom_id"].endswith(f":{repost.response['id']}")
    assert KEY not in str([r.json for r in fake.requests])
    await fake.expect_no_request("POST")


async def test_secret_in_chatter_still_gets_the_warning(harness: Harness) -> None:
    fake = harness.fake
    await fake.post_message(f"{CHATTER} (my key is {KEY})")
    await fake.wait_for_request("DELETE", MESSAGE)
    repost = await fake.wait_for_request("POST", MESSAGES, predicate=is_repost)
    warning = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(repost.response))
    assert "Revoke it now" in warning.json["content"]
    assert not warning.json.get("embeds") and not warning.json.get("components")


@pytest.mark.parametrize("why", ["no_manage_messages", "setting_off"])
async def test_without_deleting_the_reply_says_so_and_the_log_keeps_no_secret(
    harness: Harness, caplog: pytest.LogCaptureFixture, why: str
) -> None:
    fake = harness.fake
    caplog.set_level(logging.DEBUG, logger="bot")
    if why == "setting_off":
        harness.reset_policy(replace(harness.settings, delete_leaked_keys=False))
        permissions = BOT_PERMISSIONS
    else:
        permissions = EVERYONE_PERMISSIONS
    async with bot_permissions(harness, permissions):
        paste = await fake.post_message(f"{RATE_LIMIT_PASTE}\nAuthorization: Bearer {KEY}")
        answer = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
        await fake.expect_no_request("DELETE")

    notice = answer.json["content"]
    assert NOT_DELETED in notice and "Revoke it now" in notice
    assert "429" in answer.json["embeds"][0]["footer"]["text"]
    [warning] = [r for r in caplog.records if "not deleting it" in r.getMessage()]
    assert warning.levelno == logging.WARNING
    assert all(KEY not in r.getMessage() for r in caplog.records)


async def test_failed_delete_keeps_the_paste_and_says_so(harness: Harness) -> None:
    fake = harness.fake
    before = len(fake.requests)
    fake.fail_next("DELETE", MESSAGE, 403)
    paste = await fake.post_message(f"{RATE_LIMIT_PASTE} key={KEY}")
    answer = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    assert NOT_DELETED in answer.json["content"]
    assert paste["id"] in fake.world.messages
    assert not [r for r in fake.requests[before:] if is_repost(r)]


async def test_long_paste_is_cut_and_attached_whole_redacted(harness: Harness) -> None:
    fake = harness.fake
    lines = [f"DEBUG step {n}: waiting for the model to load" for n in range(120)]
    paste_text = "\n".join([f"export FIREWORKS_API_KEY={KEY}", *lines, RATE_LIMIT_PASTE])
    log = fake.attachment("run.log", paste_text.encode())
    paste = await fake.post_message("my script dies, log attached", attachments=[log])
    repost = await fake.wait_for_request("POST", MESSAGES, predicate=is_repost)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(repost.response))

    assert paste["id"] not in fake.world.messages
    content = repost.json["content"]
    assert len(content) <= MESSAGE_CHARS and "the whole text is attached" in content
    assert content.count("```") == 2
    [upload] = repost.files
    assert upload.filename == REPOST_FILE
    text = upload.data.decode()
    assert "my script dies" in text and RATE_LIMIT_PASTE in text and KEY not in text


async def test_repost_defuses_mentions_and_fences(harness: Harness) -> None:
    fake = harness.fake
    await fake.post_message(f"@everyone ```\n{RATE_LIMIT_PASTE}\n```\n<@&123> token: {KEY}")
    repost = await fake.wait_for_request("POST", MESSAGES, predicate=is_repost)
    content = repost.json["content"]
    assert "@everyone" not in content and "<@&123>" not in content
    assert content.count("```") == 2  # the user's fences can't end the re-post's code block
    created = fake.world.messages[repost.response["id"]]
    assert created["mention_everyone"] is False and created["mentions"] == []


async def test_menu_on_a_leaked_key_deletes_reposts_and_answers(harness: Harness) -> None:
    fake = harness.fake
    target = await fake.post_message(
        f"{RATE_LIMIT_PASTE} sk-{KEY}", channel=harness.general, author=fake.world.owner
    )
    await fake.expect_no_request()
    await fake.message_command("Explain error", target, channel=harness.general)
    await fake.wait_for_request("POST", CALLBACK)
    await fake.wait_for_request("DELETE", MESSAGE, predicate=is_delete_of(target))
    repost = await fake.wait_for_request("POST", MESSAGES, predicate=is_repost)
    answer = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(repost.response))
    ack = await fake.wait_for_request("POST", FOLLOWUP)

    assert repost.path == harness.channel_path(harness.general)
    assert answer.json["content"].startswith(mention(fake.world.owner))
    assert answer.json["allowed_mentions"]["users"] == [int(fake.world.owner["id"])]
    assert "429" in answer.json["embeds"][0]["footer"]["text"]
    assert ack.json["content"].startswith("Answered in the channel")


async def test_menu_on_a_key_without_an_error_only_warns(harness: Harness) -> None:
    fake = harness.fake
    target = await fake.post_message(
        f"is this right? FIREWORKS_API_KEY={KEY}", channel=harness.general
    )
    await fake.expect_no_request()
    await fake.message_command("Explain error", target, channel=harness.general)
    repost = await fake.wait_for_request("POST", MESSAGES, predicate=is_repost)
    warning = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(repost.response))
    ack = await fake.wait_for_request("POST", FOLLOWUP)
    assert "Revoke it now" in warning.json["content"] and not warning.json.get("embeds")
    assert ack.json["content"].startswith(ONLY_WARNED)


async def test_cooldown_never_holds_back_the_leak_warning(harness: Harness) -> None:
    fake = harness.fake
    harness.reset_policy(replace(harness.settings, user_rate=Rate(1, 60.0)))
    first = await fake.post_message(RATE_LIMIT_PASTE)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(first))

    leak = await fake.post_message(
        f"{RATE_LIMIT_PASTE}\nheaders = {{'Authorization': 'Bearer {KEY}'}}"
    )
    await fake.wait_for_request("DELETE", MESSAGE, predicate=is_delete_of(leak))
    repost = await fake.wait_for_request("POST", MESSAGES, predicate=is_repost)
    warning = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(repost.response))
    assert "Revoke it now" in warning.json["content"]
    assert not warning.json.get("embeds")  # the cooldown still holds back a second answer
    assert KEY not in str([r.json for r in fake.requests])


def sent(requests: list[Recorded]) -> str:
    """Everything the bot sent: JSON bodies and uploaded files."""
    bodies = [json.dumps(r.json, ensure_ascii=False) for r in requests]
    files = [u.data.decode("utf-8", errors="replace") for r in requests for u in r.files]
    return "\n".join(bodies + files)


async def contained(harness: Harness, leak: dict) -> tuple[Recorded, Recorded]:
    """Wait for `leak` to be deleted, re-posted and warned about: (re-post, warning)."""
    fake = harness.fake
    await fake.wait_for_request("DELETE", MESSAGE, predicate=is_delete_of(leak))
    repost = await fake.wait_for_request("POST", MESSAGES, predicate=is_repost)
    warning = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(repost.response))
    assert re.search(r"Revoke (it|them) now", warning.json["content"])
    return repost, warning


# Issue 8, break 5: the cooldown path read only the message's text.
async def test_a_key_in_an_attachment_from_an_author_on_cooldown_is_contained(
    harness: Harness,
) -> None:
    fake = harness.fake
    harness.reset_policy(replace(harness.settings, user_rate=Rate(1, 60.0)))
    first = await fake.post_message(RATE_LIMIT_PASTE)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(first))

    config = fake.attachment("config.txt", f"FIREWORKS_API_KEY={KEY}\n".encode())
    leak = await fake.post_message(RATE_LIMIT_PASTE, attachments=[config])
    repost, warning = await contained(harness, leak)
    assert not warning.json.get("embeds")  # the cooldown still holds back a second answer
    assert "fw_Ab3A…[redacted]" in sent([repost])
    assert KEY not in sent(fake.requests)


# Issue 8, break 7: only the first three files named .txt .log .json .py .js .ts were read.
@pytest.mark.parametrize(
    ("files", "encoding"),
    [
        (["settings.yaml"], "utf-8"),
        ([".env"], "utf-8"),
        (["run.sh"], "utf-8"),
        ([".env"], "utf-16"),  # Windows PowerShell's default
        (["a.log", "b.log", "c.log", "d.log"], "utf-8"),  # the key is in the fourth
        ([f"part{n}.txt" for n in range(10)], "utf-8"),  # Discord's most: the key in the tenth
    ],
    ids=["yaml", "env", "sh", "utf16-env", "fourth", "tenth"],
)
async def test_a_key_in_any_text_attachment_is_contained(
    harness: Harness, files: list[str], encoding: str
) -> None:
    fake = harness.fake
    attachments = [
        fake.attachment(name, f"step {n}: ok\n".encode(), content_type="application/octet-stream")
        for n, name in enumerate(files[:-1])
    ]
    secret = f"# local settings\nFIREWORKS_API_KEY: {KEY}\n".encode(encoding)
    attachments.append(fake.attachment(files[-1], secret))
    leak = await fake.post_message(RATE_LIMIT_PASTE, attachments=attachments)
    repost, warning = await contained(harness, leak)
    assert "429" in warning.json["embeds"][0]["footer"]["text"]  # answered as well, once
    assert "fw_Ab3A…[redacted]" in sent([repost])
    assert KEY not in sent(fake.requests)


# Issue 8, break 6: edits were not read at all.
@pytest.mark.parametrize("first", [RATE_LIMIT_PASTE, CHATTER])
async def test_an_edit_that_adds_a_key_is_contained_and_not_answered_again(
    harness: Harness, first: str
) -> None:
    fake = harness.fake
    paste = await fake.post_message(first)
    if first == RATE_LIMIT_PASTE:
        await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(paste))
    await fake.expect_no_request()

    await fake.edit_message(paste, f"{first}\nclient = Fireworks(api_key='{KEY}')")
    repost, warning = await contained(harness, paste)
    assert not warning.json.get("embeds") and not warning.json.get("components")
    assert "fw_Ab3A…[redacted]" in repost.json["content"]
    await fake.expect_no_request("POST")
    assert KEY not in sent(fake.requests)


async def test_an_edit_without_a_key_is_left_alone(harness: Harness) -> None:
    fake = harness.fake
    chatter = await fake.post_message(CHATTER)
    await fake.edit_message(chatter, f"{CHATTER} (edited)")
    await fake.expect_no_request()
    leak = await fake.post_message(f"{CHATTER} key={KEY}")  # the control: a key is contained
    await contained(harness, leak)


async def test_a_links_preview_is_not_read_again(harness: Harness) -> None:
    """Discord adds a link's preview with an update that has no edit time: the message and
    its attachment are not read again; its author's edit is."""
    fake = harness.fake
    log = fake.attachment("run.log", b"INFO ok\n", channel=harness.general)
    chatter = await fake.post_message(f"{CHATTER} https://example.com", attachments=[log])
    await fake.wait_for_request("GET", r"/attachments/.+")
    unfurled = {**chatter, "embeds": [{"type": "link", "url": "https://example.com"}]}
    await fake.rest.announce("MESSAGE_UPDATE", unfurled)
    await fake.expect_no_request("GET", r"/attachments/.+")
    await fake.edit_message(chatter, f"{CHATTER} (edited)")
    await fake.wait_for_request("GET", r"/attachments/.+")


@pytest.mark.parametrize("where", ["thread", "forum_post"])
async def test_a_key_in_a_thread_or_forum_post_is_contained(harness: Harness, where: str) -> None:
    fake = harness.fake
    channel = getattr(fake.guild, where)
    env = fake.attachment(".env", f"FIREWORKS_API_KEY={KEY}\n".encode(), channel=channel)
    leak = await fake.post_message("why does this fail?", channel=channel, attachments=[env])
    await fake.wait_for_request("DELETE", MESSAGE, predicate=is_delete_of(leak))
    repost = await fake.wait_for_request("POST", harness.channel_path(channel), predicate=is_repost)
    await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(repost.response))
    assert KEY not in sent(fake.requests)


async def test_menu_contains_a_key_in_any_attachment(harness: Harness) -> None:
    fake = harness.fake
    logs = [fake.attachment(f"run{n}.log", b"INFO ok\n", channel=harness.general) for n in range(3)]
    settings = fake.attachment(
        "settings.yaml", f"api_key: {KEY}\n".encode(), channel=harness.general
    )
    target = await fake.post_message(
        RATE_LIMIT_PASTE, channel=harness.general, attachments=[*logs, settings]
    )
    await fake.expect_no_request()
    await fake.message_command("Explain error", target, channel=harness.general)
    _, answer = await contained(harness, target)
    assert "429" in answer.json["embeds"][0]["footer"]["text"]
    assert KEY not in sent(fake.requests)


# Issue 8, break 4: the JSON form of a payload glued a key at a line start to "\n".
async def test_debug_logs_of_the_real_client_hold_no_key(harness: Harness) -> None:
    fake = harness.fake
    split = "fw_" + "Zq9" * 8
    records: list[logging.LogRecord] = []
    collect = logging.Handler(logging.DEBUG)
    collect.emit = records.append  # type: ignore[method-assign]
    loggers = [logging.getLogger("discord"), logging.getLogger("bot")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(collect)
    try:
        paste = f"```\n{KEY}\n{split[:10]}\x1b[0m{split[10:]}\n```\n{RATE_LIMIT_PASTE}"
        leak = await fake.post_message(paste)
        await contained(harness, leak)
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(collect)
            logger.setLevel(level)
    logged = "\n".join(record.getMessage() for record in records)
    assert f'"id": "{leak["id"]}"' in logged  # the payload itself was logged, redacted
    for needle in (KEY, KEY[7:], split[10:], split[12:]):
        assert needle not in logged
