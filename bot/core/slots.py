"""The paste's own values, for entries that can use them: slots in an entry's YAML.

An entry may declare `slots:` with a `cause` sentence and a `fix` step written with
placeholders (`{prompt_tokens}`, `{retry_after}`, ...), and `clients:` steps keyed by client
(`openai-python: ...max_retries...`). When the paste holds every value a template names, the
answer says it with the paste's numbers; otherwise that template is left out, so an entry
without slots, or a paste without the values, renders as before. The shapes of the values are
grammar (here); which text shows which client is data (`knowledge/slots/clients.yaml`).
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from bot.core.linear_re import compile_linear, for_re2

SLOT_KEYS = ("cause", "fix", "clients")
PLACEHOLDERS = (
    "model",
    "prompt_tokens",
    "limit_tokens",
    "over_tokens",
    "retry_after",
    "remaining_requests",
    "request_id",
)

_TOO_LONG = compile_linear(
    r"(?P<prompt>\d{2,9})\s*(?:tokens?)?,?\s*(?:the\s+)?(?:model(?:'s)?\s+)?"
    r"(?:maximum|max)\s+context\s+length(?:\s+is)?:?\s*(?P<limit>\d{2,9})",
    ignore_case=True,
)
_RETRY_AFTER = compile_linear(
    r"retry[-_]after[\"']?\s*[:=]\s*[\"']?(?P<seconds>\d{1,6}(?:\.\d+)?)", ignore_case=True
)
_REMAINING = compile_linear(
    r"x-ratelimit-remaining-requests[\"']?\s*[:=]\s*[\"']?(?P<n>\d{1,9})", ignore_case=True
)
_MODEL = compile_linear(
    r"accounts/[\w-]+/(?:models|deployedModels|deployments)/[\w.@-]+"
    r"|[\"']?model[\"']?\s*[:=]\s*[\"'](?P<name>[\w./@:-]{3,100})[\"']"
)
_REQUEST_ID = compile_linear(
    r"(?:x-request-id|request[_ -]?id)[\"']?\s*[:=]\s*[\"']?(?P<id>[A-Za-z0-9][\w.:-]{5,80})",
    ignore_case=True,
)


@dataclass(frozen=True, slots=True)
class Slots:
    """An entry's templates: a cause sentence, a fix step, and a step per client."""

    cause: str = ""
    fix: str = ""
    clients: tuple[tuple[str, str], ...] = ()


def paste_values(text: str, markers: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """The values a redacted paste holds, by placeholder name, and `client` if one shows."""
    view = for_re2(text)
    values: dict[str, str] = {}
    if found := _TOO_LONG.search(view):
        prompt, limit = int(found["prompt"]), int(found["limit"])
        values |= {"prompt_tokens": f"{prompt:,}", "limit_tokens": f"{limit:,}"}
        if prompt > limit:
            values["over_tokens"] = f"{prompt - limit:,}"
    if found := _RETRY_AFTER.search(view):
        values["retry_after"] = found["seconds"]
    if found := _REMAINING.search(view):
        values["remaining_requests"] = found["n"]
    if found := _MODEL.search(view):
        values["model"] = found["name"] or found.group(0)
    if found := _REQUEST_ID.search(view):
        values["request_id"] = found["id"]
    client = next((name for name, marks in markers.items() if any(m in text for m in marks)), None)
    if client is not None:
        values["client"] = client
    return values


def fill(template: str, values: dict[str, str]) -> str | None:
    """`template` with its placeholders filled, each value in inline code; None when the paste
    lacks one of them."""
    names = placeholders(template)
    if not names <= values.keys():
        return None
    return template.format(**{name: f"`{values[name]}`" for name in names})


def placeholders(template: str) -> set[str]:
    """The names a template asks for ("{prompt_tokens}" -> prompt_tokens)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
