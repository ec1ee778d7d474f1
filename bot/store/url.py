"""Database URLs as people write them (`sqlite:///fwerror.db`, Heroku's `postgres://...`),
turned into the async driver URLs SQLAlchemy needs."""

from __future__ import annotations

DEFAULT_DATABASE_URL = "sqlite:///fwerror.db"
SQLITE = ("sqlite://", "sqlite+aiosqlite://")
POSTGRES = ("postgres://", "postgresql://", "postgresql+asyncpg://")


class DatabaseUrlError(ValueError):
    """The URL names no database the store can use."""


def engine_url(url: str) -> str:
    """The SQLAlchemy async URL for `url`; raises `DatabaseUrlError` saying what is accepted."""
    url = url.strip()
    if url.startswith(SQLITE):
        path = url.split("://", 1)[1]
        if not path.startswith("/") or len(path) < 2:
            raise DatabaseUrlError(
                "a SQLite URL needs a file path, e.g. sqlite:///fwerror.db or "
                f"sqlite:////var/lib/fwerror.db, got {url[:40]!r}"
            )
        return f"sqlite+aiosqlite://{path}"
    if url.startswith(POSTGRES):
        rest = url.split("://", 1)[1]
        if not rest:
            raise DatabaseUrlError(f"a PostgreSQL URL needs a host or a socket, got {url[:40]!r}")
        return f"postgresql+asyncpg://{rest}"
    scheme = url.split(":", 1)[0][:20]
    raise DatabaseUrlError(
        f"must start with sqlite:/// or postgresql:// (or postgres://), got {scheme!r}"
    )


def is_sqlite(url: str) -> bool:
    return engine_url(url).startswith("sqlite")


def describe(url: str) -> str:
    """The URL without its password, for logs."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        rest = f"{user}:***@{host}" if ":" in credentials else f"{user}@{host}"
    return f"{scheme}{sep}{rest}"
