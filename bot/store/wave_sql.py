"""The statements that count a wave of reports, as plain SQL built once.

Every report of server-side trouble runs them, on the event loop's thread: built as SQLAlchemy
expressions each time (upserts with `CASE`, subqueries), they cost about 4 ms of the loop per
report, several times what the database spends on them, while other messages wait for their
answers. As text they are parsed once, and each run only binds values. They are the same on
SQLite and PostgreSQL. No write returns rows (`RETURNING`): on SQLite its write lock would
stay held until the rows are fetched, a second trip to the driver's thread, across a turn of
the event loop, and every claim made meanwhile would find the lock taken. The tables and
their columns are the ones `schema` declares, and a text value is bound with its column's
type, which cleans what a database would refuse (`storable`): the model is the user's text.
"""

from __future__ import annotations

from sqlalchemy import bindparam, text

from bot.store import schema

_REPORTS = schema.wave_reports.c
KEEP_REPORT = text(
    "INSERT INTO fwerror_wave_reports "
    "(message_id, trouble, reporter_id, reported_at, model, jump_url) "
    "VALUES (:message_id, :trouble, :reporter_id, :reported_at, :model, :jump_url) "
    "ON CONFLICT (message_id) DO NOTHING"
).bindparams(
    *(bindparam(name, type_=_REPORTS[name].type) for name in ("trouble", "model", "jump_url"))
)
# PostgreSQL only: each trouble counted under a lock of its own, held to the commit
LOCK_TROUBLE = text("SELECT pg_advisory_xact_lock(hashtext(:name))")
# The trouble's reports within a window of its newest: people, first and last, models
COUNT_WAVE = text(
    "SELECT count(DISTINCT reporter_id), min(reported_at), max(reported_at), "
    "count(DISTINCT model), max(model) FROM fwerror_wave_reports "
    "WHERE trouble = :trouble AND reported_at >= "
    "(SELECT max(reported_at) FROM fwerror_wave_reports WHERE trouble = :trouble) - :window"
)
# The trouble's slot, taken over when its last wave went quiet before `cutoff`; then the
# incident the wave belongs to is read from it
TAKE_SLOT = text(
    "INSERT INTO fwerror_wave_slots (trouble, incident_key, last_seen) "
    "VALUES (:trouble, :incident_key, :last_seen) ON CONFLICT (trouble) DO UPDATE SET "
    "incident_key = CASE WHEN fwerror_wave_slots.last_seen < :cutoff "
    "THEN excluded.incident_key ELSE fwerror_wave_slots.incident_key END, "
    "last_seen = CASE WHEN fwerror_wave_slots.last_seen < :cutoff "
    "OR fwerror_wave_slots.last_seen < excluded.last_seen "
    "THEN excluded.last_seen ELSE fwerror_wave_slots.last_seen END"
)
SLOT_INCIDENT = text("SELECT incident_key FROM fwerror_wave_slots WHERE trouble = :trouble")
OPEN_INCIDENT = text(
    'INSERT INTO fwerror_incidents ("key", trouble, state, first_seen, last_seen) '
    "VALUES (:key, :trouble, :state, :first_seen, :last_seen) "
    'ON CONFLICT ("key") DO NOTHING'
)
INCIDENT_STATE = text('SELECT state FROM fwerror_incidents WHERE "key" = :key')
# Reports counted before the opener's may have come in after it (other workers): the incident
# widens to them
JOIN_INCIDENT = text(
    "UPDATE fwerror_incidents SET "
    "first_seen = CASE WHEN first_seen > :first_seen THEN :first_seen ELSE first_seen END, "
    "last_seen = CASE WHEN last_seen < :last_seen THEN :last_seen ELSE last_seen END "
    'WHERE "key" = :key'
)
