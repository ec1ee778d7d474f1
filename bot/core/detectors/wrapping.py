"""Wrapped errors: a gateway's or an app's own status around the answer Fireworks gave it.

A litellm proxy, an agent tool or the user's own service answers its caller with its own status
(500, 502, 422) and quotes what went wrong upstream: a Fireworks status, or a failure to reach
Fireworks at all. The innermost one says what to fix. The words that introduce the upstream's
answer are in `knowledge/signals/wrapping.yaml`; here is only where to look for them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from bot.core.evidence import Evidence, Kind
from bot.core.linear_re import compile_linear
from bot.core.paste import Paste
from bot.core.vocabulary import Signals
from bot.core.words import find_word

# A marker may follow the inner class it names: "RateLimitError: Fireworks_aiException - ...".
AFTER_INNER = 80
# How far before a status an `outer` word may name it the wrapper's: "outer status was 502".
BEFORE_OUTER = 40
# How far apart a wrapper's status and what it wraps may be: one exception's message (the
# corpus's farthest pair is 287 characters apart). A paste of a thousand codes is not read
# pair by pair.
WRAP_REACH = 1_000
# Between a wrapper and what it wraps there is no new traceback and no chained exception: a
# status in an exception that a later one replaced is its cause, and the later class is only
# the client's name for that status (litellm's BadRequestError for a 402), not a new answer.
_NEW_EXCEPTION = compile_linear(
    r"Traceback \(most recent call last\)|^\s*File \"|^\s+at \S|^\s*Caused by:"
    r"|^During handling of the above exception|^The above exception was the direct cause",
    multiline=True,
)


_CODE_FIELD = compile_linear(r"""^["']code["']""")
# An access-log line ('"POST /ask HTTP/1.1" 502'): a server's own answer to its client. Nobody
# sees Fireworks' access log, so it is the user's server or proxy, around what it got upstream.
_ACCESS_LOG = compile_linear(r"\"[A-Z]+ /\S*(?: HTTP/[\d.]+)?\"\s+[1-5]\d\d\b")
_ERROR_FIELD = compile_linear(r"""["']?(?:error|detail|message)["']?\s*[:=]""")


def _inner_candidates(
    paste: Paste, signals: list[Evidence], transport: list[Evidence], local: frozenset[str]
) -> list[Evidence]:
    """What can be wrapped: a status or a class naming one, or a failure that has an entry.
    A class whose own message prints a status ("litellm.Timeout: ... Error code: 504") is
    only the client's name for that status: the status is the candidate. A proxy's own answer
    body (`local`: Envoy's "upstream connect error ...") came with its status: not wrapped."""
    statuses = [e for e in signals if e.code and e.code[0] in "45"]
    failures = [
        e
        for e in transport
        if e.kind is not Kind.PROXY
        and e.entry
        and e.source.lower() not in local
        and not _prints_status(paste, e, statuses)
    ]
    return sorted(statuses + failures, key=lambda e: e.start)


def _prints_status(paste: Paste, failure: Evidence, statuses: list[Evidence]) -> bool:
    if failure.kind is not Kind.EXCEPTION:
        return False
    end = _line_end(paste, failure.end, len(paste.lowered))
    return any(failure.end <= s.start < end for s in statuses)


def _line_end(paste: Paste, start: int, most: int) -> int:
    """Up to `most` characters on from `start`, within its line: a marker after the inner
    failure names it in the same message, not in the user's words below the paste."""
    newline = paste.lowered.find("\n", start, start + most)
    return newline if newline >= 0 else start + most


def _named_outer(paste: Paste, words: Signals, outer: Evidence) -> bool:
    """An `outer` word on the status's line, just before it, or an `outer_after` word just
    after it ("HTTP 500 to the frontend"): the paste names it the wrapper's."""
    line_start = paste.lowered.rfind("\n", 0, outer.start) + 1
    before = _marked(paste, words.outer, max(line_start, outer.start - BEFORE_OUTER), outer.start)
    after = _line_end(paste, outer.end, BEFORE_OUTER)
    return before or _marked(paste, words.outer_after, outer.end, after)


def _marked(paste: Paste, words: tuple[str, ...], start: int, end: int) -> bool:
    window = paste.lowered[start:end]
    return any(find_word(window, word) != -1 for word in words)


def innermost(
    paste: Paste, signals: list[Evidence], transport: list[Evidence], words: Signals
) -> tuple[str, Evidence] | None:
    """The wrapper's status code and the inner evidence it wraps, if the paste shows one.

    The wrapper is a status printed before the inner one; the inner one differs from it and
    is introduced by one of the `inner` words, or (a failure with an entry) quoted in an error
    field of the wrapper's body. The innermost pair wins.
    """
    by_code: dict[str, list[Evidence]] = {}
    for e in sorted(signals, key=lambda e: e.start):
        if e.kind is Kind.STATUS and e.code and e.code[0] in "45" and not _labelled_inner(e, words):
            by_code.setdefault(e.code, []).append(e)
    if not by_code:
        return None
    starts = {code: [e.start for e in group] for code, group in by_code.items()}
    candidates = _inner_candidates(paste, signals, transport, words.local_replies)
    for inner in reversed(candidates):
        near = []  # the wrappers of another code within one message's reach of `inner`
        for code, group in by_code.items():
            if code != inner.code:
                low = bisect_left(starts[code], inner.start - WRAP_REACH)
                high = bisect_right(starts[code], inner.start + WRAP_REACH)
                near.extend(group[low:high])
        for outer in sorted(near, key=lambda e: e.start):
            if _wraps(paste, words, outer, inner):
                return outer.code or "", inner
    return None


def mesh_reply(
    paste: Paste, signals: list[Evidence], transport: list[Evidence], words: Signals
) -> tuple[str, Evidence] | None:
    """An Envoy reply (`local_replies`) in a message that names the person's own mesh
    (`meshes`): the one server status printed with it is their mesh's, around the failure the
    reply names."""
    replies = [e for e in transport if e.entry and _local_reply(e, words.local_replies)]
    if not replies or not any(find_word(paste.lowered, mesh) != -1 for mesh in words.meshes):
        return None
    codes = {e.code for e in signals if e.code}
    if len(codes) != 1:
        return None
    (code,) = codes
    return (code, replies[0]) if code.startswith("5") else None


def _local_reply(failure: Evidence, local: frozenset[str]) -> bool:
    """One of the `local` replies, or a longer phrase that opens with one (Envoy's reply with
    the reason it names: "... transport failure reason: delayed connect error: 111")."""
    said = failure.text.lower()
    return failure.source.lower() in local or any(said.startswith(reply) for reply in local)


def _access_logged(paste: Paste, status: Evidence) -> bool:
    """The status ends an access-log line ('"POST /v1/chat HTTP/1.1" 502 Bad Gateway'), whichever
    rule found it (its reason phrase's, too)."""
    line_start = paste.view.rfind("\n", 0, status.start) + 1
    return _ACCESS_LOG.search(paste.view[line_start : status.end]) is not None


def _labelled_inner(status: Evidence, words: Signals) -> bool:
    """A status whose own label says it is the upstream's: `"upstream_status": 503`."""
    label = status.text.lower()
    return any(label.startswith(word) for word in words.inner)


def _wraps(paste: Paste, words: Signals, outer: Evidence, inner: Evidence) -> bool:
    """Whether `outer` is a wrapper's status around `inner`, in one exception's message."""
    if inner.kind is Kind.STATUS and _named_outer(paste, words, inner):
        return False  # "... turned fireworks' 429 into a 502": the 502 wraps, it isn't wrapped
    if inner.kind is Kind.EXCEPTION and not (outer.code or "").startswith("5"):
        return False  # a 4xx passed through: the class is the client's name for that status
    if outer.start < inner.start:  # "500 from our api: upstream returned 429"
        if _CODE_FIELD.match(inner.text):  # the body's own "code" after its message: the wrapper's
            return False
        if _NEW_EXCEPTION.search(paste.view[outer.end : inner.start]):
            return False
        # the marker's words around the inner failure, not inside its own phrase ("upstream
        # connect error ..." is Envoy's answer, not an upstream's quoted)
        marked = _marked(paste, words.inner, outer.end, inner.start) or _marked(
            paste, words.inner, inner.end, _line_end(paste, inner.end, AFTER_INNER)
        )
        # a failure with an entry quoted in the wrapper's body: {"detail": "Connection error: ..."}
        quoted = inner.code is None and _ERROR_FIELD.search(
            paste.view_lowered[outer.end : inner.start]
        )
        return marked or bool(quoted)
    own_answer = _access_logged(paste, outer) or _named_outer(paste, words, outer)
    if inner.end <= outer.start and own_answer:
        # the wrapper's status told after what it wrapped: "the inner error is: {... 413 ...}
        # outer status was 502"; the inner one is marked as such before it or around it
        return _marked(paste, words.inner, max(inner.start - AFTER_INNER * 2, 0), inner.end)
    # A JSON envelope whose message quotes the upstream and whose "code" field comes after it:
    # {"error": {"message": "litellm.RateLimitError: Fireworks_aiException ...", "code": "500"}}
    if not _CODE_FIELD.match(outer.text) or inner.end > outer.start:
        return False
    if _NEW_EXCEPTION.search(paste.view[inner.end : outer.start]):
        return False
    return _marked(paste, words.inner, max(inner.start - AFTER_INNER, 0), outer.start)
