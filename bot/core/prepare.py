"""Normalise a paste before anything reads it, and bound how much of it is read.

`normalise` is the one clean-up every reader shares. Redaction searches its output (mapping each
hit back to the raw text) as well as the raw text, and the matcher reads the same output of the
already-redacted text. So no clean-up step can glue a key back together after redaction ran:
whatever the clean-up would join, redaction has already seen joined.
"""

from __future__ import annotations

import codecs
from bisect import bisect_right
from dataclasses import dataclass

from bot.core.limits import HEAD_CHARS, TAIL_CHARS
from bot.core.linear_re import Regex, compile_linear

_CRLF = compile_linear(r"\r\n")
_ANSI = compile_linear(r"(?:\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_])+")
_FENCE_LINE = r"[ \t]*```[\w+-]*[ \t]*"
# A line that is only a fence (with its language) goes, its line break stays; a fence elsewhere
# goes too. The map back to the source takes one line at a time; the cleaning itself takes a
# whole run of fence lines at once, so "```\n" repeated costs one match, not one per line.
_FENCE = compile_linear(rf"^{_FENCE_LINE}$|(?:```)+", multiline=True)
_FENCE_RUNS = compile_linear(rf"^{_FENCE_LINE}(?:\n{_FENCE_LINE})*$", multiline=True)
# Control characters (not tab or newline), zero-width and joiner characters, bidi marks and
# overrides, soft hyphens, byte-order marks: invisible, so a key split by them looks whole.
_INVISIBLE_CHARS = (
    *range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xAD, 0x180E,
    *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065),
    *range(0x2066, 0x206A), 0xFEFF,
)  # fmt: skip
_INVISIBLE = compile_linear("[" + "".join(f"\\x{{{code:x}}}" for code in _INVISIBLE_CHARS) + "]+")
_DROP_INVISIBLE = dict.fromkeys(_INVISIBLE_CHARS)
_CHUNK = 64 * 1024  # str.translate holds the GIL: a few milliseconds at a time at most
_REPLACE = "fwerror-replace-surrogates"


def _replace_unencodable(error: UnicodeError) -> tuple[bytes, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return "\ufffd".encode() * (error.end - error.start), error.end


codecs.register_error(_REPLACE, _replace_unencodable)


def _without_surrogates(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD: same length, and encodable for RE2."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", _REPLACE).decode("utf-8")
    return text


@dataclass(frozen=True, slots=True)
class _Cut:
    """One pass's deletions, as the starts of the kept runs in its output and in its input."""

    out_starts: list[int]
    in_starts: list[int]

    def to_input(self, index: int) -> int:
        run = max(bisect_right(self.out_starts, index) - 1, 0)
        return self.in_starts[run] + index - self.out_starts[run]


@dataclass(frozen=True, slots=True)
class _Pass:
    """A pass that deleted characters: its input, and what it deleted there."""

    before: str
    deleted: Regex
    first_char_only: bool = False  # of "\r\n", only the "\r" goes

    def cut(self) -> _Cut:
        out_starts: list[int] = []
        in_starts: list[int] = []
        pos = length = 0
        for match in self.deleted.finditer(self.before):
            start, end = match.span()
            if start > pos:
                out_starts.append(length)
                in_starts.append(pos)
                length += start - pos
            pos = start + 1 if self.first_char_only else end
        out_starts.append(length)
        in_starts.append(pos)
        return _Cut(out_starts, in_starts)


class Normalised:
    """The clean text, and where each of its characters came from in the source.

    The map back is built only when asked for: most texts never need it.
    """

    __slots__ = ("_cuts", "_passes", "source", "text")

    def __init__(self, text: str, source: str, passes: tuple[_Pass, ...]) -> None:
        self.text = text
        self.source = source  # the input with lone surrogates replaced: the input's indices
        self._passes = passes
        self._cuts: tuple[_Cut, ...] | None = None

    def to_source(self, index: int) -> int:
        """The index in `source` (and in the input) of `text[index]`."""
        if self._cuts is None:
            self._cuts = tuple(step.cut() for step in self._passes)
        for cut in reversed(self._cuts):
            index = cut.to_input(index)
        return index


# Turkish capital dotted I ("SERVİS"): `str.lower` makes it "i" and a combining dot, which
# shifts every position after it in the lower-cased paste; read as I, the text keeps its length.
DOTTED_I = "\u0130"


def _without_fences(text: str) -> str:
    parts: list[str] = []
    pos = 0
    for match in _FENCE_RUNS.finditer(text):
        start, end = match.span()
        parts += (text[pos:start], "\n" * text.count("\n", start, end))
        pos = end
    parts.append(text[pos:])
    return "".join(parts).replace("```", "")


def _without_ansi(text: str) -> str:
    parts: list[str] = []
    pos = 0
    for match in _ANSI.finditer(text):
        parts.append(text[pos : match.start()])
        pos = match.end()
    parts.append(text[pos:])
    return "".join(parts)


def _without_invisibles(text: str) -> str:
    if text.isascii():
        return text.translate(_DROP_INVISIBLE)  # fast for ASCII
    return "".join(
        text[i : i + _CHUNK].translate(_DROP_INVISIBLE) for i in range(0, len(text), _CHUNK)
    )


def normalise(text: str) -> Normalised:
    """Strip CR before LF (a lone CR becomes LF), ANSI colours, code fences and invisibles.

    Linear time; a pass runs only when the characters it removes are in the text at all.
    """
    source = clean = _without_surrogates(text)
    passes: list[_Pass] = []
    if "\r" in clean:
        if "\r\n" in clean:
            passes.append(_Pass(clean, _CRLF, first_char_only=True))
        clean = clean.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in clean:
        passes.append(_Pass(clean, _ANSI))
        clean = _without_ansi(clean)
    if "```" in clean:
        passes.append(_Pass(clean, _FENCE))
        clean = _without_fences(clean)
    if _INVISIBLE.search(clean):
        passes.append(_Pass(clean, _INVISIBLE))
        clean = _without_invisibles(clean)
    if DOTTED_I in clean:  # the one letter whose lower case is two: spans would drift from it
        clean = clean.replace(DOTTED_I, "I")
    return Normalised(clean, source, tuple(passes))


def clip(text: str) -> str:
    """Keep the head and the tail of a huge paste; the middle rarely says what failed."""
    if len(text) <= HEAD_CHARS + TAIL_CHARS:
        return text
    return text[:HEAD_CHARS] + "\n...\n" + text[-TAIL_CHARS:]


def prepare(text: str) -> str:
    """Clip, then `normalise`: what the matcher reads. Redact `text` before calling this."""
    return normalise(clip(text)).text
