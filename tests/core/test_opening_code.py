"""A short message whose first word is an error code reports it, whatever language follows:
the lists of words that keep a code a status can't know every language's verb. A word after
it that says what the number is, a unit, or a long message keeps it a mention."""

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("405 alırım her seferinde, method doğru görünüyor", "405"),  # noqa: RUF001
        ("401 dá sempre, mesmo com Bearer certinho", "401"),
        ("413 tho. image was 18mb", "413"),
        ("503 Dienst nicht verfügbar bei fireworks seit heute früh", "503"),
    ],
)
def test_a_short_message_opening_with_a_code_reports_it(
    text: str, code: str, knowledge: Knowledge
) -> None:
    decision = diagnose(text, knowledge, "passive")
    assert decision.entry is not None and decision.entry.code == code


@pytest.mark.parametrize(
    "text",
    [
        "429 is such a cursed number, it's my apartment number too",  # what the number is
        "429 tokens per second on the new model, nice",  # a unit
        "420 blaze it",  # no status HTTP names
        "500 " + "words of a long post about our architecture that mentions nothing " * 3,
    ],
)
def test_an_opening_number_that_is_not_reported_stays_quiet(
    text: str, knowledge: Knowledge
) -> None:
    assert diagnose(text, knowledge, "passive").action == "ignore"
