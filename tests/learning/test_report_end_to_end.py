"""The report on a database filled by an end-to-end run, /fwerror-admin report, and
/fwerror-forget-me."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, update

from bot import records
from bot.store import schema
from tests.exts.conftest import CALLBACK, FOLLOWUP, RATE_LIMIT_PASTE
from tests.learning.conftest import World

ROOT = Path(__file__).resolve().parents[2]
FAKE_KEY = "fw_" + "Zq8" * 10  # shaped like a Fireworks key, built at runtime
# Three copies of one unknown error, differing only in what varies between users.
UNKNOWN = (
    "openai.APIStatusError: Error code: 418 - {{'error': {{'message': 'teapot refused "
    "request req_{n}abcdef12 for accounts/acme{n}/models/brew-{n}'}}}}"
)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )


async def _fill(world: World) -> dict[str, object]:
    """Unknown errors (one leaking a key), a "Didn't help" vote and a query matching nothing."""
    fake = world.fake
    pastes = []
    for n, extra in ((1, ""), (22, f"\nkey={FAKE_KEY}"), (333, "")):
        paste, _ = await world.answered(UNKNOWN.format(n=n) + extra)
        pastes.append(paste)
    _, reply = await world.answered(RATE_LIMIT_PASTE)
    custom = next(
        c["custom_id"]
        for row in reply["components"]
        for c in row["components"]
        if c["label"] == "Didn't help"
    )
    await fake.click_button(reply, custom)
    await fake.wait_for_request("POST", CALLBACK)
    await fake.slash_command("fwerror", {"query": "my toaster says zzkqx"})
    await fake.wait_for_request("POST", CALLBACK)
    # Exact, and right: its raw score (0.62) put it on the low-confidence list (issue 19).
    await fake.slash_command("fwerror", {"query": "CERTIFICATE_VERIFY_FAILED"})
    await fake.wait_for_request("POST", CALLBACK)
    await fake.settle(0.3)
    return {"pastes": pastes, "answer": reply}


async def test_report_lists_what_it_should_redacted_and_grouped(world: World) -> None:
    async with world.bot(delete_leaked_keys=False) as bot:
        filled = await _fill(world)
        await bot.store.flush()
    url = world.settings.database_url

    done = cli("report", "--json", "--since", "1d", "--database", url)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report) >= {"unknown", "no_match", "not_helpful", "low_confidence", "entries"}
    assert FAKE_KEY not in done.stdout

    [unknown] = report["unknown"]  # three near-identical pastes, one group
    assert unknown["count"] == 3
    assert "teapot refused" in unknown["example"]
    links = {p["id"] for p in filled["pastes"]}
    assert {link.rsplit("/", 1)[1] for link in unknown["jump_links"]} == links
    [not_helpful] = report["not_helpful"]
    assert not_helpful["entries"] == {"429-rate-limit": 1}
    [no_match] = report["no_match"]
    assert "zzkqx" in no_match["example"]
    assert report["low_confidence"] == []  # calibrated: the exact TLS answer is not listed
    [entry] = [e for e in report["entries"] if e["entry"] == "429-rate-limit"]
    assert (entry["answers"], entry["helped"], entry["not_helpful"]) == (1, 0, 1)

    text = cli("report", "--since", "1d", "--database", url)
    assert text.returncode == 0 and FAKE_KEY not in text.stdout
    assert f"[{unknown['id']}] x3" in text.stdout


async def test_report_groups_become_knowledge_and_corpus_cases(
    world: World, tmp_path: Path
) -> None:
    async with world.bot(delete_leaked_keys=False) as bot:
        await _fill(world)
        await bot.store.flush()
    url = world.settings.database_url
    report = json.loads(cli("report", "--json", "--database", url).stdout)
    group = report["unknown"][0]["id"]

    knowledge = tmp_path / "knowledge"
    subprocess.run(["cp", "-r", str(ROOT / "knowledge"), str(knowledge)], check=True)
    done = cli(
        "new", "418", "teapot", "--from-report", group, "--database", url,
        "--knowledge", str(knowledge),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = (knowledge / "418-teapot.yaml").read_text()
    assert "teapot refused" in written and FAKE_KEY not in written
    assert written.count("teapot refused") == 3

    done = cli(
        "new", "--from-report", group, "--into", "429-rate-limit", "--database", url,
        "--knowledge", str(knowledge),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    import yaml

    entry = yaml.safe_load((knowledge / "429-rate-limit.yaml").read_text())
    assert sum("teapot refused" in example for example in entry["examples"]) == 3

    corpus = tmp_path / "out.jsonl"
    assert cli("report", "--corpus", str(corpus), "--database", url).returncode == 0
    cases = [json.loads(line) for line in corpus.read_text().splitlines()]
    assert any("teapot refused" in case["text"] for case in cases)
    assert all(case["expected"] is None for case in cases)


async def test_admin_report_is_ephemeral_and_lists_old_open_escalations(world: World) -> None:
    fake = world.fake
    async with world.bot(delete_leaked_keys=False) as bot:
        await _fill(world)
        await bot.store.flush()
        # An escalation opened two days ago and never resolved.
        await bot.store.add_escalation(
            {"key": 77, "matched": "unmatched", "excerpt": "x", "jump_url": "https://j/77"}
        )
        async with bot.store.store.engine.begin() as conn:
            await conn.execute(
                update(schema.escalations)
                .where(schema.escalations.c.key == 77)
                .values(created_at=time.time() - 2 * 86400)
            )
        await world.forget_requests()
        await fake.interact(
            2,
            admin_report_data(fake),
            user=fake.world.owner,
        )
        deferred = await fake.wait_for_request("POST", CALLBACK)
        assert deferred.json["data"]["flags"] & 64  # ephemeral
        answer = await fake.wait_for_request("POST", FOLLOWUP)
        content = answer.json["content"]
        assert len(content) <= 2000
        assert "Error reports no entry fits" in content
        assert "teapot refused" in content and FAKE_KEY not in content
        assert "Escalations open for more than a day: 1" in content
        # Readable: no code block, clickable links; every group is in the attached file.
        assert "```" not in content and "[jump 1](<https://discord.com/channels/" in content
        [whole] = answer.files
        assert whole.filename == "fwerror-report.md"
        markdown = whole.data.decode()
        assert "## Error reports no entry fits" in markdown and "teapot refused" in markdown
        assert "[jump 3](<https://discord.com/channels/" in markdown and FAKE_KEY not in markdown
        assert "https://j/77" in content


def admin_report_data(fake) -> dict:
    """The `/fwerror-admin report` subcommand as Discord sends it."""
    from tests.fake_discord.payloads import CommandType

    command = fake.world.command_named("fwerror-admin", CommandType.CHAT_INPUT, fake.guild.id)
    return {
        "id": command["id"],
        "name": "fwerror-admin",
        "type": CommandType.CHAT_INPUT,
        "guild_id": command.get("guild_id"),
        "options": [{"name": "report", "type": 1, "options": []}],
    }


async def test_forget_me_deletes_the_users_rows(world: World) -> None:
    fake = world.fake
    alice = int(fake.user["id"])
    async with world.bot(delete_leaked_keys=False) as bot:
        await _fill(world)
        await bot.store.flush()

        async def mine() -> int:
            d = schema.decisions
            async with bot.store.store.engine.connect() as conn:
                query = select(func.count()).select_from(d).where(d.c.author_id == alice)
                return (await conn.execute(query)).scalar_one()

        assert await mine() == 6
        assert records._cleaned.cache_info().currsize > 0  # their texts, cleaned for the store
        await world.forget_requests()
        await fake.slash_command("fwerror-forget-me")
        await fake.wait_for_request("POST", CALLBACK)
        done = await fake.wait_for_request("POST", FOLLOWUP)
        assert "deleted 6 record(s)" in done.json["content"]
        assert "1 vote(s)" in done.json["content"]
        assert await mine() == 0
        counts = await bot.store.store.counts()
        assert counts["fwerror_feedback"] == 0
        assert records._cleaned.cache_info().currsize == 0  # nor kept in memory


# Personal data and credentials that are no key to revoke, in a paste that reaches a human.
PRIVATE = {
    "e-mail": "alice.smith@example.com",
    "URL password": "S3cretFAKEpass",
    "Hugging Face": "hf_" + "FAKEtest" * 4,
    "GitHub": "ghp_" + "FAKEtest0" * 4,
    "GitHub fine-grained": "github_pat_" + "FAKE_test0" * 4,
    "JWT": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJGQUtFIn0.FAKEsigTEST",
    "Slack": "xoxb-" + "FAKE-test0" * 3,
    "home": "alice",
}
LEAKY = (
    "\x1b]52;c;ZmFrZQ==\x07\u202e\x9b2K alice.smith@example.com "  # shown even when cut short
    "openai.APIStatusError: Error code: 418 - {'error': {'message': 'teapot refused'}}\n"
    '  File "/home/alice/app/main.py" / "/Users/alice/app.py" / "C:\\Users\\alice\\app.py"\n'
    "DATABASE_URL=postgres://fwuser:S3cretFAKEpass@db.internal:5432/app "
    f"mail alice.smith@example.com hf {PRIVATE['Hugging Face']} gh {PRIVATE['GitHub']} "
    f"{PRIVATE['GitHub fine-grained']} jwt {PRIVATE['JWT']} slack {PRIVATE['Slack']}\n"
)
# What a terminal obeys: OSC 52 (clipboard), OSC 8 (a hidden link), cursor and erase, C1, bidi.
ESCAPES = (
    "\x1b]52;c;ZmFrZQ==\x07 \x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\ "
    "\x1b[2J\x1b[1A\x1b[2K \x9b1A \x9d52;c;ZmFrZQ==\x9c \u202eevil\u202c \u2066x\u2069 \r"
)
SHOWN_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069]"
)


def everything_in(database: str) -> str:
    """Every row of every table, as text."""
    with sqlite3.connect(database) as conn:
        tables = conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        return "\n".join(
            repr(row) for [table] in tables for row in conn.execute(f"SELECT * FROM {table}")
        )


def decided(database: str) -> bool:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM fwerror_decisions").fetchone()[0] > 0


def leaked(text: str) -> list[str]:
    return [name for name, value in PRIVATE.items() if value in text]


async def test_no_personal_data_reaches_the_store_the_report_or_scaffolded_yaml(
    world: World, tmp_path: Path
) -> None:
    fake = world.fake
    database = world.settings.database_url.removeprefix("sqlite:///")
    async with world.bot(delete_leaked_keys=False) as bot:
        await world.answered(LEAKY + ESCAPES)
        deadline = time.monotonic() + 10
        while not decided(database):  # the decision is written after the reply
            assert time.monotonic() < deadline
            await bot.store.flush()
            await asyncio.sleep(0.05)
        stored = everything_in(database)
        assert "teapot refused" in stored
        assert leaked(stored) == []

        # A row kept by an older version, holding everything verbatim, is cleaned on the way out.
        with sqlite3.connect(database) as conn:
            kept = conn.execute("UPDATE fwerror_decisions SET excerpt = ?", (LEAKY + ESCAPES,))
            assert kept.rowcount == 1
        await world.forget_requests()
        await fake.interact(2, admin_report_data(fake), user=fake.world.owner)
        await fake.wait_for_request("POST", CALLBACK)
        shown = (await fake.wait_for_request("POST", FOLLOWUP)).json["content"]
        assert "[e-mail] openai.APIStatusError: Error code: 418" in shown
        assert leaked(shown) == []
        assert SHOWN_CONTROL.findall(shown) == []

    url = world.settings.database_url
    text = cli("report", "--since", "1d", "--database", url)
    as_json = cli("report", "--json", "--since", "1d", "--database", url)
    assert text.returncode == 0 and as_json.returncode == 0, text.stderr + as_json.stderr
    for out in (text.stdout, as_json.stdout):
        assert "teapot refused" in out
        assert leaked(out) == []
        assert SHOWN_CONTROL.findall(out) == []

    group = json.loads(as_json.stdout)["unknown"][0]["id"]
    knowledge = tmp_path / "knowledge"
    subprocess.run(["cp", "-r", str(ROOT / "knowledge"), str(knowledge)], check=True)
    done = cli(
        "new", "418", "teapot", "--from-report", group, "--database", url,
        "--knowledge", str(knowledge),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = (knowledge / "418-teapot.yaml").read_text(encoding="utf-8")
    assert "teapot refused" in written and "/home/[user]/app" in written
    assert leaked(written) == []
    assert SHOWN_CONTROL.findall(written) == []
