from __future__ import annotations

from pathlib import Path

from bot.knowledge.check import check_knowledge
from tests.knowledge.knowledge_fixtures import (
    ENTRIES,
    MODEL_NOT_FOUND,
    PATH_NOT_FOUND,
    RATE_LIMIT,
    SERVER_ERROR,
    entry,
    line_of,
    write_knowledge,
)


def with_example(data: dict, example: str) -> dict:
    return {**data, "examples": [*data["examples"], example]}


def test_consistent_knowledge_has_no_problems(tmp_path: Path) -> None:
    assert check_knowledge(write_knowledge(tmp_path)) == []


def test_load_problems_are_returned_not_raised(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (entry("429-x", 429, titel="x"),))

    [problem] = check_knowledge(directory)

    assert problem.file.name == "429-x.yaml"
    assert "unknown key 'titel'" in problem.message


def test_example_captured_by_another_entrys_alias(tmp_path: Path) -> None:
    example = "404 endpoint not found"
    model = with_example(MODEL_NOT_FOUND, example)
    directory = write_knowledge(tmp_path, (RATE_LIMIT, PATH_NOT_FOUND, model, SERVER_ERROR))
    model_path = directory / "404-model-not-found.yaml"
    path_path = directory / "404-path-not-found.yaml"

    problems = [str(p) for p in check_knowledge(directory)]

    assert len(problems) == 2
    example_line = line_of(model_path, example)
    assert problems[0].startswith(
        f"knowledge/404-model-not-found.yaml:{example_line}: example 4 resolves to "
        "404-path-not-found (evidence: "
    )
    assert "alias `endpoint not found`" in problems[0]
    assert problems[0].endswith(
        "not to 404-model-not-found — make the example contain this entry's specific message, "
        "or narrow the other entry's patterns"
    )
    assert problems[1] == (
        f"knowledge/404-path-not-found.yaml:{line_of(path_path, '- endpoint not found')}: alias "
        f"'endpoint not found' also captures example 4 of 404-model-not-found "
        f"(knowledge/404-model-not-found.yaml:{example_line}) — narrow it so it only matches "
        "404-path-not-found's errors"
    )


def test_example_captured_by_another_entrys_pattern(tmp_path: Path) -> None:
    example = "404 Not Found: no such route here"
    path_entry = {**PATH_NOT_FOUND, "patterns": ["no such route here"]}
    model = with_example(MODEL_NOT_FOUND, example)
    directory = write_knowledge(tmp_path, (path_entry, model))

    problems = check_knowledge(directory)

    assert [(p.file.name, p.line) for p in problems] == [
        ("404-model-not-found.yaml", line_of(directory / "404-model-not-found.yaml", example)),
        (
            "404-path-not-found.yaml",
            line_of(directory / "404-path-not-found.yaml", "no such route"),
        ),
    ]
    assert "pattern `no such route here`" in problems[0].message
    assert problems[1].message.startswith("pattern 'no such route here' also captures example 4")


def test_example_matching_no_entry(tmp_path: Path) -> None:
    example = "hello there friend"
    directory = write_knowledge(tmp_path, (with_example(RATE_LIMIT, example),))
    line = line_of(directory / "429-rate-limit.yaml", example)

    problems = [str(p) for p in check_knowledge(directory)]

    assert problems[0].startswith(
        f"knowledge/429-rate-limit.yaml:{line}: example 4 matches no entry (the bot would "
        "escalate it; evidence: none), not 429-rate-limit"
    )
    assert problems[1].startswith(
        f"knowledge/429-rate-limit.yaml:{line}: example 4 is ignored in passive mode"
    )


def test_example_ignored_in_passive_mode(tmp_path: Path) -> None:
    example = "thanks, the rate limited thing was our proxy"
    directory = write_knowledge(tmp_path, (with_example(RATE_LIMIT, example),))

    [problem] = check_knowledge(directory)

    assert problem.line == line_of(directory / "429-rate-limit.yaml", example)
    assert problem.message.startswith("example 4 is ignored in passive mode")


def test_each_captured_example_is_named_at_the_alias(tmp_path: Path) -> None:
    # Two examples sharing the alias's words would vouch for each other (examples are fuzzy
    # memory): one alone is captured.
    examples = ["404 endpoint not found"]
    model = {**MODEL_NOT_FOUND, "examples": MODEL_NOT_FOUND["examples"] + examples}
    directory = write_knowledge(tmp_path, (PATH_NOT_FOUND, model))

    problems = check_knowledge(directory)

    alias_problems = [p for p in problems if p.file.name == "404-path-not-found.yaml"]
    assert [p.message.split(" of ")[0] for p in alias_problems] == [
        "alias 'endpoint not found' also captures example 4",
    ]


def test_fixture_entries_are_all_checked(tmp_path: Path) -> None:
    broken = tuple(with_example(data, "hello there friend") for data in ENTRIES)

    problems = check_knowledge(write_knowledge(tmp_path, broken))

    assert {p.file.name for p in problems} == {f"{data['id']}.yaml" for data in ENTRIES}
