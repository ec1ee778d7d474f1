"""A stream said to be cut before any response arrived is a dropped connection.

Ruby's "end of file reached" names a body that stopped short (a cut-off stream), but Ruby prints
it too when the connection drops right after the request is sent, before any response. The
person's words about when it broke (`before_response` in prose.yaml) then make it the reset of
the two entries `dropped` in markers.yaml names. They never override another failure, and a
reset said to happen mid-stream stays the reset its client named.
"""

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge


def _entry(text: str, knowledge: Knowledge) -> str | None:
    decision = diagnose(text, knowledge, "passive")
    return decision.entry.id if decision.entry else None


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        (
            "EOFError: end of file reached (ruby net/http, right after sending the request)",
            "connection-reset",
        ),
        ("EOFError: end of file reached, before any response came back", "connection-reset"),
        # no timing words: the phrase's own entry
        ("EOFError: end of file reached", "stream-cut-off"),
        # a reset said to happen mid-stream stays a reset
        (
            "streaming from fireworks dies halfway with `ConnectionResetError: [Errno 104] "
            "Connection reset by peer`",
            "connection-reset",
        ),
    ],
)
def test_when_it_broke_makes_a_cut_off_a_reset(knowledge: Knowledge, text: str, entry: str) -> None:
    assert _entry(text, knowledge) == entry


def test_timing_words_never_override_another_failure(knowledge: Knowledge) -> None:
    text = "getaddrinfo ENOTFOUND api.fireworks.ai, fails before any response"
    assert _entry(text, knowledge) == "dns-lookup-failed"
