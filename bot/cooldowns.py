"""Spam control as plain data: sliding-window rate limits and a bounded memory of what was seen.

No Discord types here, so the policy in `bot.bot` is testable with a fake clock and plain ids.
Both structures forget their oldest keys beyond `max_keys`, so a flood of new users or
messages can't grow memory without bound.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable

from bot.settings import Rate

Clock = Callable[[], float]
MAX_KEYS = 10_000


class RateLimiter:
    """At most `rate.count` events per key in any window of `rate.seconds`."""

    def __init__(self, rate: Rate, *, clock: Clock = time.monotonic, max_keys: int = MAX_KEYS):
        self.rate = rate
        self._clock = clock
        self._max_keys = max_keys
        self._events: OrderedDict[Hashable, deque[float]] = OrderedDict()

    def _window(self, key: Hashable, now: float) -> deque[float]:
        events = self._events.get(key)
        if events is None:
            return deque()
        while events and now - events[0] >= self.rate.seconds:
            events.popleft()
        if not events:
            del self._events[key]
        return events

    def retry_after(self, key: Hashable) -> float:
        """Seconds until `key` may act again; 0.0 if it may act now. Records nothing."""
        now = self._clock()
        events = self._window(key, now)
        if len(events) < self.rate.count:
            return 0.0
        return max(0.0, events[0] + self.rate.seconds - now)

    def record(self, key: Hashable) -> None:
        """Count one event for `key` now, whether or not it was within the rate."""
        now = self._clock()
        events = self._window(key, now)
        if not events:
            self._events[key] = events
        events.append(now)
        self._events.move_to_end(key)
        while len(self._events) > self._max_keys:
            self._events.popitem(last=False)

    def hit(self, key: Hashable) -> float:
        """Record an event if allowed and return 0.0; otherwise record nothing, return the wait."""
        wait = self.retry_after(key)
        if wait == 0.0:
            self.record(key)
        return wait

    def __len__(self) -> int:
        return len(self._events)


class RecentKeys:
    """Keys seen lately: the newest `max_keys`, each forgotten after `ttl` seconds (if given)."""

    def __init__(
        self, *, ttl: float | None = None, clock: Clock = time.monotonic, max_keys: int = MAX_KEYS
    ):
        self._ttl = ttl
        self._clock = clock
        self._max_keys = max_keys
        self._seen: OrderedDict[Hashable, float] = OrderedDict()

    def __contains__(self, key: Hashable) -> bool:
        seen_at = self._seen.get(key)
        if seen_at is None:
            return False
        if self._ttl is not None and self._clock() - seen_at >= self._ttl:
            del self._seen[key]
            return False
        return True

    def add(self, key: Hashable) -> bool:
        """Remember `key`; False if it was already remembered (so callers can claim atomically)."""
        if key in self:
            return False
        self._seen[key] = self._clock()
        while len(self._seen) > self._max_keys:
            self._seen.popitem(last=False)
        return True

    def discard(self, key: Hashable) -> None:
        self._seen.pop(key, None)

    def __len__(self) -> int:
        return len(self._seen)
