from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.knowledge.check import check_knowledge
from bot.knowledge.load import load_knowledge
from bot.knowledge.scaffold import NEXT_STEPS, ScaffoldError, new_entry
from bot.knowledge.validate import ENTRY_KEYS
from tests.knowledge.knowledge_fixtures import RATE_LIMIT, write_knowledge

FILLED = {
    "title": "418 I'm a teapot: the server refuses to brew coffee",
    "cause": "The endpoint is a teapot and cannot brew coffee, so it refuses the request.",
    "fix": "- Ask for tea instead of coffee.\n- Or call a coffee-capable endpoint.",
    "tips": ["Teapots are short and stout."],
    "notes": "RFC 2324; no Fireworks route answers 418, this entry exists for the tests.",
    "aliases": ["i am a teapot"],
    "patterns": ["refuses to brew coffee"],
    "examples": [
        "openai.APIStatusError: Error code: 418 - {'error': {'message': "
        "'the server refuses to brew coffee'}}",
        "HTTP/1.1 418 I'm a teapot\n\nthe server refuses to brew coffee",
        "fireworks says the server refuses to brew coffee, what now?",
    ],
}


def test_writes_every_field_and_returns_the_path(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,))

    path = new_entry(directory, 418, "teapot")

    assert path == directory / "418-teapot.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # `slots` and `translations` are written by hand once an entry has them.
    assert list(data) == [key for key in ENTRY_KEYS if key not in ("slots", "translations")]
    assert data["id"] == "418-teapot"
    assert data["code"] == 418
    assert data["escalate"] is False


@pytest.mark.parametrize(("code", "escalate"), [(500, True), (520, True), (503, False)])
def test_escalates_by_default_only_for_server_faults(
    tmp_path: Path, code: int, escalate: bool
) -> None:
    path = new_entry(tmp_path, code, "server-side")

    assert yaml.safe_load(path.read_text())["escalate"] is escalate


def test_fresh_scaffold_fails_check_until_every_todo_is_filled(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,))
    path = new_entry(directory, 418, "teapot")

    problems = check_knowledge(directory)

    assert problems
    assert {p.file for p in problems} == {path}
    assert all(p.message.startswith("fill in ") for p in problems)
    assert {
        p.message.split(":")[0].removeprefix("fill in ").split(" item")[0] for p in problems
    } == {
        "'title'",
        "'cause'",
        "'fix'",
        "tips",
        "'notes'",
        "aliases",
        "patterns",
        "examples",
    }


def test_filled_in_scaffold_loads_and_passes_check(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,))
    path = new_entry(directory, 418, "teapot")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(FILLED)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    knowledge = load_knowledge(directory)

    assert knowledge.by_id["418-teapot"].title == FILLED["title"]
    assert check_knowledge(directory) == []


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    path = new_entry(tmp_path, 418, "teapot")
    path.write_text("edited by hand\n")

    with pytest.raises(ScaffoldError, match=r"418-teapot\.yaml already exists"):
        new_entry(tmp_path, 418, "teapot")

    assert path.read_text() == "edited by hand\n"


def test_refuses_when_the_yml_spelling_exists(tmp_path: Path) -> None:
    (tmp_path / "418-teapot.yml").write_text("id: 418-teapot\n")

    with pytest.raises(ScaffoldError, match=r"418-teapot\.yml already exists"):
        new_entry(tmp_path, 418, "teapot")


@pytest.mark.parametrize(
    ("code", "slug", "message"),
    [
        (399, "teapot", "code must be an HTTP error status from 400 to 599, not 399"),
        (600, "teapot", "not 600"),
        (True, "teapot", "not True"),
        (418, "Tea_Pot", "slug must be lowercase letters, digits and dashes"),
        (418, "", "slug must be"),
        (418, "-teapot", "slug must be"),
        (418, "tea--pot", "slug must be"),
        (418, "x" * 61, "at most 64 characters"),
        (418, "418-teapot", "leave the code out of the slug: use 'teapot'"),
    ],
)
def test_rejects_invalid_code_or_slug(tmp_path: Path, code: int, slug: str, message: str) -> None:
    with pytest.raises(ScaffoldError, match=message):
        new_entry(tmp_path, code, slug)

    assert list(tmp_path.iterdir()) == []


def test_rejects_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="is not a directory"):
        new_entry(tmp_path / "missing", 418, "teapot")


def test_next_steps_point_at_check() -> None:
    assert "TODO" in NEXT_STEPS
    assert "python -m bot check" in NEXT_STEPS
