"""Zero secrets, zero stray mentions: a battery of hostile traffic, then checks over everything.

The battery runs once per module through the real client and the fake Discord. Then every
request body the bot sent (JSON, multipart `payload_json` and uploaded files) and every log
record of the `bot` and `discord` loggers at DEBUG (discord.py logs whole gateway payloads
there, users' pastes among them) is searched for the secrets, and every message the bot sent
is checked to ping only the author it answers or the support role.
"""

from __future__ import annotations

import json
import logging
import random
import re
import string
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest
import pytest_asyncio

from tests.exts.conftest import (
    CALLBACK,
    CHATTER,
    MESSAGES,
    RATE_LIMIT_PASTE,
    SERVER_ERROR_PASTE,
    Harness,
    is_reply_to,
)
from tests.fake_discord import Recorded
from tests.fake_discord.payloads import JSON

pytestmark = pytest.mark.asyncio(loop_scope="module")

ZWSP, RLO, LRM = "\u200b", "\u202e", "\u200e"
MEGABYTE = 1_000_000


def random_word(rng: random.Random, length: int, alphabet: str) -> str:
    """Random, so each secret's tail is unique in the traffic; with a letter and a digit."""
    word = "".join(rng.choice(alphabet) for _ in range(length - 2))
    return word + rng.choice(string.ascii_letters) + rng.choice(string.digits)


def fake_secrets(seed: int = 20260101) -> dict[str, str]:
    """Secret-shaped strings of every kind the redactor knows, built at runtime (none is real)."""
    rng = random.Random(seed)
    alnum = string.ascii_letters + string.digits
    upper = string.ascii_uppercase + string.digits
    urlsafe = alnum + "_-"
    return {
        "fireworks": "fw_" + random_word(rng, 24, alnum),
        "fire_pass": "fpk_" + random_word(rng, 24, alnum),
        "fireworks_dash": "fw-" + random_word(rng, 32, alnum),
        "openai": "sk-" + random_word(rng, 40, alnum),
        "openai_project": "sk-proj-" + random_word(rng, 48, urlsafe),
        "discord": "M"
        + random_word(rng, 25, urlsafe)
        + "."
        + random_word(rng, 6, urlsafe)
        + "."
        + random_word(rng, 38, urlsafe),
        "aws": "AKIA" + random_word(rng, 16, upper).upper(),
        "bearer": random_word(rng, 40, alnum),
        "assigned": random_word(rng, 32, alnum),
        "split": random_word(rng, 24, alnum),  # a fw_ key with a zero-width space inside
        "rtl": random_word(rng, 24, alnum),  # a fw_ key with a right-to-left override inside
        "query": "fw_" + random_word(rng, 24, alnum),
        "menu": "sk-" + random_word(rng, 40, alnum),
        "megabyte": "fw_" + random_word(rng, 24, alnum),
        "deep_json": "fpk_" + random_word(rng, 24, alnum),
        "binary": "fw_" + random_word(rng, 24, alnum),
        "button": "fw_" + random_word(rng, 24, alnum),
        # Issue 8: glued to a JSON escape, split by a colour code, in a .yaml file, in an edit.
        "json_glued": "fw_" + random_word(rng, 24, alnum),
        "ansi": random_word(rng, 24, alnum),  # a fw_ key with a colour code inside
        "yaml": "fpk_" + random_word(rng, 24, alnum),
        "edit": "sk-" + random_word(rng, 40, alnum),
    }


SECRETS = fake_secrets()
SPLIT_KEY = f"fw_{SECRETS['split'][:10]}{ZWSP}{SECRETS['split'][10:]}"
RTL_KEY = f"fw_{SECRETS['rtl'][:12]}{RLO}{SECRETS['rtl'][12:]}"
ANSI_KEY = f"fw_{SECRETS['ansi'][:10]}\x1b[0m{SECRETS['ansi'][10:]}"


def needles() -> Iterator[str]:
    """What must never appear: each secret whole, and its tail (past what a marker shows)."""
    for name, secret in SECRETS.items():
        yield secret
        yield secret[-12:]
        if name in ("split", "rtl", "ansi"):
            yield secret[:10]  # the part before the invisible character, beyond the prefix
    yield SPLIT_KEY
    yield RTL_KEY
    yield ANSI_KEY


@dataclass
class Traffic:
    requests: list[Recorded]
    records: list[logging.LogRecord]
    authors: set[int]
    support_role: int


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.format(record)  # fills exc_text, so tracebacks are searched too
        self.records.append(record)


def deep_json(depth: int, secret: str) -> str:
    return "[" * depth + json.dumps({"api_key": secret, "error": {"code": 429}}) + "]" * depth


async def run_battery(harness: Harness) -> None:
    """Post every hostile message, run the command and the menu, press a button; wait for all."""
    fake, s = harness.fake, SECRETS
    alice, owner = fake.user, fake.world.owner
    help_posts = [
        (f"@everyone {RATE_LIMIT_PASTE}\nclient = Fireworks(api_key='{s['fireworks']}')", alice),
        (
            f"@here <@123> <@&456> {SERVER_ERROR_PASTE}\n"
            f"curl -H 'Authorization: Bearer {s['bearer']}' -H 'x-key: {s['fire_pass']}'",
            owner,
        ),
        (f"{LRM}{RLO}why 429?? {RLO}{RATE_LIMIT_PASTE} {RTL_KEY} {ZWSP}@{ZWSP}everyone", alice),
        (f"key {SPLIT_KEY} \x00\x00 Error code: 401 invalid api key \x00", owner),
        (f"OPENAI_API_KEY={s['openai']} and {s['openai_project']} {s['fireworks_dash']}", alice),
        (f"bot token {s['discord']} aws {s['aws']} secret_key: {s['assigned']}", owner),
        ("x" * 3990, alice),  # a near-limit message, no secret
        (f'{{"env": "HOME=/root\\n{s["json_glued"]}", "status": 429}}', owner),
        (f"```\n\x1b[31m{ANSI_KEY}\x1b[0m\n```\n{RATE_LIMIT_PASTE}", alice),
    ]
    for content, author in help_posts:
        await fake.post_message(content, author=author)

    half = (RATE_LIMIT_PASTE + "\n").encode() * (MEGABYTE // 2 // (len(RATE_LIMIT_PASTE) + 1))
    big = half + f"token={s['megabyte']}\n".encode() + half  # mid-paste, past what explain reads
    blob = bytes(random.Random(3).randrange(256) for _ in range(4096))
    attachments = [
        fake.attachment("megabyte.log", big),
        # Served as text/plain: the fake's recorder would itself choke on parsing deep JSON.
        fake.attachment(
            "deep.json", deep_json(20_000, s["deep_json"]).encode(), content_type="text/plain"
        ),
        fake.attachment("dump.log", blob + f" {s['binary']} ".encode() + blob),
        fake.attachment("core", blob, content_type="application/octet-stream"),
        fake.attachment("settings.yaml", f"fireworks:\n  key: {s['yaml']}\n".encode()),
    ]
    for attachment in attachments:
        await fake.post_message("log attached <@&456>", attachments=[attachment], author=owner)
    edited = await fake.post_message(CHATTER, author=alice)
    await fake.edit_message(edited, f"{CHATTER} OPENAI_API_KEY={s['edit']}")

    await fake.slash_command("fwerror", {"query": f"{RATE_LIMIT_PASTE} key={s['query']}"})
    target = await fake.post_message(
        f"@everyone {SERVER_ERROR_PASTE} {s['menu']}", channel=harness.general, author=owner
    )
    await fake.message_command("Explain error", target, channel=harness.general)

    await fake.post_message(f"{SERVER_ERROR_PASTE}\nkey: {s['button']}")
    marker = s["button"][:7] + "…[redacted]"
    repost = await fake.wait_for_request(
        "POST", MESSAGES, predicate=lambda r: marker in json.dumps(r.json, ensure_ascii=False)
    )
    answer = await fake.wait_for_request("POST", MESSAGES, predicate=is_reply_to(repost.response))
    message = fake.world.messages[answer.response["id"]]
    custom_id = message["components"][0]["components"][0]["custom_id"]
    await fake.click_button(message, custom_id, user=fake.world.owner)
    await fake.settle(0.5)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def traffic(harness: Harness) -> AsyncIterator[Traffic]:
    collect = Collect()
    loggers = [logging.getLogger("bot"), logging.getLogger("discord")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(collect)
    try:
        start = len(harness.fake.requests)
        await run_battery(harness)
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(collect)
            logger.setLevel(level)
    fake = harness.fake
    yield Traffic(
        requests=fake.requests[start:],
        records=collect.records,
        authors={int(fake.user["id"]), int(fake.world.owner["id"])},
        support_role=int(harness.support_role["id"]),
    )


def sent_text(recorded: Recorded) -> str:
    """Everything the bot put in a request: path, query, JSON body and uploaded files."""
    parts = [recorded.path, json.dumps(recorded.query, ensure_ascii=False)]
    parts.append(json.dumps(recorded.json, ensure_ascii=False))
    parts += [upload.data.decode("utf-8", errors="replace") for upload in recorded.files]
    return "\n".join(parts)


def message_bodies(recorded: Recorded) -> list[JSON]:
    """The message payloads in a request that carry text someone could be pinged by."""
    body = recorded.json
    if not isinstance(body, dict):
        return []
    if re.fullmatch(CALLBACK, recorded.path):
        body = body.get("data") or {}
    if isinstance(body.get("message"), dict):  # a forum post starts with a message
        body = body["message"]
    return [body] if body.get("content") or body.get("embeds") else []


async def test_the_battery_was_handled(traffic: Traffic) -> None:
    """Guards the guards: the checks below mean little if the bot did nothing."""
    posts = [r for r in traffic.requests if r.method == "POST" and r.status == 200]
    deletes = [r for r in traffic.requests if r.method == "DELETE" and r.status == 204]
    reposts = [r for r in posts if "re-posted with the secret removed" in sent_text(r)]
    warnings = [r for r in posts if re.search(r"Revoke (it|them) now", sent_text(r))]
    # 8 posts, 4 readable attachments and an edit with a secret, the button's paste, the menu's
    # target
    assert len(deletes) == len(reposts) == 15
    assert len(warnings) == 15
    assert any(re.fullmatch(CALLBACK, r.path) for r in posts)
    uploads = [len(upload.data) for r in reposts for upload in r.files]
    assert max(uploads) > 0.99 * MEGABYTE  # the megabyte paste went back whole, as a file
    assert len(traffic.records) > 100


async def test_no_secret_in_any_request(traffic: Traffic) -> None:
    for recorded in traffic.requests:
        text = sent_text(recorded)
        leaked = [needle for needle in needles() if needle in text]
        assert not leaked, f"{recorded}: {leaked}"


async def test_no_secret_in_any_log_record(traffic: Traffic) -> None:
    for record in traffic.records:
        text = f"{record.getMessage()}\n{record.exc_text or ''}"
        leaked = [needle for needle in needles() if needle in text]
        assert not leaked, f"{record.name}:{record.lineno}: {leaked}"


async def test_every_message_pings_only_its_author_or_the_support_role(
    traffic: Traffic,
) -> None:
    bodies = [body for r in traffic.requests for body in message_bodies(r)]
    assert len(bodies) > 20
    for body in bodies:
        mentions = body.get("allowed_mentions")
        assert mentions is not None, body
        assert mentions.get("parse") == [], mentions
        users, roles = mentions.get("users", []), mentions.get("roles", [])
        assert len(users) <= 1 and set(map(int, users)) <= traffic.authors, mentions
        assert set(map(int, roles)) <= {traffic.support_role}, mentions
        text = json.dumps(body, ensure_ascii=False)
        assert "@everyone" not in text and "@here" not in text, body
        assert "<@&456>" not in text and "<@123>" not in text, body
