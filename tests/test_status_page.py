"""The status page poller against a fake Statuspage server on 127.0.0.1: every state it can be
in, the failures it must survive (slow, malformed, unreachable), and the backoff and cache."""

from __future__ import annotations

import asyncio
import socket

import pytest

from bot.bot import FwerrorBot
from bot.knowledge.load import load_knowledge
from bot.settings import Settings, SettingsError, load_settings
from bot.status_page import StatusPage, StatusPageError, parse_summary, status_line
from tests.fake_status_page import DEGRADED, INCIDENT, FakeStatusPage


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_up_degraded_and_an_incident(status_server: FakeStatusPage) -> None:
    page = StatusPage(status_server.url, clock=lambda: 1000.0)
    try:
        assert await page.poll()
        assert page.reading is not None and page.reading.operational
        assert page.line() == "Status page: **All Systems Operational**"

        status_server.serve(DEGRADED)
        assert await page.poll()
        assert page.reading.indicator == "minor" and not page.reading.operational
        assert page.line() == "Status page: **Partial System Outage**"

        status_server.serve(INCIDENT)
        assert await page.poll()
        assert page.reading.incidents == ("Elevated 503s on serverless",)  # resolved left out
        assert page.line() == (
            "Status page: **Major Service Outage** · Elevated 503s on serverless"
        )
    finally:
        await page.close()
    assert status_server.hits == ["/api/v2/summary.json"] * 3


async def test_slow_malformed_and_unreachable_keep_the_last_reading_and_back_off(
    status_server: FakeStatusPage,
) -> None:
    now = [1000.0]
    page = StatusPage(status_server.url, timeout=0.2, interval=60, clock=lambda: now[0])
    try:
        status_server.serve(DEGRADED)
        assert await page.poll()
        good = page.reading
        assert page.next_wait() == 60

        status_server.delay = 1.0  # slower than the timeout
        assert not await page.poll()
        assert page.reading is good and page.failures == 1 and page.next_wait() == 120
        status_server.delay = 0.0

        status_server.body = b'{"status": {"indicator": "minor", "descr'
        assert not await page.poll()
        assert "malformed JSON" in (page.error or "")
        assert page.reading is good and page.next_wait() == 240

        status_server.serve({"page": {}, "incidents": []})  # JSON, but not a summary
        assert not await page.poll()
        assert "not a Statuspage summary" in (page.error or "")

        now[0] += 600  # the cached reading says how old it is
        assert page.line() == "Status page: **Partial System Outage** · (read 10 min ago)"
    finally:
        await page.close()

    unreachable = StatusPage(
        f"http://127.0.0.1:{closed_port()}/api/v2/summary.json", timeout=0.5, max_backoff=300
    )
    try:
        for _ in range(6):
            assert not await unreachable.poll()
        assert unreachable.reading is None and unreachable.line() == ""
        assert unreachable.next_wait() == 300  # doubled per failure, capped
    finally:
        await unreachable.close()


async def test_the_loop_polls_in_the_background_and_recovers(status_server: FakeStatusPage) -> None:
    status_server.body = b"not json"
    page = StatusPage(status_server.url, interval=0.05, max_backoff=0.1)
    page.start()
    try:
        for _ in range(100):
            if page.failures:
                break
            await asyncio.sleep(0.02)
        assert page.reading is None and page.failures >= 1
        status_server.serve(INCIDENT)
        for _ in range(100):
            if page.reading is not None:
                break
            await asyncio.sleep(0.02)
        assert page.reading is not None and page.failures == 0
    finally:
        await page.close()


def test_parse_refuses_what_is_not_a_summary() -> None:
    for bad in ([], {"status": "ok"}, {"status": {"indicator": "purple", "description": "x"}}):
        with pytest.raises(StatusPageError):
            parse_summary(bad, 0.0)
    assert status_line(None, 0.0) == ""


async def test_a_configured_bot_polls_it(status_server: FakeStatusPage) -> None:
    """(Unset, there is no poller at all: tests/learning/test_incidents.py checks a running
    bot has neither the poller nor its task.)"""
    knowledge = load_knowledge()
    configured = FwerrorBot(Settings(status_page_url=status_server.url), knowledge)
    assert configured.status_page is not None
    configured.status_page.start()
    try:
        for _ in range(100):
            if configured.status_page.reading is not None:
                break
            await asyncio.sleep(0.02)
        assert status_server.hits == ["/api/v2/summary.json"]
    finally:
        await configured.status_page.close()
        await configured.close()


def test_the_setting_is_validated() -> None:
    url = "https://status.example.com/api/v2/summary.json"
    env = {"FWERROR_DATABASE_URL": "none"}
    assert load_settings({**env, "FWERROR_STATUS_PAGE_URL": url}, None).status_page_url == url
    assert load_settings(env, None).status_page_url is None
    for bad in ("status.example.com", "ftp://x/y", "https://exa mple.com/", "http://"):
        with pytest.raises(SettingsError, match="FWERROR_STATUS_PAGE_URL"):
            load_settings({**env, "FWERROR_STATUS_PAGE_URL": bad}, None)
