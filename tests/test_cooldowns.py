"""Sliding-window rate limits and bounded recent-key memory, on a fake clock."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.cooldowns import RateLimiter, RecentKeys
from bot.settings import Rate


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_allows_count_events_per_window_then_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(Rate(2, 30.0), clock=clock)
    assert limiter.hit("alice") == 0.0
    clock.now += 10
    assert limiter.hit("alice") == 0.0
    clock.now += 5
    assert limiter.hit("alice") == 15.0  # the first event leaves the window at +30
    clock.now += 15
    assert limiter.hit("alice") == 0.0


def test_a_refused_hit_is_not_counted() -> None:
    clock = Clock()
    limiter = RateLimiter(Rate(1, 10.0), clock=clock)
    limiter.hit(1)
    for _ in range(5):
        clock.now += 1
        assert limiter.hit(1) > 0
    clock.now = 1010.0
    assert limiter.hit(1) == 0.0


def test_keys_are_independent_and_retry_after_records_nothing() -> None:
    limiter = RateLimiter(Rate(1, 60.0), clock=Clock())
    limiter.hit("alice")
    assert limiter.retry_after("alice") == 60.0
    assert limiter.retry_after("bob") == 0.0
    assert limiter.retry_after("bob") == 0.0
    assert limiter.hit("bob") == 0.0


def test_memory_is_bounded_and_expired_keys_are_dropped() -> None:
    clock = Clock()
    limiter = RateLimiter(Rate(1, 60.0), clock=clock, max_keys=3)
    for user in range(10):
        limiter.record(user)
    assert len(limiter) == 3
    assert limiter.retry_after(9) > 0  # the newest keys are the ones kept
    clock.now += 60
    assert limiter.retry_after(9) == 0.0
    assert len(limiter) == 2


@given(
    rate=st.builds(Rate, st.integers(1, 5), st.floats(1.0, 100.0)),
    gaps=st.lists(st.floats(0.0, 50.0), max_size=60),
)
def test_never_more_than_count_allowed_in_any_window(rate: Rate, gaps: list[float]) -> None:
    clock = Clock()
    limiter = RateLimiter(rate, clock=clock)
    allowed: list[float] = []
    for gap in gaps:
        clock.now += gap
        if limiter.hit("k") == 0.0:
            allowed.append(clock.now)
    for start in allowed:
        in_window = [t for t in allowed if start <= t < start + rate.seconds]
        assert len(in_window) <= rate.count


def test_recent_keys_are_claimed_once_until_they_expire() -> None:
    clock = Clock()
    seen = RecentKeys(ttl=30.0, clock=clock)
    assert seen.add("paste")
    assert not seen.add("paste")
    assert "paste" in seen
    clock.now += 30
    assert "paste" not in seen
    assert seen.add("paste")


def test_recent_keys_forget_the_oldest_beyond_the_bound() -> None:
    seen = RecentKeys(max_keys=2)
    for message_id in (1, 2, 3):
        seen.add(message_id)
    assert 1 not in seen and 2 in seen and 3 in seen
    seen.discard(2)
    assert 2 not in seen and len(seen) == 1
