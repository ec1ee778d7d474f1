"""`/fwerror-forget-me`: delete what the bot stored about the user who runs it.

That is their decisions (with the redacted excerpts of their pastes), their votes, the cases
about their pastes (whoever pressed "Talk to a human") with those cases' posts in the
moderators' queue, and what the bot remembers for its buttons. Where they only pressed,
claimed or resolved someone else's case, that case stays: their id is removed from it, and
their mention from its queue post. The once-only claims stay: they hold message ids, nothing
personal.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.records import forget_cleaned_texts
from bot.store.store import Forgotten, StoreUnavailable

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

log = logging.getLogger(__name__)

NOTHING_KEPT = "This bot keeps no store, so there is nothing about you to delete."
DOWN = "I couldn't reach my database, so nothing was deleted. Please try again in a few minutes."
REMOVED = "(someone who asked to be forgotten)"


def without_mention(embed: discord.Embed, user_id: int) -> discord.Embed:
    """`embed` with every mention of `user_id` replaced (its fields and description)."""
    mention = re.compile(rf"<@!?{user_id}>")
    data = embed.to_dict()
    if "description" in data:
        data["description"] = mention.sub(REMOVED, data["description"])
    for field in data.get("fields", []):
        field["value"] = mention.sub(REMOVED, field["value"])
    return discord.Embed.from_dict(data)


class ForgetMe(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot

    @app_commands.command(
        name="fwerror-forget-me", description="Delete what fwerror stored about you"
    )
    async def forget_me(self, interaction: discord.Interaction) -> None:
        store = self.bot.store
        if not store.configured:
            await interaction.response.send_message(NOTHING_KEPT, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        user_id = interaction.user.id
        try:
            gone = await store.forget_user(user_id)
        except StoreUnavailable:
            await interaction.followup.send(DOWN, ephemeral=True)
            return
        self.bot.answers.forget_author(user_id)
        forget_cleaned_texts()
        posts = await self.clean_queue(gone, user_id)
        log.info("forget-me: deleted %d row(s) and %d queue post(s) for a user", gone.total, posts)
        await interaction.followup.send(
            f"Done: I deleted {gone.decisions} record(s) of your messages and queries, "
            f"{gone.feedback} vote(s) and {gone.escalations} escalation(s) about your messages "
            f"with their {posts} post(s) in the moderators' queue, and removed your name from "
            f"{gone.named} escalation(s) about other people's.",
            ephemeral=True,
        )

    async def clean_queue(self, gone: Forgotten, user_id: int) -> int:
        """Delete the queue posts of the user's cases and unname them in the others; the
        number deleted. A post already gone counts as deleted; other failures are logged."""
        channel_id = self.bot.settings.escalation_channel_id
        if channel_id is None:
            return 0
        queue = self.bot.get_partial_messageable(channel_id)
        deleted = 0
        for post_id in gone.deleted_posts:
            try:
                await queue.get_partial_message(post_id).delete()
            except discord.NotFound:
                pass
            except discord.HTTPException as error:
                log.error("forget-me: could not delete queue post %s: %s", post_id, error)
                continue
            deleted += 1
        for post_id in gone.named_posts:
            try:
                post = await queue.fetch_message(post_id)
                embeds = [without_mention(embed, user_id) for embed in post.embeds]
                await post.edit(embeds=embeds, allowed_mentions=discord.AllowedMentions.none())
            except discord.NotFound:
                pass
            except discord.HTTPException as error:
                log.error("forget-me: could not edit queue post %s: %s", post_id, error)
        return deleted


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(ForgetMe(bot))
