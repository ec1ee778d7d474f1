"""Pull status codes, exception classes and report signals out of prepared text.

Numbers count as status codes only where their context says "status"; a model name, a line
number or a token count never does. Knowledge-specific strings (patterns, aliases) are found by
`bot.core.index`, not here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.linear_re import AsciiView, compile_linear
from bot.core.status_names import ENVELOPE_CODES
from bot.core.statuses import BARE, bare_code, find_statuses
from bot.core.words import letter_runs, occurs

EXCEPTION = 2.0
ENVELOPE = 4.0
EARLIER_SEGMENT = 0.4  # evidence from a traceback that a later exception superseded

# What the regexes read: words of any alphabet kept whole, as Python's `re` saw them. A status
# rule spells out the arrow in "PUT → 405".
_VIEW = AsciiView(keep="→")

_EXCEPTION_WORDS = ("Error", "Exception", "Timeout", "Exceeded")
# A class opening a line, then ':', '(' or the end of the line ("RateLimitError: ...").
_EXCEPTION_LINE = compile_linear(
    r"^\s*(?:[\w.]+\.)?(?P<cls>[A-Z]\w*(?:Error|Exception|Timeout|Exceeded))"
    r"(?::|[^\S\n]*(?:$|\())",
    multiline=True,
)
_QUALIFIED_EXCEPTION = compile_linear(
    r"\b(?:openai|litellm|httpx|requests|aiohttp|fireworks|langchain\w*|urllib3|asyncio|ssl"
    r"|socket|http\.client|urllib|grpc)"
    r"(?:\.\w+)*\.(?P<cls>[A-Z]\w*(?:Error|Exception|Timeout))\b"
)
# `"code": "FORBIDDEN"` in JSON, or "gets code FORBIDDEN" in prose (upper case either way).
_ENVELOPE = compile_linear(r"code(?:[\"']\s*:\s*[\"']|\s*[=:]?\s*)(?P<name>[A-Z][A-Z_]{3,})\b")
# Multi-word envelope names are distinctive even in prose.
_ENVELOPE_NAME = compile_linear(r"\b(?P<name>[A-Z]+(?:_[A-Z]+)+)\b")
_CHAIN_OPENERS = (
    "During handling of the above exception, another exception occurred:",
    "The above exception was the direct cause of the following exception:",
    "[cause]:",
    "Caused by:",
)
_CHAIN = compile_linear(
    r"^(?:During handling of the above exception, another exception occurred:"
    r"|The above exception was the direct cause of the following exception:"
    r"|\s*\[cause\]:|Caused by:)",
    multiline=True,
)

# Status codes that exception classes imply (openai-python, openai-node, litellm).
EXCEPTION_CODES: dict[str, str] = {
    "BadRequestError": "400",
    "ContextWindowExceededError": "400",
    "AuthenticationError": "401",
    "PermissionDeniedError": "403",
    "NotFoundError": "404",
    "ConflictError": "409",
    "UnprocessableEntityError": "422",
    "RateLimitError": "429",
    "ServiceUnavailableError": "503",
}
# Failures with no HTTP status at all: nothing in the table answers them, a human should look.
TRANSPORT_CLASSES = frozenset(
    {
        "APIConnectionError",
        "APITimeoutError",
        "ConnectError",
        "ConnectTimeout",
        "ConnectTimeoutError",
        "ReadTimeout",
        "ReadTimeoutError",
        "WriteTimeout",
        "PoolTimeout",
        "RemoteProtocolError",
        "ConnectionError",
        "ConnectionResetError",
        "ConnectionRefusedError",
        "ConnectionAbortedError",
        "SSLError",
        "SSLCertVerificationError",
        "ClientConnectorError",
        "ClientConnectorCertificateError",
        "ClientOSError",
        "ServerDisconnectedError",
        "ProxyError",
        "ChunkedEncodingError",
        "IncompleteRead",
        "ProtocolError",
        "NewConnectionError",
        "MaxRetryError",
        "NameResolutionError",
        "Timeout",
        "TimeoutError",
        "gaierror",
        # Java, Go and .NET clients
        "SSLHandshakeException",
        "SocketTimeoutException",
        "UnknownHostException",
        "ConnectException",
        "SocketException",
        "HttpTimeoutException",
        "TaskCanceledException",
        "ClientException",
        "TransportError",
    }
)
# Plain substrings (lower case) are found far faster than one big case-insensitive regex.
_TRANSPORT_PHRASES = (
    "name or service not known",
    "nodename nor servname",
    "temporary failure in name resolution",
    "certificate_verify_failed",
    "connection reset by peer",
    "connection refused",
    "econnreset",
    "econnrefused",
    "etimedout",
    "enotfound",
    "eai_again",
    "socket hang up",
    "fetch failed",
    "connection error.",
    "request timed out.",
    "remote end closed connection",
    "curl: (",
    "ssl certificate problem",
    "could not resolve host",
    "ssl handshake failed",
    "handshake failure",
    "hangs forever",
    "hanging forever",
    "hang forever",
    "hangs indefinitely",
    "no status code",
    "context deadline exceeded",
    "client.timeout exceeded",
    "pkix path building failed",
    "unable to find valid certification path",
    "connection closed before",
    "transporterror",
    "corporate proxy",
    "task timed out after",  # AWS Lambda's own timeout
    "network connection lost",  # Cloudflare Workers
    # browsers, Node fetch and Go
    "net::err_",
    "failed to fetch",
    "unable to get local issuer certificate",
    "no such host",
    "error while dialing",
    "stream disconnected before completion",
    "no [done]",
    "cannot import name",
    "before any request",
    "before making any call",
    "incompleteread",
    "h2 protocol error",
    "unexpected_eof_while_reading",
    "eof occurred in violation of protocol",
    "tls handshake timeout",
    "unexpected eof",
    "tunnel connection failed",
    "unable to connect to proxy",
    "no route matched",
    "cannot connect to api",
    "other side closed",
)
# The user's own proxy blocks Fireworks: any status in the paste is the proxy's, not Fireworks'.
_BLOCKING_PROXY_PHRASES = ("zscaler", "egress proxy", "egress policy", "egress gateway", "squid")
_BLOCKS_FIREWORKS = compile_linear(r"\bblock(?:s|ed|ing)? (?:\w+ ){0,2}(?:to )?(?:api\.)?fireworks")
_MISCONFIG_PHRASES = (
    "llm provider not provided",
    "unknown provider",
    "unsupported model_provider",
    "unsupported provider",
    "did not find fireworks_api_key",
    "api_key client option must be set",
    "openai_api_key environment variable",
    "fireworks_api_key environment variable",
    "no api key provided",
    "no api key found",
    "no api key was provided",
    "missing credentials",
    "provide a valid fireworks model name",
    "unknown model",
)
_KEY_UNSET = compile_linear(r"fireworks_api_key\W+(?:is\s+)?(?:not set|missing|field required)")
_TRACEBACK = compile_linear(
    r"Traceback \(most recent call last\)|^\s+at \S.*[(:]\d+|^\s*File \"[^\"]+\", line \d+",
    multiline=True,
)
_REPORT_WORDS = frozenset(
    [
        "error",
        "errors",
        "errored",
        "exception",
        "getting",
        "got",
        "get",
        "keep",
        "keeps",
        "kept",
        "hit",
        "hitting",
        "seeing",
        "saw",
        "returns",
        "return",
        "returned",
        "returning",
        "throws",
        "throw",
        "throwing",
        "threw",
        "broke",
        "broken",
        "down",
        "stuck",
        "cannot",
        "refused",
        "rejected",
        "denied",
        "invalid",
        "issue",
        "problem",
        "help",
        "wont",
        "cant",
    ]
)
_REPORT_STEMS = ("fail", "receiv", "crash", "throttl")
_REPORT_PHRASES = (
    "timed out",
    "timing out",
    "won't",
    "can't",
    "doesn't work",
    "not working",
    "rate-limited",
    "rate limited",
)
# Thanks, "it was our proxy" and questions live in the prose around a paste, never deep inside.
PROSE_CHARS = 1500
_RESOLVED = compile_linear(  # run on lower-cased prose; see `_resolved`
    r"\b(?:(?P<fixed>fixed)|resolved|solved|sorted|works now|working now|went away|gone now"
    r"|all good"
    r"|nvm|never ?mind|figured it out|false alarm|it's gone|is gone)\b"
    r"|\b(?P<thanks>thanks|thank you|thx|ty)\b"
    r"|worked for (?:us|me)|goes through now|works fine now|working fine now|design question"
    r"|nothing (?:is )?failing"
)
# The status came from the user's own infrastructure, not from Fireworks.
_NOT_FIREWORKS = compile_linear(
    r"\b(?:(?:was|were|is|are)(?:\s+from)?|came from|coming from|comes from|returned by"
    r"|thrown by|sent by)\s+"
    r"(?:our|my)\s+(?:own\s+)?(?:\w+\s+)?"
    r"(?:nginx|envoy|haproxy|traefik|kong|istio|proxy|server|backend|load[- ]?balancer|gateway"
    r"|cdn|ingress|vpn|firewall)\b"
    r"|\b(?:our|my)\s+(?:own\s+)?(?:[\w-]+\s+){0,2}(?:nginx|envoy|proxy|server|backend|gateway"
    r"|api|app|route|endpoint|service|load[- ]?balancer|lb|flask|fastapi|django|express"
    r"|middleware|handler|box|instance|cluster|vllm)\s+"
    r"(?:(?:was|is|were|kept|keeps)\s+)?(?:returns?|returned|returning|sends?|sent|sending|gives?"
    r"|gave|giving|throws?|throwing|threw|answers?|responds?)\s+(?:an?\s+)?(?:http\s+)?\d{3}"
    r"|\b(?:not|wasn'?t|isn'?t|never)\s+(?:from\s+)?fireworks\b|unrelated to fireworks"
    r"|fireworks (?:was|is) fine|not (?:a )?fireworks (?:issue|problem)"
)
# Teaching and reviewing, not reporting: "TIL a 520 means ...", "code review: if status == 429".
_TEACHING = compile_linear(
    r"\btil\b|\bpsa\b|\breminder\b|\bmeans (?:that|the|your|you|it)\b"
    r"|\bfor anyone (?:searching|else)|\bfor future reference\b|\breview\b"
    r"|\bif you (?:ever )?(?:get|hit|see|receive)\b"
)
# Planning for an error is not hitting one: "if we ever get a 412, where is the detail?"
_HYPOTHETICAL = compile_linear(
    r"\bif (?:we|i|you|they|it) (?:ever |do |does |start to )?(?:get|gets|hit|hits|see|sees"
    r"|receive|receives|return|returns)\b|\bin case (?:of|we|i|you)\b|\bshould (?:we|i) retry\b"
    r"|\bwhich (?:status )?(?:codes|errors|statuses)\b|\bnot hitting (?:anything|it|them)\b"
    r"|\bjust planning\b"
)
_RESOLVED_WORDS = frozenset(
    [
        "fixed",
        "resolved",
        "solved",
        "sorted",
        "works",
        "working",
        "went",
        "gone",
        "good",
        "nvm",
        "never",
        "nevermind",
        "figured",
        "false",
        "thanks",
        "thank",
        "thx",
        "ty",
        "worked",
        "goes",
        "design",
        "nothing",
    ]
)
_NOT_FIREWORKS_WORDS = frozenset(
    ["our", "my", "not", "wasn't", "isn't", "never", "unrelated", "fine"]
)
_HYPOTHETICAL_WORDS = frozenset(["if", "case", "should", "which", "hitting", "planning"])
_TEACHING_WORDS = frozenset(["til", "psa", "reminder", "means", "if", "anyone", "future", "review"])
_QUESTION_START = compile_linear(
    r"^\W*(?:what|how|why|when|where|which|who|does|do|did|is|are|can|could|should|would|will"
    r"|has|have|any(?:one|body) know)\b"
)
# An error field or label: "error": / 'error': / error= / "detail":, matched in lower case.
_ERROR_BODY = compile_linear(r"(?:^|[^a-z0-9_])error[\"']?\s*[:=]|\"detail\"\s*:")


@dataclass(frozen=True, slots=True)
class Signal:
    """One piece of status evidence and how much it counts."""

    code: str
    weight: float
    label: str


@dataclass(slots=True)
class Findings:
    """Everything the matcher needs to know about a paste besides the knowledge hits."""

    signals: list[Signal] = field(default_factory=list)
    transport: list[str] = field(default_factory=list)
    server_error_class: bool = False  # InternalServerError: some 5xx, status not printed
    traceback: bool = False
    error_body: bool = False
    report_words: bool = False
    resolved: bool = False
    not_fireworks: bool = False
    question: bool = False  # a question that opens with a question word
    hypothetical: bool = False  # "if we ever get a 412 ..."
    teaching: bool = False  # "TIL a 520 means ...", "reminder: paste the whole error"
    transport_last: bool = False  # the final exception is a transport failure, or a proxy blocks
    asks: bool = False  # any question mark at all
    word_count: int = 0

    @property
    def looks_like_report(self) -> bool:
        """A paste or a sentence that says something failed, as opposed to chatter."""
        return (
            self.traceback
            or self.error_body
            or self.report_words
            or bool(self.signals or self.transport or self.server_error_class)
        )


def _final_segment_start(text: str) -> int:
    if not any(opener in text for opener in _CHAIN_OPENERS):
        return 0
    starts = [m.end() for m in _CHAIN.finditer(text)]
    return starts[-1] if starts else 0


def _weight(base: float, position: int, segment_start: int, length: int) -> float:
    """Later evidence counts a little more; evidence a later exception replaced counts less."""
    if position < segment_start:
        return base * EARLIER_SEGMENT
    return base * (0.9 + 0.1 * position / max(length, 1))


def _statuses(view: str, text: str, segment_start: int, found: Findings) -> None:
    code = bare_code(view)
    if code:
        _add_status(found, code, BARE, f"status:{code} (bare code)")
        return
    for status in find_statuses(view, text):
        weight = _weight(status.strength, status.position, segment_start, len(text))
        _add_status(found, status.code, weight, f"status:{status.code} ({status.snippet})")


def _add_status(found: Findings, code: str, weight: float, label: str) -> None:
    if code[0] in "123":
        return
    found.signals.append(Signal(code, weight, label))


def _exception_classes(view: str, text: str) -> dict[int, str]:
    """Exception class names by position: opening a line, or qualified by a client module."""
    if not any(word in view for word in _EXCEPTION_WORDS):
        return {}
    spans = (
        m.span(regex.groupindex["cls"])
        for regex in (_EXCEPTION_LINE, _QUALIFIED_EXCEPTION)
        for m in regex.finditer(view)
    )
    return {start: text[start:end] for start, end in spans}


def _exceptions(view: str, text: str, segment_start: int, found: Findings) -> None:
    by_position = _exception_classes(view, text)
    if not by_position:
        return
    last = max(by_position)
    for position, cls in sorted(by_position.items()):
        weight = _weight(EXCEPTION, position, segment_start, len(text))
        if position != last:
            weight *= 0.5
        if cls in EXCEPTION_CODES:
            found.signals.append(Signal(EXCEPTION_CODES[cls], weight, f"exception:{cls}"))
        elif cls in TRANSPORT_CLASSES and position >= segment_start:
            found.transport.append(f"exception:{cls}")
            found.transport_last = found.transport_last or position == last
        elif cls == "InternalServerError":
            found.server_error_class = True


def _envelope(view: str, text: str, found: Findings) -> None:
    if "_" in view:
        _envelope_names(view, found)
    if "code" in view:
        _envelope_codes(view, text, found)


def _envelope_names(text: str, found: Findings) -> None:
    for match in _ENVELOPE_NAME.finditer(text):  # "now everything returns PRECONDITION_FAILED"
        if match["name"] in ENVELOPE_CODES:
            found.signals.append(
                Signal(ENVELOPE_CODES[match["name"]], ENVELOPE, f"envelope:{match['name']}")
            )


def _envelope_codes(view: str, text: str, found: Findings) -> None:
    for match in _ENVELOPE.finditer(view):
        if match.start() and text[match.start() - 1].isalnum():  # "errcode FOO", not a code
            continue
        code = ENVELOPE_CODES.get(match["name"])
        if code:
            found.signals.append(Signal(code, ENVELOPE, f"envelope:{match['name']}"))


def _resolved(prose: str) -> bool:
    """Thanks or 'fixed', but not 'thanks in advance' or 'fixed nothing'."""
    for match in _RESOLVED.finditer(prose):
        if match["fixed"] and prose.startswith(" nothing", match.end()):
            continue
        if match["thanks"] and prose.startswith(" in advance", match.end()):
            continue
        return True
    return False


def _may(words: set[str], needed: frozenset[str]) -> bool:
    return not words.isdisjoint(needed)


def _reports(lowered: str, words: set[str]) -> bool:
    """Whether the text says something failed: a report word, stem or phrase."""
    return (
        not words.isdisjoint(_REPORT_WORDS)
        or any(word.startswith(_REPORT_STEMS) for word in words)
        or any(phrase in lowered for phrase in _REPORT_PHRASES)
    )


def _transport(text: str, lowered: str, view_lowered: str, found: Findings) -> None:
    """Failures with no status: transport phrases, misconfiguration, a proxy in the way."""
    found.transport.extend(f"transport:{p}" for p in _TRANSPORT_PHRASES if occurs(lowered, p))
    found.transport.extend(f"misconfig:{p}" for p in _MISCONFIG_PHRASES if occurs(lowered, p))
    proxies = [f"proxy:{p}" for p in _BLOCKING_PROXY_PHRASES if occurs(lowered, p)]
    if "block" in lowered and (blocked := _BLOCKS_FIREWORKS.search(view_lowered)):
        proxies.append(f"proxy:{text[blocked.start() : blocked.end()].lower()}")
    found.transport.extend(proxies)
    upstream = "from fireworks" in lowered or "via_upstream" in lowered  # passed through
    found.transport_last = found.transport_last or (bool(proxies) and not upstream)
    if "fireworks_api_key" in lowered and _KEY_UNSET.search(view_lowered):
        found.transport.append("misconfig:FIREWORKS_API_KEY is not set")


def _prose(view_lowered: str, words: set[str], found: Findings) -> None:
    """What the words around a paste say: thanks, not Fireworks, a question, a hypothesis."""
    prose = view_lowered
    if len(prose) > 2 * PROSE_CHARS:
        prose = prose[:PROSE_CHARS] + "\n" + prose[-PROSE_CHARS:]
    # Each prose regex runs only when a word it needs occurs somewhere in the text.
    found.resolved = _may(words, _RESOLVED_WORDS) and _resolved(prose)
    found.not_fireworks = _may(words, _NOT_FIREWORKS_WORDS) and bool(_NOT_FIREWORKS.search(prose))
    found.asks = "?" in prose
    found.question = found.asks and _QUESTION_START.match(prose) is not None
    found.hypothetical = _may(words, _HYPOTHETICAL_WORDS) and bool(_HYPOTHETICAL.search(prose))
    found.teaching = _may(words, _TEACHING_WORDS) and _TEACHING.search(prose) is not None


def extract(text: str) -> Findings:
    """Read a prepared paste; see `bot.core.prepare.prepare`."""
    view = _VIEW.of(text)  # what the regexes read; `text` for what evidence quotes
    found = Findings()
    segment_start = _final_segment_start(view)
    _statuses(view, text, segment_start, found)
    _exceptions(view, text, segment_start, found)
    _envelope(view, text, found)
    lowered = text.lower()
    view_lowered = lowered if view is text else view.lower()
    _transport(text, lowered, view_lowered, found)
    found.traceback = _TRACEBACK.search(view) is not None
    found.error_body = _ERROR_BODY.search(view_lowered) is not None
    words = set(letter_runs(lowered))
    found.report_words = _reports(lowered, words)
    _prose(view_lowered, words, found)
    found.word_count = len(text.split())
    return found
