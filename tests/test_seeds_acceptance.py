"""Acceptance on the bundled seed corpus, against the answer key in benchmarks/seeds_expected.toml.

The people, places and dates live only in that TOML file: this module names nobody, and picks
out the events it checks by their structure (kind, participants, dates), never by a name.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from viewer.core.entities import surname_key
from viewer.core.model import Event, EventKind, Extraction, Precision, format_at_precision
from viewer.core.pipeline import extract_corpus

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
EXPECTED_FILE = ROOT / "benchmarks" / "seeds_expected.toml"

_PRECISION_BY_PARTS = {1: Precision.YEAR, 2: Precision.MONTH, 3: Precision.DAY}


def _load_expected() -> dict:
    with EXPECTED_FILE.open("rb") as handle:
        return tomllib.load(handle)


EXPECTED = _load_expected()
ALIASES: dict[str, list[str]] = EXPECTED.get("aliases", {})
MAIN_EVENTS = [e for e in EXPECTED["event"] if e.get("main")]
CONTEXT_EVENTS = [e for e in EXPECTED["event"] if not e.get("main")]
PUBLICATIONS = EXPECTED["publication"]


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    """The seed corpus, extracted once for the whole module."""
    return extract_corpus([SEEDS])


# --- matching helpers --------------------------------------------------------------------


def at_precision_of(expected_iso: str, event: Event, which: str) -> str | None:
    """The event's start or end written at the precision of an expected date string."""
    if event.when is None:
        return None
    precision = _PRECISION_BY_PARTS[len(expected_iso.split("-"))]
    day = event.when.start if which == "start" else event.when.end
    return format_at_precision(day, precision)


def expected_end(expected: dict) -> str:
    return expected.get("end", expected["start"])


def person_keys(surname: str) -> set[str]:
    """Every surname key the answer key's spellings of one person give."""
    return {surname_key(spelling) for spelling in (surname, *ALIASES.get(surname, ()))}


def participant_keys(event: Event) -> set[str]:
    return {surname_key(p.name) for p in event.participants}


def covers_person(event: Event, surname: str) -> bool:
    return bool(participant_keys(event) & person_keys(surname))


def expected_interval(expected: dict) -> tuple[str, str]:
    return expected["start"], expected_end(expected)


def dates_overlap(event: Event, expected: dict) -> bool:
    """The event's dates could be the expected ones (an undated event could be anything)."""
    if event.when is None:
        return True
    start, end = expected_interval(expected)
    return (at_precision_of(start, event, "start") <= end
            and at_precision_of(end, event, "end") >= start)


def candidates(extraction: Extraction, expected: dict) -> list[Event]:
    """Extracted events that plausibly are this happening: same kind, a shared person, dates."""
    return [
        event for event in extraction.events
        if event.kind.value == expected["kind"]
        and any(covers_person(event, p) for p in expected["participants"])
        and dates_overlap(event, expected)
    ]


def the_match(extraction: Extraction, expected: dict) -> Event:
    found = candidates(extraction, expected)
    assert len(found) == 1, (expected["id"], [describe(e) for e in found])
    return found[0]


def describe(event: Event) -> str:
    when = f"{event.when.iso_start()}..{event.when.iso_end()}" if event.when else "undated"
    people = ", ".join(p.name for p in event.participants)
    return f"{event.kind.value} {when} [{people}] at {event.location} in {event.documents}"


# --- main events -------------------------------------------------------------------------


@pytest.mark.parametrize("expected", MAIN_EVENTS, ids=[e["id"] for e in MAIN_EVENTS])
def test_each_main_event_is_extracted_exactly_once(extraction: Extraction, expected: dict) -> None:
    the_match(extraction, expected)


@pytest.mark.parametrize("expected", MAIN_EVENTS, ids=[e["id"] for e in MAIN_EVENTS])
def test_each_main_event_has_the_expected_dates(extraction: Extraction, expected: dict) -> None:
    event = the_match(extraction, expected)
    assert at_precision_of(expected["start"], event, "start") == expected["start"], describe(event)
    assert at_precision_of(expected_end(expected), event, "end") == expected_end(expected), \
        describe(event)


@pytest.mark.parametrize("expected", MAIN_EVENTS, ids=[e["id"] for e in MAIN_EVENTS])
def test_each_main_event_has_exactly_the_expected_participants(
    extraction: Extraction, expected: dict
) -> None:
    event = the_match(extraction, expected)
    wanted = [person_keys(p) for p in expected["participants"]]
    assert all(keys & participant_keys(event) for keys in wanted), describe(event)
    assert all(any(key in keys for keys in wanted) for key in participant_keys(event)), \
        describe(event)


@pytest.mark.parametrize("expected", MAIN_EVENTS, ids=[e["id"] for e in MAIN_EVENTS])
def test_each_main_event_has_the_expected_place_and_status(
    extraction: Extraction, expected: dict
) -> None:
    event = the_match(extraction, expected)
    if "location" in expected:
        assert event.location == expected["location"], describe(event)
    assert event.status.value == expected.get("status", "happened"), describe(event)


@pytest.mark.parametrize("expected", MAIN_EVENTS, ids=[e["id"] for e in MAIN_EVENTS])
def test_each_main_event_is_merged_from_every_reporting_document(
    extraction: Extraction, expected: dict
) -> None:
    event = the_match(extraction, expected)
    assert set(event.documents) >= set(expected["documents"]), describe(event)


def test_meetings_of_the_same_people_years_apart_are_different_events(
    extraction: Extraction,
) -> None:
    meetings = [e for e in MAIN_EVENTS if e["kind"] == EventKind.MEETING.value]
    pairs = [
        (a, b) for i, a in enumerate(meetings) for b in meetings[i + 1:]
        if set(a["participants"]) == set(b["participants"]) and a["start"][:4] != b["start"][:4]
    ]
    assert pairs, "the answer key should hold one pair of repeated meetings"
    for first, second in pairs:
        one, other = the_match(extraction, first), the_match(extraction, second)
        assert one is not other
        assert one.location == first["location"] and other.location == second["location"]
        only_second = set(second["documents"]) - set(first["documents"])
        only_first = set(first["documents"]) - set(second["documents"])
        assert not set(one.documents) & only_second, describe(one)
        assert not set(other.documents) & only_first, describe(other)


def test_meetings_of_the_undated_article_are_dated_by_the_other_reports(
    extraction: Extraction,
) -> None:
    undated = [p["file"] for p in PUBLICATIONS if p.get("basis") == "none"]
    assert undated
    for file in undated:
        meetings = [e for e in extraction.events
                    if e.kind is EventKind.MEETING and file in e.documents]
        assert meetings, f"no meeting reported by {file}"
        for event in meetings:
            assert event.when is not None, describe(event)
            assert "dated by the other reports" in event.when.basis, event.when.basis


# --- context events ----------------------------------------------------------------------


@pytest.mark.parametrize("expected", CONTEXT_EVENTS, ids=[e["id"] for e in CONTEXT_EVENTS])
def test_each_context_event_is_found_with_its_dates(
    extraction: Extraction, expected: dict
) -> None:
    def fits(event: Event) -> bool:
        if event.kind.value != expected["kind"] or event.when is None:
            return False
        if at_precision_of(expected["start"], event, "start") != expected["start"]:
            return False
        return "end" not in expected or at_precision_of(expected["end"], event, "end") == \
            expected["end"]

    assert any(fits(e) for e in extraction.events), [describe(e) for e in extraction.events
                                                     if e.kind.value == expected["kind"]]


# --- documents ---------------------------------------------------------------------------


@pytest.mark.parametrize("publication", PUBLICATIONS, ids=[p["file"] for p in PUBLICATIONS])
def test_publication_date_and_basis(extraction: Extraction, publication: dict) -> None:
    doc = extraction.document(publication["file"])
    assert doc is not None
    if publication.get("basis", "none") == "none":
        assert doc.published is None
        assert doc.published_basis is None
        return
    assert doc.published is not None
    assert doc.published.iso_start() == publication["date"]
    assert doc.published_basis == publication["basis"]


def test_every_seed_article_is_read_without_warnings(extraction: Extraction) -> None:
    assert {d.id for d in extraction.documents} == {p["file"] for p in PUBLICATIONS}
    assert extraction.warnings == ()


def test_every_source_and_quote_is_the_exact_document_slice(extraction: Extraction) -> None:
    for event in extraction.events:
        assert event.sources, describe(event)
        for item in (*event.sources, *event.quotes):
            doc = extraction.document(item.document)
            assert doc is not None
            assert item.text == doc.text[item.start:item.end], (describe(event), item)
