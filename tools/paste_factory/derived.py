# ruff: noqa: E501 (each output is one line as its client prints it)
"""Clients whose runtime doesn't run here: their output derived from their own source code.

`python -m tools.paste_factory.derived` writes `tests/corpus/clients/<slug>.jsonl` for each
client below from the same scenarios the fake API serves (`scenarios.py`): the status, its
reason phrase and its documented body, or a transport fault. Each client renders them the way
its source prints them; the file it was read from is cited per client and in every case's note
("derived from <file>"). No .NET, PHP or Ruby runtime is installed here, and the JVM, Go and the
tools in front of the API need builds or services the factory can't start in its sandbox, so
these cases are derived, not captured: when a runtime can run, a real driver replaces them.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from tools.paste_factory.generate import OUT
from tools.paste_factory.scenarios import (
    DNS,
    MIDSTREAM,
    REASONS,
    RESET,
    SCENARIOS,
    STALL,
    TLS,
    Scenario,
)
from tools.paste_factory.variants import HEADLINE_VARIANTS, label_shared_headlines, shapes

URL = "https://api.fireworks.ai/inference/v1/chat/completions"
BAD_HOST = "api.fireworks.ai"  # what a user sees: their resolver fails on the real host


@dataclass(frozen=True, slots=True)
class Derived:
    """A client rendered from its source: `status(code, reason, body)` and its transport faults."""

    slug: str
    client: str  # "<package> <version>", as the captured clients record it
    kind: str  # which headline rule of variants.py fits its output
    source: str  # the files its sentences come from
    status: Callable[[int, str, str], str | None]  # None: the client shows nothing for it
    faults: dict[str, str]
    # the statuses whose output says nothing of the status, in every shape (not only alone)
    silent: frozenset[int] = frozenset()
    # the faults whose headline alone names no cause (Spring's 'I/O error on POST ...: null')
    vague_faults: frozenset[str] = frozenset()


def _okhttp_status(code: int, reason: str, body: str) -> str:
    # the user's code, as OkHttp's recipes write it: throw IOException("Unexpected code " + response)
    return (
        'Exception in thread "main" java.io.IOException: Unexpected code '
        f"Response{{protocol=h2, code={code}, message=, url={URL}}}\n"
        "\tat dev.app.Client.complete(Client.java:41)\n"
        "\tat dev.app.Main.main(Main.java:12)"
    )


def _jdk_status(code: int, reason: str, body: str) -> str:
    # java.net.http never throws on a status: the user's code does, with the body
    return (
        'Exception in thread "main" java.lang.RuntimeException: Fireworks call failed: HTTP '
        f"{code} {body}\n\tat dev.app.Main.main(Main.java:27)"
    )


def _dotnet_status(code: int, reason: str, body: str) -> str:
    return (
        "Unhandled exception. System.Net.Http.HttpRequestException: Response status code does "
        f"not indicate success: {code} ({reason}).\n"
        "   at System.Net.Http.HttpResponseMessage.EnsureSuccessStatusCode()\n"
        "   at App.FireworksClient.CompleteAsync(String prompt) in /home/dev/app/FireworksClient.cs:line 38"
    )


def _guzzle_status(code: int, reason: str, body: str) -> str:
    label, cls = (
        ("Client error", "ClientException") if code < 500 else ("Server error", "ServerException")
    )
    summary = body if len(body) <= 120 else body[:120] + " (truncated...)"
    return (
        f"PHP Fatal error:  Uncaught GuzzleHttp\\Exception\\{cls}: {label}: `POST {URL}` "
        f"resulted in a `{code} {reason}` response:\n{summary}\n"
        " in /home/dev/app/vendor/guzzlehttp/guzzle/src/Exception/RequestException.php:113"
    )


_FARADAY = {
    400: "BadRequestError",
    401: "UnauthorizedError",
    403: "ForbiddenError",
    404: "ResourceNotFound",
    409: "ConflictError",
    422: "UnprocessableEntityError",
}


def _faraday_status(code: int, reason: str, body: str) -> str:
    cls = _FARADAY.get(code, "ClientError" if code < 500 else "ServerError")
    return (
        f"/home/dev/app/vendor/bundle/ruby/3.2.0/gems/faraday-2.12.0/lib/faraday/response/"
        f"raise_error.rb:30:in `on_complete': the server responded with status {code} "
        f"(Faraday::{cls})\n\tfrom app.rb:14:in `<main>'"
    )


def _go_openai_status(code: int, reason: str, body: str) -> str:
    try:
        message = json.loads(body)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        message = body
    return (
        "2026/11/30 09:12:44 ChatCompletion error: error, status code: "
        f"{code}, status: {code} {reason}, message: {message}"
    )


def _litellm_proxy_status(code: int, reason: str, body: str) -> str:
    # openai-python in front of a litellm proxy: the proxy keeps the status and quotes litellm
    classes = {
        400: "BadRequestError",
        401: "AuthenticationError",
        403: "PermissionDeniedError",
        404: "NotFoundError",
        408: "Timeout",
        429: "RateLimitError",
        503: "ServiceUnavailableError",
    }
    cls = classes.get(code, "InternalServerError" if code >= 500 else "BadRequestError")
    client_cls = {
        400: "BadRequestError",
        401: "AuthenticationError",
        403: "PermissionDeniedError",
        404: "NotFoundError",
        429: "RateLimitError",
    }.get(code, "InternalServerError" if code >= 500 else "APIStatusError")
    inner = body.replace("'", "\\'")
    return (
        f"openai.{client_cls}: Error code: {code} - {{'error': {{'message': 'litellm.{cls}: "
        f"{cls}: Fireworks_aiException - {inner}. Received Model Group=llama-fw\\nAvailable "
        f"Model Group Fallbacks=None', 'type': None, 'param': None, 'code': '{code}'}}}}"
    )


_N8N = {
    400: "Bad request - please check your parameters",
    401: "Authorization failed - please check your credentials",
    403: "Forbidden - perhaps check your credentials?",
    404: "The resource you are requesting could not be found",
    429: "The service is receiving too many requests from you",
    500: "The service was not able to process your request",
    502: "Bad gateway - the service failed to handle your request",
    503: "Service unavailable - try again later or consider setting this node to retry automatically (in the node settings)",
    504: "Gateway timed out - perhaps try again later?",
}


def _fw_message(body: str) -> str | None:
    """The `message` of the Fireworks envelope, as SDKs that parse it keep it; None if not JSON."""
    try:
        error = json.loads(body)["error"]
    except (ValueError, KeyError, TypeError):
        return None
    return error.get("message") if isinstance(error, dict) else str(error)


def _n8n_status(code: int, reason: str, body: str) -> str:
    message = _N8N.get(
        code,
        "Your request is invalid or could not be processed by the service"
        if code < 500
        else "The service failed to process your request",
    )
    return f"NodeApiError: {message}\nError code: {code}\nFull message: {code} - {body}"


_LC4J = {
    401: "AuthenticationException",
    403: "AuthenticationException",
    404: "ModelNotFoundException",
    408: "TimeoutException",
    429: "RateLimitException",
}


def _langchain4j_status(code: int, reason: str, body: str) -> str:
    # ExceptionMapper maps the root HttpException(status, body) to a class by status; the class
    # keeps the body as its message and the status is printed nowhere
    cls = _LC4J.get(code, "InternalServerException" if code >= 500 else "InvalidRequestException")
    return (
        f'Exception in thread "main" dev.langchain4j.exception.{cls}: {body}\n'
        "\tat dev.langchain4j.internal.ExceptionMapper$DefaultExceptionMapper.mapHttpStatusCode(ExceptionMapper.java:63)\n"
        "\tat dev.langchain4j.internal.ExceptionMapper$DefaultExceptionMapper.mapException(ExceptionMapper.java:44)\n"
        "\tat dev.langchain4j.internal.RetryUtils.withRetryMappingExceptions(RetryUtils.java:293)\n"
        "\tat dev.langchain4j.model.openai.OpenAiChatModel.doChat(OpenAiChatModel.java:148)\n"
        "\tat dev.app.Main.main(Main.java:21)\n"
        f"Caused by: dev.langchain4j.exception.HttpException: {body}\n"
        "\tat dev.langchain4j.http.client.jdk.JdkHttpClient.execute(JdkHttpClient.java:56)\n"
        "\t... 6 more"
    )


def _spring_ai_status(code: int, reason: str, body: str) -> str:
    # RetryUtils.DEFAULT_RESPONSE_ERROR_HANDLER: "%s - %s" (status, body); 4xx NonTransient, else
    # Transient (retried, then thrown)
    cls = "NonTransientAiException" if code < 500 else "TransientAiException"
    return (
        f'Exception in thread "main" org.springframework.ai.retry.{cls}: {code} - {body}\n'
        "\tat org.springframework.ai.retry.RetryUtils$1.handleError(RetryUtils.java:74)\n"
        "\tat org.springframework.web.client.StatusHandler.lambda$fromErrorHandler$1(StatusHandler.java:71)\n"
        "\tat org.springframework.ai.openai.api.OpenAiApi.chatCompletionEntity(OpenAiApi.java:261)\n"
        "\tat dev.app.ChatService.ask(ChatService.java:30)"
    )


_PHP_FRAMES = (
    "Stack trace:\n"
    "#0 /home/dev/app/vendor/openai-php/client/src/Transporters/HttpTransporter.php(56): OpenAI\\Transporters\\HttpTransporter->throwIfJsonError()\n"
    "#1 /home/dev/app/vendor/openai-php/client/src/Resources/Chat.php(31): OpenAI\\Transporters\\HttpTransporter->requestObject()\n"
    "#2 /home/dev/app/chat.php(12): OpenAI\\Resources\\Chat->create()\n"
    "#3 {main}\n"
    "  thrown in /home/dev/app/vendor/openai-php/client/src/Transporters/HttpTransporter.php on line 171"
)


def _openai_php_status(code: int, reason: str, body: str) -> str:
    # HttpTransporter: a 429 is RateLimitException with the body; a JSON error is ErrorException
    # with the envelope's message only; a body that isn't JSON fails json_decode ("Syntax error")
    message = _fw_message(body)
    if code == 429:
        cls, text = "RateLimitException", f"Request rate limit has been exceeded: {body}"
    elif message is None:
        cls, text = "UnserializableResponse", "Syntax error"
    else:
        cls, text = "ErrorException", message
    return (
        f"PHP Fatal error:  Uncaught OpenAI\\Exceptions\\{cls}: {text} in "
        f"/home/dev/app/vendor/openai-php/client/src/Transporters/HttpTransporter.php:171\n{_PHP_FRAMES}"
    )


def _php_transport(curl: str, cls: str = "ConnectException") -> str:
    # TransporterException keeps the message of Guzzle's exception (cURL error N: ...)
    return (
        f"PHP Fatal error:  Uncaught OpenAI\\Exceptions\\TransporterException: {curl} "
        f"(see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for {URL} in "
        "/home/dev/app/vendor/openai-php/client/src/Transporters/HttpTransporter.php:131\n"
        "Stack trace:\n#0 /home/dev/app/chat.php(12): OpenAI\\Resources\\Chat->create()\n#1 {main}\n\n"
        f"Next GuzzleHttp\\Exception\\{cls}: {curl} (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for {URL}"
    )


_HTTP_REASONS_RUST = {520: "<unknown status code>"}  # the http crate has no name for 520


def _async_openai_status(code: int, reason: str, body: str) -> str:
    # OpenAIError::ApiError displays "{status} {type}: {message} (code: {code})"; a 5xx keeps the
    # raw body as the message; a 4xx body without `error` fails to deserialize
    status = f"{code} {_HTTP_REASONS_RUST.get(code, reason)}"
    if code >= 500:
        return f"Error: {status} {body}"
    try:
        error = json.loads(body)["error"]
        parts = [f"{error['type']}:"] if error.get("type") else []
        parts.append(error["message"])
        if error.get("code"):
            parts.append(f"(code: {error['code']})")
        return f"Error: {status} {' '.join(parts)}"
    except (ValueError, KeyError, TypeError):
        return (
            "Error: failed to deserialize api response: error:missing field `error` at line 1 "
            f"column {len(body)} content:{body}"
        )


def _rust_chain(*causes: str) -> str:
    head = f"error sending request for url ({URL})"
    lines = [f"Error: http error: {head}", "", "Caused by:", f"    0: {head}"]
    lines += [f"    {i}: {cause}" for i, cause in enumerate(causes, 1)]
    return "\n".join(lines)


def _continue_status(code: int, reason: str, body: str) -> str:
    # BaseLLM.parseError: `HTTP ${status} ${statusText} from ${url}\n\n${text}`
    return f"Error: HTTP {code} {reason} from {URL}\n\n{body}"


def _fetch_error(reason: str) -> str:
    # node-fetch 3 (through @continuedev/fetch): FetchError "request to <url> failed, reason: ..."
    return f"FetchError: request to {URL} failed, reason: {reason}\n    at ClientRequest.<anonymous> (/home/dev/.vscode/extensions/continue.continue-1.2.0-linux-x64/out/index.js:15:4032)"


_OWUI = "Uh-oh! There was an issue with the response."


def _open_webui_status(code: int, reason: str, body: str) -> str | None:
    # the backend passes the upstream JSON error through; Chat.svelte's handleOpenAIError shows
    # its error.message under the sentence; the status is shown nowhere
    message = _fw_message(body)
    return None if message is None else f"{_OWUI}\n{message}"


def _open_webui_fault(exception: str) -> str:
    # every transport failure: HTTPException(500, "Open WebUI: Server Connection Error") in the
    # chat, and log.exception(e) of aiohttp's exception in the container's log
    return (
        f"{_OWUI}\nOpen WebUI: Server Connection Error\n\n"
        "docker logs open-webui:\n"
        "2026-11-30 09:12:44.120 | ERROR    | open_webui.routers.openai:generate_chat_completion:934 - "
        f"{exception.split(': ', 1)[-1]}\n"
        "Traceback (most recent call last):\n"
        '  File "/app/backend/open_webui/routers/openai.py", line 880, in generate_chat_completion\n'
        "    r = await session.request(\n"
        f"{exception}"
    )


CLIENTS: tuple[Derived, ...] = (
    Derived(
        "jvm-okhttp",
        "okhttp 4.12.0 (derived)",
        "first",
        "square/okhttp: okhttp3/Response.kt (toString), internal/http1/Http1ExchangeCodec.kt "
        "(unexpected end of stream); JDK java.net messages",
        _okhttp_status,
        {
            RESET: 'Exception in thread "main" java.net.SocketException: Connection reset\n\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:318)\n\tat okio.InputStreamSource.read(JvmOkio.kt:93)',
            STALL: 'Exception in thread "main" java.net.SocketTimeoutException: timeout\n\tat okhttp3.internal.http2.Http2Stream$StreamTimeout.newTimeoutException(Http2Stream.kt:675)\nCaused by: java.net.SocketException: Socket closed',
            TLS: 'Exception in thread "main" javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
            DNS: f'Exception in thread "main" java.net.UnknownHostException: {BAD_HOST}: Name or service not known\n\tat java.base/java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)\n\tat okhttp3.Dns$Companion$DnsSystem.lookup(Dns.kt:49)',
            MIDSTREAM: 'Exception in thread "main" java.net.ProtocolException: unexpected end of stream\n\tat okhttp3.internal.http1.Http1ExchangeCodec$ChunkedSource.read(Http1ExchangeCodec.kt:415)',
        },
    ),
    Derived(
        "jvm-jdk-httpclient",
        "java.net.http 17 (derived)",
        "first",
        "the JDK's java.net.http (HttpTimeoutException 'request timed out', "
        "HttpConnectTimeoutException) and javax.net.ssl messages",
        _jdk_status,
        {
            RESET: 'Exception in thread "main" java.io.IOException: Connection reset\n\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:586)',
            STALL: 'Exception in thread "main" java.net.http.HttpTimeoutException: request timed out\n\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:568)',
            TLS: 'Exception in thread "main" javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target',
            DNS: 'Exception in thread "main" java.net.ConnectException\n\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:573)\nCaused by: java.nio.channels.UnresolvedAddressException',
            MIDSTREAM: 'Exception in thread "main" java.io.EOFException: EOF reached while reading\n\tat java.net.http/jdk.internal.net.http.Http1AsyncReceiver$Http1TubeSubscriber.onComplete(Http1AsyncReceiver.java:601)',
        },
    ),
    Derived(
        "dotnet-httpclient",
        "System.Net.Http 8.0 (derived)",
        "first",
        "dotnet/runtime src/libraries/System.Net.Http/src/Resources/Strings.resx "
        "(net_http_message_not_success_statuscode_reason, net_http_request_timedout, "
        "net_http_ssl_connection_failed, net_http_invalid_response_premature_eof)",
        _dotnet_status,
        {
            RESET: "Unhandled exception. System.Net.Http.HttpRequestException: An error occurred while sending the request.\n ---> System.IO.IOException: Unable to read data from the transport connection: Connection reset by peer.\n ---> System.Net.Sockets.SocketException (104): Connection reset by peer",
            STALL: "Unhandled exception. System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.\n ---> System.TimeoutException: The operation was canceled.",
            TLS: "Unhandled exception. System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot",
            DNS: f"Unhandled exception. System.Net.Http.HttpRequestException: Name or service not known ({BAD_HOST}:443)\n ---> System.Net.Sockets.SocketException (0xFFFDFFFF): Name or service not known",
            MIDSTREAM: "Unhandled exception. System.Net.Http.HttpIOException: The response ended prematurely. (ResponseEnded)\n   at System.Net.Http.HttpConnection.FillAsync(Boolean async)",
        },
    ),
    Derived(
        "php-guzzle",
        "guzzlehttp/guzzle 7.9 (derived)",
        "first",
        "guzzle/guzzle src/Exception/RequestException.php (create), src/Handler/CurlFactory.php "
        "('cURL error %s: %s (%s)'); libcurl's strerror sentences",
        _guzzle_status,
        {
            RESET: f"PHP Fatal error:  Uncaught GuzzleHttp\\Exception\\RequestException: cURL error 56: Recv failure: Connection reset by peer (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for {URL}",
            STALL: f"PHP Fatal error:  Uncaught GuzzleHttp\\Exception\\ConnectException: cURL error 28: Operation timed out after 30001 milliseconds with 0 bytes received (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for {URL}",
            TLS: f"PHP Fatal error:  Uncaught GuzzleHttp\\Exception\\RequestException: cURL error 60: SSL certificate problem: self-signed certificate (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for {URL}",
            DNS: f"PHP Fatal error:  Uncaught GuzzleHttp\\Exception\\ConnectException: cURL error 6: Could not resolve host: {BAD_HOST} (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for https://{BAD_HOST}/inference/v1/chat/completions",
            MIDSTREAM: f"PHP Fatal error:  Uncaught GuzzleHttp\\Exception\\RequestException: cURL error 18: transfer closed with outstanding read data remaining (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for {URL}",
        },
    ),
    Derived(
        "ruby-faraday",
        "faraday 2.12.0 (derived)",
        "first",
        "lostisland/faraday lib/faraday/error.rb ('the server responded with status N'), "
        "lib/faraday/response/raise_error.rb (the class per status); Ruby's Net::HTTP errors",
        _faraday_status,
        {
            RESET: "/home/dev/app/vendor/bundle/ruby/3.2.0/gems/faraday-net_http-3.3.0/lib/faraday/adapter/net_http.rb:66:in `rescue in call': Connection reset by peer (Faraday::ConnectionFailed)",
            STALL: "/home/dev/app/vendor/bundle/ruby/3.2.0/gems/faraday-net_http-3.3.0/lib/faraday/adapter/net_http.rb:70:in `rescue in call': Net::ReadTimeout with #<TCPSocket:(closed)> (Faraday::TimeoutError)",
            TLS: "/home/dev/app/vendor/bundle/ruby/3.2.0/gems/faraday-net_http-3.3.0/lib/faraday/adapter/net_http.rb:68:in `rescue in call': SSL_connect returned=1 errno=0 peeraddr=104.18.6.1:443 state=error: certificate verify failed (self-signed certificate) (Faraday::SSLError)",
            DNS: f"/home/dev/app/vendor/bundle/ruby/3.2.0/gems/faraday-net_http-3.3.0/lib/faraday/adapter/net_http.rb:66:in `rescue in call': Failed to open TCP connection to {BAD_HOST}:443 (getaddrinfo: Name or service not known) (Faraday::ConnectionFailed)",
            MIDSTREAM: "/home/dev/app/vendor/bundle/ruby/3.2.0/gems/faraday-net_http-3.3.0/lib/faraday/adapter/net_http.rb:66:in `rescue in call': end of file reached (Faraday::ConnectionFailed)",
        },
    ),
    Derived(
        "go-openai",
        "github.com/sashabaranov/go-openai 1.36 (derived)",
        "other",
        "sashabaranov/go-openai error.go (APIError.Error: 'error, status code: %d, status: %s, "
        "message: %s'); Go's net/http and crypto/x509 strings",
        _go_openai_status,
        {
            RESET: f'2026/11/30 09:12:44 ChatCompletion error: Post "{URL}": read tcp 10.0.0.5:51234->104.18.6.1:443: read: connection reset by peer',
            STALL: f'2026/11/30 09:12:44 ChatCompletion error: Post "{URL}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
            TLS: f'2026/11/30 09:12:44 ChatCompletion error: Post "{URL}": tls: failed to verify certificate: x509: certificate signed by unknown authority',
            DNS: f'2026/11/30 09:12:44 ChatCompletion error: Post "https://{BAD_HOST}/inference/v1/chat/completions": dial tcp: lookup {BAD_HOST}: no such host',
            MIDSTREAM: "2026/11/30 09:12:44 stream error: unexpected EOF",
        },
    ),
    Derived(
        "litellm-proxy",
        "litellm proxy 1.110 + openai 2.54 (derived)",
        "py",
        "BerriAI/litellm litellm/proxy/_types.py (ProxyException: message, type, param, code as "
        "a string) and litellm/litellm_core_utils/exception_mapping_utils.py (the "
        "'litellm.<Class>: <Class>: Fireworks_aiException - ' prefix)",
        _litellm_proxy_status,
        {
            RESET: "openai.InternalServerError: Error code: 500 - {'error': {'message': 'litellm.APIConnectionError: APIConnectionError: Fireworks_aiException - [Errno 104] Connection reset by peer. Received Model Group=llama-fw\\nAvailable Model Group Fallbacks=None', 'type': None, 'param': None, 'code': '500'}}",
            STALL: "openai.APITimeoutError: Request timed out.",
            TLS: "openai.InternalServerError: Error code: 500 - {'error': {'message': 'litellm.APIConnectionError: APIConnectionError: Fireworks_aiException - [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006). Received Model Group=llama-fw\\nAvailable Model Group Fallbacks=None', 'type': None, 'param': None, 'code': '500'}}",
            DNS: f"openai.InternalServerError: Error code: 500 - {{'error': {{'message': 'litellm.APIConnectionError: APIConnectionError: Fireworks_aiException - [Errno -2] Name or service not known ({BAD_HOST}). Received Model Group=llama-fw\\nAvailable Model Group Fallbacks=None', 'type': None, 'param': None, 'code': '500'}}}}",
            MIDSTREAM: "openai.APIError: litellm.APIConnectionError: Fireworks_aiException - peer closed connection without sending complete message body (incomplete chunked read)",
        },
    ),
    Derived(
        "n8n",
        "n8n 1.x HTTP Request node (derived)",
        "first",
        "n8n-io/n8n packages/workflow/src/errors/node-api.error.ts (the message per status; the "
        "node shows 'Error code' and 'Full message'; n8n's docs list the same sentences) and "
        "errors/abstract/node.error.ts (COMMON_ERRORS for ECONNRESET, ETIMEDOUT, ENOTFOUND)",
        _n8n_status,
        {
            RESET: "NodeApiError: The connection to the server was closed unexpectedly, perhaps it is offline. You can retry the request immediately or wait and retry later.\nFull message: read ECONNRESET",
            STALL: "NodeApiError: The connection timed out, consider setting the 'Retry on Fail' option in the node settings\nFull message: timeout of 300000ms exceeded",
            DNS: f"NodeApiError: The connection cannot be established, this usually occurs due to an incorrect host (domain) value\nFull message: getaddrinfo ENOTFOUND {BAD_HOST}",
        },
    ),
    Derived(
        "jvm-langchain4j",
        "langchain4j-open-ai 1.8.0 (derived)",
        "first",
        "langchain4j/langchain4j langchain4j-core/.../internal/ExceptionMapper.java (the class "
        "per status; the root HttpException's body is the message), exception/*.java, "
        "http-clients/langchain4j-http-client-jdk/.../JdkHttpClient.java (IOException wrapped "
        "in RuntimeException, HttpTimeoutException in TimeoutException)",
        _langchain4j_status,
        {
            RESET: 'Exception in thread "main" java.lang.RuntimeException: java.io.IOException: Connection reset\n\tat dev.langchain4j.http.client.jdk.JdkHttpClient.execute(JdkHttpClient.java:69)\n\tat dev.langchain4j.model.openai.OpenAiChatModel.doChat(OpenAiChatModel.java:148)\nCaused by: java.io.IOException: Connection reset\n\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:586)',
            STALL: 'Exception in thread "main" dev.langchain4j.exception.TimeoutException: request timed out\n\tat dev.langchain4j.http.client.jdk.JdkHttpClient.execute(JdkHttpClient.java:63)\nCaused by: java.net.http.HttpTimeoutException: request timed out\n\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:568)',
            TLS: 'Exception in thread "main" java.lang.RuntimeException: javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target\n\tat dev.langchain4j.http.client.jdk.JdkHttpClient.execute(JdkHttpClient.java:69)\nCaused by: javax.net.ssl.SSLHandshakeException: PKIX path building failed',
            DNS: 'Exception in thread "main" dev.langchain4j.exception.UnresolvedModelServerException\n\tat dev.langchain4j.internal.ExceptionMapper$DefaultExceptionMapper.mapException(ExceptionMapper.java:49)\n\tat dev.langchain4j.internal.RetryUtils.withRetryMappingExceptions(RetryUtils.java:293)\nCaused by: java.nio.channels.UnresolvedAddressException\n\tat java.base/sun.nio.ch.Net.checkAddress(Net.java:149)',
            MIDSTREAM: "java.util.concurrent.CompletionException: java.io.EOFException: EOF reached while reading\n\tat java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:332)\nCaused by: java.io.EOFException: EOF reached while reading\n\tat java.net.http/jdk.internal.net.http.Http1AsyncReceiver$Http1TubeSubscriber.onComplete(Http1AsyncReceiver.java:601)",
        },
    ),
    Derived(
        "jvm-spring-ai",
        "spring-ai-openai 1.0.0 (derived)",
        "first",
        "spring-projects/spring-ai spring-ai-retry/.../retry/RetryUtils.java "
        "(DEFAULT_RESPONSE_ERROR_HANDLER: '%s - %s', NonTransientAiException for 4xx, "
        "TransientAiException otherwise); spring-framework's RestTemplate/DefaultRestClient "
        "('I/O error on POST request for \"<url>\": <message>', ResourceAccessException); "
        "reactor-netty's PrematureCloseException",
        _spring_ai_status,
        {
            RESET: f'Exception in thread "main" org.springframework.web.client.ResourceAccessException: I/O error on POST request for "{URL}": Connection reset\n\tat org.springframework.web.client.DefaultRestClient$DefaultRequestBodyUriSpec.createResourceAccessException(DefaultRestClient.java:697)\nCaused by: java.io.IOException: Connection reset',
            STALL: f'Exception in thread "main" org.springframework.web.client.ResourceAccessException: I/O error on POST request for "{URL}": request timed out\n\tat org.springframework.web.client.DefaultRestClient$DefaultRequestBodyUriSpec.createResourceAccessException(DefaultRestClient.java:697)\nCaused by: java.net.http.HttpTimeoutException: request timed out',
            TLS: f'Exception in thread "main" org.springframework.web.client.ResourceAccessException: I/O error on POST request for "{URL}": PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target\nCaused by: javax.net.ssl.SSLHandshakeException: PKIX path building failed',
            DNS: f'Exception in thread "main" org.springframework.web.client.ResourceAccessException: I/O error on POST request for "{URL}": null\n\tat org.springframework.web.client.DefaultRestClient$DefaultRequestBodyUriSpec.createResourceAccessException(DefaultRestClient.java:697)\nCaused by: java.net.ConnectException\n\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:573)\nCaused by: java.nio.channels.UnresolvedAddressException',
            MIDSTREAM: 'Exception in thread "main" reactor.core.Exceptions$ReactiveException: reactor.netty.http.client.PrematureCloseException: Connection prematurely closed DURING response\n\tat reactor.core.Exceptions.propagate(Exceptions.java:410)\n\tat reactor.core.publisher.BlockingSingleSubscriber.blockingGet(BlockingSingleSubscriber.java:102)\nCaused by: reactor.netty.http.client.PrematureCloseException: Connection prematurely closed DURING response',
        },
        vague_faults=frozenset({DNS}),  # the JDK's ConnectException has no message: "...: null"
    ),
    Derived(
        "php-openai",
        "openai-php/client 0.10 (derived)",
        "first",
        "openai-php/client src/Transporters/HttpTransporter.php (throwIfRateLimit, "
        "throwIfJsonError), src/Exceptions/ErrorException.php (the envelope's message), "
        "RateLimitException.php ('Request rate limit has been exceeded: '), "
        "UnserializableResponse.php, TransporterException.php (Guzzle's message); libcurl",
        _openai_php_status,
        {
            RESET: _php_transport(
                "cURL error 56: Recv failure: Connection reset by peer", "RequestException"
            ),
            STALL: _php_transport(
                "cURL error 28: Operation timed out after 30001 milliseconds with 0 bytes received"
            ),
            TLS: _php_transport(
                "cURL error 60: SSL certificate problem: self-signed certificate",
                "RequestException",
            ),
            DNS: _php_transport(f"cURL error 6: Could not resolve host: {BAD_HOST}"),
        },
        silent=frozenset({520}),  # a body that isn't JSON: "Syntax error", nothing of the 520
    ),
    Derived(
        "rust-async-openai",
        "async-openai 0.41 + reqwest 0.13 (derived)",
        "first",
        "64bit/async-openai async-openai/src/error.rs (OpenAIError, ApiErrorResponse's "
        "'{status} {error}', ApiError's '{type}: {message} (code: {code})') and src/client.rs "
        "(read_error_response); seanmonstar/reqwest src/error.rs ('error sending request', "
        "'request or response body error', 'operation timed out'); hyper-util's 'client error "
        "(Connect)'; rustls's 'invalid peer certificate'",
        _async_openai_status,
        {
            RESET: _rust_chain(
                "client error (SendRequest)",
                "connection error",
                "Connection reset by peer (os error 104)",
            ),
            STALL: _rust_chain("operation timed out"),
            TLS: _rust_chain("client error (Connect)", "invalid peer certificate: UnknownIssuer"),
            DNS: _rust_chain(
                "client error (Connect)",
                "dns error",
                "failed to lookup address information: Name or service not known",
            ),
            MIDSTREAM: "Error: stream failed: EventStream error: Transport error: request or response body error",
        },
    ),
    Derived(
        "continue",
        "Continue 1.2 VS Code extension (derived)",
        "first",
        "continuedev/continue core/llm/index.ts (parseError: 'HTTP ${status} ${statusText} from "
        "${url}\\n\\n${text}'), core/llm/llms/Fireworks.ts; node-fetch 3 through packages/fetch "
        "(FetchError 'request to <url> failed, reason: ...', 'Invalid response body while "
        "trying to fetch <url>: ...')",
        _continue_status,
        {
            RESET: _fetch_error("read ECONNRESET"),
            TLS: _fetch_error("self-signed certificate"),
            DNS: _fetch_error(f"getaddrinfo ENOTFOUND {BAD_HOST}"),
            MIDSTREAM: f"FetchError: Invalid response body while trying to fetch {URL}: Premature close\n    at Gunzip.<anonymous> (/home/dev/.vscode/extensions/continue.continue-1.2.0-linux-x64/out/index.js:15:9981)",
        },
    ),
    Derived(
        "open-webui",
        "Open WebUI 0.6 (derived)",
        "other",
        "open-webui/open-webui backend/open_webui/routers/openai.py (generate_chat_completion: "
        "the upstream's JSON error passed through; 'Open WebUI: Server Connection Error' and "
        "log.exception for a failure to connect) and src/lib/components/chat/Chat.svelte "
        "(handleOpenAIError: 'Uh-oh! There was an issue with the response.' and error.message); "
        "aiohttp's exceptions as the factory captured them",
        _open_webui_status,
        {
            RESET: _open_webui_fault(
                "aiohttp.client_exceptions.ClientOSError: [Errno 104] Connection reset by peer"
            ),
            STALL: _open_webui_fault("TimeoutError"),
            TLS: _open_webui_fault(
                "aiohttp.client_exceptions.ClientConnectorCertificateError: Cannot connect to host api.fireworks.ai:443 ssl:True [SSLCertVerificationError: (1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)')]"
            ),
            DNS: _open_webui_fault(
                "aiohttp.client_exceptions.ClientConnectorDNSError: Cannot connect to host api.fireworks.ai:443 ssl:default [Name or service not known]"
            ),
        },
    ),
)

_TRANSPORT_LABEL = {s.name: s.label for s in SCENARIOS if s.transport}


def _first_per_status() -> list[Scenario]:
    """Each table status once, with its first documented body on the chat route."""
    seen: dict[str, Scenario] = {}
    for scenario in SCENARIOS:
        if scenario.status and "chat" in scenario.routes:
            seen.setdefault(scenario.label, scenario)
    return list(seen.values())


def _vague(client: Derived, code: int) -> bool:
    """n8n's catch-all sentences for a 4xx or 5xx it has no words for say no status."""
    return client.slug == "n8n" and code not in _N8N


def cases(client: Derived) -> list[dict]:
    out: list[dict] = []
    renders: list[tuple[str, str, str, str]] = []  # (scenario, label, output, source)
    for scenario in _first_per_status():
        code = scenario.status or 0
        output = client.status(code, REASONS.get(code, ""), scenario.body)
        if output is None:
            continue
        renders.append((f"{scenario.name}/chat", scenario.label, output, scenario.source))
    for fault, output in client.faults.items():
        renders.append((f"{fault}/chat", _TRANSPORT_LABEL[fault], output, fault))
    for index, (name, label, output, source) in enumerate(renders):
        says_nothing = name.split("/")[0] in client.vague_faults
        for variant, text in shapes(output, client.kind, index):
            expected = label
            if variant in HEADLINE_VARIANTS and label.isdigit() and _vague(client, int(label)):
                expected = "unknown"  # the headline alone says no status; the full output does
            if variant in HEADLINE_VARIANTS and says_nothing:
                expected = "unknown"
            if label.isdigit() and int(label) in client.silent:
                expected = "unknown"  # no shape of the output says the status
            out.append(
                {
                    "text": text,
                    "expected": expected,
                    "note": f"{client.client}, derived from {client.source}; {source}",
                    "client": client.client,
                    "scenario": name,
                    "variant": variant,
                }
            )
    label_shared_headlines(out)
    return out


def main() -> int:
    for client in CLIENTS:
        found = cases(client)
        lines = [json.dumps(case, ensure_ascii=False) for case in found]
        (OUT / f"{client.slug}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{client.slug}: {len(found)} cases")
    _update_manifest()
    return 0


def _update_manifest() -> None:
    """The manifest's counts over every file, and which clients are derived from what."""
    path = OUT / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    every = [
        json.loads(line)
        for file in sorted(OUT.glob("*.jsonl"))
        for line in file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    manifest["cases"] = len(every)
    manifest["per_client"] = dict(sorted(Counter(c["client"] for c in every).items()))
    manifest["per_label"] = dict(sorted(Counter(c["expected"] for c in every).items()))
    manifest["derived_from_source"] = {c.client: c.source for c in CLIENTS}
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
