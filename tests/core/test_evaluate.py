from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.core.evaluate import (
    Case,
    CorpusError,
    Verdict,
    compare,
    evaluate,
    format_changes,
    format_report,
    load_corpus,
    report_json,
)
from bot.core.model import Knowledge
from bot.knowledge.load import load_knowledge
from tests.knowledge.knowledge_fixtures import (
    ENTRIES,
    MODEL_NOT_FOUND,
    PATH_NOT_FOUND,
    RATE_LIMIT,
    SERVER_ERROR,
    write_knowledge,
)

RATE_TEXT = "openai.RateLimitError: Error code: 429 - {'error': {'message': 'rate limit exceeded'}}"
MODEL_TEXT = (
    "openai.NotFoundError: Error code: 404 - {'error': {'message': "
    "'Model not found, inaccessible, and/or not deployed'}}"
)
SERVER_TEXT = "HTTP/1.1 500 Internal Server Error"
CHAT_TEXT = "thanks, that fixed it!"
TEAPOT_TEXT = "openai.APIStatusError: Error code: 418 - I'm a teapot"
QUESTION_TEXT = "what does a 429 status mean?"

CORPUS = [
    Case(RATE_TEXT, "429", source="c.jsonl:1"),
    Case(MODEL_TEXT, "404", source="c.jsonl:2"),
    Case(SERVER_TEXT, "500", source="c.jsonl:3"),
    Case(CHAT_TEXT, "none", source="c.jsonl:4"),
    Case(TEAPOT_TEXT, "unknown", source="c.jsonl:5"),
    Case(QUESTION_TEXT, "429", note="a question, not a report", source="c.jsonl:6"),
    Case("rate limited", "none", source="c.jsonl:7"),
]


@pytest.fixture
def knowledge(tmp_path: Path) -> Knowledge:
    return load_knowledge(write_knowledge(tmp_path))


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# Corpus files


def test_load_corpus_reads_cases_with_their_source(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "a.jsonl",
        json.dumps({"text": RATE_TEXT, "expected": "429", "note": "sdk"}),
        "",
        json.dumps({"text": CHAT_TEXT, "expected": "none"}),
        json.dumps({"text": SERVER_TEXT, "expected": 500}),
    )

    assert load_corpus([path]) == [
        Case(RATE_TEXT, "429", "sdk", f"{path}:1"),
        Case(CHAT_TEXT, "none", "", f"{path}:3"),
        Case(SERVER_TEXT, "500", "", f"{path}:4"),
    ]


def test_load_corpus_expands_a_directory_in_name_order(tmp_path: Path) -> None:
    write_lines(tmp_path / "b.jsonl", json.dumps({"text": "b", "expected": "unknown"}))
    write_lines(tmp_path / "a.jsonl", json.dumps({"text": "a", "expected": "none"}))
    (tmp_path / "notes.txt").write_text("not a corpus")

    assert [case.text for case in load_corpus([tmp_path])] == ["a", "b"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"text": "x", "expected": "429"', "not valid JSON"),
        ('["x", "429"]', "expected a JSON object"),
        ('{"expected": "429"}', "'text' must be a non-empty string"),
        ('{"text": "  ", "expected": "429"}', "'text' must be a non-empty string"),
        ('{"text": "x"}', "'expected' must be a status code from 400 to 599, 'none', 'unknown'"),
        ('{"text": "x", "expected": "Not An Id"}', "not 'Not An Id'"),
        ('{"text": "x", "expected": 399}', "not '399'"),
        ('{"text": "x", "expected": "none", "note": 3}', "'note' must be a string"),
        ('{"text": "x", "expected": "none", "label": "y"}', "unknown key(s) label"),
    ],
)
def test_bad_corpus_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write_lines(tmp_path / "bad.jsonl", json.dumps({"text": "ok", "expected": "none"}), line)

    with pytest.raises(CorpusError) as caught:
        load_corpus([path])

    assert str(caught.value).startswith(f"{path}:2: ")
    assert message in str(caught.value)


# Scoring


def test_evaluate_scores_each_label_in_passive_mode(knowledge: Knowledge) -> None:
    report = evaluate(CORPUS, knowledge)

    assert [(s.label, s.correct, s.total) for s in report.labels] == [
        ("404", 1, 1),
        ("429", 1, 2),
        ("500", 1, 1),
        ("none", 1, 2),
        ("unknown", 1, 1),
    ]
    assert (report.correct, report.total) == (5, 7)
    assert report.accuracy == pytest.approx(5 / 7)
    assert [(miss.case.source, miss.got) for miss in report.misses] == [
        ("c.jsonl:6", Verdict("ignore", None, None)),
        ("c.jsonl:7", Verdict("answer", "429", "429-rate-limit")),
    ]


def test_escalation_with_the_expected_code_counts_as_right(knowledge: Knowledge) -> None:
    [outcome] = evaluate([Case(SERVER_TEXT, "500")], knowledge).outcomes

    assert outcome.got == Verdict("escalate", "500", "500-internal-server-error")
    assert outcome.correct


def test_unknown_needs_an_escalation_without_a_code(knowledge: Knowledge) -> None:
    report = evaluate([Case(SERVER_TEXT, "unknown"), Case(CHAT_TEXT, "unknown")], knowledge)

    assert report.correct == 0


def test_format_report_lists_labels_overall_and_misses(knowledge: Knowledge) -> None:
    text = format_report(evaluate(CORPUS, knowledge))

    assert text.splitlines()[:7] == [
        "label        correct  accuracy",
        "404              1/1    100.0%",
        "429              1/2     50.0%",
        "500              1/1    100.0%",
        "none             1/2     50.0%",
        "unknown          1/1    100.0%",
        "overall          5/7     71.4%",
    ]
    assert "misses (2):" in text
    assert f"c.jsonl:6: expected 429, got ignore: {QUESTION_TEXT!r}" in text
    assert "c.jsonl:7: expected none, got answer 429-rate-limit: 'rate limited'" in text


def test_report_json_shape(knowledge: Knowledge) -> None:
    data = report_json(evaluate(CORPUS[:1] + CORPUS[5:6], knowledge))
    bands = data.pop("reliability")  # one answer (the question is ignored), in one band
    assert [band["answers"] for band in bands].count(1) == 1 and len(bands) == 6

    assert data == {
        "total": 2,
        "correct": 1,
        "accuracy": 0.5,
        "labels": {"429": {"total": 2, "correct": 1, "accuracy": 0.5}},
        "misses": [
            {
                "source": "c.jsonl:6",
                "text": QUESTION_TEXT,
                "expected": "429",
                "note": "a question, not a report",
                "got": {"action": "ignore", "code": None, "entry": None},
            }
        ],
    }
    assert json.loads(json.dumps(data)) == data


def test_long_texts_are_shortened_in_reports(knowledge: Knowledge) -> None:
    long_text = "please help " * 40
    data = report_json(evaluate([Case(long_text, "429")], knowledge))

    assert len(data["misses"][0]["text"]) <= 80  # the one ellipsis helper drops a space it cut at
    assert data["misses"][0]["text"].endswith("…")


# Comparing two knowledge sets


def test_compare_lists_only_the_cases_whose_decision_moved(
    tmp_path: Path, knowledge: Knowledge
) -> None:
    # The examples are fuzzy memory too: both the pattern and the examples change.
    without_pattern = {
        **MODEL_NOT_FOUND,
        "patterns": ["no deployment serves it"],
        "examples": [f"Error code: 404 - no deployment serves it ({n})" for n in range(3)],
    }
    changed = load_knowledge(
        write_knowledge(
            tmp_path / "new", (RATE_LIMIT, PATH_NOT_FOUND, without_pattern, SERVER_ERROR)
        )
    )

    changes = compare(CORPUS, knowledge, changed)

    assert [(c.case.source, c.before, c.after) for c in changes] == [
        (
            "c.jsonl:2",
            Verdict("answer", "404", "404-model-not-found"),
            Verdict("answer", "404", "404-path-not-found"),
        )
    ]
    moved = "answer 404-model-not-found -> answer 404-path-not-found (expected 404)"
    assert format_changes(changes).splitlines()[1].startswith(f"  c.jsonl:2: {moved}: ")
    assert changes[0].to_json() == {
        "source": "c.jsonl:2",
        "text": MODEL_TEXT[:79] + "…",
        "expected": "404",
        "before": {"action": "answer", "code": "404", "entry": "404-model-not-found"},
        "after": {"action": "answer", "code": "404", "entry": "404-path-not-found"},
    }


def test_compare_of_identical_knowledge_is_empty(tmp_path: Path, knowledge: Knowledge) -> None:
    same = load_knowledge(write_knowledge(tmp_path / "copy", ENTRIES))

    changes = compare(CORPUS, knowledge, same)

    assert changes == []
    assert format_changes(changes) == "no decision changed"


# Generated cases: per client, explicit mode

CLIENT_CORPUS = [
    Case(RATE_TEXT, "429", client="openai 2.54.0", scenario="429-rate-limit/chat", variant="raw"),
    Case(QUESTION_TEXT, "429", client="openai 2.54.0", scenario="429-rate-limit/chat"),
    Case(MODEL_TEXT, "404", client="curl 7.88.1", scenario="404-model-not-found/chat"),
    Case(CHAT_TEXT, "none"),
]


def test_load_corpus_keeps_the_client_scenario_and_variant(tmp_path: Path) -> None:
    case = {"text": RATE_TEXT, "expected": "429", "client": "openai 2.54.0"}
    case |= {"scenario": "429-rate-limit/chat", "variant": "last-line"}
    path = write_lines(tmp_path / "c.jsonl", json.dumps(case))

    [loaded] = load_corpus([path])

    assert (loaded.client, loaded.scenario, loaded.variant) == (
        "openai 2.54.0",
        "429-rate-limit/chat",
        "last-line",
    )


def test_a_non_string_client_names_file_and_line(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "c.jsonl", json.dumps({"text": "x", "expected": "429", "client": 1})
    )

    with pytest.raises(CorpusError, match=r"c.jsonl:1: 'client' must be a string"):
        load_corpus([path])


def test_evaluate_scores_each_client_and_each_client_label(knowledge: Knowledge) -> None:
    report = evaluate(CLIENT_CORPUS, knowledge)

    assert [(s.label, s.correct, s.total) for s in report.clients] == [
        ("curl 7.88.1", 1, 1),
        ("openai 2.54.0", 1, 2),
    ]
    data = report_json(report)
    assert data["clients"]["openai 2.54.0"] == {"total": 2, "correct": 1, "accuracy": 0.5}
    assert data["client_labels"] == {
        "curl 7.88.1": {"404": {"correct": 1, "total": 1}},
        "openai 2.54.0": {"429": {"correct": 1, "total": 2}},
    }
    assert data["misses"][0]["client"] == "openai 2.54.0"
    assert data["misses"][0]["scenario"] == "429-rate-limit/chat"


def test_format_report_adds_a_client_table_and_the_origin_of_misses(knowledge: Knowledge) -> None:
    text = format_report(evaluate(CLIENT_CORPUS, knowledge))

    assert "client          correct  accuracy" in text
    assert "openai 2.54.0       1/2     50.0%" in text
    assert "[openai 2.54.0, 429-rate-limit/chat]" in text


def test_a_corpus_without_clients_has_no_client_table(knowledge: Knowledge) -> None:
    report = evaluate(CORPUS, knowledge)

    assert report.clients == ()
    assert "client" not in format_report(report)
    assert "clients" not in report_json(report)


def test_explicit_mode_names_a_code_where_passive_stays_quiet(knowledge: Knowledge) -> None:
    passive = evaluate(CLIENT_CORPUS[:2], knowledge)
    explicit = evaluate(CLIENT_CORPUS[:2], knowledge, mode="explicit")

    assert (passive.correct, explicit.correct) == (1, 2)
    assert explicit.mode == "explicit"
    assert report_json(explicit)["mode"] == "explicit"
    assert "(scored in explicit mode)" in format_report(explicit)


def test_in_explicit_mode_chatter_must_name_no_code(knowledge: Knowledge) -> None:
    report = evaluate([Case(CHAT_TEXT, "none")], knowledge, mode="explicit")

    assert report.outcomes[0].got.code is None
    assert report.correct == 1
