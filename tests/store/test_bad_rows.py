"""One bad row never blocks the store: on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
from sqlalchemy import event, select, text

from bot.store import schema
from bot.store.service import MAX_STRIKES, StoreService
from bot.store.storable import REPLACEMENT
from tests.store.test_store import decision, opened

pytestmark = pytest.mark.asyncio

USER_TEXT = "USER-TEXT-MARKER"  # must never reach a log line


async def stored_excerpts(service: StoreService) -> list[str]:
    assert service.store is not None
    async with service.store.engine.connect() as conn:
        rows = await conn.execute(select(schema.decisions.c.excerpt))
        return sorted(rows.scalars())


async def test_text_a_database_cant_hold_is_cleaned_as_it_is_written(database_url: str) -> None:
    store = await opened(database_url)
    await store.add_decisions(
        [
            decision(excerpt=f"{USER_TEXT} a\x00b", message_id=1),
            decision(excerpt="lone \ud800 surrogate", message_id=2),
            decision(feature="x" * 40, code="4" * 30, message_id=3),
        ]
    )
    await store.add_escalation(
        {"key": 9, "matched": "m\x00" * 200, "excerpt": "e\udfff\x00", "jump_url": "j\x00"}
    )
    await store.vote(1, 2, 1, True)
    d, e = schema.decisions.c, schema.escalations.c
    async with store.engine.connect() as conn:
        rows = (await conn.execute(select(d.message_id, d.excerpt, d.feature, d.code))).all()
        escalation = (await conn.execute(select(e.matched, e.excerpt, e.jump_url))).one()
    await store.close()
    by_id = {row.message_id: row for row in rows}
    assert by_id[1].excerpt == f"{USER_TEXT} a{REPLACEMENT}b"
    assert by_id[2].excerpt == f"lone {REPLACEMENT} surrogate"
    assert (by_id[3].feature, by_id[3].code) == ("x" * 16, "4" * 16)  # VARCHAR(16)
    assert escalation.matched == f"m{REPLACEMENT}" * 150  # VARCHAR(300)
    assert (escalation.excerpt, escalation.jump_url) == (f"e{REPLACEMENT}{REPLACEMENT}", "j\ufffd")


async def test_a_row_refused_on_its_own_is_dropped_counted_and_the_rest_written(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    drops: list[int] = []
    fallbacks: list[str] = []
    service = StoreService(database_url, on_drop=drops.append, on_fallback=fallbacks.append)
    await service.start()
    caplog.set_level(logging.INFO)
    service.record(decision(excerpt="first"))
    # A Discord id past 64 bits: no cleaning makes it fit, both databases refuse it.
    service.record(decision(excerpt=f"{USER_TEXT} refused", message_id=2**64 - 1))
    service.record(decision(excerpt="third"))
    await service.flush()

    assert await stored_excerpts(service) == ["first", "third"]
    assert service.dropped == 1 and drops == [1]
    assert service.up  # the database answered: it refused one row, it isn't down
    assert await service.claim("answer", 1) and not await service.claim("answer", 1)
    assert fallbacks == []
    [line] = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert "dropped 1 decision row(s)" in line and "1 since start" in line
    assert all(USER_TEXT not in r.getMessage() for r in caplog.records)
    await service.close()


async def test_a_row_that_fails_alone_while_others_are_written_is_dropped_after_strikes(
    postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A row whose error doesn't say "refused" (here a real server's trigger raises disk_full
    for it alone) must not hold the queue back for ever either."""
    service = StoreService(postgres_url, retry_seconds=0.05)
    await service.start()
    assert service.store is not None
    async with service.store.engine.begin() as conn:
        await conn.execute(
            text(
                "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF NEW.excerpt = 'poison' THEN RAISE EXCEPTION 'no room' USING ERRCODE = '53100';"
                " END IF; RETURN NEW; END $$"
            )
        )
        await conn.execute(
            text(
                "CREATE TRIGGER poison BEFORE INSERT ON fwerror_decisions "
                "FOR EACH ROW EXECUTE FUNCTION poison()"
            )
        )
    caplog.set_level(logging.WARNING, logger="bot.store")
    service.record(decision(excerpt="good 1"))
    service.record(decision(excerpt="poison"))
    for n in range(2, 2 + MAX_STRIKES):
        service.record(decision(excerpt=f"good {n}"))
    for _ in range(MAX_STRIKES + 1):
        try:
            await service.flush()
            break
        except Exception:
            await asyncio.sleep(0.06)
    assert await stored_excerpts(service) == [f"good {n}" for n in range(1, 2 + MAX_STRIKES)]
    assert service.dropped == 1 and not service._pending
    await service.close()


def full_disk(engine: Any, pages: dict[str, int]) -> None:
    """A disk with room for `pages["limit"]` pages: SQLite's own SQLITE_FULL ("database or disk
    is full") once the file would grow past it, set on every connection the engine hands out."""

    @event.listens_for(engine.sync_engine, "checkout")
    def limit(dbapi_connection: Any, *_: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA max_page_count={pages['limit']}")
        cursor.close()


async def test_a_disk_that_fills_mid_batch_writes_no_row_twice_and_recovers(
    sqlite_url: str,
) -> None:
    retry = 0.5
    service = StoreService(sqlite_url, retry_seconds=retry)
    await service.start()
    assert service.store is not None
    async with service.store.engine.connect() as conn:
        used = (await conn.exec_driver_sql("PRAGMA page_count")).scalar_one()
    pages = {"limit": used + 40}  # room for a few hundred rows of the thousand below
    full_disk(service.store.engine, pages)
    await service.store.engine.dispose()  # every connection from now on sees the limit

    rows = 1_000
    for n in range(rows):
        service.record(decision(excerpt=f"row {n:04d} " + "x" * 400, message_id=n))
    started = time.monotonic()
    while service.up and time.monotonic() - started < 10:  # the disk fills midway
        await asyncio.sleep(0.05)
    assert not service.up and service._pending, "the disk never filled: this proves nothing"
    written = (await service.store.counts())["fwerror_decisions"]
    assert 0 < written < rows

    pages["limit"] = 1_000_000  # room again
    await service.store.engine.dispose()
    freed = time.monotonic()
    while (await service.store.counts())["fwerror_decisions"] < rows:
        if time.monotonic() - freed > 20:
            break
        await asyncio.sleep(0.05)
    recovered = time.monotonic() - freed
    excerpts = await stored_excerpts(service)
    await service.close()
    assert len(excerpts) == len(set(excerpts)) == rows  # each row once
    assert recovered < retry + 1.5, f"recovery took {recovered:.1f} s"


async def test_a_dropped_row_is_counted_on_the_metrics_page(sqlite_url: str) -> None:
    from bot.bot import FwerrorBot
    from bot.knowledge.load import load_knowledge
    from bot.settings import Settings

    bot = FwerrorBot(Settings(database_url=sqlite_url), load_knowledge())
    await bot.store.start()
    assert "fwerror_store_dropped_rows_total 0.0" in bot.metrics.render().decode()
    bot.store.record(decision(message_id=2**64 - 1))
    await bot.store.flush()
    assert "fwerror_store_dropped_rows_total 1.0" in bot.metrics.render().decode()
    await bot.store.close()
    await bot.close()
