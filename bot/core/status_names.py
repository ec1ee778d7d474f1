"""Names that HTTP and Fireworks give to status codes."""

from __future__ import annotations

# Standard reason phrases (lower case) and the code each one belongs to.
REASON_PHRASES: dict[str, str] = {
    "bad request": "400",
    "unauthorized": "401",
    "payment required": "402",
    "forbidden": "403",
    "not found": "404",
    "method not allowed": "405",
    "request timeout": "408",
    "proxy authentication required": "407",
    "conflict": "409",
    "precondition failed": "412",
    "payload too large": "413",
    "request entity too large": "413",
    "content too large": "413",
    "unprocessable entity": "422",
    "unprocessable content": "422",
    "too many requests": "429",
    "internal server error": "500",
    "bad gateway": "502",
    "service unavailable": "503",
    "service overloaded": "503",
    "gateway timeout": "504",
    "gateway time-out": "504",
    "unknown error": "520",
}

# The same phrases as class names print them: TooManyRequests, PayloadTooLarge.
REASON_PHRASES.update({p.replace(" ", ""): c for p, c in list(REASON_PHRASES.items()) if " " in p})

# Reason phrases that are also everyday English ("target module not found") count for less.
COMMON_PHRASES = frozenset({"not found", "unknown error", "conflict", "forbidden", "unauthorized"})
