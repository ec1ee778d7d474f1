"""The pastes generated from real clients (tests/corpus/clients/): coverage, hygiene, floor.

`tests/test_cli.py` holds the hand-written corpus (the top-level `tests/corpus/*.jsonl`) to
its 97 % bar. The generated corpus is held here to the floor measured after the matcher was
tuned for it; raise the floors as the matcher learns what these clients print.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from bot.core.evaluate import Case, Report, evaluate, load_corpus
from bot.knowledge.load import load_knowledge
from tools.paste_factory.scenarios import SCENARIOS, TABLE_STATUSES

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ROOT / "tests" / "corpus" / "clients"
FAKE_KEY = "fw_PASTEFACTORYfakeTESTkey0000"
# Measured after tuning (1787 cases): 1786/1787 in both modes (before tuning: 94.2 % passive,
# 95.4 % explicit). A headline several failures print alike (`Connection error.` alone) is
# labelled unknown by the factory (`label_shared_headlines`); the one miss left is axios's
# `timeout of 2000ms exceeded` alone. Raise these as the matcher learns.
PASSIVE_FLOOR = 0.99
EXPLICIT_FLOOR = 0.99
KEYLIKE = re.compile(r"(?<![A-Za-z0-9_])(?:fw_|fpk_|fw-|sk-)[A-Za-z0-9]{16,}")


@cache
def cases() -> tuple[Case, ...]:
    return tuple(load_corpus([CLIENTS]))


@cache
def report(mode: str) -> Report:
    return evaluate(cases(), load_knowledge(), mode=mode)  # type: ignore[arg-type]


def package(case: Case) -> str:
    return case.client.rsplit(" ", 1)[0]


def test_the_corpus_has_600_cases_from_8_clients_covering_every_status() -> None:
    assert len(cases()) >= 600
    assert len({package(case) for case in cases()}) >= 8
    labels = {case.expected for case in cases()}
    transport = {scenario.label for scenario in SCENARIOS if scenario.status is None}
    assert labels >= {str(status) for status in TABLE_STATUSES} | transport


def test_every_case_names_its_client_version_scenario_and_shape() -> None:
    for case in cases():
        assert re.fullmatch(r"\S.* \S+", case.client), case.source
        assert case.scenario and case.variant, case.source


def test_the_manifest_matches_the_files() -> None:
    manifest = json.loads((CLIENTS / "manifest.json").read_text())

    assert manifest["cases"] == len(cases())
    assert sum(manifest["per_client"].values()) == len(cases())


def test_pastes_show_nothing_of_the_factory_and_no_real_looking_key() -> None:
    for case in cases():
        for leftover in ("127.0.0.1", ".invalid", "/work/", "paste_factory", "/tmp/"):
            assert leftover not in case.text, (case.source, leftover)
        assert set(KEYLIKE.findall(case.text)) <= {FAKE_KEY}, case.source


@pytest.mark.parametrize(
    ("mode", "floor"), [("passive", PASSIVE_FLOOR), ("explicit", EXPLICIT_FLOOR)]
)
def test_accuracy_on_the_client_corpus_stays_above_the_floor(mode: str, floor: float) -> None:
    assert report(mode).accuracy >= floor, f"{mode}: {report(mode).accuracy:.4f} < {floor}"


def test_in_explicit_mode_every_error_report_names_its_code() -> None:
    wrong = [
        (o.case.source, o.case.expected, str(o.got))
        for o in report("explicit").outcomes
        if o.case.expected.isdigit() and not o.correct
    ]

    assert wrong == []


def test_eval_reports_per_client_in_explicit_mode() -> None:
    one = sorted(CLIENTS.glob("*.jsonl"))[0]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "eval", str(one), "--json", "--mode", "explicit"],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr.decode()
    summary = json.loads(result.stdout)
    assert summary["mode"] == "explicit"
    assert summary["clients"] and summary["client_labels"]
