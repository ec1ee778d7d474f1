"""Paraphrases reach their entry: other words for a message are data (signals/paraphrases.yaml)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.matcher import diagnose
from bot.core.model import Knowledge
from bot.knowledge.load import KnowledgeError, load_knowledge
from bot.knowledge.signals import default_bundled


@pytest.mark.parametrize(
    "text",
    [
        "request payload exceeds the maximum allowed size",
        '{"error": {"message": "request body is larger than the maximum allowed (10MB)"}}',
    ],
)
@pytest.mark.parametrize("mode", ["passive", "explicit"])
def test_a_paraphrase_of_payload_too_large_reaches_413(
    knowledge: Knowledge, text: str, mode: str
) -> None:
    decision = diagnose(text, knowledge, mode)  # type: ignore[arg-type]
    assert decision.action == "answer" and decision.entry is not None, decision
    assert decision.entry.id == "413-payload-too-large"


def _without_paraphrases(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(default_bundled(), target)
    only = "a phrase no paste holds: other words\n"  # an empty file is an error
    (target / "signals" / "paraphrases.yaml").write_text(only, encoding="utf-8")
    return target


def test_the_paraphrase_line_is_what_finds_it(tmp_path: Path) -> None:
    bare = load_knowledge(_without_paraphrases(tmp_path))
    decision = diagnose("request payload exceeds the maximum allowed size", bare, "explicit")
    assert decision.entry is None or decision.entry.code != "413"


def test_a_paraphrase_needs_other_words(tmp_path: Path) -> None:
    directory = _without_paraphrases(tmp_path)
    (directory / "signals" / "paraphrases.yaml").write_text("too big: too big\n")
    with pytest.raises(KnowledgeError) as error:
        load_knowledge(directory)
    assert "paraphrases.yaml:1:" in str(error.value)
