"""Error messages match fuzzily, errors with no status answer, text-less reports escalate."""

from __future__ import annotations

import json

import pytest

from bot.core.decision import Mode
from bot.core.entry import Pattern
from bot.core.evidence import Kind
from bot.core.explain import explain
from bot.core.matcher import diagnose
from bot.core.render import render_embed, render_text
from bot.knowledge.load import load_knowledge

KNOWLEDGE = load_knowledge()
MODES: tuple[Mode, ...] = ("passive", "explicit")

# Fireworks messages worded differently from every pattern and example of their entry:
# numbers changed, words reordered, words added.
REWORDED = [
    (
        "your prompt has 200122 tokens, which is longer than this model's maximum context "
        "length of 163840",
        "400-prompt-too-long",
    ),
    (
        "fireworks rejected it: maximum context length for this model is 65536 but the prompt "
        "was 70011 tokens long",
        "400-prompt-too-long",
    ),
    (
        "fireworks: your account acme-prod is suspended - possibly due to reaching the spending "
        "limit for the month or failing to pay past invoices",
        "412-account-suspended",
    ),
    (
        "Fireworks says the model was not found, or it is inaccessible or not deployed: "
        "accounts/acme/models/ft-v9",
        "404-model-not-found",
    ),
]


def occurs(pattern: Pattern, text: str) -> bool:
    """Whether an entry's pattern is in `text` as written: a literal in any case, or its regex."""
    if pattern.regex is None:
        return pattern.text.lower() in text.lower()
    return pattern.regex.search(text) is not None


@pytest.mark.parametrize(("text", "entry_id"), REWORDED)
@pytest.mark.parametrize("mode", MODES)
def test_a_reworded_fireworks_message_resolves_to_its_entry(
    text: str, entry_id: str, mode: Mode
) -> None:
    entry = KNOWLEDGE.by_id[entry_id]
    assert not any(occurs(p, text) for p in entry.patterns)  # no exact pattern
    assert all(example not in text for example in entry.examples)

    decision = diagnose(text, KNOWLEDGE, mode)

    assert decision.entry is not None and decision.entry.id == entry_id
    fuzzy = [e for e in decision.evidence if e.kind is Kind.FUZZY]
    assert fuzzy and fuzzy[0].entry == entry_id and fuzzy[0].similarity is not None


def test_numbers_and_model_names_do_not_decide_a_fuzzy_match() -> None:
    one = diagnose(
        "The prompt is too long: 9, model maximum context length: 8 (accounts/a/models/b)",
        KNOWLEDGE,
    )
    other = diagnose(
        "The prompt is too long: 987654, model maximum context length: 131072 "
        "(accounts/zz/models/qwen3-235b-a22b)",
        KNOWLEDGE,
    )
    assert one.entry == other.entry == KNOWLEDGE.by_id["400-prompt-too-long"]


NO_STATUS = [
    (
        "requests.exceptions.SSLError: HTTPSConnectionPool(host='api.fireworks.ai', port=443): "
        "(Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] "
        "certificate verify failed: unable to get local issuer certificate')))",
        "tls-certificate-failed",
    ),
    ("Error: getaddrinfo ENOTFOUND api.fireworks.ai", "dns-lookup-failed"),
    (
        "curl: (7) Failed to connect to api.fireworks.ai port 443: Connection refused",
        "connection-refused",
    ),
    ("ConnectionResetError: [Errno 104] Connection reset by peer", "connection-reset"),
    ("openai.APITimeoutError: Request timed out.", "client-timeout"),
    (
        "httpx.RemoteProtocolError: peer closed connection without sending complete message "
        "body (incomplete chunked read)",
        "stream-cut-off",
    ),
    (
        "requests.exceptions.ProxyError: (Caused by ProxyError('Unable to connect to proxy', "
        "OSError('Tunnel connection failed: 403 Forbidden')))",
        "proxy-refused",
    ),
]


@pytest.mark.parametrize(("text", "entry_id"), NO_STATUS)
@pytest.mark.parametrize("mode", MODES)
def test_errors_with_no_status_are_answered_without_escalation(
    text: str, entry_id: str, mode: Mode
) -> None:
    decision = diagnose(text, KNOWLEDGE, mode)

    assert (decision.action, decision.code) == ("answer", None)
    assert decision.entry is not None and decision.entry.id == entry_id
    assert not decision.escalate and not decision.pages_support
    assert decision.to_json()["entry"] == entry_id


def test_each_entry_with_no_status_has_at_least_three_examples() -> None:
    no_status = [entry for entry in KNOWLEDGE.entries if not entry.code]
    assert len(no_status) >= 7
    assert all(len(entry.examples) >= 3 and not entry.escalate for entry in no_status)


REPORTS = [
    "the Fireworks API doesn't work at all, the connection test in our app fails every time",
    "fireworks returns an empty response for every request since this morning",
    "Fireworks API funktioniert seit heute nicht mehr, alle Anfragen schlagen fehl",
]
QUIET = [
    "thanks, the fireworks api works fine now",
    "how does fireworks count tokens for the rate limit?",
    "we love the new deepseek model on fireworks",
]


@pytest.mark.parametrize("text", REPORTS)
def test_a_failure_report_without_error_text_gets_the_unknown_answer_without_a_ping(
    text: str,
) -> None:
    decision = diagnose(text, KNOWLEDGE, "passive")

    assert (decision.action, decision.entry) == ("escalate", None)
    assert [e.kind for e in decision.evidence] == [Kind.REPORT]
    assert not decision.pages_support  # the human button is offered; support isn't paged


@pytest.mark.parametrize("text", QUIET)
def test_chatter_questions_and_resolved_reports_stay_quiet(text: str) -> None:
    # The control: a report in the same words is answered (see the test above).
    assert diagnose(REPORTS[0], KNOWLEDGE, "passive").action == "escalate"
    assert diagnose(text, KNOWLEDGE, "passive").action == "ignore"


def test_an_escalation_with_an_error_still_pages_support() -> None:
    decision = diagnose("openai.InternalServerError: Error code: 520 - error code: 520", KNOWLEDGE)
    assert decision.escalate and decision.pages_support


def test_every_answer_shows_what_it_recognised() -> None:
    reply = explain("openai.RateLimitError: Error code: 429 - {'error': {}}", KNOWLEDGE).reply
    assert reply is not None
    # The evidence is quoted within the paste's own error line.
    said = "Recognised: `openai.RateLimitError: Error code: 429 - {'error': {}}` (status)"
    assert said in render_text(reply)
    assert render_embed(reply)["description"].startswith(said)

    fuzzy = explain(REWORDED[0][0], KNOWLEDGE).reply
    assert fuzzy is not None
    line = render_text(fuzzy).splitlines()[2]
    assert line.startswith("Recognised: `your prompt has 200122 tokens") and "% like `" in line


def test_explain_json_evidence_is_typed() -> None:
    decision = diagnose("ConnectionResetError: [Errno 104] Connection reset by peer", KNOWLEDGE)
    evidence = json.loads(json.dumps(decision.to_json()))["evidence"]
    kinds = {item["kind"] for item in evidence}
    assert kinds <= {kind.value for kind in Kind} and "exception" in kinds
    exception = next(item for item in evidence if item["kind"] == "exception")
    assert exception["text"] == "ConnectionResetError"
    assert exception["span"] == [0, len("ConnectionResetError")]
    assert exception["entry"] == "connection-reset"
