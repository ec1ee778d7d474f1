"""The store's operations, one short transaction each, on SQLite or PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, case, cast, delete, event, func, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.core.evidence import Evidence
from bot.core.render import shorten
from bot.store import schema
from bot.store.claims import ClaimError, Claims, open_claims
from bot.store.migrations import migrate
from bot.store.private import make_private
from bot.store.url import engine_url, sqlite_path

EXCERPT_CHARS = 500
EVIDENCE_CHARS = 200  # what one piece of evidence quotes of the paste
CONNECT_TIMEOUT = 3.0
Row = Mapping[str, Any]


class StoreUnavailable(Exception):
    """The database could not be reached or refused the operation."""


class RowRefused(StoreUnavailable):
    """The database answered, and refused the values: it would refuse them again. The message
    names the error's class (and SQLSTATE), never the values, which may be a user's text."""


# SQLSTATE classes of an error in the values themselves: data exception, integrity constraint
# violation, program limit exceeded (a value too big to index).
REFUSED_CLASSES = ("22", "23", "54")
_REFUSED_TYPES = (
    sa_exc.DataError,
    sa_exc.IntegrityError,
    sqlite3.DataError,
    sqlite3.IntegrityError,
    ValueError,  # UnicodeEncodeError and a driver's own "invalid input" checks
    TypeError,
    OverflowError,  # an integer past 64 bits
)


def _causes(error: BaseException) -> list[BaseException]:
    """The error, then what SQLAlchemy wrapped (`orig`) and what the adapter raised it from."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = getattr(current, "orig", None) or current.__cause__
    return chain


def failure(error: Exception) -> StoreUnavailable:
    """`RowRefused` when the values were refused; `StoreUnavailable` (maybe an outage, which
    keeps the rows for later) for anything else."""
    for cause in reversed(_causes(error)):  # the driver's own error first
        code = str(getattr(cause, "sqlstate", None) or "")
        if code.startswith(REFUSED_CLASSES) or isinstance(cause, _REFUSED_TYPES):
            return RowRefused(type(cause).__name__ + (f" (SQLSTATE {code})" if code else ""))
    # One line: SQLAlchemy appends the statement (its parameters are hidden, see `make_engine`).
    return StoreUnavailable(str(error).split("\n", 1)[0] or type(error).__name__)


@dataclass(frozen=True, slots=True)
class Forgotten:
    decisions: int
    feedback: int
    escalations: int

    @property
    def total(self) -> int:
        return self.decisions + self.feedback + self.escalations


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """At most `limit` characters of already redacted text."""
    return shorten(text.strip(), limit)


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable at each checkpoint; fast commits
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> AsyncEngine:
    target = engine_url(url)
    # Errors and SQLAlchemy's own log lines show statements without their values: users' text.
    if target.startswith("sqlite"):
        engine = create_async_engine(target, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        target,
        hide_parameters=True,
        pool_size=5,
        max_overflow=5,
        pool_timeout=CONNECT_TIMEOUT,
        connect_args={"timeout": CONNECT_TIMEOUT, "command_timeout": 10},
    )


class Store:
    """One database. Every method may raise `StoreUnavailable`; callers decide how to degrade."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # One statement, one round trip: no BEGIN/COMMIT around a claim (it is atomic anyway).
        self.autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.dialect = self.engine.dialect.name
        self.claims: Claims | None = None  # opened after the migrations created the table

    async def open(self) -> list[int]:
        """Connect and migrate; the schema versions applied now."""
        try:
            if (path := sqlite_path(self.url)) is not None:
                make_private(path)  # before SQLite creates it world-readable
            async with self.engine.begin() as conn:
                applied = await conn.run_sync(migrate)
            if self.claims is None:
                self.claims = await open_claims(self.url)
        except Exception as error:
            raise StoreUnavailable(str(error) or type(error).__name__) from error
        return applied

    async def close(self) -> None:
        if self.claims is not None:
            await self.claims.close()
        await self.engine.dispose()

    def _insert(self, table: Any) -> Any:
        return (postgresql if self.dialect == "postgresql" else sqlite).insert(table)

    def _transaction(self) -> Any:
        """PostgreSQL: one transaction. SQLite: each statement commits alone, so its write lock
        is held only inside the driver's thread, never across an await: the claim, which runs
        on the loop's thread, would otherwise wait on a transaction that waits on the loop."""
        if self.dialect == "sqlite":
            return self.autocommit.connect()
        return self.engine.begin()

    async def _run(self, *statements: Any, rows: list[Row] | None = None) -> list[Any]:
        try:
            async with self._transaction() as conn:
                if rows is not None:
                    return [await conn.execute(statements[0], rows)]
                return [await conn.execute(statement) for statement in statements]
        except Exception as error:
            raise failure(error) from error

    async def ping(self) -> None:
        await self._run(select(1))

    # Once-only claims

    async def claim(self, kind: str, key: int) -> bool:
        """Atomically take (kind, key): True for the first caller on any worker, False after."""
        if self.claims is not None:
            try:
                return await self.claims.claim(kind, key)
            except ClaimError as error:
                raise StoreUnavailable(str(error)) from error
        statement = (
            self._insert(schema.claims)
            .values(kind=kind, key=key, claimed_at=time.time())
            .on_conflict_do_nothing(index_elements=["kind", "key"])
        )
        try:
            async with self.autocommit.connect() as conn:
                result = await conn.execute(statement)
        except Exception as error:
            raise failure(error) from error
        return result.rowcount == 1

    async def release(self, kind: str, key: int) -> None:
        c = schema.claims.c
        await self._run(delete(schema.claims).where(c.kind == kind, c.key == key))

    # Decisions, feedback, escalations

    async def add_decisions(self, rows: Iterable[Row]) -> int:
        """Insert decisions; how many were new. A row whose `row_key` is stored already is
        skipped, so a batch that was partly written before a failure can be written again."""
        rows = list(rows)
        statement = self._insert(schema.decisions).on_conflict_do_nothing(
            index_elements=["row_key"]
        )
        if not rows:
            return 0
        [result] = await self._run(statement, rows=rows)  # executemany: batched by the driver
        return result.rowcount

    async def vote(self, answer_id: int, user_id: int, message_id: int, helped: bool) -> None:
        """One vote per user per answer: a second press replaces the first."""
        now = time.time()
        statement = self._insert(schema.feedback).values(
            answer_id=answer_id,
            user_id=user_id,
            message_id=message_id,
            helped=helped,
            created_at=now,
            updated_at=now,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["answer_id", "user_id"],
            set_={"helped": statement.excluded.helped, "updated_at": now},
        )
        await self._run(statement)

    async def add_escalation(self, row: Row) -> None:
        """Store a queued case. A Claim or Resolved press can land first (both are written in
        the background), so an existing row keeps its state and gets the case's details."""
        now = time.time()
        values = {"created_at": now, "updated_at": now, "state": "open", **row}
        statement = self._insert(schema.escalations).values(values)
        details = {name: statement.excluded[name] for name in row if name != "key"}
        statement = statement.on_conflict_do_update(
            index_elements=["key"], set_={**details, "updated_at": now}
        )
        await self._run(statement)

    async def set_escalation_state(self, key: int, state: str, user_id: int) -> dict | None:
        """Mark an escalation claimed or resolved by `user_id`; the row after, or None."""
        e = schema.escalations.c
        now = time.time()
        who = {"claimed_by": user_id} if state == "claimed" else {"resolved_by": user_id}
        # The press may come before the case's own row is written: then it starts the row,
        # and `add_escalation` fills in the details.
        change = self._insert(schema.escalations).values(
            key=key,
            created_at=now,
            updated_at=now,
            state=state,
            matched="",
            excerpt="",
            jump_url="",
            **who,
        )
        # A late claim never reopens a resolved escalation.
        kept = case((e.state == "resolved", e.state), else_=state) if state == "claimed" else state
        change = change.on_conflict_do_update(
            index_elements=["key"], set_={"state": kept, "updated_at": now, **who}
        )
        _, result = await self._run(change, select(schema.escalations).where(e.key == key))
        row = result.mappings().first()
        return dict(row) if row else None

    async def forget_user(self, user_id: int) -> Forgotten:
        d, f, e = schema.decisions, schema.feedback, schema.escalations
        results = await self._run(
            delete(d).where(d.c.author_id == user_id),
            delete(f).where(f.c.user_id == user_id),
            delete(e).where(e.c.reporter_id == user_id),
        )
        return Forgotten(*(result.rowcount for result in results))

    async def purge(self, before: float) -> int:
        """Delete rows older than `before` (Unix seconds); how many went."""
        d, f, e, c = schema.decisions, schema.feedback, schema.escalations, schema.claims
        results = await self._run(
            delete(d).where(d.c.created_at < before),
            delete(f).where(f.c.updated_at < before),
            delete(e).where(e.c.updated_at < before),
            delete(c).where(c.c.claimed_at < before),
        )
        return sum(result.rowcount for result in results)

    # What the report reads

    async def report_data(self, since: float, low_confidence: float) -> dict[str, list[dict]]:
        d, f, e = schema.decisions, schema.feedback, schema.escalations
        votes = (
            select(
                f.c.message_id,
                func.sum(cast(f.c.helped, Integer)).label("helped"),
                func.count().label("votes"),
            )
            .where(f.c.updated_at >= since)
            .group_by(f.c.message_id)
            .subquery()
        )
        wanted = (
            d.c.entry.is_(None)
            | (d.c.confidence < low_confidence)
            | ((votes.c.votes - func.coalesce(votes.c.helped, 0)) > 0)
        )
        columns = [
            d.c.message_id,
            d.c.created_at,
            d.c.feature,
            d.c.action,
            d.c.outcome,
            d.c.code,
            d.c.entry,
            d.c.confidence,
            d.c.jump_url,
            d.c.excerpt,
            func.coalesce(votes.c.helped, 0).label("helped"),
            func.coalesce(votes.c.votes, 0).label("votes"),
        ]
        flagged = (
            select(*columns)
            .select_from(d.outerjoin(votes, votes.c.message_id == d.c.message_id))
            .where(d.c.created_at >= since, wanted)
        )
        per_entry = (
            select(
                d.c.entry,
                d.c.code,
                func.count().label("answers"),
                func.coalesce(func.sum(votes.c.helped), 0).label("helped"),
                func.coalesce(func.sum(votes.c.votes), 0).label("votes"),
            )
            .select_from(d.outerjoin(votes, votes.c.message_id == d.c.message_id))
            .where(d.c.created_at >= since, d.c.entry.is_not(None), d.c.outcome == "replied")
            .group_by(d.c.entry, d.c.code)
        )
        open_escalations = select(
            e.c.key, e.c.created_at, e.c.state, e.c.matched, e.c.jump_url, e.c.claimed_by
        ).where(e.c.state != "resolved", e.c.created_at < time.time() - 86400)
        results = await self._run(flagged, per_entry, open_escalations)
        flagged_rows, entry_rows, escalation_rows = (
            [dict(row) for row in result.mappings()] for result in results
        )
        return {"flagged": flagged_rows, "entries": entry_rows, "escalations": escalation_rows}

    async def counts(self) -> dict[str, int]:
        tables = (schema.decisions, schema.feedback, schema.escalations, schema.claims)
        results = await self._run(*(select(func.count()).select_from(t) for t in tables))
        return {t.name: r.scalar_one() for t, r in zip(tables, results, strict=True)}


def evidence_json(evidence: Iterable[Evidence]) -> str:
    """The first 20 pieces of evidence as JSON objects; their text is cut like an excerpt."""
    items = [item.to_json() for item in list(evidence)[:20]]
    for item in items:
        item["text"] = excerpt(item["text"], EVIDENCE_CHARS)
    return json.dumps(items, ensure_ascii=False)
