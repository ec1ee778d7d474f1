"""Run every detector over a prepared paste and gather what they found.

Numbers count as status codes only where their context says "status"; a model name, a line
number or a token count never does. Knowledge-specific strings (patterns, aliases, examples)
are found by `bot.core.index`, not here. What the detectors look for is in
`knowledge/signals/`; each detector is a small function in `bot.core.detectors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.detectors.envelopes import envelope_codes
from bot.core.detectors.exception_classes import UNNAMED_CLASS, exception_classes
from bot.core.detectors.prose import Prose, prose
from bot.core.detectors.retries import attempt_statuses, latest_attempt
from bot.core.detectors.status_lines import loose_statuses, status_lines
from bot.core.detectors.transport import own_proxy, transport_phrases
from bot.core.detectors.wrapping import innermost, mesh_reply
from bot.core.evidence import Evidence, Kind
from bot.core.linear_re import compile_linear
from bot.core.paste import Paste
from bot.core.statuses import STRONG, StatusWords, is_described
from bot.core.vocabulary import SERVER_ERROR, Signals

_TRACEBACK = compile_linear(
    r"Traceback \(most recent call last\)|^\s+at \S.*[(:]\d+|^\s*File \"[^\"]+\", line \d+",
    multiline=True,
)
# An error field or label: "error": / 'error': / error= / "detail":, or a text that opens with
# an exception class ("OSError: [WinError 11002] ... means that ..." is output, not prose),
# matched in lower case.
_ERROR_BODY = compile_linear(
    r"(?:^|[^a-z0-9_])error[\"']?\s*[:=]|\"detail\"\s*:|\A\s*[\w.]*(?:error|exception):"
)
# A traceback's frame (Python's or Node's), and a line that names the exception it ends with
# ("KeyboardInterrupt", "x.Y: msg"): a traceback with frames and no such line was cut short.
_FRAME = compile_linear(
    r"^\s*File \"[^\"]+\", line \d+[^\n]*|^\s+at \S[^\n]*[(:]\d+[^\n]*", multiline=True
)
_EXCEPTION_LINE = compile_linear(r"^[A-Za-z_][\w.]*(?::[^\n]*)?$", multiline=True)


PROSE_WORDS = 60  # a failure report this short may name its status in any words
OPENING_WORDS = 12  # a message this short that opens with a code reports it, in any words
# A message's first word is an error code: "401 dá sempre", "413 tho. image was 18mb"
_OPENING_CODE = compile_linear(r"\A\W{0,3}[45]\d\d\b")
SERVER_STATUS = STRONG * 0.75  # a status line's weight, even late in a long paste


@dataclass(slots=True)
class Findings:
    """Everything the matcher needs to know about a paste besides the knowledge hits."""

    signals: list[Evidence] = field(default_factory=list)  # evidence of a status code
    transport: list[Evidence] = field(default_factory=list)  # failures with no status
    server_error_class: Evidence | None = None  # InternalServerError: some 5xx, not printed
    report: Evidence | None = None  # "the API doesn't work": a failure with no error text
    traceback: bool = False
    error_body: bool = False
    retry_log: bool = False  # two or more attempts' lines, each with its status
    earlier_attempts: frozenset[str] = frozenset()  # a retry log's codes before its last one
    prose: Prose = field(default_factory=Prose)
    transport_last: bool = False  # the final exception is a transport failure, or a proxy blocks
    wrapped: Evidence | None = None  # the upstream's failure inside a gateway's own status
    word_count: int = 0

    @property
    def pasted(self) -> bool:
        """The person pasted what happened (a traceback, an error body, a retry log)."""
        return self.traceback or self.error_body or self.retry_log

    @property
    def looks_like_report(self) -> bool:
        """A paste or a sentence that says something failed, as opposed to chatter."""
        return (
            self.traceback
            or self.error_body
            or self.prose.report_words
            or bool(self.signals or self.transport or self.server_error_class)
        )


def _server_answered(found: Findings, classes: list[Evidence], signals: Signals) -> bool:
    """Whether the final exception's own message prints a status in an HTTP context, or a
    Fireworks envelope code (`AuthenticationException: {"error": {"code": "UNAUTHORIZED"...`:
    LangChain4j's class for a 401 or 403, whose body is all it prints).

    Not when that exception is the user's proxy refusing (`ProxyError: 403 Forbidden`): the
    status is then the proxy's.
    """
    failure = max((e for e in classes if e.code is None), key=lambda e: e.start)
    if failure.entry in {term.meaning for term in signals.proxies}:
        return False
    return any(
        s.start > failure.start
        and (s.kind is Kind.ENVELOPE or (s.kind is Kind.STATUS and s.weight >= SERVER_STATUS))
        for s in found.signals
    )


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position)


def _unwrap(found: Findings, wrapped: tuple[str, Evidence] | None) -> None:
    """Answer the upstream's failure, not the status of the gateway that wrapped it."""
    if wrapped is None:
        return
    outer, inner = wrapped
    found.signals = [e for e in found.signals if e.code != outer]
    if outer.startswith("5"):
        found.server_error_class = None  # the wrapper's own class (InternalServerError)
    found.transport_last = found.transport_last or inner.code is None
    found.wrapped = inner


def extract(text: str, signals: Signals) -> Findings:
    """Read a prepared paste (see `bot.core.prepare.prepare`) with the knowledge's signals."""
    paste = Paste.of(text, signals.chain)
    found = Findings()
    found.signals += status_lines(paste, signals.statuses)
    classes, ends_in_failure = exception_classes(paste, signals)
    for evidence in classes:
        if evidence.code == SERVER_ERROR:
            found.server_error_class = evidence
        elif evidence.code:
            found.signals.append(evidence)
        else:
            found.transport.append(evidence)
    envelopes = envelope_codes(paste, signals)
    found.transport += transport_phrases(paste, signals)
    # "HTTP/2 stream 1 was not closed cleanly: INTERNAL_ERROR": HTTP/2's code, not Fireworks'
    failing_lines = {_line_of(text, e.start) for e in found.transport if e.entry}
    found.signals += [e for e in envelopes if _line_of(text, e.start) not in failing_lines]
    proxies, proxy_blocks = own_proxy(paste, signals)
    found.transport += proxies
    if ends_in_failure and _server_answered(found, classes, signals):
        ends_in_failure = False  # litellm's Timeout for a 504: the client's name for a status
    found.transport_last = ends_in_failure or proxy_blocks
    found.signals += attempt_statuses(paste, found.signals, signals.retries, signals.statuses)
    attempts = latest_attempt(paste, found.signals, signals.retries)
    found.signals, found.retry_log = attempts.signals, attempts.is_log
    found.earlier_attempts = attempts.earlier
    wrapped = innermost(paste, found.signals, found.transport, signals)
    _unwrap(found, wrapped or mesh_reply(paste, found.signals, found.transport, signals))
    found.traceback = _TRACEBACK.search(paste.view) is not None
    found.error_body = _ERROR_BODY.search(paste.view_lowered) is not None
    found.prose = prose(paste, signals)
    said = found.prose.failing or found.prose.error_said
    # "my friend's fireworks calls keep failing", "would be nice if errors said more": not the
    # writer's failure
    words = found.prose
    if said and not (words.someone_else or (words.topic and not words.ongoing)):
        start, end = said
        found.report = Evidence(Kind.REPORT, 1.0, text[start:end], start, end)
    # "Fehler 429 von Fireworks": a status named in one line of prose, in any language; and
    # "what does 429 mean? I keep getting it", "is 412 expected? getting it on every request":
    # a question about a code one keeps hitting.
    found.word_count = len(text.split())
    asks = found.prose.question or found.prose.asks_meaning
    keeps_hitting = asks and found.prose.ongoing
    if found.prose.failing or keeps_hitting:
        asking = found.prose.question and not keeps_hitting
        short = found.word_count <= PROSE_WORDS and not asking
        if not found.signals and not found.traceback and short:
            found.signals += loose_statuses(paste, signals.statuses)
    if not found.signals and _opens_with_a_code(found.word_count, paste, signals.statuses):
        found.signals += loose_statuses(paste, signals.statuses)[:1]
    about_the_api = _about_the_api(found, paste, signals)
    nothing = found.report is None and not (found.signals or found.transport)
    # frames shown for a review ("that's where I call fireworks, can someone review ...?")
    if nothing and found.traceback and about_the_api and not found.prose.teaching:
        found.report = _cut_short(text)
    if not about_the_api:
        found.transport = [e for e in found.transport if e.source != UNNAMED_CLASS]
    return found


def _opens_with_a_code(word_count: int, paste: Paste, words: StatusWords) -> bool:
    """A short message whose first word is an error code, whatever language follows it: the
    lists of words that keep a code a status can't know every language's verb. Not one that
    says what the number is ("429 is such a cursed number")."""
    if word_count > OPENING_WORDS:
        return False
    opening = _OPENING_CODE.search(paste.view)
    if opening is None or opening[0][-3:] not in words.codes:  # "420 blaze it": no HTTP status
        return False
    return not is_described(paste.text, opening.end(), words)


def _cut_short(text: str) -> Evidence | None:
    """A traceback about the API that stops in its frames, before the line naming its
    exception (a paste cut short, a screenshot's end): some failure, which one unknown. Its
    last frame; None when an exception line follows it (`KeyboardInterrupt`: no class ending
    says it failed, but it ends the traceback)."""
    frames = list(_FRAME.finditer(text))
    if not frames or _EXCEPTION_LINE.search(text, frames[-1].end()):
        return None
    last = frames[-1]
    return Evidence(Kind.REPORT, 1.0, last[0], last.start(), last.end())


def _about_the_api(found: Findings, paste: Paste, signals: Signals) -> bool:
    """An exception no signal names counts unless the paste is thanks, someone's own unrelated
    bug, or a traceback that never touches the API (`resp.choices[0]`, "fireworks")."""
    words = found.prose
    if (
        words.resolved
        or words.not_fireworks
        or words.own_system
        or words.own_failure
        or words.owned
    ):
        return False
    if not found.traceback:  # a line pasted in a Fireworks help channel: about the API
        return True
    return signals.api_context is not None and signals.api_context.search(paste.view_lowered)
