"""Render reply data as text (CLI, plain messages) or an embed dict, within Discord's caps.

Every Discord cap lives here, so no front end can produce a message Discord would reject, and
`shorten` is the one way text is cut. Text that came from a user is defused so it can't ping
anyone even if a client ignored allowed_mentions.

An answer comes in two sizes: `render_short_embed`, at most `SHORT_EMBED_CHARS` so a passive
answer fits on one screen (the title, the cause's first sentence, the top fix steps, what the
answer rests on, the docs and status links), and `render_embed`, everything.
"""

from __future__ import annotations

from typing import Any

from bot.core.calibration import confidence_words
from bot.core.evidence import Evidence, Kind
from bot.core.handoff import HANDOFF_FIELD, HANDOFF_LINES
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
THREAD_NAME = 100
MESSAGE_ATTACHMENTS = 10
CUSTOM_ID = 100
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CHOICE_VALUE = 100
STRING_OPTION = 6000
SELECT_OPTIONS = 25
SELECT_LABEL = 100
SELECT_DESCRIPTION = 100
SELECT_PLACEHOLDER = 150

SHORT_EMBED_CHARS = 900  # a passive answer: one screen, with what the bot did about humans
SHORT_FIX_STEPS = 2
SHORT_STEP = 220
CHECKLIST_ERROR_CHARS = 160  # the error line in a short answer's checklist
MISSING = "**missing**, please add it"

ANSWER_COLOUR = 0x5865F2
ESCALATE_COLOUR = 0xED4245


def shorten(text: str, limit: int) -> str:
    """Cut `text` to `limit` characters, marking the cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clip_words(text: str, limit: int) -> str:
    """`text` within `limit`, cut after a whole word with an ellipsis: never inside a word
    (text written without spaces, and one huge token, are cut where the limit falls)."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = max(head.rfind(" "), head.rfind("\n"))
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:(-\n") + "…"


_SENTENCE_ENDS = (". ", "! ", "? ", ".\n", "\u3002", "\uff01", "\uff1f")  # and CJK full stops


def clip_prose(text: str, limit: int) -> str:
    """`text` within `limit`, cut after its last whole sentence or list item that fits, or
    else after a whole word (`clip_words`)."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = max(head.rfind(end) + len(end.rstrip()) for end in _SENTENCE_ENDS)
    item = head.rfind("\n- ")
    cut = max(cut, item)
    if cut >= limit // 3:
        return text[:cut].rstrip()
    return clip_words(text, limit)


def one_line(text: str, limit: int) -> str:
    """`text` on one line (whitespace runs collapsed), cut to `limit` characters."""
    return shorten(" ".join(text.split()), limit)


def _inline(text: str, limit: int) -> str:
    return clip_words(" ".join(text.split()), limit).replace("`", "'")


def checklist_lines(support: SupportRequest, error_chars: int = FIELD_VALUE) -> list[str]:
    """What to email support, ready to send: each item filled from the paste or marked missing.

    Every path to a human shows this same list (an escalated answer, the "Talk to a human"
    button, "Didn't help"), so a user never has to work out what support needs.
    """
    lines = [f"Email **{support.email}** with:"]
    for label, value in (
        ("Request ID", support.request_id),
        ("Time (UTC)", support.timestamp),
        ("Model", support.model),
    ):
        lines.append(f"- {label}: `{_inline(value, 100)}`" if value else f"- {label}: {MISSING}")
    error = _inline(support.error, error_chars) if support.error.strip() else ""
    lines.append(f"- Error: `{error}`" if error else f"- Error: {MISSING}")
    lines.append("- Never your API key.")
    return lines


def checklist_text(support: SupportRequest) -> str:
    """The checklist as one message's text."""
    return shorten(defuse_mentions("\n".join(checklist_lines(support))), MESSAGE_CHARS)


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


ERROR_LINE_QUOTE = EVIDENCE_QUOTE


def _quoted(best: Evidence, error_line: str) -> str:
    """What the Recognised line quotes: the paste's error line around the evidence when the
    evidence sits in it (the reader sees their own line), else the evidence alone."""
    text = " ".join(best.text.split())
    line = " ".join(error_line.split())
    at = line.find(text) if line else -1
    if at == -1 or len(line) <= len(text):
        return _inline(text, EVIDENCE_QUOTE)
    if len(line) <= ERROR_LINE_QUOTE:
        return _inline(line, ERROR_LINE_QUOTE)
    # As much of the line before the evidence as leaves it whole, to the end of the word it
    # ends in (the quote is cut after a whole word), or from the evidence on.
    end = line.find(" ", at + len(text))
    end = len(line) if end == -1 else end
    start = max(0, min(at, end - (ERROR_LINE_QUOTE - 3)))
    # Start at a word: the next one, when the window opened inside one.
    while 0 < start < at and (line[start - 1].isalnum() or line[start - 1] == "_"):
        start += 1
    quoted = _inline(line[start:], ERROR_LINE_QUOTE - (1 if start else 0))
    return ("…" if start else "") + quoted


def telling(evidence: tuple[Evidence, ...]) -> Evidence | None:
    """The evidence a reader checks first (the order of `_TELLING`), if any."""
    ranked = [e for kind in _TELLING for e in evidence if e.kind is kind and e.text.strip()]
    return ranked[0] if ranked else None


def why_line(evidence: tuple[Evidence, ...], error_line: str = "") -> str:
    """One short line: the part of the paste the answer rests on, quoted in inline code."""
    best = telling(evidence)
    if best is None:
        return ""
    if best.kind is Kind.FUZZY:
        how = f"{best.similarity or 0:.0f}% like `{_inline(best.source, 60)}`"
    elif best.kind is Kind.TYPO:
        how = f"read as `{_inline(best.source, 60)}`"
    else:
        how = _WHAT.get(best.kind, best.kind.value)
    return f"Recognised: `{_quoted(best, error_line)}` ({how})"


def _section(name: str, body: str) -> str:
    """Inline for a sentence, on its own lines for a list."""
    body = body.strip()
    return f"**{name}:**\n{body}" if "\n" in body else f"**{name}:** {body}"


def render_text(reply: Reply) -> str:
    """Plain Markdown, at most one Discord message (2,000 characters)."""
    parts = [f"**{reply.title}**"]
    why = why_line(reply.evidence, reply.error_line)
    parts += [why] if why else []
    parts += _leak_lines(reply)
    parts += [_section("Why", reply.cause), _section("Fix", reply.fix)]
    if reply.tips:
        parts.append("**Tips:**\n" + "\n".join(f"- {tip}" for tip in reply.tips))
    if reply.support:
        parts.append("**This needs a human.** " + "\n".join(checklist_lines(reply.support)))
    parts.append(f"Docs: <{reply.docs_url}> · Status: <{reply.status_url}>")
    return shorten(defuse_mentions("\n\n".join(parts)), MESSAGE_CHARS)


def render_embed(reply: Reply) -> dict[str, Any]:
    """A Discord embed object (as JSON) that respects every per-field and total cap."""
    fields: list[tuple[str, str]] = [(reply.label("Fix"), reply.fix)]
    if reply.tips:
        fields.append((reply.label("Tips"), "\n".join(f"- {tip}" for tip in reply.tips)))
    fields += _handoff_field(reply)
    if reply.support:
        fields.append((reply.label(NEEDS_HUMAN), "\n".join(checklist_lines(reply.support))))
    if reply.leaked_secrets:
        fields.insert(0, ("Leaked secret", "\n".join(_leak_lines(reply))))
    fields.append((reply.label("Links"), links_line(reply)))
    why = why_line(reply.evidence, reply.error_line)
    description = f"{why}\n\n{reply.cause.strip()}" if why else reply.cause.strip()
    return _fit_total(_embed(reply, description, fields))


NEEDS_HUMAN = "What support needs"


def _handoff_field(reply: Reply) -> list[tuple[str, str]]:
    """What the bot did, or will do, about humans: on every answer to a message."""
    if reply.handoff is None:
        return []
    said = reply.label(reply.handoff.value)
    return [
        (
            reply.label(HANDOFF_FIELD),
            HANDOFF_LINES[reply.handoff] if said == reply.handoff.value else said,
        )
    ]


def links_line(reply: Reply) -> str:
    """The entry's docs page and the status page: on every answer, short or full."""
    docs, status = reply.label("Docs"), reply.label("Status page")
    return f"[{docs}]({reply.docs_url}) · [{status}]({reply.status_url})"


def footer_text(reply: Reply) -> str:
    """Names the entry; an answer with no record left is read back by it (`entry_in_footer`)."""
    how_sure = confidence_words(reply.confidence) if reply.entry_id else "no entry fits"
    return f"fwerror · {reply.entry_id or 'unmatched'} · {how_sure}"


def entry_in_footer(footer: str | None) -> str | None:
    """The entry id a footer written by `footer_text` names, if any."""
    parts = (footer or "").split(" · ")
    return parts[1] if len(parts) >= 2 and parts[1] != "unmatched" else None


def _embed(reply: Reply, description: str, fields: list[tuple[str, str]]) -> dict[str, Any]:
    return {
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
        "footer": {"text": shorten(footer_text(reply), FOOTER_TEXT)},
    }


def first_sentence(text: str) -> str:
    """The text up to its first full stop followed by a space, or a CJK full stop (or all of
    it), on one line."""
    flat = " ".join(text.split())
    for end in (". ", "; "):
        cut = flat.find(end)
        if cut != -1:
            return flat[: cut + 1].rstrip(";") + ("" if end == ". " else ".")
    cut = flat.find("\u3002")  # the full stop of Chinese and Japanese, with no space after
    if cut != -1 and cut + 1 < len(flat):
        return flat[: cut + 1]
    return flat


def fix_steps(fix: str) -> list[str]:
    """The fix as a list of steps: its "- " bullets, or its lines."""
    steps: list[str] = []
    for line in fix.strip().splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ")):
            steps.append(stripped[2:].strip())
        elif stripped and steps and line[:1].isspace():
            steps[-1] += " " + stripped  # a bullet continued on the next line
        elif stripped:
            steps.append(stripped)
    return steps


def render_short_embed(reply: Reply, limit: int = SHORT_EMBED_CHARS) -> dict[str, Any]:
    """The answer on one screen: at most `limit` characters of embed text.

    The "More" button (and `/fwerror private:true`) shows the rest with `render_embed`. The
    leak warning is not here: the message's text above the embed carries it.
    """
    cause = first_sentence(reply.cause)
    steps = fix_steps(reply.fix)
    tries = ((SHORT_FIX_STEPS, CHECKLIST_ERROR_CHARS, True), (1, 100, True), (1, 60, True))
    # Last, the Recognised line quotes the evidence alone rather than the error line around it.
    for count, error_chars, whole_line in (*tries, (1, 60, False)):
        why = why_line(reply.evidence, reply.error_line if whole_line else "")
        fields = [(reply.label("Fix"), "\n".join(f"- {_short_step(s)}" for s in steps[:count]))]
        fields += _handoff_field(reply)
        if reply.support:
            checklist = "\n".join(checklist_lines(reply.support, error_chars))
            fields.append((reply.label(NEEDS_HUMAN), checklist))
        fields.append((reply.label("Links"), links_line(reply)))
        embed = _embed(reply, _description(why, cause), fields)
        excess = embed_length(embed) - limit
        if excess <= 0:
            return embed
    # Still too long: the cause gives way, never what the answer rests on.
    embed["description"] = _description(why, clip_prose(cause, max(40, len(cause) - excess)))
    return embed


def _short_step(step: str) -> str:
    """A fix step as a short answer shows it: a long one is cut at its first sentence."""
    step = " ".join(step.split())
    return step if len(step) <= SHORT_STEP else clip_prose(first_sentence(step), SHORT_STEP)


def _description(why: str, cause: str) -> str:
    return f"{why}\n\n{cause}" if why else cause


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
