"""The components every answer carries: "Talk to a human", "Helped" and "Didn't help", and on a
short answer "More".

Their state lives in their custom_id, so they still work after a restart and after a reload:
the human and vote buttons name the channel and the message answered (`THIS_MESSAGE` for a
slash command's answer), and on the private offer "Didn't help" shows, also the case's key and
the answer it is about (that offer is a message of its own); "More" names its entry (`-` for
the unknown-error answer) and shows it as the knowledge has it now. A press on the human or a
vote button reaches the escalation or feedback feature as an event, whichever copy is loaded.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol, Self

import discord

from bot.core.explain import entry_reply
from bot.core.handoff import BUTTON_LABELS, HANDOFF_FIELD, HANDOFF_LINES, Handoff, narrowed
from bot.core.render import render_embed
from bot.core.reply import Reply
from bot.views.base import EventButton, StateButton

if TYPE_CHECKING:
    from bot.core.entry import Entry
    from bot.core.model import Knowledge
    from bot.settings import Settings

log = logging.getLogger(__name__)

HUMAN_TEMPLATE = (
    r"fwerror:human:(?P<channel_id>[0-9]+):(?P<message_id>[0-9]+)"
    r"(?::(?P<key>[0-9]+):(?P<answer_id>[0-9]+))?"
)
VOTE_TEMPLATE = r"fwerror:vote:(?P<vote>[yn]):(?P<channel_id>[0-9]+):(?P<message_id>[0-9]+)"
MORE_TEMPLATE = r"fwerror:more:(?P<entry_id>[a-z0-9-]{1,64})"
THIS_MESSAGE = 0  # message_id for an answer with no user message behind it (/fwerror)
PRESSED = "fwerror_human_button"  # event: (interaction, HumanButton)
VOTED = "fwerror_vote"  # event: (interaction, helped, channel_id, message_id)
UNKNOWN = "-"  # what "More" names under the unknown-error answer
GONE = "That entry is no longer in my knowledge base. Try `/fwerror` with the error text."


class HumanButton(EventButton, template=HUMAN_TEMPLATE):
    """ "Talk to a human", naming the message to escalate (`THIS_MESSAGE`: the answer itself).

    Under an answer, the answer is the message pressed; elsewhere `key` and `answer_id` name the
    case and the answer, so every press on that answer's behalf is one case (at most 97 of
    Discord's 100 custom_id characters with 20-digit ids).
    """

    event = PRESSED

    def __init__(
        self,
        channel_id: int,
        message_id: int,
        *,
        key: int | None = None,
        answer_id: int | None = None,
    ) -> None:
        about = f":{key}:{answer_id}" if key is not None and answer_id is not None else ""
        super().__init__(
            f"fwerror:human:{channel_id}:{message_id}{about}",
            "Talk to a human",
            discord.ButtonStyle.secondary,
        )
        self.channel_id = channel_id
        self.message_id = message_id
        self.key = key if about else None
        self.answer_id = answer_id if about else None

    @classmethod
    def parse(cls, match: re.Match[str]) -> Self:
        key, answer_id = match["key"], match["answer_id"]
        return cls(
            int(match["channel_id"]),
            int(match["message_id"]),
            key=int(key) if key else None,
            answer_id=int(answer_id) if answer_id else None,
        )

    def event_args(self) -> tuple[Any, ...]:
        return (self,)


class VoteButton(EventButton, template=VOTE_TEMPLATE):
    """One vote on the answer this button sits under: "Helped" or "Didn't help"."""

    event = VOTED

    def __init__(self, helped: bool, channel_id: int, message_id: int) -> None:
        super().__init__(
            f"fwerror:vote:{'y' if helped else 'n'}:{channel_id}:{message_id}",
            "Helped" if helped else "Didn't help",
            discord.ButtonStyle.success if helped else discord.ButtonStyle.secondary,
        )
        self.helped = helped
        self.channel_id = channel_id
        self.message_id = message_id

    @classmethod
    def parse(cls, match: re.Match[str]) -> Self:
        return cls(match["vote"] == "y", int(match["channel_id"]), int(match["message_id"]))

    def event_args(self) -> tuple[Any, ...]:
        return (self.helped, self.channel_id, self.message_id)


def add_vote_buttons(view: discord.ui.View, channel_id: int, message_id: int) -> None:
    """Append "Helped" and "Didn't help" to an answer's view."""
    view.add_item(VoteButton(True, channel_id, message_id))
    view.add_item(VoteButton(False, channel_id, message_id))


async def show_entry(
    interaction: discord.Interaction, entry: Entry | None, knowledge: Knowledge
) -> None:
    """The whole answer for `entry` (None: the unknown-error answer), to the presser only."""
    embed = discord.Embed.from_dict(render_embed(entry_reply(entry, knowledge)))
    await interaction.response.send_message(embed=embed, ephemeral=True)


class MoreButton(StateButton, template=MORE_TEMPLATE):
    """ "More": the full cause, every fix step and the tips, privately."""

    def __init__(self, entry_id: str, label: str = "More") -> None:
        super().__init__(f"fwerror:more:{entry_id}", label, discord.ButtonStyle.primary)
        self.entry_id = entry_id

    @classmethod
    def parse(cls, match: re.Match[str]) -> Self:
        return cls(match["entry_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        knowledge = interaction.client.knowledge  # type: ignore[attr-defined]
        entry = None if self.entry_id == UNKNOWN else knowledge.by_id.get(self.entry_id)
        if entry is None and self.entry_id != UNKNOWN:
            await interaction.response.send_message(GONE, ephemeral=True)
            return
        await show_entry(interaction, entry, knowledge)


def answer_view(
    channel_id: int,
    message_id: int = THIS_MESSAGE,
    more: str | None = None,
    handoff: Handoff | None = None,
    more_label: str = "More",
) -> discord.ui.View:
    """The components every answer carries; a short answer adds "More" for entry id `more`.

    Once the case is with a human (`handoff`), the human button says so and can't be pressed.
    """
    view = discord.ui.View(timeout=None)
    if handoff is not None and handoff.with_human:
        view.add_item(
            discord.ui.Button(
                label=BUTTON_LABELS[handoff],
                style=discord.ButtonStyle.secondary,
                disabled=True,
                custom_id=f"fwerror:handed:{channel_id}:{message_id}",
            )
        )
    else:
        view.add_item(HumanButton(channel_id, message_id))
    add_vote_buttons(view, channel_id, message_id)
    if more is not None:
        view.add_item(MoreButton(more, more_label))
    return view


def _custom_ids(message: discord.Message) -> list[str]:
    return [
        getattr(item, "custom_id", None) or ""
        for row in message.components
        for item in getattr(row, "children", ())
    ]


def more_named(answer: discord.Message) -> str | None:
    """What the answer's "More" button names: an entry id, `UNKNOWN`, or None (no such button)."""
    prefix = "fwerror:more:"
    return next((i[len(prefix) :] for i in _custom_ids(answer) if i.startswith(prefix)), None)


_NAMED = re.compile(
    r"fwerror:(?:human|handed):(?P<channel_id>[0-9]+):(?P<message_id>[0-9]+)(?::[0-9]+:[0-9]+)?"
)


async def show_handoff(
    answer: discord.Message,
    handoff: Handoff | None,
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """Make an answer say what was done about humans: its line (in the answer's language,
    `labels` as the knowledge has them), and its human button (which says so and can't be
    pressed once the case is with a human, or is offered again)."""
    named = next(filter(None, map(_NAMED.fullmatch, _custom_ids(answer))), None)
    if handoff is None or named is None or answer.flags.ephemeral or not answer.embeds:
        return  # nothing tried, not an answer, or a private one the bot can't edit
    more = more_named(answer)
    embed = answer.embeds[0].to_dict()
    said = {HANDOFF_FIELD: HANDOFF_LINES[handoff]}
    for words in (labels or {}).values():
        if HANDOFF_FIELD in words:
            said[words[HANDOFF_FIELD]] = words.get(handoff.value, HANDOFF_LINES[handoff])
    for field in embed.get("fields", []):
        if field["name"] in said:
            field["value"] = said[field["name"]]
    channel_id, message_id = int(named["channel_id"]), int(named["message_id"])
    view = answer_view(channel_id, message_id, more=more, handoff=handoff)
    try:
        # An edit notifies nobody; the reply keeps pointing at its author.
        mentions = discord.AllowedMentions.none()
        mentions.replied_user = True
        await answer.edit(
            embed=discord.Embed.from_dict(embed), view=view, allowed_mentions=mentions
        )
    except discord.HTTPException as error:
        log.warning("could not update answer %s after a handoff: %s", answer.id, error)


ENGLISH_ORIGINAL = "More (English)"


def more_label(reply: Reply) -> str:
    """A translated answer's "More" offers the whole entry in its English original."""
    return "More" if reply.language == "en" else ENGLISH_ORIGINAL


def more_id(reply: Reply) -> str | None:
    """What the "More" button under a short answer names: its entry, or the unknown answer;
    none under a request for the error text (there is no more to it)."""
    return None if reply.asks_for_text else reply.entry_id or UNKNOWN


class Configured(Protocol):
    """A bot as `server_handoff` needs it: its settings (not the bot class: it imports this)."""

    @property
    def settings(self) -> Settings: ...


def server_handoff(bot: Configured, reply: Reply, *, can_thread: bool) -> Handoff | None:
    """What this server will do about humans for `reply`: a ping needs a support role and a
    message to open a thread on (`can_thread`), a queue post the moderators' channel."""
    if reply.handoff is None:
        return None
    settings = bot.settings
    return narrowed(
        reply.handoff,
        can_ping=settings.support_role_id is not None and can_thread,
        can_queue=settings.escalation_channel_id is not None,
    )
