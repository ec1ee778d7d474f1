"""What counting a wave costs on the reply's path: one report of a server-side error, in memory
and in the store, before a wave (a count) and during one (the incident read back too).

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
QUIET = 500  # reports before the wave: each from a new trouble, so none makes a wave


def p(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1]


def line(label: str, samples: list[float]) -> str:
    return f"    {label}: p50 {p(samples, 50):.3f} ms, p95 {p(samples, 95):.3f} ms"


async def store_latency(url: str) -> tuple[list[float], list[float]]:
    from bot.core.incidents import Report, WaveRules
    from bot.store.store import Store

    store = Store(url)
    await store.open()
    rules, now = WaveRules(), 1_800_000_000.0
    quiet, wave = [], []
    try:
        for n in range(QUIET):
            started = time.perf_counter()
            await store.report_wave(Report(n, n, f"trouble-{n}", now, None, ""), rules)
            quiet.append((time.perf_counter() - started) * 1000)
        for n in range(REPORTS):
            report = Report(10_000 + n, 10_000 + n, "503", now + n * 0.1, "m", "https://x")
            started = time.perf_counter()
            await store.report_wave(report, rules)
            wave.append((time.perf_counter() - started) * 1000)
    finally:
        await store.close()
    return quiet, wave


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
                quiet, wave = asyncio.run(store_latency(url))
                print(line(f"{label}, outside a wave", quiet))
                print(line(f"{label}, in the wave", wave))
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
