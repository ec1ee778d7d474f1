# ruff: noqa: E501 (each string is one line as its runtime prints it)
"""The transport vocabulary checked against the authoritative lists it should cover.

Each catalogue below is a list of failures as a runtime or tool prints them, read from the
source named with it, each wrapped in the one-line message a client typically shows and
labelled with what the bot should answer: the entry with no status, `unknown` (a human
looks), or a status for a proxy's or CDN's page. `python -m tools.paste_factory.catalogues`
feeds every string through the matcher (passive and explicit) and prints the coverage per
catalogue and what isn't recognised; `--write` also writes them as `tests/corpus/catalogues.jsonl`
so the corpus tests and `python -m bot eval` hold them.

Only failures an API call can meet are listed (libcurl's FTP, LDAP and TFTP codes are not).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from bot.core.evaluate import Case, evaluate
from bot.knowledge.load import load_knowledge

OUT = Path(__file__).resolve().parents[2] / "tests" / "corpus" / "catalogues.jsonl"
URL = "https://api.fireworks.ai/inference/v1/chat/completions"
HOST = "api.fireworks.ai"
IP = "104.18.6.1"

RESET, REFUSED, TIMEOUT, DNS, TLS, CUT, PROXY, UNKNOWN = (
    "connection-reset",
    "connection-refused",
    "client-timeout",
    "dns-lookup-failed",
    "tls-certificate-failed",
    "stream-cut-off",
    "proxy-refused",
    "unknown",
)


@dataclass(frozen=True, slots=True)
class Catalogue:
    name: str
    source: str
    wrap: str  # the one-line message around each string: "{}" is the string
    items: tuple[tuple[str, str], ...]  # (what the runtime prints, what the bot should answer)


CATALOGUES: tuple[Catalogue, ...] = (
    Catalogue(
        "libcurl",
        "curl/curl lib/strerror.c (curl_easy_strerror), the codes an HTTPS call can meet",
        "curl_easy_perform() failed: {}",  # libcurl's own examples print it this way
        (
            ("Could not resolve proxy name", PROXY),
            ("Could not resolve hostname", DNS),
            ("Could not connect to server", REFUSED),
            ("Weird server reply", UNKNOWN),
            ("Error in the HTTP2 framing layer", CUT),
            ("Transferred a partial file", CUT),
            ("Timeout was reached", TIMEOUT),
            ("SSL connect error", UNKNOWN),
            ("Server returned nothing (no headers, no data)", RESET),
            ("Failed sending data to the peer", RESET),
            ("Failure when receiving data from the peer", RESET),
            ("Problem with the local SSL certificate", UNKNOWN),
            ("Could not use specified SSL cipher", UNKNOWN),
            ("SSL peer certificate or SSH remote key was not OK", TLS),
            ("Problem with the SSL CA cert (path? access rights?)", TLS),
            ("Unrecognized or bad HTTP Content or Transfer-Encoding", UNKNOWN),
            ("Issuer check against peer certificate failed", TLS),
            ("SSL public key does not match pinned public key", TLS),
            ("SSL server certificate status verification FAILED", TLS),
            ("Stream error in the HTTP/2 framing layer", CUT),
            ("HTTP/3 error", UNKNOWN),
            ("QUIC connection error", UNKNOWN),
            ("proxy handshake error", PROXY),
            ("SSL Client Certificate required", UNKNOWN),
            ("Number of redirects hit maximum amount", UNKNOWN),
        ),
    ),
    Catalogue(
        "errno (Linux, macOS)",
        "glibc's strerror and gai_strerror texts for the socket errnos (libuv include/uv.h "
        "UV_ERRNO_MAP has the same); macOS's where they differ",
        "OSError: {}",
        (
            ("[Errno 104] Connection reset by peer", RESET),
            ("[Errno 111] Connection refused", REFUSED),
            ("[Errno 110] Connection timed out", TIMEOUT),
            ("[Errno 113] No route to host", UNKNOWN),
            ("[Errno 101] Network is unreachable", UNKNOWN),
            ("[Errno 100] Network is down", UNKNOWN),
            ("[Errno 112] Host is down", UNKNOWN),
            ("[Errno 32] Broken pipe", RESET),
            ("[Errno 103] Software caused connection abort", RESET),
            ("[Errno 102] Network dropped connection on reset", RESET),
            ("[Errno 99] Cannot assign requested address", UNKNOWN),
            ("[Errno -2] Name or service not known", DNS),
            ("[Errno -3] Temporary failure in name resolution", DNS),
            ("[Errno -4] Non-recoverable failure in name resolution", DNS),
            ("[Errno -5] No address associated with hostname", DNS),
            ("[Errno 8] nodename nor servname provided, or not known", DNS),
            ("[Errno 54] Connection reset by peer", RESET),
            ("[Errno 60] Operation timed out", TIMEOUT),
            ("[Errno 61] Connection refused", REFUSED),
            ("[Errno 65] No route to host", UNKNOWN),
        ),
    ),
    Catalogue(
        "Windows (WinError, WSAE, Schannel)",
        "Microsoft's Windows Sockets Error Codes (winsock2.h numbers, FormatMessage texts) and "
        "the Schannel SEC_E_* texts curl and .NET print",
        "{}",
        (
            (
                "ConnectionResetError: [WinError 10054] An existing connection was forcibly closed by the remote host",
                RESET,
            ),
            (
                "ConnectionAbortedError: [WinError 10053] An established connection was aborted by the software in your host machine",
                RESET,
            ),
            (
                "TimeoutError: [WinError 10060] A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond",
                TIMEOUT,
            ),
            (
                "ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it",
                REFUSED,
            ),
            ("socket.gaierror: [Errno 11001] getaddrinfo failed", DNS),
            ("OSError: [WinError 11001] No such host is known", DNS),
            (
                "OSError: [WinError 11002] This is usually a temporary error during hostname resolution and means that the local server did not receive a response from an authoritative server",
                DNS,
            ),
            (
                "OSError: [WinError 11003] A non-recoverable error occurred during a database lookup",
                DNS,
            ),
            (
                "OSError: [WinError 11004] The requested name is valid, but no data of the requested type was found",
                DNS,
            ),
            (
                "OSError: [WinError 10065] A socket operation was attempted to an unreachable host",
                UNKNOWN,
            ),
            (
                "OSError: [WinError 10051] A socket operation was attempted to an unreachable network",
                UNKNOWN,
            ),
            ("OSError: [WinError 10050] A socket operation encountered a dead network", UNKNOWN),
            (
                "OSError: [WinError 10052] The connection has been broken due to keep-alive activity detecting a failure while the operation was in progress",
                RESET,
            ),
            (
                "OSError: [WinError 10013] An attempt was made to access a socket in a way forbidden by its access permissions",
                UNKNOWN,
            ),
            ("WSAECONNRESET", RESET),
            ("WSAETIMEDOUT", TIMEOUT),
            ("WSAECONNREFUSED", REFUSED),
            ("WSAHOST_NOT_FOUND", DNS),
            (
                "curl: (35) schannel: next InitializeSecurityContext failed: SEC_E_UNTRUSTED_ROOT (0x80090325) - The certificate chain was issued by an authority that is not trusted.",
                TLS,
            ),
            (
                "System.Security.Authentication.AuthenticationException: The remote certificate is invalid according to the validation procedure: RemoteCertificateNameMismatch",
                TLS,
            ),
            ("SEC_E_WRONG_PRINCIPAL (0x80090322) - The target principal name is incorrect.", TLS),
            (
                "CERT_E_EXPIRED: A required certificate is not within its validity period when verifying against the current system clock or the timestamp in the signed file.",
                TLS,
            ),
        ),
    ),
    Catalogue(
        "Node and undici",
        "nodejs/undici lib/core/errors.js (class, code, default message); Node's errors.md "
        "(ERR_* codes) and the libuv system errors Node prints as `<syscall> <CODE>`",
        "TypeError: fetch failed\n  [cause]: {}",
        (
            ("Error: read ECONNRESET", RESET),
            (f"Error: connect ECONNREFUSED {IP}:443", REFUSED),
            (f"Error: connect ETIMEDOUT {IP}:443", TIMEOUT),
            (f"Error: getaddrinfo ENOTFOUND {HOST}", DNS),
            (f"Error: getaddrinfo EAI_AGAIN {HOST}", DNS),
            ("Error: write EPIPE", RESET),
            (f"Error: connect EHOSTUNREACH {IP}:443", UNKNOWN),
            (f"Error: connect ENETUNREACH {IP}:443", UNKNOWN),
            ("Error: socket hang up", RESET),
            ("ConnectTimeoutError: Connect Timeout Error", UNKNOWN),
            ("HeadersTimeoutError: Headers Timeout Error", TIMEOUT),
            ("BodyTimeoutError: Body Timeout Error", TIMEOUT),
            # a reset under "fetch failed" (three blind labels agree with undici's and the AI
            # SDK's source)
            ("SocketError: other side closed", RESET),
            (
                "ResponseContentLengthMismatchError: Response body length does not match content-length header",
                CUT,
            ),
            ("SecureProxyConnectionError: Secure Proxy Connection failed", PROXY),
            (
                f"Error: Hostname/IP does not match certificate's altnames: Host: {HOST}. is not in the cert's altnames: DNS:*.example.com",
                TLS,
            ),
            ("Error: certificate has expired", TLS),
            ("Error: unable to verify the first certificate", TLS),
            ("Error: self-signed certificate in certificate chain", TLS),
            ("Error: self-signed certificate", TLS),
            ("Error: unable to get local issuer certificate", TLS),
            ("Error [ERR_STREAM_PREMATURE_CLOSE]: Premature close", CUT),
            (
                "Error [ERR_HTTP2_STREAM_ERROR]: Stream closed with error code NGHTTP2_INTERNAL_ERROR",
                CUT,
            ),
            ("Error [ERR_SOCKET_CONNECTION_TIMEOUT]: Socket connection timeout", TIMEOUT),
            (
                "Error: Client network socket disconnected before secure TLS connection was established",
                RESET,
            ),
        ),
    ),
    Catalogue(
        "Go net, net/http, crypto/tls, crypto/x509",
        "golang/go src/net (DNSError, OpError), src/net/http (client.go, transport.go, "
        "h2_bundle.go), src/crypto/tls (alert.go, conn.go), src/crypto/x509/verify.go",
        f'Post "{URL}": {{}}',
        (
            (f"dial tcp: lookup {HOST}: no such host", DNS),
            (f"dial tcp: lookup {HOST} on 127.0.0.53:53: server misbehaving", DNS),
            (
                f"dial tcp: lookup {HOST} on 127.0.0.53:53: read udp 127.0.0.1:40000->127.0.0.53:53: i/o timeout",
                DNS,
            ),
            (f"dial tcp {IP}:443: connect: connection refused", REFUSED),
            (f"dial tcp {IP}:443: i/o timeout", TIMEOUT),
            (f"dial tcp {IP}:443: connect: network is unreachable", UNKNOWN),
            (f"dial tcp {IP}:443: connect: no route to host", UNKNOWN),
            (f"read tcp 10.0.0.5:51234->{IP}:443: read: connection reset by peer", RESET),
            (f"write tcp 10.0.0.5:51234->{IP}:443: write: broken pipe", RESET),
            ("net/http: TLS handshake timeout", TIMEOUT),
            (
                "net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)",
                TIMEOUT,
            ),
            ("net/http: request canceled (Client.Timeout exceeded while reading body)", TIMEOUT),
            ("context deadline exceeded", TIMEOUT),
            ("net/http: timeout awaiting response headers", TIMEOUT),
            ("http: server closed idle connection", RESET),
            ("EOF", RESET),
            (
                'http2: server sent GOAWAY and closed the connection; LastStreamID=1, ErrCode=NO_ERROR, debug=""',
                RESET,
            ),
            ("stream error: stream ID 1; INTERNAL_ERROR; received from peer", CUT),
            (
                "tls: failed to verify certificate: x509: certificate signed by unknown authority",
                TLS,
            ),
            (
                "x509: certificate has expired or is not yet valid: current time 2026-11-30T09:12:44Z is after 2026-11-01T00:00:00Z",
                TLS,
            ),
            (f"x509: certificate is valid for *.example.com, not {HOST}", TLS),
            (f"x509: certificate is not valid for any names, but wanted to match {HOST}", TLS),
            ("tls: first record does not look like a TLS handshake", UNKNOWN),
            ("remote error: tls: handshake failure", UNKNOWN),
            ("proxyconnect tcp: dial tcp 10.0.0.1:3128: connect: connection refused", PROXY),
        ),
    ),
    Catalogue(
        "Java and .NET networking exceptions",
        "the JDK's java.net, java.net.http, javax.net.ssl messages; square/okhttp; dotnet/runtime "
        "System.Net.Http Strings.resx and System.Net.Requests Strings.resx",
        "{}",
        (
            ("java.net.ConnectException: Connection refused", REFUSED),
            ("java.net.ConnectException: Connection timed out", TIMEOUT),
            ("java.net.SocketTimeoutException: Read timed out", TIMEOUT),
            ("java.net.SocketTimeoutException: connect timed out", TIMEOUT),
            ("java.net.SocketTimeoutException: timeout", TIMEOUT),
            ("java.net.SocketException: Connection reset", RESET),
            ("java.net.SocketException: Broken pipe", RESET),
            ("java.net.SocketException: Unexpected end of file from server", RESET),
            (f"java.net.UnknownHostException: {HOST}", DNS),
            ("java.net.NoRouteToHostException: No route to host", UNKNOWN),
            ("java.net.http.HttpConnectTimeoutException: HTTP connect timed out", TIMEOUT),
            ("java.net.http.HttpTimeoutException: request timed out", TIMEOUT),
            ("java.io.IOException: HTTP/1.1 header parser received no bytes", RESET),
            (
                "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target",
                TLS,
            ),
            (
                f"javax.net.ssl.SSLHandshakeException: No subject alternative DNS name matching {HOST} found.",
                TLS,
            ),
            (f"javax.net.ssl.SSLPeerUnverifiedException: Hostname {HOST} not verified", TLS),
            (
                "javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure",
                UNKNOWN,
            ),
            ("java.io.EOFException: EOF reached while reading", CUT),
            ("java.net.ProtocolException: unexpected end of stream", CUT),
            (f"java.io.IOException: unexpected end of stream on {URL}", RESET),
            ("okhttp3.internal.http2.StreamResetException: stream was reset: INTERNAL_ERROR", CUT),
            ("java.nio.channels.UnresolvedAddressException", DNS),
            (f"System.Net.Http.HttpRequestException: Connection refused ({HOST}:443)", REFUSED),
            (f"System.Net.Http.HttpRequestException: No such host is known. ({HOST}:443)", DNS),
            (f"System.Net.Http.HttpRequestException: Name or service not known ({HOST}:443)", DNS),
            (
                "System.Net.Sockets.SocketException (10054): An existing connection was forcibly closed by the remote host.",
                RESET,
            ),
            (
                "System.IO.IOException: Unable to read data from the transport connection: Connection reset by peer.",
                RESET,
            ),
            (
                "System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.",
                TIMEOUT,
            ),
            (
                "System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.",
                UNKNOWN,
            ),
            (
                "System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot",
                TLS,
            ),
            (
                "System.Net.Http.HttpIOException: The response ended prematurely. (ResponseEnded)",
                CUT,
            ),
            (
                "System.Net.Http.HttpIOException: The response ended prematurely while waiting for the next frame from the server. (ResponseEnded)",
                CUT,
            ),
            (
                "System.Net.Http.HttpRequestException: An error occurred while sending the request.",
                UNKNOWN,
            ),
            (f"System.Net.WebException: The remote name could not be resolved: '{HOST}'", DNS),
            ("System.Net.WebException: The operation has timed out.", TIMEOUT),
            (
                "System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send.",
                RESET,
            ),
            (
                "System.Net.WebException: The underlying connection was closed: Could not establish trust relationship for the SSL/TLS secure channel.",
                TLS,
            ),
            (
                "System.Net.Http.HttpRequestException: The proxy tunnel request to proxy 'http://10.0.0.1:3128/' failed with status code '407'.",
                PROXY,
            ),
        ),
    ),
    Catalogue(
        "OpenSSL verify errors",
        "openssl/openssl crypto/x509/x509_txt.c (X509_verify_cert_error_string), the ones a "
        "server's chain can fail with",
        "ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: {} (_ssl.c:1006)",
        (
            ("unable to get issuer certificate", TLS),
            ("certificate signature failure", TLS),
            ("certificate is not yet valid or the system clock is incorrect", TLS),
            ("certificate has expired", TLS),
            ("self-signed certificate", TLS),
            ("self-signed certificate in certificate chain", TLS),
            ("unable to get local issuer certificate", TLS),
            ("unable to verify the first certificate", TLS),
            ("certificate chain too long", TLS),
            ("certificate revoked", TLS),
            ("unsuitable certificate purpose", TLS),
            ("certificate not trusted", TLS),
            ("certificate rejected", TLS),
            ("hostname mismatch", TLS),
            ("IP address mismatch", TLS),
            ("CA signature digest algorithm too weak", TLS),
            ("EE certificate key too weak", TLS),
            ("invalid CA certificate", TLS),
        ),
    ),
    Catalogue(
        "Envoy and nginx bodies",
        "envoyproxy/envoy source/common/router/router.cc and the local replies' bodies; nginx "
        "src/http/ngx_http_special_response.c (the HTML pages per status)",
        "got this back from the API:\n{}",
        (
            (
                "upstream connect error or disconnect/reset before headers. reset reason: connection failure",
                RESET,
            ),
            (
                "upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, transport failure reason: delayed connect error: 111",
                REFUSED,  # errno 111 is ECONNREFUSED: the connection was refused
            ),
            (
                "upstream connect error or disconnect/reset before headers. reset reason: connection termination",
                RESET,
            ),
            ("no healthy upstream", UNKNOWN),
            ("upstream request timeout", UNKNOWN),
            (
                "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>",
                "502",
            ),
            (
                "<html>\n<head><title>504 Gateway Time-out</title></head>\n<body>\n<center><h1>504 Gateway Time-out</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>",
                "504",
            ),
            (
                "<html>\n<head><title>503 Service Temporarily Unavailable</title></head>\n<body>\n<center><h1>503 Service Temporarily Unavailable</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>",
                "503",
            ),
            (
                "<html>\n<head><title>500 Internal Server Error</title></head>\n<body>\n<center><h1>500 Internal Server Error</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>",
                "500",
            ),
            (
                "<html>\n<head><title>413 Request Entity Too Large</title></head>\n<body>\n<center><h1>413 Request Entity Too Large</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>",
                "413",
            ),
            (
                "<html>\n<head><title>429 Too Many Requests</title></head>\n<body>\n<center><h1>429 Too Many Requests</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>",
                "429",
            ),
            (
                "<html>\n<head><title>408 Request Time-out</title></head>\n<body>\n<center><h1>408 Request Time-out</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>",
                "408",
            ),
        ),
    ),
    Catalogue(
        "Cloudflare 52x",
        "Cloudflare's 5xx error pages (developers.cloudflare.com support/troubleshooting/"
        "http-status-codes/cloudflare-5xx-errors) and its plain-text API bodies: only 520 is a "
        "Fireworks table status; the others reach a human",
        "{}",
        (
            ("error code: 520", "520"),
            ("api.fireworks.ai | 520: Web server is returning an unknown error", "520"),
            ("error code: 521", UNKNOWN),
            ("api.fireworks.ai | 521: Web server is down", UNKNOWN),
            ("error code: 522", UNKNOWN),
            ("api.fireworks.ai | 522: Connection timed out", UNKNOWN),
            ("error code: 523", UNKNOWN),
            ("api.fireworks.ai | 523: Origin is unreachable", UNKNOWN),
            ("error code: 524", UNKNOWN),
            ("api.fireworks.ai | 524: A timeout occurred", UNKNOWN),
            ("api.fireworks.ai | 525: SSL handshake failed", UNKNOWN),
            ("api.fireworks.ai | 526: Invalid SSL certificate", UNKNOWN),
            ("api.fireworks.ai | 530: Origin DNS error", UNKNOWN),
        ),
    ),
)


def cases(catalogue: Catalogue) -> list[Case]:
    return [
        Case(
            text=catalogue.wrap.format(printed),
            expected=expected,
            note=f"catalogue {catalogue.name}: {catalogue.source}",
        )
        for printed, expected in catalogue.items
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"also write {OUT.name}")
    args = parser.parse_args(argv)
    knowledge = load_knowledge()
    every: list[Case] = []
    print(f"{'catalogue':40} {'passive':>9} {'explicit':>9}")
    for catalogue in CATALOGUES:
        found = cases(catalogue)
        every += found
        passive = evaluate(found, knowledge, mode="passive")
        explicit = evaluate(found, knowledge, mode="explicit")
        print(
            f"{catalogue.name:40} {passive.correct:>4}/{passive.total:<4} "
            f"{explicit.correct:>4}/{explicit.total:<4}"
        )
        for outcome in passive.misses:
            text = outcome.case.text.replace("\n", " ")[:110]
            print(f"    expected {outcome.case.expected}, got {outcome.got}: {text}")
    if args.write:
        lines = [
            json.dumps({"text": c.text, "expected": c.expected, "note": c.note}, ensure_ascii=False)
            for c in every
        ]
        OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {len(lines)} cases to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
