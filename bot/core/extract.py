"""Pull status codes, exception classes and report signals out of prepared text.

Numbers count as status codes only where their context says "status"; a model name, a line
number or a token count never does. Knowledge-specific strings (patterns, aliases) are found by
`bot.core.index`, not here.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bot.core.linear_re import AsciiView, Match, Regex, compile_linear, literal
from bot.core.status_names import ENVELOPE_CODES, REASON_PHRASES
from bot.core.words import letter_runs, occurs

STRONG = 4.0
MEDIUM = 2.5
WEAK = 1.5  # "429 responses": design talk as often as a report; needs company to count
BARE = 3.0
EXCEPTION = 2.0
ENVELOPE = 4.0
HEAD_LINES, TAIL_LINES = 40, 160  # numbered lines read in a long log
EARLIER_SEGMENT = 0.4  # evidence from a traceback that a later exception superseded

_CODE = r"(?P<code>[1-5]\d\d)"
_REASONS = "|".join(sorted((literal(p) for p in REASON_PHRASES), key=len, reverse=True))


def _is_word_char(char: str) -> bool:
    """Python's `\\w`, which knows every alphabet (RE2's `\\w` is ASCII)."""
    return char.isalnum() or char == "_"


def _detached(text: str, start: int) -> bool:
    """Nothing glued before the code: not `v1.503`, `$503`, `#503`, `x503` or `/503`."""
    return start == 0 or not (_is_word_char(text[start - 1]) or text[start - 1] in "$./:@#-")


def _after_space(text: str, start: int) -> bool:
    """'rate-limited (429)' counts; 'Response(503)' is a constructor call."""
    return start > 0 and text[start - 1].isspace()


def _clear(text: str, end: int) -> bool:
    """Nothing glued after the code: not `503.5`, `503ms`, `503/`, `503%` or `503-b`."""
    following = text[end : end + 2]
    if not following:
        return True
    first = following[0]
    if _is_word_char(first) or first in "/%-":
        return False
    return not (first == "." and following[1:].isdecimal())


def _following(text: str, end: int, line_end: int) -> str:
    """What follows `end` on its line past any spaces, lower-cased; the first 32 characters."""
    window = text[end : min(line_end, end + 64)].lstrip()
    if not window and end + 64 < line_end:  # a long run of spaces: look past it
        window = text[end:line_end].lstrip()
    return window[:32].lower()


def _leading_word(following: str) -> str:
    for index, char in enumerate(following):
        if not _is_word_char(char):
            return following[:index]
    return following


# After "getting 429", only these words keep it a status ("got 429 images" is a count).
_FOLLOWER_WORDS = frozenset(
    {
        "s",
        "error",
        "errors",
        "eror",
        "code",
        "codes",
        "from",
        "on",
        "when",
        "again",
        "with",
        "in",
        "at",
        "for",
        "and",
        "or",
        "but",
        "since",
        "every",
        "all",
        "back",
        "now",
        "today",
        "lately",
        "constantly",
        "randomly",
        "too",
        "sometimes",
        "intermittently",
        "after",
        "while",
        "even",
        "trying",
        "calling",
        "using",
        "only",
        "still",
        "here",
        "there",
        "like",
        "wtf",
        "lol",
        "fireworks",
        "api",
        "yesterday",
        "this",
        "these",
        "each",
        "because",
        "as",
        "if",
        "what",
        "any",
        "no",
        "everywhere",
    }
)


def _status_follows(text: str, end: int, line_end: int) -> bool:
    """After 'getting 429': the line ends, punctuation, or a word that keeps it a status."""
    if not _clear(text, end):
        return False
    following = _following(text, end, line_end)
    if not following or not _is_word_char(following[0]):
        return True
    word = _leading_word(following)
    return (
        word in _FOLLOWER_WORDS
        or word.startswith(("status", "respon"))
        or (len(word) == 3 and word.isdecimal())
    )


# After "returns 429", a unit or a count says the number isn't a status ("429 tokens").
_UNIT_PREFIXES = (
    "token",
    "ms",
    "milli",
    "sec",
    "min",
    "hour",
    "row",
    "line",
    "item",
    "char",
    "byte",
    "kb",
    "kib",
    "mb",
    "mib",
    "gb",
    "gib",
    "user",
    "time",
    "%",
    "percent",
    "dollar",
    "usd",
    "word",
    "example",
    "step",
    "epoch",
    "sample",
    "rpm",
    "tpm",
    "px",
    "dpi",
    "entries",
    "records",
    "file",
    "call",
    "passed",
    "failed",
    "skipped",
    "test",
    "request per",
    "requests per",
)
_UNIT_WORDS = frozenset({"s", "k", "b", "ok"})


def _not_a_count(text: str, end: int, line_end: int) -> bool:
    """After 'returns 429': no unit follows ('503 ms', '404 pages'; but 'page not found' is)."""
    if not _clear(text, end):
        return False
    following = _following(text, end, line_end)
    if following.startswith("page"):
        return following.startswith("page not found")
    return not following.startswith(_UNIT_PREFIXES) and _leading_word(following) not in _UNIT_WORDS


_SHOUT_ENDINGS = frozenset(
    {"again", "error", "errors", "everywhere", "today", "now", "lol", "wtf", "constantly"}
)


def _closes_a_shout(text: str, end: int, line_end: int) -> bool:
    """'FIREWORKS 503 AGAIN': the code ends the line, or one of a few words follows it."""
    if not _clear(text, end):
        return False
    rest = text[end:line_end]  # the first line only: the rule is anchored at the start
    if not any(_is_word_char(char) for char in rest):
        return True
    if not rest[:1].isspace():
        return False
    following = rest.lstrip().lower()
    word = _leading_word(following)
    all_day = following.startswith("all day") and not _is_word_char(following[7:8])
    return word in _SHOUT_ENDINGS or all_day


_Before = Callable[[str, int], bool]
_After = Callable[[str, int, int], bool]


@dataclass(frozen=True, slots=True)
class _Rule:
    """A status regex, and the context checks RE2 can't express (it has no look-around)."""

    regex: Regex
    before: _Before | None = None  # (text, match start)
    after: _After | None = None  # (text, match end, end of its line)

    @property
    def code_group(self) -> int:
        return self.regex.groupindex["code"]


def _rule(pattern: str, before: _Before | None = None, after: _After | None = None) -> _Rule:
    return _Rule(compile_linear(pattern, ignore_case=True), before, after)


_STRONG_STATUS = [
    _rule(p)
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
_ARTICLES = (
    r"(?:an?\s+|the\s+|constant\s+|random\s+|lots of\s+|these\s+|many\s+|some\s+|more\s+"
    r"|http\s+|status\s+|mostly\s+|mainly\s+)?"
)
_MEDIUM_STATUS = [
    # "got 429 images" counts things, so these verbs need a word that keeps it a status
    _rule(
        r"\b(?:got|get|gets|getting|geting|hit|hits|hitting|receiv(?:e|es|ed|ing)|seeing|see|saw"
        rf"|answer(?:s|ed))\s+{_ARTICLES}{_CODE}s?\b",
        after=_status_follows,
    ),
    _rule(
        r"\b(?:errors?|err|eror|erorr|erro|returns?|returned|returning|throws?|throwing|threw"
        r"|giv(?:e|es|ing)|gave|(?:fail(?:s|ed|ing)?|crash(?:es|ed|ing)?|die[sd]?) with"
        r"|respond(?:s|ed)?|spits?|spitting|spat|came back|comes back"
        r"|intermittently|randomly|constantly|sometimes|occasionally|suddenly|still)"
        rf"\s+{_ARTICLES}{_CODE}s?\b",
        after=_not_a_count,
    ),
    _rule(rf"{_CODE}s?\s+(?:errors?|error code)\b", before=_detached),
    _rule(rf"(?:->|→|=>)\s*{_CODE}\b", after=lambda text, end, _: _clear(text, end)),  # "→ 405"
    _rule(rf"{_CODE}'d\b", before=_detached),  # "been 429'd all morning"
    _rule(rf"`{_CODE}`"),  # a code quoted on its own: "spits `401` on every call"
    _rule(rf"\b(?:everything|every (?:call|request)|all (?:calls|requests))\s+{_CODE}s?\b"),
    _rule(rf"\(\s*(?:http\s*)?{_CODE}\s*\)", before=_after_space),  # "rate-limited (429)"
    _rule(rf"\bstatus(?:[_ ]?code)?(?:\(\))?\s*===?\s*{_CODE}\b"),  # "statusCode() == 404"
    _rule(rf"\A\W*{_CODE}s\b"),  # "503s across the board": a plural code opening a message
    _rule(
        r"\b(?:an?|the|another|these|those|constant|random|intermittent|occasional|more"
        rf"|sporadic|frequent|same|mostly|mainly)\s+{_CODE}s?\b",
        after=_status_follows,
    ),
    _rule(
        r"\A\W*(?:(?:hey|hi|hello|yo|help|ugh|hmm|so|ok|okay|again|still|\+1|same here)\W+)?"
        rf"{_CODE}s?\b",
        after=_status_follows,
    ),
    # "FIREWORKS 503 AGAIN", "api 502 lol": a code that closes a short opening shout
    _rule(rf"\A\W*(?:[a-z]+\W+){{1,2}}{_CODE}s?\b", after=_closes_a_shout),
]
_WEAK_STATUS = [_rule(rf"{_CODE}s?\s+(?:status|responses?|codes?)\b", before=_detached)]
_TIERS = ((STRONG, _STRONG_STATUS), (MEDIUM, _MEDIUM_STATUS), (WEAK, _WEAK_STATUS))
# What the regexes read: words of any alphabet kept whole, as Python's `re` saw them.
_VIEW = AsciiView(keep="→")

# A whole line holding a number of exactly three digits, 100 to 599; and that line reversed.
_NUMBERED_LINE = compile_linear(r"^(?:[^\n]*[^\d\n])?[1-5]\d\d(?:[^\d\n][^\n]*)?$", multiline=True)
_NUMBERED_LINE_REVERSED = compile_linear(
    r"^(?:[^\n]*[^\d\n])?\d\d[1-5](?:[^\d\n][^\n]*)?$", multiline=True
)
# Stack frames ('File "x.py", line 404, in f' or 'at f (x.js:502:7)') never carry a status.
_FRAME = compile_linear(r'File "[^"]*", line \d+|at \S+ \(\S+:\d+:\d+\)$')
# Numbered lines are matched joined by this: no status regex reads across a "_".
_SEPARATOR = "\n_\n"
_BARE = compile_linear(
    rf"^\s*(?:/?fwerror\s+)?(?:(?:error|http|status|code)\s*:?\s*)?#?{_CODE}\s*[?!.]*\s*$",
    ignore_case=True,
)

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


def _is_frame(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith(('File "', "at ")) and _FRAME.match(stripped) is not None


def _first_numbered_lines(text: str, limit: int, backwards: bool) -> list[tuple[int, int]]:
    """Up to `limit` spans of status-bearing lines from the start of `text`, or from its end."""
    size, spans = len(text), []
    regex, scanned = (_NUMBERED_LINE_REVERSED, text[::-1]) if backwards else (_NUMBERED_LINE, text)
    for match in regex.finditer(scanned):
        start, end = match.span()
        if backwards:
            start, end = size - end, size - start
        if not _is_frame(text[start:end]):
            spans.append((start, end))
            if len(spans) == limit:
                break
    return spans


def _numbered_lines(text: str) -> list[tuple[int, int]]:
    """Spans of the lines that hold a three-digit number: the only places a status can be.

    A log of thousands of such lines is read at its first and last ones, which bounds the cost;
    the last ones are the first ones of the reversed text, so neither scan reads the middle.
    """
    head = _first_numbered_lines(text, HEAD_LINES, backwards=False)
    tail = _first_numbered_lines(text, TAIL_LINES, backwards=True)
    return sorted({*head, *tail})


@dataclass(frozen=True, slots=True)
class _Lines:
    """Numbered lines joined into one text, so each regex runs once instead of once a line."""

    text: str
    starts: list[int]  # where each line starts in `text`
    ends: list[int]
    shifts: list[int]  # from a position in `text` to the same position in the paste

    @classmethod
    def of(cls, paste: str, spans: list[tuple[int, int]]) -> _Lines:
        parts, starts, ends, shifts, size = [], [], [], [], 0
        for begin, end in spans:
            if begin:  # no separator before a line that opens the paste, where \A holds
                parts.append(_SEPARATOR)
                size += len(_SEPARATOR)
            starts.append(size)
            shifts.append(begin - size)
            parts.append(paste[begin:end])
            size += end - begin
            ends.append(size)
        return cls("".join(parts), starts, ends, shifts)

    def line_of(self, position: int) -> int:
        return bisect_right(self.starts, position) - 1


def _status_matches(lines: _Lines, rule: _Rule) -> Iterator[Match]:
    """The matches of one status rule whose surroundings pass its checks."""
    for match in rule.regex.finditer(lines.text):
        start, end = match.span()
        if rule.before and not rule.before(lines.text, start):
            continue
        if rule.after and not rule.after(lines.text, end, lines.ends[lines.line_of(start)]):
            continue
        yield match


def _statuses(view: str, text: str, segment_start: int, found: Findings) -> None:
    bare = _BARE.match(view)
    if bare:
        _add_status(found, bare["code"], BARE, f"status:{bare['code']} (bare code)")
        return
    spans = _numbered_lines(view)
    if not spans:
        return
    lines = _Lines.of(view, spans)
    seen: set[tuple[int, str]] = set()
    for strength, rules in _TIERS:
        for rule in rules:
            for match in _status_matches(lines, rule):
                code = match["code"]
                shift = lines.shifts[lines.line_of(match.start())]
                start = match.start(rule.code_group) + shift
                if (start, code) in seen:
                    continue
                seen.add((start, code))
                reason = match["reason"] if "reason" in rule.regex.groupindex else None
                if reason and REASON_PHRASES[reason.lower()] != code:
                    continue
                snippet = " ".join(text[match.start() + shift : match.end() + shift].split())[:60]
                weight = _weight(strength, start, segment_start, len(text))
                _add_status(found, code, weight, f"status:{code} ({snippet})")


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
