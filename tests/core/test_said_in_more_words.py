"""holdout34 and holdout35's reasons (issue 18), each as a general rule, in words the rounds
did not use, with the sentences each rule must leave alone beside the ones it must catch.
"""

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from tests.core.labels import verdict_label

# An error that keeps coming, with no verb of failure: an error noun and a word of persistence
# in any language (`error_nouns`, `persistence` in prose.yaml) reach a human.
KEEPS_COMING = [
    "fireworks sigue dando error a cada rato desde el deploy",
    "api fireworks lagi error terus nih, ada yang sama?",
    "Fireworks gibt ständig Fehler zurück, keine Ahnung warum",
    "fireworks api से बार बार error आ रहा है",
    "ฟีเจอร์ chat ของผมเรียก fireworks แล้ว error ทุกครั้ง",
    "la api de fireworks me da errores todo el tiempo",
    "fw api: eror everytime. pls",
]
# ... and what it must leave alone: a condition opened by "every time", errors that come all the
# time from someone else, a question about handling them.
NOT_KEEPS_COMING = [
    "every time the api returns an error we log it and retry, is that the right pattern?",
    "our dashboard shows errors constantly but they're all from stripe, fireworks fine",
    "how do you handle errors from fireworks all the time in production? curious about patterns",
    "the docs page on errors is great, I read it all the time",
]


@pytest.mark.parametrize("text", KEEPS_COMING)
def test_an_error_that_keeps_coming_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


@pytest.mark.parametrize("text", NOT_KEEPS_COMING)
def test_errors_mentioned_with_a_time_word_stay_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# Mentions: the docs labelled with a colon and quoted, a condition in fr/de/es/pt, asking
# ahead, another local tool while "not using fireworks here", a status thought to be had and
# found to be one's own, then fixed ("swapped it, works"). None is answered or escalated.
MENTIONS = [
    'From the documentation: "422 Unprocessable Entity: the request was well-formed but'
    ' invalid". when does that happen?',
    "si jamais fireworks renvoie 503, on fait quoi ?",
    "falls wir mal einen 429 bekommen, wie lange warten?",
    "si alguna vez fireworks devuelve 429, cuánto hay que esperar?",
    "asking ahead of launch: what happens on a 429, do you queue?",
    "lm studio server gives ECONNREFUSED, not using fireworks here",
    "i thought i had a 401 but actually it was the staging key. swapped it, works",
]
# ... and the reports beside them each rule must leave alone.
STILL_REPORTS = [
    (
        'Quote from docs: "429 Too Many Requests: slow down." but I keep getting 429 on every call',
        "429",
    ),
    ("docs: my fireworks calls fail with 503 since this morning", "503"),
    ("si jamais ça plante, voilà mon erreur: 503 Service Unavailable depuis ce matin", "503"),
    ("we are not calling fireworks directly, litellm does: litellm.RateLimitError: 429", "429"),
    ("works on openai, not on fw: Extra inputs are not permitted, field: 'reasoning'", "400"),
]


@pytest.mark.parametrize("text", MENTIONS)
def test_mentions_in_more_words(text: str, knowledge: Knowledge) -> None:
    assert diagnose(text, knowledge, "passive").action == "ignore"


@pytest.mark.parametrize(("text", "code"), STILL_REPORTS)
def test_reports_beside_the_mentions(text: str, code: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == code


# Transport failures in the words of runtimes the rounds brought: curl's proxy closing the
# CONNECT (lib/cf-h1-proxy.c), io.ErrUnexpectedEOF with a stream's reader named on its line,
# a loopback connect with no reason (nothing listens: refused), each with what it must leave
# to the other entries.
TRANSPORT = [
    ("curl: (56) Proxy CONNECT aborted\nour office proxy", "proxy-refused"),
    ("curl: (56) Recv failure: Connection reset by peer", "connection-reset"),
    ("sse stream from fireworks in go: read failed, unexpected EOF", "stream-cut-off"),
    (
        "okhttp3 -> local gateway:\n"
        "java.net.ConnectException: Failed to connect to localhost/127.0.0.1:8787",
        "connection-refused",
    ),
    (
        "curl: (28) Failed to connect to localhost port 4000 after 10002 ms: Timeout was reached",
        "client-timeout",
    ),
]


@pytest.mark.parametrize(("text", "entry"), TRANSPORT)
def test_transport_failures_in_more_words(text: str, entry: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == entry


# Failures told with no error text: a localized UI's "an error occurred" and "with no more
# detail", a tool's quoted "Unknown error", a browser's or a tool's own sentence (Firefox's
# fetch, LobeChat's ProviderBizError, LangChain's endpoint wrapper), Arabizi "btfail", bn
# "শুধু ... দেখাচ্ছে", "is it just me" after a failure word, zh "返回" before an off-table code.
NO_ERROR_TEXT = [
    "o chatbot com fireworks só mostra 'Ocorreu um erro' sem mais detalhes",
    "unsere App mit Fireworks zeigt nur 'Ein Fehler ist aufgetreten', ohne weitere Details",
    "Flowise node for fireworks: 'Unknown error.' that's it",
    "fireworks requests byfail kol mara",
    "fireworks api থেকে শুধু error দেখাচ্ছে",
    "some 5xx and timeouts on fw serverless, or is it only me",
    "vue app -> fireworks: TypeError: NetworkError when attempting to fetch resource.",
    "LobeChat with fireworks as provider: ProviderBizError, nothing else",
    "ValueError: Error raised by inference endpoint: (swapped the base url to fireworks)",
    "fireworks 一直返回 530\uff0c怎么回事",
]
# ... and what those rules must leave alone.
NOT_FAILURES = [
    "is it just me or is fireworks blazing fast today?",
    "what does 'unknown error' mean in the fireworks docs?",
    'the ui says "ha ocurrido un error" when the wifi drops, not fireworks related',
    "fireworks 的 api 返回的 json 格式是什么\uff1f",
    "Fireworks: 500 tokens per second on llama, impressive",
]


@pytest.mark.parametrize("text", NO_ERROR_TEXT)
def test_failures_with_no_error_text_reach_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


@pytest.mark.parametrize("text", NOT_FAILURES)
def test_what_the_failure_rules_leave_alone(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# Statuses told in Thai ("ได้ 405", got; "เจอ 429", ran into) and a name labelling its code with a
# colon ("Fireworks: 404 sur ...").
STATUSES = [
    ("เรียก fireworks แล้วได้ 401 ครับ ทั้งที่เปลี่ยน key แล้ว", "401"),
    ("เรียก fireworks แล้วเจอ 429 ตลอดเลยครับ", "429"),
    ("fw: 413 quand j'envoie trois images", "413"),
    ("Fireworks: 404 on /inference/v1/embeddings with a chat model", "404"),
]


@pytest.mark.parametrize(("text", "code"), STATUSES)
def test_statuses_in_more_words(text: str, code: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == code


# A retry log introduced by its first line ("backoff log:") marks every line under it as an
# attempt, and an earlier attempt's reason phrase ("502 Bad Gateway") is no rival to the last
# attempt's status; a list of codes asked about stays a question.
RETRY_LOGS = [
    (
        "backoff log:\n12:00:01 POST /v1/chat/completions -> 502\n"
        "12:00:03 POST /v1/chat/completions -> 502\n12:00:07 POST /v1/chat/completions -> 504\n"
        "still failing",
        "504",
    ),
    ("retries:\nattempt 1 -> 503 Service Unavailable\nattempt 2 -> 429\nattempt 3 -> 429", "429"),
    ("which of these should we retry?\n- 429\n- 503\n- 500", "none"),
]


@pytest.mark.parametrize(("text", "label"), RETRY_LOGS)
def test_retry_logs_end_on_their_last_attempt(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label


# A docs quote counts only when it opens before the error it could quote; a tool's sentence
# that names a status is such an error too (n8n's "The resource you are requesting could not be
# found", then "Url is from the docs"). An alias is a name, not a message: "what the docs call
# 429" stays a mention.
DOCS_AFTER = [
    (
        "n8n -> fireworks: `The service is receiving too many requests from you`."
        " set up from the docs",
        "429",
    ),
    (
        'the docs say n8n\'s "The resource you are requesting could not be found"'
        " means a wrong path?",
        "none",
    ),
    ("it says 'rate limit' in the docs, how many rpm is that exactly?", "none"),
]


@pytest.mark.parametrize(("text", "label"), DOCS_AFTER)
def test_the_docs_named_after_the_error(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label


# A digit mis-read in a class name's last word ("HTTPErr0r") is mended like a word's, so the
# status beside it reads as a client's exception; a name with no listed word at its end, or
# a mis-read letter pair ("rn" for "m") in a name, is left as written.
OCR = [
    ("retyped from a screenshot: requests.HTTPErr0r: 5O3 Servise Unavailable", "503"),
    ("screenshot says `HTTPErr0r: 4O4 Not Faund for url: https://api.fireworks.ai/v1/x`", "404"),
    ("my var is called tokenCount5 and fireworks is great", "none"),
]


@pytest.mark.parametrize(("text", "label"), OCR)
def test_class_names_read_from_pictures(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label


# A host that runs the person's own service (render.com, fly.io, heroku), related to Fireworks,
# with a gateway's code is that service's answer (a human looks), unless Fireworks is said to
# have sent it; hi "बस ... दिखा रहा" (only shows ...) is a failure with no text.
HOSTS = [
    (
        "our fly.io app returns 503 to the frontend, the app calls fireworks for every chat",
        "unknown",
    ),
    ("heroku app in front of fireworks gives 500 on /chat, nothing in the logs", "unknown"),
    ("fireworks returns 502 through our render.com web service", "502"),
    ("मेरा fireworks bot बस error दिखा रहा है", "unknown"),
    ("render.com docs page shows 404 for me lol, fireworks unrelated", "none"),
]


@pytest.mark.parametrize(("text", "label"), HOSTS)
def test_the_persons_own_host(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label
