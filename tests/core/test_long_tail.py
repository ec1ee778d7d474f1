"""The long tail (issue 18): the reasons the blind rounds kept missing, each as a general rule.

Each case below is one reason in words the knowledge was not written from: scripts that glue
words to a code, the user's own gateway answering in front of Fireworks, other services and
platforms failing, and mentions that are not reports.
"""

import pytest

from bot.core.linear_re import AsciiView
from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from bot.core.words import find_word
from tests.core.labels import verdict_label

# Han, kana and Hangul write a particle or the next word right after an English word or a
# code: the glued letter must not hide the code or the class from the reader.
GLUED = [
    ("fireworks 调用返回429了", "429"),
    ("fireworks 호출하면 429가 떠요", "429"),
    ("openai.RateLimitError가 계속 떠요", "429"),
    ("fireworks API 호출 시 RateLimitError가 발생합니다", "429"),
    ("Fireworksで ConnectionResetErrorが出る", "connection-reset"),
    ("fireworks API 호출하면 Error code: 429가 나와요", "429"),
    ("fireworks 接口报 429 请求过多", "429"),
    # a reason phrase in Chinese after its code, before a full-width comma
    ("504 网关超时\uff0c长文本几乎每次都挂", "504"),
]


@pytest.mark.parametrize(("text", "expected"), GLUED)
def test_a_letter_of_a_script_without_spaces_does_not_hide_a_code(
    text: str, expected: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == expected


def test_the_view_and_whole_words_end_at_a_glued_letter() -> None:
    view = AsciiView().of("RateLimitError가 429エラー é429")
    assert view == "RateLimitError\x7f 429\x7f\x7f\x7f _429"  # é is still a letter of a word
    assert find_word("ratelimiterror가", "ratelimiterror") == 0
    assert find_word("ratelimiterrors2", "ratelimiterror") == -1


# The user's own gateway, in front of Fireworks, answered the status itself and nothing says
# what Fireworks answered: a human looks. With an inner status, or a failure with an entry,
# that is the answer; saying it was their own gateway and it's fixed stays quiet.
OWN_GATEWAY = [
    (
        "our envoy in front of fireworks returns 503 to clients and I can't see what "
        "fireworks actually sent",
        "unknown",
    ),
    (
        "our traefik gateway answers 504 for every request routed to fireworks since friday",
        "unknown",
    ),
    (
        "our proxy in front of fireworks returns 500 but the log shows fireworks returned 429 "
        "Too Many Requests",
        "429",
    ),
    (
        "our nginx in front of fireworks returns 504, error log: upstream timed out (110: "
        "Connection timed out) while reading response header from upstream",
        "client-timeout",
    ),
    ("the 502 came from our own nginx, not fireworks. fixed now", "none"),
]


@pytest.mark.parametrize(("text", "expected"), OWN_GATEWAY)
def test_the_users_own_gateways_status_is_not_fireworks_answer(
    text: str, expected: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == expected


# Another platform or service failing, named as the side that answered, stays quiet; the
# user's bot or CI job that calls Fireworks is not that platform answering.
OTHER_SERVICES = [
    ("Slack returns 429 when my bot posts the fireworks summaries too fast", "none"),
    ("discord.errors.Forbidden: 403 Forbidden (error code: 50013): Missing Permissions", "none"),
    ("Groq returns 503 over capacity today, switching that traffic to fireworks for now", "none"),
    (
        "npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/fw-sdk",
        "none",
    ),
    ("ECONNREFUSED 127.0.0.1:5432 on startup, postgres isn't up yet", "none"),
    ("my discord bot keeps getting 429 from fireworks when 5 people ask at once", "429"),
    ("our gitlab ci job that calls fireworks fails with 401, the key var is masked", "401"),
]


@pytest.mark.parametrize(("text", "expected"), OTHER_SERVICES)
def test_another_platform_failing_is_not_a_fireworks_report(
    text: str, expected: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == expected


# Mentions that are not reports: never escalated, and quiet when nothing is pasted.
MENTIONS = [
    "is it possible to get a 429 on a dedicated deployment? planning capacity",
    "what happens if my prompt is longer than the context window? does it return 400?",
    "what does PRECONDITION_FAILED mean exactly? saw it in the error table",
    "is 'Service Overloaded' the same as a 503?",
    "the 500 in the grafana panel is the count of requests per minute, not an error",
    "オープンソースのSDKでfireworksの429をリトライする設定はありますか\uff1fまだエラーは出ていません",
    "429 오류가 나면 어떻게 처리해야 하나요? 아직 발생한 적은 없어요",
]


@pytest.mark.parametrize("text", MENTIONS)
def test_a_mention_is_not_answered_or_escalated(text: str, knowledge: Knowledge) -> None:
    assert diagnose(text, knowledge, "passive").action == "ignore"


# Tools that print their own sentence and hide the cause, and failures told without error
# text: the unknown answer (a human looks), not silence.
OPAQUE = [
    "Open WebUI just says Oops! There was an error in the previous response. with my fireworks "
    "connection",
    "LiteLLM: No deployments available for selected model, Try again in 5 seconds. Passed "
    "model=fireworks/llama",
    "Access denied | api.fireworks.ai used Cloudflare to restrict access. Error code 1020",
    "is fireworks experiencing issues? all my requests hang",
    "fireworks returns 200 with an empty body for the streaming call, no data: lines at all",
]


@pytest.mark.parametrize("text", OPAQUE)
def test_an_opaque_failure_goes_to_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


# Grammar that held a status or a class back: a .NET namespace before a class, a log's JSON key
# for the upstream's status, a code in backticks after its verb.
GRAMMAR = [
    (
        "Semantic Kernel: Microsoft.SemanticKernel.KernelException: The AI service 'fireworks' "
        "was not found",
        "unknown",
    ),
    (
        '{"backendUrl":"https://api.fireworks.ai/inference/v1/chat/completions",'
        '"backendResponseCode":503,"lastError":{"reason":"BackendResponse"}}',
        "503",
    ),
    ("getting `400 - max_tokens must be at least 1, got 0` from the completions endpoint", "400"),
    ("ich bekomme ständig 429 von fireworks", "429"),
    ("fireworks API'den sürekli 429 hatas\u0131 al\u0131yorum", "429"),
]


@pytest.mark.parametrize(("text", "expected"), GRAMMAR)
def test_the_grammar_reads_more_ways_of_printing_an_error(
    text: str, expected: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == expected


# A question about a code the person keeps hitting reports it ("what does 429 mean? I keep
# getting it"); the same question with nothing ongoing stays a question.
KEEPS_HITTING = [
    ("is 412 expected? getting it on every request since the invoice", "412"),
    ("how do I fix 401 from fireworks? already tried a new key", "401"),
    ("what does 520 mean?? happens on 1 in 50 calls to fireworks", "520"),
    ("should I just retry on 429? we're hitting it constantly on serverless", "429"),
    ("how do you all handle 503s? retry with jitter?", "none"),
    ("what does 429 mean for serverless, is it per minute or per day?", "none"),
]


@pytest.mark.parametrize(("text", "expected"), KEEPS_HITTING)
def test_a_question_about_a_code_one_keeps_hitting_is_a_report(
    text: str, expected: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == expected
