"""The store as the bot uses it: a slow database costs one short deadline, not an answer."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from pathlib import Path

import pytest

from bot.store.service import StoreService
from bot.store.store import StoreUnavailable

pytestmark = pytest.mark.asyncio


async def test_a_locked_database_falls_back_to_memory_within_the_deadline(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "fwerror.db"
    fallbacks: list[str] = []
    service = StoreService(
        f"sqlite:///{path}", claim_timeout=0.2, retry_seconds=0.5, on_fallback=fallbacks.append
    )
    await service.start()
    assert await service.claim("answer", 1)
    assert not await service.claim("answer", 1)  # the database remembers

    # Another process holds the write lock: the claim gives up after SQLite's busy timeout.
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    caplog.set_level(logging.WARNING, logger="bot.store")
    started = time.perf_counter()
    assert await service.claim("answer", 2)  # memory decides
    waited = time.perf_counter() - started
    assert waited < 0.35
    assert fallbacks == ["answer"] and not service.up
    assert any("kept in memory" in r.getMessage() for r in caplog.records)
    started = time.perf_counter()
    assert await service.claim("answer", 3)  # within the retry pause: no wait at all
    assert time.perf_counter() - started < 0.01

    holder.execute("COMMIT")
    holder.close()
    await asyncio.sleep(0.6)
    assert await service.claim("answer", 4)  # back to the database after the pause
    assert not await service.claim("answer", 4)
    assert service.up
    await service.close()


async def test_decisions_are_written_in_the_background_and_kept_while_down(
    tmp_path: Path,
) -> None:
    service = StoreService(f"sqlite:///{tmp_path / 'f.db'}")
    await service.start()
    row = {
        "created_at": time.time(),
        "feature": "listener",
        "action": "answer",
        "outcome": "replied",
        "code": "429",
        "entry": "429-rate-limit",
        "confidence": 0.9,
        "evidence": "[]",
        "knowledge_version": "v",
        "message_id": 1,
        "channel_id": 2,
        "jump_url": None,
        "author_id": 3,
        "excerpt": "x",
    }
    service.record(row)
    await asyncio.sleep(0.8)  # the writer flushes every 0.5 s
    assert (await service.store.counts())["fwerror_decisions"] == 1
    await service.close()


async def test_no_store_means_memory_only() -> None:
    service = StoreService(None)
    await service.start()
    assert service.status == "not configured"
    assert await service.claim("answer", 1)
    await service.close()


async def test_close_lets_an_operation_on_its_way_finish_and_refuses_new_ones(
    tmp_path: Path,
) -> None:
    """An incident card's read still running when the bot shuts down ends with its answer
    (no connection is left out for a thread to close after the loop); one asked for after
    close is refused, not run on a disposed engine."""
    service = StoreService(f"sqlite:///{tmp_path / 'f.db'}")
    await service.start()
    assert service.store is not None
    reading = asyncio.create_task(service.incidents(lambda s: s.recent_incidents(0.0)))
    await asyncio.sleep(0)  # on its way
    await service.close()
    assert reading.done() and reading.result() == []
    with pytest.raises(StoreUnavailable, match="closed"):
        await service.incidents(lambda s: s.recent_incidents(0.0))


async def test_claims_given_back_meanwhile_go_together_in_one_statement(
    database_url: str,
) -> None:
    service = StoreService(database_url)
    await service.start()
    store = service.store
    assert store is not None
    batches: list[list[tuple[str, int]]] = []
    release_many = store.release_many

    async def recorded(claims: list[tuple[str, int]]) -> None:
        batches.append(list(claims))
        await release_many(claims)

    store.release_many = recorded  # type: ignore[method-assign]
    try:
        for key in range(60):
            assert await service.claim("answer", key)
        for key in range(50):  # quiet messages, given back as they come
            service.release("answer", key)
        await asyncio.sleep(0)  # the first DELETE is on its way with all fifty
        for key in range(50, 55):
            service.release("answer", key)
        for _ in range(200):
            if sum(map(len, batches)) == 55:
                break
            await asyncio.sleep(0.01)
        assert [len(batch) for batch in batches] == [50, 5]
        for key in range(60):
            assert await service.claim("answer", key) == (key < 55), key
    finally:
        await service.close()


async def test_a_claim_waits_for_the_write_lock_off_the_event_loop(tmp_path: Path) -> None:
    """The writer (or another process) holding SQLite's write lock never stalls the loop: the
    claim waits for it in a thread and lands once it is free."""
    path = tmp_path / "fwerror.db"
    service = StoreService(f"sqlite:///{path}", claim_timeout=1.0)
    await service.start()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.002)

    ticker = asyncio.create_task(tick())
    claim = asyncio.create_task(service.claim("answer", 7))
    await asyncio.sleep(0.04)
    assert not claim.done() and ticks >= 10  # the loop ran on while the claim waited
    holder.execute("COMMIT")
    holder.close()
    assert await claim  # the database's word, once the lock was free
    assert not await service.claim("answer", 7)
    assert service.up
    ticker.cancel()
    await service.close()
