"""`python -m bot eval --screenshots`: does a screenshot get the answer its paste gets?

Each picture of the corpus (tests/corpus/screenshots/manifest.jsonl, drawn by
tools/screenshot_factory) is read and judged in passive mode. It scores right when its verdict
(action, code, entry) equals the verdict on the text the picture shows, typed; a chatter
picture scores right when it is ignored. Scores per look and per code. The engine's boxes can
be kept in a cache directory, so tuning the line rebuilding and the confusions re-scores the
corpus in seconds instead of reading every picture again.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bot.core.evaluate import Verdict
from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from bot.core.render import one_line
from bot.screenshots.engine import Box
from bot.screenshots.images import DEFAULT_LIMITS
from bot.screenshots.reading import confusions_for, reading
from bot.screenshots.vocabulary import vocabulary
from bot.screenshots.worker import Found, find_text

IGNORE = Verdict("ignore", None, None)
PHONE = "phone-photo"


@dataclass(frozen=True, slots=True)
class Scored:
    id: str
    look: str
    expected: str
    want: Verdict
    got: Verdict
    read: str

    @property
    def right(self) -> bool:
        return self.want == self.got


@dataclass(frozen=True, slots=True)
class Sample:
    """One picture to score: its bytes, and the text it shows ("" for chatter)."""

    id: str
    look: str
    expected: str
    picture: bytes
    shown: str
    chatter: bool


def _found(sample: Sample, cache: Path | None) -> Found:
    if cache is None:
        return find_text(sample.picture, DEFAULT_LIMITS)
    key = hashlib.sha256(sample.picture).hexdigest()[:16]
    path = cache / f"{sample.id}-{key}.json"
    if path.exists():
        data = json.loads(path.read_text())
        return Found(tuple(Box(**box) for box in data["boxes"]), data["refused"])
    found = find_text(sample.picture, DEFAULT_LIMITS)
    cache.mkdir(parents=True, exist_ok=True)
    boxes = [asdict(box) for box in found.boxes]
    # Written aside and renamed: two runs sharing a cache never read half a file.
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_text(json.dumps({"boxes": boxes, "refused": found.refused}))
    partial.replace(path)
    return found


def score(
    samples: Iterable[Sample],
    knowledge: Knowledge,
    cache: Path | None = None,
    progress: Callable[[Scored], None] = lambda _: None,
) -> list[Scored]:
    confusions, words = confusions_for(knowledge), vocabulary(knowledge)
    results = []
    for sample in samples:
        read = reading(_found(sample, cache), confusions, words)
        got = Verdict.of(diagnose(read.text, knowledge, "passive")) if read.trusted else IGNORE
        want = (
            IGNORE if sample.chatter else Verdict.of(diagnose(sample.shown, knowledge, "passive"))
        )
        result = Scored(sample.id, sample.look, sample.expected, want, got, read.text)
        progress(result)
        results.append(result)
    return results


def _table(title: str, results: list[Scored], key: Callable[[Scored], str]) -> list[str]:
    totals = Counter(key(r) for r in results)
    rights = Counter(key(r) for r in results if r.right)
    width = max(12, *(len(name) for name in totals))
    lines = [f"{title:<{width}} {'same':>9}  share"]
    for name in sorted(totals):
        right, total = rights[name], totals[name]
        lines.append(f"{name:<{width}} {f'{right}/{total}':>9}  {right / total:6.1%}")
    return lines


def summary(results: list[Scored]) -> dict[str, Any]:
    errors = [r for r in results if r.expected != "none"]
    chatter = [r for r in results if r.expected == "none"]
    return {
        "pictures": len(results),
        "same_verdict": sum(r.right for r in results),
        "same_verdict_share": round(sum(r.right for r in results) / max(1, len(results)), 4),
        "error_pictures": len(errors),
        "error_same": sum(r.right for r in errors),
        "ignored_pictures": len(chatter),
        "ignored_kept_quiet": sum(r.right for r in chatter),
    }


def format_scores(results: list[Scored]) -> str:
    data = summary(results)
    lines = [
        f"screenshots: {data['same_verdict']}/{data['pictures']} "
        f"({data['same_verdict_share']:.1%}) get the verdict their text gets",
        f"error pictures: {data['error_same']}/{data['error_pictures']} as their text; "
        f"chatter pictures: {data['ignored_kept_quiet']}/{data['ignored_pictures']} ignored",
        "",
        *_table("look", results, lambda r: r.look),
        "",
        *_table("code", results, lambda r: r.expected),
    ]
    misses = [r for r in results if not r.right]
    if misses:
        lines += ["", f"misses ({len(misses)}):"]
        lines += [
            f"  {r.id} [{r.look}, {r.expected}]: want {r.want}, got {r.got}: "
            f"{one_line(r.read, 100)!r}"
            for r in misses
        ]
    return "\n".join(lines)


def corpus_samples(
    only: int | None = None,
    pictures: Path | None = None,
    seed: int | None = None,
    phone: bool = False,
) -> list[Sample]:
    """The corpus pictures, drawn by the factory (or read from `pictures` if drawn before).

    `seed` draws the pictures another seed gives instead of the committed manifest (a fresh
    set nothing was tuned on); `phone` keeps only the phone photos. The factory lives in the
    checkout's tools/, not in the wheel: imported by name, and only here, so an installed bot
    without it says so instead of failing to import.
    """
    factory = importlib.import_module("tools.screenshot_factory.generate")
    render = factory.render
    shots = factory.read_manifest() if seed is None else factory.manifest(seed)
    if phone:
        shots = [shot for shot in shots if shot.phone]

    samples = []
    for shot in shots[:only]:
        stored = [pictures / f"{shot.id}.{ext}" for ext in ("png", "jpg")] if pictures else []
        drawn = render(shot)
        path = next((p for p in stored if p.exists()), None)
        if path is not None:
            data = path.read_bytes()
        else:
            buffer = io.BytesIO()
            drawn.image.save(buffer, "JPEG" if shot.phone else "PNG", quality=60)
            data = buffer.getvalue()
        look = PHONE if shot.phone else shot.look
        shown = "\n".join(drawn.shown) if shot.source else ""
        chatter = shot.expected == "none"
        samples.append(Sample(shot.id, look, shot.expected, data, shown, chatter))
    return samples


def main(argv: list[str] | None = None) -> int:
    """`python -m bot.screenshots.score [--seed N] [--phone]`: score another draw, or a part.

    `python -m bot eval --screenshots` scores the committed corpus; this scores the pictures
    another seed gives (none of them tuned on) or only the phone photos, and can save them.
    """
    import argparse
    import sys

    from bot.knowledge.load import load_knowledge

    parser = argparse.ArgumentParser(
        prog="python -m bot.screenshots.score", description=main.__doc__
    )
    parser.add_argument("--seed", type=int, help="draw this seed's pictures, not the manifest's")
    parser.add_argument("--phone", action="store_true", help="only the phone photos")
    parser.add_argument("--only", type=int, metavar="N", help="the first N")
    parser.add_argument("--cache", type=Path, metavar="DIR", help="keep the OCR boxes here")
    parser.add_argument("--save", type=Path, metavar="DIR", help="write the pictures here too")
    args = parser.parse_args(argv)
    samples = corpus_samples(args.only, seed=args.seed, phone=args.phone)
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for sample in samples:
            kind = "jpg" if sample.picture.startswith(b"\xff\xd8") else "png"
            (args.save / f"{sample.id}.{kind}").write_bytes(sample.picture)

    def tick(result: Scored) -> None:
        print(f"{result.id} {'same' if result.right else 'MISS'}", file=sys.stderr, flush=True)

    print(format_scores(score(samples, load_knowledge(), args.cache, tick)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
