"""The `/fwerror-list` pages: "Previous" / "Next", and the select menu that opens an entry.

Both keep their state (the page) in their custom_id, like every other component of the bot,
so they work after a restart.
"""

from __future__ import annotations

import re
from typing import Self

import discord

from bot.core.catalogue import Page, catalogue_page, compact_lines
from bot.core.model import Knowledge
from bot.core.render import (
    ANSWER_COLOUR,
    EMBED_DESCRIPTION,
    SELECT_DESCRIPTION,
    SELECT_LABEL,
    first_sentence,
    shorten,
)
from bot.views.answer import GONE, show_entry
from bot.views.base import StateButton, Stateful

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


class PageButton(StateButton, template=PAGE_TEMPLATE):
    """ "Previous" / "Next": show page `page` of the catalogue in place."""

    def __init__(self, page: int, label: str = "Page") -> None:
        super().__init__(
            f"fwerror:list:{max(page, 0)}", label, discord.ButtonStyle.secondary, row=1
        )
        self.page = max(page, 0)

    @classmethod
    def parse(cls, match: re.Match[str]) -> Self:
        return cls(int(match["page"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        embed, view = page_message(interaction.client.knowledge, self.page)  # type: ignore[attr-defined]
        await interaction.response.edit_message(embed=embed, view=view)


class EntryPicker(Stateful[discord.ui.Select], template=PICK_TEMPLATE):
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
    def parse(cls, match: re.Match[str]) -> Self:
        return cls(int(match["page"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        knowledge = interaction.client.knowledge  # type: ignore[attr-defined]
        chosen = self.item.values[0] if self.item.values else ""
        entry = knowledge.by_id.get(chosen)
        if entry is None:
            await interaction.response.send_message(GONE, ephemeral=True)
            return
        await show_entry(interaction, entry, knowledge)
