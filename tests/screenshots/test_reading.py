"""The committed corpus fixtures, really read: a picture gets the verdict its text gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.load import load_knowledge
from bot.screenshots.score import Sample, format_scores, score

pytestmark = pytest.mark.ocr

FIXTURES = Path(__file__).resolve().parents[1] / "corpus" / "screenshots" / "fixtures"


def samples() -> list[Sample]:
    from tools.screenshot_factory.fixtures import _small
    from tools.screenshot_factory.generate import read_manifest, render

    found = []
    for shot in read_manifest():
        path = next(FIXTURES.glob(f"{shot.id}.*"), None)
        if path is not None:
            shown = "\n".join(render(_small(shot)).shown) if shot.source else ""
            chatter = shot.expected == "none"
            found.append(
                Sample(shot.id, shot.look, shot.expected, path.read_bytes(), shown, chatter)
            )
    return found


def test_fixtures_read_as_their_text_and_chatter_is_ignored() -> None:
    cases = samples()
    assert len(cases) >= 20
    results = score(cases, load_knowledge())
    report = format_scores(results)
    chatter = [r for r in results if r.expected == "none"]
    assert all(r.right for r in chatter), report
    assert sum(r.right for r in results) >= 0.9 * len(results), report


def test_explain_image_prints_what_it_read(capsys: pytest.CaptureFixture[str]) -> None:
    from bot import cli

    assert cli.main(["explain", "--image", str(FIXTURES / "e2e-429-dark-terminal.png")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Read from your screenshot: `")
    assert "429" in out.splitlines()[1]


def test_explain_image_refuses_what_is_not_a_picture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot import cli

    fake = tmp_path / "error.png"
    fake.write_text("openai.RateLimitError: Error code: 429")
    assert cli.main(["explain", "--image", str(fake)]) == 2
    assert "not a PNG, JPEG, WebP or GIF" in capsys.readouterr().err


def test_explain_image_warns_of_a_key_in_the_picture(capsys: pytest.CaptureFixture[str]) -> None:
    from bot import cli

    picture = FIXTURES / "e2e-fake-key-terminal.png"
    assert cli.main(["explain", "--image", str(picture)]) == 0
    captured = capsys.readouterr()
    assert "Your screenshot contained a secret" in captured.err
    assert "FAKETESTKEY" not in captured.out + captured.err
