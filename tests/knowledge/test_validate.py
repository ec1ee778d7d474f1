from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.core.linear_re import Regex
from bot.knowledge.load import KnowledgeError, load_knowledge
from bot.knowledge.regex_safety import compile_pattern
from bot.knowledge.validate import ENTRY_KEYS
from tests.knowledge.knowledge_fixtures import (
    MODEL_NOT_FOUND,
    PATH_NOT_FOUND,
    RATE_LIMIT,
    entry,
    line_of,
    write_entry,
    write_knowledge,
)


def problems_for(tmp_path: Path, *entries: dict[str, Any]) -> list[str]:
    directory = write_knowledge(tmp_path, entries)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)
    return [str(problem) for problem in caught.value.problems]


def only_problem(tmp_path: Path, data: dict[str, Any]) -> tuple[str, Path]:
    [problem] = problems_for(tmp_path, data)
    return problem, tmp_path / "knowledge" / f"{data['id']}.yaml"


def test_unknown_key_suggests_the_close_one_and_lists_allowed(tmp_path: Path) -> None:
    problem, path = only_problem(tmp_path, entry("429-x", 429, titel="Rate limit"))

    assert problem == (
        f"knowledge/429-x.yaml:{line_of(path, 'titel:')}: unknown key 'titel' — did you mean "
        f"'title'? allowed keys: {', '.join(ENTRY_KEYS)}"
    )


def test_unknown_key_without_a_close_match_lists_allowed(tmp_path: Path) -> None:
    problem, _ = only_problem(tmp_path, entry("429-x", 429, severity="high"))

    assert f"unknown key 'severity' — allowed keys: {', '.join(ENTRY_KEYS)}" in problem


@pytest.mark.parametrize("key", ["id", "code", "title", "escalate", "cause", "fix", "docs"])
def test_missing_required_field(tmp_path: Path, key: str) -> None:
    data = entry("429-x", 429, **{key: None})
    directory = write_knowledge(tmp_path, ())
    write_entry(directory, data, name="429-x.yaml")

    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)

    [problem] = map(str, caught.value.problems)
    assert problem.startswith(f"knowledge/429-x.yaml:1: missing required field '{key}' — add")


def test_missing_examples_is_reported(tmp_path: Path) -> None:
    problem, _ = only_problem(tmp_path, entry("429-x", 429, examples=None))

    assert "missing required field 'examples'" in problem


@pytest.mark.parametrize(
    ("fields", "key", "fragment"),
    [
        (
            {"code": "abc"},
            "code:",
            "code must be a status code like 429, or none, not the text 'abc'",
        ),
        ({"code": "429"}, "code:", "code must be a number — write code: 429 without quotes"),
        ({"code": 399}, "code:", "code 399 is not an HTTP error status — use a number from 400"),
        ({"code": 600}, "code:", "code 600 is not an HTTP error status"),
        ({"code": True}, "code:", "code must be a status code like 429, or none, not true/false"),
        ({"escalate": "yes"}, "escalate:", "'escalate' must be true or false, not the text 'yes'"),
        ({"generic": 1}, "generic:", "'generic' must be true or false, not a number"),
        ({"outage": "often"}, "outage:", "'outage' must be true or false, not the text 'often'"),
        ({"examples": "one paste"}, "examples:", "'examples' must be a list with one '- item'"),
        (
            {"examples": ["a 429", "b 429"]},
            "examples:",
            "'examples' has 2 items; it needs at least 3",
        ),
        ({"aliases": {"a": "b"}}, "aliases:", "'aliases' must be a list"),
        ({"title": 429}, "title:", "'title' must be text, not a number — put it in quotes"),
        ({"title": ""}, "title:", "'title' is 0 characters; write at least 1"),
        ({"title": None, "cause": None}, None, "missing required field 'cause'"),
        ({"fix": "Retry."}, "fix:", "'fix' is 6 characters; write at least 20: what to do"),
        ({"docs": "http://docs.fireworks.ai/x"}, "docs:", "'docs' must be an https:// link"),
        ({"docs": "https://"}, "docs:", "'docs' must be an https:// link"),
        ({"docs": "see the docs"}, "docs:", "'docs' must be an https:// link"),
    ],
)
def test_wrong_values_are_reported_at_their_key(
    tmp_path: Path, fields: dict[str, Any], key: str | None, fragment: str
) -> None:
    problems = problems_for(tmp_path, entry("429-x", 429, **fields))
    path = tmp_path / "knowledge" / "429-x.yaml"

    matching = [p for p in problems if fragment in p]
    assert matching, problems
    line = line_of(path, key) if key else 1
    assert matching[0].startswith(f"knowledge/429-x.yaml:{line}: ")


def test_cause_over_its_cap_points_moderator_notes_to_notes(tmp_path: Path) -> None:
    problem, path = only_problem(tmp_path, entry("429-x", 429, cause="x" * 1310))

    assert problem == (
        f"knowledge/429-x.yaml:{line_of(path, 'cause:')}: 'cause' is 1310 characters; users "
        "read it: keep it at most 600, and move notes for moderators (history, other "
        "spellings, which library raises what) to 'notes' — shorten it"
    )


def test_a_long_first_sentence_of_the_cause_is_reported(tmp_path: Path) -> None:
    cause = "w" * 230 + ". A second sentence."
    problem, path = only_problem(tmp_path, entry("429-x", 429, cause=cause))

    assert problem == (
        f"knowledge/429-x.yaml:{line_of(path, 'cause:')}: the first sentence of 'cause' is "
        "231 characters; a short answer shows it alone, so keep it at most 220 — end it "
        "sooner with '. '"
    )


def test_notes_are_kept_for_moderators_and_capped(tmp_path: Path) -> None:
    notes = "The seed table calls this Over Quota; older litellm raises BadRequestError."
    directory = write_knowledge(tmp_path, (entry("429-x", 429, notes=notes),))
    assert load_knowledge(directory).entries[0].notes == notes

    problem, _ = only_problem(tmp_path / "again", entry("429-x", 429, notes="n" * 2001))
    assert "'notes' is 2001 characters; keep moderator notes at most 2000" in problem


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"title": "t" * 257}, "'title' is 257 characters; Discord shows at most 256 in a title"),
        ({"fix": "f" * 1025}, "'fix' is 1025 characters; Discord shows at most 1024"),
        ({"tips": ["fine", "t" * 301]}, "tips item 2 is 301 characters; keep each at most 300"),
        ({"tips": [f"tip {n}" for n in range(6)]}, "'tips' has 6 items; keep at most 5"),
        ({"aliases": ["x"]}, "aliases item 1 is 1 characters; write at least 2"),
        ({"aliases": ["a" * 101]}, "aliases item 1 is 101 characters; keep each at most 100"),
    ],
)
def test_lengths_over_caps(tmp_path: Path, fields: dict[str, Any], fragment: str) -> None:
    problem, _ = only_problem(tmp_path, entry("429-x", 429, **fields))

    assert fragment in problem


def test_lengths_at_the_caps_are_accepted(tmp_path: Path) -> None:
    data = entry(
        "429-x",
        429,
        title="t" * 256,
        cause="c" * 219 + ". " + "c" * 379,
        fix="f" * 1024,
        notes="n" * 2000,
        tips=[f"{n}" + "t" * 299 for n in range(5)],
        aliases=["ab", "a" * 100],
    )
    directory = write_knowledge(tmp_path, (data,))

    assert load_knowledge(directory).entries[0].title == "t" * 256


def test_items_are_reported_at_their_own_line(tmp_path: Path) -> None:
    data = entry("429-x", 429, aliases=["rate limited", "x", "over quota"])
    problem, path = only_problem(tmp_path, data)

    assert problem.startswith(f"knowledge/429-x.yaml:{line_of(path, '- x')}: aliases item 2")


def test_repeated_items_in_one_entry(tmp_path: Path) -> None:
    data = entry("429-x", 429, aliases=["Rate Limited", "over quota", "rate  limited"])
    problem, path = only_problem(tmp_path, data)

    assert problem == (
        f"knowledge/429-x.yaml:{line_of(path, 'rate  limited')}: aliases item 3 repeats item 1"
        " — remove one of them"
    )


def test_repeated_key_is_reported(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,))
    path = directory / "429-rate-limit.yaml"
    path.write_text(path.read_text() + "title: again\n")

    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)

    [problem] = map(str, caught.value.problems)
    assert problem.startswith(f"knowledge/429-rate-limit.yaml:{line_of(path, 'title: again')}: ")
    assert f"'title' appears again (first at line {line_of(path, 'title:')})" in problem


@pytest.mark.parametrize(
    ("entry_id", "name", "fragment"),
    [
        ("429_Rate", "429_Rate.yaml", "id must be a lowercase slug"),
        ("42", "42.yaml", "id is 2 characters; it must be 3..64"),
        ("429-" + "x" * 61, "429-" + "x" * 61 + ".yaml", "id is 65 characters"),
        (
            "429-rate",
            "429-rate-limit.yaml",
            "id '429-rate' does not match the file name '429-rate-limit.yaml' — rename the file"
            " to 429-rate.yaml or set id: 429-rate-limit",
        ),
    ],
)
def test_id_rules(tmp_path: Path, entry_id: str, name: str, fragment: str) -> None:
    directory = write_knowledge(tmp_path, ())
    path = write_entry(directory, entry(entry_id, 429), name=name)

    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)

    [problem] = map(str, caught.value.problems)
    assert problem.startswith(f"knowledge/{name}:{line_of(path, 'id:')}: {fragment}")


def test_placeholder_todo_must_be_filled_in(tmp_path: Path) -> None:
    data = entry("429-x", 429, cause="TODO: explain why this error happens.")
    problem, path = only_problem(tmp_path, data)

    assert problem == (
        f"knowledge/429-x.yaml:{line_of(path, 'cause:')}: fill in 'cause': why this happens, "
        "in our own words (it still says TODO)"
    )


def test_placeholder_in_an_optional_list_may_be_deleted(tmp_path: Path) -> None:
    problem, _ = only_problem(tmp_path, entry("429-x", 429, tips=["TODO: a hint"]))

    assert problem.endswith(
        "fill in tips item 1: an extra hint specific to this entry "
        "(it still says TODO), or delete it"
    )


def test_every_problem_of_one_entry_is_reported(tmp_path: Path) -> None:
    data = entry("429-x", 429, titel="x", code="abc", escalate="no", examples=["one"])

    problems = problems_for(tmp_path, data)

    assert len(problems) == 4
    assert [p.split(": ", 1)[0] for p in problems] == sorted(
        (p.split(": ", 1)[0] for p in problems), key=lambda where: int(where.rsplit(":", 1)[1])
    )


# Patterns


def test_short_literal_pattern_is_rejected(tmp_path: Path) -> None:
    problem, path = only_problem(tmp_path, entry("429-x", 429, patterns=["quota"]))

    assert problem.startswith(f"knowledge/429-x.yaml:{line_of(path, '- quota')}: ")
    assert "patterns item 1 'quota' is 5 characters; a literal pattern needs at least 8" in problem


def test_eight_character_literal_is_accepted(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (entry("429-x", 429, patterns=["  too many"]),))

    assert load_knowledge(directory).entries[0].patterns[0].text == "too many"


LOOK_AROUND = "uses look-around ((?=...), (?!...), (?<=...) or (?<!...)), which the bot's regex"
BACKREFERENCE = "uses a backreference (\\1, (?P=name) or (?(1)...)), which the bot's regex engine"


@pytest.mark.parametrize(
    ("regex", "fragment"),
    [
        (r"limit(?= exceeded)", LOOK_AROUND),
        (r"limit(?! soon)", LOOK_AROUND),
        (r"(?<=rate )limit", LOOK_AROUND),
        (r"(?<!no )quota exceeded", LOOK_AROUND),
        (r"(quota)\1", BACKREFERENCE),
        (r"(?P<word>\w+) (?P=word)", BACKREFERENCE),
        (r"(quota)?(?(1)x|y) limit", BACKREFERENCE),
        ("rate (limit", "does not compile: missing ): rate (limit — fix the syntax"),
        ("quota a{1001}", "does not compile: invalid repetition size: {1001}"),
        ("x*", "matches empty text, so it would match every paste"),
        ("(.*)*", "matches empty text"),
        (r"rate limit[\s\S]{1,500}zq", "is too large: "),
    ],
)
def test_refused_regex_says_what_to_write_instead(
    tmp_path: Path, regex: str, fragment: str
) -> None:
    data = entry("429-x", 429, patterns=[{"regex": regex}])
    problem, path = only_problem(tmp_path, data)

    assert problem.startswith(f"knowledge/429-x.yaml:{line_of(path, '- regex:')}: ")
    assert f"patterns item 1: regex {regex!r} {fragment}" in problem


@pytest.mark.parametrize(
    "regex",
    [
        r"prompt is too long: \d+ tokens",
        r"level (?:error|warning)+: quota",
        r"id (\d{3}-)+\d{4}",
        r"model .* not found",
        r"(?:rate|quota) limit(?:ed)? \w+",
        r"x([a-c]|[d-f])+z",
        r"^Error: (?:rate|quota) limit",
        r"\bquota exceeded",
        # Shapes that backtracked on the old engine are linear on RE2, so they are fine now.
        r"(a+)+b",
        r"error: (\w+\s?)+$",
        r".*not deployed",
        r"\w+ not found",
        r"(?:\d|\d\d)*x",
        r"rate limit\s*\s*\s*\s*\s*\s*zq",
        r"rate limit.*exceeded.*zq",
    ],
)
def test_linear_regex_is_accepted_and_compiled_with_re2(regex: str) -> None:
    pattern, reason = compile_pattern(regex)

    assert reason is None
    assert pattern is not None and pattern.text == regex
    assert isinstance(pattern.regex, Regex)
    assert pattern.regex.options.case_sensitive is False  # like literal patterns


def test_pattern_mapping_needs_exactly_the_regex_key(tmp_path: Path) -> None:
    data = entry("429-x", 429, patterns=[{"regexp": "quota .*"}])
    problem, _ = only_problem(tmp_path, data)

    assert "patterns item 1 must be a plain string or a mapping with the single key 'regex'" in (
        problem
    )


# Rules across entries


def test_alias_claimed_by_two_entries_names_the_owner(tmp_path: Path) -> None:
    owner = entry("502-bad-gateway", 502, aliases=["upstream", "bad gateway"])
    other = entry("502-proxy-error", 502, generic=True, aliases=["Bad Gateway"])
    problems = problems_for(tmp_path, owner, other)
    owner_path = tmp_path / "knowledge" / "502-bad-gateway.yaml"
    other_path = tmp_path / "knowledge" / "502-proxy-error.yaml"

    assert problems == [
        f"knowledge/502-proxy-error.yaml:{line_of(other_path, 'Bad Gateway')}: alias 'Bad Gateway'"
        f" is already used by 502-bad-gateway (knowledge/502-bad-gateway.yaml:"
        f"{line_of(owner_path, 'bad gateway')}); an alias may belong to one entry — keep it only "
        "on the generic entry if all entries of the code share it"
    ]


def test_pattern_claimed_by_two_entries_is_reported(tmp_path: Path) -> None:
    first = entry("429-x", 429, patterns=["Rate limit exceeded"])
    second = entry("503-y", 503, patterns=[{"regex": "rate limit exceeded"}])

    [problem] = problems_for(tmp_path, first, second)

    assert problem.startswith("knowledge/503-y.yaml:")
    assert "pattern 'rate limit exceeded' is already used by 429-x (knowledge/429-x.yaml:" in (
        problem
    )
    assert "; a pattern may belong to one entry — keep it only on the entry it identifies" in (
        problem
    )


def test_aliases_differing_only_in_punctuation_collide(tmp_path: Path) -> None:
    first = entry("429-x", 429, aliases=["over-quota"])
    second = entry("402-y", 402, aliases=["Over quota!"])

    [problem] = problems_for(tmp_path, first, second)

    assert problem.startswith("knowledge/429-x.yaml:")
    assert "alias 'over-quota' is already used by 402-y" in problem


def test_alias_without_words_is_rejected(tmp_path: Path) -> None:
    problem, _ = only_problem(tmp_path, entry("429-x", 429, aliases=["?!"]))

    assert "alias '?!' has no letters or digits" in problem


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    directory = write_knowledge(tmp_path, (RATE_LIMIT,))
    write_entry(directory, RATE_LIMIT, name="429-rate-limit.yml")

    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(directory)

    problems = [str(p) for p in caught.value.problems]
    assert any(
        p.startswith(
            "knowledge/429-rate-limit.yml:1: id '429-rate-limit' is already used by "
            "knowledge/429-rate-limit.yaml:1"
        )
        for p in problems
    )


def test_shared_code_without_a_generic_entry(tmp_path: Path) -> None:
    specific = {**PATH_NOT_FOUND, "generic": False}

    [problem] = problems_for(tmp_path, specific, MODEL_NOT_FOUND)

    assert problem.startswith("knowledge/404-model-not-found.yaml:")
    assert (
        "code 404 has 2 entries (404-model-not-found, 404-path-not-found) but none has "
        "'generic: true' — mark exactly one" in problem
    )


def test_shared_code_with_two_generic_entries(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, PATH_NOT_FOUND, {**MODEL_NOT_FOUND, "generic": True})

    assert len(problems) == 2
    for problem, name in zip(problems, ["404-model-not-found", "404-path-not-found"], strict=True):
        path = tmp_path / "knowledge" / f"{name}.yaml"
        assert problem.startswith(f"knowledge/{name}.yaml:{line_of(path, 'generic:')}: ")
        assert "code 404 has 2 entries with 'generic: true'" in problem


def test_one_generic_among_many_is_accepted(tmp_path: Path) -> None:
    third = entry("404-file-not-found", 404, generic=False)
    directory = write_knowledge(tmp_path, (PATH_NOT_FOUND, MODEL_NOT_FOUND, third))

    knowledge = load_knowledge(directory)

    assert knowledge.for_code("404")[0].id == "404-path-not-found"
    assert not knowledge.by_id["404-file-not-found"].generic


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"cause": "The original table calls this Over Quota, but it is a rate limit."}, "cause"),
        ({"tips": ["fine", "The current guide reads it differently."]}, "tips"),
    ],
)
def test_text_for_moderators_in_a_user_facing_field_is_reported(
    tmp_path: Path, fields: dict[str, Any], key: str
) -> None:
    problem, _ = only_problem(tmp_path, entry("429-x", 429, **fields))

    assert "users read it, and where a reading comes from is for moderators — move that to" in (
        problem
    )
    assert f"'{key}' says" in problem
