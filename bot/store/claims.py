"""The once-only claim on the reply's path, kept as lean as the database allows.

A claim is one `INSERT ... ON CONFLICT DO NOTHING`, and every answer waits for it; claims given
back (by messages that turned out to need no answer: the claim is sent before the analysis
ends) go together in one `DELETE`. Both skip SQLAlchemy's machinery: on SQLite a plain
`sqlite3` connection runs them on the event loop's own thread (tens of microseconds in WAL
mode; a thread hop would cost more, waiting for the GIL while the loop is busy) without
waiting for the write lock: when the store's writer (or another process) holds it, the
statement runs again in a thread that may wait for it, so the loop never stalls on a lock; on
PostgreSQL an asyncpg pool sends each in one autocommitted round trip (and the claims made
while every connection is busy together in the next, see `PostgresClaims`). The table is the one
`schema.claims` declares and the migrations create.

On PostgreSQL the claims' connections commit asynchronously (`synchronous_commit = off`): the
server answers once the row is in memory, without waiting for its WAL to reach the disk. Other
sessions see the row at once, so two live workers still can never both win a key; what a
crash of the database server itself (not of the bot) can lose is the last fraction of a
second of claims (at most three `wal_writer_delay`s, 600 ms by default), and a lost claim
costs at most one duplicate answer to a message answered just before the crash, if it is
delivered again: what the bot already accepts while the database is down and claims fall
back to memory. The database stays consistent either way. That fsync is the slowest part
of a commit on a real disk, and the answer waits for the claim.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any, Protocol

from bot.store.url import engine_url

SQL = (
    "INSERT INTO fwerror_claims (kind, key, claimed_at) VALUES ({}, {}, {}) "
    "ON CONFLICT (kind, key) DO NOTHING"
)
RELEASE_SQL = "DELETE FROM fwerror_claims WHERE kind = {} AND key = {}"
# The claims queued while every connection was busy, in one statement: those it inserted come
# back. Rows are inserted in key order, on every worker: two batches holding some of the same
# keys then wait for one another in one direction only, never in a circle (a deadlock).
CLAIM_MANY_PG = (
    "INSERT INTO fwerror_claims (kind, key, claimed_at) "
    "SELECT kind, key, $3::float8 FROM unnest($1::varchar[], $2::bigint[]) AS queued (kind, key) "
    "ORDER BY kind, key ON CONFLICT (kind, key) DO NOTHING RETURNING kind, key"
)
# Every claim given back since the last DELETE, in one statement (kinds and keys as two arrays).
RELEASE_MANY_PG = (
    "DELETE FROM fwerror_claims WHERE (kind, key) IN "
    "(SELECT * FROM unnest($1::varchar[], $2::bigint[]))"
)
POOL_SIZE = 4  # the claims' own connections to PostgreSQL
# Claims may be lost in a crash of the database server: see the module's docstring.
PG_SESSION = {"synchronous_commit": "off"}
# How long a statement the write lock held back waits for it, in its thread; then the claim
# fails over to memory (the deadline for a claim is longer).
SQLITE_BUSY_MS = 100


class ClaimError(Exception):
    """The claim could not be made (the database is down, locked or refused it)."""


class Claims(Protocol):
    async def claim(self, kind: str, key: int) -> bool: ...
    async def release(self, kind: str, key: int) -> None: ...
    async def release_many(self, claims: list[tuple[str, int]]) -> None: ...
    async def close(self) -> None: ...


class SqliteClaims:
    """Statements on the loop's thread that never wait for the write lock (`busy_timeout` 0),
    and, when it is held, the same statement on a second connection in a thread that waits up
    to `SQLITE_BUSY_MS` (one at a time: a connection is not shared between threads at once)."""

    def __init__(self, path: str) -> None:
        self.connection = _sqlite_connection(path, busy_ms=0)
        self.waiting = _sqlite_connection(path, busy_ms=SQLITE_BUSY_MS)
        self._one_waiting = asyncio.Lock()
        self.sql = SQL.format("?", "?", "?")
        self.release_sql = RELEASE_SQL.format("?", "?")

    async def claim(self, kind: str, key: int) -> bool:
        return await self._run(self.sql, [(kind, key, time.time())]) == 1

    async def release(self, kind: str, key: int) -> None:
        await self._run(self.release_sql, [(kind, key)])

    async def release_many(self, claims: list[tuple[str, int]]) -> None:
        await self._run(self.release_sql, claims)  # autocommit: microseconds a row

    async def _run(self, sql: str, rows: list[tuple[Any, ...]]) -> int:
        """The statement for each row, on the loop's thread unless the write lock is held; how
        many rows it changed."""
        try:
            return self.connection.executemany(sql, rows).rowcount
        except sqlite3.OperationalError as error:
            if not _locked(error):
                raise ClaimError(str(error)) from error
        except sqlite3.Error as error:
            raise ClaimError(str(error)) from error
        async with self._one_waiting:
            try:
                return await asyncio.to_thread(_changed, self.waiting, sql, rows)
            except sqlite3.Error as error:
                raise ClaimError(str(error)) from error

    async def close(self) -> None:
        async with self._one_waiting:
            self.connection.close()
            self.waiting.close()


def _sqlite_connection(path: str, busy_ms: int) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout={busy_ms}")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def _locked(error: sqlite3.OperationalError) -> bool:
    """SQLITE_BUSY: another connection holds the write lock ("database is locked")."""
    return error.sqlite_errorcode == sqlite3.SQLITE_BUSY


def _changed(connection: sqlite3.Connection, sql: str, rows: list[tuple[Any, ...]]) -> int:
    return connection.executemany(sql, rows).rowcount


class PostgresClaims:
    """A claim statement on each of the pool's connections at most; claims made while all are
    on their way go together in the next (`CLAIM_MANY_PG`). When the database answers quickly
    each claim goes alone, at once, as before; when its server waits for a CPU (a busy host),
    the claims that would have queued for a connection one by one cost one round trip."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.sql = SQL.format("$1", "$2", "$3")
        self.release_sql = RELEASE_SQL.format("$1", "$2")
        self._on_its_way = 0  # claim statements sent and not answered yet
        # Claims waiting for a statement on its way to return, each with its callers.
        self._queued: dict[tuple[str, int], list[asyncio.Future[bool]]] = {}
        self._senders: set[asyncio.Task[None]] = set()  # the loop keeps only weak references

    @classmethod
    async def connect(cls, dsn: str) -> PostgresClaims:
        import asyncpg

        # Claims change no session state, so a connection goes back to the pool as it is:
        # asyncpg's default reset would cost every claim a second round trip.
        pool = await asyncpg.create_pool(
            dsn,
            min_size=2,
            max_size=POOL_SIZE,
            timeout=3.0,
            reset=_as_it_is,
            server_settings=PG_SESSION,
        )
        return cls(pool)

    async def claim(self, kind: str, key: int) -> bool:
        if self._on_its_way >= POOL_SIZE:
            waiter = asyncio.get_running_loop().create_future()
            self._queued.setdefault((kind, key), []).append(waiter)
            return await waiter
        # Sent in this very step (no pause before the socket write): the caller's turn of
        # the loop puts it on the wire (see `EarlyAnswer.on_its_way`).
        self._on_its_way += 1
        try:
            status = await self.pool.execute(self.sql, kind, key, time.time())
        except Exception as error:  # asyncpg's and the socket's errors alike
            raise ClaimError(str(error) or type(error).__name__) from error
        finally:
            self._send_next()
        return status.endswith(" 1")

    def _send_next(self) -> None:
        """A statement came back: the claims queued meanwhile go in its place, if any."""
        if self._queued:
            self._senders.add(sender := asyncio.create_task(self._send_queued()))
            sender.add_done_callback(self._senders.discard)
        else:
            self._on_its_way -= 1

    async def _send_queued(self) -> None:
        batch, self._queued = self._queued, {}
        try:
            kinds, keys = zip(*sorted(batch), strict=True)
            rows = await self.pool.fetch(CLAIM_MANY_PG, list(kinds), list(keys), time.time())
        except Exception as error:  # asyncpg's and the socket's errors alike
            failed = ClaimError(str(error) or type(error).__name__)
            for waiters in batch.values():
                for waiter in waiters:
                    if not waiter.done():
                        waiter.set_exception(failed)
        else:
            won = {(row[0], row[1]) for row in rows}
            for claim, waiters in batch.items():
                for index, waiter in enumerate(waiters):  # one key claimed twice: the first wins
                    if not waiter.done():
                        waiter.set_result(index == 0 and claim in won)
        finally:
            self._send_next()

    async def release(self, kind: str, key: int) -> None:
        try:
            await self.pool.execute(self.release_sql, kind, key)
        except Exception as error:  # asyncpg's and the socket's errors alike
            raise ClaimError(str(error) or type(error).__name__) from error

    async def release_many(self, claims: list[tuple[str, int]]) -> None:
        kinds, keys = zip(*claims, strict=True)
        try:
            await self.pool.execute(RELEASE_MANY_PG, list(kinds), list(keys))
        except Exception as error:  # asyncpg's and the socket's errors alike
            raise ClaimError(str(error) or type(error).__name__) from error

    async def close(self) -> None:
        await self.pool.close()


async def _as_it_is(connection: Any) -> None:
    """The pool's reset for claims' connections: nothing to undo."""


async def open_claims(url: str) -> Claims:
    target = engine_url(url)
    if target.startswith("sqlite"):
        return SqliteClaims(target.split("://", 1)[1][1:])
    return await PostgresClaims.connect("postgresql://" + target.split("://", 1)[1])
