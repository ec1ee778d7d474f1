"""What holdout73-81 left unread and holdout83-98 missed (issue 18), each kind as one general
rule, in words the rounds did not use: failures told in passing (a class a verb says was
raised, `null` in quotes, zero content, calls that die, what one's logs show), a gateway or mesh
of the person's own around a failure, catalogue lines (a 407, Winsock localised, Cloudflare's
1xxx pages, V8's JSON.parse of HTML, nginx's upstream timeout, Envoy's refused connect),
reports in other words and languages; and the neighbours each rule must leave alone: another
service's error, one's own API, code that handles a class, docs, wikis and blog posts, a test's
mock, what the model writes, a design question, a resolved or untried failure.
"""

import pytest

from bot.core.model import Knowledge
from tests.core.labels import verdict_label

REPORTS = [
    ("the worker threw BadGatewayError on two fireworks calls tonight", "502"),
    ("our agent's fireworks call returned `None` twice this hour, nothing logged", "unknown"),
    ("the fireworks model gave no reply at all in the chat widget", "unknown"),
    ("fireworks stream sends zero output for this prompt, finish_reason length", "unknown"),
    (
        "ChatFireworks in my graph: ValueError: No generations found in stream.",
        "unknown",
    ),
    ("the nightly eval job on fireworks died halfway with no useful error", "unknown"),
    ("errors out each time, tried deepseek and kimi", "unknown"),
    ("our logs say fireworks answered 418 to a few calls, what does 418 mean here?", "unknown"),
    (
        'the ingress in front of fireworks returns 403 "access forbidden by rule", so not'
        " fireworks, the call never leaves our cluster",
        "unknown",
    ),
    # catalogue lines: a 407 whoever prints it, Winsock's refusal in German, aiohttp's read
    # timeout, a stream cut off told in Chinese
    ("fetch to fireworks through the office proxy: HTTP 407, so nothing goes out", "proxy-refused"),
    (
        "System.Net.Sockets.SocketException (10061): Es konnte keine Verbindung hergestellt"
        " werden, da der Zielcomputer die Verbindung verweigerte. api.fireworks.ai:443",
        "connection-refused",
    ),
    (
        "aiohttp.ServerTimeoutError: Timeout on reading data from socket (fireworks, 32k prompt)",
        "client-timeout",
    ),
    # an Envoy reply from the person's own mesh: the mesh's status around the reset it met
    (
        "linkerd... no, our service mesh answers 503 and says upstream connect error or"
        " disconnect/reset before headers. reset reason: connection termination (to fireworks)",
        "connection-reset",
    ),
    # holdout83-86's pass
    ("fireworks keeps hitting us with 413 on the big pdfs", "413"),
    ("Bei Anfragen an Fireworks kommt 401, obwohl der Key neu ist", "401"),
    ("nginx log: upstream sent 502 while reading response header from api.fireworks.ai", "502"),
    ("Cursor: Proxy responded with 407 when I point it at fireworks", "proxy-refused"),
    (
        "rust client: unexpected EOF while reading the stream from fireworks, half a reply",
        "stream-cut-off",
    ),
    ("pasa de vez en cuando: fireworks nos devuelve 502, ¿qué significa?", "502"),
    ("calls to fireworks fail since our rollout this morning, nothing in the logs", "unknown"),
    (
        "Lỗi khi gọi fireworks từ máy công ty: SSL: CERTIFICATE_VERIFY_FAILED",
        "tls-certificate-failed",
    ),
    # holdout87-89's pass
    ("kenapa fireworks ngasih 503 terus dari pagi?", "503"),
    ("fireworks stops working for ten minutes every evening, what is going on", "unknown"),
    (
        "curl: (97) proxy handshake error\nfollowing the fireworks quickstart from the docs",
        "proxy-refused",
    ),
    (
        "useChat with fireworks: reply ends early and finishReason: 'unknown' in onFinish",
        "stream-cut-off",
    ),
    (
        "tyk in front of fireworks answers 403 from its own quota policy, not fireworks",
        "unknown",
    ),
    # holdout90-92's pass
    ("Seit heute Morgen bei jedem Aufruf 503, auch mit anderem Modell", "503"),
    ("Haystack pipeline -> fireworks, 502 on the generator step every time", "502"),
    (
        "the proxy log says status_code=429 from upstream api.fireworks.ai, our proxy then"
        " returns 500 to the app",
        "429",
    ),
    (
        "envoy sidecar -> fireworks egress: upstream connect error or disconnect/reset before"
        " headers. reset reason: remote connection failure, transport failure reason: delayed"
        " connect error: 111",
        "connection-refused",
    ),
    (
        "2026/12/01 10:00:00 [error] 7#7: upstream timed out (110: Connection timed out) while"
        " reading response header from upstream, upstream: https://api.fireworks.ai/inference",
        "client-timeout",
    ),
    (
        "Error 1015? no: Error 1020 Ray ID: 7a1b2c3d4e5f Access denied, calling fireworks from"
        " our VPS",
        "unknown",
    ),
    ("fireworks stream gives status 200 and 0 chunks, no error at all", "unknown"),
    ("Fireworks liefert eine leere Antwort, Status 200, Modell qwen", "unknown"),
    ("errors out with no message since noon, serverless qwen", "unknown"),
    # holdout93-95's pass
    ("why would fireworks give me 413 on my pdf... it worked on the small one, now 413", "413"),
    ("fireworks just stops responding every afternoon, what is going on", "unknown"),
    ("HTTP 451 when I call the model, from api.fireworks.ai", "unknown"),
    # ... and a word that only ends like a negation ("gone", French "ne") doesn't deny it
    ("HTTP 410 Gone whenever we query the fireworks model we used last year", "unknown"),
    ("n8n shows 402 Payment Required on the fireworks node, new card added, still the same", "402"),
    ("error code: 1012 from api.fireworks.ai when our office calls it", "unknown"),
    (
        "SyntaxError: Unexpected token < in JSON at position 0\n"
        "response.json() on my fireworks call",
        "unknown",
    ),
    # holdout96-98's pass
    ("404 page not found from Insomnia on https://api.fireworks.ai/v1/completions", "404"),
    ("every fireworks request raises APIResponseValidationError since the upgrade", "unknown"),
    ("firectl create deployment fails with no message at all", "unknown"),
    ("error code: 1101 from the worker that calls fireworks", "unknown"),
    (
        "sending fireworks calls through our company gateway, it answers 403 with its own page",
        "unknown",
    ),
    # holdout99-101's pass
    ("Error: 429 status code (no body) from my netlify function that calls fireworks", "429"),
    ("curl -w '%{http_code}' printed 504 after two minutes against fireworks", "504"),
    ("Got an error 413 posting the transcript to fireworks", "413"),
    ("Received 406 Not Acceptable from api.fireworks.ai with my Accept header", "unknown"),
    ("my fetch loop ends without ever receiving data: [DONE] from fireworks", "stream-cut-off"),
    ("the await on the fireworks call never resolves, no timeout set", "unknown"),
    ("Fireworks cevab\u0131 bo\u015f geliyor, hata yok", "unknown"),
    ("调用 fireworks 的流式接口\uff0c回答写到一半就中途断开了", "stream-cut-off"),
]
# ... and Fireworks' own edge, which may run Envoy too: its status is the answer
EDGE = (
    "HTTP/2 503 from api.fireworks.ai\nserver: envoy\nupstream connect error or disconnect/reset"
    " before headers. reset reason: connection termination"
)
MENTIONS = [
    "should my wrapper raise RateLimitError itself or let the fireworks SDK do it?",
    "my tests assert the client raises RateLimitError when the mock gives 429, all green",
    "what does 418 mean? saw it in a blog about teapots",
    "that 401 was our corp proxy wanting a login, not fireworks. sorted",
    # holdout83-86's pass: another service or tool, one's own API, a docs copy, a guessed
    # limit, a benchmark's count, an answer that came back fine
    "cohere ThrottlingError: slow down, so we are trying fireworks next",
    "OpenAI itself returned 503 all morning, thinking of fireworks as a fallback",
    "npm install failing with x509 on the office network, unrelated question sorry",
    "we send 429 from our api when a tenant runs out of credits, should the body mirror fireworks?",
    "Copying from the docs for onboarding: 412 means the account is suspended. Is it the same for"
    " fine-tunes?",
    "how big can an image be before you'd hit 413 on fireworks?",
    "load test: 502 requests ok, nothing dropped",
    "the response itself came back fine, my regex just misses the last line, django question",
    "ImportError: cannot import name 'X' from 'y'\nit's the image resizer, no LLM involved",
    # holdout87-89's pass
    "is this ok?\n```python\ntry:\n    ask()\nexcept openai.APIConnectionError:\n"
    "    fallback()\n```",
    "getting 503s from OpenAI's API this afternoon, does fireworks have an uptime page?",
    "our error rate went down a lot once we moved the agent to fireworks",
    "our team wiki says fireworks 408 means the prompt took too long, still true?",
    "401 on our own /refresh endpoint after an hour, jwt question really",
    "how do I point the node client at an HTTPS proxy for fireworks? haven't tried yet",
    "KeyError: 'lookup'\nthe model asked for a tool we never declared, can I restrict it?",
    # holdout90-92's pass
    "¿qué significa 503 en general? lo pregunto para la documentación",
    "openai.RateLimitError: Rate limit reached for gpt-4o-mini in organization org-abc on"
    " requests per min, that's why we're trying fireworks",
    "HF inference endpoints gave us 503s all week, is fireworks steadier?",
    "what status should our gateway send when fireworks times out, 504 or 502?",
    "pro tip: stream=True plus a 300s read timeout keeps r1 happy",
    "my jest test mocks the fireworks client to reject with 429 and the retry works",
    "IndexError: list index out of range\nmy bug right? I read choices[1]",
    # holdout93-95's pass
    "TypeError: x is undefined in my Vue chat component, the api response is fine",
    "HTTP 500 from our Django app since I renamed a setting, unrelated",
    "openai's own API gives us 429 quota errors, so we're testing fireworks",
    "FUNCTION_INVOCATION_TIMEOUT on vercel, the fireworks call finished in 3s, it's my own parsing",
    "the model keeps inserting fake error messages into the story, how do I stop it?",
    # holdout96-98's pass
    "```python\nwith pytest.raises(openai.RateLimitError):\n    ask()\n```\n"
    "enough to cover fireworks?",
    "429s from openai every afternoon, so we're thinking of moving the batch to fireworks",
    "someone wrote a blog post saying fireworks returns 502 on purpose under load, true?",
    "403 rather than 404 for a private model feels like odd design, why?",
    "we're behind zscaler at the office, any IP list for fireworks? haven't tried the office yet",
    "last night 503s from fireworks for twenty minutes, today everything's fine",
    "we answer 413 from our own upload endpoint above 10 MB, then call fireworks",
    "we set 504 on our ingress at 60s, should it be longer for reasoning models?",
    "gh api gives 404 for the cookbook repo, private now?",
    "KeyError: 'text'\nthe call succeeded, I read the wrong field",
    "temperature 0 on fireworks still gives different outputs, is there a seed?",
    "is a 503 from fireworks retried automatically by the node sdk?",
    "openai.APITimeoutError: Request timed out.\nthat's our openai fallback, fireworks is still"
    " working",
    # holdout99-101's pass
    "Cohere 503s all morning, happy our fireworks fallback exists",
    "AttributeError: 'NoneType' object has no attribute 'split'\nnever got to the fireworks call"
    " yet, it's in the loader",
    "my csv parsing of the table output is broken, it adds a header row",
    "the CDN for our own domain was misconfigured, getaddrinfo ENOTFOUND for a while",
    "our ingress gave 413 until I bumped it and now uploads reach fireworks fine",
    "terima kasih, semua lancar sekarang soal 429 kemarin",
    "we rate limit our own users at 5 rps and return 429, fine to keep?",
    "KeyError: 'rows'\nmy scraper broke again lol",
    # the writer's own fix on the way
    "TypeError: expected string or bytes-like object, got 'NoneType'\nfrom my fireworks helper,"
    " gonna fix my parser",
]


@pytest.mark.parametrize(("text", "label"), REPORTS)
def test_a_failure_told_in_passing_is_read(text: str, label: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == label


@pytest.mark.parametrize("text", MENTIONS)
def test_its_neighbour_stays_quiet(text: str, knowledge: Knowledge) -> None:
    assert verdict_label(text, knowledge) == "none"


def test_an_envoy_reply_from_fireworks_edge_keeps_its_status(knowledge: Knowledge) -> None:
    assert verdict_label(EDGE, knowledge) == "503"
