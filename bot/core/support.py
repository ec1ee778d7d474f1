"""Fill in what support@fireworks.ai asks for (request id, time, model, error) from a paste."""

from __future__ import annotations

from bot.core.linear_re import compile_linear, for_re2
from bot.core.render import shorten
from bot.core.reply import SupportRequest

ERROR_EXCERPT_CHARS = 300

_REQUEST_ID = compile_linear(
    r"(?:x-request-id|request[_ -]?id|requestid|trace[_ -]?id)[\"']?\s*[:=]\s*[\"']?"
    r"(?P<id>[A-Za-z0-9][A-Za-z0-9_.:-]{5,80})",
    ignore_case=True,
)
_TIMESTAMP = compile_linear(
    r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2}| ?UTC)?"
    r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\b"
)
_MODEL = compile_linear(
    r"accounts/[\w-]+/(?:models|deployedModels|deployments)/[\w.@-]+"
    r"|[\"']?model[\"']?\s*[:=]\s*[\"'](?P<name>[\w./@:-]{3,100})[\"']",
)
_ERROR_LINE = compile_linear(
    r"^.*(?:Error|Exception|error code|HTTP/\d|status|\"error\"|'error').*$",
    ignore_case=True,
    multiline=True,
)


def _model(text: str) -> str | None:
    match = _MODEL.search(text)
    if not match:
        return None
    return match["name"] or match.group(0)


def _error_excerpt(text: str) -> str:
    """The last line that looks like the error itself, or the paste's tail."""
    lines = [m.group(0).strip() for m in _ERROR_LINE.finditer(text)]
    excerpt = lines[-1] if lines else text.strip()[-ERROR_EXCERPT_CHARS:]
    return shorten(excerpt, ERROR_EXCERPT_CHARS)


def support_request(text: str, email: str) -> SupportRequest:
    """Details for a support ticket; `text` must already be redacted."""
    text = for_re2(text)
    request_id = _REQUEST_ID.search(text)
    timestamp = _TIMESTAMP.search(text)
    return SupportRequest(
        email=email,
        request_id=request_id["id"] if request_id else None,
        timestamp=timestamp.group(0) if timestamp else None,
        model=_model(text),
        error=_error_excerpt(text),
    )
