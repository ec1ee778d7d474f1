"""holdout50-51's long tail (issue 18), each kind as one general rule, in words the rounds did
not use: an unknown failure goes to a human only when what fails is the API's (`own_things` in
prose.yaml: the person's own parser, build or dashboard is not); an error noun as what the
person gets (`receiving`) and verbs of misbehaving (`failing`, `outage`) report a failure with
no error text; beside each, the reports the rule must leave alone.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

# The person's own code or tooling fails, with nothing of the API in it: no human at Fireworks
# could look at it, so a mention, never an escalation.
OWN_FAILURES = [
    'my csv parser crashes:\n  File "/srv/ingest.py", line 88, in rows\n'
    "    out = json.loads(raw)\njson.decoder.JSONDecodeError: Extra data: line 2 column 1\n"
    "the model adds a trailing note after the json, can I stop that?",
    "cloudflare pages build failed: TS2322 Type 'null' is not assignable to type 'string'. "
    "is that my typescript or the api response type?",
    "our grafana dashboard shows error rate 1.2% for the week, better than the old vendor",
    "my linter fails on the generated client, any eslint config you recommend for the sdk?",
]
# ... and Fireworks' own things failing, the same words around them (guards: they escalate
# before the change too).
FIREWORKS_FAILURES = [
    "the fireworks dashboard won't load, blank screen after login",
    "the api keeps failing on every request since this morning",
]


@pytest.mark.parametrize("text", OWN_FAILURES)
def test_the_persons_own_failure_is_not_escalated(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


@pytest.mark.parametrize("text", FIREWORKS_FAILURES)
def test_fireworks_own_failure_still_escalates(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


# Vague reports: an error noun as what the person gets or sees about Fireworks' things (models,
# requests, calls), with or without the name; verbs of misbehaving; a client's "HTTP 0".
VAGUE_REPORTS = [
    "been receiving errors on half the calls to the models since lunch",
    "we got a bunch of errors from the models this morning and it's still going",
    "something wrong with the models today? like a third of requests error out",
    "the fw api is playing up for me again",
    "our coding agent stopped halfway through the task twice today, fireworks kimi behind it",
    "the react native app gets HTTP 0 on every fireworks call over cellular",
]
# ... and the same words that report nothing (guards: ignored before the change too).
NOT_REPORTS = [
    "not getting errors anymore, the retry wrapper handles it",
    "the output just stopped mid sentence, is max_tokens too low?",
]


@pytest.mark.parametrize("text", VAGUE_REPORTS)
def test_a_vague_report_escalates(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


@pytest.mark.parametrize("text", NOT_REPORTS)
def test_the_same_words_reporting_nothing_stay_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# A status said in words: a reason phrase misspelt right after its own code states the status
# line; "fine tuned" is no "fine" that clears Fireworks.
STATUSES_IN_WORDS = [
    (
        "401 Unathorized on the rerank route while completions are fine with this key?? strange",
        "401",
    ),
    (
        "Precondition Failed from fireworks with my fine tuned gemma lora, vanilla gemma is ok",
        "412",
    ),
]


@pytest.mark.parametrize(("text", "code"), STATUSES_IN_WORDS)
def test_a_status_said_in_words_is_answered(text: str, code: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == code


# Mentions: the past in Hinglish with "now it's fine", a status named as one the docs list, a
# package manager's own failure installing Fireworks' SDK.
MENTIONS = [
    "kal raat 504 aa raha tha, ab theek hai sab",
    "Is the 405 in the docs ever returned in practice, or is it legacy?",
    "pip install fireworks-ai fails with\nCould not fetch URL https://pypi.org/simple/fireworks-ai/:"
    " There was a problem confirming the ssl certificate",
]


@pytest.mark.parametrize("text", MENTIONS)
def test_a_mention_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# Unknown failures a human looks at: a gateway's own reply told in front of Fireworks, a
# gateway by name answering for the person's service, a run ending with a tool's error type, a
# client's "Bad response".
GATEWAYS_AND_TOOLS = [
    "Vercel said 504: GATEWAY_TIMEOUT / FUNCTION_INVOCATION_TIMEOUT for /api/chat with "
    "fireworks inside",
    "haproxy answers 'Gateway Timeout' for our site since we added the fireworks streaming",
    'the Pipedream workflow calling fireworks ends with "StepError" and an empty export. '
    "it did work yesterday",
    'RisuAI: "Bad response" hmm fireworks qwen. ideas?',
]


@pytest.mark.parametrize("text", GATEWAYS_AND_TOOLS)
def test_a_gateway_or_tool_failure_escalates(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


# A known exception class opening the message, said to come from somewhere: the status it
# stands for; not a class as a topic (a guard: ignored before the change too).
CLASSES_IN_WORDS = [
    ("AuthenticationError since this morning with a fresh fireworks key", "401"),
    ("NotFoundError when I call the fireworks embeddings route with nomic", "404"),
    ("RateLimitError handling in my retry code is ugly, any tips?", "none"),
]


@pytest.mark.parametrize(("text", "label"), CLASSES_IN_WORDS)
def test_a_class_opening_the_message_states_its_status(
    text: str, label: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == label
