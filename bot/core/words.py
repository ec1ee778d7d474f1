"""Whole-word search in lower-cased text, shared by extraction and the knowledge index."""

from __future__ import annotations


def occurs(lowered: str, needle: str) -> bool:
    """`needle` occurs in `lowered`, not glued to letters or digits on either side.

    An edge of the needle that is punctuation ("curl: (") needs no boundary there, and a
    plural "s" may follow: "cloudflare 520s" still says "cloudflare 520".
    """
    start = lowered.find(needle)
    while start != -1:
        end = start + len(needle)
        end += lowered.startswith("s", end) and not lowered[end + 1 : end + 2].isalnum()
        before_ok = start == 0 or not needle[0].isalnum() or not lowered[start - 1].isalnum()
        after_ok = end >= len(lowered) or not needle[-1].isalnum() or not lowered[end].isalnum()
        if before_ok and after_ok:
            return True
        start = lowered.find(needle, start + 1)
    return False
