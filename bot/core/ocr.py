"""Text copied from a picture: digits and letters that look alike, and words run together.

A screenshot read by OCR, or retyped from one, says `4O4`, `5O3`, `fai1ed`, `Mode1`, `tirned
out`, `Errorcode` or `Err or`. The confusions are data (`knowledge/signals/ocr.yaml`); this
module holds how to read them, shared by the matcher and the screenshot reader: a
three-character token with a digit becomes a status only if every character maps to a digit,
and a word is mended only when the mended word is one of the listed words and the word as
written is not. A word split in two ("Unauthoriz ed") is joined only in a text that says it
came from a picture.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from bot.core.linear_re import Regex, compile_linear, for_re2, literal
from bot.core.words import alnum_runs

# A status read from a picture: three characters, a real first digit, then digits or their
# look-alikes ("4O4", "5O3"); "S03" or "I01" is too often a name to mend.
_STATUS_SHAPE = r"\b[1-5](?:[0-9][A-Za-z|]|[A-Za-z|][0-9A-Za-z|])\b"
_NAME_CHARS = frozenset("-_./")
NAME_WORD_MIN = 5  # a shorter word ends too many names by chance ("key", "code")
_GLUED = frozenset(":.-/T")  # around a joined word: part of a header or class name
_LETTER_RUN = compile_linear(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class OcrRules:
    """The confusions of `ocr.yaml`, ready to apply."""

    status_digits: Mapping[str, str] = field(default_factory=dict)  # "O" -> "0"
    word_letters: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ("1", ("l", "i"))
    words: frozenset[str] = frozenset()  # what a mended word must become
    joined: tuple[tuple[str, str], ...] = ()  # ("errorcode", "error code")
    from_picture: tuple[str, ...] = ()  # "ocr", "screenshot": the text says it was read
    phrase_pairs: frozenset[tuple[str, str]] = frozenset()  # ("connection", "refused")

    @property
    def empty(self) -> bool:
        return not (self.status_digits or self.word_letters or self.joined)


NO_RULES = OcrRules()  # nothing mended: text that never went through a picture


def repair(text: str, rules: OcrRules) -> str:
    """`text` with look-alike statuses, mis-read words and joined words mended.

    Linear in the text; a text with nothing to mend comes back as it was (the same object).
    """
    if rules.empty:
        return text
    mended = mend_statuses(text, rules)
    mended = _split(mended, rules)
    mended = _words(mended, rules)
    return _joined(mended, rules)


def mend_statuses(text: str, rules: OcrRules) -> str:
    """`text` with each look-alike status ("4O4") written in digits."""
    if not rules.status_digits:
        return text
    parts: list[str] = []
    pos = 0
    for match in _status_regex().finditer(for_re2(text)):
        start, end = match.span()
        if start and text[start - 1] in _GLUED:  # "09:12:4O", "v1.5O0": a time or a version
            continue
        token = text[start:end]
        digits = "".join(
            char if char.isdigit() else rules.status_digits.get(char, "?") for char in token
        )
        if "?" in digits:
            continue
        parts += (text[pos:start], digits)
        pos = end
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


def _split(text: str, rules: OcrRules) -> str:
    """Words a picture split in two ("Unauthoriz ed", "Err or") joined again, in a text that
    says it was read from one: two runs of letters one space apart that together make a
    listed word, and aren't two words of a listed phrase side by side ("connection refused")."""
    if not rules.from_picture or not rules.words:
        return text
    if _alternation(rules.from_picture).search(for_re2(text)) is None:
        return text  # typed text: "in valid JSON" and "go away" are two words
    runs = [match.span() for match in _LETTER_RUN.finditer(for_re2(text))]
    parts: list[str] = []
    pos = 0
    index = 0
    while index + 1 < len(runs):
        (start, middle), (after, end) = runs[index], runs[index + 1]
        left, right = text[start:middle].lower(), text[after:end].lower()
        if (
            after == middle + 1
            and text[middle] == " "
            and left + right in rules.words
            and (left, right) not in rules.phrase_pairs
        ):
            parts += (text[pos:middle], text[after:end])
            pos = end
            index += 2
            continue
        index += 1
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


def _words(text: str, rules: OcrRules) -> str:
    """Each word that isn't a listed word but becomes one with a look-alike mended."""
    if not rules.word_letters or not rules.words:
        return text
    letters = tuple(seen for seen, _ in rules.word_letters if seen.isalpha())  # "rn", "cl"
    mended: dict[str, str] = {}
    for word in set(alnum_runs(text.lower())):  # each different word once, not each use
        if len(word) < 3 or word.isdigit() or word in rules.words:
            continue
        if word.isalpha() and not any(s in word for s in letters):
            continue  # most words: no digit in them, and no letters read for another
        fixed = _mend(word, rules)
        if fixed is not None:
            mended[word] = fixed
    if not mended:
        return text
    parts: list[str] = []
    pos = 0
    for match in _alternation(tuple(sorted(mended))).finditer(for_re2(text)):
        start, end = match.span()
        written = text[start:end]
        fixed = mended[written.lower()]
        parts += (text[pos:start], fixed.capitalize() if written[:1].isupper() else fixed)
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _mend(word: str, rules: OcrRules) -> str | None:
    """The listed word that `word` becomes with one kind of look-alike mended, if any."""
    for seen, meant in rules.word_letters:
        if seen not in word:
            continue
        for letter in meant:
            candidate = word.replace(seen, letter)
            if candidate in rules.words:
                return candidate
            if seen.isdigit() and _ends_a_name(candidate, rules.words):
                return candidate
            # one of several mis-read, the others meant ("lnternal": the first l is an I)
            for at in _places(word, seen) if word.count(seen) > 1 else ():
                candidate = word[:at] + letter + word[at + len(seen) :]
                if candidate in rules.words:
                    return candidate
    return None  # "c0nnecti0n" is one kind twice and mended; two kinds at once are left


def _places(word: str, seen: str) -> list[int]:
    """Where `seen` occurs in `word`."""
    return [at for at in range(len(word)) if word.startswith(seen, at)]


def _ends_a_name(candidate: str, words: frozenset[str]) -> bool:
    """A class name whose last word was mis-read ("HTTPErr0r", "ConnectionRefusedErr0r"): a
    listed word of five letters or more closes it, after letters only."""
    # each ending of the name looked up, not each listed word compared: a set lookup per letter
    return any(
        candidate[start:] in words and candidate[:start].isalpha()
        for start in range(1, len(candidate) - NAME_WORD_MIN + 1)
    )


def _joined(text: str, rules: OcrRules) -> str:
    """Joined words written apart, unless they are part of a name (`x-ratelimit-remaining`)."""
    if not rules.joined:
        return text
    lowered = text.lower()
    found = tuple(glued for glued, _ in rules.joined if glued in lowered)
    if not found:
        return text
    spaced = dict(rules.joined)
    parts: list[str] = []
    pos = 0
    for match in _alternation(found).finditer(for_re2(lowered)):
        start, end = match.span()
        if _in_a_name(text, lowered, start, end):
            continue
        parts += (text[pos:start], spaced[lowered[start:end]])
        pos = end
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


def _in_a_name(text: str, lowered: str, start: int, end: int) -> bool:
    """`x-ratelimit-remaining`, `ratelimit_total`, `RateLimited`: an identifier, not words."""
    written = text[start:end]
    if any(char.isupper() for char in written[1:]) and not written.isupper():
        return True  # CamelCase is a name someone chose
    before, after = lowered[start - 1 : start], lowered[end : end + 2]
    if before and before in _NAME_CHARS:
        return True
    return bool(after) and (after[0] in "-_/" or (after[0] == "." and after[1:].isalnum()))


@cache
def _status_regex() -> Regex:
    return compile_linear(_STATUS_SHAPE)


@cache
def _alternation(words: tuple[str, ...]) -> Regex:
    """Any of `words`, whole, in any case."""
    alternation = "|".join(literal(word) for word in sorted(words, key=len, reverse=True))
    return compile_linear(rf"\b(?:{alternation})\b", ignore_case=True)
