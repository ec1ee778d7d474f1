"""holdout44 and holdout45's reasons (issue 18), each as a general rule, in words the rounds
did not use, with the sentences each rule must leave alone beside the ones it must catch.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

# A status reported in Indonesian and Japanese (`receiving`, `followers` and `arriving` in
# statuses.yaml): answered as it would be in English.
STATUSES_ELSEWHERE = [
    ("kena 429 dari fireworks waktu batch jalan", "429"),
    ("fireworks 502 mulu dari pagi", "502"),
    ("ファインチューニングしたLoRAで推論すると412が返ります。ベースはmixtral-8x7bです", "412"),
]
# ... and a count stays a count.
NOT_STATUSES = [
    "dapet 500 token gratis dari fireworks, mantap",
]


@pytest.mark.parametrize(("text", "code"), STATUSES_ELSEWHERE)
def test_a_status_told_in_another_language_is_answered(
    text: str, code: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == code


@pytest.mark.parametrize("text", NOT_STATUSES)
def test_a_number_given_in_another_language_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# A failure said with no error text: asked as an outage in pt and es, going on since a while
# with nothing changed, a model family said to stop working (`outage`, `ongoing`, `failing`).
VAGUE = [
    "o fireworks ta fora? nenhuma chamada passa",
    "¿la api de fireworks está con problemas? todo lo mío se cae",
    "seeing errors for the past 20 minutes on deepseek, didn't change anything",
    "deepseek v3 keeps failing since lunch, it was fine 2 hours ago",
]
# ... and the same words with nothing failing.
NOT_VAGUE = [
    "price for deepseek v3 went down? nice",
    "the new qwen release works great, was fine an hour ago and still is",
]


@pytest.mark.parametrize("text", VAGUE)
def test_a_vague_report_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


@pytest.mark.parametrize("text", NOT_VAGUE)
def test_the_same_words_with_nothing_failing_stay_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# A tool's own sentence that hides the status: Flowise's, SillyTavern's, the Vercel AI SDK's
# error class.
TOOLS_HIDING = [
    "chatflow: Error in LLM call, nothing else logged",
    "SillyTavern: 'Chat Completion API returned error' on fireworks",
    "AI_APICallError thrown from streamText, provider is fireworks",
]


@pytest.mark.parametrize("text", TOOLS_HIDING)
def test_a_tools_sentence_with_no_status_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


# The user's own service in front of Fireworks answered the status itself: a human looks.
OWN_GATEWAY = [
    "our /v1/complete route (which calls fireworks) returns 502 after the release",
    "nginx 504 on our api that forwards to fireworks, upstream unknown",
]


@pytest.mark.parametrize("text", OWN_GATEWAY)
def test_an_own_services_status_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


# Mentions that must stay quiet: someone else's error, a condition in es/pt, a plan, another
# service failing, resolved in Korean.
QUIET = [
    "my teammate says she keeps hitting 429 on fireworks, I'll ask her for the logs",
    "@ana you mentioned you got a 404 on the embeddings route, still happening?",
    "si obtengo un 502 de fireworks, ¿reintento?",
    "we'll roll out the fireworks bot behind our corporate proxy next week, anything to set?",
    "mistral rate limited us all morning (429), is fireworks stricter?",
    "circleci keeps failing with 503s, can't ship the fireworks integration yet",
    "supabase is down so our fireworks pipeline sits idle",
    "어제 429 뜨던 거 이제 괜찮아졌어요",
]


@pytest.mark.parametrize("text", QUIET)
def test_a_mention_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# Misread from a picture: a 9 read as a g, a capital I for a small l.
def test_a_status_misread_from_a_picture_is_answered(knowledge: Knowledge) -> None:
    text = 'screenshot text: "Error 42g - Rate Iimit reached for this model"'
    assert verdict_label(text, knowledge) == "429"


# A host name resolved to an address is not a report resolved.
def test_a_name_resolved_to_an_address_is_not_a_fix(knowledge: Knowledge) -> None:
    text = "connect ECONNREFUSED 10.1.2.3:443 (api.fireworks.ai resolved to that via /etc/hosts)"
    assert verdict_label(text, knowledge) == "connection-refused"


# A client's proxy exception blamed on one's own proxy is still the proxy refusing.
def test_a_proxy_error_from_ones_own_proxy_is_answered(knowledge: Knowledge) -> None:
    text = "httpx.ProxyError: 502 Bad Gateway, that's our squid proxy, not fireworks"
    assert verdict_label(text, knowledge) == "proxy-refused"
