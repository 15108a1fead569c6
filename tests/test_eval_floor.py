"""Regression floor: the extractor on the invented evaluation corpora.

The corpora have outlets, officials, places and phrasings that appear nowhere in the code or
data files, so these figures measure how the extractor does on articles it was not written
for. ``tests/eval_corpus`` was written alongside the extractor; ``tests/eval_heldout`` was
written later by someone who had not read the extractor. Its first score (F1 0.74) showed
what the extractor missed; the general rules it prompted, each with its own test, raised
that to 0.97. ``tests/eval_heldout2`` was written the same way, in other styles and regions,
after those fixes: its first score was F1 0.73 (merging 0 of 12), 0.82 after a second round.
``tests/eval_heldout3`` (8 articles): F1 0.67 blind, 0.76 after three fixes.
``tests/eval_heldout4`` (10 articles: a press release with a visit programme, state-agency
items, relative dates only, particles and double surnames): F1 0.62 blind, merging 1 of 10;
0.87 after a round of general fixes, merging 4 of 10. ``tests/eval_heldout5`` (10
articles: summit sidelines, a live blog, a round-up under year-less datelines, an interview,
native-language header dates): F1 0.59 blind, 0.87 after the next round.
``tests/eval_heldout6`` (10 articles in the seeds' own style: state-agency copy of military
meetings): F1 0.93 blind, merging 6 of 13; 1.0 and 9 of 13 after two merging fixes.
``tests/eval_heldout7`` (10 articles, other country pairs, "exchanged views", a Persian
calendar header): F1 0.90 blind, merging 3 of 17; 0.98 and 5 of 17 now.
``tests/eval_heldout8`` (10 articles, Western outlets reporting such meetings second-hand):
F1 0.79 blind, 0.91 now. ``tests/eval_heldout9`` (8 articles in the seeds' style): F1 0.80
blind, 0.93 now. ``tests/eval_heldout10`` (8 articles in the seeds' style, written last):
F1 0.90 blind. ``tests/eval_heldout11`` (8 articles in the seeds' style): F1 0.91 blind, 1.0
after two fixes. ``tests/eval_heldout12`` (10 articles: a Xinhua-style wire, a factbox, a
transcript, an opinion piece) and ``tests/eval_heldout13`` (10 articles: a Pentagon readout,
an Indian government release, Anadolu, a UK MoD story, a round-up): F1 0.88 and 0.73 blind,
1.0 and 0.88 after the fixes they prompted. ``tests/eval_heldout14`` (11 articles in the
seeds' style) and ``tests/eval_heldout15`` (11 articles: a wire, a feature that retraces
months of meetings, a think-tank timeline, a live blog, a transcript): F1 0.93 and 0.63
blind, 0.97 and 0.92 after the fixes they prompted.
The floors sit a little under today's figures; a change that drops below one has made
extraction worse on unseen text. Run `python benchmarks/evaluate.py --corpus DIR` for the
details.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from viewer.core.pipeline import extract_corpus

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from scoring import load_expected, score  # noqa: E402

FLOORS = {
    "eval_corpus": {
        "recall": 0.8, "precision": 0.8, "date_accuracy": 0.9, "merge_score": 0.6,
        "duplicates": 2, "publication_accuracy": 0.9, "context_recall": 0.7,
    },
    "eval_heldout": {
        "recall": 0.85, "precision": 0.85, "date_accuracy": 0.9, "merge_score": 0.7,
        "duplicates": 2, "publication_accuracy": 0.9, "context_recall": 0.7,
    },
    "eval_heldout2": {
        "recall": 0.8, "precision": 0.75, "date_accuracy": 0.9, "merge_score": 0.4,
        "duplicates": 5, "publication_accuracy": 0.9, "context_recall": 0.5,
    },
    # Its context events (a postponed summit, an exercise) are still missed: a floor of 0.
    "eval_heldout3": {
        "recall": 0.75, "precision": 0.75, "date_accuracy": 0.7, "merge_score": 0.6,
        "duplicates": 2, "publication_accuracy": 0.9, "context_recall": 0.0,
    },
    "eval_heldout4": {
        "recall": 0.8, "precision": 0.8, "date_accuracy": 0.85, "merge_score": 0.35,
        "duplicates": 7, "publication_accuracy": 0.9, "context_recall": 0.4,
    },
    "eval_heldout5": {
        "recall": 0.75, "precision": 0.85, "date_accuracy": 0.85, "merge_score": 0.3,
        "duplicates": 2, "publication_accuracy": 0.9, "context_recall": 0.3,
    },
    "eval_heldout6": {
        "recall": 0.9, "precision": 0.9, "date_accuracy": 0.9, "merge_score": 0.6,
        "duplicates": 2, "publication_accuracy": 0.9, "context_recall": 0.5,
    },
    "eval_heldout7": {
        "recall": 0.9, "precision": 0.85, "date_accuracy": 0.85, "merge_score": 0.25,
        "duplicates": 8, "publication_accuracy": 0.85, "context_recall": 0.6,
    },
    "eval_heldout8": {
        "recall": 0.8, "precision": 0.85, "date_accuracy": 0.8, "merge_score": 0.45,
        "duplicates": 4, "publication_accuracy": 0.9, "context_recall": 0.5,
    },
    "eval_heldout9": {
        "recall": 0.85, "precision": 0.85, "date_accuracy": 0.9, "merge_score": 0.8,
        "duplicates": 2, "publication_accuracy": 0.9, "context_recall": 0.5,
    },
    "eval_heldout10": {
        "recall": 0.85, "precision": 0.85, "date_accuracy": 0.9, "merge_score": 0.45,
        "duplicates": 1, "publication_accuracy": 0.9, "context_recall": 0.3,
    },
    "eval_heldout11": {
        "recall": 0.9, "precision": 0.9, "date_accuracy": 0.85, "merge_score": 0.45,
        "duplicates": 3, "publication_accuracy": 0.9, "context_recall": 0.9,
    },
    "eval_heldout12": {
        "recall": 0.9, "precision": 0.9, "date_accuracy": 0.9, "merge_score": 0.75,
        "duplicates": 2, "publication_accuracy": 0.9, "context_recall": 0.5,
    },
    "eval_heldout13": {
        "recall": 0.75, "precision": 0.75, "date_accuracy": 0.8, "merge_score": 0.7,
        "duplicates": 2, "publication_accuracy": 0.9, "context_recall": 0.5,
    },
    "eval_heldout14": {
        "recall": 0.9, "precision": 0.85, "date_accuracy": 0.85, "merge_score": 0.5,
        "duplicates": 3, "publication_accuracy": 0.85, "context_recall": 0.7,
    },
    # A wire whose date is only "Jan 2" and "02/01/2025" still defeats the date finder.
    "eval_heldout15": {
        "recall": 0.85, "precision": 0.8, "date_accuracy": 0.9, "merge_score": 0.4,
        "duplicates": 3, "publication_accuracy": 0.85, "context_recall": 0.3,
    },
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request):
    corpus = ROOT / "tests" / request.param
    return score(extract_corpus([corpus]), load_expected(corpus / "expected.toml")), \
        FLOORS[request.param]


def test_meetings_and_visits_are_found_with_few_false_ones(scored):
    scores, floor = scored
    assert scores.recall >= floor["recall"], scores.false_positives
    assert scores.precision >= floor["precision"], scores.false_positives


def test_matched_events_are_dated_right(scored):
    scores, floor = scored
    assert scores.date_accuracy >= floor["date_accuracy"]


def test_reports_of_one_event_from_several_outlets_merge(scored):
    scores, floor = scored
    assert scores.merge_score >= floor["merge_score"]
    assert scores.duplicates <= floor["duplicates"]


def test_publication_dates_are_found(scored):
    scores, floor = scored
    assert scores.publication_accuracy >= floor["publication_accuracy"]


def test_vague_meetings_give_no_dated_events(scored):
    scores, _ = scored
    assert scores.distractor_dated_events == 0


def test_context_events_are_found(scored):
    scores, floor = scored
    assert scores.context_recall >= floor["context_recall"]
