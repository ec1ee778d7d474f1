"""Retry logs: the last attempt's status is where the person is stuck, and earlier attempts'
statuses are no rivals to it; two statuses outside a retry log still are."""

import pytest

from bot.core.extract import extract
from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from bot.core.prepare import prepare

RETRY_LOGS = [
    ("job log\nattempt 1 -> 500 Internal Server Error\nattempt 2 -> 429 Too Many Requests", "429"),
    (
        "[backoff] try 1 failed: 502 Bad Gateway\n[backoff] try 2 failed: 413 Payload Too Large",
        "413",
    ),
    (
        "Retrying in 0.5s as it raised APIStatusError: Error code: 503\n"
        "Retrying in 1.0s as it raised APIStatusError: Error code: 401",
        "401",
    ),
]


@pytest.mark.parametrize(("text", "code"), RETRY_LOGS)
def test_the_last_attempt_is_answered_in_both_modes(
    text: str, code: str, knowledge: Knowledge
) -> None:
    for mode in ("explicit", "passive"):
        decision = diagnose(text, knowledge, mode)  # type: ignore[arg-type]
        assert decision.entry is not None and decision.entry.code == code, mode


def test_earlier_attempts_leave_the_evidence(knowledge: Knowledge) -> None:
    found = extract(prepare(RETRY_LOGS[0][0]), knowledge.signals)
    assert {s.code for s in found.signals} == {"429"}


def test_two_statuses_outside_a_retry_log_stay_rivals(knowledge: Knowledge) -> None:
    text = "client A gets 500 Internal Server Error\nclient B gets 429 Too Many Requests"
    found = extract(prepare(text), knowledge.signals)
    assert {s.code for s in found.signals} == {"500", "429"}


def test_one_attempt_line_is_not_a_log(knowledge: Knowledge) -> None:
    text = "HTTP/1.1 500 Internal Server Error\nretrying once: 429 Too Many Requests"
    found = extract(prepare(text), knowledge.signals)
    assert {s.code for s in found.signals} == {"500", "429"}


def test_a_question_under_a_retry_log_asks_about_a_failure_hit(knowledge: Knowledge) -> None:
    log = "retry log:\nattempt 1 -> 503\nattempt 2 -> 503\nattempt 3 -> 503\n"
    decision = diagnose(log + "what's the 503 about?", knowledge, "passive")
    assert decision.entry is not None and decision.entry.code == "503"
    # the same question without the log only mentions the code
    assert diagnose("what's the 503 about?", knowledge, "passive").action == "ignore"


def test_bare_codes_on_attempt_lines_are_the_attempts_statuses(knowledge: Knowledge) -> None:
    text = "[retry] 429 -> sleep 2s\n[retry] 503 -> sleep 4s\n[retry] 503 -> giving up"
    found = extract(prepare(text), knowledge.signals)
    assert {s.code for s in found.signals} == {"503"} and found.retry_log
    decision = diagnose(text, knowledge, "passive")
    assert decision.entry is not None and decision.entry.code == "503"


@pytest.mark.parametrize(
    "text",
    [
        "try 1 of 500 ok\ntry 2 of 500 ok",  # a count of tries
        "retry after 500 ms\nretry after 500 ms",  # a unit follows
        "[retry] 503 -> sleep 4s",  # one attempt line is no log
    ],
)
def test_numbers_that_are_not_attempts_statuses(text: str, knowledge: Knowledge) -> None:
    assert extract(prepare(text), knowledge.signals).signals == []


def test_a_retry_log_that_ends_in_success_and_thanks_is_resolved(knowledge: Knowledge) -> None:
    text = "attempt 1 -> 503\nattempt 2 -> 503\nattempt 3 -> 200 OK, works now thanks"
    assert diagnose(text, knowledge, "passive").action == "ignore"
