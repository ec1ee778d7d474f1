"""Warming a knowledge builds what the matcher compiles on first use (issue 17's flat tail):
after `warm`, a message compiles nothing; without it, the first message pays for the screens."""

from bot.core.matcher import diagnose
from bot.core.warm import warm
from bot.knowledge.load import load_knowledge

TEXTS = [
    "hello, anyone around?",
    "fireworks geeft een fout bij elke call",
    "openai.RateLimitError: Error code: 429 - {'error': {'message': 'too many requests'}}",
    "our nginx in front of fireworks returns 502",
]


def test_a_warm_knowledge_compiles_nothing_on_a_message(screens_built: list[int]) -> None:
    knowledge = load_knowledge()
    assert warm(knowledge) == 2 * sum(len(entry.examples) for entry in knowledge.entries)
    before = len(screens_built)
    for text in TEXTS:
        for mode in ("passive", "explicit"):
            diagnose(text, knowledge, mode)
    assert len(screens_built) == before


def test_a_cold_knowledge_compiles_on_its_first_message(screens_built: list[int]) -> None:
    """What warming saves: a freshly loaded knowledge builds a screen on its first message."""
    knowledge = load_knowledge()
    before = len(screens_built)
    diagnose(TEXTS[0], knowledge, "passive")
    assert len(screens_built) > before
