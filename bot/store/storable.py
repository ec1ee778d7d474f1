"""Text as the databases will take it, made so in one place: the column types every table uses.

Users' messages can hold what a database refuses: PostgreSQL rejects NUL (`\\x00`) in text,
both drivers reject lone surrogates (a JSON `\\ud800` escape decodes to one), and PostgreSQL
rejects a `VARCHAR(n)` value longer than n. One such row used to fail its whole batch, again
and again. The column types below clean each value as it is bound, whatever the statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.types import TypeDecorator

REPLACEMENT = "\ufffd"  # what a character the database can't hold becomes
# Lone surrogates: code points no UTF-8 encoder accepts.
_SURROGATES = dict.fromkeys(range(0xD800, 0xE000), REPLACEMENT)


def storable(text: str, length: int | None = None) -> str:
    """`text` with NUL and lone surrogates replaced, cut to `length` characters."""
    if "\x00" in text:
        text = text.replace("\x00", REPLACEMENT)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.translate(_SURROGATES)
    return text if length is None else text[:length]


class StorableString(TypeDecorator[str]):
    """`String(n)` whose bound values are `storable`."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return storable(value, self.impl.length) if isinstance(value, str) else value


class StorableText(StorableString):
    """`Text` whose bound values are `storable`."""

    impl = Text
    cache_ok = True  # SQLAlchemy reads it from each class's own namespace
