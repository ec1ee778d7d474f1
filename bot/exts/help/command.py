"""`/fwerror query:<code or pasted error> [private] [image]`: explain an error on request.

Short queries are answered at once; a long paste is deferred first so Discord's 3-second
deadline holds however slow the analysis is. In public the answer is the short one with a
"More" button; `private:true` shows all of it. The query box autocompletes to knowledge
entries, ranked by the matcher when the text is a paste or a sentence (`bot.core.suggest`),
and picking one sends its id, which the core resolves exactly. An `image` (a screenshot) is
read like one posted in a help channel, and always deferred first: reading takes seconds.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands
from discord.ui import View

from bot.bot import within_command_rate
from bot.cases import remember_answer, request_escalation
from bot.core.explain import Explanation, explain, support_for
from bot.core.redact import leak_warning
from bot.core.render import (
    AUTOCOMPLETE_CHOICES,
    CHOICE_VALUE,
    STRING_OPTION,
    render_embed,
    render_short_embed,
)
from bot.core.reply import Reply
from bot.core.suggest import choice_name, suggest
from bot.core.support import with_sent_time
from bot.cpu_thread import off_loop
from bot.message_text import MessageText
from bot.observability.hooks import record_decision, record_leak
from bot.pictures import picture_quote, read_pictures, unsure_notice
from bot.prepared_message import prepare_message
from bot.views.answer import answer_view, more_id, more_label, server_handoff

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

LONG_QUERY_CHARS = 300  # longer pastes are deferred before they are analysed
NO_ERROR = (
    "I found no error in that. Give me a status code (`429`), an error name "
    "(`RateLimitError`), or paste the error text you got."
)
NOTHING_ASKED = "Give me a status code, the error text, or a screenshot of it (`image`)."
NO_SCREENSHOTS = "I can't read screenshots here (the OCR engine isn't installed); paste the text."
NOT_READ = (
    "I couldn't read that image: send a PNG, JPEG, WebP or GIF screenshot, or paste the text."
)


def answer_parts(reply: Reply, channel_id: int, private: bool) -> tuple[discord.Embed, View]:
    """In public, the short answer and "More"; in private, nobody else waits: all of it."""
    if private:
        view = answer_view(channel_id, handoff=reply.handoff)
        return discord.Embed.from_dict(render_embed(reply)), view
    embed = discord.Embed.from_dict(render_short_embed(reply))
    view = answer_view(
        channel_id, more=more_id(reply), handoff=reply.handoff, more_label=more_label(reply)
    )
    return embed, view


def _case_place(interaction: discord.Interaction, anchor: discord.Message | None) -> dict[str, Any]:
    """Where a command's case lives, for its buttons and its escalation alike: the public
    answer, or (a private one has no link) the channel, keyed by the interaction."""
    channel = interaction.channel
    assert channel is not None  # callers answer in a channel
    return {
        "channel": channel,
        "anchor": anchor,
        "jump_url": anchor.jump_url if anchor else channel.jump_url,
        "key": anchor.id if anchor else interaction.id,
    }


class FwerrorCommand(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot

    # Cooldowns are checked by `within_command_rate` and answered by the bot's command tree.

    @app_commands.command(name="fwerror", description="Explain a Fireworks API error")
    @app_commands.describe(
        query="A status code (e.g. 429), an error name, or the error text you got",
        private="Only you see the answer",
        image="A screenshot of the error (read when the bot has the OCR engine)",
    )
    @app_commands.check(within_command_rate)
    async def fwerror(
        self,
        interaction: discord.Interaction,
        query: app_commands.Range[str, 1, STRING_OPTION] | None = None,
        private: bool = False,
        image: discord.Attachment | None = None,
    ) -> None:
        started = time.perf_counter()
        knowledge = self.bot.knowledge
        if query is None and image is None:
            await interaction.response.send_message(NOTHING_ASKED, ephemeral=True)
            return
        query = query or ""
        deferred = len(query) > LONG_QUERY_CHARS or image is not None
        if deferred:
            await interaction.response.defer(thinking=True, ephemeral=private)
        notes: list[str] = []
        if image is None:
            result = explain(query, knowledge, "explicit")
        else:
            result, notes = await self.explain_with_image(query, image)
        if result.reply is None:  # explicit mode always answers; guard the type anyway
            return
        decision = result.decision
        # Text with no error in it ("thanks"), or a failure told in words, is only the asker's.
        answer_private = private or decision.holds_no_error or decision.wants_error_text
        message = await self._answer(interaction, result, notes, answer_private, private, deferred)
        self._record(interaction, result, message, answer_private, started)
        # "/fwerror hello" (or a failure with no error text) gets the unknown-error answer and
        # its button, but pings nobody.
        if not decision.pages_support or interaction.channel is None:
            return
        if message is None and not answer_private:
            message = await interaction.original_response()
        anchor = None if answer_private else message
        request_escalation(
            self.bot,
            result,
            reporter=interaction.user,
            reply=anchor,
            **_case_place(interaction, anchor),
        )

    async def _answer(
        self,
        interaction: discord.Interaction,
        result: Explanation,
        notes: list[str],
        private: bool,
        asked_private: bool,
        deferred: bool,
    ) -> discord.Message | None:
        """Send the answer (`private`: only the asker sees it); the message, if it has one."""
        assert result.reply is not None
        if result.decision.holds_no_error:
            said = "\n\n".join([*notes, NO_ERROR])
            await self._say_privately(interaction, said, deferred and not asked_private)
            return None
        reply = replace(
            result.reply, handoff=server_handoff(self.bot, result.reply, can_thread=not private)
        )
        embed, view = answer_parts(reply, interaction.channel_id or 0, private)
        if deferred:
            if private and not asked_private:
                await interaction.delete_original_response()  # the public "thinking" message
            return await interaction.followup.send(
                "\n\n".join(notes), embed=embed, view=view, wait=True, ephemeral=private
            )
        response = await interaction.response.send_message(
            embed=embed, view=view, ephemeral=private
        )
        return response.resource if isinstance(response.resource, discord.Message) else None

    def _record(
        self,
        interaction: discord.Interaction,
        result: Explanation,
        message: discord.Message | None,
        private: bool,
        started: float,
    ) -> None:
        """Keep what the answer decided, for its buttons, and the decision, for the report."""
        assert result.reply is not None
        if message is not None and interaction.channel is not None:
            support = with_sent_time(
                result.reply.support or support_for(result.redaction.text, self.bot.knowledge),
                interaction.created_at,
            )
            anchor = None if private else message
            remember_answer(
                self.bot,
                result,
                support,
                message,
                author=interaction.user,
                **_case_place(interaction, anchor),
            )
        record_decision(
            self.bot,
            "command",
            result,
            started,
            message or interaction.channel,
            sent=True,
            user=interaction.user,
        )

    async def _say_privately(
        self, interaction: discord.Interaction, text: str, public_deferral: bool
    ) -> None:
        """Tell only the asker; a public "thinking" message is removed first."""
        if not interaction.response.is_done():
            await interaction.response.send_message(text, ephemeral=True)
            return
        if public_deferral:
            await interaction.delete_original_response()
        await interaction.followup.send(text, ephemeral=True)

    async def explain_with_image(
        self, query: str, image: discord.Attachment
    ) -> tuple[Explanation, list[str]]:
        """The query and the screenshot read together, and the notes to show above the answer."""
        bot, knowledge = self.bot, self.bot.knowledge
        reader = bot.reader
        if reader.screenshots is None or reader.downloads is None:
            result = await off_loop(explain, query, knowledge, "explicit")
            return result, [NO_SCREENSHOTS]
        readings = await read_pictures([image], reader.downloads, reader.screenshots, knowledge)
        text = MessageText(query, pictures=readings)
        prepared = await off_loop(prepare_message, text)
        result = await off_loop(
            explain, prepared.logs, knowledge, "explicit", prepared=prepared.matched
        )
        notes = []
        if prepared.pictured.found:  # the picture is the user's own upload: only warn
            record_leak(bot, prepared.pictured)
            warning = leak_warning(prepared.pictured.secrets, "Your screenshot", "the screenshot")
            notes.append(warning)
        if quote := picture_quote(result, prepared.trusted_pictures):
            notes.append(quote)
        if unsure := unsure_notice(prepared.pictures):
            notes.append(unsure)
        if all(reading.refused for reading in readings):  # none, or none of them a picture
            notes.append(NOT_READ)
        return result, notes

    @fwerror.autocomplete("query")
    async def query_choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        # The matcher reads a pasted error here too: off the loop, like every paste.
        entries = await off_loop(suggest, current, self.bot.knowledge)
        return [
            app_commands.Choice(name=choice_name(entry), value=entry.id[:CHOICE_VALUE])
            for entry in entries[:AUTOCOMPLETE_CHOICES]
        ]


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(FwerrorCommand(bot))
