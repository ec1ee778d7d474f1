"""OCR fixes that need the knowledge's own vocabulary, so they follow it as it grows.

The engine drops the narrow spaces of a monospace font (`Tasktimedoutafter`, `BadGateway`):
a phrase the knowledge knows (a transport phrase, a reason phrase) written with some of its
spaces missing is written out again. It misreads one character of a status (`582 Bad
Gateway`, `4@3Forbidden`): three characters right before a reason phrase, digits or their
lookalikes, one digit off that phrase's code, are that code. And it misreads a letter or two
of a long exception name (`RateimitErrnr`): a name one edit from exactly one class the
knowledge knows (two for a long one) is that class. In a line with a status, a word one
lookalike letter off a word that tells a report (`returms 429`) is that word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz.distance import Hamming, Levenshtein
from rapidfuzz.process import extract

from bot.core.model import Knowledge

MIN_PHRASE_CHARS = 8  # shorter phrases glued together are too easily found by chance
MIN_NAME_CHARS = 8  # shorter class names are one edit from too many words
LONG_NAME_CHARS = 13  # from this long, a name may be two edits off
MIN_WORD_CHARS = 6  # a shorter word is one edit from too many others


@dataclass(frozen=True, slots=True)
class Vocabulary:
    glued: re.Pattern[str] | None
    phrases: Mapping[str, str]  # the phrase without spaces, lower case -> the phrase
    coded: re.Pattern[str] | None
    codes: Mapping[str, str]  # reason phrase, lower case, spaces removed -> its code
    names: Mapping[str, str]  # exception class name, lower case -> as the knowledge spells it
    known: frozenset[str] = frozenset()  # words that tell a report (prose.yaml), lower case


_cache: dict[int, tuple[object, Vocabulary]] = {}


def vocabulary(knowledge: Knowledge) -> Vocabulary:
    """The knowledge's phrases, compiled once per loaded knowledge."""
    signals = knowledge.signals
    held = _cache.get(id(signals))
    if held is not None and held[0] is signals:
        return held[1]
    reasons = signals.statuses.reasons
    written = (*signals.transport, *signals.proxies)
    texts = [term.text for term in written if term.pattern is None] + list(reasons)
    phrases = {
        p.replace(" ", "").lower(): p
        for p in texts
        if " " in p.strip() and len(p) >= MIN_PHRASE_CHARS and re.fullmatch(r"[\w .'-]+", p)
    }
    glued = _alternation([" ?".join(map(re.escape, p.split())) for p in phrases.values()])
    # A reason of one short word (`Conflict`) is too common a word to vouch for a number.
    coding = [r for r in reasons if " " in r or len(r) >= MIN_PHRASE_CHARS]
    codes = {r.replace(" ", "").lower(): reasons[r] for r in coding}
    names = [" ?".join(map(re.escape, r.split())) for r in coding]
    # Any three characters but spaces: a lookalike (`4@3`, `5o2`) is read with the digits
    # `apply` is given, and must then be a number.
    coded = re.compile(rf"(?<![\w.])(\S{{3}}) ?({'|'.join(names)})\b", re.I) if names else None
    classes = {n.lower(): n for n in signals.exceptions if len(n) >= MIN_NAME_CHARS}
    known = frozenset(w for w in signals.report_words if len(w) >= MIN_WORD_CHARS and w.isalpha())
    built = Vocabulary(glued, phrases, coded, codes, classes, known)
    _cache.clear()  # one knowledge is served at a time
    _cache[id(signals)] = (signals, built)
    return built


def _alternation(parts: list[str]) -> re.Pattern[str] | None:
    if not parts:
        return None
    return re.compile(rf"(?<![A-Za-z])({'|'.join(sorted(parts, key=len, reverse=True))})", re.I)


def _respaced(letters: str, phrase: str) -> str:
    """`letters` (as the picture wrote them) with spaces where `phrase` has them."""
    out, at = [], 0
    for word in phrase.split():
        out.append(letters[at : at + len(word)])
        at += len(word)
    return " ".join(out)


_NAME = re.compile(rf"(?<![A-Za-z])[A-Za-z]{{{MIN_NAME_CHARS - 1},}}(?![A-Za-z])")


def _named(text: str, names: Mapping[str, str]) -> str:
    """Each word an edit or two off exactly one of `names` (and not a name itself) is that
    name."""
    choices = list(names)

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        lowered = word.lower()
        if lowered in names:
            return word
        most = 2 if len(word) >= LONG_NAME_CHARS else 1
        near = extract(lowered, choices, scorer=Levenshtein.distance, score_cutoff=most, limit=2)
        if not near or (len(near) > 1 and near[1][1] == near[0][1]):
            return word  # nothing near, or two names as near: no guess
        # The engine misreads or drops a letter; two letters more or fewer is another name
        # (`HttpException`, `onConnectTimeout`).
        if abs(len(near[0][0]) - len(word)) > 1:
            return word
        return names[near[0][0]]

    return _NAME.sub(fix, text)


# A line that names a status (`... returms 429 when ...`): its words are the report's.
_STATUS = re.compile(r"(?<![\w.])[1-5]\d\d(?![\w.])")
_WORD = re.compile(rf"(?<![\w-])[a-z]{{{MIN_WORD_CHARS},}}(?![\w-])")


def _mended(text: str, known: frozenset[str], letters: Mapping[str, str]) -> str:
    """In a line with a status, a lower-case word one lookalike letter off exactly one of the
    words that tell a report (`returms 429`) is that word. Only a letter the engine misreads
    for another (`letters`), none dropped or added: `setting` is not `getting`, `reused` not
    `refused`."""
    choices = sorted(known)

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in known:
            return word
        near = extract(word, choices, scorer=Hamming.distance, score_cutoff=1, limit=2)
        if len(near) != 1 or len(near[0][0]) != len(word):
            return word  # nothing near, or two words as near: no guess
        meant = near[0][0]
        seen, right = next((a, b) for a, b in zip(word, meant, strict=True) if a != b)
        return meant if letters.get(seen) == right else word

    return "\n".join(
        _WORD.sub(fix, line) if _STATUS.search(line) else line for line in text.split("\n")
    )


def apply(
    text: str,
    words: Vocabulary,
    digits: Mapping[str, str] | None = None,
    letters: Mapping[str, str] | None = None,
) -> str:
    """`text` with glued phrases spaced again, misread class names, report words and the
    misread codes of reason phrases fixed; `digits` maps the characters the engine reads for
    digits, `letters` a letter it reads for another."""
    if words.names:
        text = _named(text, words.names)
    if words.known and letters:
        text = _mended(text, words.known, letters)
    if words.glued is not None:

        def space(match: re.Match[str]) -> str:
            found = match.group(0)
            if found.lower() in words.names:
                return found  # a class name (`InternalServerError`), not words run together
            if found[-1:].isalpha() and match.string[match.end() : match.end() + 1].isalpha():
                return found  # inside a longer name (`BadRequestError`): not words to space
            phrase = words.phrases.get(found.replace(" ", "").lower())
            if phrase is not None and found.count(" ") < phrase.count(" "):
                found = _respaced(found.replace(" ", ""), phrase)
            # A number glued after the phrase ("timed out after30") stands apart from it.
            glued = match.end() < len(match.string) and match.string[match.end()].isdigit()
            return found + " " if glued else found

        text = words.glued.sub(space, text)
    if words.coded is not None:
        table = str.maketrans(dict(digits or {}))

        def recode(match: re.Match[str]) -> str:
            written, reason = match.group(1), match.group(2)
            number = written.translate(table)
            code = words.codes.get(reason.replace(" ", "").lower())
            if code is None or not number.isdigit() or not any(c.isdigit() for c in written):
                return match.group(0)
            if number != code and sum(a != b for a, b in zip(number, code, strict=True)) != 1:
                return match.group(0)
            if written == code:
                return match.group(0)
            return f"{code} {match.group(0)[3:].lstrip()}"

        text = words.coded.sub(recode, text)
    return text
