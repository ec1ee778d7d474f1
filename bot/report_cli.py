"""`python -m bot report` and `python -m bot new --from-report`: from the store to knowledge.

The database is the bot's (`FWERROR_DATABASE_URL`, `DATABASE_URL`, or the SQLite default),
or `--database URL`. What is printed holds users' pastes, so it reaches the terminal without
escape sequences or controls (`say`); what is written for a pull request holds no personal
data or credentials (`for_storage`, again, whatever the store holds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

import yaml

from bot.core.controls import without_controls
from bot.core.redact import for_storage
from bot.report import Report, corpus_lines, format_report, parse_since
from bot.store.private import write_private

DEFAULT_SINCE = "7d"


def say(text: str, *, error: bool = False) -> None:
    """Print `text` for a terminal: nothing in it can move the cursor, set the clipboard or
    hide a link."""
    print(without_controls(text), file=sys.stderr if error else sys.stdout)


def _database(args: argparse.Namespace) -> str | None:
    if args.database:
        return args.database
    from bot.settings import SettingsError, load_settings

    try:
        return load_settings().database_url
    except SettingsError as error:
        say(f"fwerror: {error}", error=True)
        raise SystemExit(2) from None


async def _read(url: str, since: float) -> Report:
    from bot.report import fetch_report
    from bot.store.store import Store

    store = Store(url)
    try:
        await store.open()
        return await fetch_report(store, since)
    finally:
        await store.close()


def load_report(args: argparse.Namespace) -> Report | None:
    """The report, or None after printing why there is none."""
    try:
        since = parse_since(args.since)
    except ValueError as error:
        say(f"fwerror: --since: {error}", error=True)
        return None
    url = _database(args)
    if url is None:
        say("fwerror: no store (FWERROR_DATABASE_URL=none): nothing to report", error=True)
        return None
    from bot.store.store import StoreUnavailable
    from bot.store.url import DatabaseUrlError, describe

    try:
        import time

        return asyncio.run(_read(url, time.time() - since))
    except DatabaseUrlError as error:
        say(f"fwerror: --database: {error}", error=True)
    except StoreUnavailable as error:
        say(f"fwerror: can't read {describe(url)}: {error}", error=True)
    return None


def cmd_report(args: argparse.Namespace) -> int:
    report = load_report(args)
    if report is None:
        return 2
    if args.corpus:
        lines = corpus_lines(report)
        write_private(Path(args.corpus), "".join(f"{line}\n" for line in lines))  # users' text
        say(f"Wrote {len(lines)} unlabelled case(s) to {args.corpus}", error=True)
    if args.json:
        say(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        say(format_report(report))
    return 0


def add_report(command) -> None:
    """Register `report` with the CLI's `command(name, func, help)`."""
    p = command("report", cmd_report, "what the bot missed: unknown errors, no match, feedback")
    p.add_argument("--since", default=DEFAULT_SINCE, help="how far back, e.g. 7d, 24h, 2w")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--corpus", metavar="FILE", help="also write the groups as .jsonl cases")
    p.add_argument("--database", metavar="URL", help="the store to read (default: the bot's)")


def extend_new(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from-report", metavar="GROUP", help="use a report group's pastes as examples")
    p.add_argument("--into", metavar="ENTRY", help="add them to this existing entry instead")
    p.add_argument("--since", default=DEFAULT_SINCE, help="the report's period (default 7d)")
    p.add_argument("--database", metavar="URL", help="the store to read (default: the bot's)")


def _block(examples: list[str], indent: str) -> str:
    """YAML list items, each a literal block so tracebacks keep their lines; for a public pull
    request, so without personal data, credentials or invisible characters."""
    clean = [without_controls(for_storage(example)) for example in examples]
    dumped = yaml.safe_dump(clean, allow_unicode=True, default_style="|", width=10_000)
    return "".join(f"{indent}{line}\n" if line else "\n" for line in dumped.splitlines())


def add_examples(path: Path, examples: list[str]) -> None:
    """Append `examples` at the end of the `examples:` list in an entry file, keeping the rest."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("examples:")), None)
    if start is None:
        lines.append("examples:\n")
        start = len(lines) - 1
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " -#"):
        end += 1
    lines.insert(end, _block(examples, "  "))
    path.write_text("".join(lines), encoding="utf-8")


def replace_todo_examples(path: Path, examples: list[str]) -> None:
    """In a fresh scaffold, put `examples` where the TODO examples were."""
    text = path.read_text(encoding="utf-8")
    head, sep, _ = text.partition("\nexamples:\n")
    path.write_text(f"{head}{sep}{_block(examples, '  ')}", encoding="utf-8")


def cmd_new_from_report(args: argparse.Namespace, directory: Path) -> int:
    from bot.knowledge.scaffold import NEXT_STEPS, ScaffoldError, new_entry

    report = load_report(args)
    if report is None:
        return 2
    group = report.group(args.from_report)
    if group is None:
        say(f"fwerror: no group {args.from_report!r} in the report (--since {args.since})")
        return 2
    if args.into:
        path = next((p for p in directory.glob(f"{args.into}.y*ml") if p.stem == args.into), None)
        if path is None:
            print(f"fwerror: no entry {args.into!r} in {directory}", file=sys.stderr)
            return 2
        add_examples(path, group.examples)
        print(f"Added {len(group.examples)} example(s) to {path}; run python -m bot check")
        return 0
    if args.code is None or not args.slug:
        print("fwerror: give the new entry's code and slug, or --into ENTRY", file=sys.stderr)
        return 2
    try:
        path = new_entry(directory, args.code, args.slug)
    except ScaffoldError as error:
        print(f"fwerror: {error}", file=sys.stderr)
        return 2
    replace_todo_examples(path, group.examples)
    print(f"Wrote {path} with {len(group.examples)} example(s) from group {group.id}\n")
    print(NEXT_STEPS)
    return 0
