"""Make user text that the bot echoes unable to ping anyone.

The bot already sends with mentions disabled; this is the second lock, for any client or code
path that ignores that. A zero-width space after the ``@`` breaks the mention syntax while the
text still reads the same.
"""

from __future__ import annotations

import re

_ZWSP = "\u200b"
# No word boundary after the name: a needless zero-width space costs nothing, a ping does.
_MASS_PING = re.compile(r"([@\uff20])(?=everyone|here)", re.IGNORECASE)
_USER_OR_ROLE = re.compile(r"<@(?=[!&]?[0-9]+>)")


def defuse_mentions(text: str) -> str:
    """Break ``@everyone``, ``@here``, ``<@id>``, ``<@!id>`` and ``<@&id>``; idempotent."""
    text = _MASS_PING.sub(r"\1" + _ZWSP, text)
    return _USER_OR_ROLE.sub("<@" + _ZWSP, text)
