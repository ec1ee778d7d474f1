"""Whether this worker is alone on the database, so its answers need not wait for their claims.

An answer's claim is what makes "once" hold across workers and restarts, and a reply waits
for it. A worker alone on the database need not wait, for a message created after it found
itself alone: no other worker was there to claim it, and no earlier run saw it. It posts at
once and reads the claim's word after (for its records). Every worker writes a heartbeat
every `BEAT_SECONDS`; one that finds another's newer than `STALE_SECONDS` waits for each claim,
as before. A worker that finds others when it starts waits `JOIN_SECONDS` before it connects
to Discord, and "alone" holds only `FRESH_SECONDS` after the beat that said so: by the time
the newcomer reads a message, the others have seen it. Two workers started in the same instant
may miss each other for one beat; the reply's nonce then makes Discord keep one message.

Workers' clocks are assumed to agree within `STALE_SECONDS`, and Discord's within
`CLOCK_MARGIN`.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

BEAT_SECONDS = 1.0
STALE_SECONDS = 3.0  # a worker silent this long is gone (stopped, or cut off the database)
FRESH_SECONDS = 1.25  # how long one beat's "alone" holds
JOIN_SECONDS = 1.5  # longer than FRESH_SECONDS: every other worker has beaten since
CLOCK_MARGIN = 1.0  # Discord's clock (a message's id) against this host's


@dataclass
class Presence:
    """What the last heartbeat said; `alone_since` is None while others are there (or it
    failed)."""

    worker: int = field(default_factory=lambda: random.getrandbits(62))
    alone_since: float | None = None  # wall clock: alone from then on, without a break
    _beat_at: float = 0.0  # monotonic: when the beat that said so started

    def saw(self, others: int, started: float, now: float) -> None:
        """A beat that began at `started` (monotonic) at `now` (wall clock) found `others`."""
        self._beat_at = started
        if others:
            self.alone_since = None
        elif self.alone_since is None:
            self.alone_since = now

    def lost(self) -> None:
        """The beat failed: another worker may have come meanwhile."""
        self.alone_since = None

    def owns(self, created_at: float) -> bool:
        """Whether a message created at `created_at` (Unix seconds) can only be this
        worker's to answer: alone since before it, by a beat recent enough."""
        return (
            self.alone_since is not None
            and time.monotonic() - self._beat_at < FRESH_SECONDS
            and created_at >= self.alone_since + CLOCK_MARGIN
        )
