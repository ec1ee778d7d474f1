"""The store's operations, one short transaction each, on SQLite or PostgreSQL."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Integer, case, cast, delete, event, func, or_, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.core.evidence import Evidence
from bot.core.incidents import (
    CARD_LINKS,
    MODELS_SHOWN,
    Incident,
    IncidentState,
    Report,
    Sensed,
    WaveRules,
)
from bot.core.limits import STORED_EVIDENCE_CHARS, STORED_EXCERPT_CHARS
from bot.core.render import shorten
from bot.store import schema, wave_sql
from bot.store.claims import ClaimError, Claims, open_claims
from bot.store.migrations import migrate
from bot.store.private import make_private
from bot.store.url import engine_url, sqlite_path

WORKER = "worker"  # the claims' kind of a worker's heartbeat row

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
    escalations: int  # cases about the user's pastes, deleted
    answers: int = 0  # what answers to their pastes decided, kept for the buttons
    named: int = 0  # others' cases that named the user (as presser or moderator), kept unnamed
    deleted_posts: tuple[int, ...] = ()  # queue posts of the deleted cases
    named_posts: tuple[int, ...] = ()  # queue posts of the cases that named them

    @property
    def total(self) -> int:
        return self.decisions + self.feedback + self.escalations + self.answers


def excerpt(text: str, limit: int = STORED_EXCERPT_CHARS) -> str:
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
        if self.claims is not None:
            try:
                return await self.claims.release(kind, key)
            except ClaimError as error:
                raise StoreUnavailable(str(error)) from error
        c = schema.claims.c
        await self._run(delete(schema.claims).where(c.kind == kind, c.key == key))

    # Workers on the database (see `bot.store.presence`)

    async def beat(self, worker: int, now: float, stale_after: float) -> int:
        """Say `worker` is alive at `now`; how many other workers said so within `stale_after`
        seconds. Its row lives among the claims, under the kind "worker"."""
        c = schema.claims.c
        alive = (
            self._insert(schema.claims)
            .values(kind=WORKER, key=worker, claimed_at=now)
            .on_conflict_do_update(index_elements=["kind", "key"], set_={"claimed_at": now})
        )
        others = select(func.count()).where(
            c.kind == WORKER, c.key != worker, c.claimed_at > now - stale_after
        )
        _, counted = await self._run(alive, others)
        return int(counted.scalar_one())

    async def leave(self, worker: int) -> None:
        """Take `worker`'s row away, so a worker started next finds itself alone at once."""
        c = schema.claims.c
        await self._run(delete(schema.claims).where(c.kind == WORKER, c.key == worker))

    async def release_many(self, claims: list[tuple[str, int]]) -> None:
        """Give back several claims in one statement (the claims' own connection)."""
        if self.claims is None:
            for kind, key in claims:
                await self.release(kind, key)
            return
        try:
            await self.claims.release_many(claims)
        except ClaimError as error:
            raise StoreUnavailable(str(error)) from error

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
        """Delete the user's decisions, votes and the cases about their pastes; remove their
        id from other people's cases (who pressed, claimed or resolved) and keep those."""
        d, f, e, a = schema.decisions, schema.feedback, schema.escalations, schema.answers
        w = schema.wave_reports
        people = (e.c.author_id, e.c.reporter_id, e.c.claimed_by, e.c.resolved_by)
        touched = select(e.c.key, e.c.queue_message_id, *people).where(
            or_(*(column == user_id for column in people))
        )
        [result] = await self._run(touched)
        found = [dict(row) for row in result.mappings()]
        # A row from before version 2 has no author: its reporter is the best we know.
        about = [
            row
            for row in found
            if row["author_id"] == user_id
            or (row["author_id"] is None and row["reporter_id"] == user_id)
        ]
        about_keys = {row["key"] for row in about}
        named = [row for row in found if row["key"] not in about_keys]
        results = await self._run(
            delete(d).where(d.c.author_id == user_id),
            delete(f).where(f.c.user_id == user_id),
            delete(e).where(e.c.key.in_(about_keys)),
            delete(a).where(a.c.author_id == user_id),
            delete(w).where(w.c.reporter_id == user_id),
            *(
                update(e).where(column == user_id).values({column.name: None})
                for column in people[1:]
            ),
        )
        return Forgotten(
            decisions=results[0].rowcount + results[4].rowcount,
            feedback=results[1].rowcount,
            escalations=results[2].rowcount,
            answers=results[3].rowcount,
            named=len(named),
            deleted_posts=tuple(r["queue_message_id"] for r in about if r["queue_message_id"]),
            named_posts=tuple(r["queue_message_id"] for r in named if r["queue_message_id"]),
        )

    async def keep_answers(self, rows: list[Row]) -> None:
        """Store what answers decided (once: an answer never changes; a row without its
        `created_at` is stamped now)."""
        if not rows:
            return
        now = time.time()
        statement = self._insert(schema.answers).on_conflict_do_nothing(
            index_elements=["answer_id"]
        )
        await self._run(statement, rows=[{"created_at": now, **row} for row in rows])

    async def answer(self, answer_id: int) -> dict | None:
        """What answer `answer_id` decided, if it is stored."""
        a = schema.answers
        [result] = await self._run(select(a).where(a.c.answer_id == answer_id))
        row = result.mappings().first()
        return dict(row) if row else None

    # Waves and incidents (the rules: bot.core.incidents)

    async def report_waves(self, reports: list[Report], rules: WaveRules) -> list[Sensed | None]:
        """Keep `reports` (a batch, as they came); for each, the incident it joins (opening one
        if its trouble's wave starts now), or None.

        Each trouble in the batch is counted once, at its newest report; its first report is
        the one that may open the incident (the others then update its card). Which incident a
        wave belongs to is decided by one upsert on the trouble's slot, so two workers that
        see the same wave at once agree on one incident. On PostgreSQL each trouble is counted
        under a lock of its own, held to the commit, so the batch counted last sees every
        report before it (SQLite commits each statement); locks are taken in the troubles'
        order, so two batches never wait in a circle. Only what the answer needs is read; the
        card reads the rest (`incident`).
        """
        rows = [
            {
                "message_id": r.message_id,
                "trouble": r.trouble,
                "reporter_id": r.reporter_id,
                "reported_at": r.at,
                "model": (r.model or None) and r.model[:200],
                "jump_url": r.jump_url[:200],
            }
            for r in reports
        ]
        troubles: dict[str, list[Report]] = {}
        for report in reports:
            troubles.setdefault(report.trouble, []).append(report)
        found: dict[int, Sensed | None] = {}
        try:
            async with self._transaction() as conn:
                await conn.execute(wave_sql.KEEP_REPORT, rows)
                for trouble in sorted(troubles):
                    if self.dialect == "postgresql":
                        lock = {"name": f"fwerror wave {trouble}"}
                        await conn.execute(wave_sql.LOCK_TROUBLE, lock)
                    first = min(troubles[trouble], key=lambda r: (r.at, r.message_id))
                    sensed = await self._sense(conn, first, rules)
                    for report in troubles[trouble]:
                        joined = sensed is not None and report is not first
                        found[report.message_id] = (
                            replace(sensed, opened=False) if joined else sensed
                        )
        except Exception as error:
            raise StoreUnavailable(str(error) or type(error).__name__) from error
        return [found[r.message_id] for r in reports]

    async def _sense(self, conn: Any, first: Report, rules: WaveRules) -> Sensed | None:
        """The wave a trouble's reports (already kept, `first` the earliest) are part of; if
        they start one, its incident opens under the first's key. The wave is counted at the
        trouble's newest report, which may be another worker's: a batch written late may hold
        only reports older than the wave it belongs to, too few to be one on their own."""
        counted = {"trouble": first.trouble, "window": rules.window}
        people, first_seen, last_seen, models, model = (
            await conn.execute(wave_sql.COUNT_WAVE, counted)
        ).one()
        if not rules.is_wave(people):
            return None
        slot = {
            "trouble": first.trouble,
            "incident_key": first.message_id,
            "last_seen": last_seen,
            "cutoff": last_seen - rules.window,
        }
        await conn.execute(wave_sql.TAKE_SLOT, slot)
        trouble = {"trouble": first.trouble}
        key = (await conn.execute(wave_sql.SLOT_INCIDENT, trouble)).scalar_one()
        opened = key == first.message_id
        seen = {"key": key, "first_seen": first_seen, "last_seen": last_seen}
        if opened:
            opening = {**seen, **trouble, "state": IncidentState.OPEN.value}
            await conn.execute(wave_sql.OPEN_INCIDENT, opening)
        else:
            await conn.execute(wave_sql.JOIN_INCIDENT, seen)
        state = (await conn.execute(wave_sql.INCIDENT_STATE, {"key": key})).scalar_one_or_none()
        if state is None:  # purged, or its opener hasn't written it yet: nothing to join
            return None
        common = model if models == 1 else None
        return Sensed(key, first.trouble, IncidentState(state), people, opened, common)

    async def _incident(self, conn: Any, key: int) -> Incident | None:
        """The incident with its counts, in aggregates: the same cost at 5 reports or 5,000."""
        w, i = schema.wave_reports, schema.incidents
        row = (await conn.execute(select(i).where(i.c.key == key))).mappings().first()
        if row is None:
            return None
        inside = (w.c.trouble == row["trouble"]) & w.c.reported_at.between(
            row["first_seen"], row["last_seen"]
        )
        totals = select(
            func.count(),
            func.count(func.distinct(w.c.reporter_id)),
            func.min(w.c.reported_at),
            func.max(w.c.reported_at),
        ).where(inside)
        reports, people, first, last = (await conn.execute(totals)).one()
        named = func.count().label("named")
        models = (
            select(w.c.model, named)
            .where(inside, w.c.model.is_not(None))
            .group_by(w.c.model)
            .order_by(named.desc(), w.c.model)
            .limit(MODELS_SHOWN)
        )
        links = (
            select(w.c.jump_url)
            .where(inside, w.c.jump_url != "")
            .order_by(w.c.reported_at, w.c.message_id)
            .limit(CARD_LINKS)
        )
        return Incident(
            key=key,
            trouble=row["trouble"],
            state=IncidentState(row["state"]),
            first_seen=first if first is not None else row["first_seen"],
            last_seen=last if last is not None else row["last_seen"],
            reports=reports,
            people=people,
            models=tuple((await conn.execute(models)).scalars()),
            links=tuple((await conn.execute(links)).scalars()),
            queue_message_id=row["queue_message_id"],
        )

    async def incident(self, key: int) -> Incident | None:
        try:
            async with self._transaction() as conn:
                return await self._incident(conn, key)
        except Exception as error:
            raise StoreUnavailable(str(error) or type(error).__name__) from error

    async def set_incident(
        self,
        key: int,
        *,
        state: IncidentState | None = None,
        by: int | None = None,
        queue_message_id: int | None = None,
    ) -> Incident | None:
        """Change an incident's state (who did it) or its card; the incident after, or None."""
        i = schema.incidents
        values: dict[str, Any] = {}
        if state is not None:
            values.update(state=state.value, closed_by=by)
        if queue_message_id is not None:
            values["queue_message_id"] = queue_message_id
        await self._run(update(i).where(i.c.key == key).values(**values))
        return await self.incident(key)

    async def recent_reports(self, since: float, limit: int) -> list[Report]:
        """Wave reports since `since`, oldest first: at most the newest `limit`."""
        w = schema.wave_reports
        newest = select(w).where(w.c.reported_at >= since)
        newest = newest.order_by(w.c.reported_at.desc()).limit(limit)
        [result] = await self._run(newest)
        reports = [
            Report(r.message_id, r.reporter_id, r.trouble, r.reported_at, r.model, r.jump_url)
            for r in result
        ]
        return reports[::-1]

    async def recent_incidents(self, since: float) -> list[Incident]:
        """Incidents seen since `since`, newest first."""
        i = schema.incidents
        try:
            async with self._transaction() as conn:
                keys = (
                    (
                        await conn.execute(
                            select(i.c.key)
                            .where(i.c.last_seen >= since)
                            .order_by(i.c.first_seen.desc())
                            .limit(50)
                        )
                    )
                    .scalars()
                    .all()
                )
                found = [await self._incident(conn, key) for key in keys]
        except Exception as error:
            raise StoreUnavailable(str(error) or type(error).__name__) from error
        return [incident for incident in found if incident is not None]

    async def purge(self, before: float) -> int:
        """Delete rows older than `before` (Unix seconds); how many went."""
        d, f, e, c = schema.decisions, schema.feedback, schema.escalations, schema.claims
        a = schema.answers
        w, i = schema.wave_reports, schema.incidents
        results = await self._run(
            delete(a).where(a.c.created_at < before),
            delete(d).where(d.c.created_at < before),
            delete(f).where(f.c.updated_at < before),
            delete(e).where(e.c.updated_at < before),
            delete(c).where(c.c.claimed_at < before),
            delete(w).where(w.c.reported_at < before),
            delete(i).where(i.c.last_seen < before),
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
        tables = (
            schema.decisions,
            schema.feedback,
            schema.escalations,
            schema.claims,
            schema.answers,
        )
        results = await self._run(*(select(func.count()).select_from(t) for t in tables))
        return {t.name: r.scalar_one() for t, r in zip(tables, results, strict=True)}


def evidence_json(evidence: Iterable[Evidence]) -> str:
    """The first 20 pieces of evidence as JSON objects; their text is cut like an excerpt."""
    items = [item.to_json() for item in list(evidence)[:20]]
    for item in items:
        item["text"] = excerpt(item["text"], STORED_EVIDENCE_CHARS)
    return json.dumps(items, ensure_ascii=False)
