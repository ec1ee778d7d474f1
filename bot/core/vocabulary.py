"""The vocabulary the detectors read, as typed data: what `knowledge/signals/*.yaml` hold.

The files are read and checked by `bot.knowledge.signals`; the core only reads these values, so a
moderator's new word reaches every detector without the core knowing where it was written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.linear_re import Regex
from bot.core.ocr import OcrRules
from bot.core.paste import NO_CHAIN, Chain
from bot.core.statuses import StatusWords

UNKNOWN = "unknown"  # no status and no entry: a human should look
NONE = "none"  # an example the bot must stay quiet on
SERVER_ERROR = "5xx"  # some server error whose status the client doesn't print


@dataclass(frozen=True, slots=True)
class Term:
    """One line of a signals file: what to look for, what it means, and where it is written."""

    text: str
    meaning: str
    file: str
    line: int
    # `regex: ...` written as the phrase: a message with a number in it ("timeout of 60000ms
    # exceeded"), searched for as RE2 in the lower-cased paste
    pattern: Regex | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class SignalExample:
    """A paste a signals file promises an answer for: `check` runs it in passive mode.

    `expect` is a status code, an entry id, `unknown` (escalated, no entry) or `none` (quiet).
    """

    text: str
    expect: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class Signals:
    """Every word list of `knowledge/signals/`, ready for the detectors."""

    exceptions: Mapping[str, Term]  # class name -> code, entry id, unknown or 5xx
    transport: tuple[Term, ...]  # lower-case phrase -> entry id or unknown
    proxies: tuple[Term, ...]  # the user's own proxy: any status is the proxy's
    envelopes: Mapping[str, Term]  # envelope code name -> status code
    statuses: StatusWords
    examples: tuple[SignalExample, ...] = ()
    report_words: frozenset[str] = frozenset()
    report_stems: tuple[str, ...] = ()
    report_phrases: tuple[str, ...] = ()
    resolved: Regex | None = None
    not_resolved: tuple[str, ...] = ()
    # Resolved words that only thank: beside a tool's failure sentence in quotes, mockery
    thanks: frozenset[str] = frozenset()
    new_failure: Regex | None = None  # after "fixed that": "now it's 429", a new failure
    not_fireworks: Regex | None = None
    # words just before a `not_fireworks` match that make it a sibling's ('other models fine')
    siblings: tuple[str, ...] = ()
    own_system: Regex | None = None
    own_gateway: Regex | None = None  # the user's gateway in front of Fireworks answered itself
    # The same told in parts: a gateway's name (or its own reply's body) on a line with a word
    # relating it to Fireworks ("in front of", "-> fireworks"); the statuses a gateway gives
    # itself; and words that say Fireworks answered the status ("fireworks returns 502").
    gateways: Regex | None = None
    gateway_replies: Regex | None = None  # a gateway's own reply body: its line may say no more
    gateway_refusals: Regex | None = None  # "RBAC: access denied": a gateway refused, not Fireworks
    fronting: Regex | None = None
    fireworks_names: Regex | None = None  # the line must name Fireworks too
    gateway_codes: frozenset[str] = frozenset()
    fireworks_answered: Regex | None = None
    teaching: Regex | None = None
    hypothetical: Regex | None = None
    question: Regex | None = None
    how_to: Regex | None = None
    failing: Regex | None = None  # read in the paste as written: any language
    failing_what: Regex | None = None
    # Failure words a misspelling of which still says so ("faling", "faild"), and the real
    # words one edit from them that are never such a misspelling ("filing", "broker").
    misspelt_failing: tuple[str, ...] = ()
    not_misspelt: frozenset[str] = frozenset()
    # An error that keeps coming, told in any language with no verb of failure ("error terus",
    # "постоянно ошибки"): an error noun and a word of persistence together report it.
    error_nouns: Regex | None = None
    persistence: Regex | None = None
    # An error noun as what the person gets or sees ("getting errors on all models"): with a
    # `failing_what` word, a report in a Fireworks help channel, with or without the name.
    receiving: frozenset[str] = frozenset()
    # The person's own code or tooling said to fail ("my parser crashes", "vercel build
    # failed"): no failure of the API, so nothing for a human to look at.
    own_things: frozenset[str] = frozenset()
    not_own_before: frozenset[str] = frozenset()  # "the dashboard", "your dashboard": theirs
    owned: Regex | None = None  # "my bad, forgot to init state": the writer owns the failure
    # What the model says, not whether the API answered ("keeps repeating itself", "ignores my
    # system prompt"): sampling and prompts are the person's to tune, no failure to hand over.
    model_behaviour: Regex | None = None
    # An error noun on a line that names Fireworks reports one too, unless the words beside it
    # count none ("0 errors") or make errors the subject ("error rates", "handling errors").
    no_errors: tuple[str, ...] = ()
    error_topics_after: frozenset[str] = frozenset()
    error_topics_before: tuple[str, ...] = ()
    # Mentions, not reports: a quote of the docs, a failure long past, "what does 520 mean?";
    # and what makes any of them a report again ("I keep getting it").
    quoting: Regex | None = None
    past: Regex | None = None
    asks_meaning: Regex | None = None
    # A dropped connection said to break before any response ("right after sending the
    # request"): of `dropped`'s two entries, the reset, not the cut-off stream.
    before_response: Regex | None = None
    ongoing: Regex | None = None
    negations: tuple[str, ...] = ()  # just before an `ongoing` phrase: "not hitting it"
    outage: Regex | None = None  # "fw down?": a report with no error text, even as a question
    api_context: Regex | None = None  # the paste is about calling the API (resp.choices, ...)
    # A status as a topic, not a failure: a suggestion, a limit request, a test's mock, a joke
    status_topics: Regex | None = None
    # Another service answered ("openrouter gives me 502"), unless Fireworks' answer is inside
    # (`wrapped_fireworks`: "... 502 from fireworks"); another person got it ("my friend keeps
    # getting 401"), unless the writer gets it too (`me_too`). From `services.yaml`.
    elsewhere: Regex | None = None
    wrapped_fireworks: Regex | None = None
    someone_else: Regex | None = None
    me_too: Regex | None = None
    # Words that say a status or failure printed inside another's message is the upstream's
    # (Fireworks') own answer: "upstream", "Fireworks_aiException", "provider returned error".
    inner: tuple[str, ...] = ()
    # Words just before a status, after the inner answer, that name it the wrapper's own:
    # "... the inner error is: {...413...} outer status was 502".
    outer: tuple[str, ...] = ()
    # Words just after such a status that name it the answer to the wrapper's own callers:
    # "... with HTTP 500 to the frontend".
    outer_after: tuple[str, ...] = ()
    # Words that mark an attempt's line in a retry log ("attempt 3 -> 504", "Retrying ... 502"):
    # the last attempt's status is the answer, not the earlier ones.
    retries: tuple[str, ...] = ()
    # Other words for what a message says, as (phrase, canonical) pairs, longest first: an
    # error message and the knowledge are compared in the canonical words.
    paraphrases: tuple[tuple[str, str], ...] = ()
    ocr: OcrRules = field(default_factory=OcrRules)  # text copied from a picture
    # The fixed words the detectors' grammar looks for (`markers.yaml`), as written:
    class_endings: tuple[str, ...] = ()  # what a client's exception class name ends with
    chain: Chain = NO_CHAIN  # what opens the next exception of a chained traceback
    # ...and lower case, as the lower-cased paste is searched:
    key_unset: tuple[str, ...] = ()  # after FIREWORKS_API_KEY: the key was never set
    blocking: tuple[str, ...] = ()  # a proxy or firewall's verb for refusing the Fireworks host
    passed_through: tuple[str, ...] = ()  # the proxy relayed Fireworks' own answer
    # transport.yaml phrases that are a proxy's own answer body, sent with a status
    local_replies: frozenset[str] = frozenset()
    meshes: tuple[str, ...] = ()  # the person's own mesh, whose Envoy sends those replies
    dropped: tuple[str, ...] = ()  # a dropped connection's entries: before any answer, during
    proxy_names: frozenset[str] = frozenset()  # proxies.yaml lines that name a proxy, no failure
    told_after_code: tuple[str, ...] = ()  # "print(resp) gives ...": the person's words begin
    directory: Path | None = field(default=None, compare=False)
