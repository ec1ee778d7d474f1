"""The store as the bot uses it: claims with a deadline, writes in the background, and a
fallback to memory whenever the database is slow or down.

An answer waits on the database for at most `CLAIM_TIMEOUT`: the claim's `INSERT ... ON
CONFLICT DO NOTHING` is what makes "once" hold across restarts and workers, so it runs before
the reply; everything else (decisions, what answers decided, purges) is written off the reply's
path, decisions and answers in batches: one transaction per batch, not one per message, so
a busy channel doesn't keep the connections (and the event loop) busy with small writes.
After a failure the store is skipped for `RETRY_SECONDS`, so an outage costs one timeout,
not one per message.

One bad row never blocks the rest: text is cleaned as it is bound (`storable.py`), a batch that
fails is written again row by row, and a row the database refuses on its own is dropped,
counted and logged without its text. Each decision carries a random `row_key`, so writing a
batch again after a partial write (SQLite commits row by row; a full disk stops it midway)
never stores a row twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, Literal, TypeVar

from bot.core.incidents import Report, Sensed, WaveRules
from bot.store.presence import BEAT_SECONDS, JOIN_SECONDS, STALE_SECONDS, Presence
from bot.store.store import Forgotten, Row, RowRefused, Store, StoreUnavailable
from bot.store.url import describe

log = logging.getLogger("bot.store")

T = TypeVar("T")
ClaimKind = Literal["answer", "escalation", "containment"]
CLAIM_TIMEOUT = 0.25  # seconds an answer may wait on the database's claim
RETRY_SECONDS = 5.0  # after a failure, claims stay in memory this long before trying again
FLUSH_SECONDS = 0.5
CLOSE_FLUSH_SECONDS = 2.0  # what shutting down waits for the last batch
MAX_PENDING = 10_000  # decisions (and answers) waiting for the database; the oldest go first
BATCH_ROWS = 500
# A row that fails alone this many times while the database takes the rows beside it is
# dropped, whatever the error said: it must not hold the rest back.
MAX_STRIKES = 3
PURGE_SECONDS = 6 * 3600


class StoreService:
    """Owns the `Store` for one bot; `url=None` means no store (memory only)."""

    def __init__(
        self,
        url: str | None,
        *,
        retention_days: int = 90,
        claim_timeout: float = CLAIM_TIMEOUT,
        retry_seconds: float = RETRY_SECONDS,
        on_fallback: Callable[[str], None] | None = None,
        on_drop: Callable[[int], None] | None = None,
    ) -> None:
        self.url = url
        self.retention_days = retention_days
        self.claim_timeout = claim_timeout
        self.retry_seconds = retry_seconds
        self.on_fallback = on_fallback
        self.on_drop = on_drop
        self.dropped = 0  # decision rows given up on since start
        # Rows written so far, and by row_key (strikes, rows written at the first): told
        # apart, an outage (nothing is written) and one row that fails every time.
        self._written = 0
        self._strikes: dict[int, tuple[int, int]] = {}
        self.store: Store | None = None
        self.up = False
        self._opened = False
        self._retry_at = 0.0
        self._pending: deque[Row] = deque(maxlen=MAX_PENDING)
        self._answers: dict[int, Row] = {}  # by answer_id, oldest first, until written
        self._releases: dict[tuple[str, int], None] = {}  # claims to give back, in order
        self._releaser: asyncio.Task[None] | None = None
        # Held while a batch is out: a flush or forget-me waits for the one the writer took.
        self._flushing = asyncio.Lock()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._writer: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()
        # Operations on their way (a card's read, a button's): close waits for them, then
        # refuses new ones, so no connection is out when the engine is disposed.
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._closed = False
        self._purger: asyncio.Task[None] | None = None
        self.presence = Presence()
        self._beater: asyncio.Task[None] | None = None

    @property
    def configured(self) -> bool:
        return self.url is not None

    @property
    def dialect(self) -> str | None:
        return self.store.dialect if self.store is not None else None

    @property
    def status(self) -> str:
        if not self.configured:
            return "not configured"
        return "connected" if self.up else "unreachable"

    # Lifecycle

    async def start(self) -> None:
        """Connect and migrate; on failure run in memory and keep retrying. Never raises."""
        if self.url is None:
            return
        self.store = Store(self.url)
        if await self._open() and (others := await self._beat()):
            log.info(
                "store: %d other worker(s) on the database; joining in %.1f s", others, JOIN_SECONDS
            )
            await asyncio.sleep(JOIN_SECONDS)  # they see this one before it reads a message
        self._beater = asyncio.create_task(self._beat_loop(), name="fwerror store heartbeat")
        self._writer = asyncio.create_task(self._write_loop(), name="fwerror store writer")
        self._purger = asyncio.create_task(self._purge_loop(), name="fwerror store purge")

    async def _open(self) -> bool:
        assert self.store is not None
        try:
            applied = await self.store.open()
        except StoreUnavailable as error:
            self._down(f"can't open {describe(self.url or '')}: {error}")
            return False
        self._opened = True
        if applied:
            log.info("store: schema migrated to version %d", applied[-1])
        self._up()
        log.info("store: using %s", describe(self.url or ""))
        return True

    async def close(self) -> None:
        # The loops finish the statement they are in: one cancelled inside the driver would
        # leave its connection behind, for a thread to close after the event loop is gone.
        self._closing.set()
        loops = [task for task in (self._writer, self._purger, self._beater) if task is not None]
        if loops:
            _, late = await asyncio.wait(loops, timeout=CLOSE_FLUSH_SECONDS)
            for task in late:
                task.cancel()
            if late:  # a statement stuck in the driver must not hang the shutdown
                await asyncio.wait(late, timeout=CLOSE_FLUSH_SECONDS)
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=2.0)
        if self.store is not None:
            if self.up:
                try:
                    await asyncio.wait_for(self._flush(), CLOSE_FLUSH_SECONDS)
                except TimeoutError:
                    log.error(
                        "store: closed with %d decision(s) and %d answer(s) not written: the "
                        "database took over %.0f s",
                        len(self._pending),
                        len(self._answers),
                        CLOSE_FLUSH_SECONDS,
                    )
                except StoreUnavailable:
                    pass
            if self.up:  # a worker started next finds itself alone at once
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._quiet(lambda s: s.leave(self.presence.worker)), 1.0
                    )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), CLOSE_FLUSH_SECONDS)
            self._closed = True
            await self.store.close()

    # Health

    def _down(self, why: str) -> None:
        if self.up or not self._retry_at:
            log.warning(
                "store: %s; once-only claims are kept in memory until it is back "
                "(a restart or a second worker may answer twice meanwhile)",
                why,
            )
        self.up = False
        self._retry_at = time.monotonic() + self.retry_seconds

    def _up(self) -> None:
        if not self.up and self._retry_at:
            log.warning("store: reachable again; claims are shared once more")
        self.up = True
        self._retry_at = 0.0

    def _usable(self) -> bool:
        return self.store is not None and (self.up or time.monotonic() >= self._retry_at)

    async def _call(self, operation: Callable[[Store], Awaitable[T]]) -> T:
        """Run one operation; raise `StoreUnavailable` (and mark the store down) on failure."""
        store = self.store
        if store is None:
            raise StoreUnavailable("no store configured")
        if self._closed:
            raise StoreUnavailable("closed")
        if not self._opened and not await self._open():
            raise StoreUnavailable("not open")
        self._busy += 1
        self._idle.clear()
        try:
            result = await operation(store)
        except RowRefused:
            self._up()  # the database answered: it refuses these values, and only them
            raise
        except StoreUnavailable as error:
            self._down(f"unreachable ({str(error).splitlines()[0][:200]})")
            raise
        finally:
            self._busy -= 1
            if not self._busy:
                self._idle.set()
        self._up()
        return result

    async def check(self) -> bool:
        """Ping the database now (for /healthz); whether it answered."""
        if self.store is None:
            return False
        with contextlib.suppress(StoreUnavailable, TimeoutError):
            await asyncio.wait_for(self._call(lambda s: s.ping()), 2.0)
            return True
        return False

    # Claims

    async def claim(self, kind: ClaimKind, key: int) -> bool:
        """Whether this worker may act on `key`: the database's word, or True (memory only)
        when it is slow or down; the in-memory claim was already taken by the caller."""
        return await self.settle_claim(kind, self.send_claim(kind, key))

    def send_claim(self, kind: ClaimKind, key: int) -> asyncio.Task[bool] | None:
        """Send a claim to the database now, for `settle_claim` to wait on later (the answer's
        claim travels while the message is analysed); None: decided in memory."""
        if self.store is None or not self._usable():
            return None
        task = asyncio.create_task(self._call(lambda s: s.claim(kind, key)))
        self._keep(task)
        return task

    async def settle_claim(self, kind: ClaimKind, sent: asyncio.Task[bool] | None) -> bool:
        """The database's word on a claim `send_claim` sent, waiting at most `claim_timeout`
        from now; True (memory only) when it is slow or down."""
        if sent is None:
            if self.store is not None:  # configured, but down: memory decides
                self._fallback(kind)
            return True
        try:
            if sent.done():  # it landed while the message was analysed: no turn of the loop
                return sent.result()
            # shield: a claim past its deadline still lands, so other workers see it later.
            return await asyncio.wait_for(asyncio.shield(sent), self.claim_timeout)
        except TimeoutError:
            self._down(f"a claim took over {self.claim_timeout * 1000:.0f} ms")
        except StoreUnavailable:
            pass
        self._fallback(kind)
        return True

    def answers_before_word(self, created_at: float) -> bool:
        """Whether an answer to a message created at `created_at` (Unix seconds) may be posted
        before the database's word on its claim: this worker is alone on it (see
        `bot.store.presence`)."""
        return self.presence.owns(created_at)

    def release(self, kind: ClaimKind, key: int) -> None:
        """Let a later attempt claim `key` again (in the background). Claims given back while
        a `DELETE` is on its way go together in the next: under load, one statement for many
        quiet messages, not one each, keeping the claims' connections free for answers."""
        if not self._usable():
            return
        self._releases[(kind, key)] = None
        if self._releaser is None or self._releaser.done():
            self._releaser = asyncio.create_task(self._release_queued())
            self._keep(self._releaser)

    async def _release_queued(self) -> None:
        while self._releases:
            batch = list(self._releases)
            self._releases.clear()
            await self._quiet(lambda s, batch=batch: s.release_many(batch))

    def _fallback(self, kind: str) -> None:
        if self.on_fallback is not None:
            self.on_fallback(kind)

    # Writes off the reply's path

    def record(self, row: Row) -> None:
        """Queue a decision row under a key of its own; the writer flushes the queue in batches."""
        if self.store is not None:
            self._pending.append({**row, "row_key": random.getrandbits(63)})

    async def _flush(self) -> None:
        async with self._flushing:
            await self._write_answers()
            while self._pending:
                count = min(BATCH_ROWS, len(self._pending))
                batch = [self._pending.popleft() for _ in range(count)]
                try:
                    await self._call(lambda s, rows=batch: s.add_decisions(rows))
                except StoreUnavailable:
                    await self._write_alone(batch)
                except asyncio.CancelledError:  # shutdown: `close` writes it again (row keys)
                    self._pending.extendleft(reversed(batch))
                    raise
                else:
                    self._written += len(batch)
            self._strikes.clear()

    async def _write_alone(self, batch: list[Row]) -> None:
        """Write a failed batch row by row. A refused row is dropped. At the first other failure
        the rest is kept for the next try (the database may be down), the failing row after it."""
        dropped: Counter[str] = Counter()  # by reason, logged once for the batch
        try:
            for index, row in enumerate(batch):
                try:
                    self._written += await self._call(lambda s, rows=[row]: s.add_decisions(rows))
                except RowRefused as error:
                    dropped[str(error)] += 1
                except StoreUnavailable:
                    if self._struck_out(row):
                        dropped[f"failed alone {MAX_STRIKES} times as other rows were written"] += 1
                        continue
                    self._pending.extendleft(reversed([*batch[index + 1 :], row]))
                    raise
                except asyncio.CancelledError:
                    self._pending.extendleft(reversed(batch[index:]))
                    raise
        finally:
            if dropped:
                self._drop(dropped)

    async def _write_answers(self) -> None:
        """Write the queued answers in one batch; they stay queued if the database is down. A
        batch it refuses is written row by row, and a row refused alone is dropped."""
        rows = list(self._answers.values())
        if not rows:
            return
        try:
            await self._call(lambda s: s.keep_answers(rows))
        except RowRefused:
            refused: Counter[str] = Counter()
            for row in rows:
                try:
                    await self._call(lambda s, alone=[row]: s.keep_answers(alone))
                except RowRefused as error:
                    refused[str(error)] += 1
            if refused:
                self._drop(refused, "answer")
        for row in rows:
            self._answers.pop(row["answer_id"], None)

    def _struck_out(self, row: Row) -> bool:
        """Whether to give up on a row that failed alone again: it has failed `MAX_STRIKES`
        times, and the database took other rows since its first failure, so it isn't down."""
        key = row["row_key"]
        strikes, written_before = self._strikes.get(key, (0, self._written))
        if strikes + 1 < MAX_STRIKES or self._written == written_before:
            self._strikes[key] = (strikes + 1, written_before)
            return False
        del self._strikes[key]
        return True

    def _drop(self, reasons: Counter[str], kind: str = "decision") -> None:
        """Count rows given up on. The log line names the errors, never a row's text."""
        count = sum(reasons.values())
        self.dropped += count
        log.error(
            "store: dropped %d %s row(s) the database won't take (%s); %d since start",
            count,
            kind,
            ", ".join(f"{why}: {n}" for why, n in reasons.items()),
            self.dropped,
        )
        if self.on_drop is not None:
            self.on_drop(count)

    async def _write_loop(self) -> None:
        while not await self._closing_within(FLUSH_SECONDS):
            if (self._pending or self._answers) and self._usable():
                with contextlib.suppress(StoreUnavailable):
                    await self._flush()

    async def _beat_loop(self) -> None:
        """A beat every `BEAT_SECONDS`, from one's start to the next's: a slow database
        doesn't stretch the time between them past the `FRESH_SECONDS` "alone" holds."""
        started = time.monotonic()
        while not await self._closing_within(max(0.0, started + BEAT_SECONDS - time.monotonic())):
            started = time.monotonic()
            await self._beat()

    async def _beat(self) -> int | None:
        """One heartbeat; how many other workers are on the database (None: it failed)."""
        started, now = time.monotonic(), time.time()
        if not self._usable():
            self.presence.lost()
            return None
        try:
            others = await self._call(lambda s: s.beat(self.presence.worker, now, STALE_SECONDS))
        except StoreUnavailable:
            self.presence.lost()
            return None
        self.presence.saw(others, started, now)
        return others

    async def flush(self) -> None:
        """Write queued decisions now (tests, shutdown); raises if the store is down."""
        await self._flush()

    async def _purge_loop(self) -> None:
        await self.purge()
        while not await self._closing_within(PURGE_SECONDS):
            await self.purge()

    async def _closing_within(self, seconds: float) -> bool:
        """Wait `seconds`, or less if `close` is called meanwhile; whether it was."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)
        return self._closing.is_set()

    async def purge(self) -> int:
        """Delete rows older than the retention; how many went (0 if the store is down)."""
        before = time.time() - self.retention_days * 86400
        with contextlib.suppress(StoreUnavailable):
            removed = await self._call(lambda s: s.purge(before))
            if removed:
                log.info("store: purged %d row(s) older than %d days", removed, self.retention_days)
            return removed
        return 0

    # Requests from users and moderators (awaited, off the 3 s path: the caller deferred)

    async def vote(self, answer_id: int, user_id: int, message_id: int, helped: bool) -> bool:
        return await self._quiet(lambda s: s.vote(answer_id, user_id, message_id, helped))

    def keep_answer(self, row: Row) -> None:
        """Queue what an answer decided for the writer's next batch (its buttons read memory
        first, and this queue before the database)."""
        if self.store is None:
            return
        if len(self._answers) >= MAX_PENDING:
            self._answers.pop(next(iter(self._answers)))
        self._answers[row["answer_id"]] = {"created_at": time.time(), **row}

    async def answer(self, answer_id: int) -> dict | None:
        """What answer `answer_id` decided, or None: not stored, or the store slow or down
        (waited on for at most the claim's deadline, so a press is answered in time)."""
        if (queued := self._answers.get(answer_id)) is not None:
            return queued
        if self.store is None or not self._usable():
            return None
        with contextlib.suppress(StoreUnavailable, TimeoutError):
            return await asyncio.wait_for(
                self._call(lambda s: s.answer(answer_id)), self.claim_timeout
            )
        return None

    async def add_escalation(self, row: Row) -> bool:
        return await self._quiet(lambda s: s.add_escalation(row))

    async def set_escalation_state(self, key: int, state: str, user_id: int) -> dict | None:
        with contextlib.suppress(StoreUnavailable):
            return await self._call(lambda s: s.set_escalation_state(key, state, user_id))
        return None

    async def forget_user(self, user_id: int) -> Forgotten:
        """Raises `StoreUnavailable`: the user must hear that nothing was deleted. Waits for a
        batch being written, which may hold the user's rows, so none lands after the delete."""
        async with self._flushing:
            queued = [row for row in self._pending if row.get("author_id") != user_id]
            dropped = len(self._pending) - len(queued)
            self._pending.clear()
            self._pending.extend(queued)
            answers = [key for key, row in self._answers.items() if row["author_id"] == user_id]
            for key in answers:
                del self._answers[key]
            gone = await self._call(lambda s: s.forget_user(user_id))
        counts = {"decisions": gone.decisions + dropped, "answers": gone.answers + len(answers)}
        return replace(gone, **counts)

    async def report(self, since: float) -> Any:
        """The report over the last `since` seconds (queued decisions written first)."""
        from bot.report import fetch_report

        with contextlib.suppress(StoreUnavailable):
            await self._flush()
        return await self._call(lambda s: fetch_report(s, time.time() - since))

    # Waves (bot.waves falls back to memory when these raise)

    async def report_waves(self, reports: list[Report], rules: WaveRules) -> list[Sensed | None]:
        """The store's word on a batch of reports of server-side trouble (`Store.report_waves`);
        raises `StoreUnavailable` (the caller counts in memory)."""
        if not self._usable():
            raise StoreUnavailable("skipped while down")
        return await self._call(lambda s: s.report_waves(reports, rules))

    async def incidents(self, operation: Callable[[Store], Awaitable[T]]) -> T:
        """Read or change incidents; raises `StoreUnavailable` when the store is down."""
        if not self._usable():
            raise StoreUnavailable("skipped while down")
        return await self._call(operation)

    async def _quiet(self, operation: Callable[[Store], Awaitable[Any]]) -> bool:
        if not self._usable():
            return False
        try:
            await self._call(operation)
        except StoreUnavailable:
            return False
        return True

    def _keep(self, task: asyncio.Task[Any]) -> None:
        self._tasks.add(task)  # the loop keeps only a weak reference to a task
        task.add_done_callback(self._tasks.discard)
        task.add_done_callback(_consume)


def _consume(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved: no "exception was never retrieved" on shutdown
