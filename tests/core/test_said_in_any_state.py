"""holdout75/76's long tail (issue 18), each kind as one general rule, in words the rounds did
not use: a failure that is smooth now or told to be ignored; a code wondered about for a
runbook; an outage asked as "everyone or just me"; a tool's sentence for the status the model
API gave; an empty answer in Indonesian and Japanese; failures since a deploy.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

REPORTS = [
    (
        "Dify chatflow -> fireworks qwen: [openai_api_compatible] Error: API request failed with"
        " status code 503",
        "503",
    ),
    ("qwen3 on fireworks, everyone or just me?", "unknown"),
    ("is deepseek timing out for all of you or only me", "unknown"),
    ("jawaban dari fireworks kosong, statusnya 200", "unknown"),
    ("Fireworksの応答が空文字です、モデルはllama", "unknown"),
    ("gettin failures on every embeddings call since the rollout", "unknown"),
]
MENTIONS = [
    "was getting 429s from fireworks, added jitter, running smooth now",
    "getaddrinfo ENOTFOUND db.internal (my vpn was off), ignore",
    "when would a user hit 412 on fireworks? drafting our error docs",
]


@pytest.mark.parametrize(("text", "label"), REPORTS)
def test_a_report_in_any_state_is_read(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label


@pytest.mark.parametrize("text", MENTIONS)
def test_a_mention_in_any_state_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"
