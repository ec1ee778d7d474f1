"""Soak: 50,000 mixed messages through the fake Discord; memory at start and end, slowest reply.

A plain script, not a test: `python benchmarks/bench_soak.py`. Loopback only, bounded.
Same rig as bench_discord.py (the fake in a child process, one author per message). The mix:
corpus pastes, chatter, and hostile messages (fake keys built here, glued to a JSON escape or
split by a colour code, mass mentions, invisible characters, NUL, near-limit messages), with a
200 KB log attached now and then. Escalations go to a moderators' queue channel, so they are
counted too.
"""

from __future__ import annotations

import random
import string
import time

from bench_discord import BURST, Rig, corpus, messages, run

TOTAL = 50_000
ATTACH_EVERY = 250
ERROR = "openai.RateLimitError: Error code: 429 - {'error': 'rate limit exceeded'}"


def fake_key(rng: random.Random) -> str:
    body = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(30)) + "7q"
    return rng.choice(["fw_", "fpk_", "sk-", "Bearer "]) + body


def split_key(key: str) -> tuple[str, str]:
    return key[:9], key[9:]


def hostile(rng: random.Random, pastes: list[str]) -> str:
    paste = rng.choice(pastes)
    return rng.choice(
        [
            f"@everyone {paste}",
            f"<@123> <@&456> @here {paste[:500]}",
            f"{paste} my key: {fake_key(rng)}",
            f"is this key still valid? {fake_key(rng)}",
            "\u202e\u200b" + paste.replace(" ", " \u200b") + "\x00",
            ("x" * 40 + "\n") * 95,
            # Issue 8: a key glued to a JSON escape, and one split by a colour code.
            f'{{"env": "HOME=/root\\n{fake_key(rng)}", "error": "{paste[:200]}"}}',
            "```\n{}\x1b[0m{}\n```".format(*split_key(fake_key(rng))),
        ]
    )


async def soak(rig: Rig) -> None:
    rng = random.Random(50)
    pastes = corpus("python_sdk", "js_and_http_clients", "json_bodies", "chat_reports")
    start_rss = rig.rss()
    slowest = 0.0
    ignored = 0
    started = time.perf_counter()
    for burst in range(TOTAL // BURST):
        authors = []
        for n, text in enumerate(messages(BURST, seed=1_000 + burst)):
            if rng.random() < 0.1:
                text = hostile(rng, pastes)
            if n % ATTACH_EVERY == 0:
                log = ("INFO step\n" * 20_000 + ERROR + "\n").encode()
                attachment = rig.fake.attachment("run.log", log)
                authors.append(
                    await rig.post("log attached", expect=True, attachments=[attachment])
                )
                continue
            authors.append(await rig.post(text))
        await rig.caught_up()
        latencies = rig.observer.latencies_ms(authors)
        slowest = max([slowest, *latencies])
        ignored += len(authors) - len(latencies)
        if (burst + 1) % 10 == 0:
            print(f"bot RSS after {(burst + 1) * BURST:>6,} messages: {rig.rss():.1f} MB")
    elapsed = time.perf_counter() - started
    observer = rig.observer
    print(
        f"{TOTAL:,} messages in {elapsed:.0f} s ({TOTAL / elapsed:.0f}/s, in bursts of {BURST:,})"
    )
    print(f"bot RSS: {start_rss:.1f} MB at start, {rig.rss():.1f} MB at the end")
    print(f"slowest reply (dispatch -> POST, under burst load): {slowest:.0f} ms")
    print(
        f"replies {len(observer.replied_at):,}, ignored {ignored:,}, escalations "
        f"{observer.escalations:,}, leaked-key deletions {observer.deletes:,}"
    )


if __name__ == "__main__":
    run(soak, {"FWERROR_ESCALATION_CHANNEL_ID": "{queue}"})
