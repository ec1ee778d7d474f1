from __future__ import annotations

import re
from datetime import UTC
from pathlib import Path

import pytest

import bot
from bot.core.entry import Pattern
from bot.knowledge.load import (
    ENV_VAR,
    MAX_FILE_BYTES,
    KnowledgeError,
    default_knowledge_dir,
    load_knowledge,
)
from tests.knowledge.knowledge_fixtures import (
    ENTRIES,
    RATE_LIMIT,
    TIPS,
    entry,
    line_of,
    write_entry,
    write_knowledge,
)


def problems_of(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    assert str(caught.value) == "\n".join(map(str, caught.value.problems))
    return [str(problem) for problem in caught.value.problems]


def test_loads_entries_tips_and_metadata(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path)
    knowledge = load_knowledge(directory)

    assert [e.id for e in knowledge.entries] == sorted(data["id"] for data in ENTRIES)
    rate = knowledge.by_id["429-rate-limit"]
    assert rate.code == "429"
    assert rate.title == RATE_LIMIT["title"]
    assert rate.aliases == ("rate limited",)
    assert rate.patterns == (Pattern("rate limit exceeded"),)
    assert rate.examples == tuple(RATE_LIMIT["examples"])
    assert rate.source == directory.resolve() / "429-rate-limit.yaml"
    assert rate.line == line_of(rate.source, "id: 429-rate-limit")
    assert knowledge.by_id["500-internal-server-error"].escalate is True
    assert knowledge.tips.support_email == TIPS["support_email"]
    assert knowledge.tips.general == tuple(TIPS["general"])
    assert re.fullmatch(r"[0-9a-f]{12}", knowledge.version)
    assert knowledge.loaded_at.tzinfo is UTC
    assert knowledge.directory == directory.resolve()


def test_sole_entry_of_a_code_is_generic_without_the_flag(tmp_path: Path) -> None:
    knowledge = load_knowledge(write_knowledge(tmp_path))

    assert "generic" not in RATE_LIMIT
    assert knowledge.by_id["429-rate-limit"].generic is True
    assert knowledge.by_id["404-path-not-found"].generic is True
    assert knowledge.by_id["404-model-not-found"].generic is False


def test_text_fields_are_stripped_of_block_scalar_newlines(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path)
    path = directory / "429-rate-limit.yaml"
    text = path.read_text().replace(
        f"cause: {RATE_LIMIT['cause']}", f"cause: >\n  {RATE_LIMIT['cause']}\n"
    )
    path.write_text(text)

    assert load_knowledge(directory).by_id["429-rate-limit"].cause == RATE_LIMIT["cause"]


def test_regex_patterns_are_compiled_case_insensitive(tmp_path: Path) -> None:
    pattern = {"regex": r"prompt is too long: \d+ tokens"}
    directory = write_knowledge(
        tmp_path, (entry("400-prompt-too-long", 400, patterns=[pattern, "context length"]),)
    )
    [loaded] = load_knowledge(directory).entries

    regex, literal = loaded.patterns
    assert regex.text == pattern["regex"]
    assert regex.regex is not None
    assert regex.regex.search("Prompt is too long: 9000 tokens") is not None
    assert literal == Pattern("context length", regex=None)


def test_version_changes_with_content_only(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path)
    first = load_knowledge(directory)
    again = load_knowledge(directory)
    write_entry(directory, {**RATE_LIMIT, "title": "429 Too Many Requests: slow down"})
    changed = load_knowledge(directory)

    assert again.version == first.version
    assert changed.version != first.version


def test_yml_files_are_entries_and_other_files_are_ignored(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, ())
    write_entry(directory, RATE_LIMIT, name="429-rate-limit.yml")
    (directory / "README.md").write_text("# Knowledge\n")
    (directory / ".429-rate-limit.yaml").write_bytes(b"\0\1binary editor backup")
    (directory / "notes.txt").write_text("not: [valid")

    assert [e.id for e in load_knowledge(directory).entries] == ["429-rate-limit"]


def test_reports_every_problem_of_every_file_at_once(tmp_path: Path) -> None:
    directory = write_knowledge(
        tmp_path,
        (
            entry("429-rate-limit", 429, titel="x"),
            entry("404-path-not-found", 4040, examples=["only one"]),
        ),
    )
    (directory / "502-bad-gateway.yaml").write_text("id: [unclosed\n")

    problems = problems_of(directory)

    assert len(problems) == 4
    assert problems[0].startswith("knowledge/404-path-not-found.yaml:")
    assert any("'examples' has 1 items; it needs at least 3" in p for p in problems)
    assert any("code 4040 is not an HTTP error status" in p for p in problems)
    assert any(p.startswith("knowledge/429-rate-limit.yaml:") and "'titel'" in p for p in problems)
    assert any(
        p.startswith("knowledge/502-bad-gateway.yaml:2: YAML syntax error") for p in problems
    )


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("id: 429-x\ncode: 429\ntitle: 'a: b'c\n", 3, "YAML syntax error"),
        ("id: 429-x\n  code: 429\n", 2, "YAML syntax error"),
        ("", 1, "the file is empty"),
        ("id: 429-x\ncode: &c 429\n", 2, "anchor '&c': anchors (&) and aliases (*) are not"),
        ("id: 429-x\ntitle: *c\n", 2, "alias '*c': anchors (&) and aliases (*) are not"),
        ("id: 429-x\n? [a, b]\n: c\n", 2, "a key must be a plain word, not a list"),
        ("id: 429-x\naliases:\n  - {[a]: b}\n", 3, "a key must be a plain word, not a list"),
        ("# only a comment\n", 1, "the file is empty"),
        (
            "- id: 429-x\n- code: 429\n",
            1,
            "must be a mapping of 'key: value' lines, but it holds a list",
        ),
        ("just a sentence\n", 1, "but it holds a single value"),
        ("id: a\n---\nid: b\n", 2, "expected a single document"),
    ],
)
def test_unreadable_yaml_is_reported_with_its_line(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    directory = write_knowledge(tmp_path, ())
    (directory / "429-x.yaml").write_text(text)

    [problem] = problems_of(directory)

    assert problem.startswith(f"knowledge/429-x.yaml:{line}: ")
    assert fragment in problem


def test_binary_file_is_reported(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, ())
    (directory / "429-x.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    assert problems_of(directory) == [
        "knowledge/429-x.yaml:1: the file is binary, not text — "
        "knowledge files must be UTF-8 YAML text"
    ]


def test_non_utf8_file_is_reported_at_the_bad_byte(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, ())
    (directory / "429-x.yaml").write_bytes("id: 429-x\ntitle: caf\xe9\n".encode("latin-1"))

    assert problems_of(directory) == [
        "knowledge/429-x.yaml:2: the file is not UTF-8 text (byte 0xe9 on this line) — "
        "save it with UTF-8 encoding"
    ]


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, ())
    path = write_entry(directory, RATE_LIMIT)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    assert load_knowledge(directory).entries[0].id == "429-rate-limit"


def test_missing_tips_file_is_reported(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,), tips=None)

    [problem] = problems_of(directory)

    assert problem.startswith("knowledge/tips.yaml: missing — create it with support_email")


@pytest.mark.parametrize(
    ("tips", "fragment"),
    [
        ({**TIPS, "general": "one tip"}, "'general' must be a list"),
        ({**TIPS, "general": []}, "'general' has 0 items; it needs at least 1"),
        (
            {**TIPS, "general": [f"tip number {n}" for n in range(11)]},
            "'general' has 11 items; keep at most 10",
        ),
        ({**TIPS, "general": ["x" * 301]}, "general item 1 is 301 characters"),
        ({**TIPS, "support_email": "support"}, "must be an email address"),
        ({**TIPS, "status_url": "http://status.fireworks.ai"}, "must be an https:// link"),
        ({**TIPS, "supportemail": "a@b.c"}, "did you mean 'support_email'?"),
        ({k: v for k, v in TIPS.items() if k != "docs_url"}, "missing required field 'docs_url'"),
        (["support@fireworks.ai"], "must be a mapping"),
    ],
)
def test_malformed_tips_file_is_reported(tmp_path: Path, tips: object, fragment: str) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,), tips=tips)

    problems = problems_of(directory)

    assert len(problems) == 1
    assert problems[0].startswith("knowledge/tips.yaml:")
    assert fragment in problems[0]


def test_directory_without_entries_is_reported(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, ())

    [problem] = problems_of(directory)

    assert "no entries — add one <code>-<slug>.yaml file" in problem


def test_missing_directory_is_reported(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path / "nowhere")

    assert "knowledge directory does not exist" in problem


def test_default_dir_is_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = write_knowledge(tmp_path)
    monkeypatch.setenv(ENV_VAR, str(directory))

    assert default_knowledge_dir() == directory
    assert load_knowledge().directory == directory.resolve()


def test_default_dir_from_a_missing_environment_path_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing"))

    with pytest.raises(KnowledgeError) as caught:
        default_knowledge_dir()

    assert f"{ENV_VAR} is set to" in str(caught.value)
    assert "which is not a directory" in str(caught.value)


def test_default_dir_in_a_checkout_is_the_repo_knowledge(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)

    assert default_knowledge_dir() == Path(bot.__file__).parent.parent / "knowledge"


def test_shipped_knowledge_loads_without_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)

    knowledge = load_knowledge()

    assert len(knowledge.entries) >= 10
    assert knowledge.tips.support_email == "support@fireworks.ai"


# Break 11: links, sizes and other files that are not plain entries.


def test_a_dangling_symlink_is_reported_not_skipped(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,))
    (directory / "500-gone.yaml").symlink_to(directory / "deleted.yaml")

    assert problems_of(directory) == [
        "knowledge/500-gone.yaml: is a symbolic link that leads to no file — restore its "
        "target, or delete the link"
    ]


def test_a_symlink_out_of_the_directory_is_refused_unread(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,))
    secret = tmp_path / "elsewhere.yaml"
    secret.write_text("password: hunter2\n")
    (directory / "500-x.yaml").symlink_to(secret)

    assert problems_of(directory) == [
        "knowledge/500-x.yaml: is a symbolic link to a file outside the knowledge directory — "
        "copy the file into the directory instead of linking to it"
    ]


def test_a_symlink_within_the_directory_is_read(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, ())
    (directory / "drafts").mkdir()
    source = write_entry(directory / "drafts", RATE_LIMIT)
    (directory / source.name).symlink_to(source)

    assert [entry.id for entry in load_knowledge(directory).entries] == ["429-rate-limit"]


def test_a_symlink_loop_and_a_directory_are_reported(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,))
    (directory / "500-a.yaml").symlink_to(directory / "500-b.yaml")
    (directory / "500-b.yaml").symlink_to(directory / "500-a.yaml")
    (directory / "500-c.yaml").mkdir()

    problems = problems_of(directory)

    assert [problem.split(": ")[0] for problem in problems] == [
        "knowledge/500-a.yaml",
        "knowledge/500-b.yaml",
        "knowledge/500-c.yaml",
    ]
    assert problems[2].endswith("is not a regular file — a knowledge entry is one YAML file")


def test_a_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,))
    path = write_entry(directory, entry("500-huge", 500))
    path.write_text(path.read_text() + "# padding\n" * (MAX_FILE_BYTES // 10))

    assert problems_of(directory) == [
        "knowledge/500-huge.yaml:1: the file is over 256 KiB; a knowledge entry is a few KiB — "
        "keep one error per file and cut long examples down to the lines that matter"
    ]


def test_a_path_too_long_for_the_system_is_a_missing_directory(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path / ("k" * 5000))
    assert problem.endswith(
        "the knowledge directory does not exist — create it, or pass the right path"
    )
