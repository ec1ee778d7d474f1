"""Database fixtures: a fresh SQLite file, or a fresh database on a real PostgreSQL server."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.pg_cluster import ENV_REQUIRE, ENV_URL, Cluster, NoPostgres, start_cluster
from tests.store.pg_cluster import with_database as _with_database


def _required() -> bool:
    return os.environ.get(ENV_REQUIRE, "") in ("1", "true", "yes")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The admin URL of a PostgreSQL server: CI's (FWERROR_TEST_POSTGRES_URL), or our own."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        yield url
        return
    cluster: Cluster | None = None
    try:
        cluster = start_cluster()
    except NoPostgres as error:
        if _required():
            pytest.fail(f"{ENV_REQUIRE}=1 but no PostgreSQL server: {error}")
        pytest.skip(f"PostgreSQL tests skipped: {error}")
    try:
        yield cluster.url
    finally:
        cluster.stop()


async def _create(admin_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def new_postgres_database(admin_url: str) -> str:
    """A fresh, empty database on the server; its URL."""
    name = f"fwerror_{secrets.token_hex(6)}"
    asyncio.run(_create(admin_url, name))
    return _with_database(admin_url, name)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    return new_postgres_database(postgres_server)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fwerror.db'}"


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str:
    """Each test runs against a real SQLite file and a real PostgreSQL database."""
    name = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    return request.getfixturevalue(name)
