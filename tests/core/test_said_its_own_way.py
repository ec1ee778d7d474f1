"""holdout73-82's long tail (issue 18), each kind as one general rule, in words the rounds did
not use. Reports: a status line shown, then asked about on another line; a code got "every
other call", "nothing but" it, sent back or what every request is, "for an hour now" (de, es,
pt); still failing after the fix; a plea to look into one's account; Fireworks named after a
log's tag or as the call that got the status; a gateway's own refusal; "everyone or just me";
a tool's sentence for the model API's status; empty answers (id, ja); failures since a deploy;
a docs quote after the status it contradicts; a good API key beside a 402; a limit asked
about as "fixed"; another machine that reaches Fireworks fine. Mentions: "back when"; the
writer doing or reading something wrong, a post being written, another service that can't be
reached, a failure smooth now or told to be ignored, a code wondered about for a runbook (or
asked about with no error yet, in Hindi), and what the model answers (repeating itself,
ignoring the system prompt) rather than a failure.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

REPORTS = [
    # holdout73/74's pass
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
    # holdout75/76's pass
    (
        "Dify chatflow -> fireworks qwen: [openai_api_compatible] Error: API request failed with"
        " status code 503",
        "503",
    ),
    ("qwen3 on fireworks, everyone or just me?", "unknown"),
    ("is deepseek timing out for all of you or only me", "unknown"),
    ("jawaban dari fireworks kosong, statusnya 200", "unknown"),
    ("Fireworksの応答が空文字です、モデルはllama", "unknown"),
    ("gettin failures on every embeddings call since the rollout", "unknown"),
    # holdout77/78's pass
    ("fireworks gives HTTP 409 on the batch endpoint, the docs say it is idempotent?", "unknown"),
    ("some requests come back 429 right after the deploy", "429"),
    ("qwen consistently 502s for long prompts on fireworks", "502"),
    ("every request is 413 after I attach the pdf, fireworks", "413"),
    ("o que é 504 na fireworks? acontece há uma hora com o kimi", "504"),
    ("¿qué pasa con el 502 de fireworks? lo veo desde hace 10 minutos", "502"),
    ("our proxy answers 502; the upstream call to api.fireworks.ai got 502 Bad Gateway", "502"),
    # holdout79/80's pass
    ("fireworks sending back 504s for qwen since noon", "504"),
    ('LibreChat: "Fireworks: 402 Payment Required" on every model, the api key is fine', "402"),
    # holdout81/82's pass
    (
        "is the 8k output cap on llama fixed or can I raise it? fireworks gives: error, status"
        " code: 400, status: 400 Bad Request, message: max_tokens too large",
        "400",
    ),
    (
        "httpx.ConnectError: [Errno -2] Name or service not known\n"
        "(inside the k8s pod; my laptop can reach fireworks fine)",
        "dns-lookup-failed",
    ),
    ("nos llega 504 en todas las llamadas a fireworks desde esta mañana", "504"),
    ("Fireworks の API で 429 が返ってきます。これは何のエラーですか\uff1f", "429"),
]
MENTIONS = [
    # holdout73/74's pass
    "TypeError: list indices must be integers or slices, not str\nlooks like I'm reading the"
    " response wrong",
    "writing notes for a talk: fireworks uses 413 when the payload is too big, others 400",
    "Error: could not connect to lm studio (localhost:1234), comparing it with fireworks",
    # holdout75/76's pass
    "was getting 429s from fireworks, added jitter, running smooth now",
    "getaddrinfo ENOTFOUND db.internal (my vpn was off), ignore",
    "when would a user hit 412 on fireworks? drafting our error docs",
    # holdout77/78's pass
    "TypeError: Cannot read properties of undefined (reading 'content')\n"
    "I think I read the choices wrong",
    # holdout79/80's pass
    "deepseek keeps repeating the same line over and over on fireworks, any fix?",
    "the model ignores my system prompt half the time on fireworks, known?",
    # holdout81/82's pass
    "back when we used the shared endpoint we got 503 every evening, dedicated has been calm",
    "क्या fireworks पर rate limit per minute है? अभी कोई error नहीं, बस planning कर रहा हूँ",
]


@pytest.mark.parametrize(("text", "label"), REPORTS)
def test_a_report_told_its_own_way_is_read(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label


@pytest.mark.parametrize("text", MENTIONS)
def test_a_mention_told_its_own_way_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"
