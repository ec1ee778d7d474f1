"""The fake Fireworks API answers the documented bodies and headers, over a real loopback socket.

Only aiohttp is needed (the test extra has it), so CI checks the fake without the factory's
client packages; the clients' own output is checked through the committed corpus.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import aiohttp
import pytest
from multidict import CIMultiDict

from bot.knowledge.load import load_knowledge
from tools.paste_factory.fake_fireworks import FakeState, start
from tools.paste_factory.scenarios import (
    BY_NAME,
    RATE_LIMIT_HEADERS,
    SCENARIOS,
    TABLE_STATUSES,
)

CHAT = "/inference/v1/chat/completions"
REQUEST = {"model": "accounts/fireworks/models/llama-v3p1-8b-instruct", "messages": []}
STATUS_SCENARIOS = [s for s in SCENARIOS if s.status is not None]


@pytest.fixture
async def fake() -> AsyncIterator[tuple[str, FakeState]]:
    state = FakeState()
    runner, port, _ = await start(state=state)
    try:
        yield f"http://127.0.0.1:{port}", state
    finally:
        await runner.cleanup()


async def post(url: str, *, scenario: str | None = None, payload: dict | None = None):
    headers = {"x-fake-scenario": scenario} if scenario else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=payload or REQUEST, headers=headers) as resp,
    ):
        return resp.status, resp.reason, CIMultiDict(resp.headers), await resp.text()


def test_every_status_of_the_table_has_a_scenario() -> None:
    assert {s.status for s in STATUS_SCENARIOS} == set(TABLE_STATUSES)
    assert len(TABLE_STATUSES) == 15
    assert all(s.label == str(s.status) for s in STATUS_SCENARIOS)


def test_a_transport_fault_is_labelled_with_a_knowledge_entry_that_has_no_status() -> None:
    entries = {entry.id: entry for entry in load_knowledge().entries}
    for scenario in (s for s in SCENARIOS if s.status is None):
        assert entries[scenario.label].code == "", scenario.name  # "": no HTTP status


@pytest.mark.parametrize("scenario", STATUS_SCENARIOS, ids=lambda s: s.name)
async def test_status_scenarios_answer_their_status_and_body(fake, scenario) -> None:
    base, _ = fake
    path = scenario.base_path + "/chat/completions"

    status, _, headers, body = await post(base + path, scenario=scenario.name)

    assert status == scenario.status
    assert headers["Content-Type"].startswith(scenario.content_type)
    assert headers["x-request-id"]
    if scenario.body:
        assert body == scenario.body
    if scenario.content_type == "application/json":
        data = json.loads(body)
        assert "error" in data


async def test_the_error_envelope_has_the_documented_fields(fake) -> None:
    base, _ = fake

    *_, body = await post(base + CHAT, scenario="401-invalid-key")

    assert json.loads(body) == {
        "error": {
            "object": "error",
            "type": "invalid_request_error",
            "code": "UNAUTHORIZED",
            "message": "The API key you provided is invalid.",
        }
    }


async def test_rate_limits_carry_retry_after_and_the_ratelimit_headers(fake) -> None:
    base, _ = fake

    status, reason, headers, body = await post(base + CHAT, scenario="429-rate-limit")

    assert (status, reason) == (429, "Too Many Requests")
    for name, value in RATE_LIMIT_HEADERS.items():
        assert headers[name] == value
    assert headers["x-ratelimit-over-limit"] == "yes"
    assert "rate limit exceeded, please try again later" in body


async def test_the_older_usage_limit_body_has_no_envelope(fake) -> None:
    base, _ = fake

    *_, body = await post(base + CHAT, scenario="429-usage-limits-old")

    assert json.loads(body)["error"] == "Too Many Requests"
    assert json.loads(body)["message"].startswith("You have exceeded your usage limits")


async def test_520_is_cloudflares_plain_text_page(fake) -> None:
    base, _ = fake

    status, _, headers, body = await post(base + CHAT, scenario="520-cloudflare")

    assert status == 520
    assert headers["Content-Type"].startswith("text/plain")
    assert headers["Server"] == "cloudflare"
    assert body == "error code: 520"


async def test_scaling_up_and_model_not_found_bodies(fake) -> None:
    base, _ = fake

    *_, scaling = await post(base + CHAT, scenario="503-scaling-up")
    *_, missing = await post(base + CHAT, scenario="404-model-not-found")

    assert json.loads(scaling)["error"]["code"] == "DEPLOYMENT_SCALING_UP"
    assert "Model not found, inaccessible, and/or not deployed" in missing


async def test_a_wrong_path_or_method_is_answered_as_fireworks_does(fake) -> None:
    base, _ = fake

    status, _, _, body = await post(base + "/v1/chat/completions")
    async with aiohttp.ClientSession() as session, session.get(base + CHAT) as resp:
        method_status = resp.status

    assert status == 404
    assert json.loads(body)["error"]["message"] == "Path not found: /v1/chat/completions"
    assert method_status == 405


async def test_a_streaming_request_gets_the_error_before_any_chunk(fake) -> None:
    base, _ = fake

    status, _, headers, body = await post(
        base + CHAT, scenario="429-rate-limit", payload={**REQUEST, "stream": True}
    )

    assert status == 429
    assert headers["Content-Type"].startswith("application/json")
    assert "rate limit exceeded" in body


async def test_the_scenario_set_by_the_factory_applies_to_the_next_requests(fake) -> None:
    base, state = fake
    async with aiohttp.ClientSession() as session:
        async with session.post(base + "/_factory/scenario", json={"name": "502-generic"}) as r:
            assert r.status == 200
        async with session.post(base + "/inference/v1/embeddings", json=REQUEST) as resp:
            assert resp.status == 502
        async with session.post(base + "/_factory/scenario", json={"name": None}) as r:
            assert r.status == 200
        async with session.get(base + "/inference/v1/models") as resp:
            assert resp.status == 200
            assert (await resp.json())["object"] == "list"
        async with session.post(base + "/_factory/scenario", json={"name": "nope"}) as r:
            assert r.status == 422
    assert state.requests == [("POST", "/inference/v1/embeddings"), ("GET", "/inference/v1/models")]


async def test_a_healthy_stream_ends_with_done(fake) -> None:
    base, _ = fake

    status, _, headers, body = await post(base + CHAT, payload={**REQUEST, "stream": True})

    assert status == 200
    assert headers["Content-Type"].startswith("text/event-stream")
    assert body.rstrip().endswith("data: [DONE]")


async def test_midstream_closes_the_connection_after_some_chunks(fake) -> None:
    base, _ = fake
    headers = {"x-fake-scenario": "midstream"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(base + CHAT, json={**REQUEST, "stream": True}, headers=headers) as r,
    ):
        assert r.status == 200
        with pytest.raises(aiohttp.ClientPayloadError):
            await r.read()


async def test_reset_drops_the_connection_without_a_status(fake) -> None:
    base, _ = fake

    with pytest.raises((aiohttp.ClientOSError, aiohttp.ServerDisconnectedError)):
        await post(base + CHAT, scenario="reset")


async def test_stall_outlasts_the_clients_timeout(fake) -> None:
    base, _ = fake
    timeout = aiohttp.ClientTimeout(total=0.3)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        with pytest.raises(asyncio.TimeoutError):
            async with session.post(
                base + CHAT, json=REQUEST, headers={"x-fake-scenario": "stall"}
            ):
                pass


def test_scenario_names_are_unique() -> None:
    assert len(BY_NAME) == len(SCENARIOS)
