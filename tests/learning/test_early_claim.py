"""The answer's claim starts while the message is analysed; a message that gets no answer
keeps no claim, so the store says "answered" only of what was answered."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.store import schema
from tests.exts.conftest import CHATTER, RATE_LIMIT_PASTE
from tests.learning.conftest import World


async def answer_claims(bot) -> set[int]:
    claims = schema.claims
    async with bot.store.store.engine.connect() as conn:
        rows = await conn.execute(select(claims.c.key).where(claims.c.kind == "answer"))
        return {row.key for row in rows}


async def test_chatter_leaves_no_answer_claim_and_an_answer_keeps_one(world: World) -> None:
    async with world.bot() as bot:
        chatter = await world.fake.post_message(CHATTER)
        # The control: a paste right after it is answered, and its claim is kept.
        paste, _ = await world.answered(RATE_LIMIT_PASTE)
        claimed: set[int] = set()
        for _ in range(50):  # the chatter's claim is given back in the background
            claimed = await answer_claims(bot)
            if int(chatter["id"]) not in claimed:
                break
            await asyncio.sleep(0.05)
        assert int(paste["id"]) in claimed
        assert int(chatter["id"]) not in claimed
