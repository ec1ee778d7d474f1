"""Answer a user's message: contain a leaked secret first, then reply to the author.

A paste that leaked a secret gets a warning even when it holds no error. If the bot may
(`FwerrorBot.may_delete_leak`), the paste is deleted and re-posted by the bot with the secret
redacted, and the answer replies to that re-post, naming the author, so the question stays
in the channel. `bot.respond` answers the help-channel listener's messages and the Explain
error menu's this way.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import discord

from bot.core.decision import Mode
from bot.core.explain import Explanation, explain, support_for
from bot.core.limits import REPOST_BYTES
from bot.core.mentions import defuse_mentions
from bot.core.model import Knowledge
from bot.core.redact import Redaction, leak_warning
from bot.core.render import MESSAGE_CHARS, render_short_embed
from bot.core.reply import Reply, SupportRequest
from bot.core.support import with_sent_time
from bot.cpu_thread import off_loop
from bot.message_text import MessageText
from bot.observability.hooks import record_leak
from bot.prepared_message import PreparedMessage, held_redaction, prepare_message
from bot.views.answer import THIS_MESSAGE, answer_view, more_id, more_label, server_handoff

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)

# Characters of a message (all its parts) analysed on the event loop; longer ones go to a worker
# thread. Real pastes this long take about 2 ms, the worst crafted ones about 20 ms
# (benchmarks/bench_core.py): less than a thread costs them while the loop is busy, since the
# worker then waits for the GIL in 5 ms turns (a 2 ms paste's answer took 13-25 ms).
INLINE_CHARS = 4_000

NOT_DELETED = "I couldn't delete your message: ask a moderator to remove it."
PASTE_NOT_DELETED = (
    "I can't delete a paste on another site: revoke the key first, then delete the paste there."
)
DELETED = "I deleted your message and re-posted it above without the secret."
REPOST_HEADER = "**{mention}'s message, re-posted with the secret removed:**"
CUT_ATTACHED = "(Cut here: the whole text is attached.)"
CUT = "(Cut here: the rest was too long to re-post.)"
REPOST_FILE = "message-redacted.txt"
FENCE = "```"
FENCE_LOOKALIKE = "\u02cb" * 3  # so the user's own fences can't close the re-post's code block


@dataclass(frozen=True, slots=True)
class Target:
    """Where an answer goes: the message it replies to, and the leak notice it opens with."""

    message: discord.Message | None  # None: the paste was deleted and re-posting it failed
    notice: str = ""


@dataclass(frozen=True, slots=True)
class Analysis:
    """A prepared message, its explanation (None: not explained, a cooldown held it back) and
    the checklist its answer's buttons show (None: no answer)."""

    message: PreparedMessage
    explanation: Explanation | None
    support: SupportRequest | None = None


def _analyse(text: MessageText, knowledge: Knowledge, mode: Mode, explains: bool) -> Analysis:
    prepared = prepare_message(text)
    if not explains:
        return Analysis(prepared, None)
    result = explain(prepared.logs, knowledge, mode, prepared=prepared.matched)
    reply = result.reply
    if reply is None:
        return Analysis(prepared, result)
    # What the answer's buttons show: the reply's checklist, else one filled from the paste.
    support = reply.support or support_for(prepared.logs.text, knowledge, prepared=prepared.matched)
    return Analysis(prepared, result, support)


async def analyse(
    text: MessageText, knowledge: Knowledge, mode: Mode, *, explains: bool = True
) -> Analysis:
    """The message prepared (`bot.prepared_message`) and, if `explains`, explained.

    A message of a few screens (most of them) is analysed on the event loop: a millisecond or
    two, less than handing it to a thread and back costs while the loop is busy. A longer one
    goes to a worker thread: a megabyte takes the core tens of milliseconds (RE2 releases the
    GIL while it searches), and the loop must not wait on one message.
    """
    if _size(text) <= INLINE_CHARS:
        return _analyse(text, knowledge, mode, explains)
    return await off_loop(_analyse, text, knowledge, mode, explains)


def _size(text: MessageText) -> int:
    parts = [text.content, *(f.text for f in text.files), *text.pastes]
    return sum(map(len, parts)) + sum(len(r.text) for r in text.pictures)


async def scan(text: MessageText) -> Redaction:
    """Only the redaction of what Discord holds: for containing an edit's secret."""
    return await off_loop(held_redaction, text)


def paste_leak_notice(bot: FwerrorBot, pasted: Redaction) -> str:
    """The warning for a secret in a linked paste: revoke it, since the bot can't delete it."""
    record_leak(bot, pasted)
    warning = leak_warning(pasted.secrets, "The paste you linked", "the paste")
    return f"{warning}\n{PASTE_NOT_DELETED}"


def with_notice(target: Target, notice: str) -> Target:
    """`target` with `notice` added below the notice it has."""
    joined = f"{target.notice}\n\n{notice}" if target.notice else notice
    return replace(target, notice=joined)


PICTURE_DELETED = (
    "I deleted your message because of the screenshot: revoke the key, then post the "
    "screenshot again cropped to the error."
)
PICTURE_NOT_DELETED = (
    "I couldn't delete your message: delete it yourself, revoke the key, then post the "
    "screenshot again cropped to the error."
)


async def contain_picture_leak(
    bot: FwerrorBot, message: discord.Message, pictured: Redaction, text: Redaction, target: Target
) -> Target:
    """Warn of a key readable in a screenshot; delete the message (pictures can't be redacted).

    `target` is where the answer goes after the text's own leak was handled: if that deleted
    the message already, only the screenshot's advice is added. Otherwise the message is
    deleted when the bot may, and its text (redacted) re-posted so the question stays.
    """
    record_leak(bot, pictured)
    warning = leak_warning(pictured.secrets, "Your screenshot", "the screenshot")
    if target.message is not message:  # the text's containment deleted it already
        return with_notice(target, f"{warning}\n{PICTURE_DELETED}")
    if not bot.may_delete_leak(message):
        log.warning(
            "leak: a screenshot in message %s in channel %s shows a secret; not deleting it",
            message.id,
            message.channel.id,
        )
        return with_notice(target, f"{warning}\n{PICTURE_NOT_DELETED}")
    try:
        await message.delete()
    except discord.NotFound:
        pass
    except discord.HTTPException as error:
        log.warning("leak: could not delete message %s: %s", message.id, error)
        return with_notice(target, f"{warning}\n{PICTURE_NOT_DELETED}")
    repost = await repost_redacted(bot, message, text.text) if text.text.strip() else None
    notice = f"{message.author.mention} {warning}\n{PICTURE_DELETED}"
    return Target(repost, f"{target.notice}\n\n{notice}" if target.notice else notice)


def repost_content(mention: str, redacted: str, *, attached: bool) -> tuple[str, bool]:
    """The re-post's text within one message, and whether the paste had to be cut."""
    header = REPOST_HEADER.format(mention=mention)
    body = defuse_mentions(redacted.strip("\n")).replace(FENCE, FENCE_LOOKALIKE)
    note = CUT_ATTACHED if attached else CUT
    room = MESSAGE_CHARS - len(f"{header}\n{FENCE}\n\n{FENCE}")
    if len(body) <= room:
        return f"{header}\n{FENCE}\n{body}\n{FENCE}", False
    head = body[: room - len(note) - 1]
    line_end = head.rfind("\n")
    if line_end > len(head) // 2:  # end on a whole line when one is near
        head = head[:line_end]
    return f"{header}\n{FENCE}\n{head}\n{FENCE}\n{note}", True


async def repost_redacted(
    bot: FwerrorBot, message: discord.Message, redacted: str
) -> discord.Message | None:
    """Post the author's text again, secret-free and pinging nobody; None if Discord refused."""
    guild = message.guild
    attach = guild is not None and message.channel.permissions_for(guild.me).attach_files
    content, cut = repost_content(message.author.mention, redacted, attached=attach)
    # Ten 1 MiB attachments could pass Discord's upload limit: the file keeps what fits.
    file = (
        discord.File(io.BytesIO(redacted.encode(errors="replace")[:REPOST_BYTES]), REPOST_FILE)
        if cut and attach
        else None
    )
    try:
        repost = await message.channel.send(
            content, file=file, allowed_mentions=discord.AllowedMentions.none()
        )
    except discord.HTTPException as error:
        log.error("leak: could not re-post message %s: %s", message.id, error)
        return None
    await bot.claims.message(repost.id)
    return repost


async def contain_leak(bot: FwerrorBot, message: discord.Message, redaction: Redaction) -> Target:
    """Warn the author of a leaked secret; delete and re-post the message when the bot may."""
    record_leak(bot, redaction)
    warning = leak_warning(redaction.secrets)
    kinds = ", ".join(sorted({secret.kind for secret in redaction.secrets}))
    if not bot.may_delete_leak(message):
        log.warning(
            "leak: message %s in channel %s holds a secret (%s); not deleting it (no Manage "
            "Messages there, or FWERROR_DELETE_LEAKED_KEYS is off)",
            message.id,
            message.channel.id,
            kinds,
        )
        return Target(message, f"{warning}\n{NOT_DELETED}")
    try:
        await message.delete()
    except discord.NotFound:
        pass  # the author deleted it already: re-post it anyway, so the question isn't lost
    except discord.HTTPException as error:
        log.warning(
            "leak: could not delete message %s (%s) in channel %s: %s",
            message.id,
            kinds,
            message.channel.id,
            error,
        )
        return Target(message, f"{warning}\n{NOT_DELETED}")
    repost = await repost_redacted(bot, message, redaction.text)
    return Target(repost, f"{message.author.mention} {warning}\n{DELETED}")


async def post_answer(
    bot: FwerrorBot, message: discord.Message, reply: Reply | None, target: Target
) -> discord.Message:
    """Send the answer to `message` (only the leak notice if `reply` is None); may raise."""
    embed = view = None
    if reply is not None:
        # The notice above the embed already names the secret and how to revoke it.
        reply = replace(
            reply,
            leaked_secrets=(),
            handoff=server_handoff(bot, reply, can_thread=True),
            support=with_sent_time(reply.support, message.created_at),
        )
        embed = discord.Embed.from_dict(render_short_embed(reply))
        anchor = target.message.id if target.message is not None else THIS_MESSAGE
        view = answer_view(
            message.channel.id,
            anchor,
            more=more_id(reply),
            handoff=reply.handoff,
            more_label=more_label(reply),
        )
        # Its buttons are dynamic items the bot answers by their custom_id: a view still
        # running would be kept by discord.py for as long as the process runs, one per answer.
        view.stop()
    send = target.message.reply if target.message is not None else message.channel.send
    return await send(
        content=target.notice or None,
        embed=embed,
        view=view,
        allowed_mentions=bot.reply_mentions(message.author),
        # One answer per message: Discord keeps the first of two posts with one nonce (two
        # workers, or a post retried after a timeout), and returns it to the second.
        nonce=f"a{message.id}",
    )
