"""holdout36 and holdout37's reasons (issue 18), each as a general rule, in words the rounds
did not use, with the sentences each rule must leave alone beside the ones it must catch.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

# A status told in a sentence of another language: Hinglish "... de rahi hai" after the code,
# Turkish "veriyo(r)", Vietnamese "bị" and Levantine Arabizi "bya3tini" before it, and a
# message that opens with the time since which it comes (`arriving`, `returning`, `openers`
# in statuses.yaml).
STATUSES = [
    ("yaar fireworks har baar 429 de rahi hai", "429"),
    ("fireworks api 503 veriyo bugün", "503"),
    ("api của mình bị 429 suốt buổi sáng", "429"),
    ("el api bya3tini 401 kel ma ba3at request", "401"),
    ("depuis hier 503 avec fireworks", "503"),
    ("since last night 502 again", "502"),
]
# ... and the numbers beside those words that are counts, not statuses.
COUNTS = [
    "bhai ye model 500 tokens/sec de raha hai, mast",
    "fireworks 500 token/s veriyor, harika",
    "since yesterday 500 users signed up for our fireworks demo",
]


@pytest.mark.parametrize(("text", "code"), STATUSES)
def test_a_status_told_in_other_words_is_read(text: str, code: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == code


@pytest.mark.parametrize("text", COUNTS)
def test_a_count_beside_those_words_is_not_a_status(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# A failure said with no error text, in slang and other languages (`failing`, `outage`,
# `persistence`, `error_nouns` in prose.yaml): a human looks.
VAGUE = [
    "fireworks ded again?? 💀",
    "la integración con fireworks está rota desde el lunes",
    "o fireworks tá dando pau direto",
    "हमारा fireworks मॉडल काम नहीं कर रहा",
    "the fireworks wrapper keeps raising an exception on big inputs",
    "the api gives eror evrytime",
    "API fireworks rzuca błędami",
    "argh fireworks again",
    "IDE popup: We encountered an issue while calling the fireworks model",
]
# ... and the same words where nothing failed.
NOT_VAGUE = [
    "the new fireworks demo is ded simple to set up",
    "el deploy no está roto, fireworks funciona bien",
    "sigh, fireworks again for the hackathon, love it",
    "criei uma rota nova que chama a api do fireworks",  # pt "rota": a route, not es "broken"
]


@pytest.mark.parametrize("text", VAGUE)
def test_a_vague_report_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


@pytest.mark.parametrize("text", NOT_VAGUE)
def test_the_same_words_with_nothing_failing_stay_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# Questions that name a status without hitting it: asked for the code one writes, called
# theoretical, about what a status's response carries, whether a header exists, in which cases
# a status comes (ko), or docs being drafted (`hypothetical`, `asks_meaning`, `how_to`,
# `teaching` in prose.yaml).
QUESTIONS = [
    "does fireworks return 413 for big images or only for long prompts?"
    " asking so we can handle both",
    "Will fireworks throw 503 while a deployment scales? asking for our backoff code",
    "theoretical question: does fireworks return 500 or 503 when a node dies?",
    "does the 413 error response include the max size anywhere? the docs don't say",
    "402 응답에 잔액 정보가 들어있나요?",
    "412 에러는 어떤 경우에 생기나요?",
    "is there a header on the 429 responses we get that says when to retry?",
    "drafting internal docs: fireworks returns 401 for a revoked key, right?",
]
# ... and the reports beside them.
STILL_REPORTS = [
    ("asking for help: fireworks gives me 503 on every call since noon", "503"),
    ("does the 429 response ever stop? I keep getting 429 from fireworks", "429"),
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_a_question_about_a_status_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


@pytest.mark.parametrize(("text", "code"), STILL_REPORTS)
def test_a_report_asked_as_a_question_is_answered(
    text: str, code: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == code


# Resolved or well: thanks and "it's gone" in Vietnamese, an error rate of zero, the bot's
# answer praised (`resolved`); not a failure that comes back on a schedule (`new_failure`), nor
# a rate above zero.
RESOLVED = [
    "cám ơn anh, lỗi 429 hết rồi",
    "status board: failure rate at 0% for fireworks today",
    "> your corporate proxy intercepts TLS\nthe bot was right, added our CA bundle",
]
NOT_RESOLVED = [
    ("fixed it yesterday but it comes back every few hours: getting 503 from fireworks", "503"),
    ("error rate 12% on the fireworks route since 9am", "unknown"),
]


@pytest.mark.parametrize("text", RESOLVED)
def test_all_is_well_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


@pytest.mark.parametrize(("text", "label"), NOT_RESOLVED)
def test_a_failure_that_comes_back_is_not_resolved(
    text: str, label: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == label


# The user's own server or gateway answered its own error page in front of Fireworks, with
# nothing from Fireworks inside (`gateways`, `gateway_replies`, `fronting`, `own_gateway` in
# prose.yaml): what Fireworks answered is unknown, so a human looks.
OWN_SERVER = [
    "<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>"
    "<hr><center>nginx/1.25.3</center></body></html>\nour /ask route uses fireworks",
    "gunicorn returns 500 Internal Server Error on /api/ask (calls fireworks)",
    "our flask service throws 500 Internal Server Error every time it hits fireworks",
    "traefik answers 502; that box is the fireworks relay",
    "haproxy answers 503, it's our relay to fireworks",
]
# ... and Fireworks' own status passed on, or a status given on purpose.
NOT_OWN_SERVER = [
    ("our backend gets 500 from fireworks every time it calls it", "500"),
    ("my express backend gets 502 Bad Gateway from fireworks whenever it calls it", "502"),
    ("our own API returns 401 to our users when their token expires, does fireworks too?", "none"),
]


@pytest.mark.parametrize("text", OWN_SERVER)
def test_ones_own_server_error_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


@pytest.mark.parametrize(("text", "label"), NOT_OWN_SERVER)
def test_fireworks_status_through_ones_server_is_answered(
    text: str, label: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == label


# The same call straight to Fireworks works: the router in between fails (`not_fireworks`).
def test_a_router_that_fails_while_fireworks_works_stays_quiet(knowledge: Knowledge) -> None:
    text = "via portkey every call 502s, direct to fireworks works. so it's a portkey problem?"
    assert verdict_label(text, knowledge) == "none"
    assert verdict_label("direct fireworks calls fail with 502 too", knowledge) == "502"


# Tools' own sentences: n8n 2.x's for EAI_AGAIN, and [DONE] that one never receives.
def test_tools_sentences_reach_their_entry(knowledge: Knowledge) -> None:
    n8n = (
        "HTTP Request node → fireworks: The DNS server returned the DNS server not available error"
    )
    assert verdict_label(n8n, knowledge) == "dns-lookup-failed"
    stream = "the fireworks stream halts and we never receive `data: [DONE]`"
    assert verdict_label(stream, knowledge) == "stream-cut-off"
    asked = "do I need to wait for data: [DONE] or is finish_reason enough?"
    assert verdict_label(asked, knowledge) == "none"
