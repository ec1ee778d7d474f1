"""holdout60-68's long tail (issue 18), each kind as one general rule, in words the rounds did
not use: reports with the code right after "I get" in other languages, German's split verb of
failing, an incident asked about; the writer owning a failure in more words; a plan or a how-to
as a mention; other services named by their hosts and tools; vocabulary from clients' source
(openai-node's stream helpers, Flowise passing on the SDK's status); a proxy's access log after
the status Fireworks gave it.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

REPORTS = [
    ("Recibo a veces 504 de fireworks con qwen3, ¿qué significa?", "504"),
    ("J'obtiens parfois 429 de l'API, c'est quoi la limite ?", "429"),
    ("Unsere Anfragen an Fireworks schlagen seit heute Morgen ständig fehl", "unknown"),
    ("api and playground both not loading here, is there an incident?", "unknown"),
    (
        "node: OpenAIError: stream ended without producing a ChatCompletion (fireworks, kimi)",
        "stream-cut-off",
    ),
    ("Flowise chatflow with the fireworks base path: Error: 401 Unauthorized", "401"),
    # holdout63-65's pass
    ("n8n fireworks node: Bad gateway - the service failed to handle your request [502]", "502"),
    ("getting 429 from fireworks again since the morning batch started", "429"),
    (
        'AI SDK streamText with fireworks stops half way, finishReason is "unknown"',
        "stream-cut-off",
    ),
    ("AxiosError: stream has been aborted (responseType stream, fireworks)", "stream-cut-off"),
    ("our worker logs `fireworks upstream returned 502 Bad Gateway`, then it retries", "502"),
    ("fireworks stream gives zero content chunks and then [DONE], every few calls", "unknown"),
    ("LibreChat set up fine, but the fireworks model gives '401: Unauthorized' in chat", "401"),
    # holdout66-68's pass
    ("calling fireworks with the JDK client, prints:\nresponse.statusCode() = 413", "413"),
    ("la API de fireworks me responde estado 503 desde hace rato", "503"),
    (
        'API Gateway answers 403 {"message":"Missing Authentication Token"} on our fireworks route',
        "unknown",
    ),
    (
        "json: cannot unmarshal array into Go value of type openai.ChatCompletionResponse"
        " (the body fireworks returned)",
        "unknown",
    ),
    (
        "Error: connect ECONNREFUSED 127.0.0.1:8118 (HTTPS_PROXY is set to privoxy),"
        " calling fireworks",
        "proxy-refused",
    ),
]
MENTIONS = [
    "ModuleNotFoundError: No module named 'httpx'\nforgot to uv add httpx, sorry",
    "printed `status=429` myself as a stub before the request, confused myself, ignore",
    'Traceback (most recent call last):\n  File "etl.py", line 9, in load\n'
    "AttributeError: 'NoneType' object has no attribute 'split'\n"
    "crashed before even calling the model",
    "our nginx says client intended to send too large body and answers 413 on uploads; the"
    " fireworks call happens later in another service",
    "would we get a 412 if the adapter upload is still processing? asking before we wire it up",
    "anyone know how to set max_tokens for kimi on fireworks?",
    "docker pull fails with 429 toomanyrequests, the fireworks image is on docker hub",
    "hugging face inference api says 503 while the model loads, so we moved to fireworks",
    "openai.AuthenticationError: Error code: 401 - see platform.openai.com (this is from openai)",
    # holdout63-65's pass
    "had 502s from fireworks around noon, recovered on its own, just noting",
    "what would a 412 mean for a LoRA? haven't hit it yet",
    "my real openai key says 401 after the rotation, the fireworks one is fine",
    "claude desktop shows Error 529 overloaded, that's anthropic's api, not yours",
    "our own /api/session returns 403 when the CSRF token is missing, how do you test that?",
    "someone pasted this in our channel: ECONNREFUSED 127.0.0.1:6379 (their redis)",
    'the model answered "502 Bad Gateway" when I asked it to act as a flaky server',
    "TypeError: Cannot read properties of null (reading 'id')\nmy react component renders early",
    "can someone explain DEPLOYMENT_SCALING_UP? planning our UX",
    "Wo finde ich eine Liste der Fehlercodes der Fireworks API?",
    # holdout66-68's pass
    "we return 429 to our API clients when they burst, should we copy fireworks' headers?",
    "my express route /chat returns 500 because I never awaited the promise, oops",
    "openai.RateLimitError: Error code: 429 from the other provider (api.openai.com), fyi",
    "openai.AuthenticationError: 401 ... that was against openai directly, sorted",
    "mi bot tiraba KeyError: 'FW_KEY' por no cargar el .env, ya está",
    "my pytest of the fireworks wrapper fails: assert 1 == 2, my test is wrong",
    "anyone review my retry set? ```py\nRETRY = {408, 429, 502, 503}\n``` should 520 be there?",
]


@pytest.mark.parametrize(("text", "label"), REPORTS)
def test_a_report_in_passing_words_is_read(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label


@pytest.mark.parametrize("text", MENTIONS)
def test_a_mention_in_passing_words_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


def test_the_inner_status_of_a_proxys_log_is_fireworks(knowledge: Knowledge) -> None:
    text = (
        "our proxy logs:\nERROR upstream fireworks returned 503: Service Unavailable\n"
        'INFO "POST /v1/chat HTTP/1.1" 502 Bad Gateway'
    )
    assert verdict_label(text, knowledge) == "503"
