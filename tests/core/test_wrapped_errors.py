"""Wrapped errors: a gateway's or an app's own status around the answer Fireworks gave it.

The innermost Fireworks status, or the failure to reach Fireworks, is the answer, in both
modes; a status of the user's own service with nothing of Fireworks inside stays theirs.
"""

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge


def _label(text: str, knowledge: Knowledge, mode: str) -> str:
    decision = diagnose(text, knowledge, mode)  # type: ignore[arg-type]
    if decision.action == "ignore":
        return "none"
    if decision.entry is None:
        return "unknown"
    return decision.entry.code or decision.entry.id


WRAPPED = [
    # the user's server logs what Fireworks answered, then its own access-log line
    (
        'ERROR in app: fireworks call failed\nfireworks responded 404: {"error": {"message": '
        '"Model not found, inaccessible, and/or not deployed"}}\n'
        '127.0.0.1 - - [29/Nov/2026 22:14:03] "POST /ask HTTP/1.1" 502 -',
        "404",
    ),
    # the wrapper's status told after what it wrapped, as its answer to its own callers
    (
        'my FastAPI wrapper returns\n{"detail":"upstream LLM call failed: Error code: 429 - '
        "{'error': {'message': 'rate limit exceeded, please try again later'}}\"}\n"
        "with HTTP 500 to the frontend",
        "429",
    ),
    # the user's own API, with the upstream's status in its body
    (
        'HTTP 500 Internal Server Error from our api: {"detail": "upstream error: fireworks '
        'returned 429 Too Many Requests"}',
        "429",
    ),
    # openai-python in front of a litellm proxy: the proxy's 500, litellm's class for a 429
    (
        "openai.InternalServerError: Error code: 500 - {'error': {'message': 'litellm."
        "RateLimitError: Fireworks_aiException - rate limit exceeded, please try again later', "
        "'type': None, 'param': None, 'code': '500'}}",
        "429",
    ),
    # the litellm proxy's own body: the message first, its "code" after it
    (
        '{"error":{"message":"litellm.RateLimitError: RateLimitError: Fireworks_aiException - '
        '{\\"error\\":{\\"message\\":\\"rate limit exceeded, please try again later\\"}}",'
        '"type":null,"param":null,"code":"500"}}',
        "429",
    ),
    # a gateway's 502 around Fireworks' 401
    (
        "HTTPException: 502 Bad Gateway: upstream returned 401 Unauthorized "
        '{"error": {"message": "The API key you provided is invalid."}}',
        "401",
    ),
    # a log line: the app's 500, caused by the client's 502
    (
        "ERROR  500 Internal Server Error - caused by httpx.HTTPStatusError: Server error "
        "'502 Bad Gateway' for url 'https://api.fireworks.ai/inference/v1/chat/completions'",
        "502",
    ),
    # the body's own "code" field after a message that quotes the upstream's status is the
    # wrapper's code, not an inner one (issue 18)
    (
        'our litellm proxy returns 500 to the app: {"error":{"message":"litellm.'
        'InternalServerError: Fireworks_aiException - Error code: 502 - upstream error",'
        '"type":null,"param":null,"code":"500"}}',
        "502",
    ),
    # a transport failure inside a gateway's own status
    (
        '500 Internal Server Error: {"detail":"Connection error: [Errno 104] Connection reset '
        'by peer"}',
        "connection-reset",
    ),
    (
        'Error 422 from my gateway: {"error": "upstream request failed: getaddrinfo ENOTFOUND '
        'api.fireworks.ai"}',
        "dns-lookup-failed",
    ),
    # "our service" would be chatter, but it quotes what Fireworks answered
    (
        "our service returns 500 Internal Server Error, and in its log: fireworks responded "
        "503 Service Unavailable",
        "503",
    ),
    # the wrapper's status told after the upstream's, in the wrapper's own words
    (
        'our express app logs: "LLM upstream failed: 429 Too Many Requests (fireworks)" and '
        "returns 500 to users",
        "429",
    ),
    ("our proxy turned fireworks' upstream 404 Not Found into a 502 for the app", "404"),
    # a status labelled as the upstream's own is never the wrapper's
    (
        'proxy: {"error": "upstream_error", "upstream_status": 413, "upstream": "fireworks"} '
        "and returns 500 to clients",
        "413",
    ),
]


@pytest.mark.parametrize(("text", "expected"), WRAPPED)
@pytest.mark.parametrize("mode", ["passive", "explicit"])
def test_the_innermost_fireworks_failure_is_the_answer(
    knowledge: Knowledge, text: str, expected: str, mode: str
) -> None:
    assert _label(text, knowledge, mode) == expected


def test_evidence_quotes_the_inner_failure_not_the_wrapper(knowledge: Knowledge) -> None:
    text = "HTTPException: 502 Bad Gateway: upstream returned 401 Unauthorized"
    decision = diagnose(text, knowledge, "explicit")
    assert decision.entry is not None and decision.entry.code == "401"
    assert all(e.code != "502" for e in decision.evidence)


NOT_WRAPPED = [
    # a status in an exception that a later one replaced is that later exception's cause, and
    # the later class (litellm's BadRequestError) is only the client's name for it
    (
        "httpx.HTTPStatusError: Client error '402 Payment Required' for url 'https://api."
        "fireworks.ai/inference/v1/chat/completions'\n\nDuring handling of the above exception,"
        ' another exception occurred:\n\nTraceback (most recent call last):\n  File "app.py",'
        " line 3, in <module>\nlitellm.exceptions.BadRequestError: litellm.BadRequestError: "
        "Fireworks_aiException - Payment Required",
        "402",
    ),
    # Fireworks' own edge: an Envoy body with no entry inside a printed status keeps the status
    (
        "HTTP/1.1 503 Service Unavailable\nupstream connect error or disconnect/reset before "
        "headers. reset reason: connection termination",
        "503",
    ),
]


@pytest.mark.parametrize(("text", "expected"), NOT_WRAPPED)
def test_a_chained_cause_or_an_unknown_inner_failure_is_not_unwrapped(
    knowledge: Knowledge, text: str, expected: str
) -> None:
    assert _label(text, knowledge, "explicit") == expected


def test_the_users_own_status_with_nothing_inside_stays_chatter(knowledge: Knowledge) -> None:
    text = (
        "our own flask app returns 500 to users when the db is down, nothing to do with fireworks"
    )
    assert _label(text, knowledge, "passive") == "none"
