"""Database URLs as people write them (`sqlite:///fwerror.db`, Heroku's `postgres://...`),
turned into the async driver URLs SQLAlchemy needs, and shown to people without their password."""

from __future__ import annotations

import re
from urllib.parse import unquote

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite:///fwerror.db"
SQLITE = ("sqlite://", "sqlite+aiosqlite://")
POSTGRES = ("postgres://", "postgresql://", "postgresql+asyncpg://")
MASK = "***"
# Query parameters whose value is a secret: password, sslpassword, and their kin.
SECRET_PARAMETER_WORDS = ("pass", "secret", "token")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,19}")


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
                f"sqlite:////var/lib/fwerror.db, got {describe(url)[:60]!r}"
            )
        return f"sqlite+aiosqlite://{path}"
    if url.startswith(POSTGRES):
        rest = url.split("://", 1)[1]
        if not rest:
            raise DatabaseUrlError(f"a PostgreSQL URL needs a host or a socket, got {url[:40]!r}")
        target = f"postgresql+asyncpg://{rest}"
        try:
            make_url(target)
        except (ArgumentError, ValueError):  # their messages quote the URL, password and all
            raise DatabaseUrlError(
                f"{describe(url)[:80]!r} can't be read as a URL: check its user, host, port "
                "and database name (a password with @ : / ? # in it must be %-encoded)"
            ) from None
        return target
    scheme = url.split(":", 1)[0]
    shown = repr(scheme) if _SCHEME.fullmatch(scheme) else "something that isn't a URL"
    raise DatabaseUrlError(
        f"must start with sqlite:/// or postgresql:// (or postgres://), got {shown}"
    )


def sqlite_path(url: str) -> str | None:
    """The database file a SQLite URL names; None for PostgreSQL and in-memory databases."""
    target = engine_url(url)
    if not target.startswith("sqlite"):
        return None
    path = target.split("://", 1)[1][1:].split("?", 1)[0]
    return None if path in ("", ":memory:") or path.startswith("file:") else path


def describe(url: str) -> str:
    """The URL for people (logs, errors, the report): a password, given as `user:password@`
    or as a query parameter such as `?password=`, is shown as ***."""
    scheme, sep, rest = url.strip().partition("://")
    if not sep:
        scheme, rest = "", scheme
    rest, question, query = rest.partition("?")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        user = credentials.split(":", 1)[0]
        rest = f"{user}:{MASK}@{host}" if ":" in credentials else f"{user}@{host}"
    if question:
        query = "&".join(_masked(parameter) for parameter in query.split("&"))
    return f"{scheme}{sep}{rest}{question}{query}"


def _masked(parameter: str) -> str:
    name, equals, _ = parameter.partition("=")
    secret = any(word in unquote(name).lower() for word in SECRET_PARAMETER_WORDS)
    return f"{name}={MASK}" if equals and secret else parameter
