"""A small versioned migration scheme: each step runs once, in order, in its own transaction.

Steps only ever add (tables, columns, indexes); an upgrade never drops or rewrites data. The
applied version is a row in `fwerror_schema_version`. On PostgreSQL an advisory lock makes two
workers that start together migrate one after the other; SQLite serialises writers itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import Connection, inspect, select, text

from bot.store import schema

Step = Callable[[Connection], None]
ADVISORY_LOCK = 0x66776572  # "fwer"


def _initial(conn: Connection) -> None:
    for table in (schema.claims, schema.decisions, schema.feedback, schema.escalations):
        table.create(conn, checkfirst=True)


def _answers_and_case_authors(conn: Connection) -> None:
    """What each answer decided, for its buttons; and whose paste a case is about, apart from
    who pressed (`reporter_id`). A database created at version 1 by this code already has the
    column: `_initial` creates today's tables."""
    schema.answers.create(conn, checkfirst=True)
    table = schema.escalations
    names = {column["name"] for column in inspect(conn).get_columns(table.name)}
    if "author_id" not in names:
        conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN author_id BIGINT"))
    indexes = {index["name"] for index in inspect(conn).get_indexes(table.name)}
    for index in table.indexes:
        if index.name not in indexes:
            index.create(conn)


def _incidents(conn: Connection) -> None:
    for table in (schema.wave_reports, schema.wave_slots, schema.incidents):
        table.create(conn, checkfirst=True)


def _decision_keys(conn: Connection) -> None:
    """Each decision gets a unique key, so writing a batch again never stores a row twice. A
    database created by `_initial` on this version already has both."""
    table = schema.decisions
    if "row_key" not in {column["name"] for column in inspect(conn).get_columns(table.name)}:
        conn.execute(text(f"ALTER TABLE {table.name} ADD COLUMN row_key BIGINT"))
    for index in table.indexes:
        index.create(conn, checkfirst=True)


# Append new steps; never edit or reorder applied ones.
STEPS: list[Step] = [_initial, _answers_and_case_authors, _incidents, _decision_keys]
LATEST = len(STEPS)


def current_version(conn: Connection) -> int:
    if not inspect(conn).has_table(schema.schema_version.name):
        return 0
    found = conn.execute(select(schema.schema_version.c.version)).scalars().all()
    return max(found, default=0)


def migrate(conn: Connection) -> list[int]:
    """Bring the schema to `LATEST`; the versions applied now (none if it was current)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
    schema.schema_version.create(conn, checkfirst=True)
    applied = []
    version = current_version(conn)
    if version > LATEST:
        raise RuntimeError(
            f"the database schema is version {version}, newer than this bot's {LATEST}: "
            "upgrade the bot, or point it at another database"
        )
    for number in range(version + 1, LATEST + 1):
        STEPS[number - 1](conn)
        conn.execute(schema.schema_version.insert().values(version=number, applied_at=time.time()))
        applied.append(number)
    return applied
