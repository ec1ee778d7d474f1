"""Pull status codes, exception classes and report signals out of prepared text.

Numbers count as status codes only where their context says "status"; a model name, a line
number or a token count never does. Knowledge-specific strings (patterns, aliases) are found by
`bot.core.index`, not here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.status_names import ENVELOPE_CODES, REASON_PHRASES
from bot.core.words import occurs

STRONG = 4.0
MEDIUM = 2.5
WEAK = 1.5  # "429 responses": design talk as often as a report; needs company to count
BARE = 3.0
EXCEPTION = 2.0
ENVELOPE = 4.0
HEAD_LINES, TAIL_LINES = 40, 160  # numbered lines read in a long log
EARLIER_SEGMENT = 0.4  # evidence from a traceback that a later exception superseded

_CODE = r"(?P<code>[1-5]\d\d)"
_REASONS = "|".join(sorted((re.escape(p) for p in REASON_PHRASES), key=len, reverse=True))

_STRONG_STATUS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\berror code:?\s*{_CODE}\b",
        rf"\bHTTP/\d(?:\.\d)?\s+{_CODE}\b",
        rf"\bstatus(?:[_ ]?code)?\b[\"']?\s*[:=]?\s*[\"']?{_CODE}\b",
        rf"[\"']code[\"']\s*:\s*[\"']?{_CODE}\b",
        rf"\bstatus of {_CODE}\b",  # browser devtools: "responded with a status of 401 ()"
        rf"\bstatus(?: code)? (?:is|was) {_CODE}\b",
        rf"\b(?:response|return|http)\s*code\s*[:=]?\s*[\"']?{_CODE}\b",
        rf"\bHTTP(?:\s+status|\s+error)?\s*:?\s*{_CODE}\b",
        rf"\b{_CODE}\s+(?:Client|Server) Error\b",
        rf"\b(?:Client|Server) error '{_CODE}\b",  # httpx, even with no reason phrase
        rf"\b(?:[A-Z]\w*)?(?:Error|Exception):?\s+{_CODE}\b",
        rf"\bcode\s*[=:]\s*[\"']?{_CODE}\b",
        rf"\bE?{_CODE}\s*[-:,]?\s*(?:message=)?[\"'(]?(?P<reason>{_REASONS})\b",
        rf"\b(?P<reason>{_REASONS})\s*[\"']?\s*[(\[]\s*{_CODE}\s*[)\]]",
        rf"\"[A-Z]+ \S+ HTTP/[\d.]+\"\s+{_CODE}\b",  # access-log line: "POST /path HTTP/2" 503
    )
]

# After "getting 429", only these words keep it a status ("got 429 images" is a count).
_STATUS_FOLLOWERS = (
    r"(?=\s*(?:$|[^\w\s]|(?:s|errors?|err?or|status\w*|respon\w*|codes?|from|on|when|again"
    r"|with|in|at|for|and|or|but|since|every|all|back|now|today|lately|constantly|randomly|too"
    r"|sometimes|intermittently|after|while|even|trying|calling|using|only|still|here|there"
    r"|like|wtf|lol|fireworks|api|today|yesterday|this|these|each|because|as|if|what|any|no"
    r"|everywhere|\d{3})\b))"
)
_ARTICLES = (
    r"(?:an?\s+|the\s+|constant\s+|random\s+|lots of\s+|these\s+|many\s+|some\s+|more\s+"
    r"|http\s+|status\s+|mostly\s+|mainly\s+)?"
)
_NOT_AN_ERROR_AFTER = (
    r"tokens?|ms|milli\w*|sec\w*|s\b|mins?|minutes?|hours?|pages?(?! not found)|rows?|lines?"
    r"|items?|chars?"
    r"|characters?|bytes?|[kmg]i?b|users?|times?|%|percent|dollars?|usd|words?|examples?|steps?"
    r"|epochs?|samples?|requests? per|rpm|tpm|k\b|b\b|px|dpi|entries|records|files?|calls?"
    r"|passed|failed|skipped|tests?|ok\b"
)
_MEDIUM_STATUS = [
    re.compile(p, re.IGNORECASE | re.MULTILINE)
    for p in (
        # "got 429 images" counts things, so these verbs need a word that keeps it a status
        r"\b(?:got|get|gets|getting|geting|hit|hits|hitting|receiv(?:e|es|ed|ing)|seeing|see|saw"
        r"|answer(?:s|ed))"
        rf"\s+{_ARTICLES}{_CODE}s?\b(?!\.\d|[\w/%-]){_STATUS_FOLLOWERS}",
        r"\b(?:errors?|err|eror|erorr|erro|returns?|returned|returning|throws?|throwing|threw"
        r"|giv(?:e|es|ing)|gave|(?:fail(?:s|ed|ing)?|crash(?:es|ed|ing)?|die[sd]?) with"
        r"|respond(?:s|ed)?|spits?|spitting|spat|came back|comes back"
        r"|intermittently|randomly|constantly|sometimes|occasionally|suddenly|still)"
        rf"\s+{_ARTICLES}{_CODE}s?\b(?!\.\d|[\w/%-])(?!\s*(?:{_NOT_AN_ERROR_AFTER}))",
        rf"(?<![\w$./:@#-]){_CODE}s?\s+(?:errors?|error code)\b",
        rf"(?:->|→|=>)\s*{_CODE}\b(?!\.\d|[\w/%-])",  # "PUT to the chat url → 405"
        rf"(?<![\w$./:@#-]){_CODE}'d\b",  # "been 429'd all morning"
        rf"`{_CODE}`",  # a code quoted on its own: "spits `401` on every call"
        rf"\b(?:everything|every (?:call|request)|all (?:calls|requests))\s+{_CODE}s?\b",
        rf"(?<=\s)\(\s*(?:http\s*)?{_CODE}\s*\)",  # "rate-limited (429)", not "Response(503)"
        rf"\bstatus(?:[_ ]?code)?(?:\(\))?\s*===?\s*{_CODE}\b",  # "response.statusCode() == 404"
        rf"\A\W*{_CODE}s\b",  # "503s across the board": a plural code opening a message
        r"\b(?:an?|the|another|these|those|constant|random|intermittent|occasional|more"
        r"|sporadic|frequent|same|mostly|mainly)\s+"
        rf"{_CODE}s?\b(?!\.\d|[\w/%-]){_STATUS_FOLLOWERS}",
        r"\A\W*(?:(?:hey|hi|hello|yo|help|ugh|hmm|so|ok|okay|again|still|\+1|same here)\W+)?"
        rf"{_CODE}s?\b(?!\.\d|[\w/%-]){_STATUS_FOLLOWERS}",
        # "FIREWORKS 503 AGAIN", "api 502 lol": a code that closes a short opening shout
        rf"\A\W*(?:[a-z]+\W+){{1,2}}{_CODE}s?\b(?!\.\d|[\w/%-])"
        r"(?=\W*$|\s+(?:again|errors?|everywhere|today|now|lol|wtf|constantly|all day)\b)",
    )
]
_WEAK_STATUS = [
    re.compile(rf"(?<![\w$./:@#-]){_CODE}s?\s+(?:status|responses?|codes?)\b", re.IGNORECASE)
]
_WORDS = re.compile(r"[a-z']+")
# Stack frames ('File "x.py", line 404, in f' or 'at f (x.js:502:7)') never carry a status.
_FRAME = re.compile(r'\s*(?:File "[^"]*", line \d+|at \S+ \(\S+:\d+:\d+\)$)')
_THREE_DIGITS = re.compile(r"(?<!\d)[1-5]\d\d(?!\d)")
_BARE = re.compile(
    rf"^\s*(?:/?fwerror\s+)?(?:(?:error|http|status|code)\s*:?\s*)?#?{_CODE}\s*[?!.]*\s*$",
    re.IGNORECASE,
)

_EXCEPTION_LINE = re.compile(
    r"^\s*(?:[\w.]+\.)?(?P<cls>[A-Z]\w*(?:Error|Exception|Timeout|Exceeded))\b(?=:|\s*$|\s*\()",
    re.MULTILINE,
)
_QUALIFIED_EXCEPTION = re.compile(
    r"\b(?:openai|litellm|httpx|requests|aiohttp|fireworks|langchain\w*|urllib3|asyncio|ssl"
    r"|socket|http\.client|urllib|grpc)"
    r"(?:\.\w+)*\.(?P<cls>[A-Z]\w*(?:Error|Exception|Timeout))\b"
)
# `"code": "FORBIDDEN"` in JSON, or "gets code FORBIDDEN" in prose (upper case either way).
_ENVELOPE = re.compile(  # starts with a literal, which the regex engine scans for quickly
    r"code(?:[\"']\s*:\s*[\"']|\s*[=:]?\s*)(?P<name>[A-Z][A-Z_]{3,})\b"
)
# Multi-word envelope names are distinctive even in prose.
_ENVELOPE_NAME = re.compile(r"\b(?P<name>[A-Z]+(?:_[A-Z]+)+)\b")
_CHAIN = re.compile(
    r"^(?:During handling of the above exception, another exception occurred:"
    r"|The above exception was the direct cause of the following exception:"
    r"|\s*\[cause\]:|Caused by:)",
    re.MULTILINE,
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
_BLOCKS_FIREWORKS = re.compile(r"\bblock(?:s|ed|ing)? (?:\w+ ){0,2}(?:to )?(?:api\.)?fireworks")
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
_KEY_UNSET = re.compile(r"fireworks_api_key\W+(?:is\s+)?(?:not set|missing|field required)")
_TRACEBACK = re.compile(
    r"Traceback \(most recent call last\)|^\s+at \S.*[(:]\d+|^\s*File \"[^\"]+\", line \d+",
    re.MULTILINE,
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
_RESOLVED = re.compile(  # run on lower-cased prose
    r"\b(?:fixed(?! nothing)|resolved|solved|sorted|works now|working now|went away|gone now"
    r"|all good"
    r"|nvm|never ?mind|figured it out|false alarm|it's gone|is gone)\b"
    r"|\b(?:thanks|thank you|thx|ty)\b(?! in advance)"
    r"|worked for (?:us|me)|goes through now|works fine now|working fine now|design question"
    r"|nothing (?:is )?failing"
)
# The status came from the user's own infrastructure, not from Fireworks.
_NOT_FIREWORKS = re.compile(
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
_TEACHING = re.compile(
    r"\btil\b|\bpsa\b|\breminder\b|\bmeans (?:that|the|your|you|it)\b"
    r"|\bfor anyone (?:searching|else)|\bfor future reference\b|\breview\b"
    r"|\bif you (?:ever )?(?:get|hit|see|receive)\b"
)
# Planning for an error is not hitting one: "if we ever get a 412, where is the detail?"
_HYPOTHETICAL = re.compile(
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
_QUESTION_START = re.compile(
    r"^\W*(?:what|how|why|when|where|which|who|does|do|did|is|are|can|could|should|would|will"
    r"|has|have|any(?:one|body) know)\b"
)
# An error field or label: "error": / 'error': / error= / "detail":, matched in lower case.
_ERROR_BODY = re.compile(r"(?<![a-z0-9_])error[\"']?\s*[:=]|\"detail\"\s*:")


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
    starts = [m.end() for m in _CHAIN.finditer(text)]
    return starts[-1] if starts else 0


def _weight(base: float, position: int, segment_start: int, length: int) -> float:
    """Later evidence counts a little more; evidence a later exception replaced counts less."""
    if position < segment_start:
        return base * EARLIER_SEGMENT
    return base * (0.9 + 0.1 * position / max(length, 1))


def _numbered_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines that hold a three-digit number: the only places a status can be.

    A log of thousands of such lines is read at its first and last ones, which bounds the cost.
    """
    spans, offset = [], 0
    for line in text.split("\n"):
        if _THREE_DIGITS.search(line) and not _FRAME.match(line):
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    if len(spans) > HEAD_LINES + TAIL_LINES:
        spans = spans[:HEAD_LINES] + spans[-TAIL_LINES:]
    return spans


def _statuses(text: str, segment_start: int, found: Findings) -> None:
    length = len(text)
    seen: set[tuple[int, str]] = set()
    bare = _BARE.match(text)
    if bare:
        _add_status(found, bare["code"], BARE, f"status:{bare['code']} (bare code)")
        return
    spans = _numbered_lines(text)
    tiers = ((STRONG, _STRONG_STATUS), (MEDIUM, _MEDIUM_STATUS), (WEAK, _WEAK_STATUS))
    for strength, patterns in tiers:
        for pattern, (begin, end) in ((p, span) for p in patterns for span in spans):
            for match in pattern.finditer(text, begin, end):
                code, start = match["code"], match.start("code")
                if (start, code) in seen:
                    continue
                seen.add((start, code))
                reason = match.groupdict().get("reason")
                if reason and REASON_PHRASES[reason.lower()] != code:
                    continue
                snippet = " ".join(match.group(0).split())[:60]
                weight = _weight(strength, start, segment_start, length)
                _add_status(found, code, weight, f"status:{code} ({snippet})")


def _add_status(found: Findings, code: str, weight: float, label: str) -> None:
    if code[0] in "123":
        return
    found.signals.append(Signal(code, weight, label))


def _exceptions(text: str, segment_start: int, found: Findings) -> None:
    by_position = {
        m.start("cls"): m["cls"]
        for m in (*_EXCEPTION_LINE.finditer(text), *_QUALIFIED_EXCEPTION.finditer(text))
    }
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


def _envelope(text: str, found: Findings) -> None:
    for match in _ENVELOPE_NAME.finditer(text):  # "now everything returns PRECONDITION_FAILED"
        if match["name"] in ENVELOPE_CODES:
            found.signals.append(
                Signal(ENVELOPE_CODES[match["name"]], ENVELOPE, f"envelope:{match['name']}")
            )
    for match in _ENVELOPE.finditer(text):
        if match.start() and text[match.start() - 1].isalnum():  # "errcode FOO", not a code
            continue
        code = ENVELOPE_CODES.get(match["name"])
        if code:
            found.signals.append(Signal(code, ENVELOPE, f"envelope:{match['name']}"))


def _may(words: set[str], needed: frozenset[str]) -> bool:
    return not words.isdisjoint(needed)


def _reports(lowered: str, words: set[str]) -> bool:
    """Whether the text says something failed: a report word, stem or phrase."""
    return (
        not words.isdisjoint(_REPORT_WORDS)
        or any(word.startswith(_REPORT_STEMS) for word in words)
        or any(phrase in lowered for phrase in _REPORT_PHRASES)
    )


def extract(text: str) -> Findings:
    """Read a prepared paste; see `bot.core.prepare.prepare`."""
    found = Findings()
    segment_start = _final_segment_start(text)
    _statuses(text, segment_start, found)
    _exceptions(text, segment_start, found)
    _envelope(text, found)
    lowered = text.lower()
    found.transport.extend(f"transport:{p}" for p in _TRANSPORT_PHRASES if occurs(lowered, p))
    found.transport.extend(f"misconfig:{p}" for p in _MISCONFIG_PHRASES if occurs(lowered, p))
    proxies = [f"proxy:{p}" for p in _BLOCKING_PROXY_PHRASES if occurs(lowered, p)]
    if "block" in lowered and (blocked := _BLOCKS_FIREWORKS.search(lowered)):
        proxies.append(f"proxy:{blocked.group(0)}")
    found.transport.extend(proxies)
    upstream = "from fireworks" in lowered or "via_upstream" in lowered  # passed through
    found.transport_last = found.transport_last or (bool(proxies) and not upstream)
    if "fireworks_api_key" in lowered and _KEY_UNSET.search(lowered):
        found.transport.append("misconfig:FIREWORKS_API_KEY is not set")
    found.traceback = _TRACEBACK.search(text) is not None
    found.error_body = _ERROR_BODY.search(lowered) is not None
    words = set(_WORDS.findall(lowered))
    found.report_words = _reports(lowered, words)
    prose = lowered
    if len(prose) > 2 * PROSE_CHARS:
        prose = prose[:PROSE_CHARS] + "\n" + prose[-PROSE_CHARS:]
    # Each prose regex runs only when a word it needs occurs somewhere in the text.
    found.resolved = _may(words, _RESOLVED_WORDS) and _RESOLVED.search(prose) is not None
    found.not_fireworks = _may(words, _NOT_FIREWORKS_WORDS) and bool(_NOT_FIREWORKS.search(prose))
    found.asks = "?" in prose
    found.question = found.asks and _QUESTION_START.match(prose) is not None
    found.hypothetical = _may(words, _HYPOTHETICAL_WORDS) and bool(_HYPOTHETICAL.search(prose))
    found.teaching = _may(words, _TEACHING_WORDS) and _TEACHING.search(prose) is not None
    found.word_count = len(text.split())
    return found
