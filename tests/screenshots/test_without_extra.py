"""Without the `ocr` extra the bot reads text as before and says how to turn screenshots on.

The extra's absence is made real for the test by hiding its package from the import system
(what `pip uninstall` would do), whether or not it is installed here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot import cli
from bot.pictures import screenshot_reader, screenshots_off
from bot.screenshots import engine
from bot.settings import Settings, SettingsError, load_settings

FIXTURE = Path(__file__).resolve().parents[1] / "corpus" / "screenshots" / "fixtures"


@pytest.fixture
def no_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    monkeypatch.setattr(engine, "_engine", None)


def test_the_engine_is_missing_and_the_bot_says_how_to_install_it(no_extra: None) -> None:
    assert not engine.available()
    assert screenshot_reader(Settings(), lambda _: None) is None
    assert 'pip install "fwerror[ocr]"' in screenshots_off(Settings())
    with pytest.raises(engine.EngineMissing, match="fwerror\\[ocr\\]"):
        engine.warm_up()


def test_workers_zero_turns_screenshots_off_even_with_the_engine() -> None:
    settings = Settings(screenshot_workers=0)
    assert screenshot_reader(settings, lambda _: None) is None
    assert "FWERROR_SCREENSHOT_WORKERS is 0" in screenshots_off(settings)


@pytest.mark.parametrize(("raw", "workers"), [("", 1), ("0", 0), ("2", 2), (" 16 ", 16)])
def test_the_workers_setting(raw: str, workers: int) -> None:
    env = {"FWERROR_SCREENSHOT_WORKERS": raw} if raw else {}
    assert load_settings(env, dotenv=None).screenshot_workers == workers


@pytest.mark.parametrize("raw", ["-1", "17", "two", "1.5"])
def test_a_bad_workers_setting_stops_start_up_with_its_name(raw: str) -> None:
    with pytest.raises(SettingsError, match="FWERROR_SCREENSHOT_WORKERS"):
        load_settings({"FWERROR_SCREENSHOT_WORKERS": raw}, dotenv=None)


def test_explain_image_without_the_extra_says_how_to_install_it(
    no_extra: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["explain", "--image", str(FIXTURE / "e2e-429-dark-terminal.png")])
    assert code == 2
    assert 'pip install "fwerror[ocr]"' in capsys.readouterr().err


def test_eval_screenshots_without_the_extra_says_how_to_install_it(
    no_extra: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["eval", "--screenshots"]) == 2
    assert 'pip install "fwerror[ocr]"' in capsys.readouterr().err


def test_explain_still_needs_something_to_explain(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["explain"]) == 2
    assert "--image FILE" in capsys.readouterr().err
