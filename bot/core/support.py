"""Fill in what support@fireworks.ai asks for (request id, time, model, error) from a paste."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.core.error_line import error_line
from bot.core.evidence import Evidence
from bot.core.limits import SUPPORT_ERROR_CHARS
from bot.core.linear_re import compile_linear, for_re2
from bot.core.ocr import NO_RULES, OcrRules
from bot.core.render import clip_words
from bot.core.reply import SupportRequest

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


def _model(text: str) -> str | None:
    match = _MODEL.search(text)
    if not match:
        return None
    return match["name"] or match.group(0)


def sent_time(sent_at: datetime) -> str:
    """When the message was sent, as the checklist shows a time the paste didn't have."""
    return sent_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + " (when you posted)"


def support_request(
    text: str,
    email: str,
    evidence: tuple[Evidence, ...] = (),
    sent_at: datetime | None = None,
    ocr: OcrRules = NO_RULES,
) -> SupportRequest:
    """Details for a support ticket; `text` must already be redacted.

    The error is the paste's error line (`error_line`), never a frame or a line of code; the
    time, when the paste has none, is when the message was sent (`sent_at`).
    """
    line = error_line(text, evidence, ocr)
    text = for_re2(text)
    request_id = _REQUEST_ID.search(text)
    timestamp = _TIMESTAMP.search(text)
    when = timestamp.group(0) if timestamp else None
    return SupportRequest(
        email=email,
        request_id=request_id["id"] if request_id else None,
        timestamp=when or (sent_time(sent_at) if sent_at is not None else None),
        model=_model(text),
        error=clip_words(line, SUPPORT_ERROR_CHARS) if line else "",
    )


def with_sent_time(support: SupportRequest | None, sent_at: datetime) -> SupportRequest | None:
    """`support` with the message's time when the paste gave none."""
    if support is None or support.timestamp:
        return support
    return replace(support, timestamp=sent_time(sent_at))
