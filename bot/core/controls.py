"""Text without what a screen obeys instead of showing: for a terminal, and for Discord.

A paste can carry escape sequences that a terminal executes: OSC 52 writes the clipboard,
OSC 8 hides a link behind harmless text, CSI moves the cursor and erases lines (so a report
line can overwrite the one above), C1 controls do the same in a single character, and bidi
overrides reorder what is shown. `python -m bot report` prints stored pastes to a moderator's
terminal, so everything it prints goes through `without_controls`.
"""

from __future__ import annotations

from bot.core.linear_re import compile_linear, readable

# A whole sequence, so its parameters go with it: CSI to its final byte; OSC, DCS, SOS, PM and
# APC strings to BEL or ST (or the end of the line, which keeps an unclosed one from eating
# the rest of a report); any other escape is two characters, or more with intermediates.
_SEQUENCE = compile_linear(
    r"(?:\x1b\[|\x{9b})[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x{90}\x{98}\x{9d}\x{9e}\x{9f}])[^\x07\x1b\x{9c}\n]*(?:\x07|\x1b\\|\x{9c})?"
    r"|\x1b[ -/]*[0-~]?"
)
# What is left: C0 controls but tab and newline, DEL, C1 controls, bidi marks, embeddings,
# overrides and isolates, zero-width characters, line and paragraph separators.
_CONTROLS = dict.fromkeys(
    (
        *range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C, 0x180E,
        *range(0x200B, 0x2010), *range(0x2028, 0x202F), *range(0x2060, 0x2070), 0xFEFF,
    )
)  # fmt: skip


def without_controls(text: str) -> str:
    """`text` with every escape sequence and control or bidi character removed; keeps tabs
    and line breaks. Linear time."""
    if "\x1b" in text or not text.isascii():  # C1 introducers are not ASCII
        text = _SEQUENCE.sub("", readable(text))
    return text.translate(_CONTROLS)
