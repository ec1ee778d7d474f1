"""holdout77/78's long tail (issue 18), each kind as one general rule, in words the rounds did
not use: a docs quote after the status it contradicts; a code that comes back, consistently,
or is what every request is; "for an hour now" in Spanish and Portuguese; the call to
Fireworks behind one's own proxy named with what it got; the writer reading a response wrong.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

REPORTS = [
    ("fireworks gives HTTP 409 on the batch endpoint, the docs say it is idempotent?", "unknown"),
    ("some requests come back 429 right after the deploy", "429"),
    ("qwen consistently 502s for long prompts on fireworks", "502"),
    ("every request is 413 after I attach the pdf, fireworks", "413"),
    ("o que é 504 na fireworks? acontece há uma hora com o kimi", "504"),
    ("¿qué pasa con el 502 de fireworks? lo veo desde hace 10 minutos", "502"),
    ("our proxy answers 502; the upstream call to api.fireworks.ai got 502 Bad Gateway", "502"),
]
MENTIONS = [
    "TypeError: Cannot read properties of undefined (reading 'content')\n"
    "I think I read the choices wrong",
]


@pytest.mark.parametrize(("text", "label"), REPORTS)
def test_a_report_as_it_came_is_read(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label


@pytest.mark.parametrize("text", MENTIONS)
def test_ones_own_misreading_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"
