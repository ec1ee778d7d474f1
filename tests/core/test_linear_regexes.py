"""Every regex that reads user text is RE2, so no paste and no knowledge pattern can backtrack.

Timing belongs in benchmarks/, so these tests check the structure that guarantees linear time
(issue 8, breaks 1 and 8), and that the shapes which used to take seconds get the right answer.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
import re2

from bot import report
from bot.core import (
    error_line,
    evidence,
    extract,
    index,
    linear_re,
    matcher,
    mentions,
    model,
    paste,
    statuses,
    support,
    vocabulary,
    words,
)
from bot.core.detectors import (
    envelopes,
    exception_classes,
    messages,
    prose,
    prose_screen,
    status_lines,
    transport,
)
from bot.core.evaluate import load_corpus
from bot.core.linear_re import (
    AsciiView,
    Match,
    Regex,
    RegexError,
    Screen,
    compile_linear,
    for_re2,
)
from bot.core.matcher import diagnose
from bot.knowledge import check, regex_safety, signals, validate
from bot.knowledge.check import check_knowledge
from bot.knowledge.load import load_knowledge
from bot.knowledge.reload import diff_knowledge
from bot.observability import logs
from bot.sources import pastes, sites
from tests.knowledge.knowledge_fixtures import (
    PATH_NOT_FOUND,
    RATE_LIMIT,
    SERVER_ERROR,
    entry,
    write_knowledge,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
MODULES = (
    check,
    envelopes,
    evidence,
    exception_classes,
    extract,
    messages,
    paste,
    prose,
    signals,
    status_lines,
    transport,
    index,
    linear_re,
    matcher,
    mentions,
    model,
    regex_safety,
    statuses,
    support,
    validate,
    vocabulary,
    words,
    # Outside the core, but reading what users send too: links, stored pastes, payload logs.
    pastes,
    sites,
    report,
    logs,
)


def reachable(value: object, depth: int = 0) -> Iterator[object]:
    """`value` and what it holds: container items and dataclass fields, a few levels deep."""
    yield value
    if depth > 3:
        return
    if isinstance(value, dict):
        items = [*value.keys(), *value.values()]
    elif isinstance(value, list | tuple | set | frozenset):
        items = list(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = [getattr(value, f.name) for f in dataclasses.fields(value)]
    else:
        return
    for item in items:
        yield from reachable(item, depth + 1)


def module_regexes(module: ModuleType) -> list[object]:
    found = [v for g in vars(module).values() for v in reachable(g)]
    return [v for v in found if isinstance(v, re.Pattern | Regex)]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_no_module_that_reads_user_text_uses_the_backtracking_engine(module: ModuleType) -> None:
    assert re not in vars(module).values()
    assert all(isinstance(regex, Regex) for regex in module_regexes(module))


def test_the_walk_finds_the_extraction_regexes() -> None:
    # A control for the test above. The status rules are built from knowledge/signals (they
    # spell out its reason phrases): they are RE2 too.
    rules = [rule.regex for _, tier in load_knowledge().signals.statuses.tiers for rule in tier]
    assert len(rules) >= 25 and all(isinstance(regex, Regex) for regex in rules)
    assert len(module_regexes(statuses)) >= 3
    detectors = (extract, exception_classes, envelopes, transport, messages, paste)
    assert sum(len(module_regexes(module)) for module in detectors) >= 10
    assert len(module_regexes(support)) == 3
    assert len(module_regexes(error_line)) >= 4


def test_the_vocabulary_regexes_loaded_from_signals_are_re2() -> None:
    loaded = load_knowledge().signals
    regexes = [v for v in reachable(loaded) if isinstance(v, re.Pattern | Regex)]
    assert len(regexes) >= 5  # resolved, not_fireworks, teaching, hypothetical, question
    assert all(isinstance(regex, Regex) for regex in regexes)


# Break 8: knowledge regexes that passed `check` and then took a minute on one paste.
SLOW_ON_RE = {
    r"rate limit\s*\s*\s*\s*\s*\s*zq": "Error code: 429 - rate limit" + " " * 140 + "!",
    r"rate limit.*exceeded.*zq": "Error code: 429 - " + "rate limit exceeded " * 800,
}


@pytest.mark.parametrize("regex", SLOW_ON_RE)
def test_knowledge_regex_that_backtracked_is_accepted_and_runs_on_re2(
    tmp_path: Path, regex: str
) -> None:
    zq = entry(
        "429-zq-limit",
        429,
        patterns=[{"regex": regex}],
        examples=[  # each matches both regexes, and not the generic's "rate limit exceeded"
            "openai.RateLimitError: Error code: 429 - rate limit zq (rate limit was exceeded, zq)",
            "HTTP/1.1 429 Too Many Requests\n\nrate limit  zq: the rate limit was exceeded, zq",
            "my script keeps failing with 429: rate limit zq, rate limit was exceeded by zq",
        ],
    )
    generic = {**RATE_LIMIT, "generic": True}
    directory = write_knowledge(tmp_path, (generic, zq, PATH_NOT_FOUND, SERVER_ERROR))

    assert check_knowledge(directory) == []
    knowledge = load_knowledge(directory)
    [pattern] = knowledge.by_id["429-zq-limit"].patterns
    assert isinstance(pattern.regex, Regex)
    # The paste that used to take seconds to a minute: no "zq", so the generic entry answers.
    decision = diagnose(SLOW_ON_RE[regex], knowledge, "passive")
    assert (decision.action, decision.code) == ("answer", "429")
    assert decision.entry is not None and decision.entry.id == "429-rate-limit"


def test_an_unchanged_regex_pattern_is_not_a_change_on_reload(tmp_path: Path) -> None:
    regex_entry = entry("429-x", 429, generic=True, patterns=[{"regex": r"quota \d+ exceeded"}])
    directory = write_knowledge(tmp_path, (regex_entry, PATH_NOT_FOUND, SERVER_ERROR))

    first = load_knowledge(directory)
    re2.purge()  # RE2 keeps the last 128 compiled patterns; a large knowledge outgrows that
    second = load_knowledge(directory)

    assert first.by_id["429-x"].patterns[0].regex is not second.by_id["429-x"].patterns[0].regex
    assert diff_knowledge(first, second).changed == ()


def test_compile_linear_refuses_what_re2_cannot_run() -> None:
    with pytest.raises(RegexError, match=r"invalid perl operator: \(\?<!"):
        compile_linear(r"(?<!x)y")
    with pytest.raises(RegexError, match="lone surrogate"):
        compile_linear("\ud800")


def test_re2_text_keeps_positions_and_reads_as_python_did() -> None:
    text = "a\u00a0b\u3000c\ud800é"
    readable = for_re2(text)
    view = AsciiView(keep="→").of("é429 → 報錯 ٤٢٩\u00a0x")

    assert readable == "a b c\ufffdé" and len(readable) == len(text)
    # Han, kana and Hangul glue words to their neighbours: none of their letters is a word
    # character (issue 18: "報錯429" reads the code, "RateLimitError가" the class).
    assert view == "_429 → \x7f\x7f ___ x"
    assert compile_linear(r"a\sb\sc").search(readable) is not None


def test_a_screen_names_every_regex_that_matches_and_skips_one_whose_words_are_absent() -> None:
    regexes = [
        compile_linear(r"\berror code:?\s*\d{3}\b", ignore_case=True),
        compile_linear(r"\bHTTP/\d\s+\d{3}\b", ignore_case=True),
        compile_linear(r"\(\s*\d{3}\s*\)"),  # no word it needs: always possible
    ]
    screen = Screen(regexes)

    for text in ("ERROR CODE: 429", "http/2 503 (504)", "nothing here", ""):
        matching = {i for i, regex in enumerate(regexes) if regex.search(text)}
        assert matching <= screen.possible(text)
    assert screen.possible("nothing here") == {2}
    assert screen.possible("Error Code 429") == {0, 2}


def test_the_status_screen_leaves_out_no_rule_that_matches_a_corpus_paste() -> None:
    """The screen only skips work: every status rule that matches a paste is still run."""
    words = load_knowledge().signals.statuses
    rules = [rule.regex for _, tier in words.tiers for rule in tier]
    texts = [case.text for case in load_corpus([CORPUS])]
    texts += [text.upper() for text in texts[::7]]  # the rules ignore case; so must the screen
    matched = 0
    for text in texts:
        view = AsciiView(keep="→").of(text)
        possible = words.screen.possible(view)
        for number, regex in enumerate(rules):
            if regex.search(view) is not None:
                matched += 1
                assert number in possible, (text[:80], regex.pattern[:80])
    assert matched > len(texts) // 2  # the check ran on real matches, not on none


def test_the_transport_screen_leaves_out_no_pattern_that_matches_a_corpus_paste() -> None:
    """Transport patterns are searched only where the screen lets them through: each one that
    matches a paste must still be a candidate, in the order it is written."""
    loaded = load_knowledge().signals
    patterns = [term for term in loaded.transport if term.pattern is not None]
    texts = [case.text for case in load_corpus([CORPUS])]
    matched = skipped = 0
    for text in texts:
        pasted = paste.Paste.of(text, loaded.chain)
        candidates = transport._candidates(pasted, loaded.transport)
        assert candidates == sorted(candidates, key=lambda term: term.line)
        for term in patterns:
            assert term.pattern is not None
            if term.pattern.search(pasted.view_lowered) is not None:
                matched += 1
                assert term in candidates, (text[:80], term.text)
            elif term not in candidates:
                skipped += 1
    assert len(patterns) >= 10 and matched >= 50  # the check ran on real matches
    assert skipped > len(texts) * (len(patterns) - 1)  # and most searches are skipped


def test_the_prose_screen_rules_out_no_list_that_matches_a_corpus_paste_or_a_part() -> None:
    """`prose()` skips a word list the screen rules out for the text, for its lines and its
    head too: each list that matches any of them must be let through."""
    loaded = load_knowledge().signals
    lists, _ = prose_screen._screened(loaded)
    matched = ruled_out = 0
    for case in load_corpus([CORPUS]):
        pasted = paste.Paste.of(case.text, loaded.chain)
        for text in {pasted.view_lowered, for_re2(pasted.lowered)}:
            may = prose_screen.narrowing(loaded, text)
            parts = [text, text[: prose.PROSE_CHARS], *text.splitlines()]
            for regex in lists:
                if any(regex.search(part) is not None for part in parts):
                    matched += 1
                    assert may(regex) is regex, (case.text[:80], regex.pattern[:80])
                elif may(regex) is None:
                    ruled_out += 1
    assert len(lists) >= 20 and matched > 10_000  # real matches were checked
    assert ruled_out > matched  # and the screen does rule lists out


ASCII_SHAPES = {
    r"\b(?P<code>[45]\d\d)\b": "Error 429 then 503, not 4290 nor x500x",
    r"x*": "axxbx",  # empty matches: each step moves one character on
    r"(?m)^(\w+):\s*(\d+)?$": "retry: 3\nstatus:\nlast: 502",
    r"\bis it (?:just|only) me\b": "is it just me? is it only me",
}


@pytest.mark.parametrize("pattern", ASCII_SHAPES)
def test_ascii_text_is_matched_as_the_wrapper_matches_it(pattern: str) -> None:
    """`compile_linear` reads ASCII text on its own path (no UTF-8 bookkeeping): every match,
    span and group must be the one the google-re2 wrapper gives for the same `str`."""
    ours, theirs, text = compile_linear(pattern), re2.compile(pattern), ASCII_SHAPES[pattern]

    def seen(matches: Iterator[Match]) -> list[tuple[object, ...]]:
        return [(m.span(), m.group(), m.groups(), m.groupdict(), m.pos, m.endpos) for m in matches]

    assert text.isascii() and ours is not theirs
    for pos, endpos in ((0, len(text)), (3, len(text)), (2, 9), (9, 2), (-5, 99)):
        assert seen(ours.finditer(text, pos, endpos)) == seen(theirs.finditer(text, pos, endpos))
        for name in ("search", "match", "fullmatch"):
            mine, wrapper = (getattr(regex, name)(text, pos, endpos) for regex in (ours, theirs))
            assert seen(iter([mine] if mine is not None else [])) == seen(
                iter([wrapper] if wrapper is not None else [])
            )
    assert ours.sub("<\\g<0>>", text) == theirs.sub("<\\g<0>>", text)
    assert ours.split(text) == theirs.split(text)
    assert all(isinstance(m.group(), str) for m in ours.finditer(text))
    # text that isn't ASCII takes the wrapper's own path: positions in characters, not bytes
    accented = "é" + text
    assert seen(ours.finditer(accented)) == seen(theirs.finditer(accented))
