"""Render reply data as text (CLI, plain messages) or an embed dict, within Discord's caps.

Every cap lives here, so no front end can produce a message Discord would reject. Text that
came from a user is defused so it can't ping anyone even if a client ignored allowed_mentions.
"""

from __future__ import annotations

from typing import Any

from bot.core.evidence import Evidence, Kind
from bot.core.mentions import defuse_mentions
from bot.core.reply import Reply, SupportRequest

MESSAGE_CHARS = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
EMBED_FIELDS = 25
EMBED_TOTAL = 6000
FOOTER_TEXT = 2048

ANSWER_COLOUR = 0x5865F2
ESCALATE_COLOUR = 0xED4245


def shorten(text: str, limit: int) -> str:
    """Cut `text` to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _support_lines(support: SupportRequest) -> list[str]:
    lines = [f"Email **{support.email}** with:"]
    for label, value in (
        ("Request ID", support.request_id),
        ("Time (UTC)", support.timestamp),
        ("Model", support.model),
    ):
        lines.append(
            f"- {label}: `{value}`" if value else f"- {label}: (add it: not in your paste)"
        )
    error = support.error.replace("`", "'")
    lines.append(f"- Error: `{error}`")
    return lines


def _leak_lines(reply: Reply) -> list[str]:
    if not reply.leaked_secrets:
        return []
    markers = ", ".join(f"`{m}`" for m in reply.leaked_secrets)
    return [
        f"⚠️ Your paste contained a secret ({markers}). It is public now: revoke it in the "
        "Fireworks dashboard and create a new one."
    ]


# The evidence a reader checks first: the message string, then the status line, and so on.
_TELLING = (
    Kind.PATTERN,
    Kind.FUZZY,
    Kind.ENVELOPE,
    Kind.STATUS,
    Kind.EXCEPTION,
    Kind.TRANSPORT,
    Kind.PROXY,
    Kind.ALIAS,
    Kind.REASON,
    Kind.TYPO,
    Kind.REPORT,
)
_WHAT = {
    Kind.PATTERN: "this entry's message",
    Kind.STATUS: "status",
    Kind.EXCEPTION: "exception class",
    Kind.ENVELOPE: "error code",
    Kind.TRANSPORT: "transport error",
    Kind.PROXY: "your proxy",
    Kind.ALIAS: "phrase",
    Kind.REASON: "status phrase",
    Kind.REPORT: "a failure reported without its error text",
}
EVIDENCE_QUOTE = 80


def _inline(text: str, limit: int) -> str:
    return shorten(" ".join(text.split()), limit).replace("`", "'")


def why_line(evidence: tuple[Evidence, ...]) -> str:
    """One short line: the part of the paste the answer rests on, quoted in inline code."""
    ranked = [e for kind in _TELLING for e in evidence if e.kind is kind and e.text.strip()]
    if not ranked:
        return ""
    best = ranked[0]
    if best.kind is Kind.FUZZY:
        how = f"{best.similarity or 0:.0f}% like `{_inline(best.source, 60)}`"
    elif best.kind is Kind.TYPO:
        how = f"read as `{_inline(best.source, 60)}`"
    else:
        how = _WHAT.get(best.kind, best.kind.value)
    return f"Recognised: `{_inline(best.text, EVIDENCE_QUOTE)}` ({how})"


def _section(name: str, body: str) -> str:
    """Inline for a sentence, on its own lines for a list."""
    body = body.strip()
    return f"**{name}:**\n{body}" if "\n" in body else f"**{name}:** {body}"


def render_text(reply: Reply) -> str:
    """Plain Markdown, at most one Discord message (2,000 characters)."""
    parts = [f"**{reply.title}**"]
    why = why_line(reply.evidence)
    parts += [why] if why else []
    parts += _leak_lines(reply)
    parts += [_section("Why", reply.cause), _section("Fix", reply.fix)]
    if reply.tips:
        parts.append("**Tips:**\n" + "\n".join(f"- {tip}" for tip in reply.tips))
    if reply.support:
        parts.append("**This needs a human.** " + "\n".join(_support_lines(reply.support)))
    parts.append(f"Docs: <{reply.docs_url}> · Status: <{reply.status_url}>")
    return shorten(defuse_mentions("\n\n".join(parts)), MESSAGE_CHARS)


def render_embed(reply: Reply) -> dict[str, Any]:
    """A Discord embed object (as JSON) that respects every per-field and total cap."""
    fields: list[tuple[str, str]] = [("Fix", reply.fix)]
    if reply.tips:
        fields.append(("Tips", "\n".join(f"- {tip}" for tip in reply.tips)))
    if reply.support:
        fields.append(("Needs a human", "\n".join(_support_lines(reply.support))))
    if reply.leaked_secrets:
        fields.insert(0, ("Leaked secret", "\n".join(_leak_lines(reply))))
    footer = f"fwerror · {reply.entry_id or 'unmatched'} · confidence {reply.confidence:.0%}"
    why = why_line(reply.evidence)
    description = f"{why}\n\n{reply.cause.strip()}" if why else reply.cause.strip()
    embed: dict[str, Any] = {
        "title": shorten(defuse_mentions(reply.title), EMBED_TITLE),
        "url": reply.docs_url,
        "description": shorten(defuse_mentions(description), EMBED_DESCRIPTION),
        "color": ESCALATE_COLOUR if reply.escalate else ANSWER_COLOUR,
        "fields": [
            {
                "name": shorten(name, FIELD_NAME),
                "value": shorten(defuse_mentions(value.strip()) or "-", FIELD_VALUE),
                "inline": False,
            }
            for name, value in fields[:EMBED_FIELDS]
        ],
        "footer": {"text": shorten(footer, FOOTER_TEXT)},
    }
    return _fit_total(embed)


def embed_length(embed: dict[str, Any]) -> int:
    """Characters Discord counts towards the 6,000 total."""
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
        + len(embed.get("footer", {}).get("text", ""))
    )


def _fit_total(embed: dict[str, Any]) -> dict[str, Any]:
    """Trim the description, then drop trailing fields, until the total fits."""
    excess = embed_length(embed) - EMBED_TOTAL
    if excess > 0:
        keep = max(1, len(embed["description"]) - excess)
        embed["description"] = shorten(embed["description"], keep)
    while embed_length(embed) > EMBED_TOTAL and embed["fields"]:
        embed["fields"].pop()
    return embed
