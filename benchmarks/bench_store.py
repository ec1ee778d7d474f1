"""The store's cost: answer latency with the store on vs off, the report over 100,000
stored decisions, and the writer on hostile rows (NUL, lone surrogates, over-long labels, rows
the database refuses).

A plain script, not a test: `python benchmarks/bench_store.py`. Loopback only.

Goals (issue "The learning loop"): with the store on, the p95 from a paste's dispatch to the
reply's POST stays within 1 ms of the p95 without it; `report` over 100,000 decisions takes
under 2 s. PostgreSQL runs are included when FWERROR_TEST_POSTGRES_URL is set or a server can
be started here (as the tests do); SQLite always.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

PACED = 2_000  # about a thousand replies: a p95 the machine's noise moves less
INTERVAL = 0.005
CLAIMS = 2_000
DECISIONS = 100_000
WRITES = 20_000
WAVE_REPORTS = 300
# What users' text and bugs put in a row: NUL (PostgreSQL refuses it), lone surrogates (both
# drivers refuse them), a label past its VARCHAR; and a Discord id past 64 bits (no cleaning helps).
HOSTILE_TEXT = "\x00 NUL \ud800 lone \udfff surrogates \x00"
REFUSED_ID = 2**64 - 1


def p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1]


# -- the claim itself, in process ---------------------------------------------------------------


async def claim_latency(url: str) -> tuple[float, float]:
    from bot.store.service import StoreService

    service = StoreService(url)
    await service.start()
    samples = []
    for key in range(CLAIMS):
        started = time.perf_counter()
        assert await service.claim("answer", key + random.randrange(1 << 40))
        samples.append((time.perf_counter() - started) * 1000)
    await service.close()
    return p(samples, 50), p(samples, 95)


# -- a wave's report, counted in the store on the event loop's thread ---------------------------


async def wave_report_cost(url: str) -> tuple[float, float]:
    """The process's CPU and the wall time per report of server-side trouble, one at a time
    (three troubles in turn, each a wave from its third report on): what the loop spends."""
    from bot.core.incidents import Report, WaveRules
    from bot.store.store import Store

    store = Store(url)
    await store.open()
    rules, troubles, now = WaveRules(), ("502", "503", "520"), time.time()
    cpu, wall = [], []
    for n in range(WAVE_REPORTS):
        report = Report(10**17 + n, 1_000 + n, troubles[n % 3], now + n / 100, "m", f"u/{n}")
        cpu_started, started = time.process_time(), time.perf_counter()
        await store.report_waves([report], rules)
        cpu.append((time.process_time() - cpu_started) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    await store.close()
    return statistics.median(cpu), statistics.median(wall)


# -- dispatch to reply through the fake Discord (bench_discord's rig) --------------------------


async def paced(rig) -> None:
    from bench_discord import messages, percentile

    authors = []
    start = time.perf_counter()
    for text in messages(PACED, seed=7):
        authors.append(await rig.post(text))
        await asyncio.sleep(INTERVAL)
    await rig.caught_up()
    rig.windows.append(("paced", start, rig.observer.last_activity))
    rig.paced = authors  # the bot prints where the slowest replies' time went
    latencies = rig.observer.latencies_ms(authors)
    print(
        f"    {len(latencies)} replies: dispatch -> reply POST p50 "
        f"{percentile(latencies, 50):.2f} ms, p95 {percentile(latencies, 95):.2f} ms"
    )


def reply_latency(label: str, url: str) -> None:
    import bench_discord

    print(f"  store {label}:")
    bench_discord.run(paced, {"FWERROR_DATABASE_URL": url})


# -- the report over 100,000 decisions ----------------------------------------------------------


def decision_rows(count: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    entries = [
        (f"{code}-cause-{n}", str(code)) for code in (400, 401, 404, 429, 500) for n in range(5)
    ]
    words = [
        "timeout",
        "socket",
        "model",
        "deployment",
        "quota",
        "token",
        "adapter",
        "region",
        "shard",
        "replica",
        "gateway",
        "upstream",
        "context",
        "window",
        "stream",
        "chunk",
        "decode",
        "schema",
        "tool",
        "function",
        "image",
        "audio",
        "batch",
        "tenant",
        "project",
        "billing",
        "cache",
        "lease",
        "lock",
        "queue",
        "worker",
        "scheduler",
    ]
    templates = [
        f"{''.join(w.title() for w in rng.sample(words, 2))}Error: Error code: "
        f"{rng.choice([418, 499, 503, 524])} - {{'error': '{' '.join(rng.sample(words, 6))} "
        "for request req_ID at T'}"
        for _ in range(150)
    ]
    now = time.time()
    rows = []
    for i in range(count):
        roll = rng.random()
        entry, code = rng.choice(entries)
        feature, confidence = "listener", 0.9
        if roll < 0.1:
            entry = code = None
            confidence = 0.0
        elif roll < 0.15:
            entry = code = None
            feature, confidence = "command", 0.0
        elif roll < 0.25:
            confidence = 0.6
        text = (
            rng.choice(templates)
            .replace("ID", f"{rng.getrandbits(48):x}")
            .replace("T", str(rng.randrange(10**6)))
        )
        rows.append(
            {
                "created_at": now - rng.uniform(0, 6 * 86400),
                "feature": feature,
                "action": "answer" if entry else "escalate",
                "outcome": "replied",
                "code": code,
                "entry": entry,
                "confidence": confidence,
                "evidence": "[]",
                "knowledge_version": "bench",
                "message_id": 10**17 + i,
                "channel_id": 1,
                "jump_url": f"https://discord.com/channels/1/1/{10**17 + i}",
                "author_id": rng.randrange(5000),
                "excerpt": text,
            }
        )
    return rows


async def report_time(url: str) -> None:
    from bot.report import fetch_report
    from bot.store.store import Store

    store = Store(url)
    await store.open()
    rows = decision_rows(DECISIONS)
    started = time.perf_counter()
    for start in range(0, len(rows), 2_000):
        await store.add_decisions(rows[start : start + 2_000])
    for i in range(0, DECISIONS, 20):  # a vote on every 20th answer, a third "Didn't help"
        await store.vote(i, i % 97, rows[i]["message_id"], i % 3 != 0)
    filled = time.perf_counter() - started
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        report = await fetch_report(store, time.time() - 7 * 86400)
        timings.append(time.perf_counter() - started)
    groups = {name: len(groups) for name, groups in report.groups.items()}
    print(
        f"    {DECISIONS:,} decisions (filled in {filled:.1f} s): report in "
        f"{min(timings):.2f} s best / {max(timings):.2f} s worst of 3; groups {groups}"
    )
    await store.close()


def hostile(index: int, row: dict) -> dict:
    return {**row, "excerpt": HOSTILE_TEXT + row["excerpt"], "code": "4" * 40, "entry": "e\x00"}


def one_refused(index: int, row: dict) -> dict:
    return {**row, "message_id": REFUSED_ID} if index % 100 == 0 else row


async def hostile_writes(url: str) -> None:
    """The background writer on clean rows, then on rows it must clean, then with a row in 100
    the database refuses (each batch then goes row by row)."""
    from bot.store.service import StoreService

    for label, spoil in (
        ("clean rows", None),
        ("NUL, surrogates, long labels in every row", hostile),
        ("1 row in 100 refused", one_refused),
    ):
        service = StoreService(url)
        await service.start()
        for index, row in enumerate(decision_rows(WRITES, seed=3)):
            service.record(spoil(index, row) if spoil else row)
        started = time.perf_counter()
        await service.flush()
        seconds = time.perf_counter() - started
        print(
            f"    {label:<42} {WRITES:,} rows in {seconds:5.2f} s ({WRITES / seconds:8,.0f}/s), "
            f"dropped {service.dropped}, store up: {service.up}"
        )
        await service.close()


def main() -> None:
    import argparse
    import logging

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parts_all = ("claim", "waves", "latency", "report", "hostile")
    parser.add_argument("--only", choices=parts_all, action="append")
    parts = set(parser.parse_args().only or parts_all)
    logging.basicConfig(level=logging.ERROR)
    from tests.store.fixtures import new_postgres_database
    from tests.store.pg_cluster import ENV_URL, NoPostgres, start_cluster

    admin, cluster = os.environ.get(ENV_URL), None
    if not admin:
        try:
            cluster = start_cluster()
            admin = cluster.url
        except NoPostgres as error:
            print(f"(PostgreSQL runs skipped: {error})")
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = f"sqlite:///{tmp}/bench.db"
        databases = [("SQLite", sqlite)]
        if admin:
            databases.append(("PostgreSQL", new_postgres_database(admin)))
        try:
            if "claim" in parts:
                print(f"The claim alone ({CLAIMS:,} claims, INSERT ... ON CONFLICT DO NOTHING):")
                for label, url in databases:
                    p50, p95 = asyncio.run(claim_latency(url))
                    print(f"    {label}: p50 {p50:.3f} ms, p95 {p95:.3f} ms")

            if "waves" in parts:
                print(
                    f"A wave's report counted alone ({WAVE_REPORTS} reports, CPU of the process):"
                )
                for label, url in databases:
                    url = f"sqlite:///{tmp}/waves.db" if label == "SQLite" else url
                    cpu, wall = asyncio.run(wave_report_cost(url))
                    print(f"    {label}: CPU {cpu:.2f} ms, wall {wall:.2f} ms per report (median)")

            if "latency" in parts:
                print(f"Answer latency through the fake Discord ({PACED} paced messages),")
                print("off and on in turn, twice (the machine's noise shows in the spread):")
                for _ in range(2):
                    reply_latency("off", "none")
                    for label, url in databases:
                        reply_latency(f"on ({label})", url)

            if "hostile" in parts:
                print(f"The writer on hostile rows ({WRITES:,} decisions, batches of 500):")
                for label, _ in databases:
                    url = (
                        f"sqlite:///{tmp}/hostile.db"
                        if label == "SQLite"
                        else new_postgres_database(admin)
                    )
                    print(f"  {label}:")
                    asyncio.run(hostile_writes(url))

            print("The report:" if "report" in parts else "")
            for label, _ in databases if "report" in parts else ():
                url = (
                    f"sqlite:///{tmp}/report.db"
                    if label == "SQLite"
                    else new_postgres_database(admin)
                )
                print(f"  {label}:")
                asyncio.run(report_time(url))
        finally:
            if cluster is not None:
                cluster.stop()


if __name__ == "__main__":
    main()
