from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.knowledge import reload as reload_module
from bot.knowledge.check import check_knowledge
from bot.knowledge.load import load_knowledge
from bot.knowledge.reload import KnowledgeDiff, diff_knowledge, prepare_reload
from tests.knowledge.knowledge_fixtures import (
    RATE_LIMIT,
    TIPS,
    entry,
    line_of,
    write_entry,
    write_knowledge,
)

CONFLICT = entry(
    "409-conflict",
    409,
    title="409 Conflict: the resource already exists",
    patterns=["resource already exists"],
    examples=[
        "openai.ConflictError: Error code: 409 - {'error': {'message': 'resource already exists'}}",
        'HTTP/1.1 409 Conflict\n\n{"message": "resource already exists"}',
        "creating my deployment again fails with 409 resource already exists",
    ],
)


def test_valid_directory_gives_new_knowledge_and_what_changed(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path)
    old = load_knowledge(directory)
    write_entry(directory, CONFLICT)
    write_entry(directory, {**RATE_LIMIT, "title": "429 Too Many Requests: slow down"})
    (directory / "404-model-not-found.yaml").unlink()

    result = prepare_reload(directory, old)

    assert result.problems == ()
    assert result.old is old
    assert result.new is not None
    assert result.new.version != old.version
    assert "409-conflict" in result.new.by_id
    assert result.diff == KnowledgeDiff(
        added=("409-conflict",),
        removed=("404-model-not-found",),
        changed=("429-rate-limit",),
        tips_changed=False,
    )
    assert str(result.diff) == (
        "added 409-conflict; removed 404-model-not-found; changed 429-rate-limit"
    )


def test_unchanged_directory_reports_no_change(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path)
    old = load_knowledge(directory)

    result = prepare_reload(directory, old)

    assert result.new is not None
    assert result.new.version == old.version
    assert str(result.diff) == "no entry changed"


def test_moving_the_directory_is_not_a_change_but_new_tips_are(tmp_path: Path) -> None:
    old = load_knowledge(write_knowledge(tmp_path / "a"))
    moved = write_knowledge(tmp_path / "b", tips={**TIPS, "support_email": "help@example.com"})

    diff = diff_knowledge(old, load_knowledge(moved))

    assert diff == KnowledgeDiff(added=(), removed=(), changed=(), tips_changed=True)
    assert str(diff) == "tips changed"


def test_load_problems_keep_the_old_knowledge(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path)
    old = load_knowledge(directory)
    path = write_entry(directory, {**CONFLICT, "severity": "high", "cause": "x" * 1100})

    result = prepare_reload(directory, old)

    assert result.new is None
    assert result.diff is None
    shown = [str(problem) for problem in result.problems]
    assert f"knowledge/409-conflict.yaml:{line_of(path, 'severity')}: unknown key 'severity'" in (
        "\n".join(shown)
    )
    assert any(
        s.startswith(f"knowledge/409-conflict.yaml:{line_of(path, 'cause:')}: 'cause' is 1100")
        for s in shown
    )


def test_an_example_resolving_elsewhere_is_caught_by_the_full_check(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path)
    old = load_knowledge(directory)
    stolen = RATE_LIMIT["examples"][0]
    path = write_entry(directory, {**CONFLICT, "examples": [*CONFLICT["examples"], stolen]})
    load_knowledge(directory)  # loads fine: only running the examples finds it

    result = prepare_reload(directory, old)

    assert result.new is None
    assert result.problems == tuple(check_knowledge(directory))
    line = line_of(path, "openai.RateLimitError")
    assert any(
        str(p).startswith(f"knowledge/409-conflict.yaml:{line}: example 4 resolves to 429-rate")
        for p in result.problems
    )


def test_a_missing_directory_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path)
    old = load_knowledge(directory)
    shutil.rmtree(directory)

    result = prepare_reload(directory, old)

    assert result.new is None
    [problem] = result.problems
    assert "does not exist" in problem.message


def test_an_unreadable_file_is_a_problem_not_an_exception(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = write_knowledge(tmp_path)
    old = load_knowledge(directory)
    gone = directory / "429-rate-limit.yaml"

    def vanishing(_: Path | None) -> list:
        raise FileNotFoundError(2, "No such file or directory", str(gone))

    monkeypatch.setattr(reload_module, "check_knowledge", vanishing)

    result = prepare_reload(directory, old)

    assert result.new is None
    [problem] = result.problems
    assert str(problem).startswith("knowledge/429-rate-limit.yaml: could not read the knowledge")
    assert "No such file or directory" in problem.message


def test_files_edited_during_the_check_are_not_swapped_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = write_knowledge(tmp_path)
    old = load_knowledge(directory)

    def check_then_edit(checked: Path | None) -> list:
        problems = check_knowledge(checked)
        write_entry(directory, CONFLICT)  # a `git pull` still writing files
        return problems

    monkeypatch.setattr(reload_module, "check_knowledge", check_then_edit)

    result = prepare_reload(directory, old)

    assert result.new is None
    [problem] = result.problems
    assert "changed while it was being checked" in problem.message
