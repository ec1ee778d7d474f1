"""Acting on a message at most once: answering it, escalating it, containing its leak.

Each claim has one shape: a memory of recent keys answers first and synchronously (two copies
of one event can't both pass), then the store decides across restarts and workers sharing it.
An answer to a help-channel message also spends the author's and the channel's cooldowns and
remembers the paste, so the same paste re-posted within the user window counts once.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from bot.cooldowns import RateLimiter, RecentKeys

if TYPE_CHECKING:
    import discord

    from bot.settings import Settings
    from bot.store.service import StoreService


class Claims:
    """The bot's memories of what it did, and the store behind them."""

    def __init__(self, settings: Settings, store: StoreService) -> None:
        self.store = store
        self.user_cooldown = RateLimiter(settings.user_rate)
        self.channel_cooldown = RateLimiter(settings.channel_rate)
        self.answered = RecentKeys()
        # (author, paste digest): the same paste re-posted within the user window counts once.
        self.recent_pastes = RecentKeys(ttl=settings.user_rate.seconds)
        self.escalated = RecentKeys()
        self.contained = RecentKeys()  # message ids whose leaked secret was dealt with

    def within_rate(self, message: discord.Message) -> bool:
        """Whether the author's and the channel's cooldowns allow a passive answer now."""
        return (
            self.user_cooldown.retry_after(message.author.id) == 0.0
            and self.channel_cooldown.retry_after(message.channel.id) == 0.0
        )

    def answer_open(self, message: discord.Message, paste: tuple[int, bytes]) -> bool:
        """Whether memory lets `message` be answered: not answered, not a repeated paste, and
        within the cooldowns."""
        return (
            message.id not in self.answered
            and paste not in self.recent_pastes
            and self.within_rate(message)
        )

    def take_answer(self, message: discord.Message, paste: tuple[int, bytes]) -> None:
        """Mark `message` answered and spend its cooldowns."""
        self.answered.add(message.id)
        self.recent_pastes.add(paste)
        self.user_cooldown.record(message.author.id)
        self.channel_cooldown.record(message.channel.id)

    def early_answer(self, message: discord.Message) -> EarlyAnswer | None:
        """Start the store's answer claim now, while the message is still being analysed.

        None when memory refuses it already (answered, or a cooldown holds it back). Memory
        is only taken (`EarlyAnswer.take`) once the analysis says there is an answer, and the
        store's claim is given back otherwise (`EarlyAnswer.drop`): a message that gets no
        answer spends nothing.
        """
        if message.id in self.answered or not self.within_rate(message):
            return None
        return EarlyAnswer(self, message)

    async def answer(self, message: discord.Message, digest: bytes) -> bool:
        """`early_answer` and `EarlyAnswer.take` in one step, for an answer already decided."""
        early = self.early_answer(message)
        return early is not None and await early.take(digest)

    async def message(self, message_id: int) -> bool:
        """True the first time a message is answered (here, before a restart, or by another
        worker sharing the store), False after; no cooldown is spent (the menu, re-posts)."""
        if not self.answered.add(message_id):
            return False
        return await self.store.claim("answer", message_id)

    async def escalation(self, key: int) -> bool:
        """True the first time a message or thread is escalated (on any worker), False after."""
        if not self.escalated.add(key):
            return False
        return await self.store.claim("escalation", key)

    def release_escalation(self, key: int) -> None:
        """Let a later attempt escalate again, when every step of this one failed."""
        self.escalated.discard(key)
        self.store.release("escalation", key)

    async def containment(self, message_id: int) -> bool:
        """True the first time a message's leaked secret is dealt with (new, edited or menu),
        here, before a restart or on another worker sharing the store."""
        if not self.contained.add(message_id):
            return False
        return await self.store.claim("containment", message_id)


class EarlyAnswer:
    """An answer claim sent to the store before the analysis ended: its word, on its way."""

    def __init__(self, claims: Claims, message: discord.Message) -> None:
        self._claims, self._message = claims, message
        self._sent = claims.store.send_claim("answer", message.id)
        self._posted_first = False  # the answer went out before the store's word came

    async def on_its_way(self) -> None:
        """Give the claim's task one turn of the loop, in which it writes its INSERT to the
        socket. A message of a few screens is analysed on the loop without a pause, so the
        claim would otherwise leave only once the analysis is done, and the answer would wait
        a whole round trip for it after."""
        if self._sent is not None:
            await asyncio.sleep(0)

    async def take(self, digest: bytes) -> bool:
        """The analysis found an answer: take it in memory and wait for the store's word
        (within the store's claim deadline, counted from now), unless the store says this
        worker alone can have the message (`StoreService.answers_before_word`): then the
        answer goes out at once and `confirmed` reads the word after.

        False if it must not be answered: answered meanwhile, the same paste (`digest`, see
        `bot.prepared_message.digest`) from the same author lately, a cooldown, or the store
        says another worker or an earlier run answered it. The memory checks come first and
        synchronously, so two copies of one paste can't both pass.
        """
        claims, message = self._claims, self._message
        paste = (message.author.id, digest)
        if not claims.answer_open(message, paste):
            self.drop()
            return False
        claims.take_answer(message, paste)
        sent, store = self._sent, claims.store
        if sent is not None and not sent.done():
            self._posted_first = store.answers_before_word(message.created_at.timestamp())
            if self._posted_first:
                return True
        return await store.settle_claim("answer", sent)

    async def confirmed(self) -> bool:
        """Once the answer is posted: whether it is this worker's to record. False when it
        went out before the store's word (see `take`) and another worker had claimed the
        message: that worker records it, and Discord kept one of the two replies (their
        nonce is the message's)."""
        if not self._posted_first:
            return True
        return await self._claims.store.settle_claim("answer", self._sent)

    def drop(self) -> None:
        """No answer after all: once the store's claim lands, give it back if it was won."""
        if self._sent is not None:
            self._sent.add_done_callback(self._give_back)

    def _give_back(self, sent: asyncio.Task[bool]) -> None:
        if not sent.cancelled() and sent.exception() is None and sent.result():
            self._claims.store.release("answer", self._message.id)
