"""The screenshot corpus: which paste is drawn how, as a manifest, and the pictures from it.

The manifest is chosen from the committed labelled pastes by a seeded generator, so the
same seed gives the same manifest; each line names its paste by `file:line`, so the picture
is drawn from the corpus as it is now, and the text it is scored against is that paste.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from tools.screenshot_factory.chatter import KINDS
from tools.screenshot_factory.fonts import MONO
from tools.screenshot_factory.looks import LOOKS, Picture, Style, phone_photo

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
MANIFEST = CORPUS / "screenshots" / "manifest.jsonl"
FIXTURES = CORPUS / "screenshots" / "fixtures"
SEED = 20
ERRORS = 330
CHATTER_TEXT = 30
CHATTER_PICTURES = {"working-code": 25, "meme": 20, "chart": 20}
PHONE_SHARE = 0.15
SCREENS = [(1920, 1080, 1.0), (1280, 720, 0.75), (2560, 1440, 1.4)]
NOT_PASTES = {"chatter.jsonl", "hard_negatives.jsonl"}
# The corpus files the draw reads, by name: a labelled file added later must not reshuffle the
# pictures (nor their committed fixtures and figures). To draw from more, add it here, then
# rewrite the manifest and the fixtures (`--manifest --fixtures`) and score them again.
DRAWN_FROM = (
    "bare_codes_and_phrases.jsonl",
    "chat_reports.jsonl",
    "chatter.jsonl",
    "hard_negatives.jsonl",
    "holdout.jsonl",
    "holdout10.jsonl",
    "holdout2.jsonl",
    "holdout3.jsonl",
    "holdout4.jsonl",
    "holdout5.jsonl",
    "holdout6.jsonl",
    "holdout7.jsonl",
    "holdout8.jsonl",
    "holdout9.jsonl",
    "js_and_http_clients.jsonl",
    "json_bodies.jsonl",
    "python_sdk.jsonl",
    "unknown.jsonl",
    "clients/curl-fail.jsonl",
    "clients/curl-i.jsonl",
    "clients/curl-v.jsonl",
    "clients/go-net-http.jsonl",
    "clients/node-ai-sdk.jsonl",
    "clients/node-axios.jsonl",
    "clients/node-fetch.jsonl",
    "clients/node-langchain-openai.jsonl",
    "clients/node-openai.jsonl",
    "clients/python-aiohttp.jsonl",
    "clients/python-fireworks-ai.jsonl",
    "clients/python-httpx.jsonl",
    "clients/python-instructor.jsonl",
    "clients/python-langchain-fireworks.jsonl",
    "clients/python-litellm.jsonl",
    "clients/python-llama-index.jsonl",
    "clients/python-openai-async.jsonl",
    "clients/python-openai.jsonl",
    "clients/python-requests.jsonl",
)
MIN_CHARS = 25
MAX_CHARS = 6000


@dataclass(frozen=True, slots=True)
class Shot:
    """One picture of the corpus."""

    id: str
    look: str  # a look from LOOKS, or a chatter kind
    expected: str  # the paste's label; "none" for chatter
    source: str  # "tests/corpus/file.jsonl:LINE", or "" for a drawn chatter picture
    mono: str
    size: int
    width: int
    height: int
    phone: bool
    seed: int
    digest: str = ""  # of the paste's text, so a changed corpus line is noticed

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def _cases(files: list[Path]) -> list[tuple[str, str, str]]:
    cases = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                data = json.loads(line)
                where = f"{file.relative_to(ROOT)}:{number}"
                cases.append((where, data["text"], str(data["expected"])))
    return cases


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def manifest(seed: int = SEED) -> list[Shot]:
    """Every picture of the corpus, chosen and styled by `seed`."""
    rng = random.Random(seed)
    files = [CORPUS / name for name in DRAWN_FROM]
    pastes = [
        case
        for case in _cases([f for f in files if f.name not in NOT_PASTES])
        if case[2] != "none" and MIN_CHARS <= len(case[1]) <= MAX_CHARS
    ]
    chatter = _cases([CORPUS / name for name in sorted(NOT_PASTES)])
    chosen = [(case, rng.choice(sorted(LOOKS))) for case in rng.sample(pastes, ERRORS)]
    chosen += [
        ((w, t, "none"), rng.choice(sorted(LOOKS))) for w, t, _ in rng.sample(chatter, CHATTER_TEXT)
    ]
    chosen += [
        (("", "", "none"), kind) for kind, count in CHATTER_PICTURES.items() for _ in range(count)
    ]
    shots = []
    for number, ((source, text, label), look) in enumerate(chosen, 1):
        width, height, scale = rng.choice(SCREENS)
        shots.append(
            Shot(
                id=f"shot-{number:04d}",
                look=look,
                expected=label,
                source=source,
                mono=rng.choice(sorted(MONO)),
                size=round(rng.choice((14, 15, 16, 18)) * scale),
                width=width,
                height=height,
                phone=rng.random() < PHONE_SHARE,
                seed=rng.randrange(2**31),
                digest=digest(text) if source else "",
            )
        )
    return shots


def write_manifest(shots: list[Shot], path: Path = MANIFEST) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(shot.to_json() + "\n" for shot in shots), encoding="utf-8")


def read_manifest(path: Path = MANIFEST) -> list[Shot]:
    return [
        Shot(**json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def paste_text(shot: Shot) -> str:
    """The paste a picture shows (empty for a drawn chatter picture)."""
    if not shot.source:
        return ""
    file, number = shot.source.rsplit(":", 1)
    line = (ROOT / file).read_text(encoding="utf-8").splitlines()[int(number) - 1]
    return json.loads(line)["text"]


def render(shot: Shot) -> Picture:
    """The picture of `shot`, the same on every machine with the same fonts and Pillow."""
    rng = random.Random(shot.seed)
    style = Style(shot.mono, shot.size, shot.width, shot.height)
    if shot.look in KINDS:
        picture = KINDS[shot.look](style, rng)
    else:
        picture = LOOKS[shot.look](paste_text(shot).splitlines(), style, rng)
    return phone_photo(picture, rng) if shot.phone else picture


def save(shot: Shot, picture: Picture, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{shot.id}.{'jpg' if shot.phone else 'png'}"
    if shot.phone:
        picture.image.save(path, "JPEG", quality=60)
    else:
        picture.image.save(path, "PNG", optimize=True)
    return path
