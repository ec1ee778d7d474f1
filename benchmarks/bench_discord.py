"""The real bot against the fake Discord: reply latency, sustained throughput, memory, loop lag.

A plain script, not a test: `python benchmarks/bench_discord.py`. Loopback only, bounded.
`python benchmarks/bench_discord.py hostile` instead sends hostile 32 KB and 1 MiB pastes, as
content and as attachments, one at a time, and reports the worst event-loop lag while each is
handled (issue 8: no single message may block the loop for more than 50 ms), after the time
`redact()` takes on each in-process.
`python benchmarks/bench_discord.py buttons` has one member press the buttons under an
answer to a 1 MiB attached log as fast as Discord allows while other members post pastes,
and reports the other members' reply delay (p50/p95/max), the worst loop lag, and how often
the attachment was downloaded again (issue 16: a press acts on what was decided, never
re-reading the paste, and every button has a per-user rate).
`python benchmarks/bench_discord.py idle` serves health and
metrics on a loopback port, answers paced pastes with no other client, then again while 1,000
idle connections (a tenth of them half-sent requests) sit on that port, and reports the worst
reply delay, `/healthz` time and loop lag of each phase (issue 16: the port caps connections).

The bot process runs a loop-lag probe: a task that sleeps 1 ms at a time and records each
wake-up that came late. The lag while a message is handled is the worst of those between its
dispatch and the reply to a short paste its author sent right after it, which the bot reads
only once the first is done (one read per author at a time).

The fake runs in a child process, so the bot's RSS is the bot's alone and the two don't share
a CPU. The child drives: it posts help-channel messages (corpus pastes and chatter, each from
its own author so cooldowns never hide a reply), timestamps each MESSAGE_CREATE it
dispatches and each reply POST as it arrives, and reads the bot's RSS from /proc.

Targets (issue "Safety under hostile input"): p95 <= 15 ms from dispatch to the reply's
POST, >= 500 messages/s sustained, RSS <= 80 MB after 10,000 messages, and no growth once
the bounded memories are full. Issue 17 (a flat tail): at 250 messages/s the reply p99 under
10 ms, and the worst loop lag in the burst under 50 ms; every collection is timed through
`gc.callbacks`, and each window prints its longest pause next to its loop lag. For the tail,
the paced replies are timed stage by stage (the gateway, up to the dispatch of the message
event; the read; the analysis; the wait for the claim; the post), the median of each and the
slowest 1 % in full, with how long each SQLite claim held the loop's thread;
`FWERROR_BENCH_PROFILE=<file>` also profiles the loop's thread (cProfile) while the driver runs.

The fake is wrapped to send generous X-RateLimit headers, as Discord sends them on every
answer: without them discord.py lets one request per route through at a time. Each message
has its own author, so the per-user memories (cooldowns, paste digests) fill to their 10,000
cap or their 30 s window: the worst case for memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import gc
import hashlib
import multiprocessing
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LATENCY_MESSAGES = 1_000
LATENCY_INTERVAL = 0.004  # s between paced posts: 250 msg/s, well below saturation
BURST = 1_000
# 40,000 messages: each reply fills the bounded memories (10,000 keys, 30 s cooldown window),
# so RSS rises to about 20,000 and must stay flat after.
BURSTS = int(os.environ.get("FWERROR_BENCH_BURSTS", "40"))  # fewer to compare settings quickly
QUIET = 0.3  # s without a reply POST: the bot has caught up
GENEROUS = "1000000/60"
PROBE_SLEEP = 0.001  # s: the loop-lag probe's nap
PROBE_RECORDED = 0.002  # s late: anything less is noise, not worth keeping
GC_KEPT = 0.001  # s: a collection this long is kept with its time, for the windows
GC_ENV = "FWERROR_BENCH_GC"  # thresholds to try instead of bot.bot.GC_THRESHOLDS
PROFILE_ENV = "FWERROR_BENCH_PROFILE"  # a file: the event loop's thread profiled (cProfile)
SLOWEST = 0.01  # the share of paced replies whose time is broken down by stage: the p99 tail


def corpus(*names: str) -> list[str]:
    """The texts of the named corpus files (tests/corpus/<name>.jsonl)."""
    from bot.core.evaluate import load_corpus

    folder = ROOT / "tests" / "corpus"
    return [case.text for case in load_corpus([folder / f"{name}.jsonl" for name in names])]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def percentile(samples: list[float], q: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100)[q - 1]


# -- the bot side (parent process) ----------------------------------------------------------


async def probe_loop_lag(lags: list[tuple[float, float]]) -> None:
    """Nap 1 ms at a time; record (when it woke, how late) for each late wake-up."""
    while True:
        before = time.perf_counter()
        await asyncio.sleep(PROBE_SLEEP)
        woke = time.perf_counter()
        late = woke - before - PROBE_SLEEP
        if late >= PROBE_RECORDED:
            lags.append((woke, late))


def worst_lag_ms(lags: list[tuple[float, float]], start: float, end: float) -> float:
    """The worst lag whose stall overlapped [start, end] (perf_counter is system-wide)."""
    stalls = [late for woke, late in lags if woke >= start and woke - late <= end]
    return max(stalls, default=0.0) * 1000


@dataclass
class GcPauses:
    """Every garbage collection in the bot process, timed through `gc.callbacks`.

    Counts and totals per generation; the pauses of GC_KEPT or more are kept with their time,
    so a window's longest pause can be told apart from the whole run's.
    """

    counts: list[int] = field(default_factory=lambda: [0, 0, 0])
    totals: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    longest: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    # The same in CPU time: what the collection cost, whatever else the machine was doing.
    longest_cpu: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    kept: list[tuple[float, float, int]] = field(default_factory=list)  # (end, seconds, gen)
    _started: float = 0.0
    _started_cpu: float = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if phase == "start":
            self._started, self._started_cpu = now, cpu
            return
        generation, took = info["generation"], now - self._started
        self.counts[generation] += 1
        self.totals[generation] += took
        self.longest[generation] = max(self.longest[generation], took)
        self.longest_cpu[generation] = max(self.longest_cpu[generation], cpu - self._started_cpu)
        if took >= GC_KEPT:
            self.kept.append((now, took, generation))

    def worst_in(self, start: float, end: float) -> tuple[float, int]:
        """The longest pause (ms) that overlapped [start, end], and its generation."""
        inside = [
            (took, gen) for done, took, gen in self.kept if done >= start and done - took <= end
        ]
        took, gen = max(inside, default=(0.0, -1))
        return took * 1000, gen

    def summary(self) -> str:
        return ", ".join(
            f"gen{gen} {self.counts[gen]:,} collections, longest "
            f"{self.longest[gen] * 1000:.1f} ms ({self.longest_cpu[gen] * 1000:.1f} ms of CPU), "
            f"{self.totals[gen]:.2f} s in all"
            for gen in range(3)
        )


class _Timed:
    """A claims connection whose statements are timed (wall time, on whichever thread)."""

    def __init__(self, connection: Any, times: list[float]) -> None:
        self.connection, self.times = connection, times

    def executemany(self, sql: str, rows: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.connection.executemany(sql, rows)
        finally:
            self.times.append((time.perf_counter() - start) * 1000)

    def close(self) -> None:
        self.connection.close()


@dataclass
class Stages:
    """When each answer passed each stage in the bot, by author id (perf_counter, which is
    system-wide, so the driver's dispatch and reply times line up with these)."""

    marks: dict[str, dict[str, float]] = field(default_factory=dict)
    # SQLite's claims and releases run on the loop's thread: how long each held it; and how
    # long those the write lock held back waited for it in their thread.
    blocking: list[float] = field(default_factory=list)
    waited: list[float] = field(default_factory=list)
    _author: dict[int, str] = field(default_factory=dict)  # by id(task): the answer's author

    def install(self) -> None:
        """Wrap the answer path's steps, as `bot.respond` calls them, with marks."""
        import bot.respond as respond
        from bot.bot import FwerrorBot
        from bot.message_reader import MessageReader
        from bot.store.claims import SqliteClaims

        dispatch = FwerrorBot.dispatch

        def marked_dispatch(client: Any, event: str, /, *args: Any, **kwargs: Any) -> None:
            if event == "message":  # the gateway's event read and parsed: handlers start next
                self.marks.setdefault(str(args[0].author.id), {})["dispatch"] = time.perf_counter()
            dispatch(client, event, *args, **kwargs)

        FwerrorBot.dispatch = marked_dispatch  # type: ignore[method-assign]
        read = MessageReader.read

        async def marked_read(reader: Any, message: Any, *args: Any, **kwargs: Any) -> Any:
            author = str(message.author.id)
            self._author[id(asyncio.current_task())] = author
            marks = self.marks.setdefault(author, {})
            marks["read"] = time.perf_counter()
            try:
                return await read(reader, message, *args, **kwargs)
            finally:
                marks["read_end"] = time.perf_counter()

        MessageReader.read = marked_read  # type: ignore[method-assign]
        init = SqliteClaims.__init__

        def timed_init(claims: Any, *args: Any, **kwargs: Any) -> None:
            init(claims, *args, **kwargs)
            claims.connection = _Timed(claims.connection, self.blocking)
            claims.waiting = _Timed(claims.waiting, self.waited)

        SqliteClaims.__init__ = timed_init  # type: ignore[method-assign]
        for name in ("analyse", "_claim_answer", "post_answer"):
            setattr(respond, name, self._wrap(name, getattr(respond, name)))

    def _wrap(self, name: str, step: Callable[..., Awaitable[Any]]) -> Callable[..., Any]:
        async def marked(*args: Any, **kwargs: Any) -> Any:
            author = self._author.get(id(asyncio.current_task()))
            marks = self.marks.setdefault(author, {}) if author else {}
            marks[name] = time.perf_counter()
            try:
                return await step(*args, **kwargs)
            finally:
                marks[f"{name}_end"] = time.perf_counter()

        return marked

    def report(self, sent: dict[str, float], replied: dict[str, float], authors: list[str]) -> None:
        """Where the slowest `SLOWEST` of `authors`' replies spent their time, each step's
        median over all of them alongside."""
        steps = [
            ("gateway", "sent", "dispatch"),  # the fake's send, the socket, discord.py's parse
            ("to read", "dispatch", "read"),  # the handler's task started, its author's turn
            ("read", "read", "read_end"),
            ("to analyse", "read_end", "analyse"),
            ("analyse", "analyse", "analyse_end"),
            ("claim wait", "_claim_answer", "_claim_answer_end"),
            ("to post", "_claim_answer_end", "post_answer"),
            ("post", "post_answer", "replied"),
        ]
        rows = []
        for author in authors:
            marks = self.marks.get(author, {})
            if author not in replied or "post_answer" not in marks or "dispatch" not in marks:
                continue
            marks = {**marks, "sent": sent[author], "replied": replied[author]}
            total = (marks["replied"] - marks["sent"]) * 1000
            rows.append((total, [(marks[b] - marks[a]) * 1000 for _, a, b in steps]))
        if self.blocking:
            held = sorted(self.blocking)
            print(
                f"  SQLite claims and releases on the loop's thread: {len(held):,}, p50 "
                f"{percentile(held, 50):.2f} ms, p99 {percentile(held, 99):.2f} ms, max "
                f"{held[-1]:.1f} ms, {sum(t >= 5 for t in held)} of 5 ms or more"
            )
        if self.waited:
            waits = sorted(self.waited)
            print(
                f"  ... of which {len(waits):,} found the write lock held and waited for it in "
                f"a thread, off the loop: p50 {percentile(waits, 50):.2f} ms, max "
                f"{waits[-1]:.1f} ms"
            )
        if not rows:
            return
        rows.sort(key=lambda row: row[0])
        tail = rows[-max(1, round(len(rows) * SLOWEST)) :]
        print(f"  where the time went (ms), all {len(rows)} replies' median, then the slowest:")
        names = "".join(f"{name:>11}" for name, _, _ in steps)
        print(f"  {'reply':>8}{names}")
        median = [statistics.median(row[1][n] for row in rows) for n in range(len(steps))]
        whole = statistics.median(row[0] for row in rows)
        print(f"  {whole:8.1f}" + "".join(f"{part:11.1f}" for part in median))
        for total, parts in tail:
            print(f"  {total:8.1f}" + "".join(f"{part:11.1f}" for part in parts))


def census(top: int = 8) -> str:
    """How many objects the collector tracks outside the frozen heap, and the commonest types."""
    counts = Counter(type(thing).__name__ for thing in gc.get_objects())
    common = ", ".join(f"{name} {count:,}" for name, count in counts.most_common(top))
    return f"{counts.total():,} objects ({gc.get_freeze_count():,} frozen); {common}"


def report_lags(
    lags: list[tuple[float, float]], windows: list[tuple[str, float, float]], pauses: GcPauses
) -> None:
    for name, start, end in windows:
        pause, gen = pauses.worst_in(start, end)
        print(
            f"  {name:<34} handled in {end - start:7.2f} s, worst loop lag "
            f"{worst_lag_ms(lags, start, end):7.1f} ms, longest GC pause {pause:6.1f} ms"
            + (f" (gen{gen})" if gen >= 0 else "")
        )
    overall = max((late for _, late in lags), default=0.0) * 1000
    print(f"worst event-loop lag over the whole run (after ready): {overall:.1f} ms")
    print(f"garbage collections after ready: {pauses.summary()}")


async def run_bot(conn: Connection, environ: dict[str, str]) -> None:
    import discord
    import yarl

    import bot.bot as bot_module
    from bot.bot import FwerrorBot
    from bot.knowledge.load import load_knowledge
    from bot.settings import load_settings

    setup = await asyncio.to_thread(conn.recv)
    discord.http.Route.BASE = setup["api_url"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(setup["gateway_url"])
    settings = load_settings({"DISCORD_TOKEN": setup["token"], **setup["env"], **environ}, None)
    if GC_ENV in os.environ:  # trying thresholds: "700,10,10"
        bot_module.GC_THRESHOLDS = tuple(int(n) for n in os.environ[GC_ENV].split(","))
    stages = Stages()
    stages.install()  # before the bot: discord.py binds its dispatch as the bot is built
    # As bot.runner starts it: the start-up heap frozen, the thresholds set.
    bot = FwerrorBot(settings, load_knowledge(), guild_ready_timeout=0.1, settles_heap=True)
    print(f"collector thresholds once started: {bot_module.GC_THRESHOLDS}")
    lags: list[tuple[float, float]] = []
    try:
        async with bot:
            running = asyncio.create_task(bot.start(setup["token"]))
            await bot.wait_until_ready()
            probe = asyncio.create_task(probe_loop_lag(lags))
            pauses = GcPauses()
            gc.callbacks.append(pauses)
            profile = cProfile.Profile() if PROFILE_ENV in os.environ else None
            if profile is not None:
                profile.enable()
            done = await asyncio.to_thread(conn.recv)  # the driver is done
            if profile is not None:
                profile.disable()
                profile.dump_stats(os.environ[PROFILE_ENV])
            gc.callbacks.remove(pauses)
            probe.cancel()
            windows = done["windows"]
            report_lags(lags, windows, pauses)
            if done["paced"]:
                stages.report(done["sent"], done["replied"], done["paced"])
            print(f"what a full collection walks at the end: {census()}")
            claims = bot.claims
            print(
                f"bot state at the end: {len(claims.answered):,} answered ids, "
                f"{len(claims.user_cooldown):,} users in cooldown, "
                f"{len(claims.recent_pastes):,} paste digests (each capped at 10,000), "
                f"{len(bot.cached_messages):,} cached messages"
            )
            await bot.close()
            await running
    finally:
        conn.send("closed")  # now the fake may go: the bot won't try to reconnect to it


def bot_process_main(conn: Connection, environ: dict[str, str]) -> None:
    import logging

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run_bot(conn, environ))


# -- the fake's side (the driver) -------------------------------------------------------------


@dataclass
class Observer:
    """Timestamps replies as the fake receives them, keyed by the author they ping."""

    queue_channel: str | None = None
    sent_at: dict[str, float] = field(default_factory=dict)  # author id -> dispatch time
    replied_at: dict[str, float] = field(default_factory=dict)
    reply_to: dict[str, float] = field(default_factory=dict)  # message id -> first reply time
    posts: int = 0
    deletes: int = 0
    downloads: int = 0  # attachment files served
    escalations: int = 0
    last_activity: float = 0.0

    def install(self, fake: Any) -> None:
        read_body = fake.rest._read_body

        async def timed_read_body(request: Any, recorded: Any) -> None:
            await read_body(request, recorded)
            self.seen(recorded, time.perf_counter())

        fake.rest._read_body = timed_read_body
        authorized = fake.rest._authorized

        async def unthrottled(request: Any, handler: Any) -> Any:
            # Discord sends rate-limit headers on every answer and the fake doesn't; without
            # them discord.py allows one request per route at a time, and stalls under a burst.
            response = await authorized(request, handler)
            bucket = re.sub(r"\d+", ":id", f"{request.method} {request.path}")
            response.headers.update(
                {
                    "X-RateLimit-Limit": "1000000",
                    "X-RateLimit-Remaining": "999999",
                    "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
                    "X-RateLimit-Reset-After": "1.000",
                    "X-RateLimit-Bucket": hashlib.sha1(bucket.encode()).hexdigest()[:32],
                }
            )
            return response

        fake.rest._authorized = unthrottled
        # Nothing waits on the journal here; 10,000s of entries would only cost memory.
        fake.rest.requests.append = lambda entry: None

    def seen(self, recorded: Any, now: float) -> None:
        self.last_activity = now
        if recorded.method == "GET" and recorded.path.startswith("/attachments/"):
            self.downloads += 1
            return
        if recorded.method == "DELETE":
            self.deletes += 1
            return
        if recorded.method != "POST" or not isinstance(recorded.json, dict):
            return
        self.posts += 1
        if self.queue_channel and recorded.path == f"/channels/{self.queue_channel}/messages":
            self.escalations += 1
            return
        users = (recorded.json.get("allowed_mentions") or {}).get("users") or []
        if users:
            self.replied_at.setdefault(str(users[0]), now)
        reference = recorded.json.get("message_reference") or {}
        if reference.get("message_id"):
            self.reply_to.setdefault(str(reference["message_id"]), now)

    def latencies_ms(self, authors: list[str]) -> list[float]:
        return [
            (self.replied_at[a] - self.sent_at[a]) * 1000 for a in authors if a in self.replied_at
        ]


@dataclass
class Rig:
    fake: Any
    observer: Observer
    bot_pid: int
    next_author: int = 0
    expected: set[str] = field(default_factory=set)  # authors whose reply is still due
    paced: list[str] = field(default_factory=list)  # authors of the paced window's messages
    windows: list[tuple[str, float, float]] = field(default_factory=list)  # for loop lag
    _answerable: dict[str, bool] = field(default_factory=dict)
    _knowledge: Any = None

    def answerable(self, text: str) -> bool:
        """Whether the bot will reply, or warn of a leak: the same core, run here, says."""
        from bot.core.explain import explain
        from bot.core.redact import redact
        from bot.knowledge.load import load_knowledge

        if text not in self._answerable:
            self._knowledge = self._knowledge or load_knowledge()
            result = explain(text, self._knowledge, "passive")
            self._answerable[text] = result.reply is not None or redact(text).found
        return self._answerable[text]

    async def post(self, text: str, *, expect: bool | None = None, **fields: Any) -> str:
        """Post `text` from a new author; returns the author's id."""
        from tests.fake_discord import payloads

        self.next_author += 1
        author = payloads.user(self.fake.world.new_id(), f"user{self.next_author}")
        if self.answerable(text) if expect is None else expect:
            self.expected.add(author["id"])
        self.observer.sent_at[author["id"]] = time.perf_counter()
        await self.fake.post_message(text, author=author, **fields)
        return author["id"]

    async def caught_up(self, timeout: float = 120.0) -> None:
        """Wait for every expected reply, then for `QUIET`; then drop what the fake keeps."""
        deadline = time.perf_counter() + timeout
        while self.expected - self.observer.replied_at.keys():
            if time.perf_counter() > deadline:
                missing = len(self.expected - self.observer.replied_at.keys())
                raise TimeoutError(f"{missing} expected replies never came")
            await asyncio.sleep(0.01)
        while time.perf_counter() - self.observer.last_activity <= QUIET:
            await asyncio.sleep(QUIET / 3)
        self.expected.clear()
        # Everything is answered: the fake's messages and replay logs only cost its memory.
        self.fake.world.messages.clear()
        for session in self.fake.gateway.sessions.values():
            session._log.clear()

    def rss(self) -> float:
        return rss_mb(self.bot_pid)


Driver = Callable[[Rig], Awaitable[None]]


async def drive(conn: Connection, bot_pid: int, env: dict[str, str], scenario: Driver) -> None:
    from tests.fake_discord import FakeDiscord, payloads
    from tests.fake_discord.gateway import Op

    async with FakeDiscord() as fake:
        guild = fake.guild
        queue = payloads.channel(fake.world.new_id(), "escalations", guild_id=guild.id, position=3)
        fake.world.channels[queue["id"]] = queue
        help_id = guild.text_channel["id"]
        env = {
            "FWERROR_HELP_CHANNEL_IDS": help_id,
            "FWERROR_GUILD_ID": guild.id,
            "FWERROR_USER_RATE": GENEROUS,
            "FWERROR_CHANNEL_RATE": GENEROUS,
            "FWERROR_LOG_LEVEL": "WARNING",
            **{k: v.format(queue=queue["id"]) for k, v in env.items()},
        }
        conn.send(
            {
                "api_url": fake.api_url,
                "gateway_url": fake.gateway_url,
                "token": fake.token,
                "env": env,
            }
        )
        await fake.wait_for_gateway(Op.IDENTIFY, timeout=30)
        await asyncio.sleep(1.0)  # READY, GUILD_CREATE and the guild-ready timeout
        observer = Observer(queue["id"])
        observer.install(fake)
        rig = Rig(fake, observer, bot_pid)
        try:
            await scenario(rig)
        finally:
            # Done: the bot reports the loop lag in each window, and where the paced replies'
            # time went.
            observer = rig.observer
            done = {"windows": rig.windows, "paced": rig.paced}
            conn.send({**done, "sent": observer.sent_at, "replied": observer.replied_at})
            await asyncio.to_thread(conn.recv)


def driver_main(conn: Connection, bot_pid: int, env: dict[str, str], scenario: Driver) -> None:
    asyncio.run(drive(conn, bot_pid, env, scenario))


def run(scenario: Driver, env: dict[str, str] | None = None, open_files: int | None = None) -> None:
    """Run the bot here and `scenario` against the fake in a child process; `open_files`
    caps the bot's file descriptors (the child keeps its own limit)."""
    context = multiprocessing.get_context("spawn")
    bot_end, driver_end = context.Pipe()
    driver = context.Process(
        target=driver_main, args=(driver_end, os.getpid(), env or {}, scenario)
    )
    driver.start()
    if open_files is not None:
        import resource

        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, hard))
    bot_process_main(bot_end, {})
    driver.join()
    if driver.exitcode:
        raise SystemExit(f"the driver failed (exit code {driver.exitcode})")


# -- the benchmark ----------------------------------------------------------------------------


def messages(count: int, seed: int) -> list[str]:
    """Corpus pastes and chatter, 3:2."""
    rng = random.Random(seed)
    pastes = corpus("python_sdk", "js_and_http_clients", "json_bodies", "chat_reports", "holdout")
    chatter = corpus("chatter", "hard_negatives")
    return [rng.choice(pastes) if rng.random() < 0.6 else rng.choice(chatter) for _ in range(count)]


async def benchmark(rig: Rig) -> None:
    print(f"bot RSS at start: {rig.rss():.1f} MB")

    authors = []
    start = time.perf_counter()
    for text in messages(LATENCY_MESSAGES, seed=1):
        authors.append(await rig.post(text))
        await asyncio.sleep(LATENCY_INTERVAL)
    await rig.caught_up()
    rig.windows.append((f"paced, {1 / LATENCY_INTERVAL:.0f}/s", start, rig.observer.last_activity))
    rig.paced = authors
    paced = rig.observer.latencies_ms(authors)
    print(
        f"paced, {LATENCY_MESSAGES} messages at {1 / LATENCY_INTERVAL:.0f}/s: "
        f"{len(paced)} replies; "
        f"dispatch -> reply POST p50 {percentile(paced, 50):.2f} ms, "
        f"p95 {percentile(paced, 95):.2f} ms, p99 {percentile(paced, 99):.2f} ms, "
        f"max {max(paced):.2f} ms"
    )

    busy = 0.0
    burst_latencies: list[float] = []
    bursts_start = time.perf_counter()
    for burst in range(BURSTS):
        authors = []
        start = time.perf_counter()
        for text in messages(BURST, seed=100 + burst):
            authors.append(await rig.post(text))
        await rig.caught_up()
        busy += rig.observer.last_activity - start
        burst_latencies += rig.observer.latencies_ms(authors)
        if burst + 1 in (1, 5, 10, 20, 30, 40):
            print(f"bot RSS after {(burst + 1) * BURST:>6,} burst messages: {rig.rss():.1f} MB")
    total = BURST * BURSTS
    rig.windows.append((f"burst, {total:,} messages", bursts_start, rig.observer.last_activity))
    print(
        f"burst, {total:,} messages back to back: {total / busy:.0f} messages/s sustained "
        f"(first post to last reply), {len(burst_latencies):,} replies; under load p50 "
        f"{percentile(burst_latencies, 50):.1f} ms, p95 {percentile(burst_latencies, 95):.1f} ms"
    )


MIB = 1024 * 1024
HOSTILE_SIZES = {"32 KB": 32 * 1024, "1 MiB": MIB}


def hostile_pastes(size: int) -> dict[str, str]:
    """The shapes that made the old regexes quadratic, and many fake keys, `size` long."""
    rng = random.Random(size)

    def filled(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    def fake_key() -> str:
        body = "".join(
            rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz") for _ in range(22)
        )
        return f"{rng.choice(['fw_', 'fpk_', 'sk-proj-'])}{body}7q"

    half = size // 2
    return {
        "blank lines": "x" + "\n" * (size - 2) + "x",
        "whitespace runs": filled(" \t\n"),
        "repeated prefix": filled("openai."),
        "fences": filled("```\n"),
        "digits": filled("4290 5031 "),
        "nested brackets": "[{" * (half // 2) + "}]" * (half // 2),
        "many fake keys": filled(" ".join(fake_key() for _ in range(500)) + "\n"),
        "colour codes": filled("\x1b[31mERROR\x1b[0m "),
        "zero-width": filled("a\u200b"),
        # Issue 16: what a terminal obeys, personal data, keys typed into paste links.
        "terminal escapes": filled("\x1b]52;c;ZmFrZQ==\x07\x9b2J\u202e "),
        "private data": filled("alice@example.com postgres://u:FAKEpass@db /home/alice "),
        "keys in paste links": filled(f"https://pastebin.com/raw/{fake_key()} "),
    }


def time_redact() -> None:
    """In-process: what `redact()` costs on each hostile megabyte (the bot runs it in a thread)."""
    from bot.core.redact import redact

    print("redact() on 1 MiB, in-process (best of 3):")
    for name, text in hostile_pastes(MIB).items():
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            redact(text)
            best = min(best, time.perf_counter() - start)
        print(f"  {name:<16} {best * 1000:7.1f} ms")


async def send_and_wait(rig: Rig, name: str, text: str, *, as_file: bool) -> None:
    """Post `text` (or attach it), then a short paste from the same author; wait for its reply."""
    from tests.fake_discord import payloads

    fake = rig.fake
    rig.next_author += 1
    author = payloads.user(fake.world.new_id(), f"user{rig.next_author}")
    start = time.perf_counter()
    if as_file:
        log = fake.attachment("paste.log", text.encode("utf-8", errors="replace"))
        await fake.post_message("log attached", author=author, attachments=[log])
    else:
        await fake.post_message(text, author=author)
    follow = await fake.post_message(f"{RATE_LIMIT} (attempt {rig.next_author})", author=author)
    deadline = start + 300
    while follow["id"] not in rig.observer.reply_to:
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{name}: no reply to the follow-up paste")
        await asyncio.sleep(0.005)
    rig.windows.append((name, start, rig.observer.reply_to[follow["id"]]))


RATE_LIMIT = "openai.RateLimitError: Error code: 429 - {'error': 'rate limit exceeded'}"


async def hostile(rig: Rig) -> None:
    for size_name, size in HOSTILE_SIZES.items():
        for name, text in hostile_pastes(size).items():
            for as_file in (False, True):
                how = "attached" if as_file else "content"
                await send_and_wait(rig, f"{name}, {size_name}, {how}", text, as_file=as_file)
    print(f"bot RSS at the end: {rig.rss():.1f} MB")


# Discord publishes no per-user limit on button presses; 20 a second is faster than anyone
# clicks by hand, and each press is a real interaction the bot must answer within 3 s.
PRESS_INTERVAL = 0.05
PRESSES = 400
OTHERS_INTERVAL = 0.05  # s between other members' pastes, each from a new author
LOG_BYTES = 1024 * 1024


async def buttons(rig: Rig) -> None:
    """One member presses buttons flat out; other members' pastes must not wait on it."""
    fake, observer = rig.fake, rig.observer
    presser = fake.user  # a member of the guild: only members can press
    body = f"x-request-id: 7f3a9c1e-55aa\n{RATE_LIMIT}\n".encode()
    log = fake.attachment("job.log", (body * (LOG_BYTES // len(body) + 1))[:LOG_BYTES])
    paste = await fake.post_message("my job keeps failing, log attached", attachments=[log])
    while paste["id"] not in observer.reply_to:
        await asyncio.sleep(0.01)
    [answer] = [
        m
        for m in fake.world.messages.values()
        if (m.get("message_reference") or {}).get("message_id") == paste["id"]
    ]
    custom_ids = [c["custom_id"] for row in answer["components"] for c in row["components"]]
    downloads_before = observer.downloads
    others: list[str] = []
    pastes = messages(2_000, seed=16)
    answerable = [text for text in pastes if rig.answerable(text)]

    async def press_flat_out() -> None:
        for press in range(PRESSES):
            await fake.click_button(answer, custom_ids[press % len(custom_ids)], user=presser)
            await asyncio.sleep(PRESS_INTERVAL)

    async def other_members() -> None:
        for index in range(int(PRESSES * PRESS_INTERVAL / OTHERS_INTERVAL)):
            others.append(await rig.post(f"{answerable[index % len(answerable)]}\n#{index}"))
            await asyncio.sleep(OTHERS_INTERVAL)

    start = time.perf_counter()
    await asyncio.gather(press_flat_out(), other_members())
    await rig.caught_up()
    rig.windows.append(("presses and other members' pastes", start, observer.last_activity))
    delays = observer.latencies_ms(others)
    print(
        f"{PRESSES} presses by one member ({1 / PRESS_INTERVAL:.0f}/s, cycling "
        f"{len(custom_ids)} buttons) on an answer to a {LOG_BYTES // 1024} KiB attachment; "
        f"{len(others)} pastes from other members, {len(delays)} answered"
    )
    print(
        f"  other members' reply delay: p50 {percentile(delays, 50):.1f} ms, "
        f"p95 {percentile(delays, 95):.1f} ms, max {max(delays):.1f} ms"
    )
    print(f"  attachment downloads caused by the presses: {observer.downloads - downloads_before}")


IDLE_CONNECTIONS = 1_000
IDLE_PASTES = 300
IDLE_INTERVAL = 0.02  # s between paced posts: 50 msg/s
BOT_OPEN_FILES = 1024
METRICS_PORT = "FWERROR_BENCH_METRICS_PORT"  # the child learns the bot's port from its env


async def open_idle(port: int, count: int) -> list[Any]:
    """`count` connections that send nothing (or, one in ten, half a request) and wait."""
    import socket

    loop = asyncio.get_running_loop()

    async def one(n: int) -> socket.socket:
        sock = socket.socket()
        sock.setblocking(False)
        await loop.sock_connect(sock, ("127.0.0.1", port))
        if n % 10 == 0:
            await loop.sock_sendall(sock, b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        return sock

    clients = []
    for start in range(0, count, 100):  # the listen backlog takes about a hundred at a time
        clients += await asyncio.gather(*(one(n) for n in range(start, min(start + 100, count))))
    return clients


async def healthz_ms(port: int) -> float:
    import aiohttp

    start = time.perf_counter()
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        await response.read()
        assert response.status == 200, response.status
    return (time.perf_counter() - start) * 1000


async def idle_phase(rig: Rig, name: str, port: int, texts: list[str]) -> None:
    authors, health = [], []
    start = time.perf_counter()
    for n, text in enumerate(texts):
        authors.append(await rig.post(text, expect=True))
        if n % 10 == 0:
            health.append(await healthz_ms(port))
        await asyncio.sleep(IDLE_INTERVAL)
    await rig.caught_up()
    rig.windows.append((name, start, rig.observer.last_activity))
    delays = rig.observer.latencies_ms(authors)
    print(
        f"{name}: {len(delays)}/{len(texts)} replies, reply delay p50 "
        f"{percentile(delays, 50):.1f} ms, worst {max(delays):.1f} ms; /healthz worst "
        f"{max(health):.1f} ms"
    )


async def idle_port(rig: Rig) -> None:
    port = int(os.environ[METRICS_PORT])
    texts = [t for t in messages(IDLE_PASTES * 3, seed=16) if rig.answerable(t)][:IDLE_PASTES]
    for text in texts[:50]:  # warm-up: the first replies pay for imports and caches
        await rig.post(text, expect=True)
    await rig.caught_up()
    await idle_phase(rig, "no other client on the metrics port", port, texts)
    clients = await open_idle(port, IDLE_CONNECTIONS)
    try:
        print(f"{len(clients)} idle connections opened on the metrics port")
        await idle_phase(rig, f"{IDLE_CONNECTIONS:,} idle connections on it", port, texts)
        loop = asyncio.get_running_loop()
        waited = time.perf_counter()
        for sock in clients:  # each is closed by the server: evicted or at its deadline
            with contextlib.suppress(ConnectionResetError):
                await asyncio.wait_for(loop.sock_recv(sock, 1), 30)
        print(f"all closed by the server {time.perf_counter() - waited:.1f} s after the phase")
    finally:
        for sock in clients:
            sock.close()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    if sys.argv[1:] == ["idle"]:
        os.environ[METRICS_PORT] = str(free_port())
        print(
            "reply delay and /healthz with idle connections on the metrics port "
            f"(bot limited to {BOT_OPEN_FILES:,} open files, a common default):"
        )
        run(idle_port, {"FWERROR_METRICS_PORT": os.environ[METRICS_PORT]}, BOT_OPEN_FILES)
    elif sys.argv[1:] == ["hostile"]:
        time_redact()
        print("worst event-loop lag while each hostile paste is handled (goal: under 50 ms):")
        run(hostile)
    elif sys.argv[1:2] == ["buttons"]:
        rate = sys.argv[2] if len(sys.argv) > 2 else ""  # e.g. 1000000/60: no button rate
        with tempfile.TemporaryDirectory() as folder:
            store = f"sqlite:///{folder}/bench.db"
            env = {"FWERROR_ESCALATION_CHANNEL_ID": "{queue}", "FWERROR_DATABASE_URL": store}
            print(f"FWERROR_BUTTON_RATE={rate or '(default)'}")
            run(buttons, {**env, **({"FWERROR_BUTTON_RATE": rate} if rate else {})})
    else:
        with tempfile.TemporaryDirectory() as folder:
            # The bot's default store is a SQLite file: a fresh one, unless one is given.
            store = os.environ.get("FWERROR_DATABASE_URL") or f"sqlite:///{folder}/bench.db"
            print(f"store: {store.split('://', 1)[0]}")
            run(benchmark, {"FWERROR_DATABASE_URL": store})
