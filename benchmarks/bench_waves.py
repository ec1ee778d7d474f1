"""What counting a wave costs: one report of a server-side error, in memory (on the reply's
path) and in the store (after the answer is sent), before a wave (a count) and during one (the
incident read back too); and a burst sent to the store in batches, as `bot.waves` sends it.

A plain script, not a test: `python benchmarks/bench_waves.py`. Loopback only. PostgreSQL runs
are included when FWERROR_TEST_POSTGRES_URL is set or a server can be started here.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPORTS = 1_000
BATCH = 50  # reports per batch in the burst
QUIET = 500  # reports before the wave: each from a new trouble, so none makes a wave


def p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1]


def line(label: str, samples: list[float]) -> str:
    return f"    {label}: p50 {p(samples, 50):.3f} ms, p95 {p(samples, 95):.3f} ms"


async def store_latency(url: str) -> tuple[list[float], list[float], list[float]]:
    from bot.core.incidents import Report, WaveRules
    from bot.store.store import Store

    store = Store(url)
    await store.open()
    rules, now = WaveRules(), 1_800_000_000.0
    quiet, wave, batches = [], [], []
    try:
        for n in range(QUIET):
            started = time.perf_counter()
            await store.report_waves([Report(n, n, f"trouble-{n}", now, None, "")], rules)
            quiet.append((time.perf_counter() - started) * 1000)
        for n in range(REPORTS):
            report = Report(10_000 + n, 10_000 + n, "503", now + n * 0.1, "m", "https://x")
            started = time.perf_counter()
            await store.report_waves([report], rules)
            wave.append((time.perf_counter() - started) * 1000)
        burst = [
            Report(20_000 + n, 20_000 + n, ("502", "503", "504")[n % 3], now + 200, "m", "x")
            for n in range(REPORTS)
        ]
        for start in range(0, REPORTS, BATCH):
            started = time.perf_counter()
            await store.report_waves(burst[start : start + BATCH], rules)
            batches.append((time.perf_counter() - started) * 1000)
    finally:
        await store.close()
    return quiet, wave, batches


def memory_latency() -> tuple[list[float], list[float]]:
    from bot.core.incidents import MemoryWaves, Report, WaveRules

    waves, rules, now = MemoryWaves(), WaveRules(), 1_800_000_000.0
    quiet, wave = [], []
    for n in range(QUIET):
        started = time.perf_counter()
        waves.report(Report(n, n, f"trouble-{n}", now, None, ""), rules)
        quiet.append((time.perf_counter() - started) * 1000)
    for n in range(REPORTS):
        started = time.perf_counter()
        waves.report(Report(10_000 + n, 10_000 + n, "503", now + n * 0.1, "m", "x"), rules)
        wave.append((time.perf_counter() - started) * 1000)
    return quiet, wave


def main() -> None:
    from tests.store.fixtures import new_postgres_database
    from tests.store.pg_cluster import ENV_URL, NoPostgres, start_cluster

    print(f"One report ({QUIET} outside a wave, then {REPORTS:,} in one wave of as many people):")
    quiet, wave = memory_latency()
    print(line("memory, outside a wave", quiet))
    print(line("memory, in the wave", wave))
    admin, cluster = os.environ.get(ENV_URL), None
    if not admin:
        try:
            cluster = start_cluster()
            admin = cluster.url
        except NoPostgres as error:
            print(f"(PostgreSQL runs skipped: {error})")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            databases = [("SQLite", f"sqlite:///{tmp}/bench.db")]
            if admin:
                databases.append(("PostgreSQL", new_postgres_database(admin)))
            for label, url in databases:
                quiet, wave, batches = asyncio.run(store_latency(url))
                print(line(f"{label}, outside a wave", quiet))
                print(line(f"{label}, in the wave", wave))
                print(line(f"{label}, a burst in batches of {BATCH} (per batch)", batches))
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
