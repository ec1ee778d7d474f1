"""A fake Fireworks inference API on 127.0.0.1 that answers the documented errors on demand.

The OpenAI-compatible routes live under `/inference/v1`. Which scenario a request gets is set
with `POST /_factory/scenario {"name": ...}` (the factory does this before each client run, so
the client's own request stays exactly as the user's would be), or per request with the
`x-fake-scenario` header. With no scenario the fake answers like a healthy API.

`python -m tools.paste_factory.fake_fireworks [--port N]` serves it for poking with curl.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import socket
import ssl
import struct
from dataclasses import dataclass, field

from aiohttp import web

from tools.paste_factory.scenarios import (
    BY_NAME,
    MIDSTREAM,
    REASONS,
    RESET,
    STALL,
    TLS,
    Scenario,
    envelope,
)

HOST = "127.0.0.1"
API = "/inference/v1"
POST_ROUTES = {f"{API}/chat/completions", f"{API}/completions", f"{API}/embeddings"}
GET_ROUTES = {f"{API}/models"}
STALL_SECONDS = 15.0  # clients are driven with a 2 s timeout; the stall ends on its own
MODEL = "accounts/fireworks/models/llama-v3p1-8b-instruct"


@dataclass
class FakeState:
    """The scenario the next requests get, and what the fake saw (for tests)."""

    scenario: Scenario | None = None
    requests: list[tuple[str, str]] = field(default_factory=list)


STATE = web.AppKey("state", FakeState)


def request_id(scenario: Scenario | None, path: str) -> str:
    """A stable, obviously fake request id, so regenerated pastes differ only where clients do."""
    digest = hashlib.sha256(f"{scenario.name if scenario else 'ok'}{path}".encode()).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}"


def error_response(scenario: Scenario, path: str) -> web.Response:
    """The scenario's documented status, headers and body."""
    assert scenario.status is not None
    body = scenario.body or envelope(f"Path not found: {path}")
    headers = {"x-request-id": request_id(scenario, path), **scenario.headers}
    return web.Response(
        status=scenario.status,
        reason=REASONS[scenario.status],
        text=body,
        content_type=scenario.content_type,
        headers=headers,
    )


def _chunk(content: str, finish: str | None = None) -> bytes:
    data = {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": 1764547200,
        "model": MODEL,
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": finish}],
    }
    return f"data: {json.dumps(data)}\n\n".encode()


async def _stream(request: web.Request, *, cut: bool) -> web.StreamResponse:
    response = web.StreamResponse(headers={"content-type": "text/event-stream"})
    await response.prepare(request)
    for word in ("Hello", " from", " the", " fake"):
        await response.write(_chunk(word))
        if cut and word == " from":
            await asyncio.sleep(0.05)
            request.transport.abort()  # no terminating chunk: the body ends early
            return response
    await response.write(_chunk("", "stop"))
    await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    return response


def _success(path: str, payload: dict) -> web.Response:
    if path.endswith("/models"):
        data = {
            "object": "list",
            "data": [{"id": MODEL, "object": "model", "owned_by": "fireworks"}],
        }
    elif path.endswith("/embeddings"):
        data = {
            "object": "list",
            "model": payload.get("model", MODEL),
            "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2, 0.3]}],
            "usage": {"prompt_tokens": 3, "total_tokens": 3},
        }
    elif path.endswith("/chat/completions"):
        data = {
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "created": 1764547200,
            "model": payload.get("model", MODEL),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": "Hello from the fake"},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7},
        }
    else:
        data = {
            "id": "cmpl-fake",
            "object": "text_completion",
            "created": 1764547200,
            "model": payload.get("model", MODEL),
            "choices": [{"index": 0, "text": "Hello from the fake", "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": 7},
        }
    return web.json_response(data)


def _reset(request: web.Request) -> web.Response:
    sock = request.transport.get_extra_info("socket")
    if sock is not None:  # linger 0: close() sends RST instead of FIN
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    request.transport.abort()
    return web.Response(status=204)  # never reaches the client


async def handle(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    path = request.path
    if path == "/_factory/scenario":
        return await _set_scenario(request, state)
    state.requests.append((request.method, path))
    name = request.headers.get("x-fake-scenario")
    scenario = BY_NAME.get(name) if name else state.scenario
    raw = await request.read()
    try:
        payload = json.loads(raw) if raw else {}
    except ValueError:
        payload = {}
    payload = payload if isinstance(payload, dict) else {}
    if path not in POST_ROUTES | GET_ROUTES:
        not_found = BY_NAME["404-path-not-found"]
        return error_response(not_found, path)
    if (request.method == "POST") != (path in POST_ROUTES):
        return error_response(BY_NAME["405-generic"], path)
    return await _answer(request, scenario, path, payload)


async def _answer(
    request: web.Request, scenario: Scenario | None, path: str, payload: dict
) -> web.StreamResponse:
    streaming = bool(payload.get("stream"))
    if scenario is None or scenario.name == TLS:
        if streaming:
            return await _stream(request, cut=False)
        return _success(path, payload)
    if scenario.status is not None:
        return error_response(scenario, path)
    if scenario.name == RESET:
        return _reset(request)
    if scenario.name == MIDSTREAM:
        return await _stream(request, cut=True)
    if scenario.name == STALL:
        await asyncio.sleep(STALL_SECONDS)
    return _success(path, payload)


async def _set_scenario(request: web.Request, state: FakeState) -> web.Response:
    data = await request.json()
    name = data.get("name")
    if name is not None and name not in BY_NAME:
        return web.json_response({"error": f"no scenario {name!r}"}, status=422)
    state.scenario = BY_NAME[name] if name else None
    return web.json_response({"scenario": name})


async def _cloudflare_front(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = "cloudflare"  # Fireworks answers through Cloudflare (its 520)


def make_app(state: FakeState | None = None) -> web.Application:
    """The fake API as an aiohttp application (for the test client or a runner)."""
    app = web.Application()
    app.on_response_prepare.append(_cloudflare_front)
    app[STATE] = state or FakeState()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


async def start(
    port: int = 0, tls_context: ssl.SSLContext | None = None, state: FakeState | None = None
) -> tuple[web.AppRunner, int, int | None]:
    """Serve on 127.0.0.1 (and a TLS port when given a context); returns the runner and ports."""
    runner = web.AppRunner(make_app(state), handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, HOST, port)
    await site.start()
    plain_port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    tls_port = None
    if tls_context is not None:
        tls_site = web.TCPSite(runner, HOST, 0, ssl_context=tls_context)
        await tls_site.start()
        tls_port = tls_site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, plain_port, tls_port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    async def serve() -> None:
        runner, port, _ = await start(args.port)
        print(f"fake Fireworks API on http://{HOST}:{port}{API} (Ctrl-C stops)")
        try:
            await asyncio.Event().wait()
        finally:
            await runner.cleanup()

    asyncio.run(serve())


if __name__ == "__main__":
    main()
