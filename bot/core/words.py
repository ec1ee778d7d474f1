"""Words in lower-cased text: whole-word search and word lists, shared by extraction and the index.

Splitting goes through `bytes.translate` rather than a regex: one C pass over the text, where
even a linear regex engine builds an object per word (thousands in a long paste).
"""

from __future__ import annotations

from string import ascii_lowercase, digits

from bot.core.linear_re import unspaced


def _keeping(chars: str) -> bytes:
    """A `bytes.translate` table that keeps `chars` and turns every other byte into a space."""
    return bytes(code if chr(code) in chars else ord(" ") for code in range(256))


_LETTERS = _keeping(ascii_lowercase + "'")
_ALNUM = _keeping(ascii_lowercase + digits)


def _runs(lowered: str, table: bytes) -> list[str]:
    # Non-ASCII characters become bytes >= 0x80, which the table turns into separators.
    return lowered.encode("utf-8", "replace").translate(table).decode("ascii").split()


def letter_runs(lowered: str) -> list[str]:
    """The runs of `a-z` and apostrophes in `lowered`, in order (as `[a-z']+` finds them)."""
    return _runs(lowered, _LETTERS)


def alnum_runs(lowered: str) -> list[str]:
    """The runs of `a-z` and `0-9` in `lowered`, in order (as `[a-z0-9]+` finds them)."""
    return _runs(lowered, _ALNUM)


def _glued(char: str) -> bool:
    """A letter or digit that would continue a word: not one of a script that glues words to
    one another without a space ("Error가", "429エラー")."""
    return char.isalnum() and (char.isascii() or not unspaced(char))


def find_word(lowered: str, needle: str) -> int:
    """Where `needle` first occurs in `lowered`, not glued to letters or digits on either side,
    or -1.

    An edge of the needle that is punctuation ("curl: (") needs no boundary there, and a
    plural "s" may follow: "cloudflare 520s" still says "cloudflare 520".
    """
    start = lowered.find(needle)
    while start != -1:
        end = start + len(needle)
        end += lowered.startswith("s", end) and not lowered[end + 1 : end + 2].isalnum()
        before_ok = start == 0 or not needle[0].isalnum() or not _glued(lowered[start - 1])
        after_ok = end >= len(lowered) or not needle[-1].isalnum() or not _glued(lowered[end])
        if before_ok and after_ok:
            return start
        start = lowered.find(needle, start + 1)
    return -1
