"""One path for a user's message, whoever asked: read, analyse, claim, contain, post, record,
escalate.

The help-channel listener (unasked, passive mode) and the Explain error menu (asked, explicit
mode) differ only in a few rules, named in `Policy`: the listener reads one message per author
at a time, spends cooldowns and counts waves of server-side errors; the menu answers any
message once. A leaked secret is contained (see `bot.answering`) wherever the message came
from; a message with no error and no leak gets no public answer.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass
from enum import Enum, auto
from typing import TYPE_CHECKING

import discord

from bot.answering import (
    Analysis,
    Target,
    analyse,
    contain_leak,
    contain_picture_leak,
    paste_leak_notice,
    post_answer,
    with_notice,
)
from bot.cases import escalate_message, remember_reply
from bot.observability.hooks import record_cooldown_drop, record_decision
from bot.pictures import picture_quote, unsure_notice
from bot.wave_reports import REPORTED, count_late, mend_notice, sense_wave, takes_over
from bot.wave_reports import notice as wave_notice

if TYPE_CHECKING:
    from bot.bot import FwerrorBot
    from bot.claims import EarlyAnswer
    from bot.core.decision import Mode
    from bot.observability.metrics import Feature

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Policy:
    """What differs between answering unasked and answering on request."""

    feature: Feature
    mode: Mode
    # One read per author at a time, the author's and the channel's cooldowns, the same paste
    # answered once per window, and the claim started while the message is analysed.
    cooldowns: bool
    waves: bool  # server-side reports are counted, and a wave's card replaces escalations
    asked: bool  # someone asked for this answer: a leak warning alone answers them


LISTENER = Policy("listener", "passive", cooldowns=True, waves=True, asked=False)
MENU = Policy("menu", "explicit", cooldowns=False, waves=False, asked=True)


class Outcome(Enum):
    ANSWERED = auto()  # the answer is posted (after a leak notice, if any)
    WARNED = auto()  # only a leak notice is posted: no error in the message
    QUIET = auto()  # nothing posted: no error and no leak, or a cooldown or duplicate
    ALREADY = auto()  # answered before (here, before a restart, or by another worker)
    REFUSED = auto()  # Discord refused the post


@dataclass(frozen=True, slots=True)
class Responded:
    outcome: Outcome
    answer: discord.Message | None = None
    unsure: str = ""  # what the bot could make of screenshots it couldn't read well


async def respond(bot: FwerrorBot, message: discord.Message, policy: Policy) -> Responded:
    """Answer `message` as `policy` says; what was done, for the caller to report."""
    started = time.perf_counter()
    knowledge = bot.knowledge
    claims = bot.claims
    turn = bot.reader.turn(message.author.id) if policy.cooldowns else contextlib.nullcontext()
    async with turn:
        text = await bot.reader.read(message, knowledge)
        # Checked inside the turn: the author's previous message may have used the cooldown.
        explains = not policy.cooldowns or bot.wants_to_read(message)
        if not explains:
            record_cooldown_drop(bot, policy.feature)
        early = claims.early_answer(message) if policy.cooldowns and explains else None
        try:
            if early is not None:
                await early.on_its_way()
            analysis = await analyse(text, knowledge, policy.mode, explains=explains)
        except BaseException:
            if early is not None:
                early.drop()
            raise
        prepared, result = analysis.message, analysis.explanation
        has_error = result is not None and result.reply is not None
        has_error = has_error and not result.decision.holds_no_error
        # A linked paste's secret is warned of with an answer only, never for a held-back one.
        leaked = prepared.held.found or prepared.pictured.found
        leaked = leaked or (explains and prepared.linked.found)
        if policy.cooldowns:
            has_error = await _claim_answer(early, has_error, prepared.digest)
        elif not has_error and not leaked:
            record_decision(bot, policy.feature, result, started, message, sent=False)
            return Responded(Outcome.QUIET, unsure=unsure_notice(prepared.pictures))
        elif not await claims.message(message.id):  # another invocation got here first
            return Responded(Outcome.ALREADY)
        wave = None
        if policy.waves and has_error and analysis.support is not None:
            wave = sense_wave(bot, result, message, analysis.support.model)
        contain = leaked and await claims.containment(message.id)
    if policy.cooldowns and not has_error and not contain:
        if result is not None:
            record_decision(bot, policy.feature, result, started, message, sent=False)
        return Responded(Outcome.QUIET)
    target = Target(message)
    if contain:
        target = await _contain(bot, message, analysis, explains, target)
    if has_error and (quote := picture_quote(result, prepared.trusted_pictures)):
        target = with_notice(target, quote)
    above = target
    if posted := wave_notice(bot, wave.now) if wave is not None else "":
        target = with_notice(target, posted)
    reply = result.reply if has_error and result is not None else None
    try:
        answer = await post_answer(bot, message, reply, target)
    except discord.HTTPException as error:
        log.error("%s: could not answer message %s: %s", policy.feature, message.id, error)
        if result is not None:
            record_decision(bot, policy.feature, result, started, message, sent=False)
        return Responded(Outcome.REFUSED)
    if early is not None and not await early.confirmed():
        return Responded(Outcome.ALREADY)  # another worker's to record; Discord kept one reply
    replied = target.message or answer
    if reply is not None and analysis.support is not None:
        remember_reply(bot, result, analysis.support, message, answer, replied)
    if result is not None:
        sent = reply is not None or policy.asked
        record_decision(bot, policy.feature, result, started, message, sent=sent)
    # Off the reply's path: the store's count of the wave (every worker's) decides the card.
    settled = await wave.settled() if wave is not None else None
    if wave is not None:
        await mend_notice(bot, answer, above, posted, settled)
    if reply is not None and takes_over(bot, settled):
        bot.dispatch(REPORTED, settled)  # the incident's card, instead of an escalation
    elif reply is not None and result.decision.escalate:
        escalate_message(bot, result, message, replied, answer)
    if wave is not None and wave.late:
        await count_late(bot, wave, answer, above, posted, answered=reply is not None)
    return Responded(Outcome.ANSWERED if reply is not None else Outcome.WARNED, answer)


async def _claim_answer(early: EarlyAnswer | None, has_error: bool, digest: bytes) -> bool:
    """Whether the listener may answer: the claim started with the analysis, taken or dropped."""
    if early is None:
        return False
    if has_error:
        return await early.take(digest)
    early.drop()
    return False


async def _contain(
    bot: FwerrorBot, message: discord.Message, analysis: Analysis, explains: bool, target: Target
) -> Target:
    """Deal with each leak: delete and re-post what Discord holds, warn of a linked paste's,
    delete the message for a screenshot's."""
    prepared = analysis.message
    if prepared.held.found:
        target = await contain_leak(bot, message, prepared.held)
    if explains and prepared.linked.found:
        target = with_notice(target, paste_leak_notice(bot, prepared.linked))
    if prepared.pictured.found:
        target = await contain_picture_leak(bot, message, prepared.pictured, prepared.held, target)
    return target
