"""Find HTTP status codes in prepared text: the numbers whose context says "status".

Each rule is a regex and, where the old rules had look-around (RE2 has none), a small check on
the character or the word next to a match: "got 429 images" counts images, "v1.503" is a
version, "been 429'd" is a status. Rules read only the lines that hold a three-digit number,
joined into one text, so each regex runs once per paste.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

from bot.core.linear_re import (
    Match,
    Regex,
    Screen,
    compile_linear,
    for_re2,
    literal,
    unspaced,
)

STRONG = 4.0
MEDIUM = 2.5
WEAK = 1.5  # "429 responses": design talk as often as a report; needs company to count
BARE = 3.0
HEAD_LINES, TAIL_LINES = 40, 160  # numbered lines read in a long log

_CODE = r"(?P<code>[1-5]\d\d)"
# What may come before the first word of a message: no letter of a script written with spaces,
# and no digit (RE2's \W would skip "é" in "é429", a letter glued to the number); a script
# written without spaces may touch the code ("服务不可用 503")
_LEAD = r"[^\p{Latin}\p{Cyrillic}\p{Greek}\pN_]*"


@dataclass(frozen=True, slots=True)
class StatusWords:
    """The words around a number that make it a status; from `knowledge/signals/`.

    `reasons` maps each reason phrase, lower case, to its code (class-name forms included:
    "toomanyrequests"); the rest are the lists of `statuses.yaml`.
    """

    reasons: Mapping[str, str]
    common_reasons: frozenset[str]
    followers: frozenset[str]
    units: tuple[str, ...]
    unit_words: frozenset[str]
    shout_endings: tuple[str, ...]  # phrases: "again", "all day"
    # The words before a status in a sentence: "got 429", "returns a 503", "hey 502".
    receiving: tuple[str, ...]
    returning: tuple[str, ...]
    articles: tuple[str, ...]
    determiners: tuple[str, ...]
    openers: tuple[str, ...]
    everything: tuple[str, ...]
    arriving: tuple[str, ...]  # after the code: Hinglish "401 aa raha hai"
    branches: tuple[str, ...] = ()  # code's branch words: "if status == 429:" handles a status
    shown_in: tuple[str, ...] = ()  # where a tool shows a status: "the http code in details is"
    showing: tuple[str, ...] = ()  # a tool showing a message: 'shows in red: "4O3: Forbiden"'
    status_nouns: tuple[str, ...] = ()  # "status" in other languages: es/pt "estado 408"
    pointers: frozenset[str] = frozenset()  # before a number that locates: "line 413"
    described: frozenset[str] = frozenset()  # after a code said of the number: "429 is cursed"
    # The codes HTTP names (those of the reason phrases): "420" or "499" is no status of its own
    codes: frozenset[str] = field(init=False, compare=False, repr=False)
    tiers: tuple[tuple[float, list[_Rule]], ...] = field(init=False, compare=False, repr=False)
    # Which rules may match a paste, in one pass: most pastes hold the words of only a few.
    screen: Screen = field(init=False, compare=False, repr=False)
    # A message that is only a reason phrase (see `reason_messages`); None with no phrases.
    reason_line: Regex | None = field(init=False, compare=False, repr=False)
    # The non-ASCII characters of the verbs ("一直报 400"): the view that RE2 reads keeps them.
    kept: frozenset[str] = field(init=False, compare=False, repr=False)
    # The scripts the followers and units are written in ("LATIN", "CYRILLIC"): a word of
    # another script after a code is one these lists can't judge.
    scripts: frozenset[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        words = (self.receiving, self.returning, self.articles, self.determiners)
        words += (self.openers, self.everything, self.arriving, self.branches)
        words += (self.shown_in, self.showing, self.status_nouns)
        object.__setattr__(self, "codes", frozenset(self.reasons.values()))
        tiers = _tiers(tuple(sorted(self.reasons)), *words)
        object.__setattr__(self, "tiers", tiers)
        object.__setattr__(self, "screen", _screen(tiers))
        glued = {phrase.replace(" ", "") for phrase in self.reasons if " " in phrase}
        phrases = tuple(sorted(phrase for phrase in self.reasons if phrase not in glued))
        object.__setattr__(self, "reason_line", _reason_message(phrases) if phrases else None)
        # reason phrases and followers too: "504 网关超时", "ловлю 429 от fireworks"
        verbs = "".join((*self.receiving, *self.returning, *self.arriving, *self.reasons))
        verbs += "".join((*self.articles, *self.status_nouns))
        verbs += "".join(self.followers)
        # ... in either case: a verb opens a sentence ("Получаю 403"), and the rules ignore case
        cased = verbs + verbs.upper()
        object.__setattr__(self, "kept", frozenset(char for char in cased if not char.isascii()))
        judged = "".join((*self.followers, *self.units, *self.unit_words))
        object.__setattr__(self, "scripts", frozenset(map(script, judged)))


def _clear_after(text: str, end: int, _line_end: int, _words: StatusWords) -> bool:
    return _clear(text, end)


def _is_word_char(char: str) -> bool:
    """Python's `\\w`, which knows every alphabet (RE2's `\\w` is ASCII), but not a letter of a
    script that glues words to it ("返回429了")."""
    return (char.isalnum() and not unspaced(char)) or char == "_"


def _detached(text: str, start: int) -> bool:
    """Nothing glued before the code: not `v1.503`, `$503`, `#503`, `x503` or `/503`."""
    before = text[start - 1] if start else ""
    # "é429" is glued (a letter of a kept word, "après", reads as itself); "报504" is not: that
    # language writes no space
    glued = _is_word_char(before)
    return start == 0 or not (glued or before in "$./:@#-")


def _not_a_value(text: str, start: int) -> bool:
    """Detached, and not a field's value: in `tokens=512 status=ok` the number is a count."""
    return _detached(text, start) and not (start and text[start - 1] == "=")


def _not_nested(text: str, start: int) -> bool:
    """'<TransferEncodingError: 400, ...>' is another exception's repr inside a message: its
    number is that exception's own (a parser's internal code), not the HTTP status."""
    return start == 0 or text[start - 1] != "<"


def _outside_branch(branches: tuple[str, ...]) -> _Before:
    """A comparison on a line that opens with a branch of code ('if status == 429:', '} else if
    (res.status === 401)') is code that handles the status, not a status that arrived."""
    opening = compile_linear(rf"\A\s*(?:[}}\]]\s*)?(?:{_one_of(branches)})\b", ignore_case=True)

    def outside(text: str, start: int) -> bool:
        line_start = text.rfind("\n", 0, start) + 1
        return not opening.search(text[line_start:start])

    return outside


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


def _status_follows(text: str, end: int, line_end: int, words: StatusWords) -> bool:
    """After 'getting 429': the line ends, punctuation, or a word that keeps it a status."""
    if not _clear(text, end):
        return False
    following = _following(text, end, line_end)
    if not following or not _is_word_char(following[0]):
        return True
    word = _leading_word(following)
    if word in words.followers or (len(word) == 3 and word.isdecimal()):
        return True
    # "503 لما أستخدم ...", "429 কেন আসছে?": a language no list covers; the code stands
    return script(word[0]) not in words.scripts


def script(char: str) -> str:
    """The script a letter is written in, from its Unicode name ("ARABIC", "LATIN")."""
    return unicodedata.name(char, "?").split(" ", 1)[0] if char.isalpha() else "?"


def _not_a_count(text: str, end: int, line_end: int, words: StatusWords) -> bool:
    """After 'returns 429': no unit follows ('503 ms', '404 pages')."""
    if not _clear(text, end):
        return False
    following = _following(text, end, line_end)
    return (
        not following.startswith(words.units) and _leading_word(following) not in words.unit_words
    )


def _closes_a_shout(text: str, end: int, line_end: int, words: StatusWords) -> bool:
    """'FIREWORKS 503 AGAIN': the code ends the line, or one of a few words follows it."""
    if not _clear(text, end):
        return False
    rest = text[end:line_end]  # the first line only: the rule is anchored at the start
    if not any(_is_word_char(char) for char in rest):
        return True
    if not rest[:1].isspace():
        return False
    following = rest.lstrip().lower()
    return any(
        following.startswith(ending) and not _is_word_char(following[len(ending) : len(ending) + 1])
        for ending in words.shout_endings
    )


_Before = Callable[[str, int], bool]
_After = Callable[[str, int, int, StatusWords], bool]


@dataclass(frozen=True, slots=True)
class _Rule:
    """A status regex, and the context checks RE2 can't express (it has no look-around)."""

    regex: Regex
    code_group: int
    reason_group: int | None  # a reason phrase that must agree with the code
    before: _Before | None  # (text, match start)
    after: _After | None  # (text, match end, end of its line)


def _rule(pattern: str, before: _Before | None = None, after: _After | None = None) -> _Rule:
    regex = compile_linear(pattern, ignore_case=True)
    groups = regex.groupindex  # built anew on each access: read it once
    return _Rule(regex, groups["code"], groups.get("reason"), before, after)


def _one_of(phrases: tuple[str, ...]) -> str:
    """An alternation of `phrases`, longest first, each written out literally.

    No phrases match nothing (an empty alternation would match everywhere).
    """
    if not phrases:
        return r"[^\s\S]"
    return "|".join(sorted((literal(p) for p in phrases), key=len, reverse=True))


def _after_code(phrases: tuple[str, ...]) -> str:
    """A space and one of `phrases` after a code; a word of a language written without spaces
    may touch it ("504错误")."""
    words = tuple(p for p in phrases if p[:1].isascii())
    others = tuple(p for p in phrases if not p[:1].isascii())
    after = rf"\s+(?:{_word_end(words)})"  # "hatasi" (dotless i): no ASCII boundary
    return rf"(?:{after}|\s*(?:{_one_of(others)}))" if others else after


def _word_end(phrases: tuple[str, ...]) -> str:
    """One of `phrases`, ending a word. RE2's boundary is ASCII, so a phrase that ends in
    another script's letter ends where it ends ("504 网关超时" before a full-width comma, Turkish
    "hatasi" written with a dotless i)."""
    words = tuple(p for p in phrases if p[-1:].isascii())
    others = tuple(p for p in phrases if not p[-1:].isascii())
    return rf"(?:{_one_of(words)})\b|{_one_of(others)}" if others else rf"(?:{_one_of(words)})\b"


def _verb(phrases: tuple[str, ...]) -> str:
    """One of `phrases` and the space after it: a word starts on a boundary, and a verb of a
    language written without spaces ("报 400", "返回404") may touch the code."""
    words = tuple(p for p in phrases if p[:1].isascii())
    others = tuple(p for p in phrases if not p[:1].isascii())
    verb = rf"\b(?:{_one_of(words)})\s+"
    return rf"(?:{verb}|(?:{_one_of(others)})\s*)" if others else verb


@cache
def _tiers(
    reasons: tuple[str, ...],
    receiving: tuple[str, ...],
    returning: tuple[str, ...],
    articles: tuple[str, ...],
    determiners: tuple[str, ...],
    openers: tuple[str, ...],
    everything: tuple[str, ...],
    arriving: tuple[str, ...] = (),
    branches: tuple[str, ...] = (),
    shown_in: tuple[str, ...] = (),
    showing: tuple[str, ...] = (),
    status_nouns: tuple[str, ...] = (),
) -> tuple[tuple[float, list[_Rule]], ...]:
    """The status rules, strongest first, spelling out the words of `statuses.yaml`."""
    reason = _one_of(reasons)
    nouns = rf"|(?:{_one_of(status_nouns)})\b" if status_nouns else ""
    nested = {rf"\b(?:[A-Z]\w*)?(?:Error|Exception):?\s+{_CODE}\b": _not_nested}
    strong = [
        _rule(p, before=nested.get(p))
        for p in (
            rf"\berror code:?\s*{_CODE}\b",
            rf"\bHTTP/\d(?:\.\d)?\s+{_CODE}\b",
            # ... a getter's value too ("response.statusCode() = 405"), es/pt "estado 408"
            rf"\b(?:status(?:[_ ]?code)?\b(?:\(\))?{nouns})[\"']?\s*[:=]?\s*[\"']?{_CODE}\b",
            rf"[\"']code[\"']\s*:\s*[\"']?{_CODE}\b",
            rf"\bstatus of {_CODE}\b",  # browser devtools: "responded with a status of 401 ()"
            rf"\bstatus code of {_CODE}\b",  # Dart's dio: "the response has a status code of 403"
            rf"\bstatus(?: code)?[`'\"]? (?:is|was) {_CODE}\b",  # "`r.status` is 413"
            # ... and where a tool shows it: "the http code in details is 408" (n8n's error panel)
            rf"\b(?:http|status|response)(?:[ _]?code)? (?:in|on|under) (?:the )?"
            rf"(?:{_one_of(shown_in)})(?: tab| panel| view)? "
            rf"(?:is|was|says|shows)\s*:?\s*{_CODE}\b",
            # ... and a constant's or a call's value: "curl_getinfo($ch, CURLINFO_HTTP_CODE) = 405"
            rf"(?:\b|_)(?:response|return|http)[\s_]*code\)?\s*(?:[:=]|(?:is|was)\s)?\s*[\"']?{_CODE}\b",
            rf"\bHTTP(?:\s+status|\s+error)?\s*:?\s*{_CODE}\b",
            rf"\b{_CODE}\s+(?:Client|Server) Error\b",
            rf"\b(?:Client|Server) error '{_CODE}\b",  # httpx, even with no reason phrase
            rf"\bkind:\s*Status\(\s*{_CODE}\s*\)",  # Rust reqwest: "Error {{ kind: Status(500)"
            rf"\bdoes not indicate success:\s*{_CODE}\b",  # .NET: "... success: 520 ()."
            rf"\b{_CODE}\s+\{{\s*[\"']error[\"']\s*:",  # 403 {{"error": ...
            # openai-node's APIError with an empty body, and tools that shorten it
            rf"\b{_CODE}(?: status code)? \(no body\)",
            rf"\|\s*{_CODE}:\s",  # a Cloudflare error page's title: "api.example.com | 522: ..."
            rf"<--\s*{_CODE}\s",  # OkHttp's HttpLoggingInterceptor: "<-- 408 https://..."
            rf"<Response \[{_CODE}\]>",  # requests' Response, printed: "<Response [405]>"
            # Ruby's Net::HTTP response class, then its code: "#<Net::HTTPBadGateway 502 ...>"
            rf"\bNet::HTTP[A-Za-z]+\s+{_CODE}\b",
            *nested,
            rf"\bcode\s*[=:]\s*[\"']?{_CODE}\b",
            # a log's JSON key: "backendResponseCode":503, "upstream_status_code": 429; nginx's
            # (and APISIX's) access-log field "upstream_status=401"
            rf"(?:response|backend|upstream)_?(?:status(?:_?code)?|code)[\"']?\s*[:=]\s*[\"']?{_CODE}\b",
            rf"\bE?{_CODE}\s*[-:,]?\s*(?:message=)?[\"'(]?(?P<reason>{_word_end(reasons)})",
            rf"\b(?P<reason>{reason})\s*[\"']?\s*[(\[]\s*{_CODE}\s*[)\]]",
            rf"[\"'](?P<reason>{reason})[\"']\s+{_CODE}\b",  # 'getting "Unknown Error" 520'
            # access-log line: "POST /path HTTP/2" 503 (Traefik's may leave the version out)
            rf"\"(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+(?: HTTP/[\d.]+)?\"\s+{_CODE}\b",
        )
    ]
    article = rf"(?:(?:{_one_of(articles)})\s+){{0,2}}"  # "geeft steeds een 429"
    medium = [
        # "got 429 images" counts things, so these verbs need a word that keeps it a status
        _rule(
            rf"{_verb(receiving)}{article}[`'\"]?{_CODE}s?\b",  # "getting `400 - ..."
            after=_status_follows,
        ),
        _rule(
            rf"{_verb(returning)}{article}[`'\"]?{_CODE}s?\b",
            after=_not_a_count,
        ),
        _rule(rf"{_CODE}s?\s+(?:errors?|error code)\b", before=_detached),
        # "→ 405"; a cross marks a step that failed: "deploy ✅ first request ❌ 412"
        _rule(rf"(?:->|→|=>|❌|✗|✖)\s*{_CODE}\b", after=_clear_after),
        _rule(rf"{_CODE}'d\b", before=_detached),  # "been 429'd all morning"
        _rule(rf"`{_CODE}`"),  # a code quoted on its own: "spits `401` on every call"
        # a tool's message shown in quotes, opening with its code and a colon: 'shows in red:
        # "4O3: Forbiden"' (not a quoted title: 'the panel "500: errors by route"')
        _rule(rf"\b(?:{_one_of(showing)})\W{{0,3}}[`'\"]{_CODE}:\s+[a-z]"),
        _rule(rf"\b(?:{_one_of(everything)})\s+{_CODE}s?\b"),
        # ... and the other way round: "500 for every prompt", "429 on all requests"
        _rule(rf"{_CODE}s?\s+(?:for|on|with|in)\s+(?:every|all|each)\b", before=_detached),
        _rule(rf"{_CODE}s?{_after_code(arriving)}", before=_detached),  # "401 aa raha", "504错误"
        # "rate-limited (429)", n8n's "... retry automatically. [503]"
        _rule(rf"[(\[]\s*(?:http\s*)?{_CODE}\s*[)\]]", before=_after_space),
        _rule(  # "statusCode() == 404" in a sentence; not "if status == 429:", code handling one
            rf"\bstatus(?:[_ ]?code)?(?:\(\))?\s*===?\s*{_CODE}\b", before=_outside_branch(branches)
        ),
        _rule(rf"\A{_LEAD}{_CODE}s\b"),  # "503s across the board": a plural code opening a message
        # a log or a tool that shows calls as a status: "the logs show my requests as 499"
        _rule(
            rf"\b(?:{_one_of(showing)})\s+(?:[\w-]+\s+){{0,3}}as\s+(?:an?\s+)?{_CODE}s?\b",
            after=_not_a_count,
        ),
        # a status printed, its value in a comment: "console.log(r.status) // 401",
        # "print(resp.status_code)  # 429" (a branch's "== 429:" is no printed value)
        _rule(rf"\bstatus(?:[_ ]?code)?(?:\(\))?\)*;?[ \t]*(?://|#)[ \t]*{_CODE}\b"),
        # ... and a name labelling its code with a colon or a comma: "Fireworks: 404 sur
        # /inference/...", "LlamaIndex → fireworks, 504 on the synthesize step"
        _rule(
            rf"\b(?:{_one_of(determiners)})(?:\s+|\s*[:,]\s*){_CODE}s?\b",
            after=_status_follows,
        ),
        _rule(
            rf"\A{_LEAD}(?:(?:{_one_of(openers)})\W+)?{_CODE}s?\b",
            after=_status_follows,
        ),
        # "FIREWORKS 503 AGAIN", "api 502 lol": a code that closes a short opening shout
        _rule(rf"\A{_LEAD}(?:[a-z]+\W+){{1,2}}{_CODE}s?\b", after=_closes_a_shout),
    ]
    # a reason phrase, then its code, then what keeps it a status: "Interner Serverfehler 500
    # bei Fireworks" (not "the Not Found 404 page")
    medium.append(_rule(rf"\b(?P<reason>{reason})\s*[:-]?\s*{_CODE}\b", after=_status_follows))
    weak = [_rule(rf"{_CODE}s?\s+(?:status|responses?|codes?)\b", before=_not_a_value)]
    return ((STRONG, strong), (MEDIUM, medium), (WEAK, weak))


_SCREENS: dict[int, tuple[object, Screen]] = {}  # by the tiers' identity, which `_tiers` keeps


def _screen(tiers: tuple[tuple[float, list[_Rule]], ...]) -> Screen:
    """One screen for the rules of all tiers, in order; built once for each set of rules."""
    kept = _SCREENS.get(id(tiers))
    if kept is None or kept[0] is not tiers:
        kept = (tiers, Screen([rule.regex for _, rules in tiers for rule in rules]))
        _SCREENS[id(tiers)] = kept
    return kept[1]


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


def _status_matches(
    lines: _Lines, written: str, rule: _Rule, words: StatusWords
) -> Iterator[tuple[Match, int]]:
    """The matches of one status rule whose surroundings pass its checks, with their line.
    `written`: `lines.text` with each character as the paste wrote it."""
    for match in rule.regex.finditer(lines.text):
        start, end = match.span()
        line = lines.line_of(start)
        if rule.before and not rule.before(lines.text, start):
            continue
        if rule.after and not rule.after(written, end, lines.ends[line], words):
            continue
        yield match, line


@dataclass(frozen=True, slots=True)
class StatusMatch:
    """A status code found in a paste, and how strongly its context says so."""

    code: str
    strength: float
    position: int  # of the code in the paste
    snippet: str  # the words that made it a status, for the evidence label
    end: int = -1  # where what names the status ends, if not with the code itself


def is_detached_code(text: str, start: int, end: int, words: StatusWords) -> bool:
    """A number that stands alone: nothing glued before it, no word before it that makes it a
    place ("on line 413"), and no unit or count after it."""
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    if not _detached(text, start) or _points_at(text, start, words):
        return False
    return _not_a_count(text, end, line_end, words)


def is_described(text: str, end: int, words: StatusWords) -> bool:
    """'429 is such a cursed number', '504 means ...': the word after says what the number is;
    a plural counts things ('429 images'); or a reason phrase of another code follows it ('429
    Bad Gateway' is no status at all)."""
    following = text[end : end + 40].lstrip(" \t-:").lower()
    word = _leading_word(following)
    if word in words.described:
        return True
    # an English plural after a number counts things ("429 images generated today")
    if word not in words.followers and len(word) > 3 and word.isascii() and word.endswith("s"):
        return True
    code = text[end - 3 : end]
    return any(
        following.startswith(phrase) and other != code for phrase, other in words.reasons.items()
    )


def _points_at(text: str, start: int, words: StatusWords) -> bool:
    """'on line 413', 'port 5030', 'page 404': the word before says where, not what failed."""
    head = text[max(start - 24, 0) : start].rstrip(" \t:#").lower()
    word = head[len(head.rstrip("abcdefghijklmnopqrstuvwxyz_")) :]
    return word in words.pointers


def bare_code(view: str) -> str | None:
    """The code of a message that is nothing but a code: '504', '/fwerror 413', 'error: 429?'."""
    bare = _BARE.match(view)
    return bare["code"] if bare else None


def _keep(view: str, text: str, kept: frozenset[str]) -> str:
    """`view` with each of the `kept` characters of `text` as it is, not the view's "_"."""
    if not kept or text.isascii():
        return view
    chars: list[str] | None = None
    for char in kept:
        position = text.find(char)
        while position >= 0:
            chars = chars if chars is not None else list(view)
            chars[position] = char
            position = text.find(char, position + 1)
    return "".join(chars) if chars is not None else view


def find_statuses(view: str, text: str, words: StatusWords) -> Iterator[StatusMatch]:
    """Every status in a paste, strongest rules first, one per code position.

    `view` is the paste as the regexes read it (see `AsciiView`); `text`, as it came, gives
    the snippets.
    """
    spans = _numbered_lines(view)
    if not spans:
        return
    view = _keep(view, text, words.kept)
    lines = _Lines.of(view, spans)
    # what follows a code is judged as written: the view makes every foreign letter "_"
    written = lines.text if text.isascii() else _Lines.of(text, spans).text
    seen: set[tuple[int, str]] = set()
    possible = words.screen.possible(lines.text)
    number = -1  # the rule's position in the screen
    for strength, rules in words.tiers:
        for rule in rules:
            number += 1
            if number not in possible:  # it can't match: its words aren't there
                continue
            for match, line in _status_matches(lines, written, rule, words):
                code, shift = match[rule.code_group], lines.shifts[line]
                start = match.start(rule.code_group) + shift
                if (start, code) in seen:
                    continue
                seen.add((start, code))
                reason = match[rule.reason_group] if rule.reason_group else None
                if reason and words.reasons.get(reason.lower()) != code:
                    continue
                snippet = " ".join(text[match.start() + shift : match.end() + shift].split())
                yield StatusMatch(code, strength, start, snippet[:60])


# A message that is nothing but a reason phrase, as the server's status line printed it
# (Title Case): `"message": "Payment Required"`, `APICallError [AI_APICallError]: Unknown Error`.
# Clients that map a status to their own class (litellm's BadRequestError for a 402, a Timeout
# for a 504) keep the server's words there, and those words name the status.
@cache
def _reason_message(reasons: tuple[str, ...]) -> Regex:
    reason = _one_of(reasons)
    return compile_linear(
        rf"[\"'](?:message|detail|error|statusText)[\"']\s*:\s*[\"'](?P<field>{reason})[\"']"
        rf"|^\s*(?:[\w.]+\.)?[A-Za-z_]\w*(?:\s*\[[\w.]+\])?:\s*(?P<line>{reason})[.!]?\s*$"
        # litellm's wrapper, then the provider's message: "Fireworks_aiException - Bad Gateway.";
        # a tool's sentence, then the reason: "Chat completion request error:  Payment Required"
        rf"|[a-z_]*(?:error|exception)(?:\s+-|:)\s+(?P<dash>{reason})\b",
        ignore_case=True,
        multiline=True,
    )


def reason_messages(view: str, text: str, words: StatusWords) -> Iterator[StatusMatch]:
    """Each error message that is only a reason phrase, written as a status line writes it."""
    regex = words.reason_line
    if regex is None:
        return
    groups = regex.groupindex  # built anew on each access: read it once
    for match in regex.finditer(view):
        name = next(name for name in ("field", "line", "dash") if match[name] is not None)
        group = groups[name]
        start, end = match.span(group)
        phrase = text[start:end]
        if all(word[:1].isupper() for word in phrase.split()):
            code = words.reasons[phrase.lower()]
            snippet = " ".join(text[match.start() : end].split())[:60]
            yield StatusMatch(code, STRONG, start, snippet, end)


# A row of a table of status names, `'407': 'Proxy Authentication Required',` (axios prints
# Node's whole http.STATUS_CODES in its error dumps): it names a status, it reports none.
_TABLE_ROW = compile_linear(
    r"""^[ \t]*['"]?[1-5]\d\d['"]?[ \t]*:[ \t]*(?:'[^'\n]*'|"[^"\n]*"),?[ \t]*$""",
    multiline=True,
)


# Two or more `code: "name"` pairs on one line: a table in code (`{400: "bad request", ...}`).
_INLINE_PAIR = compile_linear(r"""\b[1-5]\d\d['"]?[ \t]*:[ \t]*(?:'[^'\n]*'|"[^"\n]*")""")


def without_status_tables(text: str) -> str:
    """`text` with each row of a status-name table blanked out (same length, same lines)."""
    if ": '" not in text and ': "' not in text:
        return text
    spans = [match.span() for match in _TABLE_ROW.finditer(text)]
    pairs = [match.span() for match in _INLINE_PAIR.finditer(for_re2(text))]
    for start, end in pairs:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if sum(1 for s, _ in pairs if line_start <= s < line_end) >= 2:
            spans.append((start, end))
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        parts += (text[pos:start], " " * (end - start))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)
