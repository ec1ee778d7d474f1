"""The screenshot corpus: the committed manifest is what the seed gives, and every picture in
it is drawn (into a temporary directory: the pictures are not committed) with its label."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

pytestmark = pytest.mark.ocr  # Pillow comes with the extra


def test_the_committed_manifest_is_what_the_seed_gives() -> None:
    from tools.screenshot_factory.generate import SEED, manifest, read_manifest

    assert read_manifest() == manifest(SEED)
    assert manifest(SEED + 1) != manifest(SEED)


def test_every_picture_names_a_paste_that_still_says_what_it_said() -> None:
    from tools.screenshot_factory.generate import digest, paste_text, read_manifest

    for shot in read_manifest():
        if shot.source:
            assert digest(paste_text(shot)) == shot.digest, shot.id


def test_at_least_400_labelled_pictures_are_drawn_in_every_look(tmp_path: Path) -> None:
    from PIL import Image

    from tools.screenshot_factory.chatter import KINDS
    from tools.screenshot_factory.generate import read_manifest, render, save
    from tools.screenshot_factory.looks import LOOKS

    shots = read_manifest()
    assert len(shots) >= 400
    looks = Counter(shot.look for shot in shots)
    assert set(looks) == set(LOOKS) | set(KINDS)
    assert sum(shot.phone for shot in shots) >= 40
    assert {shot.mono for shot in shots} >= {"dejavu-mono", "liberation-mono", "fira-code"}
    chatter = [shot for shot in shots if shot.expected == "none"]
    assert len(chatter) >= 80
    cut = 0
    for shot in shots:
        picture = render(shot)
        path = save(shot, picture, tmp_path)
        with Image.open(path) as image:
            assert image.format == ("JPEG" if shot.phone else "PNG")
            if not shot.phone and shot.look in LOOKS:  # a meme or a chart has its own size
                assert image.size == (shot.width, shot.height)
        if shot.source:
            lines = len([line for line in picture.shown if line])
            cut += lines < len([line for line in _paste(shot).splitlines() if line])
    assert len(list(tmp_path.iterdir())) == len(shots)
    assert cut >= 10  # long tracebacks are cut where the screen ends


def _paste(shot):
    from tools.screenshot_factory.generate import paste_text

    return paste_text(shot)


def test_drawing_is_deterministic() -> None:
    from tools.screenshot_factory.generate import read_manifest, render

    shot = next(s for s in read_manifest() if s.phone)
    assert render(shot).image.tobytes() == render(shot).image.tobytes()


def test_a_fresh_seed_draws_other_phone_photos_to_score() -> None:
    from bot.screenshots.score import corpus_samples
    from tools.screenshot_factory.generate import SEED, manifest

    fresh = corpus_samples(only=3, seed=SEED + 1, phone=True)
    phones = [shot for shot in manifest(SEED + 1) if shot.phone][:3]
    assert [sample.id for sample in fresh] == [shot.id for shot in phones]
    assert all(s.look == "phone-photo" and s.picture.startswith(b"\xff\xd8") for s in fresh)
    committed = {s.id: s.picture for s in corpus_samples(only=425, phone=True)}
    assert all(committed.get(s.id) != s.picture for s in fresh)
