"""The small knowledge files read whole (languages, calibration, client markers, screenshot
confusions) refuse anchors and aliases as the entries and signals do: an alias bomb there would
stall a reload just the same (issue 16, break 10)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.knowledge.calibration import CALIBRATION_FILE, CalibrationError, load_calibration
from bot.knowledge.clients import CLIENTS_FILE, SlotError, load_client_markers
from bot.knowledge.language import LABELS_FILE, WORDS_FILE, LanguageError, load_labels, load_words
from bot.knowledge.screenshots import FILE, SIGNALS, ScreenshotSignalsError, load_confusions
from bot.knowledge.yaml_lines import YamlError, load_plain
from tests.knowledge.knowledge_fixtures import alias_bomb

READERS: list[tuple[Path, Callable[[Path], object], type[Exception]]] = [
    (CALIBRATION_FILE, load_calibration, CalibrationError),
    (WORDS_FILE, load_words, LanguageError),
    (LABELS_FILE, load_labels, LanguageError),
    (CLIENTS_FILE, load_client_markers, SlotError),
    (Path(SIGNALS) / FILE, load_confusions, ScreenshotSignalsError),
]


@pytest.mark.parametrize(("name", "read", "error"), READERS, ids=lambda r: str(r))
def test_an_alias_bomb_is_refused_at_its_line_before_it_expands(
    tmp_path: Path, name: Path, read: Callable[[Path], object], error: type[Exception]
) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("passive:\n" + alias_bomb(), encoding="utf-8")
    with pytest.raises(error, match=r"line 2: anchor '&a0'"):
        read(tmp_path)


def test_plain_yaml_refuses_a_complex_key_and_reads_the_rest() -> None:
    with pytest.raises(YamlError, match="line 1"):
        load_plain("? [a, b]\n: c\n")
    assert load_plain("zh: [你好]\nes: [hola]\n") == {"zh": ["你好"], "es": ["hola"]}
