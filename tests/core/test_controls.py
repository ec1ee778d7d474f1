"""Text for a terminal (and Discord): nothing a screen would obey instead of show survives."""

import pytest

from bot.core.controls import without_controls


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b]52;c;ZmFrZQ==\x07b", "ab"),  # OSC 52: write the clipboard
        ("x\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\y", "xclicky"),  # OSC 8 link
        ("\x1b[2J\x1b[1A\x1b[2Kok\r\n", "ok\n"),  # erase the screen, cursor up, erase the line
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x9b1Aup \x9d52;c;ZmFrZQ==\x9cnext", "up next"),  # the same in C1 controls
        ("\u202eevil\u202c \u2066x\u2069 \u200fz", "evil x z"),  # bidi overrides and isolates
        ("bell\x07 back\x08space \x7fdel", "bell backspace del"),
        ("unclosed \x1b]52;c;ZmFrZQ==\nnext line", "unclosed \nnext line"),
        ("é漢字🙂\ttab\nline", "é漢字🙂\ttab\nline"),
    ],
)
def test_escape_sequences_and_controls_are_removed(text: str, shown: str) -> None:
    assert without_controls(text) == shown


def test_a_megabyte_of_escapes_is_cleaned_in_one_pass() -> None:
    text = "\x1b]52;c;" * 100_000 + "\nend"
    assert without_controls(text) == "\nend"
