"""`/fwerror-list`: browse every entry, grouped by status, and open one from a select menu.

A command of its own, so `/fwerror 502` keeps working as typed. The list is private to whoever
asked. Its page buttons and its select menu keep their state (the page) in their custom_id,
like every other component of the bot, so they work after a restart. This feature also
registers the "More" button that short answers carry (`bot.more_button`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import within_command_rate
from bot.button_rate import allow_press
from bot.core.catalogue import Page, catalogue_page, compact_lines
from bot.core.explain import entry_reply
from bot.core.model import Knowledge
from bot.core.render import (
    ANSWER_COLOUR,
    EMBED_DESCRIPTION,
    SELECT_DESCRIPTION,
    SELECT_LABEL,
    first_sentence,
    render_embed,
    shorten,
)
from bot.more_button import GONE, MoreButton

if TYPE_CHECKING:
    from bot.bot import FwerrorBot

PAGE_TEMPLATE = r"fwerror:list:(?P<page>[0-9]{1,4})"
PICK_TEMPLATE = r"fwerror:pick:(?P<page>[0-9]{1,4})"
TITLE = "What I know: {count} errors"
HOW = "Pick one below to read its answer, or type `/fwerror` with a code or your error text."


def page_embed(page: Page, total: int) -> discord.Embed:
    """Compact for a phone: one line per status, its heading once (`compact_lines`)."""
    body = "\n".join(compact_lines(page))
    description = shorten(f"{HOW}\n\n{body}", EMBED_DESCRIPTION)
    embed = discord.Embed(title=TITLE.format(count=total), description=description)
    embed.colour = ANSWER_COLOUR
    embed.set_footer(text=f"Page {page.number + 1} of {page.count}")
    return embed


def page_view(page: Page) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(EntryPicker(page))
    if page.count > 1:
        for label, number in (("Previous", page.number - 1), ("Next", page.number + 1)):
            button = PageButton(number, label)
            button.item.disabled = not 0 <= number < page.count
            view.add_item(button)
    return view


def page_message(knowledge: Knowledge, number: int) -> tuple[discord.Embed, discord.ui.View]:
    page = catalogue_page(knowledge, number)
    return page_embed(page, len(knowledge.entries)), page_view(page)


class PageButton(discord.ui.DynamicItem[discord.ui.Button], template=PAGE_TEMPLATE):
    """ "Previous" / "Next": show page `page` of the catalogue in place."""

    def __init__(self, page: int, label: str = "Page") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=f"fwerror:list:{max(page, 0)}",
                row=1,
            )
        )
        self.page = max(page, 0)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str], /
    ) -> PageButton:
        return cls(int(match["page"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await allow_press(interaction)

    async def callback(self, interaction: discord.Interaction) -> None:
        embed, view = page_message(interaction.client.knowledge, self.page)  # type: ignore[attr-defined]
        await interaction.response.edit_message(embed=embed, view=view)


class EntryPicker(discord.ui.DynamicItem[discord.ui.Select], template=PICK_TEMPLATE):
    """The select menu of one page: choosing an entry shows its whole answer, privately."""

    def __init__(self, page: Page | int) -> None:
        number = page.number if isinstance(page, Page) else page
        entries = page.entries if isinstance(page, Page) else ()
        options = [
            discord.SelectOption(
                label=shorten(entry.title, SELECT_LABEL),
                value=entry.id,
                description=shorten(first_sentence(entry.cause), SELECT_DESCRIPTION),
            )
            for entry in entries
        ]
        super().__init__(
            discord.ui.Select(
                custom_id=f"fwerror:pick:{number}",
                placeholder="Open an entry…",
                options=options or [discord.SelectOption(label="-", value="-")],
                row=0,
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Select, match: re.Match[str], /
    ) -> EntryPicker:
        return cls(int(match["page"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await allow_press(interaction)

    async def callback(self, interaction: discord.Interaction) -> None:
        knowledge = interaction.client.knowledge  # type: ignore[attr-defined]
        chosen = self.item.values[0] if self.item.values else ""
        entry = knowledge.by_id.get(chosen)
        if entry is None:
            await interaction.response.send_message(GONE, ephemeral=True)
            return
        embed = discord.Embed.from_dict(render_embed(entry_reply(entry, knowledge)))
        await interaction.response.send_message(embed=embed, ephemeral=True)


class Catalogue(commands.Cog):
    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(MoreButton, PageButton, EntryPicker)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(MoreButton, PageButton, EntryPicker)

    @app_commands.command(name="fwerror-list", description="Browse every error fwerror knows")
    @app_commands.check(within_command_rate)
    async def fwerror_list(self, interaction: discord.Interaction) -> None:
        embed, view = page_message(self.bot.knowledge, 0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(Catalogue(bot))
