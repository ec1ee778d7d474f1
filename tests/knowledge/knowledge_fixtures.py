"""Small knowledge directories in tmp_path, so core tests don't depend on the shipped files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

TIPS: dict[str, Any] = {
    "support_email": "support@fireworks.ai",
    "status_url": "https://status.fireworks.ai",
    "docs_url": "https://docs.fireworks.ai/troubleshooting/status_error_codes",
    "general": ["Check https://status.fireworks.ai before retrying in a loop."],
}

DOCS = "https://docs.fireworks.ai/troubleshooting/status_error_codes"


def entry(entry_id: str, code: int, /, **fields: Any) -> dict[str, Any]:
    """A valid entry mapping; keyword arguments replace or add fields (None removes one)."""
    data: dict[str, Any] = {
        "id": entry_id,
        "code": code,
        "title": f"{code} error: {entry_id}",
        "escalate": False,
        "cause": "The request was refused for a reason explained at length here.",
        "fix": "- Change the request as described here, then retry it.",
        "docs": DOCS,
        "examples": [
            f"openai.APIStatusError: Error code: {code} - {entry_id}",
            f"HTTP {code} from the API: {entry_id}",
            f"got a {code} error calling {entry_id}",
        ],
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


# A tiny but realistic knowledge: one code with a generic and a specific entry, plus others.
RATE_LIMIT = entry(
    "429-rate-limit",
    429,
    title="429 Too Many Requests: serverless rate limit",
    aliases=["rate limited"],
    patterns=["rate limit exceeded"],
    examples=[
        "openai.RateLimitError: Error code: 429 - {'error': {'message': "
        "'rate limit exceeded, please try again later'}}",
        "HTTP/1.1 429 Too Many Requests\n\nrate limit exceeded",
        "my script keeps failing with 429 too many requests from fireworks",
    ],
)
PATH_NOT_FOUND = entry(
    "404-path-not-found",
    404,
    title="404 Not Found: wrong endpoint path",
    generic=True,
    aliases=["endpoint not found"],
    examples=[
        "POST https://api.fireworks.ai/inference/v1/chat/complete 404 Not Found",
        "openai.NotFoundError: Error code: 404 - {'detail': 'Not Found'}",
        "requests.exceptions.HTTPError: 404 Client Error: Not Found for url: "
        "https://api.fireworks.ai/v1/foobar",
    ],
)
MODEL_NOT_FOUND = entry(
    "404-model-not-found",
    404,
    title="404 Not Found: the model doesn't exist or isn't deployed",
    patterns=["model not found, inaccessible"],
    examples=[
        "openai.NotFoundError: Error code: 404 - {'error': {'message': "
        "'Model not found, inaccessible, and/or not deployed'}}",
        'Fireworks API error: 404 Not Found {"message":"Model not found, inaccessible, '
        'and/or not deployed"}',
        "the API says Model not found, inaccessible, and/or not deployed for my fine-tune",
    ],
)
SERVER_ERROR = entry(
    "500-internal-server-error",
    500,
    title="500 Internal Server Error",
    escalate=True,
    aliases=["internal server error"],
    examples=[
        "openai.InternalServerError: Error code: 500 - {'error': {'message': "
        "'internal server error'}}",
        "HTTP/1.1 500 Internal Server Error",
        "fireworks returns 500 internal server error on every request",
    ],
)
ENTRIES = (RATE_LIMIT, PATH_NOT_FOUND, MODEL_NOT_FOUND, SERVER_ERROR)


def write_entry(directory: Path, data: Any, name: str | None = None) -> Path:
    """Write one entry file, named after its id unless `name` says otherwise."""
    path = directory / (name or f"{data['id']}.yaml")
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def write_knowledge(
    root: Path, entries: tuple[dict[str, Any], ...] = ENTRIES, tips: Any = TIPS
) -> Path:
    """A `knowledge/` directory under `root` holding `entries` and `tips.yaml`."""
    directory = root / "knowledge"
    directory.mkdir(parents=True)
    for data in entries:
        write_entry(directory, data)
    if tips is not None:
        write_entry(directory, tips, name="tips.yaml")
    return directory


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def alias_bomb(levels: int = 9) -> str:
    """Signals examples nesting aliases nine deep (about 500 bytes): an `expect` of 9**9 items.

    Read as plain YAML it stalled `check` and reload for minutes, then ran out of memory.
    """
    lines = ["  - &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"  - &a{level} [{refs}]\n")
    lines.append(f"  - text: lol\n    expect: *a{levels - 1}\n")
    return "".join(lines)
