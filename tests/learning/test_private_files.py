"""Files the bot creates are readable by its own user only (0600), on real files, under the
usual umask (022), which would otherwise leave them world-readable (0644)."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.observability.worker_lock import lock_path, worker_lock
from bot.store.url import sqlite_path
from tests.exts.conftest import RATE_LIMIT_PASTE
from tests.learning.conftest import World
from tests.learning.test_report_end_to_end import cli

PRIVATE = 0o600


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sqlite_files(database: Path) -> list[Path]:
    return [
        database,
        database.with_name(database.name + "-wal"),
        database.with_name(database.name + "-shm"),
    ]


async def test_the_database_and_its_wal_and_shm_files_are_private(world: World) -> None:
    database = Path(sqlite_path(world.settings.database_url) or "")
    assert not database.exists()
    async with world.bot() as bot:
        await world.answered(RATE_LIMIT_PASTE)
        await bot.store.flush()
        files = sqlite_files(database)
        assert all(path.exists() for path in files)  # WAL mode: all three while it runs
        assert {path.name: mode(path) for path in files} == {p.name: PRIVATE for p in files}


async def test_a_world_readable_database_from_before_is_made_private(world: World) -> None:
    database = Path(sqlite_path(world.settings.database_url) or "")
    connection = sqlite3.connect(database)  # as an older version left it: 0644 under umask 022
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t (x)")
    files = sqlite_files(database)
    assert all(path.exists() and mode(path) == 0o644 for path in files)
    async with world.bot():
        await world.answered(RATE_LIMIT_PASTE)
        assert {path.name: mode(path) for path in files} == {p.name: PRIVATE for p in files}
    connection.close()


async def test_the_report_corpus_is_private(world: World, tmp_path: Path) -> None:
    async with world.bot() as bot:
        await world.answered(RATE_LIMIT_PASTE + "\nfrom the corpus test")
        await bot.store.flush()
    corpus = tmp_path / "out.jsonl"
    corpus.write_text("")  # an existing file keeps no looser mode either
    corpus.chmod(0o644)
    assert (
        cli("report", "--corpus", str(corpus), "--database", world.settings.database_url).returncode
        == 0
    )
    assert mode(corpus) == PRIVATE


def test_the_worker_lock_file_is_private(tmp_path: Path) -> None:
    with worker_lock("fake-TEST-token", tmp_path) as mine:
        assert mine and mode(lock_path("fake-TEST-token", tmp_path)) == PRIVATE
