"""holdout54-55's long tail (issue 18), each kind as one general rule, in words the rounds did
not use: a gateway's own refusal (its 403, its RBAC or ACL body, Cloudflare's 1xxx pages, a
LiteLLM proxy's own config errors) goes to a human, not to Fireworks' 403; a reply with nothing
in it and a reply that won't parse are failures to hand over; another provider's own host or a
line headed by another service is none of Fireworks'; "I have an error 520, what is it?" in
other languages reports it. Beside each, what the rule must leave alone.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

# The person's gateway, mesh or edge refused the call itself: nothing says what Fireworks
# would have answered, so a human looks.
EDGE_REFUSALS = [
    "our traefik gateway in front of fireworks gives 403 on every chat call since the deploy",
    "envoy sidecar answers `RBAC: access denied` (403) when our workers call out to fireworks",
    "linkerd mesh in front of fireworks returns 403 to the pod, kong ACL says You cannot consume"
    " this service",
    "api.fireworks.ai shows a cloudflare Error 1020 page for our office network",
    "LiteLLM proxy: 400 Invalid model name passed in model=fw-qwen. Call /v1/models to view"
    " available models for your key",
]
# ... and Fireworks' own 403 through a gateway that passes it on (guards: answered before).
FIREWORKS_REFUSALS = [
    "our nginx in front of fireworks returns 403 and the body is Fireworks' own:"
    ' {"error": {"object": "error", "type": "invalid_request_error", "code": "FORBIDDEN",'
    ' "message": "Forbidden"}}',
    "403 Forbidden from api.fireworks.ai when calling the qwen model, direct, no proxy",
]


@pytest.mark.parametrize("text", EDGE_REFUSALS)
def test_a_gateways_own_refusal_goes_to_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


@pytest.mark.parametrize("text", FIREWORKS_REFUSALS)
def test_fireworks_own_refusal_is_still_answered(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "403"


# Replies with nothing in them, or that won't parse: some failure, which one unknown.
EMPTY_OR_UNREADABLE = [
    'fireworks gives back "choices": [] on maybe one call in 30, the status is 200',
    "the completion from fireworks arrives with content null and finish_reason stop",
    "AI_NoContentGeneratedError: No content generated. (provider fireworks, kimi k2)",
    'Traceback (most recent call last):\n  File "svc.py", line 40, in call_fireworks\n'
    "    body = response.json()\njson.decoder.JSONDecodeError: Expecting value: line 1 column 1"
    " (char 0)",
]
# ... and the person's own parsing of what the model wrote (guards: quiet before too).
OWN_PARSING = [
    "the model wraps its json in ```json fences so my parser chokes, how do I stop that?",
    "my json.loads blows up on the tool arguments llama writes, the API call itself succeeded",
]


@pytest.mark.parametrize("text", EMPTY_OR_UNREADABLE)
def test_an_empty_or_unreadable_reply_goes_to_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


@pytest.mark.parametrize("text", OWN_PARSING)
def test_the_persons_own_parsing_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# Another service's own status, named by its host or heading its line, or a git remote's.
ELSEWHERE = [
    "Error code: 401 from api.anthropic.com, does fireworks take the same header?",
    "curl https://api.github.com/repos/me/evals -> 404, forgot the token lol",
    "Docker Hub: toomanyrequests (429) when CI pulls the base image for our fireworks worker",
    "git clone says 403 for the fireworks examples repo, my PAT expired",
]
# ... and a provider's name that is how people call Fireworks (guards: answered before).
STILL_FIREWORKS = [
    "openai.RateLimitError: Error code: 429 - {'error': {'message': 'rate limit exceeded,"
    " please try again later'}} from base_url https://api.fireworks.ai/inference/v1",
]


@pytest.mark.parametrize("text", ELSEWHERE)
def test_another_services_status_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


@pytest.mark.parametrize("text", STILL_FIREWORKS)
def test_fireworks_through_the_openai_sdk_is_answered(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "429"


# "I have an error <code>", then "what is it?": a report, in the channel's languages; an
# outage told as a skull. Beside them, a question alone and a skull about waiting.
HAVING_IT = [
    ("J'ai une erreur 504 en appelant fireworks depuis n8n, c'est quoi ?", "504"),
    ("Ich habe einen Fehler 413 beim Upload, was bedeutet das?", "413"),
    ("fw api just went 💀 mid-demo, anyone else?", "unknown"),
]
NOT_HAVING_IT = [
    "c'est quoi une erreur 504 exactement ?",
    "waiting on a 70b reasoning trace on fireworks like 💀",
    "fireworks 에서 tool calling 어떻게 사용하나요?",
    "a latência caiu quando trocamos para o fireworks",
]


@pytest.mark.parametrize(("text", "label"), HAVING_IT)
def test_having_it_reports_it(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label


@pytest.mark.parametrize("text", NOT_HAVING_IT)
def test_asking_or_joking_reports_nothing(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


def test_a_proxy_that_cannot_be_reached_is_the_proxys(knowledge: Knowledge) -> None:
    text = "pycurl.error: (7, 'Could not connect to proxy') calling fireworks from the scraper"
    assert verdict_label(text, knowledge) == "proxy-refused"
