"""Confidence is a probability: calibrated on the labelled corpus, shown in words (issue 19).

An exact CERTIFICATE_VERIFY_FAILED showed "confidence 62%", `/fwerror 502` 67%, and every
group in the report's low-confidence list was a right answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.calibration import MIN_BAND_CASES, Calibration, confidence_words, fit
from bot.core.evaluate import calibration_from, evaluate, load_corpus
from bot.core.explain import explain
from bot.core.render import footer_text
from bot.knowledge.calibration import CALIBRATION_FILE, CalibrationError, load_calibration
from bot.knowledge.load import load_knowledge

KNOWLEDGE = load_knowledge()
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_the_committed_table_is_what_the_corpus_gives_and_every_big_band_is_calibrated() -> None:
    """Reproducible (re-fitting the corpus gives the committed table) and calibrated: in each
    band with at least 50 answers, the confidence shown is within 5 points of the accuracy."""
    cases = load_corpus([*sorted(CORPUS.glob("*.jsonl")), CORPUS / "clients"])
    assert calibration_from(cases, KNOWLEDGE) == KNOWLEDGE.calibration
    for mode in ("passive", "explicit"):
        bands = evaluate(cases, KNOWLEDGE, mode=mode).reliability
        big = [band for band in bands if band.cases >= MIN_BAND_CASES]
        assert big, mode
        for band in big:
            assert band.gap <= 0.05, (mode, band)


@pytest.mark.parametrize(
    ("query", "entry"),
    [("CERTIFICATE_VERIFY_FAILED", "tls-certificate-failed"), ("502", "502-bad-gateway")],
)
def test_an_exact_answer_says_so_in_words(query: str, entry: str) -> None:
    reply = explain(query, KNOWLEDGE, "explicit").reply
    assert reply is not None and reply.entry_id == entry
    assert reply.confidence >= 0.95
    footer = footer_text(reply)
    assert footer == f"fwerror · {entry} · exact match"
    assert "%" not in footer


def test_words_for_a_probability() -> None:
    assert [confidence_words(c) for c in (0.99, 0.8, 0.3)] == [
        "exact match",
        "likely",
        "best guess",
    ]


def test_fit_never_lowers_the_probability_as_the_score_rises() -> None:
    scored = [(0.1, False), (0.2, True), (0.3, False), (0.5, True), (0.6, True), (0.9, True)]
    steps = fit(scored)
    probabilities = [p for _, p in steps]
    assert probabilities == sorted(probabilities)
    assert Calibration(steps, steps).of(0.25, "passive") == 0.5  # 0.2 and 0.3 pooled


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("passive: [[0.5, 0.9], [0.4, 0.95]]\nexplicit: [[0.5, 0.9]]\n", "rise in raw score"),
        ("passive: [[0.5, 1.5]]\nexplicit: [[0.5, 0.9]]\n", "both 0 to 1"),
        ("passive: [[0.5, 0.9]]\n", "'passive' and 'explicit'"),
    ],
)
def test_a_broken_table_is_refused_with_the_reason(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / CALIBRATION_FILE
    path.parent.mkdir()
    path.write_text(text)
    with pytest.raises(CalibrationError, match=says):
        load_calibration(tmp_path)
