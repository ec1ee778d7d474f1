"""Answers use the paste's own values where an entry declares slots (issue 19).

A prompt-too-long paste gave both numbers, yet the answer said "compare the two numbers"; a
404 didn't quote the model id; a 429 from openai-python didn't mention its `max_retries`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.explain import explain
from bot.core.render import fix_steps, render_short_embed
from bot.core.slots import paste_values
from bot.knowledge.check import check_knowledge
from bot.knowledge.load import load_knowledge
from tests.knowledge.knowledge_fixtures import RATE_LIMIT, write_knowledge

KNOWLEDGE = load_knowledge()
TOO_LONG = (
    "openai.BadRequestError: Error code: 400 - {'error': {'message': 'The prompt is too long: "
    "140213, model maximum context length: 131072'}}"
)
PYTHON_429 = (
    "Traceback (most recent call last):\n"
    '  File "/app/batch.py", line 73, in worker\n'
    "    resp = client.chat.completions.create(model=MODEL, messages=msgs)\n"
    "openai.RateLimitError: Error code: 429 - {'error': {'message': 'rate limit exceeded, "
    "please try again later'}}"
)
NODE_429 = (
    "RateLimitError: 429 rate limit exceeded, please try again later\n"
    "    at APIError.generate (file:///app/node_modules/openai/error.mjs:63:20)"
)
CURL_429 = (
    "$ curl -i https://api.fireworks.ai/inference/v1/chat/completions -d @req.json\n"
    "HTTP/2 429\nretry-after: 7\nx-ratelimit-remaining-requests: 0\n\n"
    '{"error":{"message":"rate limit exceeded, please try again later"}}'
)
MISSING_MODEL = (
    "openai.NotFoundError: Error code: 404 - {'error': {'message': 'Model not found, "
    "inaccessible, and/or not deployed'}} model='accounts/acme/models/llama-v3p1-8b-ft'"
)


def _short(paste: str) -> dict:
    reply = explain(paste, KNOWLEDGE, "passive").reply
    assert reply is not None
    return render_short_embed(reply)


def test_prompt_too_long_says_both_numbers_and_how_far_over() -> None:
    short = _short(TOO_LONG)
    cause = short["description"].split("\n\n")[-1]
    assert cause == (
        "Your prompt has `140,213` tokens (counted after the chat template is applied), "
        "`9,141` more than the `131,072` this model is served with."
    )
    first_step = short["fields"][0]["value"].splitlines()[0]
    assert first_step.startswith("- Cut at least `9,141` tokens from the prompt")


@pytest.mark.parametrize(
    ("paste", "setting"),
    [(PYTHON_429, "`OpenAI(max_retries=5)`"), (NODE_429, "`new OpenAI({ maxRetries: 5 })`")],
)
def test_a_429_names_its_clients_own_retry_setting(paste: str, setting: str) -> None:
    fix = _short(paste)["fields"][0]["value"]
    assert setting in fix.splitlines()[0]


def test_a_429_with_retry_after_says_how_long_to_wait() -> None:
    reply = explain(CURL_429, KNOWLEDGE, "passive").reply
    assert reply is not None
    steps = fix_steps(reply.fix)
    assert steps[0].startswith("This response asked you to wait `7` s (`Retry-After`)")
    assert steps[1].startswith("curl retries a 429 with `--retry 5`")


def test_a_404_quotes_the_model_it_asked_for() -> None:
    cause = _short(MISSING_MODEL)["description"].split("\n\n")[-1]
    assert cause == (
        "The endpoint is right but the model `accounts/acme/models/llama-v3p1-8b-ft` can't be "
        "served to you."
    )


def test_without_the_values_or_slots_an_entry_renders_as_before() -> None:
    bare = explain("429", KNOWLEDGE, "explicit").reply
    assert bare is not None and bare.entry_id == "429-rate-limit"
    entry = KNOWLEDGE.by_id["429-rate-limit"]
    assert (bare.cause, bare.fix) == (entry.cause, entry.fix)
    server = explain("openai.InternalServerError: Error code: 500 - {'error': {}}", KNOWLEDGE).reply
    assert server is not None and server.cause == KNOWLEDGE.by_id[server.entry_id or ""].cause


def test_paste_values_reads_the_client_and_headers() -> None:
    values = paste_values(CURL_429, KNOWLEDGE.clients)
    assert values["client"] == "curl"
    assert (values["retry_after"], values["remaining_requests"]) == ("7", "0")
    assert (
        paste_values("litellm.RateLimitError: openai.RateLimitError", KNOWLEDGE.clients)["client"]
        == "litellm"
    )  # the wrapper, not the SDK it wraps


@pytest.mark.parametrize(
    ("slots", "says"),
    [
        ({"cause": "You sent {prompt_tokenz} tokens."}, "names prompt_tokenz"),
        ({"clients": {"openai-pyton": "Raise max_retries."}}, "no client 'openai-pyton'"),
        ({"fix": "Wait {retry_after s."}, "write braces as"),
        ({"cuase": "x"}, "'slots' is a mapping of cause, fix, clients"),
    ],
)
def test_check_refuses_a_slot_it_cannot_fill(tmp_path: Path, slots: dict, says: str) -> None:
    directory = write_knowledge(tmp_path, ({**RATE_LIMIT, "slots": slots},))
    clients = directory / "slots"
    clients.mkdir()
    (clients / "clients.yaml").write_text('openai-python:\n  - "openai."\n')
    problems = check_knowledge(directory)
    assert any(says in p.message and p.file.name == "429-rate-limit.yaml" for p in problems), [
        str(p) for p in problems
    ]
