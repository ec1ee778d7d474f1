"""Vet a moderator's regex: RE2 compiles it, and what RE2 can't judge is checked here.

RE2 searches in time linear in the paste, so no pattern can backtrack. What is left: saying in
plain words why RE2 refuses a pattern (look-around, backreferences), a pattern so large that
each search of a long paste costs milliseconds (linear, but in the pattern's size too), and a
pattern that matches empty text, which would claim every paste.
"""

from __future__ import annotations

from bot.core.entry import Pattern
from bot.core.linear_re import RegexError, compile_linear

# RE2 instructions; a 1,000-step pattern searches the longest paste the bot reads in ~0.5 ms.
MAX_PROGRAM_SIZE = 1000

_LOOK_AROUND = ("(?=", "(?!", "(?<=", "(?<!")
_BACKREFERENCE = ("(?P", "(?(")  # (?P=name) and (?(1)yes|no); RE2 accepts (?P<name>...)


def compile_pattern(source: str) -> tuple[Pattern | None, str | None]:
    """Compile a regex pattern, or explain why it is rejected (the reason says how to fix it)."""
    try:
        regex = compile_linear(source, ignore_case=True)  # like literal patterns
    except RegexError as error:
        return None, _refused(str(error))
    if regex.programsize > MAX_PROGRAM_SIZE:
        return None, (
            f"is too large: {regex.programsize} steps once compiled, at most {MAX_PROGRAM_SIZE},"
            " and every message is searched with it — use smaller counts than {1,500} and "
            "fewer alternatives, or split it into patterns that each name one message"
        )
    if regex.search("") is not None:
        return None, (
            "matches empty text, so it would match every paste — make its literal part "
            "required (drop the * or ? after it)"
        )
    return Pattern(source, regex=regex), None


def _refused(reason: str) -> str:
    """RE2's refusal ('invalid perl operator: (?<!'), as what to write instead."""
    construct = reason.rpartition(": ")[2]
    if construct.startswith(_LOOK_AROUND):
        return (
            "uses look-around ((?=...), (?!...), (?<=...) or (?<!...)), which the bot's regex "
            "engine (RE2, linear-time) does not support — match the neighbouring text itself "
            "(write 'limit exceeded', not 'limit(?= exceeded)'), or drop the condition"
        )
    if construct.startswith(_BACKREFERENCE) or (construct[:1] == "\\" and construct[1:].isdigit()):
        return (
            "uses a backreference (\\1, (?P=name) or (?(1)...)), which the bot's regex engine "
            "(RE2, linear-time) does not support — write the repeated text out instead"
        )
    return (
        f"does not compile: {reason} — fix the syntax "
        "(a literal . ( ) [ ] ? + * needs a backslash before it)"
    )
