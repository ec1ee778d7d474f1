"""Regular expressions that run in time linear in the text: RE2, for everything users send.

Python's `re` backtracks, so one hostile paste (blank lines, repeated prefixes) or one careless
knowledge pattern could hold the event loop for seconds. RE2 can't backtrack: it has no
look-around and no backreferences, and it releases the GIL while it searches. The standard
`re` stays only where the input is fixed and trusted.

RE2 reads UTF-8, which can't carry a lone surrogate, and its `\\w`, `\\d`, `\\b` and `\\s` are
ASCII, where `re` knows every alphabet: to `re`, "é429" is one word and a no-break space is a
space. `for_re2` and `AsciiView` rewrite text for RE2 without moving any position.
"""

from __future__ import annotations

from collections.abc import Iterator

import re2

Regex = re2._Regexp
Match = re2._Match

# Every non-ASCII character that Python's `\s` matches (none lies above U+3000), and surrogates.
_FOR_RE2 = {code: " " for code in range(0x80, 0x3001) if chr(code).isspace()} | {
    code: "\ufffd" for code in range(0xD800, 0xE000)
}


# RE2's own budget for one regex: its program and the cache of DFA states its searches build.
DEFAULT_MEMORY = 8 << 20


class RegexError(ValueError):
    """A pattern RE2 refuses; the message says why in RE2's words."""


def compile_linear(
    pattern: str,
    *,
    ignore_case: bool = False,
    multiline: bool = False,
    dot_all: bool = False,
    memory: int = DEFAULT_MEMORY,
) -> Regex:
    """Compile `pattern` with RE2; raise `RegexError` (never print to stderr) if it can't.

    `memory`: more than the default for a large program, whose DFA cache would otherwise fill
    and be thrown away on most pastes (RE2 then rebuilds its states, or falls back to its NFA).
    """
    options = re2.Options()
    options.max_mem = memory
    options.log_errors = False  # RE2 would print every refusal to stderr itself
    options.case_sensitive = not ignore_case
    flags = ("m" if multiline else "") + ("s" if dot_all else "")
    values = tuple(getattr(options, name) for name in re2.Options.NAMES)
    try:  # through the wrapper's cache of compiled patterns, as `re2.compile` does
        return _AsciiRegex._make(f"(?{flags}){pattern}" if flags else pattern, values)
    except UnicodeEncodeError:
        raise RegexError("holds a lone surrogate, which UTF-8 cannot encode") from None
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise RegexError(str(reason)) from None


_NO_MATCH = (-1, -1)


class _AsciiRegex(re2._Regexp):
    """An RE2 regex that reads ASCII text without the wrapper's UTF-8 bookkeeping.

    For a `str`, the google-re2 wrapper encodes the text, converts `pos` to a byte offset and
    each span back to characters on every search: a few microseconds, about a tenth of the
    analysis of a message, which runs some sixty searches. In ASCII text a character is one
    byte, so the spans RE2 gives are already the positions in the `str`; any other text takes
    the wrapper's own path. The matches are the wrapper's, on the same `str`.
    """

    __slots__ = ()

    def _match(
        self, anchor: object, text: str | bytes, pos: int | None = None, endpos: int | None = None
    ) -> Iterator[Match]:
        if isinstance(text, str) and text.isascii():
            return self._ascii_matches(anchor, text, pos, endpos)
        return super()._match(anchor, text, pos, endpos)

    def _ascii_matches(
        self, anchor: object, text: str, pos: int | None, endpos: int | None
    ) -> Iterator[Match]:
        """The wrapper's loop over successive matches, on the bytes of `text` as they are."""
        size = len(text)
        pos = 0 if pos is None else max(0, min(pos, size))
        endpos = size if endpos is None else max(0, min(endpos, size))
        data, match, at = text.encode("ascii"), self._regexp.Match, pos
        while at <= endpos:
            spans = match(anchor, data, at, endpos)
            if spans[0] == _NO_MATCH:
                return
            yield re2._Match(self, text, pos, endpos, spans)  # `pos` as given, as the wrapper's
            if at == endpos:
                return
            # after an empty match, step one character on, as the wrapper does
            at = at + 1 if at == spans[0][1] else spans[0][1]


class Screen:
    """Which of many regexes may match a text, told in one pass by the literal words each one
    needs (RE2's FilteredRE2). It may name a regex that then doesn't match, never leave out one
    that does: a regex it leaves out can be skipped.
    """

    def __init__(self, regexes: list[Regex]) -> None:
        self._filter = re2.Filter()
        for regex in regexes:
            self._filter.Add(regex.pattern, regex.options)
        self._filter.Compile()

    def possible(self, text: str) -> frozenset[int]:
        """The positions, in the list it was built from, of the regexes that may match."""
        return frozenset(self._filter.Match(text, True) or ())


def literal(text: str) -> str:
    """A pattern that matches `text` exactly."""
    return re2.escape(text)


# Scripts written without a space between words (Han, kana) or with particles glued to the word
# before (Hangul): "RateLimitError가", "429エラー", "返回429了". A letter of these is no part of
# an English word or a code next to it.
_UNSPACED = (
    (0x1100, 0x11FF), (0x3040, 0x30FF), (0x3130, 0x318F), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF66, 0xFF9F),
)  # fmt: skip


def unspaced(char: str) -> bool:
    """Whether `char` is a letter of a script that glues words to it (see `_UNSPACED`)."""
    code = ord(char)
    return code >= 0x1100 and any(low <= code <= high for low, high in _UNSPACED)


class AsciiView(dict[int, int]):
    """A `str.translate` table: each non-ASCII character to an ASCII one of the same kind.

    A letter or digit of any alphabet becomes "_": a word character, but no letter or digit
    that a pattern spells out or a class like `[a-z]` or `\\d` takes ("٤٢٩" is no status),
    except a letter of a script that glues words to it (`unspaced`). A space becomes " ",
    anything else DEL; the `keep` characters, which patterns spell out,
    stay as they are.
    """

    def __init__(self, keep: str = "") -> None:
        super().__init__({ord(char): ord(char) for char in keep})

    def __missing__(self, code: int) -> int:
        char = chr(code)
        if code < 128:
            kind = code
        elif char.isalnum() and not unspaced(char):
            kind = ord("_")
        else:  # a space, punctuation, or a letter of a script that puts no space before a word
            kind = 32 if char.isspace() else 127
        self[code] = kind  # remembered: a paste repeats its characters
        return kind

    def of(self, text: str) -> str:
        """`text` as RE2 should read it: same length, so every position stays valid."""
        return text if text.isascii() else text.translate(self)


def for_re2(text: str) -> str:
    """`text` with each non-ASCII space as " " and each lone surrogate as U+FFFD.

    Same length, so every position found in it is valid in `text` too.
    """
    return text if text.isascii() else text.translate(_FOR_RE2)


def readable(text: str) -> str:
    """`text` itself, or with each lone surrogate as U+FFFD when it holds one (JSON can carry
    them, and RE2 raises on them): cheap when there is none."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return for_re2(text)
    return text
