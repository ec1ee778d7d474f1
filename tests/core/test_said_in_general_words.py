"""holdout46-49's chatter (issue 18), each kind as one general rule, in words the rounds did not
use: another service answering (`services.yaml` `elsewhere` over the `services` catalogue),
another person getting the error (`someone_else`), a status as a topic (`status_topics` in
prose.yaml), a how-to question in another language (`how_to`); beside each, the reports the
rule must leave alone.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

# Another service is the one failing or answering: an LLM provider from litellm's list, CI, a
# package registry, a docs page.
ELSEWHERE = [
    "xai is returning 500 for grok right now, going with fireworks instead",
    "sambanova overloaded again (503), fireworks handled the overflow fine",
    "circleci is down so I can't ship the fireworks demo",
    "getting a PKIX error when gradle downloads plugins, not the fireworks part",
    "502 from openrouter on every model rn, trying fireworks direct",
    "429 from cerebras all afternoon, any tips before we migrate to fireworks?",
]
# ... and a router or proxy in front of Fireworks passing on Fireworks' own status (these
# pass before the change too: they guard the rule's veto).
WRAPPED = [
    ("openrouter returns 429 from fireworks on llama 70b every few minutes", "429"),
    ("our litellm proxy gives me 503 upstream from fireworks on every request", "503"),
]


@pytest.mark.parametrize("text", ELSEWHERE)
def test_another_services_status_is_not_a_report(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


@pytest.mark.parametrize(("text", "code"), WRAPPED)
def test_a_router_passing_on_fireworks_status_is_a_report(
    text: str, code: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == code


# Someone else gets the error, and the writer doesn't say they do too.
SOMEONE_ELSE = [
    "my colleague keeps getting 404 model not found on fireworks, told him to check the id",
    "my buddy is getting 401 from fireworks with his new key, I told him to wait a minute",
    "someone in #help posted a 502 from fireworks earlier, did it get answered?",
    "meu colega tá com erro 429 no fireworks, falei pra ele esperar",
    "mi amigo recibe error 403 con fireworks, le dije que revise los permisos",
    "mon collègue a eu une erreur 429 hier soir, c'est normal ?",
]
# ... and the same with the writer hitting it too (guards, as above).
ME_TOO = [
    ("my coworker and I keep getting 401 since the key rotation", "401"),
    ("my teammate gets 429 on every call, same here since noon", "429"),
]


@pytest.mark.parametrize("text", SOMEONE_ELSE)
def test_someone_elses_error_is_not_a_report(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


@pytest.mark.parametrize(("text", "code"), ME_TOO)
def test_the_writer_getting_it_too_reports_it(text: str, code: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == code


# A status as a topic: a suggestion, a limit to raise, what Fireworks returns when, a test's
# mock, trivia, a retraction, an issue's title, a metric compared (a number of requests per
# second is a rate, not a status).
TOPICS = [
    "would be nice if the 413 error said the max size, just a suggestion",
    "rate limit on our account says 300 RPM, can we get it bumped to 900?",
    "what status do you return when a deployment is scaling up? 503?",
    "would fireworks return 400 or 422 for an unknown tool name?",
    "our unit tests assert that a 429 from fireworks becomes RetryLater",
    "we mock openai.RateLimitError(429) in our tests to exercise the backoff, anything else?",
    "fun fact: 418 I'm a teapot error is an april fools RFC",
    "the ssl error was on my local proxy box, not the fireworks call",
    "our own rate limiter shows 429 in the title of my github issue, wrong channel sorry",
    "our error rate sits at 0.8% with 503 rps on the dedicated deployment, is that normal?",
]
# ... and a report that names the same things (guards, as above).
TOPIC_REPORTS = [
    (
        "keep getting 429 even though we're at 5 requests per second, can we get a higher limit?",
        "429",
    ),
    ("fireworks returns 503 on every call since 10 minutes", "503"),
]


@pytest.mark.parametrize("text", TOPICS)
def test_a_status_as_a_topic_is_not_a_report(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


@pytest.mark.parametrize(("text", "code"), TOPIC_REPORTS)
def test_a_status_hit_now_is_a_report(text: str, code: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == code


# A how-to question in another language, with nothing failing.
HOW_TO = [
    "Как настроить response_format json_schema на fireworks для qwen?",
]


@pytest.mark.parametrize("text", HOW_TO)
def test_a_how_to_question_in_another_language_is_not_a_report(
    text: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == "none"


# A status told in a sentence of another language with a verb the lists lacked: ru
# "отвечает" (answers), ar "من" (from) after the code.
IN_OTHER_WORDS = [
    ("фаерворкс отвечает 429 уже час, лимиты не превышаем", "429"),
    ("بوابة سيئة 502 من Fireworks منذ ساعة", "502"),
    ("انتهت المهلة 504 من fireworks على كل طلب", "504"),
]


@pytest.mark.parametrize(("text", "code"), IN_OTHER_WORDS)
def test_a_status_in_other_words_is_read(text: str, code: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == code


# A browser's own name for a failure (Chromium's net error list), as an extension or a web app
# calling Fireworks shows it in the console.
BROWSER = [
    (
        "console: net::ERR_PROXY_CONNECTION_FAILED on the fireworks fetch from our web app",
        "proxy-refused",
    ),
    (
        "EventSource to fireworks dies with net::ERR_INCOMPLETE_CHUNKED_ENCODING mid answer",
        "stream-cut-off",
    ),
]


@pytest.mark.parametrize(("text", "entry"), BROWSER)
def test_a_browsers_net_error_is_read(text: str, entry: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == entry


# A failure said with no error text a human must look at: a status whose RFC reason phrase
# names it though no entry explains it, an outage asked about or a call that doesn't go
# through in other languages, a tool's generic sentence (Zapier's).
UNKNOWN = [
    "507 Insufficient Storage when I upload a dataset to fireworks",
    "415 Unsupported Media Type on the fireworks transcription endpoint",
    "апи фаерворкс лежит уже час?",
    "api fireworks sập hả mọi người?",
    "Fireworksで障害発生中ですか\uff1f",
    "any incident right now? our fireworks batch jobs keep dying",
    "запросы к fireworks не проходят \u0441 утра",
    "gọi fireworks từ sáng tới giờ không được",
    'our zap with the fireworks step says "We had trouble sending your request to the app."',
]


@pytest.mark.parametrize("text", UNKNOWN)
def test_a_failure_with_no_entry_goes_to_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"
