"""`/fwerror-admin reload|status|report|incidents`: moderators put merged knowledge live and
see what is running.

Only members with Manage Server or the moderator role may use it; anyone else gets
`NotModerator`, which the bot's command tree answers. The reload itself is
`FwerrorBot.reload_knowledge`, the same one SIGHUP runs.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import FwerrorBot, NotModerator
from bot.core.incidents import describe
from bot.core.mentions import defuse_mentions
from bot.core.render import FIELD_VALUE, MESSAGE_CHARS, shorten
from bot.knowledge.reload import KnowledgeDiff, Reload

IDS_CHARS = 400  # each "Added: ..." line lists ids up to this, then counts the rest
PROBLEM_CHARS = 500  # one long problem must not crowd out all the others
STATUS_COLOUR = 0x5865F2
REPORT_SECONDS = 7 * 86400


def is_moderator(interaction: discord.Interaction) -> bool:
    """App-command check: Manage Server, or the configured moderator role; else `NotModerator`."""
    permissions = interaction.permissions
    if permissions.manage_guild or permissions.administrator:
        return True
    client, user = interaction.client, interaction.user
    role_id = client.settings.moderator_role_id if isinstance(client, FwerrorBot) else None
    if role_id is not None and isinstance(user, discord.Member) and user.get_role(role_id):
        return True
    raise NotModerator


def listed(items: Sequence[str], limit: int, separator: str) -> str:
    """As many whole items as fit in `limit` characters, then "… and N more"."""
    shown: list[str] = []
    used = 0
    for index, item in enumerate(items):
        rest = len(items) - index - 1
        tail = len(f"{separator}… and {rest} more") if rest else 0
        cost = len(item) + (len(separator) if shown else 0)
        if used + cost + tail > limit:
            return separator.join([*shown, f"… and {len(items) - index} more"])
        shown.append(item)
        used += cost
    return separator.join(shown)


def reload_report(result: Reload) -> str:
    """The moderator's ephemeral answer: what changed, or every problem as `file:line`."""
    old = result.old
    if result.new is None:
        head = (
            f"Reload failed: {len(result.problems)} problem(s), so nothing changed. Still "
            f"serving version `{old.version}` ({len(old.entries)} entries). Fix these, then "
            "reload again:\n```\n"
        )
        foot = "\n```"
        # A lookalike for the backtick, so a quoted key can't close the code block.
        lines = [
            shorten(defuse_mentions(str(p)).replace("`", "\u02cb"), PROBLEM_CHARS)
            for p in result.problems
        ]
        return head + listed(lines, MESSAGE_CHARS - len(head) - len(foot), "\n") + foot
    new = result.new
    head = (
        f"Reloaded: version `{old.version}` → `{new.version}`, {len(new.entries)} entries "
        f"(was {len(old.entries)})."
    )
    return shorten("\n".join([head, *_changes(result.diff)]), MESSAGE_CHARS)


def _changes(diff: KnowledgeDiff | None) -> list[str]:
    if diff is None:
        return []
    lines = [
        f"{label.capitalize()} ({len(ids)}): {listed(ids, IDS_CHARS, ', ')}"
        for label, ids in diff.groups()
    ]
    if diff.tips_changed:
        lines.append("tips.yaml changed.")
    return lines or ["No entry changed."]


def duration(seconds: float) -> str:
    """An uptime people read at a glance: `3 d 4 h`, `2 h 5 min`, `42 s`."""
    seconds = int(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {secs} s" if minutes else f"{secs} s"


async def admin_report(bot: FwerrorBot) -> tuple[str, discord.File | None]:
    """The last 7 days: a readable summary and the whole report as a Markdown file, or why
    there is none."""
    from bot.report import REPORT_FILE, discord_report, markdown_report
    from bot.store.store import StoreUnavailable

    if not bot.store.configured:
        return "No report: this bot runs without a store (FWERROR_DATABASE_URL=none).", None
    try:
        report = await bot.store.report(REPORT_SECONDS)
    except StoreUnavailable:
        return "No report: the database is unreachable right now. Try again in a few minutes.", None
    whole = io.BytesIO(markdown_report(report).encode())
    return discord_report(report, MESSAGE_CHARS), discord.File(whole, REPORT_FILE)


async def admin_incidents(bot: FwerrorBot) -> str:
    """The waves of the last 7 days, newest first, in whole lines within one message."""
    incidents = await bot.waves.recent(REPORT_SECONDS)
    if not incidents:
        return "No incidents in the last 7 days."
    rule = bot.waves.rules
    head = (
        f"**Incidents in the last 7 days** (a wave: {rule.people} people within {rule.minutes} min)"
    )
    lines = [head]
    for incident in incidents:
        line = defuse_mentions(describe(incident))
        if len("\n".join([*lines, line])) > MESSAGE_CHARS - 40:
            lines.append(f"… and {len(incidents) - len(lines) + 1} more: `python -m bot report`")
            break
        lines.append(line)
    return "\n".join(lines)


def status_page_text(bot: FwerrorBot) -> str:
    page = bot.status_page
    if page is None:
        return "not configured (FWERROR_STATUS_PAGE_URL)"
    line = page.line() or "not read yet"
    return shorten(f"{line}\nLast poll failed: {page.error}" if page.error else line, FIELD_VALUE)


class Admin(commands.Cog):
    admin = app_commands.Group(
        name="fwerror-admin",
        description="Moderators: reload the knowledge, see what the bot runs, read the report",
        guild_only=True,
    )

    def __init__(self, bot: FwerrorBot) -> None:
        self.bot = bot
        self.started_at = discord.utils.utcnow()

    # Refusals (`NotModerator`) are answered by the bot's command tree.

    @admin.command(name="reload", description="Check the knowledge directory and load it if valid")
    @app_commands.check(is_moderator)
    async def reload(self, interaction: discord.Interaction) -> None:
        # The full check runs every example: it may take longer than Discord's 3 s.
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.bot.reload_knowledge(
            f"/fwerror-admin reload by user {interaction.user.id}"
        )
        await interaction.followup.send(
            reload_report(result),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @admin.command(name="report", description="What the bot missed in the last 7 days")
    @app_commands.check(is_moderator)
    async def report(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        summary, whole = await admin_report(self.bot)
        await interaction.followup.send(
            summary,
            file=whole or discord.utils.MISSING,
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    @admin.command(name="status", description="Knowledge version, entry count, uptime, latency")
    @app_commands.check(is_moderator)
    async def status(self, interaction: discord.Interaction) -> None:
        knowledge = self.bot.knowledge
        latency = self.bot.latency
        embed = discord.Embed(title="fwerror status", colour=STATUS_COLOUR)
        embed.add_field(name="Knowledge version", value=f"`{knowledge.version}`")
        embed.add_field(name="Entries", value=str(len(knowledge.entries)))
        embed.add_field(name="Loaded", value=discord.utils.format_dt(knowledge.loaded_at, "R"))
        uptime = (discord.utils.utcnow() - self.started_at).total_seconds()
        embed.add_field(
            name="Uptime",
            value=f"{duration(uptime)} (since {discord.utils.format_dt(self.started_at, 'R')})",
        )
        embed.add_field(
            name="Gateway latency",
            value=f"{latency * 1000:.0f} ms" if math.isfinite(latency) else "not measured yet",
        )
        embed.add_field(
            name="Knowledge directory",
            value=f"`{shorten(str(knowledge.directory), FIELD_VALUE - 2)}`",
            inline=False,
        )
        embed.add_field(name="Status page", value=status_page_text(self.bot), inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @admin.command(name="incidents", description="Waves of one server-side error, last 7 days")
    @app_commands.check(is_moderator)
    async def incidents(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send(
            await admin_incidents(self.bot),
            ephemeral=True,
            allowed_mentions=discord.AllowedMentions.none(),
        )


async def setup(bot: FwerrorBot) -> None:
    await bot.add_cog(Admin(bot))
