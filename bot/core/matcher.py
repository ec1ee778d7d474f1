"""Decide which known error a paste is about, and whether to answer, escalate or stay quiet."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.decision import Candidate, Decision, Mode
from bot.core.detectors.exception_classes import UNNAMED_CLASS
from bot.core.detectors.prose import inline_quotes
from bot.core.entry import Entry
from bot.core.evidence import Evidence, Kind
from bot.core.extract import Findings, extract
from bot.core.index import Hit
from bot.core.linear_re import for_re2
from bot.core.model import Knowledge
from bot.core.ocr import repair
from bot.core.prepare import prepare
from bot.core.review import under_review
from bot.core.statuses import STRONG, StatusWords, without_status_tables

PASSIVE_THRESHOLD = 0.55
SHORT_MESSAGE_WORDS = 8
# A status printed in an HTTP context outranks a message string or an exception class.
PINNING_WEIGHT = STRONG * 0.75
# Confidence is `total / (total + HALF_STRENGTH)`: evidence of this total is half-sure, and
# more evidence saturates instead of growing without bound.
HALF_STRENGTH = 1.5
# A rival code as strong as the best takes this share off the confidence: two codes, unsure.
RIVAL_DISCOUNT = 0.35
# The ceiling of a raw score: no evidence makes the matcher certain; an autocomplete pick, the
# surest case there is, gets the ceiling too.
MAX_CONFIDENCE = 0.99
# A generic entry's edge over its specific siblings, so it wins a tie with no evidence of
# either; an entry whose total is no more than this has no evidence and isn't a candidate.
GENERIC_EDGE = 0.05
# Entries of a code without hits of their own can only tie: this many stand in for the rest.
STAND_INS = 3
KEPT_CANDIDATES = 5  # the ranking a decision keeps: autocomplete lists them after the answer
# A named transport failure has no rival code to discount it, but its phrases weigh little
# (one weighs 1.0): the head start scores one named phrase 0.625 where it would get 0.4.
FAILURE_HEAD_START = 1.5


@dataclass(slots=True)
class _Score:
    """Evidence for a code or an entry: the strongest of each kind, so repeats don't pile up."""

    best: dict[str, float] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    seen: set[tuple[object, ...]] = field(default_factory=set)

    def add(self, evidence: Evidence) -> None:
        bucket = _BUCKETS.get(evidence.kind, "phrase")
        self.best[bucket] = max(self.best.get(bucket, 0.0), evidence.weight)
        # The same words again (10,000 identical lines) are one piece of evidence.
        key = (evidence.kind, evidence.code, evidence.entry, evidence.text)
        if key not in self.seen:
            self.seen.add(key)
            self.evidence.append(evidence)

    @property
    def total(self) -> float:
        return sum(self.best.values())


# Kinds that add up when they agree; aliases, reason phrases and typos share one bucket.
_BUCKETS = {
    Kind.STATUS: "status",
    Kind.EXCEPTION: "exception",
    Kind.ENVELOPE: "envelope",
    Kind.PATTERN: "pattern",
    Kind.FUZZY: "fuzzy",
}
_EXACT = (Kind.STATUS, Kind.PATTERN, Kind.ENVELOPE)  # what outranks a transport failure
_FIREWORKS_WORDS = (Kind.PATTERN, Kind.ENVELOPE)  # Fireworks' own message or error body
_ASSERTING = (Kind.PATTERN, Kind.ENVELOPE, Kind.EXCEPTION)  # the text states the error


def _code_scores(found: Findings) -> dict[str, _Score]:
    scores: dict[str, _Score] = defaultdict(_Score)
    for signal in found.signals:
        scores[signal.code].add(signal)
    return scores


def _confidence(best: float, runner_up: float) -> float:
    """Saturating in the evidence, discounted when another code is nearly as likely."""
    strength = best / (best + HALF_STRENGTH)
    return max(0.0, min(MAX_CONFIDENCE, strength * (1 - RIVAL_DISCOUNT * runner_up / best)))


def _rank(knowledge: Knowledge, found: Findings, hits: list[Hit]) -> list[Candidate]:
    codes = _code_scores(found)
    lines = [s for s in found.signals if s.weight >= PINNING_WEIGHT and s.kind is Kind.STATUS]
    pinned = {max(lines, key=lambda s: s.start).code} if lines else set()
    own: dict[str, _Score] = defaultdict(_Score)
    hit_entries: dict[str, list[Entry]] = defaultdict(list)
    for hit in hits:
        if not hit.entry.code:  # an entry with no status answers through its signals
            continue
        if hit.entry.code in found.earlier_attempts:  # an earlier try's "502 Bad Gateway"
            continue
        own[hit.entry.id].add(hit.evidence)
        codes.setdefault(hit.entry.code, _Score())
        if hit.entry not in hit_entries[hit.entry.code]:
            hit_entries[hit.entry.code].append(hit.entry)
    scored: list[tuple[float, Entry, list[Evidence]]] = []
    for code, code_score in codes.items():
        if pinned and code not in pinned:
            continue
        default = knowledge.for_code(code)[:STAND_INS]
        for entry in dict.fromkeys([*default, *hit_entries[code]]):
            specific = own.get(entry.id, _Score())
            total = code_score.total + specific.total + (GENERIC_EDGE if entry.generic else 0.0)
            if total > GENERIC_EDGE:
                scored.append((total, entry, code_score.evidence + specific.evidence))
    scored.sort(key=lambda item: (-item[0], item[1].id))
    if not scored:
        return []
    best_code = scored[0][1].code
    runner_up = next((s for s, e, _ in scored if e.code != best_code), 0.0)
    return [
        Candidate(
            entry, _confidence(total, runner_up if entry.code == best_code else total), tuple(ev)
        )
        for total, entry, ev in scored[:KEPT_CANDIDATES]
    ]


def _failure(knowledge: Knowledge, found: Findings, text: str) -> Candidate | None:
    """The entry with no status that the paste's transport evidence names most strongly."""
    scores: dict[str, _Score] = defaultdict(_Score)
    # A proxy's name says where a failure happened; a failure phrase with an entry says what
    # happened there (a certificate failure behind Zscaler is the certificate's entry).
    failed = any(e.kind is not Kind.PROXY and e.entry for e in found.transport)
    names = knowledge.signals.proxy_names
    for evidence in found.transport:
        if failed and evidence.kind is Kind.PROXY and evidence.source.lower() in names:
            continue
        entry = knowledge.by_id.get(evidence.entry or "")
        if entry is not None and not entry.code:
            scores[entry.id].add(evidence)
    if not scores:
        return None
    best = max(scores, key=lambda entry_id: (scores[entry_id].total, entry_id))
    score = scores[best]
    return Candidate(
        knowledge.by_id[_when_it_broke(best, text, knowledge)],
        _confidence(score.total + FAILURE_HEAD_START, 0.0),
        tuple(score.evidence),
    )


def _when_it_broke(entry_id: str, text: str, knowledge: Knowledge) -> str:
    """A phrase that names a cut-off stream (`dropped` in markers.yaml: the reset, the cut-off)
    said to happen before any response is a reset: Ruby's "end of file reached" right after
    sending the request. (Not the other way round: a reset said to happen mid-stream is still
    the reset its client named.)"""
    signals = knowledge.signals
    dropped, before = signals.dropped, signals.before_response
    if len(dropped) != 2 or entry_id != dropped[1] or dropped[0] not in knowledge.by_id:
        return entry_id
    return dropped[0] if before is not None and before.search(for_re2(text.lower())) else entry_id


def _unknown_evidence(found: Findings, knowledge: Knowledge) -> list[Evidence]:
    """Why the text is an error report that no entry covers, if it is one."""
    evidence = [s for s in found.signals if s.code not in knowledge.by_code]
    evidence += found.transport
    if found.server_error_class:
        evidence.append(found.server_error_class)
    return evidence


def _chatter(
    found: Findings,
    asserted: bool,
    named_only: bool = False,
    named: Sequence[Evidence] = (),
    shown: bool = False,
) -> bool:
    """Passive mode stays out of thanks, 'it was our proxy' and questions that report nothing.

    `asserted`: the text states the error (an HTTP status line, a message string, a class);
    `named_only`: what states it is only quoted in a sentence, which a plan or a question names
    without hitting it ("how to fix 'Model not found'?" still reports it).
    Someone whose own proxy blocks Fireworks and who asks for help is not chatter, though.
    `shown`: a status line stands on a line of its own, apart from the question (`_shown`).
    """
    words = found.prose
    paste = found.pasted
    # the first error a docs quote could quote: a status, or a message string naming one (n8n's
    # "The resource you are requesting could not be found". Url is from the docs), or a failure
    # with an entry ("curl: (5) Could not resolve proxy ... the example from the docs")
    # (an entry's alias is a name, not a message: the docs call 429 "Over Quota")
    told = [e for e in named if e.kind not in (Kind.ALIAS, Kind.TYPO)]
    failures = [e for e in found.transport if e.entry]
    first_error = _first_start((*found.signals, *told, *failures))
    teaching = words.teaching and not words.outage  # "down for anyone else?" reports it
    if (teaching or words.mention(first_error, shown)) and not paste:
        return True
    # another person's error, or a status as a topic ("would be nice if 429s said when")
    if (words.someone_else or (words.topic and not words.ongoing)) and not paste:
        return True
    # "our proxy blocks Fireworks, help?", or the client's exception says it refused
    # ("httpx.ProxyError: 503 ... from our squid proxy"); a failure no entry covers doesn't
    # say what blocked
    named_by = words.asks or any(e.entry and e.kind is Kind.EXCEPTION for e in found.transport)
    blocked = named_by and any(e.entry and e.kind is Kind.PROXY for e in found.transport)
    wrapped = found.wrapped is not None  # "our service returns 500: fireworks sent 503"
    if not blocked and not wrapped:
        # "not fireworks", "fireworks is fine": paste or not; not a gateway's own reply told in
        # front of Fireworks ("Vercel says 504: ... FUNCTION_INVOCATION_TIMEOUT on my route
        # (fireworks inside)"), nor a status from a gateway in front of Fireworks that never
        # let the call through ("our API Gateway in front of fireworks returns 403, not
        # fireworks"): the gateway is the person's, another service by name or not
        own_reply = words.gateway_fronts and (words.gateway_replied or bool(found.signals))
        if words.not_fireworks and not own_reply:
            return True
        # "that 502 came from our nginx"; not "our nginx in front of fireworks returns 502",
        # nor "... and its log says upstream api.fireworks.ai responded 502"
        fronts = words.own_gateway or words.gateway_fronts or words.fireworks_answered
        if words.own_system and not paste and not fronts:
            return True
    # a retry log that ends "works now, thanks" is resolved; a traceback pasted with thanks isn't
    if not (found.traceback or found.error_body) and words.resolved:
        return True
    if words.hypothetical and words.question and not paste and not words.ongoing:
        return True  # "¿... el error 429 ...? Solo pregunto, todavía no me pasó"
    if words.hypothetical:
        return not asserted or named_only
    if words.how_to and not paste and not words.ongoing:
        return not asserted
    reports = words.report_words or words.ongoing or words.outage  # "is fw down?" reports it
    return words.question and not reports and (not asserted or named_only)


def _gateways_own(found: Findings, best: Candidate | None, knowledge: Knowledge) -> bool:
    """The status is the user's own gateway's, in front of Fireworks, and nothing says what
    Fireworks answered it: no inner status or failure, no Fireworks message. A human looks."""
    words = found.prose
    if found.wrapped is not None or any(e.kind in _FIREWORKS_WORDS for e in _evidence(best)):
        return False
    if any(e.entry for e in found.transport):  # a failure with an entry is what happened
        return False
    if words.gateway_refused and not words.fireworks_answered:  # "RBAC: access denied", a 403
        return True
    if not (words.own_gateway or words.gateway_fronts):
        return False
    # a second status is the inner one; a reason phrase alone ("returns Bad Gateway") names one
    codes = {s.code for s in found.signals} or ({best.entry.code} if best else set())
    if len(codes) != 1:
        return False
    if words.fireworks_answered:  # "... logs upstream 503 from api.fireworks.ai"
        return False
    if words.own_gateway:
        return True
    # Told in parts: only a status a gateway gives itself, and not one a client's exception
    # prints for its own call ("openai.InternalServerError: Error code: 500", "lambda ->
    # fireworks"): that client is what calls Fireworks.
    client = found.traceback or found.server_error_class is not None
    client = client or any(s.kind is Kind.EXCEPTION for s in found.signals)
    # a gateway's own reply body says whose status it is, a 504 too (Vercel's page: "504:
    # GATEWAY_TIMEOUT Code: FUNCTION_INVOCATION_TIMEOUT", its function ran out of time)
    return not client and (codes <= knowledge.signals.gateway_codes or words.gateway_replied)


def _mention_only(found: Findings) -> bool:
    """A question, plan, lesson or past event that names a failure without pasting one: it
    may be answered, never escalated (nobody is hitting anything a human could look at)."""
    words = found.prose
    if found.pasted or words.ongoing or words.outage:
        return False
    asking = words.question and not words.report_words
    # a docs quote after the status it could quote says the docs disagree ("fireworks returned
    # HTTP 422 ... docs say n is supported?"): the status was hit
    first_status = _first_start(found.signals)
    return (
        asking
        or words.hypothetical
        or words.teaching
        or words.how_to
        or words.resolved
        or words.someone_else
        or words.topic
        or words.mention(first_status)
    )


def diagnose(
    text: str,
    knowledge: Knowledge,
    mode: Mode = "explicit",
    *,
    leave_out: str = "",
    prepared: str | None = None,
) -> Decision:
    """Rank the entries for `text` and decide what the bot should do with it.

    `leave_out`: an entry example the fuzzy memory must not use (`check` tests examples).
    `prepared`: `text` through `prepare`, when the caller made it already.
    """
    chosen = knowledge.by_id.get(text.strip()) if mode == "explicit" else None
    if chosen is not None:  # an autocomplete pick names its entry
        picked = Evidence(Kind.ENTRY, 1.0, chosen.id, entry=chosen.id, code=chosen.code or None)
        return _verdict(Candidate(chosen, MAX_CONFIDENCE, (picked,)), [])
    if prepared is None:
        prepared = prepare(text)
    read = repair(without_status_tables(prepared), knowledge.signals.ocr)
    found = extract(read, knowledge.signals)
    hits = knowledge.index.hits(read, bool(found.signals), leave_out)
    candidates = _rank(knowledge, found, hits)
    unknown = _unknown_evidence(found, knowledge)
    best = candidates[0] if candidates else None
    # A transport failure explains the paste unless a status or a message string says otherwise.
    # An exception no signal names says something failed, not that the transport did.
    named = [e for e in found.transport if e.source != UNNAMED_CLASS]
    # A status line outside the table ("api.fireworks.ai | 522: Connection timed out") says so too.
    off_table = any(
        s.weight >= PINNING_WEIGHT and s.code not in knowledge.by_code for s in found.signals
    )
    transport_last = found.transport_last or (
        bool(named) and not off_table and not any(e.kind in _EXACT for e in _evidence(best))
    )
    failure = _failure(knowledge, found, read) if transport_last else None
    # A failure no entry covers (LangChain4j's AuthenticationException) doesn't hide the exact
    # Fireworks answer its message quotes ({"code": "UNAUTHORIZED", ...}).
    if failure is None and any(e.kind in _FIREWORKS_WORDS for e in _evidence(best)):
        transport_last = False

    if mode == "explicit":
        if failure is not None:
            return _verdict(failure, candidates)
        if best is None or transport_last:
            if not unknown and found.report is not None:
                unknown = [found.report]  # shown as what was recognised; pages nobody
            return Decision("escalate", None, 0.0, tuple(unknown), tuple(candidates))
        if _gateways_own(found, best, knowledge):  # the gateway answered, not Fireworks
            return Decision("escalate", None, 0.0, tuple(found.signals), tuple(candidates))
        return _verdict(best, candidates)

    strong = any(
        _is_strong(e, knowledge.signals.statuses) or _after_its_code(e, read)
        for e in _evidence(best)
    )
    # A question that only mentions a status ("do 429 responses carry Retry-After?") is chatter.
    stating = [e for e in _evidence(best) if e.kind in _ASSERTING]
    quotes = [] if found.traceback or found.error_body else inline_quotes(read)
    # an envelope code quoted in a sentence names it ("is `DEPLOYMENT_SCALING_UP` ...?")
    pinned = any(
        s.weight >= PINNING_WEIGHT and not (s.kind is Kind.ENVELOPE and _quoted(s, quotes))
        for s in found.signals
    )
    # a failure named inside a pasted traceback: "is this on my end? <stack trace>"
    traced = bool(named) and found.traceback
    asserted = bool(stating) or pinned or traced
    # ... and a message only named in quotes in a sentence, with no paste ('is "..." a 429 or
    # a 504?', 'haven't hit "..." yet'), states it no more than the question does
    named_only = not (pinned or traced) and all(_quoted(e, quotes) for e in stating)
    if _chatter(found, asserted, named_only, _evidence(best), _shown(found, read)):
        return Decision("ignore", None, 0.0, (), tuple(candidates))
    seen = [*_evidence(best), *found.signals, *found.transport, *_extra(found)]
    if under_review(read, seen, knowledge.signals):  # `case 429:` in code sent for review
        return Decision("ignore", None, 0.0, (), tuple(candidates))
    if _gateways_own(found, best, knowledge):  # "our nginx in front of fireworks returns 502"
        return Decision("escalate", None, 0.0, tuple(found.signals), tuple(candidates))
    reported = strong or found.prose.report_words or found.word_count <= SHORT_MESSAGE_WORDS
    if best and not transport_last and best.confidence >= PASSIVE_THRESHOLD and reported:
        if best.entry.escalate and _mention_only(found):  # "what does 'error code: 520' mean?"
            return Decision("ignore", None, 0.0, (), tuple(candidates))
        return _verdict(best, candidates)
    if failure is not None and found.looks_like_report:
        return _verdict(failure, candidates)
    words = found.prose
    mention = _mention_only(found)
    # "TypeError: Cannot read properties of undefined ... forgot to init state, nvm"; "the model
    # keeps repeating itself" (its answers, which no human at support changes)
    disowned = words.not_fireworks or words.owned or words.model_behaviour
    if unknown and found.looks_like_report and not mention and not disowned:
        return Decision("escalate", None, 0.0, tuple(unknown), tuple(candidates))
    asking = words.question and not words.outage  # "is fw down?" reports it
    # "API returns 200 fine, but my own code crashes"; "my parser crashes", "vercel build
    # failed"; "... JSONDecodeError ... the body was our own config file, fixed"
    own = disowned or words.own_system or words.own_failure or words.resolved
    if found.report is not None and not asking and not own and not mention:  # "it doesn't work"
        return Decision("escalate", None, 0.0, (found.report,), tuple(candidates))
    return Decision("ignore", None, 0.0, (), tuple(candidates))


def _first_start(evidence: Sequence[Evidence]) -> int | None:
    """Where the first of `evidence` with a place in the text starts."""
    return min((e.start for e in evidence if e.start >= 0), default=None)


def _shown(found: Findings, text: str) -> bool:
    """A status line, then a question on another line ("HTTP/2 412" from curl, then "what's a
    412??"): output the person got and asks about, not a code named in the question."""
    for signal in found.signals:
        if signal.weight < PINNING_WEIGHT or signal.start < 0:
            continue
        start = text.rfind("\n", 0, signal.start) + 1
        end = text.find("\n", signal.end)
        end = len(text) if end < 0 else end
        if "?" not in text[start:end] and "?" in text[:start] + text[end:]:
            return True
    return False


def _extra(found: Findings) -> list[Evidence]:
    return [e for e in (found.server_error_class, found.report) if e is not None]


def _is_strong(evidence: Evidence, words: StatusWords) -> bool:
    """Statuses, classes and message strings; a standard reason phrase, or one naming a code."""
    if evidence.kind is Kind.FUZZY:  # it resembles a message Fireworks sends: it states one
        return True
    if evidence.kind not in (Kind.ALIAS, Kind.REASON, Kind.TYPO):
        return True
    phrase = evidence.source.lower()
    if any(char.isdigit() for char in phrase):  # "cloudflare 520"
        return True
    return phrase in words.reasons and phrase not in words.common_reasons


def _after_its_code(evidence: Evidence, text: str) -> bool:
    """A reason phrase, or a typo of one, right after its own code ("401 Unauthroized", "403 -
    Forbiden"): the status line as printed, however common the phrase or misspelt."""
    if evidence.kind not in (Kind.ALIAS, Kind.REASON, Kind.TYPO) or not evidence.code:
        return False
    lowered, said = text.lower(), evidence.text.lower()  # a typo's evidence has no position
    start = lowered.find(said)
    while start >= 0:
        before = lowered[:start].rstrip(" \t-:")
        if before.endswith(evidence.code) and not before[-4:-3].isalnum():
            return True
        start = lowered.find(said, start + 1)
    return False


def _quoted(evidence: Evidence, quotes: list[tuple[int, int]]) -> bool:
    return any(start <= evidence.start and evidence.end <= end for start, end in quotes)


def _evidence(candidate: Candidate | None) -> tuple[Evidence, ...]:
    return candidate.evidence if candidate else ()


def _verdict(best: Candidate, candidates: list[Candidate]) -> Decision:
    action = "escalate" if best.entry.escalate else "answer"
    return Decision(action, best.entry, best.confidence, best.evidence, tuple(candidates))
