"""Echoed text can never ping, and nothing else about it changes."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.mentions import defuse_mentions

ZWSP = "\u200b"
PING = re.compile(r"[@\uff20](?:everyone|here)|<@[!&]?[0-9]+>", re.IGNORECASE)


@pytest.mark.parametrize(
    ("text", "defused"),
    [
        ("@everyone help!", f"@{ZWSP}everyone help!"),
        ("pls @here 502 again", f"pls @{ZWSP}here 502 again"),
        ("@EveryOne @HERE", f"@{ZWSP}EveryOne @{ZWSP}HERE"),
        ("\uff20everyone", f"\uff20{ZWSP}everyone"),
        ("@@everyone", f"@@{ZWSP}everyone"),
        ("hey <@123456789012345678>", f"hey <@{ZWSP}123456789012345678>"),
        ("<@!42> and <@&987>", f"<@{ZWSP}!42> and <@{ZWSP}&987>"),
        ("<@1><@2>", f"<@{ZWSP}1><@{ZWSP}2>"),
    ],
)
def test_defuses_pings(text: str, defused: str) -> None:
    assert defuse_mentions(text) == defused


@pytest.mark.parametrize(
    "text",
    [
        "mail support@fireworks.ai",
        "@someone @every one @her",
        "see <#123456> or </fwerror:123456>",
        "<@abc> <@> <@123 <@&x>",
        "decorator @app_commands.command()",
        "",
    ],
)
def test_leaves_other_text_alone(text: str) -> None:
    assert defuse_mentions(text) == text


def test_already_defused_text_is_unchanged() -> None:
    once = defuse_mentions("@everyone <@123> <@&4>")
    assert defuse_mentions(once) == once


def test_megabyte_input() -> None:
    text = "<@" * 200_000 + "1" * 200_000 + "@" * 200_000
    assert defuse_mentions(text) == text


SETTINGS = settings(max_examples=200, deadline=None)

ping_fragments = st.sampled_from(
    ["@", "\uff20", "everyone", "EVERYONE", "here", "Here", "<@", "<@!", "<@&", "123", ">", ZWSP]
)
messy_text = st.lists(
    st.one_of(st.text(st.characters(exclude_categories=())), ping_fragments), max_size=12
).map("".join)


@SETTINGS
@given(messy_text)
def test_output_never_pings(text: str) -> None:
    assert PING.search(defuse_mentions(text)) is None


@SETTINGS
@given(messy_text)
def test_defuse_is_idempotent(text: str) -> None:
    once = defuse_mentions(text)
    assert defuse_mentions(once) == once


@SETTINGS
@given(messy_text)
def test_only_zero_width_spaces_are_added(text: str) -> None:
    defused = defuse_mentions(text)
    assert defused.replace(ZWSP, "") == text.replace(ZWSP, "")
