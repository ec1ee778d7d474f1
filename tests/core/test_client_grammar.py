"""How clients print a status, and what only looks like one: each rule with a control."""

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge

AXIOS_TABLE = """AxiosError: getaddrinfo ENOTFOUND api.fireworks.ai
  code: 'ENOTFOUND',
  config: {
        STATUS_CODES: {
            '401': 'Unauthorized',
            '407': 'Proxy Authentication Required',
            '504': 'Gateway Timeout',
        },
  }"""
CHAINED = """Traceback (most recent call last):
  File "/app/.venv/lib/python3.11/site-packages/httpcore/_exceptions.py", line 14, in map_exceptions
    raise to_exc(exc) from exc
httpcore.ReadError

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/app/main.py", line 21, in answer
    resp = await client.chat.completions.create(model=MODEL, messages=messages)
openai.APIConnectionError: Connection error."""


def verdict(text: str, knowledge: Knowledge, mode: str = "passive") -> str | None:
    decision = diagnose(text, knowledge, mode)  # type: ignore[arg-type]
    if decision.entry is None:
        return decision.action
    return decision.entry.code or decision.entry.id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # litellm maps a 402 to BadRequestError; the server's reason phrase names the status
        (
            'litellm.BadRequestError: Fireworks_aiException - {"error": {"object": "error", '
            '"type": "invalid_request_error", "message": "Payment Required"}}',
            "402",
        ),
        # ... and a Timeout for a 504: the client's name for a status, not a client timeout
        (
            "litellm.exceptions.Timeout: litellm.Timeout: Timeout Error: Fireworks_aiException"
            ' - {"error": {"object": "error", "message": "Gateway Timeout"}}',
            "504",
        ),
        ("litellm.Timeout: APITimeoutError - Request timed out.", "client-timeout"),
        # the AI SDK prints the status text after the class
        ("APICallError [AI_APICallError]: Unknown Error", "520"),
        # a printed code rules: a reason phrase that disagrees with it is not a second status
        (
            "openai.InternalServerError: Error code: 502 - "
            "{'error': {'message': 'Internal Server Error'}}",
            "502",
        ),
        # a sentence in lower case is not a status line: an exception no signal names, which
        # a human looks at (no status, no entry)
        ("ValueError: unknown error", "escalate"),
        # a status in a proxy's refusal stays the proxy's
        ("httpx.ProxyError: 403 Forbidden", "proxy-refused"),
    ],
)
def test_a_reason_phrase_as_the_whole_message_names_its_status(
    knowledge: Knowledge, text: str, expected: str
) -> None:
    assert verdict(text, knowledge) == expected


def test_a_nested_exceptions_own_code_is_not_the_http_status(knowledge: Knowledge) -> None:
    cut = (
        "aiohttp.client_exceptions.ClientPayloadError: Response payload is not completed: "
        "<TransferEncodingError: 400, message='Not enough data to satisfy transfer length "
        "header.'>"
    )
    answered = "aiohttp.client_exceptions.ClientResponseError: 400, message='Bad Request'"

    assert verdict(cut, knowledge, "explicit") == "stream-cut-off"
    assert verdict(answered, knowledge, "explicit") == "400"


def test_a_table_of_status_names_reports_no_status(knowledge: Knowledge) -> None:
    assert verdict(AXIOS_TABLE, knowledge) == "dns-lookup-failed"
    assert verdict(AXIOS_TABLE, knowledge, "explicit") == "dns-lookup-failed"
    assert verdict("Tunnel connection failed: 407 Proxy Authentication Required", knowledge) == (
        "proxy-refused"
    )


def test_a_generic_connection_error_is_explained_by_its_cause(knowledge: Knowledge) -> None:
    assert verdict(CHAINED, knowledge) == "connection-reset"
    # with no cause in the paste, nothing says which failure it was: a human looks
    assert verdict("openai.APIConnectionError: Connection error.", knowledge) == "escalate"


PHP_UNSERIALIZABLE = (
    "PHP Fatal error:  Uncaught OpenAI\\Exceptions\\UnserializableResponse: Syntax error in "
    "/home/dev/app/vendor/openai-php/client/src/Transporters/HttpTransporter.php:171"
)


def test_a_class_in_a_php_namespace_is_read_like_a_qualified_one(knowledge: Knowledge) -> None:
    # openai-php's class for a body that isn't JSON: a failure with no status, for a human
    assert verdict(PHP_UNSERIALIZABLE, knowledge) == "escalate"
    rate = PHP_UNSERIALIZABLE.replace(
        "UnserializableResponse: Syntax error", "RateLimitException: slow down"
    )
    assert verdict(rate, knowledge) == "429"
    # control: the same words with no namespace before the class are not a class
    assert verdict("Uncaught UnserializableResponse Syntax error", knowledge) == "ignore"


def test_a_fireworks_envelope_in_a_no_status_class_is_the_servers_answer(
    knowledge: Knowledge,
) -> None:
    # LangChain4j's AuthenticationException (401 or 403) prints only the body
    body = (
        '{"error": {"object": "error", "type": "invalid_request_error", "code": "UNAUTHORIZED", '
        '"message": "The API key you provided is invalid."}}'
    )
    lc4j = f'Exception in thread "main" dev.langchain4j.exception.AuthenticationException: {body}'
    assert verdict(lc4j, knowledge) == "401"
    # control: .NET's AuthenticationException, a TLS failure, names no envelope
    dotnet = (
        "System.Security.Authentication.AuthenticationException: The remote certificate is "
        "invalid because of errors in the certificate chain: UntrustedRoot"
    )
    assert verdict(dotnet, knowledge) == "tls-certificate-failed"


def test_a_failure_in_a_traceback_under_a_question_is_a_report(knowledge: Knowledge) -> None:
    trace = (
        "is this on my end or yours?\n```\n"
        "java.util.concurrent.CompletionException: java.io.EOFException: "
        "EOF reached while reading\n"
        "\tat java.base/java.util.concurrent.CompletableFuture.encodeThrowable"
        "(CompletableFuture.java:332)\n"
        "```"
    )
    assert verdict(trace, knowledge) == "stream-cut-off"
    # control: a question that names the failure without pasting it reports nothing
    assert (
        verdict("is 'connection reset by peer' something I should retry on?", knowledge) == "ignore"
    )


def test_a_text_opening_with_an_exception_is_output_not_prose(knowledge: Knowledge) -> None:
    # Winsock's own sentence says "means that": not someone teaching what an error means
    winsock = (
        "OSError: [WinError 11002] This is usually a temporary error during hostname "
        "resolution and means that the local server did not receive a response from an "
        "authoritative server"
    )
    assert verdict(winsock, knowledge) == "dns-lookup-failed"
    # control: the same words as someone's lesson, with no exception opening the text
    lesson = "TIL WinError 11002 means that the local server got no answer from the DNS server"
    assert verdict(lesson, knowledge) == "ignore"
