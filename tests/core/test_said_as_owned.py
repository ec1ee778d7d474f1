"""holdout56-59's long tail (issue 18), each kind as one general rule, in words the rounds did
not use: the writer owning the failure (`owned` in prose.yaml: "my bad", "forgot to", "nvm",
"not an api thing") keeps an unnamed exception or a vague failure away from a human; a
gateway's refusal body (`gateway_refusals`) says whose status it is; a reply to someone else,
a billing question, a plan for production and a docs quote are mentions; other services'
statuses named by host or link stay quiet. Beside each, what the rule must leave alone.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

# The writer says the failure is theirs: nothing for a human at Fireworks to look at.
OWNED = [
    "TypeError: Cannot read properties of undefined (reading 'length')\n"
    "    at Sidebar (Sidebar.jsx:17)\nmy bad, the list wasn't loaded yet",
    "ReferenceError: client is not defined\n    at handler (api/chat.js:9:3)\n"
    "forgot to import the fireworks client, nvm",
    "KeyError: 'FW_MODEL_ID'\nnot an api thing, my settings loader skips the .env",
]
# ... and the same exceptions with nothing said of whose they are (guards: escalated before).
NOT_OWNED = [
    'Traceback (most recent call last):\n  File "app.py", line 12, in ask_fireworks\n'
    "    data = r.json()\njson.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)",
]


@pytest.mark.parametrize("text", OWNED)
def test_a_failure_the_writer_owns_is_not_escalated(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


@pytest.mark.parametrize("text", NOT_OWNED)
def test_an_unowned_failure_still_escalates(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


# A gateway's own refusal, told with Fireworks anywhere in the message: its status, not
# Fireworks', whatever it is; a failure with an entry (the egress proxy) still wins.
REFUSALS = [
    'Kong says 403 {"message":"You cannot consume this service"} on the chat route;'
    " the route upstream is api.fireworks.ai",
    "litellm: 400 Invalid model name passed in model=fw-glm. the fireworks model id in my"
    " config.yaml looks right",
    "fireworks calls from the office get a Cloudflare 'Sorry, you have been blocked' page, 403",
]


@pytest.mark.parametrize("text", REFUSALS)
def test_a_gateways_refusal_goes_to_a_human(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "unknown"


def test_a_refusal_behind_a_named_proxy_is_the_proxys(knowledge: Knowledge) -> None:
    text = "our egress gateway answers 403 RBAC: access denied for api.fireworks.ai, help?"
    assert verdict_label(text, knowledge) == "proxy-refused"


def test_a_refusal_fireworks_answered_is_fireworks(knowledge: Knowledge) -> None:
    text = (
        "our express gateway logs: upstream api.fireworks.ai -> 401 (after 20ms), we just"
        " forward the status; 'Invalid model name passed in model=' is in the body too"
    )
    assert verdict_label(text, knowledge) != "unknown"


# Mentions: a reply to someone else, whether failures are billed, getting ready for
# production, the docs' table row quoted with a dash, a status from another service's host.
MENTIONS = [
    "@mira_dev you're getting 401 because the key has a trailing newline, strip it",
    "do calls that get 500'd count against my bill?",
    "how do you retry a 503 from fireworks? want it done before we go live next week",
    "> 413 Payload Too Large \u2013 Input data exceeds the allowed size limit.\n"
    "wish it said the limit",
    "got 403 from api.anthropic.com as my key was revoked, wrong server to ask, sorry",
    "the link in the quickstart page goes to 404",
]


@pytest.mark.parametrize("text", MENTIONS)
def test_a_mention_is_not_a_report(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


# Reports in words the older lists missed: a reply with nothing in it, a stream without its
# [DONE], a status one gets said in German, .NET's network timeout, a redirect loop.
REPORTS = [
    ("the completion from fireworks comes back completely empty now and then", "unknown"),
    ("our consumer sees fireworks streams that ended without [DONE], no error", "stream-cut-off"),
    ("Ich bekomme seit heute früh 429 von Fireworks bei jedem zweiten Call", "429"),
    (
        "System.ClientModel: The operation was cancelled because it exceeded the configured"
        " timeout of 0:01:40. (calling fireworks with the .NET OpenAI SDK)",
        "client-timeout",
    ),
    (
        "requests.exceptions.TooManyRedirects: Exceeded 30 redirects. base_url is"
        " http://api.fireworks.ai/inference/v1",
        "unknown",
    ),
]


@pytest.mark.parametrize(("text", "label"), REPORTS)
def test_a_report_in_new_words_is_read(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label
