"""The one call every front end makes: redact, diagnose, and build the reply."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.core.decision import Decision, Mode
from bot.core.entry import Entry
from bot.core.error_line import error_line
from bot.core.evidence import Evidence
from bot.core.handoff import handoff_for
from bot.core.language import ENGLISH, detect
from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from bot.core.prepare import prepare
from bot.core.redact import Redaction, redact
from bot.core.render import first_sentence
from bot.core.reply import Reply, SupportRequest
from bot.core.slots import fill, paste_values
from bot.core.support import support_request

UNKNOWN_TITLE = "Not an error I know: handing you to a human"
UNKNOWN_CAUSE = (
    "This looks like an error report, but it doesn't match any Fireworks API error in my "
    "knowledge base. A misconfigured SDK, statuses such as 409 or 422, and a failure "
    "reported without its error text need a human eye."
)

TEXT_TITLE = "Please paste the full error text"
TEXT_CAUSE = (
    "You describe a failure, but your message has no error text, so I can't tell which error "
    "it is. The status code and the message the API sent back usually say what went wrong."
)
TEXT_FIX = (
    "- Paste the whole error: the status line and the body the API returned (in a code block "
    "or a .txt file). Remove your API key first.\n"
    "- If many requests fail at once, look at the status page (linked below) for an incident "
    "or maintenance."
)


@dataclass(frozen=True, slots=True)
class Explanation:
    """A decision, and the reply to show unless the decision is to stay quiet."""

    decision: Decision
    reply: Reply | None
    redaction: Redaction


def entry_reply(entry: Entry | None, knowledge: Knowledge) -> Reply:
    """An entry's answer with no paste behind it (`None`: the unknown-error answer)."""
    decision = Decision("answer" if entry else "escalate", entry, 1.0, ())
    return replace(build_reply(decision, "", knowledge), handoff=None)


def support_for(
    redacted_text: str,
    knowledge: Knowledge,
    evidence: tuple[Evidence, ...] = (),
    sent_at: datetime | None = None,
    *,
    prepared: str | None = None,
) -> SupportRequest:
    """The checklist for support@fireworks.ai, filled from `redacted_text` where it says (and
    `sent_at`, the message's time, when the paste has none). `prepared`: the text already
    through `prepare`, when the caller has it."""
    email = knowledge.tips.support_email
    text = prepare(redacted_text) if prepared is None else prepared
    return support_request(text, email, evidence, sent_at, knowledge.signals.ocr)


def build_reply(
    decision: Decision,
    redacted_text: str,
    knowledge: Knowledge,
    leaked: tuple[str, ...] = (),
    mode: Mode = "explicit",
    language: str = ENGLISH,
    *,
    prepared: str | None = None,
) -> Reply:
    """Turn a decision into reply data; `redacted_text` must not contain secrets, `prepared`
    is it through `prepare` (made here when not given).

    The reply's confidence is calibrated (`bot.core.calibration`): a probability for `mode`.
    An entry with a current translation into `language` answers in it; otherwise in English.
    """
    if not redacted_text:
        prepared = None
    elif prepared is None:
        prepared = prepare(redacted_text)
    tips = knowledge.tips
    confidence = knowledge.calibration.of(decision.confidence, mode)
    entry = decision.entry
    wants_text = decision.wants_error_text
    escalates = decision.escalate and not wants_text
    support = (
        support_for(redacted_text, knowledge, decision.evidence, prepared=prepared)
        if escalates and redacted_text
        else None
    )
    ocr = knowledge.signals.ocr
    line = error_line(prepared, decision.evidence, ocr) if prepared is not None else None
    # With everything configured; the Discord layer narrows it to what the server can do.
    handoff = handoff_for(
        decision.pages_support, decision.fix_is_users, can_ping=True, can_queue=True
    )
    if wants_text or entry is None:  # no entry: a failure told in words, or an unknown one
        return Reply(
            title=TEXT_TITLE if wants_text else UNKNOWN_TITLE,
            cause=TEXT_CAUSE if wants_text else UNKNOWN_CAUSE,
            fix=TEXT_FIX if wants_text else "\n".join(f"- {tip}" for tip in tips.general),
            tips=(),
            docs_url=tips.docs_url,
            status_url=tips.status_url,
            escalate=not wants_text,
            confidence=confidence,
            entry_id=None,
            code=None,
            support=support,
            leaked_secrets=leaked,
            evidence=decision.evidence,
            handoff=handoff,
            error_line=line or "",
            asks_for_text=wants_text,
        )
    translated = entry.translation_in(language)
    if translated is not None:  # slots are English sentences: a translation goes without them
        title, cause, fix = translated.title, translated.cause, translated.fix
    else:
        title, (cause, fix), language = (
            entry.title,
            with_paste_values(entry, prepared, knowledge),
            "en",
        )
    return Reply(
        title=title,
        cause=cause,
        fix=fix,
        tips=entry.tips,
        docs_url=entry.docs,
        status_url=tips.status_url,
        escalate=decision.escalate,
        confidence=confidence,
        entry_id=entry.id,
        code=entry.code,
        support=support,
        leaked_secrets=leaked,
        evidence=decision.evidence,
        handoff=handoff,
        error_line=line or "",
        language=language,
        labels=tuple(knowledge.labels.get(language, {}).items()) if translated else (),
    )


def with_paste_values(entry: Entry, prepared: str | None, knowledge: Knowledge) -> tuple[str, str]:
    """The entry's cause and fix, led by its slot templates the paste has every value for
    (the paste's numbers, its client's own setting); unchanged without slots or values.
    `prepared` is the redacted paste through `prepare` (None: no paste)."""
    slots = entry.slots
    if slots is None or prepared is None:
        return entry.cause, entry.fix
    values = paste_values(prepared, knowledge.clients)
    said = fill(slots.cause, values) if slots.cause else None
    client_step = dict(slots.clients).get(values.get("client", ""), "")
    steps = [fill(template, values) for template in (slots.fix, client_step) if template]
    lead = "".join(f"- {step}\n" for step in steps if step)
    if not said:
        return entry.cause, lead + entry.fix
    # The paste's own sentence takes the place of the general first one.
    flat = " ".join(entry.cause.split())
    rest = flat[len(first_sentence(flat)) :].strip()
    return f"{said} {rest}".strip(), lead + entry.fix


def explain(
    text: str | Redaction,
    knowledge: Knowledge,
    mode: Mode = "explicit",
    *,
    prepared: str | None = None,
) -> Explanation:
    """Redact secrets first, so nothing downstream can echo them, then diagnose.

    The whole text is redacted before the matcher cuts a huge paste (see `clip`): a key across
    the cut would otherwise lose the prefix that makes it a key, and its tail would be echoed.
    A `Redaction` is redacted already (the bot redacts a message part by part): it is not
    redacted again, and `prepared`, if given, is its text through `prepare`.
    """
    redaction = text if isinstance(text, Redaction) else redact(text)
    if prepared is None:
        prepared = prepare(redaction.text)
    decision = diagnose(redaction.text, knowledge, mode, prepared=prepared)
    reply = None
    if decision.action != "ignore":
        leaked = tuple(secret.marker for secret in redaction.secrets)
        language = detect(redaction.text, knowledge.words)
        reply = build_reply(
            decision, redaction.text, knowledge, leaked, mode, language, prepared=prepared
        )
    return Explanation(decision, reply, redaction)
