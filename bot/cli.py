"""The command line: explain, eval, check, new, and running the bot itself."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path
from typing import BinaryIO, TextIO

from bot import report_cli
from bot.core.controls import without_controls
from bot.core.explain import explain
from bot.core.redact import leak_warning
from bot.core.render import render_text
from bot.knowledge.load import KnowledgeError, load_knowledge

# A huge paste is read as its head and its tail, each far more than the core keeps
# (bot/core/prepare.py), so memory stays bounded and the error at the end is not lost.
STDIN_HEAD = 4 * 1024 * 1024
STDIN_TAIL = 4 * 1024 * 1024
STDIN_CHUNK = 1024 * 1024
CUT_MARK = b"\n...\n"
NO_TOKEN = """\
fwerror: DISCORD_TOKEN is not set, so the bot can't connect to Discord.

To run the bot, create an application at https://discord.com/developers/applications,
copy its bot token, and put it in the environment or a .env file:

    cp .env.example .env   # then edit DISCORD_TOKEN=...
    python -m bot

To try fwerror offline, no token needed:

    python -m bot explain "openai.RateLimitError: Error code: 429"
"""


def _read_text(value: str, stdin: TextIO) -> str:
    """The argument itself, or stdin when it is '-' (decoded leniently, head and tail only)."""
    if value != "-":
        return value
    stream = stdin.buffer if hasattr(stdin, "buffer") else io.BytesIO(stdin.read().encode())
    head, tail, skipped = read_head_and_tail(stream, STDIN_HEAD, STDIN_TAIL)
    if skipped:
        print(
            f"fwerror: input over {(STDIN_HEAD + STDIN_TAIL) // 2**20} MiB; reading its first "
            f"{STDIN_HEAD // 2**20} MiB and its last {STDIN_TAIL // 2**20} MiB.",
            file=sys.stderr,
        )
        head += CUT_MARK
    return (head + tail).decode("utf-8", errors="replace")


def read_head_and_tail(
    stream: BinaryIO, head_bytes: int, tail_bytes: int
) -> tuple[bytes, bytes, int]:
    """The first `head_bytes`, the last `tail_bytes` after them, and how many were skipped.

    Holds at most `head_bytes + tail_bytes + STDIN_CHUNK` bytes, however long the stream.
    """
    head = stream.read(head_bytes)
    tail = bytearray()
    skipped = 0
    while chunk := stream.read(STDIN_CHUNK):
        tail += chunk
        if len(tail) > tail_bytes:
            skipped += len(tail) - tail_bytes
            del tail[:-tail_bytes]
    return head, bytes(tail), skipped


def _knowledge(directory: str | None):
    try:
        return load_knowledge(Path(directory) if directory else None)
    except KnowledgeError as error:
        print(f"fwerror: the knowledge base is invalid:\n{error}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_explain(args: argparse.Namespace) -> int:
    if args.text is None and args.image is None:
        print(
            "fwerror: explain needs the error text, '-' for stdin, or --image FILE", file=sys.stderr
        )
        return 2
    knowledge = _knowledge(args.knowledge)
    text = _read_text(args.text, sys.stdin) if args.text is not None else ""
    if args.image is None:
        result, notes = explain(text, knowledge, args.mode), []
    else:
        from bot.screenshot_cli import explain_picture

        explained = explain_picture(text, args.image, knowledge, args.mode)
        if explained is None:
            return 2
        result, notes = explained
    if result.redaction.found:
        print(f"warning: {leak_warning(result.redaction.secrets)}", file=sys.stderr)
    if args.json:
        print(json.dumps(result.decision.to_json(), indent=2))
        return 0
    for note in notes:
        print(note)
    if result.reply is None:
        print("fwerror would stay quiet: this doesn't look like a Fireworks API error report.")
    else:
        print(without_controls(render_text(result.reply)))  # it quotes the paste
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from bot.knowledge.check import check_knowledge

    problems = check_knowledge(Path(args.knowledge) if args.knowledge else None)
    for problem in problems:
        print(without_controls(str(problem)))
    if problems:
        print(f"\n{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    knowledge = _knowledge(args.knowledge)
    examples = sum(len(e.examples) for e in knowledge.entries)
    print(f"OK: {len(knowledge.entries)} entries, {examples} examples, version {knowledge.version}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from bot.knowledge.load import default_knowledge_dir
    from bot.knowledge.scaffold import NEXT_STEPS, ScaffoldError, new_entry

    directory = Path(args.knowledge) if args.knowledge else default_knowledge_dir()
    if args.from_report:
        from bot.report_cli import cmd_new_from_report

        return cmd_new_from_report(args, directory)
    if args.code is None or args.slug is None:
        print("fwerror: new needs a code and a slug, e.g. new 429 my-new-cause", file=sys.stderr)
        return 2
    try:
        path = new_entry(directory, args.code, args.slug)
    except ScaffoldError as error:
        print(f"fwerror: {error}", file=sys.stderr)
        return 2
    print(f"Wrote {path}\n\n{NEXT_STEPS}")
    return 0


def cmd_eval_screenshots(args: argparse.Namespace) -> int:
    from bot.screenshots.engine import EXTRA, available

    if not available():
        print(f"fwerror: scoring screenshots needs the OCR engine: {EXTRA}", file=sys.stderr)
        return 2
    from bot.screenshots.score import corpus_samples, format_scores, score, summary

    knowledge = _knowledge(args.knowledge)
    try:
        samples = corpus_samples(args.only, args.pictures)
    except ModuleNotFoundError:
        print("fwerror: eval --screenshots runs from a checkout (it needs tools/)", file=sys.stderr)
        return 2
    results = score(samples, knowledge, args.cache)
    data = summary(results)
    print(json.dumps(data, indent=2) if args.json else format_scores(results))
    share = data["same_verdict_share"]
    if args.min_accuracy is not None and share < args.min_accuracy:
        print(
            f"fwerror: screenshot agreement {share:.3f} is below {args.min_accuracy}",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    if args.screenshots:
        return cmd_eval_screenshots(args)
    if not args.files:
        print("fwerror: eval needs corpus files, or --screenshots", file=sys.stderr)
        return 2
    from bot.core.evaluate import (
        CorpusError,
        compare,
        evaluate,
        format_changes,
        format_report,
        load_corpus,
        report_json,
    )

    try:
        cases = load_corpus([Path(p) for p in args.files])
    except CorpusError as error:
        print(f"fwerror: {error}", file=sys.stderr)
        return 2
    knowledge = _knowledge(args.knowledge)
    report = evaluate(cases, knowledge, mode=args.mode)
    changes = compare(cases, _knowledge(args.baseline), knowledge) if args.baseline else None
    if args.json:
        summary = report_json(report)
        if changes is not None:
            summary["changes"] = [change.to_json() for change in changes]
        print(json.dumps(summary, indent=2))
    else:
        print(without_controls(format_report(report)))  # it quotes the corpus
        if changes is not None:
            print(without_controls(format_changes(changes)))
    if args.min_accuracy is not None and report.accuracy < args.min_accuracy:
        print(
            f"fwerror: accuracy {report.accuracy:.3f} is below {args.min_accuracy}", file=sys.stderr
        )
        return 1
    return 0


def _places(files: list[str]) -> list[str]:
    """Where the corpus files are, one name per directory."""
    return sorted({p if Path(p).is_dir() else str(Path(p).parent) for p in files})


def cmd_calibrate(args: argparse.Namespace) -> int:
    from bot.core.evaluate import CorpusError, calibration_from, load_corpus
    from bot.knowledge.calibration import CALIBRATION_FILE, calibration_yaml

    try:
        cases = load_corpus([Path(p) for p in args.files])
    except CorpusError as error:
        print(f"fwerror: {error}", file=sys.stderr)
        return 2
    knowledge = _knowledge(args.knowledge)
    calibration = calibration_from(cases, knowledge)
    note = (
        "Confidence calibration: raw matcher score -> share of answers that were right.\n"
        f"Fitted on {len(cases)} labelled cases ({', '.join(_places(args.files))}) by\n"
        "`python -m bot calibrate tests/corpus/*.jsonl tests/corpus/clients --write`\n"
        "(isotonic regression per mode); don't edit by hand, re-run it after tuning."
    )
    text = calibration_yaml(calibration, note)
    if not args.write:
        print(text, end="")
        return 0
    path = knowledge.directory / CALIBRATION_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Wrote {path}")
    return 0


def cmd_run(_: argparse.Namespace) -> int:
    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"fwerror: {error}", file=sys.stderr)
        return 2
    for warning in settings.warnings:
        print(f"fwerror: warning: {warning}", file=sys.stderr)
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    from bot.runner import run

    return run(settings)


def cmd_health(_: argparse.Namespace) -> int:
    from bot.observability.health import check_health
    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"fwerror: {error}", file=sys.stderr)
        return 2
    code, report = check_health(settings)
    print(report)
    return code


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    root.set_defaults(func=cmd_run)
    sub = root.add_subparsers(title="commands")

    def command(name: str, func, help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_, description=help_)
        p.add_argument("--knowledge", metavar="DIR", help="knowledge directory to use")
        p.set_defaults(func=func)
        return p

    p = command("explain", cmd_explain, "explain an error from text, or '-' for stdin")
    p.add_argument("text", nargs="?")
    p.add_argument(
        "--image",
        metavar="FILE",
        help="also read a screenshot (PNG, JPEG, WebP, GIF; '-' for stdin); needs fwerror[ocr]",
    )
    p.add_argument("--json", action="store_true", help="print the decision as JSON")
    p.add_argument("--mode", choices=("explicit", "passive"), default="explicit")

    command("check", cmd_check, "validate the knowledge and run every entry's examples")

    p = command("new", cmd_new, "write a new knowledge entry to fill in")
    p.add_argument("code", type=int, nargs="?", help="HTTP status code, e.g. 429")
    p.add_argument("slug", nargs="?", help="short lowercase name, e.g. deployment-capacity")
    report_cli.extend_new(p)
    report_cli.add_report(command)

    p = command("eval", cmd_eval, "score a labelled .jsonl corpus in passive mode")
    p.add_argument("files", nargs="*")
    p.add_argument(
        "--screenshots",
        action="store_true",
        help="score the screenshot corpus (tests/corpus/screenshots) instead; needs fwerror[ocr]",
    )
    p.add_argument("--only", type=int, metavar="N", help="with --screenshots: the first N")
    p.add_argument("--pictures", type=Path, metavar="DIR", help="pictures drawn before, by id")
    p.add_argument("--cache", type=Path, metavar="DIR", help="keep the OCR boxes here")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.add_argument("--min-accuracy", type=float, metavar="X", help="exit 1 below this accuracy")
    p.add_argument("--baseline", metavar="DIR", help="list cases whose answer differs from DIR")
    p.add_argument(
        "--mode", choices=("passive", "explicit"), default="passive", help="mode to score in"
    )

    p = command("calibrate", cmd_calibrate, "fit the confidence map on a labelled corpus")
    p.add_argument("files", nargs="+")
    p.add_argument("--write", action="store_true", help="write knowledge/calibration/ (else print)")

    sub.add_parser("run", help="connect to Discord (the default)").set_defaults(func=cmd_run)
    sub.add_parser(
        "health", help="exit 0 if the running bot is healthy (a container HEALTHCHECK)"
    ).set_defaults(func=cmd_health)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `python -m bot explain ... | head` closed the pipe early
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stop the interpreter's final flush
        return 0
