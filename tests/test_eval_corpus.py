"""The evaluation set is well-formed, and the scorer scores what it should.

These tests check the answer key and the yardstick, never the extractor's own scores.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from tests.factories import sample_extraction
from viewer.core.model import EventKind, Extraction, Status

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from scoring import (  # noqa: E402
    ExpectedEvent,
    ExpectedPublication,
    ExpectedSet,
    ascii_letters,
    load_expected,
    parse_partial_date,
    participant_overlap,
    perfect_extraction,
    read_article,
    score,
    surname_of,
)

EVAL_DIR = ROOT / "tests" / "eval_corpus"
SEEDS_DIR = ROOT / "seeds"
# Every corpus with an answer key, the ones added later included.
ANSWER_KEYS = [
    *(pytest.param(folder, folder / "expected.toml", id=folder.name)
      for folder in sorted((ROOT / "tests").glob("eval_*"))
      if (folder / "expected.toml").is_file()),
    pytest.param(SEEDS_DIR, ROOT / "benchmarks" / "seeds_expected.toml", id="seeds"),
]


def _spellings(name: str, expected: ExpectedSet) -> list[str]:
    return [name, *expected.aliases.get(name, ())]


@pytest.mark.parametrize(("corpus", "key"), ANSWER_KEYS)
def test_every_expected_document_exists(corpus: Path, key: Path) -> None:
    expected = load_expected(key)
    named = {d for e in expected.events for d in e.documents}
    named |= {p.file for p in expected.publications} | set(expected.distractors)
    missing = sorted(d for d in named if not (corpus / d).is_file())
    assert missing == []


@pytest.mark.parametrize(("corpus", "key"), ANSWER_KEYS)
def test_every_article_has_a_publication_expectation(corpus: Path, key: Path) -> None:
    expected = load_expected(key)
    articles = {p.name for p in corpus.glob("*.txt")}
    assert articles == {p.file for p in expected.publications}


@pytest.mark.parametrize(("corpus", "key"), ANSWER_KEYS)
def test_every_participant_is_named_in_one_of_the_event_documents(corpus: Path, key: Path) -> None:
    # Not in each: an outlet may report a meeting with "his Iraqi counterpart" unnamed, and
    # the key still lists it among the meeting's documents. A misspelt name is in none.
    expected = load_expected(key)
    absent = []
    for event in expected.events:
        texts = [ascii_letters(read_article(corpus / doc)) for doc in event.documents]
        for person in event.participants:
            surnames = {ascii_letters(surname_of(s)) for s in _spellings(person, expected)}
            if not any(s and s in text for s in surnames for text in texts):
                absent.append((event.id, person))
    assert absent == []


@pytest.mark.parametrize(("corpus", "key"), ANSWER_KEYS)
def test_every_date_kind_and_status_is_valid(corpus: Path, key: Path) -> None:
    expected = load_expected(key)
    for event in expected.events:
        EventKind(event.kind)
        Status(event.status)
        if event.start is not None:
            start = parse_partial_date(event.start)[0]
            end = parse_partial_date(event.end or event.start)[1]
            assert start <= end, event.id
    for pub in expected.publications:
        assert pub.basis in {"manifest", "text", "inferred", "none"}
        if pub.date is not None:
            assert parse_partial_date(pub.date)[2].value == "day"
        assert (pub.date is None) == (pub.basis == "none"), pub.file


@pytest.mark.parametrize(("corpus", "key"), ANSWER_KEYS)
def test_main_events_are_meetings_or_visits_with_people(corpus: Path, key: Path) -> None:
    for event in load_expected(key).main:
        assert event.kind in {"meeting", "visit"}
        assert event.participants and event.documents, event.id


def test_eval_articles_are_news_length_and_listed_in_the_manifest() -> None:
    manifest = tomllib.loads((EVAL_DIR / "sources.toml").read_text(encoding="utf-8"))
    listed = {s["file"] for s in manifest["source"]}
    for path in EVAL_DIR.glob("*.txt"):
        words = len(read_article(path).split())
        assert 150 <= words <= 600, path.name
    assert listed == {p.name for p in EVAL_DIR.glob("*.txt")}


def test_eval_corpus_has_a_cp1252_file_and_a_bom_file() -> None:
    raw = {p.name: p.read_bytes() for p in EVAL_DIR.glob("*.txt")}
    assert any(data.startswith(b"\xef\xbb\xbf") for data in raw.values())
    undecodable = []
    for name, data in raw.items():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            undecodable.append(name)
    assert undecodable and all(read_article(EVAL_DIR / n).count("\ufffd") == 0
                               for n in undecodable)


def test_eval_people_are_not_listed_in_the_resources() -> None:
    # The evaluation measures whether unlisted people are found; listing them would hide that.
    expected = load_expected(EVAL_DIR / "expected.toml")
    resources = "\n".join(p.read_text(encoding="utf-8")
                          for p in (ROOT / "resources").glob("*.toml"))
    people = {p for e in expected.events for p in e.participants}
    listed = [s for p in people for s in _spellings(p, expected) if s in resources]
    assert listed == []


# ------------------------------------------------------------------ the scorer

FACTORY_KEY = ExpectedSet(
    events=(
        ExpectedEvent("duarte-rivera", "meeting", "2025-03-03", "2025-03-03",
                      ("Ana Duarte", "Tomas Rivera"), "Lisbon", ("a.txt", "b.txt"),
                      "happened", True),
        ExpectedEvent("rivera-porto", "visit", "2025-03-07", "2025-03-07", ("Tomas Rivera",),
                      "Porto", ("a.txt",), "planned", True),
        ExpectedEvent("fisheries-agreement", "agreement", "2019", "2019", (), None,
                      ("b.txt",), "happened", False),
    ),
    publications=(
        ExpectedPublication("a.txt", "2025-03-05", "manifest"),
        ExpectedPublication("b.txt", None, "none"),
    ),
    aliases={},
)


def _headline(scores) -> list[float]:
    return [scores.precision, scores.recall, scores.f1, scores.date_accuracy,
            scores.merge_score, scores.context_recall, scores.publication_accuracy,
            scores.participant_accuracy]


def test_a_hand_made_perfect_extraction_scores_one() -> None:
    scores = score(sample_extraction(), FACTORY_KEY)
    assert _headline(scores) == [1.0] * 8
    assert scores.duplicates == 0


def test_an_empty_extraction_scores_zero() -> None:
    scores = score(Extraction(documents=(), events=()), FACTORY_KEY)
    assert _headline(scores) == [0.0] * 8


def test_a_meeting_left_split_in_two_is_a_merge_failure() -> None:
    extraction = sample_extraction()
    meeting = extraction.events[0]
    halves = tuple(
        replace(meeting, id=f"half-{n}", sources=(source,))
        for n, source in enumerate(meeting.sources)
    )
    split = replace(extraction, events=(*halves, *extraction.events[1:]))
    scores = score(split, FACTORY_KEY)
    assert scores.merge_score == 0.0
    assert scores.duplicates == 1
    assert scores.recall == 1.0 and scores.precision < 1.0


def test_a_wrong_date_counts_against_date_accuracy_not_recall() -> None:
    extraction = sample_extraction()
    visit = extraction.events[1]
    wrong_day = replace(visit.when, start=visit.when.start.replace(day=14),
                        end=visit.when.end.replace(day=14))
    moved = replace(extraction, events=(extraction.events[0], replace(visit, when=wrong_day),
                                        *extraction.events[2:]))
    scores = score(moved, FACTORY_KEY)
    assert scores.recall == 0.5  # a different day is a different visit
    undated = replace(extraction, events=(extraction.events[0], replace(visit, when=None),
                                          *extraction.events[2:]))
    scores = score(undated, FACTORY_KEY)
    assert scores.recall == 1.0 and scores.date_accuracy == 0.5


@pytest.mark.parametrize(("corpus", "key"), ANSWER_KEYS)
def test_the_answer_key_scored_against_itself_is_perfect(corpus: Path, key: Path) -> None:
    # Also proves no two expected events are ambiguous for the matcher.
    expected = load_expected(key)
    scores = score(perfect_extraction(expected), expected)
    assert _headline(scores) == [1.0] * 8
    assert scores.duplicates == 0


@pytest.mark.parametrize(("written", "canonical"), [
    ("Muhammad al-Harthy", "Mohammed al-Harthi"),
    ("Olexander Hritsenko", "Oleksandr Hrytsenko"),
    ("Ingrid Åsen", "Ingrid Aasen"),
    ("Phan Đức Thịnh", "Phan Duc Thinh"),
    ("Rostam Sadeghi", "Rostam Sadeqi"),
    ("Yousef Khodadadi", "Yusuf Hodadadi"),
])
def test_transliterated_surnames_match_without_aliases(written: str, canonical: str) -> None:
    event = ExpectedEvent("x", "meeting", None, None, (canonical,), None, (), "happened", True)
    assert participant_overlap([written], event, {}) == 1


def test_different_surnames_do_not_match() -> None:
    event = ExpectedEvent("x", "meeting", None, None, ("Grace Odhiambo",), None, (),
                          "happened", True)
    assert participant_overlap(["Daniel Kariuki"], event, {}) == 0
