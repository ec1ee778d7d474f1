"""holdout38 and holdout39's reasons (issue 18), each as a general rule, in words the rounds
did not use, with the sentences each rule must leave alone beside the ones it must catch.
"""

import pytest

from bot.core.model import Knowledge
from bot.core.ocr import repair
from tests.core.labels import verdict_label

# Words a picture split in two, in a text that says it was read from one (`from_picture` in
# ocr.yaml), and a word with one of its look-alike letters mis-read ("lnvalid": its l is an I).
SPLIT = [
    ("retyped from the screenshot: Forbid den, acc ount suspend ed", "Forbidden, account"),
    ("OCR gave me: Too Many Requ ests", "Too Many Requests"),
    ("screenshot says: Bad Gate way", "Bad Gateway"),
    ("ocr'd it: lnvalid request", "invalid request"),
]
# ... left alone in typed text, and two words of a listed phrase stay two words.
NOT_SPLIT = [
    "this is in valid JSON, we go away from the retry",
    "screenshot: connection refused on port 443",
]


@pytest.mark.parametrize(("text", "mended"), SPLIT)
def test_a_word_a_picture_split_is_joined(text: str, mended: str, knowledge: Knowledge) -> None:
    assert mended in repair(text, knowledge.signals.ocr)


@pytest.mark.parametrize("text", NOT_SPLIT)
def test_two_real_words_stay_apart(text: str, knowledge: Knowledge) -> None:
    assert repair(text, knowledge.signals.ocr) == text


PICTURES = [
    ("typed out from a screenshot: `4O3 Forbid den` from fireworks", "403"),
    ("OCR: `5O2 Bad Gate way` calling fireworks", "502"),
]


@pytest.mark.parametrize(("text", "code"), PICTURES)
def test_a_status_read_from_split_words_is_answered(
    text: str, code: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == code


# A failure said with no error text, in slang and romanised languages (`failing` in
# prose.yaml): a human looks.
VAGUE = [
    "the fireworks endpoint looks totally cooked today",
    "fireworks api yine patladi mi",
    "fireworks api ne otvechaet uzhe chas",
    "fireworks model response nahi de raha",
    "fireworks el api wa2fa men el sob7",
    "api fireworks bi loi r",
    "fireworks api goi khong duoc tu sang",
    "`Error occurred in agent loop` is all the agent prints\n(model on fireworks)",
]
# ... and the same words where nothing failed.
NOT_VAGUE = [
    "we cooked up a fireworks api demo last night, works great",
    "fireworks api response bohot fast hai, mast",
    "we logged 'error occurred' strings from fireworks docs into our glossary",
]


@pytest.mark.parametrize("text", VAGUE)
def test_a_vague_report_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


@pytest.mark.parametrize("text", NOT_VAGUE)
def test_the_same_words_with_nothing_failing_stay_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# A question asked in theory (`hypothetical`), and frames shown for feedback or to say how the
# code is built (`teaching`, and no cut-short traceback then): nobody is hitting anything.
QUIET = [
    "theoretically the api hands back a 503 while a deployment scales, right?",
    "in theory fireworks gives 413 above some size, what is it?",
    'File "svc/llm.py", line 502, in ask\nlooking for some feedback on how I wrap fireworks',
    'File "svc/llm.py", line 503, in ask\njust showing where my code calls fireworks',
]
# ... and a frame left alone by anyone asking for feedback is still a paste cut short.
CUT_SHORT = (
    "Traceback (most recent call last):\n"
    '  File "svc/llm.py", line 88, in ask\n'
    "    r = client.chat.completions.create(model=m)\n"
)


@pytest.mark.parametrize("text", QUIET)
def test_a_question_in_theory_or_code_shown_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


def test_a_traceback_cut_short_still_reaches_a_human(knowledge: Knowledge) -> None:
    assert verdict_label(CUT_SHORT, knowledge) == "unknown"


# A stream whose end was never seen, and a last chunk said to lack its finish_reason
# (transport.yaml): the stream was cut off.
CUT_OFF = [
    "our sse client never sees [DONE] from fireworks on big prompts",
    "streaming from fireworks, finish_reason was absent on the final chunk",
]


@pytest.mark.parametrize("text", CUT_OFF)
def test_a_stream_whose_end_never_came_is_cut_off(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "stream-cut-off"


# A chat front-end that passes on the provider's status (Open WebUI, no longer in `gateways`):
# its banner's status is Fireworks'.
def test_a_front_ends_banner_status_is_fireworks(knowledge: Knowledge) -> None:
    text = "Open WebUI banner: 502 Bad Gateway when using fireworks llama"
    assert verdict_label(text, knowledge) == "502"


# Cloudflare's own statuses (521-530 but the table's 520), named with Cloudflare or with their
# page's phrase later in the sentence (transport.yaml), and a number a typo never changes
# ("cloudflare 526" is not a mistyped "cloudflare 520"): a human looks.
CLOUDFLARE = [
    "cloudflare 526 on api.fireworks.ai since noon",
    "fireworks sent a 522 just now, connection timed out at the edge",
]


@pytest.mark.parametrize("text", CLOUDFLARE)
def test_cloudflares_own_status_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


def test_the_tables_cloudflare_status_is_still_answered(knowledge: Knowledge) -> None:
    assert verdict_label("cloudflare 520 from api.fireworks.ai again", knowledge) == "520"


# Not Fireworks' failure (`not_fireworks`): a local model server named before its refusal,
# Fireworks' part said to be small by a focus word; a status quoted "in the docs"
# in Hindi (`quoting`). Nobody needs to look.
ELSEWHERE = [
    "lm studio at 127.0.0.1:1234 econnrefused, it is my backup when fireworks is slow",
    "504 from my cloud run service after 60s of pdf parsing, the fireworks call itself"
    " returned in 1.2s.",
    "docs में 502 bad gateway लिखा है, मैं बस समझ रहा था",
    "डॉक्स में 401 invalid api key दिया है, ठीक है ना?",
]
# ... and Fireworks still failing, or slow with an error.
STILL_FIREWORKS = [
    ("the fireworks call came back in 60s with a 504", "504"),
    ("the fireworks request took 40s, then 504 Gateway Timeout", "504"),
]


@pytest.mark.parametrize("text", ELSEWHERE)
def test_a_failure_elsewhere_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


@pytest.mark.parametrize(("text", "code"), STILL_FIREWORKS)
def test_fireworks_failing_beside_them_is_answered(
    text: str, code: str, knowledge: Knowledge
) -> None:
    assert verdict_label(text, knowledge) == code


# A question about why Fireworks rejects the call reports it (`report_stems`: reject), and a
# gateway said to answer itself is the gateway's status (`own_gateway`), not when it is fine.
def test_asking_why_fireworks_rejects_the_call_reports_it(knowledge: Knowledge) -> None:
    text = "why is fireworks rejecting this? `Extra inputs are not permitted, field: 'seed2'`"
    assert verdict_label(text, knowledge) == "400"


def test_a_gateway_answering_itself_reaches_a_human(knowledge: Knowledge) -> None:
    text = (
        'portkey: `{"error":{"message":"Internal Server Error","code":"500"}}` — the gateway'
        " itself, nothing about fireworks in its logs"
    )
    assert verdict_label(text, knowledge) == "unknown"


def test_a_gateway_said_fine_itself_is_not_its_answer(knowledge: Knowledge) -> None:
    text = "the portkey gateway itself is fine: `Error code: 402 - Payment Required` from fireworks"
    assert verdict_label(text, knowledge) == "402"


# A serverless platform's own page for a function that ran out of time (`gateway_replies`:
# Vercel's FUNCTION_INVOCATION_TIMEOUT) makes its 504 the platform's, not Fireworks': a human
# looks. A 504 said to come back from Fireworks is still Fireworks'.
PLATFORM_TIMEOUTS = [
    "vercel edge: 504 Gateway Timeout, EDGE_FUNCTION_INVOCATION_TIMEOUT on the handler that"
    " calls fireworks",
    "`504 GATEWAY_TIMEOUT FUNCTION_INVOCATION_TIMEOUT` from vercel, my route uses fireworks",
]


@pytest.mark.parametrize("text", PLATFORM_TIMEOUTS)
def test_a_platforms_own_timeout_page_reaches_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


def test_a_504_back_from_fireworks_is_still_fireworks(knowledge: Knowledge) -> None:
    text = "my vercel route calls fireworks and gets 504 Gateway Timeout back from api.fireworks.ai"
    assert verdict_label(text, knowledge) == "504"
