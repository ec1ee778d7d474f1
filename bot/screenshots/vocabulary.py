"""OCR fixes that need the knowledge's own vocabulary, so they follow it as it grows.

The engine drops the narrow spaces of a monospace font (`Tasktimedoutafter`, `BadGateway`):
a phrase the knowledge knows (a transport phrase, a reason phrase) written with some of its
spaces missing is written out again. And it misreads one digit of a status (`582 Bad
Gateway`): a three-digit number right before a reason phrase, one digit off that phrase's
code, is that code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.model import Knowledge

MIN_PHRASE_CHARS = 8  # shorter phrases glued together are too easily found by chance


@dataclass(frozen=True, slots=True)
class Vocabulary:
    glued: re.Pattern[str] | None
    phrases: Mapping[str, str]  # the phrase without spaces, lower case -> the phrase
    coded: re.Pattern[str] | None
    codes: Mapping[str, str]  # reason phrase, lower case, spaces removed -> its code


_cache: dict[int, tuple[object, Vocabulary]] = {}


def vocabulary(knowledge: Knowledge) -> Vocabulary:
    """The knowledge's phrases, compiled once per loaded knowledge."""
    signals = knowledge.signals
    held = _cache.get(id(signals))
    if held is not None and held[0] is signals:
        return held[1]
    reasons = signals.statuses.reasons
    texts = [term.text for term in (*signals.transport, *signals.proxies)] + list(reasons)
    phrases = {
        p.replace(" ", "").lower(): p
        for p in texts
        if " " in p.strip() and len(p) >= MIN_PHRASE_CHARS and re.fullmatch(r"[\w .'-]+", p)
    }
    glued = _alternation([" ?".join(map(re.escape, p.split())) for p in phrases.values()])
    codes = {r.replace(" ", "").lower(): code for r, code in reasons.items() if " " in r}
    names = [" ?".join(map(re.escape, r.split())) for r, _ in reasons.items() if " " in r]
    coded = re.compile(rf"(?<![\w.])(\d{{3}}) ?({'|'.join(names)})\b", re.I) if names else None
    built = Vocabulary(glued, phrases, coded, codes)
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


def apply(text: str, words: Vocabulary) -> str:
    """`text` with glued phrases spaced again and one-digit-off codes of reason phrases fixed."""
    if words.glued is not None:

        def space(match: re.Match[str]) -> str:
            found = match.group(0)
            phrase = words.phrases.get(found.replace(" ", "").lower())
            if phrase is not None and found.count(" ") < phrase.count(" "):
                found = _respaced(found.replace(" ", ""), phrase)
            # A number glued after the phrase ("timed out after30") stands apart from it.
            glued = match.end() < len(match.string) and match.string[match.end()].isdigit()
            return found + " " if glued else found

        text = words.glued.sub(space, text)
    if words.coded is not None:

        def recode(match: re.Match[str]) -> str:
            number, reason = match.group(1), match.group(2)
            code = words.codes.get(reason.replace(" ", "").lower())
            if code is None or sum(a != b for a, b in zip(number, code, strict=True)) != 1:
                return match.group(0)
            return code + match.group(0)[3:]

        text = words.coded.sub(recode, text)
    return text
