"""Is this person reporting a failure they hit, or only mentioning an error?

The words are data (`knowledge/signals/prose.yaml`: quoting, past, asks_meaning, ongoing,
outage, hypothetical; `statuses.yaml`: units). A mention stays quiet in a help channel and never
escalates; "I keep getting it" makes any mention a report again.
"""

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge

MENTIONS = [
    # a quote of the docs, or a page of them
    'from the docs: "429 Too Many Requests - you have exceeded the rate limit, back off"',
    'The docs table says 412 is "LoRA model failed to load". Does that apply to base models?',
    'does anyone know what "520 unknown error" means in the fireworks error table?',
    "the docs page https://docs.fireworks.ai/guides/old-page shows 404, someone should fix it",
    # long past, or solved
    "we saw 502 bad gateway last month during the incident, is there a postmortem?",
    "yesterday we had a bunch of 502s but it's all good now, fixed by retrying",
    "yesterday we had a few 'SSL connect error' from curl but it's fine now",
    "the README table says `| 500 | Internal Server Error | contact support |`, small typo",
    # an error quoted inline: its own words ("returning", "hit") are not the person's
    "we saw 'api.fireworks.ai | 520: Web server is returning an unknown error' last month",
    "does 'Number of redirects hit maximum amount' count against my rate limit?",
    # the meaning of a quoted error, out of curiosity; 520's entry escalates, the mention not
    "what does 'error code: 520' mean?",
    "if we ever get 'error code: 522' from cloudflare, should we retry?",
    # what a code means, out of curiosity
    "out of curiosity what does a 520 actually mean? never seen one",
    # a plan, not a failure
    "how do rate limits work on serverless? asking before we hit any 429",
    # named, not hit: an envelope code quoted in a question; a question said to be only one
    # ("just asking, haven't had it"), even with a strong status; "not hitting it"; a fix shared
    "is `DEPLOYMENT_SCALING_UP` worth a special case in our retry code, or just another 503?",
    "¿Alguien sabe si el error 502 cuenta contra la cuota? Solo pregunto, todavía no me pasó",
    "what's 412 Precondition Failed about in the error table? not hitting it, just curious",
    "429対策としてバックオフを入れました。共有まで。",
    # a count or a measure after a number
    "p50 latency is 503ms on llama 70b, p99 is 1200ms, pretty good",
    "the generation used 429 tokens for this prompt",
]


@pytest.mark.parametrize("text", MENTIONS)
def test_a_mention_is_not_a_report_and_never_escalates(knowledge: Knowledge, text: str) -> None:
    decision = diagnose(text, knowledge, "passive")
    assert decision.action == "ignore", decision


REPORTS = [
    # asking what it is while saying one keeps getting it; a failure named before its code;
    # an adverb of another language; a cross on the step that failed
    ("wtf is 401?? i keep getting it from fireworks since this morning", "401"),
    ("Timeout 504 en las llamadas largas a deepseek-r1, las cortas van bien", "504"),
    ("Bekommen seit 10 Minuten durchgehend 502 von api.fireworks.ai", "502"),
    ("fine tune finished ✅ deploy ✅ first request ❌ 412. ugh", "412"),
    # a new failure after a fixed one: what was fixed is the older failure
    (
        "was getting ConnectError yesterday (vpn), fixed that, now it's `openai.RateLimitError`",
        "429",
    ),
    # a retry log: the status it ends on is the one the person is stuck on
    (
        "tried 10 times with retries:\n[attempt 1] 503 Service Unavailable\n[attempt 2] 503 "
        "Service Unavailable\n[attempt 3] 429 Too Many Requests\n[attempt 10] 429 Too Many "
        "Requests -> giving up",
        "429",
    ),
    ("what does 429 mean? I keep getting it", "429"),
    ("the docs say 429 means rate limit but I keep getting it with 1 rpm", "429"),
    ("404 on /v1/embeddings?? docs say it exists", "404"),
    ("getting 502 bad gateway since last week on every request", "502"),
]


@pytest.mark.parametrize(("text", "code"), REPORTS)
def test_a_failure_someone_keeps_hitting_is_a_report(
    knowledge: Knowledge, text: str, code: str
) -> None:
    decision = diagnose(text, knowledge, "passive")
    assert decision.action == "answer" and decision.entry is not None, decision
    assert decision.entry.code == code


@pytest.mark.parametrize("text", ["fw down?", "is fireworks down for anyone? all my calls hang"])
def test_asking_whether_fireworks_is_down_asks_for_the_error_without_paging(
    knowledge: Knowledge, text: str
) -> None:
    decision = diagnose(text, knowledge, "passive")
    assert decision.action == "escalate" and decision.entry is None
    assert not decision.pages_support  # it asks for the error text; the user's press pages
