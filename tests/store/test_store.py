"""The store against a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import asyncio
import time

import pytest
from sqlalchemy import select

from bot.store import schema
from bot.store.migrations import LATEST
from bot.store.store import Store

pytestmark = pytest.mark.asyncio


def decision(**changes) -> dict:
    row = {
        "created_at": time.time(),
        "feature": "listener",
        "action": "answer",
        "outcome": "replied",
        "code": "429",
        "entry": "429-rate-limit",
        "confidence": 0.9,
        "evidence": "[]",
        "knowledge_version": "v1",
        "message_id": 1,
        "channel_id": 10,
        "jump_url": "https://discord.com/channels/1/10/1",
        "author_id": 7,
        "excerpt": "Error code: 429",
    }
    return {**row, **changes}


async def opened(url: str) -> Store:
    store = Store(url)
    await store.open()
    return store


async def test_migrations_run_once_and_keep_data_on_reopen(database_url: str) -> None:
    store = Store(database_url)
    assert await store.open() == list(range(1, LATEST + 1))
    await store.add_decisions([decision()])
    await store.close()

    again = Store(database_url)
    assert await again.open() == []  # already current: nothing applied, nothing dropped
    assert (await again.counts())["fwerror_decisions"] == 1
    await again.close()


async def test_sqlite_runs_in_wal_mode(sqlite_url: str) -> None:
    store = await opened(sqlite_url)
    async with store.engine.connect() as conn:
        mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
    await store.close()
    assert mode == "wal"


async def test_a_claim_is_taken_once_across_two_engines(database_url: str) -> None:
    first, second = await opened(database_url), await opened(database_url)
    try:
        results = await asyncio.gather(
            *(store.claim("answer", key) for key in range(50) for store in (first, second))
        )
        assert sum(results) == 50  # each key exactly once, whichever engine won it
        assert not await first.claim("answer", 3)
        assert await first.claim("escalation", 3)  # kinds are separate
        await second.release("answer", 3)
        assert await first.claim("answer", 3)
    finally:
        await first.close()
        await second.close()


async def test_one_vote_per_user_per_answer_and_it_can_change(database_url: str) -> None:
    store = await opened(database_url)
    try:
        await store.vote(answer_id=100, user_id=7, message_id=1, helped=True)
        await store.vote(answer_id=100, user_id=7, message_id=1, helped=False)
        await store.vote(answer_id=100, user_id=8, message_id=1, helped=True)
        async with store.engine.connect() as conn:
            rows = (await conn.execute(select(schema.feedback))).mappings().all()
        votes = {row["user_id"]: row["helped"] for row in rows}
        assert votes == {7: False, 8: True}
    finally:
        await store.close()


async def test_forget_user_deletes_only_their_rows(database_url: str) -> None:
    store = await opened(database_url)
    try:
        await store.add_decisions([decision(author_id=7), decision(author_id=8, message_id=2)])
        await store.vote(100, 7, 1, True)
        await store.vote(100, 8, 1, False)
        await store.add_escalation(
            {"key": 5, "matched": "unmatched", "excerpt": "x", "jump_url": "u", "reporter_id": 7}
        )
        gone = await store.forget_user(7)
        assert (gone.decisions, gone.feedback, gone.escalations) == (1, 1, 1)
        counts = await store.counts()
        assert counts["fwerror_decisions"] == 1 and counts["fwerror_feedback"] == 1
        assert counts["fwerror_escalations"] == 0
    finally:
        await store.close()


async def test_forget_user_deletes_cases_about_them_and_unnames_them_elsewhere(
    database_url: str,
) -> None:
    store = await opened(database_url)
    case = {"matched": "unmatched", "excerpt": "x", "jump_url": "u"}
    try:
        # 7 pressed on 8's paste (case 1); 8 pressed on 7's (case 2), which 9 claimed; a row
        # from before version 2 (case 3) knows only its reporter, 7.
        await store.add_escalation(
            {"key": 1, **case, "author_id": 8, "reporter_id": 7, "queue_message_id": 101}
        )
        await store.add_escalation(
            {"key": 2, **case, "author_id": 7, "reporter_id": 8, "queue_message_id": 102}
        )
        await store.set_escalation_state(2, "claimed", 9)
        await store.add_escalation({"key": 3, **case, "reporter_id": 7, "queue_message_id": 103})

        gone = await store.forget_user(7)
        assert (gone.escalations, gone.named) == (2, 1)
        assert sorted(gone.deleted_posts) == [102, 103] and gone.named_posts == (101,)
        async with store.engine.connect() as conn:
            rows = (await conn.execute(select(schema.escalations))).mappings().all()
        assert [(r["key"], r["author_id"], r["reporter_id"]) for r in rows] == [(1, 8, None)]

        gone = await store.forget_user(9)  # a moderator: only named
        assert (gone.escalations, gone.named) == (0, 0)
    finally:
        await store.close()


async def test_an_answers_decision_is_kept_once_read_back_and_forgotten(
    database_url: str,
) -> None:
    store = await opened(database_url)
    decided = {
        "case_key": 1,
        "anchor_id": 1,
        "author_id": 7,
        "entry": "429-rate-limit",
        "matched": "429-rate-limit (HTTP 429, confidence 90%)",
        "excerpt": "Error code: 429",
        "support": '{"request_id": "abc", "timestamp": null, "model": null, "error": "429"}',
        "pings": False,
        "jump_url": "https://discord.com/channels/1/10/1",
    }
    try:
        await store.keep_answers([{"answer_id": 100, **decided}])
        await store.keep_answers([{"answer_id": 100, **decided, "entry": "other"}])  # never changes
        await store.keep_answers([{"answer_id": 101, **decided, "author_id": 8}])
        row = await store.answer(100)
        assert row is not None and row["entry"] == "429-rate-limit" and row["pings"] is False
        assert await store.answer(999) is None
        gone = await store.forget_user(7)
        assert gone.answers == 1
        assert await store.answer(100) is None and await store.answer(101) is not None
        assert await store.purge(time.time() + 1) >= 1
        assert await store.answer(101) is None
    finally:
        await store.close()


async def test_version_2_adds_the_case_author_and_keeps_the_rows(database_url: str) -> None:
    store = await opened(database_url)
    await store.add_escalation(
        {"key": 1, "matched": "unmatched", "excerpt": "x", "jump_url": "u", "reporter_id": 7}
    )
    async with store.autocommit.connect() as conn:  # back to what version 1 created
        await conn.exec_driver_sql("DROP INDEX fwerror_escalations_author")
        await conn.exec_driver_sql("DROP INDEX fwerror_escalations_reporter")
        await conn.exec_driver_sql("ALTER TABLE fwerror_escalations DROP COLUMN author_id")
        await conn.exec_driver_sql("DROP TABLE fwerror_answers")
        for table in ("fwerror_wave_reports", "fwerror_wave_slots", "fwerror_incidents"):
            await conn.exec_driver_sql(f"DROP TABLE {table}")  # version 3's
        await conn.exec_driver_sql("DELETE FROM fwerror_schema_version WHERE version >= 2")
    await store.close()

    again = Store(database_url)
    try:
        assert await again.open() == [2, 3, 4]
        async with again.engine.connect() as conn:
            [row] = (await conn.execute(select(schema.escalations))).mappings().all()
        assert (row["key"], row["reporter_id"], row["author_id"]) == (1, 7, None)
        assert (await again.counts())["fwerror_answers"] == 0
    finally:
        await again.close()


async def test_purge_deletes_rows_older_than_the_retention(database_url: str) -> None:
    store = await opened(database_url)
    old = time.time() - 91 * 86400
    try:
        await store.add_decisions([decision(created_at=old), decision(message_id=2)])
        await store.claim("answer", 1)
        removed = await store.purge(time.time() - 90 * 86400)
        assert removed == 1
        assert (await store.counts())["fwerror_decisions"] == 1
    finally:
        await store.close()


async def test_escalation_state_records_who_claimed_and_resolved(database_url: str) -> None:
    store = await opened(database_url)
    try:
        await store.add_escalation(
            {"key": 5, "matched": "m", "excerpt": "x", "jump_url": "u", "queue_message_id": 9}
        )
        claimed = await store.set_escalation_state(5, "claimed", 42)
        resolved = await store.set_escalation_state(5, "resolved", 43)
        assert claimed["state"] == "claimed" and claimed["claimed_by"] == 42
        assert resolved["state"] == "resolved" and resolved["resolved_by"] == 43
        late = await store.set_escalation_state(5, "claimed", 44)  # never reopens it
        assert late["state"] == "resolved" and late["resolved_by"] == 43
    finally:
        await store.close()


async def test_a_press_written_before_its_case_keeps_its_state(database_url: str) -> None:
    # Both writes run in the background: a quick Claim can reach the database first.
    store = await opened(database_url)
    try:
        early = await store.set_escalation_state(6, "claimed", 42)
        assert early["state"] == "claimed" and early["claimed_by"] == 42
        await store.add_escalation(
            {"key": 6, "matched": "m", "excerpt": "x", "jump_url": "u", "queue_message_id": 9}
        )
        row = await store.set_escalation_state(6, "resolved", 43)
        assert (row["state"], row["claimed_by"], row["resolved_by"]) == ("resolved", 42, 43)
        assert (row["matched"], row["jump_url"], row["queue_message_id"]) == ("m", "u", 9)
    finally:
        await store.close()


async def test_a_version_1_database_gains_row_keys_and_keeps_its_rows(database_url: str) -> None:
    """The decisions table as version 1 made it (no row_key), with a row in it."""
    from sqlalchemy import Column, MetaData, Table

    from bot.store.migrations import STEPS

    version_1 = MetaData()
    old = Table(
        schema.decisions.name,
        version_1,
        *(
            Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
            for c in schema.decisions.columns
            if c.name != "row_key"
        ),
    )
    store = Store(database_url)
    async with store.engine.begin() as conn:
        await conn.run_sync(version_1.create_all)
        for table in (schema.claims, schema.feedback, schema.escalations, schema.schema_version):
            await conn.run_sync(table.create)
        await conn.execute(schema.schema_version.insert().values(version=1, applied_at=0.0))
        await conn.execute(old.insert().values(decision()))
    await store.engine.dispose()

    assert await store.open() == list(range(2, len(STEPS) + 1))
    row = decision(row_key=42)
    await store.add_decisions([row])
    await store.add_decisions([row, decision(row_key=43)])  # written again: kept once
    assert (await store.counts())["fwerror_decisions"] == 3
    await store.close()


async def test_claims_given_back_together_are_free_again_and_no_others(database_url: str) -> None:
    first, second = await opened(database_url), await opened(database_url)
    try:
        assert all([await first.claim("answer", key) for key in range(10)])
        assert await first.claim("escalation", 3)
        await first.release_many([("answer", key) for key in range(0, 10, 2)] + [("answer", 99)])
        won = [await second.claim("answer", key) for key in range(10)]
        assert won == [key % 2 == 0 for key in range(10)]  # only the given back ones
        assert not await second.claim("escalation", 3)  # same key, other kind: still held
    finally:
        await first.close()
        await second.close()


async def test_postgres_claims_commit_without_waiting_for_the_disk(postgres_url: str) -> None:
    """The documented trade (bot/store/claims.py): claims' commits don't wait for the WAL
    flush; every other connection keeps the server's default."""
    store = await opened(postgres_url)
    try:
        assert store.claims is not None
        async with store.claims.pool.acquire() as connection:  # type: ignore[attr-defined]
            assert await connection.fetchval("SHOW synchronous_commit") == "off"
        async with store.engine.connect() as conn:
            assert (await conn.exec_driver_sql("SHOW synchronous_commit")).scalar() == "on"
    finally:
        await store.close()


async def test_claims_made_at_once_on_one_engine_are_each_won_once(database_url: str) -> None:
    """Many claims at once (on PostgreSQL they go together while one is on its way), the same
    key among them more than once: each key is won by exactly one caller."""
    first, second = await opened(database_url), await opened(database_url)
    try:
        keys = [key % 40 for key in range(120)]  # each key three times
        calls = [(store, key) for key in keys for store in (first, second)]
        won = await asyncio.gather(*(store.claim("answer", key) for store, key in calls))
        winners = [key for (_, key), result in zip(calls, won, strict=True) if result]
        assert sorted(winners) == list(range(40))
        assert not any(await asyncio.gather(*(first.claim("answer", k) for k in range(40))))
        assert all(await asyncio.gather(*(first.claim("containment", k) for k in range(40))))
    finally:
        await first.close()
        await second.close()


async def test_two_engines_claiming_the_same_keys_in_opposite_orders_never_deadlock(
    database_url: str,
) -> None:
    """Claims that go together lock their keys in one order on every worker: two batches of
    the same keys, built in opposite orders, would otherwise wait on each other (PostgreSQL
    breaks the circle after a second, failing one)."""
    first, second = await opened(database_url), await opened(database_url)
    try:
        keys = list(range(300))
        calls = [first.claim("answer", key) for key in keys]
        calls += [second.claim("answer", key) for key in reversed(keys)]
        won = await asyncio.wait_for(asyncio.gather(*calls), 5)
        assert sum(won) == len(keys)
    finally:
        await first.close()
        await second.close()
