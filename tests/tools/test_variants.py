"""How the factory labels what a paste can and can't tell."""

from __future__ import annotations

from tools.paste_factory.variants import label_shared_headlines


def case(text: str, expected: str, variant: str) -> dict:
    return {"text": text, "expected": expected, "variant": variant}


def test_a_headline_several_failures_print_alike_is_unknown_and_full_pastes_keep_theirs() -> None:
    shared = "openai.APIConnectionError: Connection error."
    cases = [
        case(shared, "connection-reset", "last-line"),
        case(f"{shared}\n\nanyone seen this?", "dns-lookup-failed", "last-line-with-question"),
        case(shared, "tls-certificate-failed", "last-line"),
        case(
            f"Traceback ...\nssl.SSLCertVerificationError\n{shared}",
            "tls-certificate-failed",
            "raw",
        ),
        case("curl: (6) Could not resolve host: x", "dns-lookup-failed", "last-line"),
    ]
    assert label_shared_headlines(cases) == 3
    assert [c["expected"] for c in cases] == [
        "unknown",
        "unknown",
        "unknown",
        "tls-certificate-failed",
        "dns-lookup-failed",
    ]


def test_a_headline_repeated_by_one_failure_keeps_its_label() -> None:
    line = "openai.RateLimitError: Error code: 429"
    cases = [
        case(line, "429", "last-line"),
        case(f"{line}\n\nhelp", "429", "last-line-with-question"),
    ]
    assert label_shared_headlines(cases) == 0
    assert {c["expected"] for c in cases} == {"429"}
