"""Exception classes: `openai.RateLimitError`, `ConnectionResetError: ...`, `socket.gaierror`.

Which classes mean what is in `knowledge/signals/exceptions.yaml`; here is only where a class
name is printed: opening a line, or qualified by its module.
"""

from __future__ import annotations

from bot.core.evidence import Evidence, Kind
from bot.core.linear_re import compile_linear
from bot.core.paste import Paste
from bot.core.vocabulary import SERVER_ERROR, UNKNOWN, Signals

EXCEPTION = 2.0
UNNAMED = 0.5  # an exception class no signal names: some failure, which one unknown
UNNAMED_CLASS = "unnamed class"  # its evidence's source: extraction keeps it only near the API
# A name opening a line, then ':', '(' or the end of the line ("RateLimitError: ...").
_LINE = compile_linear(
    r"^\s*(?:[\w.]+\.)?(?P<cls>[A-Za-z_]\w*)(?::|[^\S\n]*(?:$|\())", multiline=True
)
# A name qualified by a module path ("requests.exceptions.SSLError"), a .NET namespace
# ("Microsoft.SemanticKernel.KernelException") or a Ruby or Rust one ("Faraday::ServerError",
# "OpenAI::Error", "reqwest::Error").
_QUALIFIED = compile_linear(r"\b[A-Za-z_]\w*(?:(?:\.|::)\w+)*(?:\.|::)(?P<cls>[A-Za-z_]\w*)\b")
# A name right after a letter of a script that glues words to it ("RateLimitError가 발생",
# "ConnectionResetErrorが出る"): the view writes such a letter as DEL (see `AsciiView`).
_AFTER_SCRIPT = compile_linear(r"\x7f[^\S\n]*(?P<cls>[A-Za-z_]\w*)\b")
# A class a future failed with, in its repr ("<Future at 0x7f2c state=finished raised
# RateLimitError>", as tenacity's RetryError prints it).
_RAISED = compile_linear(r"\bstate=finished raised (?P<cls>[A-Za-z_]\w*)\b")
# A name in a PHP namespace ("OpenAI\Exceptions\ErrorException", "GuzzleHttp\Exception\...").
_NAMESPACED = compile_linear(r"\b[A-Za-z_]\w*(?:\\\w+)*\\(?P<cls>[A-Za-z_]\w*)\b")


# A known class opening the message, said to come from somewhere ("PermissionDeniedError from
# the openai lib, base_url is fireworks", "RateLimitError on every call"): only a class a signal
# names, since any "...Error" may open a sentence about one's own code ("ValueError in my
# parser"), and not a class as a topic ("RateLimitError handling in my code").
_OPENING = compile_linear(
    r"\A\W{0,3}(?P<cls>[A-Z]\w*(?:Error|Exception))[^\S\n]+"
    r"(?:from|on|when|while|again|since|after|every|each|thrown|raised|keeps|still)\b"
)

# A known class a verb says was raised ("openai sdk raised APIResponseValidationError: ...",
# "keeps throwing RateLimitError", "every call raises ..."): the same, told mid-sentence; not
# what a client does in general ("does the SDK raise RateLimitError or its own class?").
_THROWN = compile_linear(
    r"\b(?:raised|threw|thrown|keeps?[^\S\n]+(?:raising|throwing)|(?:calls?|requests?)[^\S\n]+raises)"
    r"[^\S\n]+(?:an?[^\S\n]+)?"
    r"(?P<cls>[A-Z]\w*(?:Error|Exception))\b"
)

# Each regex, the text it can't match without ("" for none), its class group, and whether only
# a class a signal names counts, read once.
_READERS = tuple(
    (regex, needed, regex.groupindex["cls"], known)
    for regex, needed, known in (
        (_LINE, "", False),
        (_QUALIFIED, "", False),
        (_NAMESPACED, "\\", False),
        (_AFTER_SCRIPT, "\x7f", False),
        (_RAISED, "state=finished raised", False),
        (_OPENING, "", True),
        (_THROWN, "", True),
    )
)


# Code that handles or raises a class rather than printing one that was raised: `except
# openai.RateLimitError:`, `catch (RateLimitError e)`, `rescue Faraday::TimeoutError`,
# `isinstance(e, APITimeoutError)`, `pytest.raises(...)`, `raise RateLimitError(...)`.
_HANDLED = compile_linear(
    r"(?:(?:^|[^\w.])(?:except|catch|rescue|instanceof|isinstance|assertRaises|raise)\b"
    r"|\.raises\(|\bthrow new\b)[^\n]*$"
)


def _classes(paste: Paste, signals: Signals) -> dict[int, str]:
    found: dict[int, str] = {}
    for regex, needed, group, known in _READERS:
        if needed not in paste.view:  # one scan of the text instead of a regex search
            continue
        for match in regex.finditer(paste.view):
            start, end = match.span(group)
            name = paste.text[start:end]
            unnamed = not known and name.endswith(signals.class_endings)
            if (name in signals.exceptions or unnamed) and not _handled(paste, start):
                found[start] = name
    return found


def _handled(paste: Paste, start: int) -> bool:
    """Whether the class at `start` is named by code that handles or raises it."""
    line_start = paste.view.rfind("\n", 0, start) + 1
    return _HANDLED.search(paste.view[line_start:start]) is not None


def exception_classes(paste: Paste, signals: Signals) -> tuple[list[Evidence], bool]:
    """Evidence for each known class, and whether the paste ends with a no-status failure."""
    by_position = _classes(paste, signals)
    if not by_position:
        return [], False
    last = max(by_position)
    found: list[Evidence] = []
    causes: list[Evidence] = []  # failures of the exceptions a later one replaced
    ends_in_failure = False
    for position, name in sorted(by_position.items()):
        term = signals.exceptions.get(name)
        if term is None:
            continue
        weight = paste.weight(EXCEPTION, position) * (1.0 if position == last else 0.5)
        end = position + len(name)
        meaning = term.meaning
        if meaning.isdigit() or meaning == SERVER_ERROR:
            found.append(Evidence(Kind.EXCEPTION, weight, name, position, end, code=meaning))
            continue
        entry = None if meaning == UNKNOWN else meaning
        evidence = Evidence(Kind.EXCEPTION, weight, name, position, end, entry=entry)
        if position >= paste.segment_start:  # a failure with no status
            found.append(evidence)
            ends_in_failure = ends_in_failure or position == last
        else:
            causes.append(evidence)
    if last not in (e.start for e in found) and signals.exceptions.get(by_position[last]) is None:
        # "json.decoder.JSONDecodeError: ...", "Error: [object Object]": the paste ends in an
        # exception no signal names; nothing says which failure it is, so a human looks
        name = by_position[last]
        weight = paste.weight(EXCEPTION, last) * UNNAMED
        found.append(
            Evidence(Kind.EXCEPTION, weight, name, last, last + len(name), source=UNNAMED_CLASS)
        )
    # "httpx.ReadError ... was the direct cause of ... APIConnectionError: Connection error.":
    # a final failure with no status is explained by the failures that caused it.
    return (found + causes if ends_in_failure else found), ends_in_failure
