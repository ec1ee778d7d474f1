"""What every path to a human shows, decided once: each answer's checklist and case.

When an answer is posted, what it decided (the entry, the checklist for support@fireworks.ai
filled from the redacted paste, whose paste it was, the case a press would escalate) is kept
by the answer's id, in memory and in the store. "Didn't help" and "Talk to a human" act on that
record, so a press never reads the message, its attachments or its linked pastes again. An
answer whose record is gone (no store and a restart, or past the retention) falls back to what
the answer itself shows: its entry (named by its "More" button, else its footer), with the
checklist's items marked missing.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.core.explain import support_for
from bot.core.model import Knowledge
from bot.core.render import entry_in_footer, shorten
from bot.core.reply import SupportRequest
from bot.records import stored_text
from bot.views.answer import THIS_MESSAGE, UNKNOWN, more_named

if TYPE_CHECKING:
    from bot.store.service import StoreService

NO_ENTRY = "An error no entry fits"  # what a case is when no entry fits, in plain words
CASE_EXCERPT_CHARS = 900  # what a case quotes: the error line, else the head of the paste
MAX_ANSWERS = 5_000  # each record holds a redacted excerpt and checklist: about 2 KB at most


@dataclass(frozen=True, slots=True)
class Answered:
    """What one answer decided, for its buttons. Already redacted."""

    case_key: int  # the case a press escalates: the message, thread or command (see escalation)
    anchor_id: int | None  # the message a thread opens on; None for a private answer
    author_id: int | None  # whose paste (or query) it answered: who the case is about
    entry_id: str | None
    matched: str
    excerpt: str
    support: SupportRequest
    pings: bool  # False: the fix is on the user's side, so a press only reaches the queue
    jump_url: str


class AnswerRecords:
    """The newest `max_answers` records by answer id, in memory."""

    def __init__(self, max_answers: int = MAX_ANSWERS) -> None:
        self._max = max_answers
        self._by_answer: OrderedDict[int, Answered] = OrderedDict()

    def keep(self, answer_id: int, answered: Answered) -> None:
        self._by_answer[answer_id] = answered
        self._by_answer.move_to_end(answer_id)
        while len(self._by_answer) > self._max:
            self._by_answer.popitem(last=False)

    def get(self, answer_id: int) -> Answered | None:
        return self._by_answer.get(answer_id)

    def forget_author(self, user_id: int) -> int:
        """Drop the records of `user_id`'s pastes (for /fwerror-forget-me); how many went."""
        theirs = [key for key, value in self._by_answer.items() if value.author_id == user_id]
        for key in theirs:
            del self._by_answer[key]
        return len(theirs)

    def __len__(self) -> int:
        return len(self._by_answer)


class Remembers(Protocol):
    """What a press's record needs of the bot (not the bot class: it imports this)."""

    @property
    def answers(self) -> AnswerRecords: ...

    @property
    def store(self) -> StoreService: ...

    @property
    def knowledge(self) -> Knowledge: ...

    def get_partial_messageable(
        self, id: int, *, guild_id: int | None = None, type: discord.ChannelType | None = None
    ) -> discord.PartialMessageable: ...


def answer_row(answer_id: int, answered: Answered) -> dict[str, Any]:
    """The store's row for a record; its texts are redacted again and cut (`stored_text`)."""
    support = answered.support
    items = {"request_id": support.request_id, "timestamp": support.timestamp}
    items |= {"model": support.model, "error": stored_text(support.error)}
    return {
        "answer_id": answer_id,
        "case_key": answered.case_key,
        "anchor_id": answered.anchor_id,
        "author_id": answered.author_id,
        "entry": answered.entry_id,
        "matched": stored_text(answered.matched)[:300],
        "excerpt": stored_text(answered.excerpt),
        "support": json.dumps({k: stored_text(v) if v else v for k, v in items.items()}),
        "pings": answered.pings,
        "jump_url": answered.jump_url[:200],
    }


def answered_from_row(row: dict[str, Any], knowledge: Knowledge) -> Answered:
    items = json.loads(row["support"])
    return Answered(
        case_key=row["case_key"],
        anchor_id=row["anchor_id"],
        author_id=row["author_id"],
        entry_id=row["entry"],
        matched=row["matched"],
        excerpt=row["excerpt"],
        support=SupportRequest(email=knowledge.tips.support_email, **items),
        pings=row["pings"],
        jump_url=row["jump_url"],
    )


def press_key(interaction: discord.Interaction, answer: discord.Message, message_id: int) -> int:
    """The case a press of `answer`'s button is about, keyed as its first escalation was."""
    if isinstance(interaction.channel, discord.Thread) and interaction.channel_id is not None:
        return interaction.channel_id
    if message_id != THIS_MESSAGE:
        return message_id
    made_by = answer.interaction_metadata
    if answer.flags.ephemeral and made_by is not None:
        return made_by.id  # a private /fwerror answer can't hold a thread: keyed by its command
    return answer.id


def _author_of(answer: discord.Message) -> int | None:
    """Whose paste `answer` answered, from the answer alone: the message it replies to (unless
    that is the bot's redacted re-post), or whoever ran the command it answers."""
    replied = answer.reference.resolved if answer.reference is not None else None
    if isinstance(replied, discord.Message):
        return None if replied.author.bot else replied.author.id
    made_by = answer.interaction_metadata
    return made_by.user.id if made_by is not None else None


def _entry_shown(answer: discord.Message) -> str | None:
    """The entry an answer with no record showed: the one its "More" button names; a full
    answer has none, and only its footer (`footer_text`) still says which entry it was."""
    named = more_named(answer)
    if named is not None:
        return None if named == UNKNOWN else named
    return entry_in_footer(answer.embeds[0].footer.text if answer.embeds else None)


async def answered_for(
    bot: Remembers,
    interaction: discord.Interaction,
    message_id: int,
    *,
    key: int | None = None,
    answer_id: int | None = None,
) -> Answered:
    """What the pressed answer decided (`answer_id`, else the message pressed): its record in
    memory or the store, or, without one, what the answer shows (its entry; the checklist
    items marked missing)."""
    pressed = interaction.message
    assert pressed is not None  # a button always sits on a message
    wanted = answer_id if answer_id is not None else pressed.id
    recorded = bot.answers.get(wanted)
    if recorded is not None:
        return recorded
    row = await bot.store.answer(wanted) if bot.store.configured else None
    if row is not None:
        return answered_from_row(row, bot.knowledge)
    on_answer = answer_id is None  # False: the private offer "Didn't help" posted
    entry = bot.knowledge.by_id.get(_entry_shown(pressed) or "")
    channel = bot.get_partial_messageable(
        interaction.channel_id or 0, guild_id=interaction.guild_id
    )
    if message_id != THIS_MESSAGE:
        anchor_id: int | None = message_id
    else:
        anchor_id = pressed.id if on_answer and not pressed.flags.ephemeral else None
    shown = anchor_id or (pressed.id if on_answer else answer_id)
    return Answered(
        case_key=key if key is not None else press_key(interaction, pressed, message_id),
        anchor_id=anchor_id,
        author_id=_author_of(pressed) if on_answer else None,
        entry_id=entry.id if entry else None,
        matched=entry.title if entry else NO_ENTRY,
        excerpt=shorten(pressed.embeds[0].title or "", CASE_EXCERPT_CHARS)
        if pressed.embeds
        else "(see the answer)",
        support=support_for("", bot.knowledge),
        pings=entry is None or entry.escalate,
        jump_url=channel.get_partial_message(shown or pressed.id).jump_url,
    )
