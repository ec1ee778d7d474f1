"""Matching against the shipped knowledge: the right entry, the right action, calibrated."""

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        (
            "openai.RateLimitError: Error code: 429 - {'error': {'message': "
            "'rate limit exceeded, please try again later'}}",
            "429-rate-limit",
        ),
        ("Error code: 429 - server overloaded, please try again later", "429-deployment-capacity"),
        ('{"error": {"code": 404, "message": "Path not found: /v1/foobar"}}', "404-path-not-found"),
        (
            "openai.NotFoundError: Error code: 404 - {'error': {'message': "
            "'Model not found, inaccessible, and/or not deployed'}}",
            "404-model-not-found",
        ),
        (
            "Error code: 400 - The prompt is too long: 140000, "
            "model maximum context length: 131072",
            "400-prompt-too-long",
        ),
        (
            '{"error": {"code": "DEPLOYMENT_SCALING_UP", "message": "scaling"}}',
            "503-deployment-scaling-up",
        ),
        ("bad gatway", "502-bad-gateway"),
        ("to many requests", "429-rate-limit"),
        ("502", "502-bad-gateway"),
        ("429-rate-limit", "429-rate-limit"),
    ],
)
def test_explicit_mode_picks_the_specific_entry(
    knowledge: Knowledge, text: str, entry: str
) -> None:
    decision = diagnose(text, knowledge, "explicit")
    assert decision.entry is not None
    assert decision.entry.id == entry
    assert 0.0 < decision.confidence <= 1.0


def test_a_wrapper_class_does_not_override_the_body(knowledge: Knowledge) -> None:
    text = (
        "litellm.BadRequestError: Fireworks_aiException - {'error': 'Too Many Requests', "
        "'message': 'You have exceeded your usage limits, please try again later'}"
    )
    assert diagnose(text, knowledge, "passive").code == "429"


def test_an_explicit_status_outranks_a_message_string(knowledge: Knowledge) -> None:
    text = (
        "PermissionDeniedError: Error code: 403 - {'error': {'message': "
        "'The API key you provided is invalid.', 'code': 'UNAUTHORIZED'}}"
    )
    assert diagnose(text, knowledge, "explicit").code == "403"


@pytest.mark.parametrize("code", ["500", "520"])
def test_server_side_errors_escalate(knowledge: Knowledge, code: str) -> None:
    decision = diagnose(f"openai.InternalServerError: Error code: {code}", knowledge, "passive")
    assert decision.action == "escalate"
    assert decision.code == code


def test_explicit_mode_escalates_what_it_cannot_place(knowledge: Knowledge) -> None:
    decision = diagnose("my sandwich is cold", knowledge, "explicit")
    assert (decision.action, decision.entry) == ("escalate", None)


@pytest.mark.parametrize(
    "text",
    [
        "thanks, the retry fixed my 429!",
        "the 503 was our nginx, all good now",
        "does fireworks support function calling with llama-v3p1-405b-instruct?",
        "prompt_tokens: 404, completion_tokens: 502, latency_ms=503",
        "good morning everyone",
        'INFO: "POST /inference/v1/chat/completions HTTP/1.1" 200 OK',
    ],
)
def test_passive_mode_stays_quiet_on_chatter(knowledge: Knowledge, text: str) -> None:
    assert diagnose(text, knowledge, "passive").action == "ignore"


@pytest.mark.parametrize(
    "text",
    [
        "openai.APIConnectionError: Connection error.",
        "httpx.HTTPStatusError: Client error '409 Conflict' for url "
        "'https://api.fireworks.ai/inference/v1/chat/completions'",
    ],
)
def test_passive_mode_escalates_error_reports_with_no_entry(
    knowledge: Knowledge, text: str
) -> None:
    decision = diagnose(text, knowledge, "passive")
    assert (decision.action, decision.code) == ("escalate", None)


def test_confidence_grows_with_agreeing_evidence(knowledge: Knowledge) -> None:
    thin = diagnose("429", knowledge).confidence
    rich = diagnose(
        "openai.RateLimitError: Error code: 429 - rate limit exceeded, please try again later",
        knowledge,
    ).confidence
    assert rich > thin


def test_candidates_are_ranked(knowledge: Knowledge) -> None:
    decision = diagnose("Error code: 404 - Path not found: /v1/foobar", knowledge)
    scores = [c.confidence for c in decision.candidates]
    assert decision.candidates[0].entry.id == "404-path-not-found"
    assert len(decision.candidates) >= 2
    assert decision.candidates[1].entry.code == "404"
    assert scores[0] >= scores[1]


def test_every_shipped_example_resolves_to_its_entry(knowledge: Knowledge) -> None:
    wrong = [
        (entry.id, example[:80])
        for entry in knowledge.entries
        for example in entry.examples
        if (decision := diagnose(example, knowledge, "passive")).entry is None
        or decision.entry.id != entry.id
    ]
    assert wrong == []
