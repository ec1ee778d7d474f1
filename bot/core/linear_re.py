"""Regular expressions that run in time linear in the text: RE2, for everything users send.

Python's `re` backtracks, so one hostile paste (blank lines, repeated prefixes) or one careless
knowledge pattern could hold the event loop for seconds. RE2 can't backtrack: it has no
look-around and no backreferences, and it releases the GIL while it searches. The standard
`re` stays only where the input is fixed and trusted.
"""

from __future__ import annotations

import re2

Regex = re2._Regexp
Match = re2._Match


class RegexError(ValueError):
    """A pattern RE2 refuses; the message says why in RE2's words."""


def compile_linear(
    pattern: str, *, ignore_case: bool = False, multiline: bool = False, dot_all: bool = False
) -> Regex:
    """Compile `pattern` with RE2; raise `RegexError` (never print to stderr) if it can't."""
    options = re2.Options()
    options.log_errors = False  # RE2 would print every refusal to stderr itself
    options.case_sensitive = not ignore_case
    flags = ("m" if multiline else "") + ("s" if dot_all else "")
    try:
        return re2.compile(f"(?{flags}){pattern}" if flags else pattern, options)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise RegexError(str(reason)) from None
