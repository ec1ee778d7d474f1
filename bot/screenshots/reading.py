"""From the engine's boxes to the text the matcher reads, and how far to trust it."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.core.model import Knowledge
from bot.knowledge.screenshots import Confusions, ScreenshotSignalsError, load_confusions
from bot.screenshots.images import DEFAULT_LIMITS, Limits
from bot.screenshots.lines import PROMPT, rebuild
from bot.screenshots.normalise import normalise
from bot.screenshots.vocabulary import Vocabulary, apply, vocabulary
from bot.screenshots.worker import Found, find_text

log = logging.getLogger(__name__)

# Below this mean confidence (weighted by characters) a reading is a guess: passive mode
# stays quiet on it, explicit mode shows it and asks for the text. Phone photos of a screen
# read at 0.7-0.8 and mostly right (0.8 kept quiet on 3 more of 141 photos that their text
# answers, and let through one wrong answer fewer); below 0.7 the engine is guessing.
LOW_CONFIDENCE = 0.7
MIN_CHARACTERS = 4


@dataclass(frozen=True, slots=True)
class Reading:
    """What one picture says, normalised; `refused` says why it wasn't read."""

    text: str = ""
    confidence: float = 0.0
    refused: str = ""
    whole: str = ""  # every line read, prompts included: what is searched for secrets

    @property
    def trusted(self) -> bool:
        return (
            not self.refused
            and self.confidence >= LOW_CONFIDENCE
            and len(self.text) >= MIN_CHARACTERS
        )


@lru_cache(maxsize=4)
def _confusions(directory: Path, _stamp: float) -> Confusions:
    try:
        return load_confusions(directory)
    except ScreenshotSignalsError as error:
        # `check` reports it; a bad edit must not stop pictures from being read at all.
        log.error("screenshots: %s; reading pictures without the confusions", error)
        return Confusions({}, {}, ())


def confusions_for(knowledge: Knowledge) -> Confusions:
    """The knowledge's `signals/screenshots.yaml`, re-read when the file changes."""
    path = knowledge.directory / "signals" / "screenshots.yaml"
    stamp = path.stat().st_mtime if path.exists() else 0.0
    return _confusions(knowledge.directory, stamp)


# A shell prompt line (lines.PROMPT) is the screen's chrome, not what the user asks about:
# the matcher reads a message that opens with a command as someone sharing code, so prompt
# lines are left out. So is a line typed to a model (a playground's prompt box: `Write a
# haiku about rate limits`): what the model was asked, not what the poster says about the
# error, and its words ("a haiku about") would read as a quote. It opens with one of the
# knowledge's instruction words and holds no number, so a status is never left out with it.
_NUMBER = re.compile(r"\d")


def _instruction(line: str, words: tuple[str, ...]) -> bool:
    first = line.strip().split(" ", 1)[0].lower()
    return first in words and " " in line.strip() and not _NUMBER.search(line)


def _without_prompts(text: str, instructions: tuple[str, ...] = ()) -> str:
    return "\n".join(
        line
        for line in text.splitlines()
        if not PROMPT.match(line) and not _instruction(line, instructions)
    )


def reading(found: Found, confusions: Confusions, words: Vocabulary | None = None) -> Reading:
    """The picture's text: lines rebuilt, confusions undone, the knowledge's phrases respaced."""
    if found.refused:
        return Reading(refused=found.refused)
    text = rebuild(found.boxes)
    fixed = normalise(_without_prompts(text.text, confusions.instructions), confusions)
    # A key typed at a prompt (`$ export FIREWORKS_API_KEY=...`) is still on the screen.
    whole = normalise(text.text, confusions)
    if words:
        fixed = apply(fixed, words, confusions.digits, confusions.letters)
    return Reading(fixed, text.confidence, whole=whole)


def read_now(data: bytes, knowledge: Knowledge, limits: Limits = DEFAULT_LIMITS) -> Reading:
    """Read a picture in this process (the command line and the corpus score; not the bot)."""
    return reading(find_text(data, limits), confusions_for(knowledge), vocabulary(knowledge))
