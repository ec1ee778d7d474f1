"""A case for humans, and asking for one: what the escalation feature acts on.

The answering paths (`bot.respond`, `/fwerror`) keep what each answer decided for its buttons
and ask for an escalation by dispatching `EVENT` with a `Case`; the escalation feature
(`bot.exts.escalation.handoff`) acts on each at most once. Nothing here talks to Discord's API.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import discord

from bot.checklist import CASE_EXCERPT_CHARS, NO_ENTRY, Answered, answer_row
from bot.core.entry import Entry
from bot.core.explain import Explanation
from bot.core.mentions import defuse_mentions
from bot.core.render import shorten
from bot.core.reply import SupportRequest
from bot.core.support import with_sent_time

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

EVENT = "fwerror_escalation"


@dataclass(frozen=True, slots=True)
class Case:
    """What humans need to pick up an error, already redacted."""

    key: int  # the message, or the thread it sits in: escalated at most once
    channel: discord.abc.Messageable
    anchor: discord.Message | discord.PartialMessage | None  # a thread opens here; None if private
    reporter: discord.abc.User  # who asked: the author, or whoever pressed the button
    author_id: int | None  # whose paste the case is about (None: not known any more)
    matched: str
    excerpt: str
    jump_url: str
    entry: Entry | None = None  # for metrics: what the matcher found, if anything
    pings: bool = True  # False: the fix is on the user's side, so only the queue hears of it
    answer: discord.Message | None = None  # the bot's answer, whose button and words follow


def matched_label(explanation: Explanation) -> str:
    """What the case is, in plain words: the entry's title (its id is in the queue's footer)."""
    entry = explanation.decision.entry
    return entry.title if entry is not None else NO_ENTRY


def excerpt_of(explanation: Explanation) -> str:
    """The paste's error line (`bot.core.error_line`), else the head of the redacted paste."""
    reply = explanation.reply
    text = (reply.error_line if reply else "") or explanation.redaction.text
    return shorten(defuse_mentions(text.strip()), CASE_EXCERPT_CHARS)


def case_for(
    explanation: Explanation,
    *,
    channel: discord.abc.Messageable,
    anchor: discord.Message | discord.PartialMessage | None,
    reporter: discord.abc.User,
    jump_url: str,
    key: int,
    reply: discord.Message | None = None,
) -> Case:
    """A case keyed by its thread when it is in one, so one thread pings the role once.

    `reply` is the bot's answer: once the case is delivered it says where the case went.
    """
    return Case(
        key=case_key(channel, key),
        channel=channel,
        anchor=anchor,
        reporter=reporter,
        author_id=reporter.id,
        matched=matched_label(explanation),
        excerpt=excerpt_of(explanation),
        jump_url=jump_url,
        entry=explanation.decision.entry,
        pings=not explanation.decision.fix_is_users,
        answer=reply,
    )


def case_key(channel: object, key: int) -> int:
    """`key`, or the thread it was asked in: one thread is one case."""
    return channel.id if isinstance(channel, discord.Thread) else key


def remember_answer(
    bot: FwerrorBot,
    explanation: Explanation,
    support: SupportRequest,
    answer: discord.Message,
    *,
    channel: discord.abc.Messageable,
    anchor: discord.Message | None,
    author: discord.abc.User,
    jump_url: str,
    key: int,
) -> None:
    """Keep what `answer` decided for its buttons (`bot.checklist`), keyed as `case_for` keys
    its case, so a press escalates the same case and never reads the paste again."""
    entry = explanation.decision.entry
    answered = Answered(
        case_key=case_key(channel, key),
        anchor_id=anchor.id if anchor is not None else None,
        author_id=author.id,
        entry_id=entry.id if entry else None,
        matched=matched_label(explanation),
        excerpt=excerpt_of(explanation),
        support=support,
        pings=not explanation.decision.fix_is_users,
        jump_url=jump_url,
    )
    bot.answers.keep(answer.id, answered)
    if bot.store.configured:
        bot.store.keep_answer(answer_row(answer.id, answered))


def remember_reply(
    bot: FwerrorBot,
    explanation: Explanation,
    support: SupportRequest,
    message: discord.Message,
    answer: discord.Message,
    replied: discord.Message,
) -> None:
    """`remember_answer` for an answer to a user's message; `replied` as in `escalate_message`.
    The checklist's time is the message's when the paste has none."""
    remember_answer(
        bot,
        explanation,
        with_sent_time(support, message.created_at),
        answer,
        channel=message.channel,
        anchor=replied,
        author=message.author,
        jump_url=replied.jump_url,
        key=replied.id,
    )


def request_escalation(bot: FwerrorBot, explanation: Explanation, **where: Any) -> None:
    """Hand a case (see `case_for`) to the Escalation cog, which acts on it at most once."""
    bot.dispatch(EVENT, case_for(explanation, **where))


def escalate_message(
    bot: FwerrorBot,
    explanation: Explanation,
    message: discord.Message,
    answer: discord.Message,
    reply: discord.Message | None = None,
) -> None:
    """Escalate a user's message; `answer` is what the answer replied to (or the answer itself).

    The case is keyed by `answer`, the message the answer's button names: the user's message,
    or its redacted re-post when it leaked a key, so a press on that button finds the case.
    """
    if not explanation.decision.pages_support:  # no error text yet: the button stays offered
        return
    request_escalation(
        bot,
        explanation,
        channel=message.channel,
        anchor=answer,
        reporter=message.author,
        jump_url=answer.jump_url,
        key=answer.id,
        reply=reply,
    )
