"""Make user text that the bot echoes unable to ping anyone.

The bot already sends with mentions disabled; this is the second lock, for any client or code
path that ignores that. A zero-width space after the ``@`` breaks the mention syntax while the
text still reads the same.
"""

from __future__ import annotations

from bot.core.linear_re import compile_linear, for_re2

_ZWSP = "\u200b"
# No word boundary after the name: a needless zero-width space costs nothing, a ping does.
_MASS_PING = compile_linear(r"[@\x{ff20}](?:everyone|here)", ignore_case=True)
_USER_OR_ROLE = compile_linear(r"<@[!&]?[0-9]+>")


def defuse_mentions(text: str) -> str:
    """Break ``@everyone``, ``@here``, ``<@id>``, ``<@!id>`` and ``<@&id>``; idempotent."""
    if "@" not in text and "\uff20" not in text:
        return text
    readable = for_re2(text)  # same positions; the text itself is echoed as it came
    cuts = sorted(
        [m.start() + 1 for m in _MASS_PING.finditer(readable)]
        + [m.start() + 2 for m in _USER_OR_ROLE.finditer(readable)]
    )
    pieces = [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    return _ZWSP.join(pieces)
