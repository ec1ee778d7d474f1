"""Find and redact secrets in pasted text before anything else reads it.

A user who pastes a failing request often pastes its API key with it. Matching, rendering and
logs only ever see the redacted text, and the user is told to revoke the key.

Each kind of secret has a small detector: a regex plus a cheap check. Every regex is written to
run in linear time on hostile input. Invisible format characters (zero-width spaces and
joiners, bidi marks, soft hyphens) are ignored while searching, so a key split by them is still
caught, and the replaced span includes them. A key broken by spaces or line breaks is not
reassembled.

A secret becomes a marker such as ``fw_3xQa…[redacted]``: the known prefix plus at most four
characters, so the user can tell which key it was. The stub is at most 15 characters and every
pattern needs more, so a marker is never detected again.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

SecretKind = Literal[
    "fireworks", "fire_pass", "discord", "openai", "anthropic", "aws", "bearer", "secret"
]

MARKER_SUFFIX = "…[redacted]"
_SHOWN = 4  # characters kept after the known prefix: enough to recognise, too few to use


@dataclass(frozen=True, slots=True)
class Secret:
    """One redacted secret: what it was and the marker now standing in its place."""

    kind: SecretKind
    marker: str


@dataclass(frozen=True, slots=True)
class Redaction:
    """The text with every secret replaced, and the secrets found (one per distinct marker)."""

    text: str
    secrets: tuple[Secret, ...]

    @property
    def found(self) -> bool:
        return bool(self.secrets)


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    kind: SecretKind
    shown: int  # characters of the secret the marker keeps
    rank: int  # lower wins when hits overlap: a prefixed key beats a bare "Bearer" token


_RANK_SPECIFIC, _RANK_NAMED, _RANK_BEARER, _RANK_GENERIC = range(4)

_LETTER = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9]")
_LOWER = re.compile(r"[a-z]")
_UPPER = re.compile(r"[A-Z]")
_SEPARATOR = re.compile(r"[_-]")

_FIREWORKS = re.compile(
    r"(?<![A-Za-z0-9_])(?P<prefix>fw_|fpk_|fw-)(?P<body>[A-Za-z0-9]{16,})(?![A-Za-z0-9])"
)
_OPENAI = re.compile(
    r"(?<![A-Za-z0-9_-])(?P<prefix>sk-(?:proj-|svcacct-|admin-|ant-)?)(?P<body>[A-Za-z0-9_-]{20,})"
)
# Part one is the base64 of a numeric user id, which is why it starts with M, N or O.
# The last part runs to the end of the word, so text glued onto a token is redacted with it
# instead of hiding it.
_DISCORD = re.compile(
    r"(?<![A-Za-z0-9_-])[MNO][A-Za-z0-9_-]{22,27}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{25,}"
)
_AWS_KEY_ID = re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])")
_BEARER = re.compile(r"(?i:bearer)[ \t]+(?P<value>[A-Za-z0-9._~+/=-]{16,})", re.ASCII)
# The keyword must end a word ("token" yes, "max_tokens" or "tokenizer" no); "[" and "\\"
# cover os.environ["..."] and JSON escaped inside a log line.
_ASSIGNED = re.compile(
    r"(?i:api[_-]?key|secret|token|passw(?:or)?d|access[_-]?key)(?![a-z])"
    r"(?P<rest>[A-Za-z0-9_-]{0,32})(?:\\?[\"'])?\]?[ \t]{0,8}(?:=>|:=|[:=])[ \t]{0,8}"
    r"(?:\\?[\"'])?(?P<value>[A-Za-z0-9._~+/=-]{16,})",
    re.ASCII,
)
_NAME_CHARS = re.compile(r"[A-Za-z0-9_.-]{0,32}\Z")
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]+")


def _fireworks_keys(view: str) -> Iterator[_Hit]:
    for m in _FIREWORKS.finditer(view):
        if _LETTER.search(m["body"]):  # all digits is a build number, not a key
            kind: SecretKind = "fire_pass" if m["prefix"] == "fpk_" else "fireworks"
            yield _Hit(m.start(), m.end(), kind, len(m["prefix"]) + _SHOWN, _RANK_SPECIFIC)


def _openai_keys(view: str) -> Iterator[_Hit]:
    for m in _OPENAI.finditer(view):
        body = m["body"]
        classes = sum(bool(p.search(body)) for p in (_LOWER, _UPPER, _DIGIT))
        # One-case words joined by dashes are a slug such as sk-some-long-name, not a key.
        if classes >= 2 or not _SEPARATOR.search(body):
            kind: SecretKind = "anthropic" if m["prefix"] == "sk-ant-" else "openai"
            yield _Hit(m.start(), m.end(), kind, len(m["prefix"]) + _SHOWN, _RANK_SPECIFIC)


def _discord_tokens(view: str) -> Iterator[_Hit]:
    for m in _DISCORD.finditer(view):
        yield _Hit(m.start(), m.end(), "discord", _SHOWN, _RANK_SPECIFIC)


def _aws_key_ids(view: str) -> Iterator[_Hit]:
    for m in _AWS_KEY_ID.finditer(view):
        yield _Hit(m.start(), m.end(), "aws", len("AKIA") + _SHOWN, _RANK_SPECIFIC)


def _random_value(m: re.Match[str]) -> tuple[int, int] | None:
    """Span of a context value that looks random; names and placeholders lack a digit."""
    value = m["value"].rstrip(".")  # a sentence's full stop is not part of the token
    if len(value) < 16 or not (_LETTER.search(value) and _DIGIT.search(value)):
        return None
    return m.start("value"), m.start("value") + len(value)


def _bearer_tokens(view: str) -> Iterator[_Hit]:
    for m in _BEARER.finditer(view):
        if span := _random_value(m):
            yield _Hit(*span, "bearer", _SHOWN, _RANK_BEARER)


def _assigned_secrets(view: str) -> Iterator[_Hit]:
    for m in _ASSIGNED.finditer(view):
        if span := _random_value(m):
            prefix = _NAME_CHARS.search(view, max(0, m.start() - 32), m.start())
            name = (prefix[0] if prefix else "") + view[m.start() : m.end("rest")]
            kind = _kind_from_name(name.lower())
            yield _Hit(*span, kind, _SHOWN, _RANK_GENERIC if kind == "secret" else _RANK_NAMED)


def _kind_from_name(name: str) -> SecretKind:
    if "fireworks" in name or name.startswith(("fw_", "fw-")):
        return "fireworks"
    for kind in ("discord", "openai", "anthropic", "aws"):
        if kind in name:
            return kind
    return "secret"


_DETECTORS: tuple[Callable[[str], Iterator[_Hit]], ...] = (
    _fireworks_keys,
    _openai_keys,
    _discord_tokens,
    _aws_key_ids,
    _bearer_tokens,
    _assigned_secrets,
)


def _visible(text: str) -> tuple[str, Callable[[int], int]]:
    """The text without invisible characters, and a map from its indices back to the text's."""
    if _INVISIBLE.search(text) is None:
        return text, lambda i: i
    parts: list[str] = []
    view_starts: list[int] = []
    text_starts: list[int] = []
    pos = length = 0
    gaps = [m.span() for m in _INVISIBLE.finditer(text)] + [(len(text), len(text))]
    for stop, resume in gaps:
        if stop > pos:
            parts.append(text[pos:stop])
            view_starts.append(length)
            text_starts.append(pos)
            length += stop - pos
        pos = resume

    def to_text(i: int) -> int:
        k = bisect_right(view_starts, i) - 1
        return text_starts[k] + i - view_starts[k]

    return "".join(parts), to_text


def _groups(hits: list[_Hit]) -> Iterator[tuple[int, int, _Hit, _Hit]]:
    """Merge overlapping hits so no fragment escapes: (start, end, marker hit, kind hit)."""
    hits.sort(key=lambda h: (h.start, h.rank))
    i = 0
    while i < len(hits):
        first = best = hits[i]
        end = first.end
        i += 1
        while i < len(hits) and hits[i].start < end:
            end = max(end, hits[i].end)
            best = min(best, hits[i], key=lambda h: h.rank)
            i += 1
        yield first.start, end, first, best


def redact(text: str) -> Redaction:
    """Replace every secret in ``text`` by a short marker; never raises, linear time."""
    view, to_text = _visible(text)
    hits = [hit for detect in _DETECTORS for hit in detect(view)]
    if not hits:
        return Redaction(text, ())
    pieces: list[str] = []
    secrets: dict[Secret, None] = {}  # ordered set: a key pasted twice is one secret
    pos = 0
    for start, end, first, best in _groups(hits):
        marker = view[start : start + first.shown] + MARKER_SUFFIX
        pieces += (text[pos : to_text(start)], marker)
        pos = to_text(end - 1) + 1
        secrets[Secret(best.kind, marker)] = None
    pieces.append(text[pos:])
    return Redaction("".join(pieces), tuple(secrets))


_FIREWORKS_STEP = (
    "• Fireworks key: dashboard → API Keys → delete the leaked key → create a new one → "
    "update your env/secret store."
)
_DISCORD_STEP = "• Discord bot token: Developer Portal → your app → Bot → Reset Token."
_OTHER_STEP = "• OpenAI, AWS and other keys: revoke and rotate them at the provider."
_STEPS: dict[SecretKind, tuple[str, ...]] = {
    "fireworks": (_FIREWORKS_STEP,),
    "fire_pass": (_FIREWORKS_STEP,),
    "discord": (_DISCORD_STEP,),
    "openai": (_OTHER_STEP,),
    "anthropic": (_OTHER_STEP,),
    "aws": (_OTHER_STEP,),
    # Unlabelled tokens sent to a Fireworks support bot are most likely Fireworks keys.
    "bearer": (_FIREWORKS_STEP, _OTHER_STEP),
    "secret": (_FIREWORKS_STEP, _OTHER_STEP),
}
_STEP_ORDER = (_FIREWORKS_STEP, _DISCORD_STEP, _OTHER_STEP)
_MARKERS_LISTED = 3


def leak_warning(secrets: Iterable[Secret]) -> str:
    """Tell the user their key is public now and how to revoke it; "" when nothing leaked.

    At most 600 characters, so it fits beside an answer in one Discord message.
    """
    found = tuple(dict.fromkeys(secrets))
    if not found:
        return ""
    markers = ", ".join(f"`{s.marker}`" for s in found[:_MARKERS_LISTED])
    if len(found) > _MARKERS_LISTED:
        markers += f" and {len(found) - _MARKERS_LISTED} more"
    what, it = ("a secret", "it") if len(found) == 1 else (f"{len(found)} secrets", "them")
    needed = {step for s in found for step in _STEPS[s.kind]}
    head = (
        f"⚠️ Your message contained {what} ({markers}). Anyone here may already have copied "
        f"{it}, so treat {it} as leaked even if you delete the message. Revoke {it} now:"
    )
    return "\n".join((head, *(step for step in _STEP_ORDER if step in needed)))
