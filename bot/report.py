"""The report: what the bot missed, grouped, so moderators can turn it into knowledge.

Four lists, most frequent first: error reports with no entry (escalated as unknown, or left
unanswered), `/fwerror` queries that matched nothing, answers voted "Didn't help", and
low-confidence matches. Near-identical pastes form one group (rapidfuzz over the excerpt with
numbers, ids, hashes, URLs and model paths masked), with a count, one redacted example and
jump links. Then, per entry: answers, helped, didn't help; and escalations open for over a day.
Everything it reads was cleaned before it was stored; it is cleaned once more on the way out
(`for_storage`: rows kept by an older version may still hold an e-mail address or a password).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rapidfuzz import fuzz, process

from bot.core.controls import without_controls
from bot.core.error_line import error_line
from bot.core.incidents import Incident, describe, incident_json
from bot.core.linear_re import Match, compile_linear
from bot.core.prepare import prepare
from bot.core.redact import for_storage
from bot.core.render import MESSAGE_CHARS, clip_words, one_line

LOW_CONFIDENCE = 0.7  # a match below this is listed (the passive listener answers from 0.55)
SIMILAR = 88  # rapidfuzz ratio (0..100) at or above which two masked pastes are one group
LINKS = 5  # jump links kept per group
CATEGORIES = ("unknown", "no_match", "not_helpful", "low_confidence")
TITLES = {
    "unknown": "Error reports no entry fits (escalated as unknown, or not answered)",
    "no_match": "/fwerror queries that matched nothing",
    "not_helpful": 'Answers marked "Didn\'t help"',
    "low_confidence": f"Low-confidence matches (below {LOW_CONFIDENCE:.0%})",
}

# What varies between two people's copies of one error, cheapest checks first.
_URL = compile_linear(r"https?://\S+")
_MODEL = compile_linear(r"accounts/[\w.-]+/(?:models|deployments)/[\w.:/-]+")
_ID = compile_linear(r"\b(?:req|chatcmpl|cmpl|id)[-_][\w-]{6,}")
_HEX = compile_linear(r"\b[0-9a-f]{12,}\b|\b[0-9a-f]{8}-[0-9a-f-]{27}\b")
_NUMBER = compile_linear(r"\d+(?:\.\d+)*")
MASKED_CHARS = 300


def _number(match: Match) -> str:
    text = match[0]
    return text if len(text) == 3 and text.isdigit() else "<n>"  # statuses tell errors apart


def masked(text: str) -> str:
    """The paste with what varies between two people's copies of one error masked out."""
    text = text[: MASKED_CHARS + 100].lower()
    if "http" in text:
        text = _URL.sub("<url>", text)
    if "accounts/" in text:
        text = _MODEL.sub("accounts/<a>/models/<m>", text)
    text = _NUMBER.sub(_number, _HEX.sub("<hex>", _ID.sub("<id>", text)))
    return " ".join(text.split())[:MASKED_CHARS]


def _since(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


@dataclass
class Group:
    """Near-identical pastes: one redacted example, how many, where, and what they matched."""

    id: str
    key: str
    example: str
    error_line: str = ""  # the example's error line (`bot.core.error_line`): what is shown
    count: int = 0
    jump_links: list[str] = field(default_factory=list)
    entries: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)  # distinct ones, for `new --from-report`
    last_seen: float = 0.0

    def add(self, row: dict[str, Any]) -> None:
        self.count += 1
        self.last_seen = max(self.last_seen, row["created_at"])
        if row["jump_url"] and len(self.jump_links) < LINKS:
            self.jump_links.append(row["jump_url"])
        if row["entry"]:
            self.entries[row["entry"]] = self.entries.get(row["entry"], 0) + 1
        if len(self.examples) < LINKS and row["excerpt"] not in self.examples:
            self.examples.append(row["excerpt"])

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "count": self.count,
            "example": self.example,
            "error_line": self.error_line,
            "jump_links": self.jump_links,
            "entries": self.entries,
            "last_seen": _since(self.last_seen),
        }


def group_rows(rows: Iterable[dict[str, Any]], category: str) -> list[Group]:
    """Group near-identical pastes, most frequent first. Identical masks are grouped by a dict;
    only the distinct masks go through rapidfuzz, against each group's first paste."""
    groups: list[Group] = []
    keys: list[str] = []
    by_mask: dict[str, Group] = {}
    for row in sorted(rows, key=lambda r: r["created_at"]):
        # Grouped by the error line: a traceback's prose and frames differ between two people
        # with one error, its error line doesn't.
        line = error_line(prepare(row["excerpt"])) or ""
        key = masked(line or row["excerpt"])
        group = by_mask.get(key)
        if group is None:
            found = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=SIMILAR)
            if found is not None:
                group = groups[found[2]]
            else:
                digest = hashlib.sha1(f"{category}:{key}".encode()).hexdigest()[:8]
                group = Group(id=digest, key=key, example=row["excerpt"], error_line=line)
                groups.append(group)
                keys.append(key)
            by_mask[key] = group
        group.add(row)
    for group in groups:  # only what is shown: old rows may predate today's cleaning
        group.example = for_storage(group.example)
        group.error_line = for_storage(group.error_line)
        group.examples = [for_storage(example) for example in group.examples]
    return sorted(groups, key=lambda g: (-g.count, -g.last_seen))


def category_of(row: dict[str, Any]) -> list[str]:
    found = []
    if row["entry"] is None:
        found.append("no_match" if row["feature"] == "command" else "unknown")
    elif row["confidence"] < LOW_CONFIDENCE:
        found.append("low_confidence")
    if row["votes"] - row["helped"] > 0:
        found.append("not_helpful")
    return found


@dataclass
class Report:
    since: float
    generated_at: float
    groups: dict[str, list[Group]]
    entries: list[dict[str, Any]]
    open_escalations: list[dict[str, Any]]
    incidents: list[Incident] = field(default_factory=list)  # waves, newest first

    def group(self, group_id: str) -> Group | None:
        for groups in self.groups.values():
            for group in groups:
                if group.id == group_id:
                    return group
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "since": _since(self.since),
            "generated_at": _since(self.generated_at),
            **{name: [g.to_json() for g in self.groups[name]] for name in CATEGORIES},
            "entries": self.entries,
            "open_escalations": self.open_escalations,
            "incidents": [incident_json(i) for i in self.incidents],
        }


def build_report(data: dict[str, list[dict[str, Any]]], since: float) -> Report:
    """The report from `Store.report_data` rows."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in CATEGORIES}
    seen: set[tuple[str, int]] = set()
    for row in data["flagged"]:
        # A message decided twice (redelivered after a restart, a second worker) counts once.
        key = (row["feature"], row["message_id"])
        if row["message_id"] is not None and key in seen:
            continue
        seen.add(key)
        for name in category_of(row):
            rows[name].append(row)
    entries = sorted(
        (
            {
                "entry": row["entry"],
                "code": row["code"],
                "answers": int(row["answers"]),
                "helped": int(row["helped"]),
                "not_helpful": int(row["votes"]) - int(row["helped"]),
            }
            for row in data["entries"]
        ),
        key=lambda e: (-e["answers"], e["entry"]),
    )
    escalations = [
        {
            "key": row["key"],
            "opened": _since(row["created_at"]),
            "state": row["state"],
            "matched": for_storage(row["matched"]),
            "claimed_by": row["claimed_by"],
            "jump_url": row["jump_url"],
        }
        for row in sorted(data["escalations"], key=lambda r: r["created_at"])
    ]
    return Report(
        since=since,
        generated_at=time.time(),
        groups={name: group_rows(rows[name], name) for name in CATEGORIES},
        entries=entries,
        open_escalations=escalations,
    )


async def fetch_report(store: Any, since: float) -> Report:
    """Read the rows, then group them in a worker thread: about a second for 100,000
    decisions, which the bot's event loop must not spend."""
    data = await store.report_data(since, LOW_CONFIDENCE)
    report = await asyncio.to_thread(build_report, data, since)
    report.incidents = await store.recent_incidents(since)
    return report


def format_report(report: Report, *, example_chars: int = 160, links: int = 3) -> str:
    """The report as plain text, for a terminal (and, cut, for Discord)."""
    lines = [
        f"fwerror report since {_since(report.since)} (generated {_since(report.generated_at)})",
    ]
    for name in CATEGORIES:
        groups = report.groups[name]
        total = sum(g.count for g in groups)
        lines += ["", f"{TITLES[name]}: {total} in {len(groups)} group(s)"]
        for group in groups:
            matched = ", ".join(f"{e} x{n}" for e, n in group.entries.items())
            lines.append(
                f"  [{group.id}] x{group.count}  "
                f"{one_line(group.error_line or group.example, example_chars)}"
                + (f"  (matched {matched})" if matched else "")
            )
            lines += [f"      {url}" for url in group.jump_links[:links]]
    lines += ["", "Entries: answers, helped, didn't help"]
    lines += [
        f"  {e['entry']:<40} {e['answers']:>6} {e['helped']:>6} {e['not_helpful']:>6}"
        for e in report.entries
    ] or ["  (no answers in this period)"]
    lines += ["", f"Escalations open for more than a day: {len(report.open_escalations)}"]
    for escalation in report.open_escalations:
        who = (
            f"claimed by <@{escalation['claimed_by']}>" if escalation["claimed_by"] else "unclaimed"
        )
        lines.append(
            f"  {escalation['opened']}  {one_line(escalation['matched'], 80)}  {who}  "
            f"{escalation['jump_url']}"
        )
    lines += ["", f"Incidents (waves of one server-side error): {len(report.incidents)}"]
    lines += [f"  {describe(incident)}" for incident in report.incidents]
    lines += ["", "Turn a group into knowledge: python -m bot new <code> <slug> --from-report <id>"]
    return "\n".join(lines)


def corpus_lines(report: Report) -> list[str]:
    """Each group's examples as unlabelled corpus cases (`expected` to be filled in)."""
    out = []
    for name in CATEGORIES:
        for group in report.groups[name]:
            for example in group.examples:
                case = {
                    "text": example,
                    "expected": None,
                    "note": f"report {name} group {group.id} (x{group.count}): label me",
                }
                out.append(json.dumps(case, ensure_ascii=False))
    return out


SINCE = compile_linear(r"(\d+)\s*([smhdw])")
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_since(value: str) -> float:
    """'7d', '12h', '2w' as seconds; raises ValueError otherwise."""
    match = SINCE.fullmatch(value.strip().lower())
    if not match or int(match[1]) == 0:
        raise ValueError(f"expected a duration like 7d, 12h or 2w, got {value[:20]!r}")
    return int(match[1]) * UNITS[match[2]]


REPORT_FILE = "fwerror-report.md"
SUMMARY_GROUPS = 3  # per category, in the Discord message; the file has every group


def _one_line(text: str, chars: int) -> str:
    """On one line, cut after a whole word."""
    return clip_words(" ".join(text.split()), chars)


def _escaped(text: str) -> str:
    """Pasted text shown as typed in Markdown: its own Markdown escaped, on one line."""
    from discord.utils import escape_markdown

    return escape_markdown(" ".join(text.split()), as_needed=False)


def _group_line(group: Group, chars: int, links: int) -> str:
    jumps = " ".join(f"[jump {n}](<{url}>)" for n, url in enumerate(group.jump_links[:links], 1))
    matched = ", ".join(f"{e} x{n}" for e, n in group.entries.items())
    return (
        f"- **x{group.count}** {_escaped(_one_line(group.error_line or group.example, chars))}"
        + (f" (matched {matched})" if matched else "")
        + (f" {jumps}" if jumps else "")
        + f" `{group.id}`"
    )


def markdown_report(report: Report) -> str:
    """The whole report as a Markdown file: every group with its error line and clickable
    jump links, the entries' votes and the escalations still open."""
    lines = [
        f"# fwerror report since {_since(report.since)}",
        f"Generated {_since(report.generated_at)}.",
    ]
    for name in CATEGORIES:
        groups = report.groups[name]
        lines += [
            "",
            f"## {TITLES[name]}: {sum(g.count for g in groups)} in {len(groups)} group(s)",
        ]
        lines += [_group_line(group, 300, LINKS) for group in groups] or ["- none"]
    lines += ["", "## Entries: answers, helped, didn't help", ""]
    lines += ["| entry | answers | helped | didn't help |", "|---|---:|---:|---:|"]
    lines += [
        f"| {e['entry']} | {e['answers']} | {e['helped']} | {e['not_helpful']} |"
        for e in report.entries
    ]
    lines += ["", f"## Escalations open for more than a day: {len(report.open_escalations)}"]
    lines += [_escalation_line(e) for e in report.open_escalations]
    lines += ["", f"## Incidents (waves of one server-side error): {len(report.incidents)}"]
    lines += [f"- {_escaped(describe(incident))}" for incident in report.incidents]
    lines += [
        "",
        "Turn a group into knowledge: `python -m bot new <code> <slug> --from-report <id>`",
    ]
    return without_controls("\n".join(lines)) + "\n"


def _escalation_line(escalation: dict[str, Any]) -> str:
    who = f"claimed by <@{escalation['claimed_by']}>" if escalation["claimed_by"] else "unclaimed"
    return (
        f"- {escalation['opened']} {_escaped(_one_line(escalation['matched'], 80))}, {who}: "
        f"[jump](<{escalation['jump_url']}>)"
    )


def discord_report(report: Report, limit: int = MESSAGE_CHARS) -> str:
    """A readable summary for `/fwerror-admin report`: each category's count and its biggest
    groups by their error line, with clickable jump links; the file holds everything."""
    from bot.core.mentions import defuse_mentions

    lines = [f"**fwerror report, since {_since(report.since)[:10]}** (every group is in the file)"]
    for name in CATEGORIES:
        groups = report.groups[name]
        lines += [
            "",
            f"**{TITLES[name]}**: {sum(g.count for g in groups)} in {len(groups)} group(s)",
        ]
        lines += [_group_line(group, 90, 1) for group in groups[:SUMMARY_GROUPS]]
    opened = report.open_escalations
    lines += ["", f"**Escalations open for more than a day: {len(opened)}**"]
    lines += [_escalation_line(e) for e in opened[:SUMMARY_GROUPS]]
    kept: list[str] = []
    used = 0
    for line in lines:  # whole lines only: a cut never lands inside a link
        if used + len(line) + 1 > limit:
            break
        kept.append(line)
        used += len(line) + 1
    return defuse_mentions(without_controls("\n".join(kept)))
