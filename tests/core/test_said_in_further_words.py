"""holdout40 and holdout41's reasons (issue 18), each as a general rule, in words the rounds
did not use, with the sentences each rule must leave alone beside the ones it must catch.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

# A persistence adverb of several words before a code (`returning` in statuses.yaml: "all the
# time", ru "всё время", pt "o tempo todo"), "every" after one (es, pt "toda", "todo" in
# `followers`), and "it shows up for me" before asking what it means (`ongoing`, es "me
# aparece"): the code is one the person is getting.
PERSISTING = [
    ("o tempo todo 404 no modelo novo da fireworks", "404"),
    ("все время 413 от fireworks на длинных запросах", "413"),
    ("fireworks tá dando 502 todas as vezes que mando imagem", "502"),
    ("me aparecen 400 con fireworks al mandar tools, ¿qué significa?", "400"),
]
# ... and the same words where the number is a count or only asked about.
NOT_PERSISTING = [
    "all the time 500 tokens come back from fireworks, is that the cap?",
    "got 500 todo items back from the fireworks batch",
    "¿qué significa un 400 en fireworks? leyendo la documentación",
]


@pytest.mark.parametrize(("text", "code"), PERSISTING)
def test_a_code_said_to_keep_coming_is_answered(text: str, code: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == code


@pytest.mark.parametrize("text", NOT_PERSISTING)
def test_a_count_or_a_question_alone_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# An error noun that ends a sentence with its full stop is said, not a name in code (the stop
# is no attribute access: `resp.error.message` is one).
SENTENCE_END = [
    "the fireworks api threw an error. no idea which one, logs rotated",
    "fireworks: wystąpił błąd. nic więcej",
]
IN_CODE = ["print(fireworks_resp.error.message)  # what do you print here?"]


@pytest.mark.parametrize("text", SENTENCE_END)
def test_an_error_that_ends_a_sentence_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


@pytest.mark.parametrize("text", IN_CODE)
def test_an_error_attribute_in_code_is_no_report(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# Planning, not hitting (`hypothetical`): the handler being written, a status wondered about
# as one might meet it, a code imagined as a joke; a status said not to be Fireworks' (`not_
# fireworks`); a thing working well again, said last (`resolved`).
QUIET = [
    "coding the catch branch for fireworks 429 now, is Retry-After always sent?",
    'is "413 Payload Too Large" from fireworks something you\'d get if we send 20MB images?',
    "a 451 would make a fun fireworks error tbh",
    "our lambda keeps returning 502 - not the fw endpoint, our own code",
    "the 500s from fireworks last night cleared up, everything runs fine again",
]
# ... and the same words beside a failure that is happening.
REPORTS = [
    ("I wrote the handler and fireworks still returns 429 on every call", "429"),
    ("here are my code blocks, fireworks returns 429 on every call", "429"),
    ("suddenly 503 from fireworks. it was working fine today", "503"),
    ("getting 429 from fireworks, same code worked fine today", "429"),
    ("getting 401 from fireworks, is this something you'd see with a revoked key?", "401"),
    ("fireworks keeps returning 503, would be a good time for a status page lol", "503"),
    ("we get 429 from fireworks, writing a retry handler now but is there a higher tier?", "429"),
    ("it was running fine, then fireworks started returning 503 on every call", "503"),
]


@pytest.mark.parametrize("text", QUIET)
def test_planning_someone_elses_status_or_a_fix_stays_quiet(
    text: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == "none"


@pytest.mark.parametrize(("text", "code"), REPORTS)
def test_a_failure_beside_those_words_is_answered(
    text: str, code: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == code


# A groan that mourns Fireworks (`outage`): a vague report, a human looks; not when it mourns
# something else.
def test_a_mourning_groan_reaches_a_human(knowledge: Knowledge) -> None:
    assert verdict_label("rip the fireworks api lol", knowledge) == "unknown"


def test_mourning_something_else_stays_quiet(knowledge: Knowledge) -> None:
    assert verdict_label("rip my weekend, fireworks docs are great though", knowledge) == "none"


# The upstream's status as a gateway's own log shows it ("in the access log is 504",
# `shown_in`), beside the gateway's status: the upstream's is the answer (issue 18, item 3).
def test_an_upstream_status_in_a_gateways_log_is_the_answer(knowledge: Knowledge) -> None:
    text = "traefik hands us 502; the upstream status in the proxy log was 429 from fireworks"
    assert verdict_label(text, knowledge) == "429"


def test_a_log_mentioned_without_a_status_in_it_adds_none(knowledge: Knowledge) -> None:
    text = "traefik returns 502 for fireworks calls, nothing in the access log"
    assert verdict_label(text, knowledge) == "unknown"


# aiohttp's class for a proxy that refused CONNECT (proxies.yaml): the status is the proxy's;
# its class for an answer from the server itself keeps the server's status.
def test_aiohttps_proxy_error_names_the_proxy(knowledge: Knowledge) -> None:
    text = "ClientHttpProxyError: 502, message='Bad Gateway', url=URL('http://egress.lan:8080')"
    assert verdict_label(text + " calling fireworks", knowledge) == "proxy-refused"


def test_aiohttps_response_error_keeps_the_servers_status(knowledge: Knowledge) -> None:
    text = (
        "aiohttp.ClientResponseError: 403, message='Forbidden', "
        "url=URL('https://api.fireworks.ai/inference/v1/models')"
    )
    assert verdict_label(text, knowledge) == "403"


# What one's own side answered, with nothing from Fireworks shown (`own_gateway`): a gateway
# said not to keep the upstream's status, a status said to come from one's own backend that
# calls Fireworks; and Caddy's log line for a response that broke off (transport.yaml).
OWN_SIDE = [
    "our haproxy returns 503 when fireworks is slow; it does not record the upstream code",
    "the 502 in devtools? that's from our node api, which calls fireworks for the summary",
    "caddy: aborting with incomplete response, on the route to my bot that uses fireworks",
]
# ... and the same shape where Fireworks' own status is told.
FIREWORKS_SIDE = [
    ("haproxy gives the browser 503, and its log shows fireworks returned 429", "429"),
]


@pytest.mark.parametrize("text", OWN_SIDE)
def test_ones_own_sides_answer_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


@pytest.mark.parametrize(("text", "code"), FIREWORKS_SIDE)
def test_fireworks_status_told_behind_a_gateway_is_answered(
    text: str, code: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == code


# A failure with no cause shown (`failing`): a front-end's banner that names none, an error in
# a picture said to appear on each call; not a page that shows up in the docs.
NO_CAUSE = [
    "Msty shows There was an issue with the response. with fireworks models",
    "[img] this message appears every time I call fireworks through the SDK",
]


@pytest.mark.parametrize("text", NO_CAUSE)
def test_a_failure_with_no_cause_shown_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


def test_something_that_appears_in_the_docs_stays_quiet(knowledge: Knowledge) -> None:
    text = "the fireworks model list shows up when you open the docs sidebar, neat"
    assert verdict_label(text, knowledge) == "none"


# 410's reason phrase after a receiving verb and its code (`followers`): a status no entry
# covers, so a human looks; the same word elsewhere says nothing.
def test_a_gone_status_reaches_a_human(knowledge: Knowledge) -> None:
    text = "we got 410 Gone on an old fireworks model id this morning"
    assert verdict_label(text, knowledge) == "unknown"


def test_gone_without_a_code_stays_quiet(knowledge: Knowledge) -> None:
    assert verdict_label("the fireworks 429s are gone since we added backoff", knowledge) == "none"


# A status printed with its value in a comment (statuses.py): the code the person got; a
# branch on a status with a comment after it handles one, none arrived.
PRINTED = [
    ("resp = client.post(url)\nprint(resp.status_code)  # 413 on the big fireworks upload", "413"),
    ("System.out.println(res.statusCode()); // 404 from fireworks every time", "404"),
]
BRANCHES = ["if resp.status_code == 429:  # back off, fireworks asks us to\n    time.sleep(2)"]


@pytest.mark.parametrize(("text", "code"), PRINTED)
def test_a_printed_status_in_a_comment_is_answered(
    text: str, code: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == code


@pytest.mark.parametrize("text", BRANCHES)
def test_a_branch_on_a_status_is_no_report(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# A log or a tool that shows one's calls as a status (statuses.py): a status the person got;
# shown as a measure, it is a count.
def test_calls_shown_as_a_status_are_a_report(knowledge: Knowledge) -> None:
    text = "the fireworks dashboard shows our calls as 429 since noon"
    assert verdict_label(text, knowledge) == "429"


def test_a_measure_shown_as_a_number_is_no_status(knowledge: Knowledge) -> None:
    text = "the fireworks dashboard shows our p99 as 503 ms, nice and fast"
    assert verdict_label(text, knowledge) == "none"


def test_an_answer_that_shows_up_stays_quiet(knowledge: Knowledge) -> None:
    text = "it shows up when I call fireworks with the playground, super fast answers"
    assert verdict_label(text, knowledge) == "none"
