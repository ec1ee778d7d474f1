"""holdout32 and holdout33's reasons (issue 18), each as a general rule, in words the rounds
did not use: mentions asked in more languages and registers, reports whose verb or time the
status rules didn't know, failures told with no error text, the user's own gateway in more
words, and the tools' own sentences. Each rule has the sentences it must leave alone beside
the ones it must catch.
"""

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from tests.core.labels import verdict_label

# Mentions: a difference asked in ja/ko or between two named things, reading the docs, a
# condition in ja/fr/de that opens a question, thanks and "went away" in Turkish, code put up
# with "is this right for ...?", a database's own refusal, another provider that "gave" a
# status or is "dando" one. None is answered or escalated.
MENTIONS = [
    "404と410の違いはなんでしょう\uff1fドキュメントを見ていて気になりました",
    "401이랑 403 차이는 뭔가요? 그냥 궁금해서요",
    "what's the difference between a deployment and a deployed model on fireworks?",
    "reading the docs on fireworks batch jobs, when would a 413 come up?",
    "もし429が出たら何秒待てばいいですか\uff1f",
    "wenn Fireworks mal 503 zurückgibt, wie lange sollte man warten?",
    "si l'API Fireworks renvoie 429 en prod, on attend combien de temps ?",
    "teşekkürler, 401 anahtar\u0131 yenileyince düzeldi",
    "is this right for retrying fireworks calls?\n```py\nfor i in range(3):\n    try:\n"
    "        return client.chat.completions.create(**req)\n    except openai.APIError as e:\n"
    "        log(e.status_code)\n```",
    "mysql: connection refused on the worker, the fireworks calls go through",
    "cohere gave us 429 for an hour, fireworks was our fallback and held up",
    "o claude tá dando 529 de novo, fireworks de boa",
    "çöktü sand\u0131m ama fireworks çal\u0131ş\u0131yor, benim ağ\u0131mm\u0131ş",
    # holdout42/43's mentions that escalated (scored before anyone looked), in new words:
    # Fireworks praised beside another service, a CI service failing, a name before the code,
    # the meaning asked in Arabic, a question asked in general or out of curiosity
    "mistral gave 500 twice today, fireworks has been rock solid",
    "gitlab ci giving 503 right now, can't ship my fireworks app",
    "random q: what does cloudflare 520 really mean? it came up in a video",
    "ما معنى خطأ 429 في fireworks؟",
    "is 500 something fireworks returns or only proxies in general?",
    "does fireworks ever return 520 itself? curious",
]


@pytest.mark.parametrize("text", MENTIONS)
def test_mentions_in_other_words(text: str, knowledge: Knowledge) -> None:
    assert diagnose(text, knowledge, "passive").action == "ignore"


# Reports: a verb or a time between the verb and its code the status rules didn't know, a
# status the upstream is said to have sent behind the user's own gateway, a status told where
# a tool shows it, a quoted message that opens with its code, and a sibling said fine.
REPORTS = [
    ("nuestro endpoint de fireworks da 401 desde que cambié la key", "401"),
    ("la api de fireworks me dio un 429 hace un rato", "429"),
    ("fireworks zuotian kaishi yizhi bao 503", "503"),
    ("デプロイしたモデルが404を返します。名前は合っているはずです", "404"),
    ("ich bekomme schon wieder 429 von Fireworks, obwohl wir kaum Last haben", "429"),
    (
        "our nginx answers 503 and its log has upstream_status 503 from the fireworks upstream",
        "503",
    ),
    ("the make.com module shows status code in the details is 413", "413"),
    ('lobechat pops up "5O3: Service Unavaliable" with the fireworks provider', "503"),
    ("the deepseek deployment gives 404, other fireworks deployments fine", "404"),
]


@pytest.mark.parametrize(("text", "expected"), REPORTS)
def test_reports_in_other_words(text: str, expected: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == expected


# Failures with no error text reach a human: an empty or null error object, a last chunk with
# finish_reason "error", an app's or UI's sentence, slang, a call that worked the day before,
# Turkish, pinyin and Hindi, an unreadable status.
NO_TEXT = [
    'fireworks sends back {"error": null} with no status, what now',
    'our stream from fireworks closes with "finish_reason": "error" on long prompts',
    'the slack bot calling fireworks posts "The server returned an error" and stops',
    'typingmind says "we have encountered an error" on the fireworks model',
    "fireworks api tripping again today",
    "fireworks chat: this request was working an hour ago, but",
    "fireworks api çöktü galiba",
    "fireworks api zuijin zongshi shibai",
    "फायरवर्क्स एपीआई एरर दे रहा है",
    '"Error: 4?? Bad Req..." from the fireworks playground screenshot, blurry',
]


@pytest.mark.parametrize("text", NO_TEXT)
def test_failures_with_no_error_text(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


# ... and the words they must leave alone.
NOT_FAILURES = [
    "the fireworks docs kept tripping me up, the quickstart reads better now",
    "same code worked yesterday on fireworks and still works today, just sharing my setup",
    "the model returned an error message in the story it wrote, lol fireworks is fun",
    'my parser handles {"error": null} from fireworks fine',
    "with fireworks, if finish_reason is error what should my client do?",
]


@pytest.mark.parametrize("text", NOT_FAILURES)
def test_words_the_failure_rules_leave_alone(text: str, knowledge: Knowledge) -> None:
    assert diagnose(text, knowledge, "passive").action == "ignore"


# The user's own gateway in front of Fireworks, told in more words, answers itself: unknown.
# Not when its log shows what the upstream sent, nor a title that only names a status.
GATEWAY = [
    ("nuestra pasarela devuelve 502 cuando llama a fireworks", "unknown"),
    ("unser Gateway gibt 503 zurück für alle fireworks Anfragen", "unknown"),
    ("our traefik returns 502 on the fireworks routes, nothing in its logs", "unknown"),
    (
        "our api returns 503 Service Unavailable to the frontend whenever it calls fireworks",
        "unknown",
    ),
    ("haproxy returns 503 for the backend that proxies fireworks", "unknown"),
    ("our gateway 502s and its log says the upstream responded 429", "429"),
    ('our grafana panel is titled "500: errors by route", looks nice', "none"),
    # a gateway's own page takes lines; the relation to Fireworks may be on another
    (
        "500: INTERNAL_SERVER_ERROR\nCode: FUNCTION_INVOCATION_FAILED\n"
        "the route handler is using fireworks",
        "unknown",
    ),
    ("500 FUNCTION_INVOCATION_FAILED on vercel, nothing to do with fireworks", "none"),
]


@pytest.mark.parametrize(("text", "expected"), GATEWAY)
def test_the_users_gateway_in_more_words(text: str, expected: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == expected


# Tools' own sentences: OkHttp's refused proxy credentials; a [DONE] that never arrives.
TOOLS = [
    ("java.io.IOException: Failed to authenticate with proxy", "proxy-refused"),
    ("el stream de fireworks se queda a medias, nunca llega el [DONE]", "stream-cut-off"),
]


@pytest.mark.parametrize(("text", "expected"), TOOLS)
def test_tools_own_sentences(text: str, expected: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == expected
