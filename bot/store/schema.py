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
# "containment" (a message whose leaked secret was dealt with); and "worker", a worker's
# heartbeat (key: the worker, claimed_at: its last beat; see `bot.store.presence`).
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
    Column("reporter_id", BigInteger),  # who asked (pressed the button); for /fwerror-forget-me
    Column("queue_message_id", BigInteger),
    Column("claimed_by", BigInteger),
    Column("resolved_by", BigInteger),
    Column("author_id", BigInteger),  # whose paste the case is about (version 2); forget-me
)
Index("fwerror_escalations_state", escalations.c.state, escalations.c.created_at)
Index("fwerror_escalations_author", escalations.c.author_id)
Index("fwerror_escalations_reporter", escalations.c.reporter_id)

# What each answer decided, for its buttons (`bot.checklist`), so a press after a restart or on
# another worker still never reads the paste again. Written at version 2.
answers = Table(
    "fwerror_answers",
    metadata,
    Column("answer_id", BigInteger, primary_key=True, autoincrement=False),
    Column("created_at", Float, nullable=False),
    Column("case_key", BigInteger, nullable=False),
    Column("anchor_id", BigInteger),
    Column("author_id", BigInteger),  # whose paste; for /fwerror-forget-me
    Column("entry", String(100)),
    Column("matched", String(300), nullable=False),
    Column("excerpt", Text, nullable=False),  # redacted, at most 500 characters
    Column("support", Text, nullable=False),  # JSON: the checklist's items, redacted
    Column("pings", Boolean, nullable=False),
    Column("jump_url", String(200), nullable=False),
)
Index("fwerror_answers_author", answers.c.author_id)
Index("fwerror_answers_created", answers.c.created_at)

# Reports of server-side trouble that can make a wave (bot.core.incidents): written on the
# reply's path, since a wave is counted across workers from them.
wave_reports = Table(
    "fwerror_wave_reports",
    metadata,
    Column("message_id", BigInteger, primary_key=True, autoincrement=False),
    Column("trouble", String(100), nullable=False),
    Column("reporter_id", BigInteger, nullable=False),  # counted, and for /fwerror-forget-me
    Column("reported_at", Float, nullable=False),
    Column("model", String(200)),
    Column("jump_url", String(200), nullable=False),
)
Index("fwerror_wave_reports_trouble", wave_reports.c.trouble, wave_reports.c.reported_at)
Index("fwerror_wave_reports_reporter", wave_reports.c.reporter_id)

# The latest wave of each trouble: one row, taken over atomically (an upsert) when the previous
# wave has been quiet for a window, so two workers seeing one wave open one incident.
wave_slots = Table(
    "fwerror_wave_slots",
    metadata,
    Column("trouble", String(100), primary_key=True),
    Column("incident_key", BigInteger, nullable=False),
    Column("last_seen", Float, nullable=False),
)

incidents = Table(
    "fwerror_incidents",
    metadata,
    Column("key", BigInteger, primary_key=True, autoincrement=False),  # the opening report
    Column("trouble", String(100), nullable=False),
    Column("state", String(16), nullable=False),  # open, closed, not_incident
    Column("first_seen", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
    Column("queue_message_id", BigInteger),
    Column("closed_by", BigInteger),
)
Index("fwerror_incidents_last_seen", incidents.c.last_seen)
