"""Which language a message's prose is written in, so the answer can be in it too.

Only the prose counts: a paste's error line, stack frames and code are English whatever the
reader speaks. Chinese and Japanese are told by their scripts (kana means Japanese); the
others by which list in `knowledge/languages/words.yaml` has the most words in the prose.
"""

from __future__ import annotations

from collections import Counter

from bot.core.error_line import is_code, is_frame
from bot.core.linear_re import compile_linear, for_re2

ENGLISH = "en"
LANGUAGES = ("zh", "es", "pt", "ja")  # what an entry may be translated into

_KANA = compile_linear(r"[\x{3040}-\x{30ff}]")
_HAN = compile_linear(r"[\x{4e00}-\x{9fff}]")
_ERROR_SHAPED = compile_linear(
    r"[A-Za-z_][\w.]*(?:Error|Exception)\b|[{}\[\]<>]|https?://|\b[1-5]\d\d\b.*\b[1-5]\d\d\b"
)
_WORD = compile_linear(r"\pL+")  # letters of any script: RE2's \w is ASCII only


def prose(text: str) -> str:
    """The lines a person wrote: not frames, not code, not the error's own text."""
    keep = []
    fenced = False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or is_frame(line) or is_code(line):
            continue
        if _ERROR_SHAPED.search(for_re2(line)):
            continue
        keep.append(line)
    return "\n".join(keep)


def detect(text: str, words: dict[str, frozenset[str]]) -> str:
    """The language of `text`'s prose: "zh", "ja", a key of `words`, or "en"."""
    written = prose(text)
    view = for_re2(written)
    kana = len(_KANA.findall(view))
    han = len(_HAN.findall(view))
    if kana >= 2:
        return "ja"
    if han >= 2:
        return "zh"
    tokens = [token.lower() for token in _WORD.findall(view)]
    counts = Counter(
        {lang: sum(token in vocabulary for token in tokens) for lang, vocabulary in words.items()}
    )
    ranked = counts.most_common()
    if not ranked or ranked[0][0] == ENGLISH or ranked[0][1] == 0:
        return ENGLISH
    best, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return best if score > second else ENGLISH
