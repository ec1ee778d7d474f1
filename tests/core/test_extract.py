"""Status codes count only in a status context; everything else that looks like one doesn't."""

import pytest

from bot.core.extract import extract
from bot.core.prepare import HEAD_CHARS, TAIL_CHARS, prepare
from bot.knowledge.load import load_knowledge

SIGNALS = load_knowledge().signals  # the shipped vocabulary, read once for the module


def codes(text: str) -> set[str]:
    return {signal.code for signal in extract(prepare(text), SIGNALS).signals}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("openai.RateLimitError: Error code: 429 - {'error': {}}", "429"),
        ("< HTTP/1.1 503 Service Unavailable", "503"),
        ("HTTP/2 502", "502"),
        ("fireworks call failed status_code=502", "502"),
        ('{"error": {"code": 404, "message": "Path not found: /v1/foobar"}}', "404"),
        ("request rejected (HTTP 400)", "400"),
        ("error code: 520", "520"),
        ('Error: 400 {"error": {"message": "bad"}}', "400"),
        ("RateLimitError: 429 Too Many Requests", "429"),
        ("requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: x", "429"),
        ("httpx.HTTPStatusError: Server error '502 Bad Gateway' for url 'x'", "502"),
        ("Too Many Requests (429)", "429"),
        ("keep getting 502s from fireworks since this morning", "502"),
        ("anyone else seeing a 503 on deepseek?", "503"),
        ("504", "504"),
        ("/fwerror 413", "413"),
        ('"code": "PRECONDITION_FAILED"', "412"),
        ("litellm.RateLimitError: Fireworks_aiException - overloaded", "429"),
    ],
)
def test_status_in_context_is_found(text: str, code: str) -> None:
    assert code in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "accounts/fireworks/models/llama-v3p1-405b-instruct works great",
        '  File "/app/main.py", line 404, in handler',
        "usage: prompt_tokens: 404, completion_tokens: 502",
        "got 502 tokens back from the model",
        "max_tokens=4096",
        "proxy listening on :5030",
        "this month's bill was $402.13",
        "latency_ms=503 ttft_ms=412",
        "summarising a 413-page PDF",
        'INFO httpx: HTTP Request: POST https://api.fireworks.ai "HTTP/1.1 200 OK"',
        "shipped on 2024-05-03 at 14:29",
    ],
)
def test_numbers_that_are_not_statuses_are_ignored(text: str) -> None:
    assert codes(text) == set()


def test_reason_phrase_must_agree_with_code() -> None:
    assert codes("429 Bad Gateway") == set()


def test_last_exception_in_a_chained_traceback_counts_most() -> None:
    text = (
        "httpx.HTTPStatusError: Client error '429 Too Many Requests'\n\n"
        "During handling of the above exception, another exception occurred:\n\n"
        "openai.InternalServerError: Error code: 503 - {'error': 'overloaded'}\n"
    )
    weights: dict[str, float] = {}
    for signal in extract(prepare(text), SIGNALS).signals:
        weights[signal.code] = weights.get(signal.code, 0) + signal.weight
    assert weights["503"] > 2 * weights["429"]


def test_transport_failures_and_misconfiguration_are_flagged() -> None:
    assert extract(prepare("openai.APIConnectionError: Connection error."), SIGNALS).transport
    assert extract(prepare("litellm.BadRequestError: LLM Provider NOT provided"), SIGNALS).transport


def test_prepare_strips_ansi_crlf_fences_and_invisibles() -> None:
    raw = "```py\r\n\x1b[31mError code:\u200b 429\x1b[0m\r\n```"
    assert prepare(raw).strip() == "Error code: 429"
    assert "429" in codes(raw)


def test_a_turkish_capital_dotted_i_does_not_shift_what_evidence_points_at() -> None:
    """'İ' lower-cases to two characters; read as 'I', each span still points at its words."""
    found = extract(prepare("İSTEK İPTAL EDİLDİ: read ECONNRESET"), SIGNALS)
    assert [e.text for e in found.transport] == ["ECONNRESET"]


def test_huge_paste_keeps_head_and_tail() -> None:
    text = "Error code: 401\n" + "x" * 2_000_000 + "\nError code: 503"
    prepared = prepare(text)
    assert len(prepared) <= HEAD_CHARS + TAIL_CHARS + 10
    assert {"401", "503"} <= codes(text)


def test_lone_surrogates_and_nul_do_not_break_extraction() -> None:
    assert "429" in codes("\ud800\x00Error code: 429\udfff")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("got 429 images back", set()),  # a count: no word after it keeps it a status
        ("got 429 again from fireworks", {"429"}),
        ("returns 404 pages", set()),
        ("returns 404 page not found", {"404"}),
        ("been 429'd all morning", {"429"}),
        ("v2/429'd", set()),  # glued to a path
        ("PUT to the chat url → 405", {"405"}),
        ("PUT → 405.5", set()),  # a version or a decimal
        ("rate-limited (429)", {"429"}),
        ("FIREWORKS 503 AGAIN", {"503"}),
        ("FIREWORKS 503 maybe", set()),
        ("a 429 or a 503 again", {"429", "503"}),
        ("error\u00a0code:\u00a0429", {"429"}),  # no-break spaces are spaces
        ("é429 errors", set()),  # glued to a letter of any alphabet
        ("报错429错误", {"429"}),  # no spaces in that language: the verb and the word touch it
        ("error code: ٤٢٩", set()),  # a status is written in ASCII digits
    ],
)
def test_the_context_around_a_code_decides_whether_it_is_a_status(
    text: str, expected: set[str]
) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        ("thanks, fixed", True),
        ("thanks in advance", False),
        ("thank you in advance", False),
        ("fixed nothing", False),
        ("fixed nothing, but thanks", True),
    ],
)
def test_resolution_words_but_not_in_advance_or_nothing(text: str, resolved: bool) -> None:
    assert extract(prepare(text), SIGNALS).prose.resolved is resolved
