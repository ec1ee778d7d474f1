"""What the fake Fireworks API answers: each documented error body, and transport faults.

Every body, header and message comes from `../shared/reference/fireworks-error-facts.md` or the
seed table. Where Fireworks documents no body for a status, the fake answers the documented
`{"error": {...}}` envelope with the status's reason phrase as the message, and says so in
`source`, rather than making up a Fireworks message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    402: "Payment Required",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    412: "Precondition Failed",
    413: "Payload Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
    520: "Unknown Error",
}
TABLE_STATUSES = tuple(REASONS)

# The rate-limit headers the facts name; the numbers are arbitrary test values.
RATE_LIMIT_HEADERS = {
    "retry-after": "1",
    "x-ratelimit-limit-requests": "600",
    "x-ratelimit-limit-tokens-prompt": "600000",
    "x-ratelimit-limit-tokens-generated": "60000",
    "x-ratelimit-remaining-requests": "0",
    "x-ratelimit-over-limit": "yes",
}

# Transport faults: no HTTP status reaches the client, so the label is the knowledge entry for
# that failure (an error with no status, `code: none`).
RESET = "reset"  # the connection is reset (RST) after the request is read
MIDSTREAM = "midstream"  # 200 and two SSE chunks, then the connection closes
STALL = "stall"  # no answer until well past the client's timeout
TLS = "tls"  # a self-signed certificate (served on the TLS port)
DNS = "dns"  # a host name that never resolves (`.invalid`); no server involved
TRANSPORT = (RESET, MIDSTREAM, STALL, TLS, DNS)


@dataclass(frozen=True, slots=True)
class Scenario:
    """One thing the fake can do to a request; `label` is what a corpus case expects."""

    name: str
    label: str
    status: int | None = None
    body: str = ""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    source: str = ""
    routes: tuple[str, ...] = ("chat", "stream")
    # A path prefix the client is (mis)configured with instead of /inference/v1.
    base_path: str = "/inference/v1"

    @property
    def transport(self) -> bool:
        return self.status is None


def envelope(message: str, *, code: str | None = None, type_: str = "invalid_request_error") -> str:
    """The documented error envelope; `code` only where the facts name one."""
    error: dict[str, str] = {"object": "error", "type": type_}
    if code:
        error["code"] = code
    error["message"] = message
    return json.dumps({"error": error})


def _generic(status: int, **kwargs) -> Scenario:
    reason = REASONS[status]
    type_ = "internal_server_error" if status >= 500 else "invalid_request_error"
    return Scenario(
        name=f"{status}-generic",
        label=str(status),
        status=status,
        body=envelope(reason, type_=type_),
        source="no documented body: the envelope with the reason phrase as message",
        **kwargs,
    )


def _documented(name: str, status: int, body: str, source: str, **kwargs) -> Scenario:
    return Scenario(name=name, label=str(status), status=status, body=body, source=source, **kwargs)


SCENARIOS: tuple[Scenario, ...] = (
    _documented(
        "400-prompt-too-long",
        400,
        envelope("The prompt is too long: 140213, model maximum context length: 131072"),
        "facts: messages that identify a code (400)",
        routes=("chat", "stream", "completions", "embeddings"),
    ),
    _documented(
        "400-extra-inputs",
        400,
        envelope("Extra inputs are not permitted, field: 'store'"),
        "facts: unsupported request field (400)",
    ),
    _documented(
        "400-json-schema",
        400,
        envelope(
            "JSON Schema not supported: could not understand the instance "
            "{'$ref': '#/$defs/Address'}"
        ),
        "facts: JSON Schema not supported (400)",
    ),
    _documented(
        "400-format-and-function",
        400,
        envelope("You cannot specify response format and function call at the same time"),
        "facts: response format with function call (400)",
    ),
    _documented(
        "401-invalid-key",
        401,
        envelope("The API key you provided is invalid.", code="UNAUTHORIZED"),
        "facts: invalid API key, code UNAUTHORIZED (401)",
        routes=("chat", "stream", "completions", "embeddings", "models"),
    ),
    _documented(
        "401-invalid-key-old",
        401,
        envelope("The API key you provided is invalid."),
        "facts: invalid API key, older envelope without code (401)",
    ),
    _generic(402),
    _documented(
        "403-fire-pass-route",
        403,
        envelope("Fire Pass API keys are not authorized for this route", code="FORBIDDEN"),
        "facts: key not allowed on the route, code FORBIDDEN (403)",
    ),
    _generic(403),
    _documented(
        "404-model-not-found",
        404,
        envelope("Model not found, inaccessible, and/or not deployed"),
        "facts: the model body of the current guide (404)",
        routes=("chat", "stream", "completions", "embeddings"),
    ),
    _documented(
        "404-path-not-found",
        404,
        "",  # the fake's catch-all answers "Path not found: <path>"
        "facts: a path error reads 'Path not found: ...' (base URL without /inference)",
        base_path="/v1",
    ),
    _generic(405),
    _generic(408),
    _documented(
        "412-account-suspended",
        412,
        envelope(
            "Account fake-test-account is suspended, possibly due to reaching the monthly "
            "spending limit or failure to pay past invoices",
            code="PRECONDITION_FAILED",
        ),
        "facts: account suspension, code PRECONDITION_FAILED (412)",
    ),
    _generic(412),
    _generic(413),
    _documented(
        "429-rate-limit",
        429,
        envelope("rate limit exceeded, please try again later"),
        "facts: rate limit body with Retry-After and x-ratelimit-* headers (429)",
        headers=RATE_LIMIT_HEADERS,
        routes=("chat", "stream", "completions", "embeddings"),
    ),
    _documented(
        "429-server-overloaded",
        429,
        envelope("server overloaded, please try again later"),
        "facts: server overloaded body (429)",
        headers=RATE_LIMIT_HEADERS,
    ),
    _documented(
        "429-first-token-deadline",
        429,
        envelope("Request didn't generate first token before the given deadline"),
        "facts: dedicated deployment over capacity (429)",
    ),
    _documented(
        "429-usage-limits-old",
        429,
        json.dumps(
            {
                "error": "Too Many Requests",
                "message": "You have exceeded your usage limits. Please try again later or "
                "contact Fireworks to explore dedicated capacity.",
            }
        ),
        "facts: the older {'error': 'Too Many Requests', 'message': ...} body (429)",
    ),
    _documented(
        "500-listing-models",
        500,
        envelope("Error listing deployed models", type_="internal_server_error"),
        "facts: GET /models on an account with no deployments (500)",
        routes=("models",),
    ),
    _generic(500),
    _generic(502),
    _documented(
        "503-scaling-up",
        503,
        envelope("Service Unavailable", code="DEPLOYMENT_SCALING_UP"),
        "facts: code DEPLOYMENT_SCALING_UP (503); its message is undocumented: reason phrase",
    ),
    _documented(
        "503-service-overloaded",
        503,
        envelope("Service Overloaded", type_="internal_server_error"),
        "facts: serverless load shedding answers '503 Service Overloaded'",
    ),
    _generic(504),
    Scenario(
        name="520-cloudflare",
        label="520",
        status=520,
        body="error code: 520",
        content_type="text/plain",
        source="facts: Cloudflare's plain-text body 'error code: 520'",
        routes=("chat", "stream", "completions", "embeddings", "models"),
    ),
    Scenario(
        RESET, "connection-reset", source="connection reset after the request", routes=("chat",)
    ),
    Scenario(
        MIDSTREAM,
        "stream-cut-off",
        source="200, two SSE chunks, then the connection closes",
        routes=("stream",),
    ),
    Scenario(
        STALL, "client-timeout", source="no answer before the client's timeout", routes=("chat",)
    ),
    Scenario(TLS, "tls-certificate-failed", source="self-signed certificate", routes=("chat",)),
    Scenario(
        DNS, "dns-lookup-failed", source="host name under .invalid never resolves", routes=("chat",)
    ),
)

BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}
