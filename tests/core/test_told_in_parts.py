"""holdout30 and holdout31's reasons (issue 18), each as a general rule, in words the rounds
did not use: the user's own gateway told in parts (its name, its relation to Fireworks, a 5xx
of its own), misspelt failure words, thanks that mock a tool, and mentions in more languages.
Each rule has the sentences it must leave alone beside the ones it must catch.
"""

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from tests.core.labels import verdict_label

# A gateway (or a platform, or an app) named on a line with its relation to Fireworks, giving a
# 500, 502 or 503 of its own: what Fireworks answered is unknown, so a human looks. Not when
# Fireworks is said to answer the status, a client's exception printed it for its own call,
# the gateway wrapped an inner status, or the status is a 504 (its entry explains it).
GATEWAY_IN_PARTS = [
    ("caddy sits in front of our fireworks relay and answers 502, its logs are empty", "unknown"),
    ("Cloud Run -> fireworks, and users get 503 from the internal gateway", "unknown"),
    ("our edge function that calls fireworks gives 500 with an empty body", "unknown"),
    ('with fireworks models Langflow shows "Internal Server Error" on its own screen', "unknown"),
    ("the fireworks api keeps answering 503 through our nginx", "503"),
    ("502 Bad Gateway from api.fireworks.ai, straight through our haproxy", "502"),
    ("our gateway 502: upstream fireworks 401", "401"),
    (
        "openai.InternalServerError: Error code: 500 - {'error': {'message': 'Internal error'}}"
        "\nthis runs in a lambda behind API Gateway that calls fireworks",
        "500",
    ),
    ("traefik in front of fireworks? thinking of adding one, any tips", "none"),
]


@pytest.mark.parametrize(("text", "expected"), GATEWAY_IN_PARTS)
def test_the_users_gateway_told_in_parts(text: str, expected: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == expected


# A failure word one edit off (same first letter, five letters or more) still says it failed;
# a real word that close does not.
MISSPELT = [
    ("the fireworks api is faild on every call since noon", "unknown"),
    ("fireworks requests keep failng for me today", "unknown"),
    ("I'm filing a ticket about the fireworks api docs being outdated", "none"),
    ("we're falling back to the fireworks api when openai is down, works great", "none"),
]


@pytest.mark.parametrize(("text", "expected"), MISSPELT)
def test_a_misspelt_failure_word_still_reports(
    text: str, expected: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == expected


# Thanks beside a tool's failure sentence in quotes mocks the tool; thanks with a fix is thanks.
THANKS = [
    (
        'fireworks via AnythingLLM: "Something went wrong, please retry" thanks AnythingLLM',
        "unknown",
    ),
    ("thanks, the fireworks calls stopped failing after I rotated the key", "none"),
    ("gracias! ya no falla la api de fireworks", "none"),
]


@pytest.mark.parametrize(("text", "expected"), THANKS)
def test_thanks_that_mock_a_tool_do_not_resolve(
    text: str, expected: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == expected


# Reports told in romanised or informal words, and off-table statuses in es and pt.
REPORTS = [
    ("fireworks api mish shaghal khales", "unknown"),
    ("fireworks moxing yizhi baocuo", "unknown"),
    ("fireworks no endpoint ga ugokimasen", "unknown"),
    ("fireworks se output nahi aa raha", "unknown"),
    ("la api de fireworks me devuelve 422 al subir el dataset, ¿qué significa?", "unknown"),
    ("recebi 521 da fireworks agora há pouco", "unknown"),
    ("100 calls ke baad 429 aane lage", "429"),
    (
        "behind the office proxy: ProxyError('Cannot connect to proxy.', "
        "RemoteDisconnected('Remote end closed connection without response'))",
        "proxy-refused",
    ),
    ("le stream fireworks coupe net, jamais de [DONE] à la fin", "stream-cut-off"),
]


@pytest.mark.parametrize(("text", "expected"), REPORTS)
def test_reports_in_more_words(text: str, expected: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == expected


# Mentions: a general question, a plan, solved, a docs row quoted with its reason, another
# provider failing while Fireworks holds up; none is answered or escalated.
MENTIONS = [
    "curious, what does fireworks send for a 422? haven't seen one",
    "Allgemeine Frage: gibt es bei zu vielen Tokens 400 oder 413?",
    "agar deployment scale down ho gaya toh pehli call kitni slow hogi?",
    "解決しました\uff01401はキーを入れ直したら出なくなりました",
    "> 402 Payment Required: This error occurs when the account is out of credits\nso that's it",
    "mistral returning 503 all morning, fireworks llama holding up fine",
    "el que falla es Redis con 500, fireworks responde bien",
    "I never check for [DONE], I just read finish_reason",
]


@pytest.mark.parametrize("text", MENTIONS)
def test_mentions_in_more_words(text: str, knowledge: Knowledge) -> None:
    assert diagnose(text, knowledge, "passive").action == "ignore"
