"""Prometheus metrics for one bot, in a registry of its own (tests run several bots at once).

Label values come only from the knowledge (entry ids and codes, "none" when there is no entry),
from the bot's own fixed vocabularies (features, actions, outcomes, secret kinds, triggers),
and never from users, channels, messages or free text, so the series stay few.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal, Protocol, get_args

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.core.redact import SecretKind

if TYPE_CHECKING:
    from bot.core.decision import Decision
    from bot.core.entry import Entry
    from bot.core.model import Knowledge
    from bot.screenshots.reader import Result
    from bot.store.service import StoreService
    from bot.waves import WaveTracker

Feature = Literal["listener", "command", "menu"]
Outcome = Literal["replied", "ignored", "not_sent"]
Trigger = Literal["auto", "button"]
Vote = Literal["helped", "not_helpful"]

NONE = "none"
UNKNOWN = "unknown"
REPLY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
SECRET_KINDS = frozenset(get_args(SecretKind))


class Served(Protocol):
    """What the metrics read of the bot at scrape time (not the bot class: it imports this)."""

    @property
    def latency(self) -> float: ...

    @property
    def ws(self) -> Any: ...

    @property
    def knowledge(self) -> Knowledge: ...

    @property
    def waves(self) -> WaveTracker: ...

    @property
    def store(self) -> StoreService: ...

    def is_ready(self) -> bool: ...

    def is_closed(self) -> bool: ...


def entry_labels(entry: Entry | None) -> tuple[str, str]:
    """(code, entry id): both come from the knowledge, or are "none"."""
    return (entry.code, entry.id) if entry is not None else (NONE, NONE)


class BotState(Collector):
    """Read at scrape time: the gateway connection and the knowledge snapshot being served."""

    def __init__(self, bot: Served) -> None:
        self.bot = bot

    def collect(self) -> Iterator[Metric]:
        bot = self.bot
        yield GaugeMetricFamily(
            "fwerror_gateway_connected",
            "1 while the gateway connection is up and READY, else 0",
            value=float(gateway_connected(bot)),
        )
        latency = bot.latency
        yield GaugeMetricFamily(
            "fwerror_gateway_latency_seconds",
            "Time between the last heartbeat and its acknowledgement",
            value=latency if math.isfinite(latency) else math.nan,
        )
        knowledge = bot.knowledge
        yield InfoMetricFamily(
            "fwerror_knowledge",
            "The knowledge snapshot being served",
            value={"version": knowledge.version},
        )
        yield GaugeMetricFamily(
            "fwerror_knowledge_entries", "Entries in the knowledge", value=len(knowledge.entries)
        )
        yield GaugeMetricFamily(
            "fwerror_knowledge_loaded_timestamp_seconds",
            "When the knowledge being served was loaded (Unix time)",
            value=knowledge.loaded_at.timestamp(),
        )
        open_now = bot.waves.open_now()
        yield GaugeMetricFamily(
            "fwerror_open_incidents",
            "Incidents (waves of one server-side trouble) open now, as this worker saw them",
            value=len(open_now),
        )
        reports = GaugeMetricFamily(
            "fwerror_incident_reports",
            "Reports in the open incident of each trouble (a knowledge entry id)",
            labels=["entry"],
        )
        for incident in open_now:
            reports.add_metric([incident.trouble], incident.reports)
        yield reports
        store = bot.store
        if store.configured:
            yield GaugeMetricFamily(
                "fwerror_store_up",
                "1 while the database answers, 0 while claims fall back to memory",
                value=float(store.up),
            )


def gateway_connected(bot: Served) -> bool:
    """READY was received, the client isn't closing, and its websocket is open now."""
    ws = bot.ws
    return bot.is_ready() and not bot.is_closed() and ws is not None and ws.open


class BotMetrics:
    """Every metric the bot exposes on `/metrics`; `render()` is the Prometheus text format."""

    def __init__(self, bot: Served) -> None:
        self.registry = CollectorRegistry()  # `BotState` is read at scrape time only
        registry = self.registry
        self.decisions = Counter(
            "fwerror_decisions",
            "Messages and queries the matcher decided on, by feature, verdict and what was done",
            ["feature", "action", "outcome", "code", "entry"],
            registry=registry,
        )
        self.escalations = Counter(
            "fwerror_escalations",
            "Cases handed to humans (at most once per message or thread)",
            ["trigger", "code", "entry"],
            registry=registry,
        )
        self.leaks = Counter(
            "fwerror_leaked_secrets",
            "Secrets found in users' messages and contained (author warned, message redacted)",
            ["kind"],
            registry=registry,
        )
        self.cooldown_drops = Counter(
            "fwerror_cooldown_drops",
            "Answers held back by a cooldown (passive listener) or commands refused (slash)",
            ["feature"],
            registry=registry,
        )
        self.reloads = Counter(
            "fwerror_knowledge_reloads",
            "Knowledge reloads (SIGHUP or /fwerror-admin reload), by result",
            ["result"],
            registry=registry,
        )
        self.reply_seconds = Histogram(
            "fwerror_reply_seconds",
            "From receiving a message or command to the reply being accepted by Discord",
            ["feature"],
            buckets=REPLY_BUCKETS,
            registry=registry,
        )
        self.feedback = Counter(
            "fwerror_feedback",
            'Votes on answers ("Helped" or "Didn\'t help"), a changed vote counted again',
            ["vote", "code", "entry"],
            registry=registry,
        )
        self.store_fallbacks = Counter(
            "fwerror_store_fallbacks",
            "Once-only claims decided in memory because the database was slow or down",
            ["kind"],
            registry=registry,
        )
        self.store_dropped = Counter(
            "fwerror_store_dropped_rows",
            "Decision rows given up on: the database refused them, alone, every time",
            registry=registry,
        )
        self.screenshots = Counter(
            "fwerror_screenshots",
            "Pictures given to the OCR pool, by result (read, refused, dropped, timeout, failed)",
            ["result"],
            registry=registry,
        )
        self.loop_lag = Gauge(
            "fwerror_event_loop_lag_seconds",
            "How late the event loop woke the last lag probe up",
            registry=registry,
        )
        registry.register(BotState(bot))
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        GCCollector(registry=registry)

    def decision(
        self, feature: Feature, decision: Decision, outcome: Outcome, seconds: float
    ) -> None:
        self.decisions.labels(
            feature, decision.action, outcome, *entry_labels(decision.entry)
        ).inc()
        if outcome == "replied":
            self.reply_seconds.labels(feature).observe(seconds)

    def escalation(self, trigger: Trigger, entry: Entry | None) -> None:
        self.escalations.labels(trigger, *entry_labels(entry)).inc()

    def leak(self, kinds: Iterator[str] | list[str]) -> None:
        for kind in kinds:
            self.leaks.labels(kind if kind in SECRET_KINDS else UNKNOWN).inc()

    def cooldown_drop(self, feature: Feature) -> None:
        self.cooldown_drops.labels(feature).inc()

    def vote(self, vote: Vote, entry: Entry | None) -> None:
        self.feedback.labels(vote, *entry_labels(entry)).inc()

    def store_fallback(self, kind: str) -> None:
        self.store_fallbacks.labels(kind if kind in ("answer", "escalation") else UNKNOWN).inc()

    def screenshot(self, result: Result) -> None:
        self.screenshots.labels(result.value).inc()

    def reloaded(self, ok: bool) -> None:
        self.reloads.labels("ok" if ok else "failed").inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
