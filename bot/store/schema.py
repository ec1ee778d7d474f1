"""The tables, as SQLAlchemy Core metadata. Times are Unix seconds (a float), the same on every
database; Discord ids are 64-bit integers. A change here needs a new step in `migrations.py`.
Text columns clean what they are given (`storable.py`): the same DDL, nothing a database refuses."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
)

from bot.store.storable import StorableString as String
from bot.store.storable import StorableText as Text

metadata = MetaData()

schema_version = Table(
    "fwerror_schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", Float, nullable=False),
)

# Once-only promises: kind is "answer" (a message), "escalation" (a message or thread) or
# "containment" (a message whose leaked secret was dealt with).
claims = Table(
    "fwerror_claims",
    metadata,
    Column("kind", String(16), nullable=False),
    Column("key", BigInteger, nullable=False),
    Column("claimed_at", Float, nullable=False),
    PrimaryKeyConstraint("kind", "key"),
)

decisions = Table(
    "fwerror_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", Float, nullable=False),
    Column("feature", String(16), nullable=False),
    Column("action", String(16), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("code", String(16)),
    Column("entry", String(100)),
    Column("confidence", Float, nullable=False),
    Column("evidence", Text, nullable=False),  # JSON list of the matcher's evidence objects
    Column("knowledge_version", String(64), nullable=False),
    Column("message_id", BigInteger),  # the user's message, or the answer for /fwerror
    Column("channel_id", BigInteger),
    Column("jump_url", String(200)),
    Column("author_id", BigInteger),  # for /fwerror-forget-me
    Column("excerpt", Text, nullable=False),  # redacted, at most 500 characters
    # Random, set when the row is queued: a batch written again after a partial write (SQLite
    # commits row by row; a lost acknowledgement) keeps one copy of each row.
    Column("row_key", BigInteger),
)
Index("fwerror_decisions_created", decisions.c.created_at)
Index("fwerror_decisions_row_key", decisions.c.row_key, unique=True)
Index("fwerror_decisions_message", decisions.c.message_id)
Index("fwerror_decisions_author", decisions.c.author_id)

# One vote per user per answer, changeable: the primary key is (answer, user).
feedback = Table(
    "fwerror_feedback",
    metadata,
    Column("answer_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("message_id", BigInteger, nullable=False),  # what `decisions.message_id` holds
    Column("helped", Boolean, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    PrimaryKeyConstraint("answer_id", "user_id"),
)
Index("fwerror_feedback_message", feedback.c.message_id)
Index("fwerror_feedback_user", feedback.c.user_id)

escalations = Table(
    "fwerror_escalations",
    metadata,
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    Column("created_at", Float, nullable=False),
    Column("updated_at", Float, nullable=False),
    Column("state", String(16), nullable=False),  # open, claimed, resolved
    Column("matched", String(300), nullable=False),
    Column("code", String(16)),
    Column("entry", String(100)),
    Column("excerpt", Text, nullable=False),  # redacted, at most 500 characters
    Column("jump_url", String(200), nullable=False),
    Column("reporter_id", BigInteger),  # for /fwerror-forget-me
    Column("queue_message_id", BigInteger),
    Column("claimed_by", BigInteger),
    Column("resolved_by", BigInteger),
)
Index("fwerror_escalations_state", escalations.c.state, escalations.c.created_at)
