"""Regression floor: the extractor on the invented evaluation corpus (tests/eval_corpus).

The corpus has outlets, officials, places and phrasings that appear nowhere in the code or
data files, so these figures measure how the extractor does on articles it was not written
for. The floors sit a little under what it scores today; a change that drops below one has
made extraction worse on unseen text. Run `python benchmarks/evaluate.py` for the details.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from viewer.core.pipeline import extract_corpus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from scoring import load_expected, score  # noqa: E402


@pytest.fixture(scope="module")
def scores():
    corpus = ROOT / "tests" / "eval_corpus"
    return score(extract_corpus([corpus]), load_expected(corpus / "expected.toml"))


def test_meetings_and_visits_are_found_with_few_false_ones(scores):
    assert scores.recall >= 0.8, scores.false_positives
    assert scores.precision >= 0.8, scores.false_positives


def test_matched_events_are_dated_right(scores):
    assert scores.date_accuracy >= 0.9


def test_reports_of_one_event_from_several_outlets_merge(scores):
    assert scores.merge_score >= 0.6
    assert scores.duplicates <= 2


def test_publication_dates_are_found(scores):
    assert scores.publication_accuracy >= 0.9


def test_vague_meetings_give_no_dated_events(scores):
    assert scores.distractor_dated_events == 0


def test_context_events_are_found(scores):
    assert scores.context_recall >= 0.7
