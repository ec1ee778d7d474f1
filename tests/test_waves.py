"""Where waves are counted (bot.waves): with the store down, one worker counts in memory."""

from __future__ import annotations

import socket

from bot.core.incidents import IncidentState, WaveRules
from bot.store.service import StoreService
from bot.waves import WaveTracker

T0 = 1_800_000_000.0


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_a_database_that_is_down_falls_back_to_memory(caplog) -> None:
    url = f"postgresql://fwerror:FAKE-TEST-password@127.0.0.1:{closed_port()}/fwerror"
    service = StoreService(url)
    await service.start()  # never raises: the store is down
    now = [T0]
    waves = WaveTracker(service, WaveRules(), clock=lambda: now[0])
    try:
        assert service.store is not None and not service.up
        for n in range(2):
            sensing = waves.sense(n + 1, 100 + n, "520-unknown-error", None, "")
            assert await sensing.settled() is None
            now[0] += 10
        sensed = await waves.sense(3, 102, "520-unknown-error", "m", "https://x/3").settled()
        assert sensed is not None and sensed.opened and sensed.people_in_window == 3
        assert "counted in memory" in caplog.text
        incident = await waves.incident(3)
        assert incident is not None and incident.models == ("m",)
        assert [i.key for i in waves.open_now()] == [3]
        closed = await waves.set_state(3, IncidentState.NOT_INCIDENT, by=9)
        assert closed is not None and closed.state is IncidentState.NOT_INCIDENT
        assert waves.open_now() == []
        assert [i.key for i in await waves.recent(3600)] == [3]
    finally:
        await service.close()
