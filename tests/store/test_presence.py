"""Workers on one database see each other: an answer waits for its claim unless its worker is
alone and the message came after it found so (see `bot.store.presence`)."""

from __future__ import annotations

import time

import pytest

from bot.store import presence
from bot.store.service import StoreService

pytestmark = pytest.mark.asyncio


async def test_a_worker_alone_owns_only_messages_created_after_it_found_so(
    database_url: str,
) -> None:
    service = StoreService(database_url)
    started = time.time()
    await service.start()
    try:
        assert time.time() - started < presence.JOIN_SECONDS  # nobody to wait for
        later = time.time() + presence.CLOCK_MARGIN
        assert service.answers_before_word(later)
        # Sent before it started (a message redelivered after a restart): the claim decides.
        assert not service.answers_before_word(started - 1.0)
    finally:
        await service.close()


async def test_a_second_worker_waits_to_be_seen_and_neither_posts_before_its_claim(
    postgres_url: str,
) -> None:
    first = StoreService(postgres_url)
    await first.start()
    second = StoreService(postgres_url)
    joined = time.monotonic()
    await second.start()
    try:
        assert time.monotonic() - joined >= presence.JOIN_SECONDS
        later = time.time() + presence.CLOCK_MARGIN
        assert not first.answers_before_word(later)  # it has beaten since the second came
        assert not second.answers_before_word(later)
    finally:
        await second.close()
    # The second took its heartbeat away: the first is alone again at its next beat, and owns
    # what comes after.
    await first._beat()
    try:
        assert first.answers_before_word(time.time() + presence.CLOCK_MARGIN)
    finally:
        await first.close()
