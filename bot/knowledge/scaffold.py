"""`python -m bot new <code> <slug>`: start a knowledge entry with every field and its rules.

The placeholders say TODO, and validation rejects any field still holding one, so a half-filled
scaffold can never be merged by accident.
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from bot.knowledge.validate import CODE_RANGE, ID_LENGTH, SLUG

ESCALATED_CODES = (500, 520)  # server-side faults that need humans, per the knowledge format

NEXT_STEPS = """\
Next steps:
  1. Open the file and replace every TODO: title, cause, fix and at least 3 examples
     (real pastes of different shapes: an SDK exception, a traceback, a user's sentence).
  2. Fill in aliases, patterns and tips, or delete those optional lists.
  3. If other entries share this code, mark exactly one of them 'generic: true'.
  4. Run `python -m bot check` until it reports no problems: it proves every example
     resolves to this entry, then open a pull request with the one new file.
"""

_TEMPLATE = Template("""\
# One known error: a status code and one distinct cause of it. Format: knowledge/README.md
# Replace every TODO, then run: python -m bot check

# Must equal the file name without .yaml.
id: $id
# The HTTP status code, a number from 400 to 599.
code: $code
# One-line headline shown as the answer's title (at most 256 characters).
title: "TODO: $code <Reason Phrase>: <what went wrong, in a few words>"
# When several entries share this code, exactly one is generic: true, the one that answers
# when nothing more specific fits. The only entry of a code is generic without the flag.
generic: false
# true only for server-side faults that need humans (500, 520): the bot escalates to support.
escalate: $escalate
# true when many people reporting this at once means the server is in trouble (an outage).
outage: $outage
# Users read title, cause, fix and tips: write to the person who got the error.
# Why this happens, in our own words (20 to 600 characters). A short answer shows the first
# sentence alone (at most 220 characters), so make it say the most.
cause: >
  TODO: explain why this error happens.
# What to do, as concrete steps (20 to 1024 characters). Markdown: "- " bullets, `code`.
# A short answer shows the first two steps, so put the likeliest fix first.
fix: |
  - TODO: the first thing to check or change.
# Optional: extra hints specific to this entry (at most 5, each at most 300 characters).
tips:
  - "TODO: an extra hint, or delete the tips list."
# Optional, for moderators only and never shown: history, other spellings of the message,
# which library raises what (at most 2000 characters).
notes: >
  TODO: what a moderator should know about this entry, or delete notes.
# An https link to the most specific documentation page.
docs: https://docs.fireworks.ai/guides/inference-error-codes
# Optional: phrases people type for this error (2 to 100 characters; one entry per alias).
# Typos need no alias: fuzzy matching covers them.
aliases:
  - "TODO: a phrase people type, or delete the aliases list"
# Optional: message strings that identify THIS entry (one entry per pattern). A plain string
# matches case-insensitively and needs at least 8 characters; for a regex write
#   - regex: 'prompt is too long: \\d+'
# (RE2 syntax: no look-around such as (?!...), no backreferences such as \\1).
patterns:
  - "TODO: a message string from the error body, or delete the patterns list"
# At least 3 realistic pastes of different shapes. `python -m bot check` proves that each one
# resolves to this entry, and that the bot answers it when pasted in a help channel.
examples:
  - "TODO: an SDK exception line, e.g. openai.SomeError: Error code: $code - {...}"
  - |
    TODO: a traceback or raw HTTP response
  - "TODO: how a user describes the error in chat"
""")


class ScaffoldError(ValueError):
    """The entry cannot be created; the message says why and what to do instead."""


def new_entry(directory: Path, code: int, slug: str) -> Path:
    """Write `<code>-<slug>.yaml` in `directory` with every field, and return its path."""
    low, high = CODE_RANGE
    if isinstance(code, bool) or not isinstance(code, int) or not low <= code <= high:
        raise ScaffoldError(f"code must be an HTTP error status from {low} to {high}, not {code!r}")
    if slug.startswith(f"{code}-"):
        raise ScaffoldError(
            f"leave the code out of the slug: use {slug.removeprefix(f'{code}-')!r}"
        )
    entry_id = f"{code}-{slug}"
    if not SLUG.fullmatch(slug) or len(entry_id) > ID_LENGTH[1]:
        raise ScaffoldError(
            f"slug must be lowercase letters, digits and dashes, like 'rate-limit', and the id "
            f"'{entry_id}' at most {ID_LENGTH[1]} characters; got {slug!r}"
        )
    if not directory.is_dir():
        raise ScaffoldError(f"{directory} is not a directory — pass the knowledge directory")
    path = directory / f"{entry_id}.yaml"
    if (directory / f"{entry_id}.yml").exists():
        raise ScaffoldError(f"{entry_id}.yml already exists — edit it instead")
    text = _TEMPLATE.substitute(
        id=entry_id,
        code=code,
        escalate="true" if code in ESCALATED_CODES else "false",
        outage="true" if code >= 500 else "false",
    )
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path.name} already exists — edit it instead") from None
    return path
