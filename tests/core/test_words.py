"""Whole-word search: the shared rule for transport phrases and knowledge strings."""

import pytest

from bot.core.words import occurs


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("502 bad gateway again", "bad gateway", True),
        ("badgateway", "bad gateway", False),
        ("filenotfounderror: x", "enotfound", False),
        ("error: enotfound api", "enotfound", True),
        ("curl: (6) could not resolve host", "curl: (", True),
        ("cloudflare 520s all day", "cloudflare 520", True),
        ("cloudflare 5200", "cloudflare 520", False),
        ("glued then free: xrate limit, rate limit", "rate limit", True),
    ],
)
def test_occurs(text: str, needle: str, expected: bool) -> None:
    assert occurs(text, needle) is expected
