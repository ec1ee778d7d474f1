"""Spam control as plain data: sliding-window rate limits and a bounded memory of what was seen.

No Discord types here, so the policy in `bot.bot` is testable with a fake clock and plain ids.
Both structures forget their oldest keys beyond `max_keys`, so a flood of new users or
messages can't grow memory without bound.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Hashable

from bot.settings import Rate

Clock = Callable[[], float]
MAX_KEYS = 10_000


class RateLimiter:
    """At most `rate.count` events per key in any window of `rate.seconds`.

    Keys are kept in the order they last acted, so keys whose window has passed are dropped
    from the front as new events arrive: memory follows the users active in one window.
    """

    def __init__(self, rate: Rate, *, clock: Clock = time.monotonic, max_keys: int = MAX_KEYS):
        self.rate = rate
        self._clock = clock
        self._max_keys = max_keys
        # At most `rate.count` ascending times per key; a deque would cost ten times more memory.
        self._events: OrderedDict[Hashable, list[float]] = OrderedDict()

    def _window(self, key: Hashable, now: float) -> list[float]:
        events = self._events.get(key)
        if events is None:
            return []
        del events[: bisect_right(events, now - self.rate.seconds)]  # times are ascending
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
        events.append(now)
        if len(events) > self.rate.count:  # only the newest `count` decide the next wait
            del events[0]
        self._events[key] = events
        self._events.move_to_end(key)
        self._forget_idle(now)

    def _forget_idle(self, now: float) -> None:
        while self._events:
            key, events = next(iter(self._events.items()))
            if len(self._events) <= self._max_keys and now - events[-1] < self.rate.seconds:
                return
            del self._events[key]

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
        now = self._clock()
        self._seen[key] = now
        # Oldest first: drop the expired ones and anything over the cap.
        while self._seen:
            oldest, seen_at = next(iter(self._seen.items()))
            expired = self._ttl is not None and now - seen_at >= self._ttl
            if not expired and len(self._seen) <= self._max_keys:
                break
            del self._seen[oldest]
        return True

    def discard(self, key: Hashable) -> None:
        self._seen.pop(key, None)

    def __len__(self) -> int:
        return len(self._seen)
