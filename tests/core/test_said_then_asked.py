"""holdout73/74's long tail (issue 18), each kind as one general rule, in words the rounds did
not use: a status line shown, then asked about on another line; a code got "every other
call" or "nothing but" it, in German too; a failure still there after the fix; a plea to
look into one's account; Fireworks named after a log's tag; a gateway's own refusal whose
sentence ends before "nothing from fireworks"; the writer doing something wrong; a post
being written; another service that can't be reached.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

REPORTS = [
    ("HTTP/1.1 405 Method Not Allowed\nfrom our deploy script. why would it say that?", "405"),
    ("Was heißt 503 bei Fireworks? Bekomme das gerade bei jedem Aufruf", "503"),
    ("fireworks gives 503 on every other request with llama, no idea why", "503"),
    ("von Fireworks kommt bei uns nur noch 504 zurück", "504"),
    (
        "typo in the base url, nvm... still after fixing the url: ETIMEDOUT on connect",
        "client-timeout",
    ),
    ("could someone check our account please? every request fails since the upgrade", "unknown"),
    ("[worker] fireworks returned 413 Payload Too Large for the pdf batch", "413"),
    (
        'Kong answers {"message":"You cannot consume this service"} with HTTP 403. nothing from'
        " fireworks in its log",
        "unknown",
    ),
]
MENTIONS = [
    "TypeError: list indices must be integers or slices, not str\nlooks like I'm reading the"
    " response wrong",
    "writing notes for a talk: fireworks uses 413 when the payload is too big, others 400",
    "Error: could not connect to lm studio (localhost:1234), comparing it with fireworks",
]


@pytest.mark.parametrize(("text", "label"), REPORTS)
def test_a_report_then_a_question_is_read(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label


@pytest.mark.parametrize("text", MENTIONS)
def test_a_mention_of_ones_own_doing_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"
