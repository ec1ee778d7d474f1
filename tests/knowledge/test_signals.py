"""The vocabulary is data: a line in knowledge/signals changes an answer with no Python change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.evidence import Kind
from bot.core.matcher import diagnose
from bot.knowledge.check import check_knowledge
from bot.knowledge.load import KnowledgeError, load_knowledge
from bot.knowledge.signals import default_bundled

SHIPPED = default_bundled()


def copy_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(SHIPPED, target)
    return target


def append(path: Path, line: str) -> int:
    """Append `line` to a YAML file; return its line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_a_new_exception_class_line_changes_the_answer(tmp_path: Path) -> None:
    paste = "acme_llm.errors.QuotaBlownError: slow down, you sent too much"
    directory = copy_knowledge(tmp_path)
    before = diagnose(paste, load_knowledge(directory), "passive")
    assert before.code != "429"

    append(directory / "signals" / "exceptions.yaml", "QuotaBlownError: 429")
    after = diagnose(paste, load_knowledge(directory), "passive")

    assert (after.action, after.code) == ("answer", "429")
    assert any(e.kind is Kind.EXCEPTION and e.text == "QuotaBlownError" for e in after.evidence)


def test_a_new_transport_phrase_line_changes_the_answer(tmp_path: Path) -> None:
    paste = "our agent logs say: upstream socket went dark while reading the completion"
    directory = copy_knowledge(tmp_path)
    assert diagnose(paste, load_knowledge(directory), "passive").entry is None

    append(directory / "signals" / "transport.yaml", "socket went dark: connection-reset")
    knowledge = load_knowledge(directory)

    for mode in ("passive", "explicit"):
        decision = diagnose(paste, knowledge, mode)
        assert decision.action == "answer"
        assert decision.entry is not None and decision.entry.id == "connection-reset"
        assert not decision.pages_support
    assert check_knowledge(directory) == []


def test_a_signal_naming_a_missing_entry_says_where_and_suggests_one(tmp_path: Path) -> None:
    directory = copy_knowledge(tmp_path)
    line = append(directory / "signals" / "transport.yaml", "wire cut: connection-rest")

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(directory)

    [problem] = raised.value.problems
    assert str(problem) == (
        f"knowledge/signals/transport.yaml:{line}: 'connection-rest' is not a status code or an "
        "entry id or 'unknown' — did you mean 'connection-reset'?"
    )


@pytest.mark.parametrize(
    ("file", "line", "message"),
    [
        ("exceptions.yaml", "openai.Foo: 429", "is not a class name"),
        ("exceptions.yaml", "FooError: 399", "399 is not an HTTP error status"),
        ("transport.yaml", "wire cut: 429", "names a status code"),
        ("envelopes.yaml", "not_upper: 404", "must be upper case"),
        ("transport.yaml", "socket hang up: connection-reset", "is written twice"),
    ],
)
def test_bad_signal_lines_fail_with_file_and_line(
    tmp_path: Path, file: str, line: str, message: str
) -> None:
    directory = copy_knowledge(tmp_path)
    number = append(directory / "signals" / file, line)

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(directory)

    [problem] = raised.value.problems
    assert str(problem).startswith(f"knowledge/signals/{file}:{number}: ")
    assert message in problem.message


def test_a_signal_may_not_name_an_entry_with_a_status(tmp_path: Path) -> None:
    directory = copy_knowledge(tmp_path)
    number = append(directory / "signals" / "transport.yaml", "quota gone: 429-rate-limit")

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(directory)

    [problem] = raised.value.problems
    assert str(problem).startswith(f"knowledge/signals/transport.yaml:{number}: ")
    assert "an entry with a status code" in problem.message


def test_a_transport_phrase_written_as_a_regex_reads_a_message_with_a_number(
    tmp_path: Path,
) -> None:
    paste = "our agent: socket idle for 45s, closed by the far end while streaming"
    directory = copy_knowledge(tmp_path)
    assert diagnose(paste, load_knowledge(directory), "passive").entry is None

    append(
        directory / "signals" / "transport.yaml",
        "'regex: \\bsocket idle for \\d+ ?s\\b': connection-reset",
    )
    decision = diagnose(paste, load_knowledge(directory), "passive")

    assert decision.entry is not None and decision.entry.id == "connection-reset"
    assert any(e.text == "socket idle for 45s" for e in decision.evidence)
    assert check_knowledge(directory) == []


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("idle(?=x)", "does not compile with RE2"), ("(?:idle)?", "matches empty text")],
)
def test_a_transport_regex_that_cannot_work_is_reported(
    tmp_path: Path, pattern: str, message: str
) -> None:
    directory = copy_knowledge(tmp_path)
    number = append(
        directory / "signals" / "transport.yaml", f"'regex: {pattern}': connection-reset"
    )

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(directory)

    [problem] = raised.value.problems
    assert str(problem).startswith(f"knowledge/signals/transport.yaml:{number}: ")
    assert message in problem.message


def test_a_prose_regex_that_re2_refuses_is_reported(tmp_path: Path) -> None:
    directory = copy_knowledge(tmp_path)
    prose = directory / "signals" / "prose.yaml"
    text = prose.read_text(encoding="utf-8").replace(
        "  - just planning\n", "  - just planning\n  - regex: 'plan(?=ning)'\n"
    )
    prose.write_text(text, encoding="utf-8")

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(directory)

    [problem] = raised.value.problems
    assert "prose.yaml:" in str(problem) and "does not compile with RE2" in problem.message


def test_a_directory_of_entries_only_borrows_the_bundled_signals(tmp_path: Path) -> None:
    directory = copy_knowledge(tmp_path)
    shutil.rmtree(directory / "signals")
    for path in directory.glob("*.yaml"):
        if path.name != "tips.yaml" and "code: none" in path.read_text(encoding="utf-8"):
            path.unlink()

    knowledge = load_knowledge(directory)  # signals naming the deleted entries mean "unknown"
    decision = diagnose("Error: read ECONNRESET", knowledge, "passive")

    assert decision.action == "escalate" and decision.entry is None


def test_a_signals_example_that_does_not_hold_fails_check_at_its_line(tmp_path: Path) -> None:
    directory = copy_knowledge(tmp_path)
    transport = directory / "signals" / "transport.yaml"
    append(transport, '  - text: "the wire went dark mid-request"')
    line = append(transport, "    expect: connection-reset") - 1

    [problem] = check_knowledge(directory)

    assert str(problem).startswith(
        f"knowledge/signals/transport.yaml:{line}: example expects connection-reset but the "
        "bot would ignore"
    )

    append(transport.parent / "transport.yaml", "")  # the fix is one signals line, no Python
    text = transport.read_text(encoding="utf-8").replace(
        "# Connection reset:", "wire went dark: connection-reset\n# Connection reset:"
    )
    transport.write_text(text, encoding="utf-8")
    assert check_knowledge(directory) == []


def test_a_new_class_ending_makes_an_unnamed_class_a_failure(tmp_path: Path) -> None:
    # markers.yaml's class_endings: a class no exceptions.yaml line names still says that
    # something failed once its ending is listed.
    paste = (
        'Traceback (most recent call last):\n  File "app.py", line 3, in <module>\n'
        "    client.chat.completions.create(model=m)\nQuotaBlownFault: gone"
    )
    directory = copy_knowledge(tmp_path)
    before = diagnose(paste, load_knowledge(directory), "passive")
    assert before.action == "ignore"

    markers = directory / "signals" / "markers.yaml"
    text = markers.read_text(encoding="utf-8").replace(
        "class_endings: [Error, Exception, Timeout, Exceeded]",
        "class_endings: [Error, Exception, Timeout, Exceeded, Fault]",
    )
    markers.write_text(text, encoding="utf-8")

    after = diagnose(paste, load_knowledge(directory), "passive")
    assert after.action == "escalate"
    assert any(e.text == "QuotaBlownFault" for e in after.evidence)


def test_a_misspelt_or_missing_markers_list_is_reported_with_its_line(tmp_path: Path) -> None:
    directory = copy_knowledge(tmp_path)
    markers = directory / "signals" / "markers.yaml"
    text = markers.read_text(encoding="utf-8").replace("key_unset:", "key_unsett:")
    markers.write_text(text, encoding="utf-8")
    number = text.splitlines().index(
        next(line for line in text.splitlines() if line.startswith("key_unsett:"))
    )

    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(directory)

    shown = sorted(str(problem) for problem in raised.value.problems)
    assert shown == [
        "knowledge/signals/markers.yaml: missing list 'key_unset'",
        f"knowledge/signals/markers.yaml:{number + 1}: unknown list 'key_unsett'"
        " — did you mean 'key_unset'?",
    ]
