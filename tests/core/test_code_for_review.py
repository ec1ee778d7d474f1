"""Code pasted for review names statuses and classes without hitting them.

`case 429:`, `except openai.RateLimitError as e:` or `StatusCode::TOO_MANY_REQUESTS =>` say what
the code handles. When every piece of evidence lies on lines of source code, the paste stays
quiet unless the words around the code say the person hit it; output next to the code (a line
it printed, a comment saying what it printed) is still a report.
"""

import pytest

from bot.core.error_line import source_lines
from bot.core.matcher import diagnose
from bot.core.model import Knowledge

REVIEWS = [
    # a switch over statuses, in a PR
    "PR for our retry helper, thoughts?\n```ts\nswitch (err.status) {\n  case 401: return 'key';\n"
    "  case 429: return 'slow down';\n  default: return 'fireworks error';\n}\n```",
    # an except clause with a log call that says "failed"
    '```python\nexcept openai.APIStatusError as e:\n    log.error("fireworks failed", '
    "status=e.status_code)\n```\nshould I log the body too?",
    # a diff
    "handle rate limits:\n```diff\n+    except openai.RateLimitError as e:\n"
    '+        log.warning("rate limited: %s", e)\n```\nlmk',
    # match arms
    "```rust\nmatch resp.status() {\n    StatusCode::TOO_MANY_REQUESTS => sleep(d).await,\n"
    '    StatusCode::BAD_GATEWAY => continue,\n    s => bail!("fireworks {s}"),\n}\n```',
    # a chained call whose closure compares the status
    "```php\n$r = Http::withToken($key)\n    ->retry(3, 200, fn ($e) => $e->response?->status() "
    "=== 429)\n    ->post($url, $payload);\n```\nis this the right way?",
    # a plain function, no fence
    'def classify(status):\n    if status == 429: return "rate_limited"\n    return "other"',
]


@pytest.mark.parametrize("text", REVIEWS)
def test_code_for_review_stays_quiet(knowledge: Knowledge, text: str) -> None:
    assert diagnose(text, knowledge, "passive").action == "ignore"


REPORTS = [
    # the person says they hit it
    (
        "```python\nexcept openai.RateLimitError as e:\n    time.sleep(2)\n```\n"
        "still getting 429 on every request even with this backoff",
        "429",
    ),
    # the code printed it: a comment says what came out
    (
        '```swift\nguard http.statusCode == 200 else {\n    print("fireworks error", '
        "http.statusCode)   // prints: fireworks error 413\n    return\n}\n```\nphoto is 16MB",
        "413",
    ),
    # what the call showed, told after it on the same line
    (
        "print(resp.json()) gives {'error': {'object': 'error', 'type': 'invalid_request_error', "
        "'message': 'The API key you provided is invalid.', 'code': 'UNAUTHORIZED'}}",
        "401",
    ),
    # output under the code
    (
        "```python\nresp = client.chat.completions.create(model=m, messages=msgs)\n```\n"
        "openai.RateLimitError: Error code: 429 - {'error': {'message': 'rate limited'}}",
        "429",
    ),
]


@pytest.mark.parametrize(("text", "code"), REPORTS)
def test_code_with_a_failure_it_hit_is_a_report(knowledge: Knowledge, text: str, code: str) -> None:
    decision = diagnose(text, knowledge, "passive")
    assert decision.action != "ignore"
    assert decision.code == code


def test_output_that_mentions_a_call_is_not_code() -> None:
    text = "KeyError: 'choices' — print(resp) shows {'error': {'code': 'UNAUTHORIZED'}}"
    assert source_lines(text) == {}
    assert source_lines("from fireworks import LLM -> ImportError: cannot import name") == {}


def test_a_trailing_comment_is_not_code() -> None:
    line = 'print("x", code)   // prints: x 413'
    assert source_lines(line) == {0: line.index("//")}


def test_what_a_call_showed_after_it_is_not_code(knowledge: Knowledge) -> None:
    """The words that tell what a call showed are markers.yaml's `told_after_code`."""
    line = "print(resp.json()) gives {'error': {'code': 'UNAUTHORIZED'}}"
    told = knowledge.signals.told_after_code
    assert source_lines(line, told) == {0: line.index(" gives")}
    assert source_lines(line) == {0: len(line)}  # with no such words, the line is all code
