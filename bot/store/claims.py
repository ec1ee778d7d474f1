"""The once-only claim on the reply's path, kept as lean as the database allows.

A claim is one `INSERT ... ON CONFLICT DO NOTHING`, and every answer waits for it; giving one
back is one `DELETE`, sent for each message that turned out to need no answer (the claim is
sent before the analysis ends). Both skip
SQLAlchemy's machinery: on SQLite a plain `sqlite3` connection runs it on the event loop's own
thread (tens of microseconds in WAL mode; a thread hop would cost more, waiting for the GIL
while the loop is busy), and on PostgreSQL an asyncpg pool sends it in one round trip. The
table is the one `schema.claims` declares and the migrations create.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any, Protocol

from bot.store.url import engine_url

SQL = (
    "INSERT INTO fwerror_claims (kind, key, claimed_at) VALUES ({}, {}, {}) "
    "ON CONFLICT (kind, key) DO NOTHING"
)
RELEASE_SQL = "DELETE FROM fwerror_claims WHERE kind = {} AND key = {}"
# Another process holding SQLite's write lock stalls the loop at most this long, then the
# claim fails over to memory (the deadline for a claim is longer).
SQLITE_BUSY_MS = 100


class ClaimError(Exception):
    """The claim could not be made (the database is down, locked or refused it)."""


class Claims(Protocol):
    async def claim(self, kind: str, key: int) -> bool: ...
    async def release(self, kind: str, key: int) -> None: ...
    async def close(self) -> None: ...


class SqliteClaims:
    def __init__(self, path: str) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.connection.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        self.connection.execute("PRAGMA synchronous=NORMAL")
        self.sql = SQL.format("?", "?", "?")
        self.release_sql = RELEASE_SQL.format("?", "?")

    async def claim(self, kind: str, key: int) -> bool:
        try:
            cursor = self.connection.execute(self.sql, (kind, key, time.time()))
        except sqlite3.Error as error:
            raise ClaimError(str(error)) from error
        return cursor.rowcount == 1

    async def release(self, kind: str, key: int) -> None:
        try:
            self.connection.execute(self.release_sql, (kind, key))
        except sqlite3.Error as error:
            raise ClaimError(str(error)) from error

    async def close(self) -> None:
        self.connection.close()


class PostgresClaims:
    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self.sql = SQL.format("$1", "$2", "$3")
        self.release_sql = RELEASE_SQL.format("$1", "$2")

    @classmethod
    async def connect(cls, dsn: str) -> PostgresClaims:
        import asyncpg

        # Claims change no session state, so a connection goes back to the pool as it is:
        # asyncpg's default reset would cost every claim a second round trip.
        pool = await asyncpg.create_pool(dsn, min_size=2, max_size=4, timeout=3.0, reset=_as_it_is)
        return cls(pool)

    async def claim(self, kind: str, key: int) -> bool:
        try:
            status = await self.pool.execute(self.sql, kind, key, time.time())
        except Exception as error:  # asyncpg's and the socket's errors alike
            raise ClaimError(str(error) or type(error).__name__) from error
        return status.endswith(" 1")

    async def release(self, kind: str, key: int) -> None:
        try:
            await self.pool.execute(self.release_sql, kind, key)
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
