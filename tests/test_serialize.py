"""The cache's JSON form of a DocumentResult: lossless, and malformed input is refused."""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import day, documents, sample_reports
from viewer.core.model import (
    AnchorRelation,
    Chrome,
    DateValue,
    Document,
    DocumentResult,
    Entity,
    EntityKind,
    EventKind,
    Excerpt,
    Participant,
    Quote,
    Report,
    Span,
    Status,
)
from viewer.core.serialize import result_from_dict, result_to_dict


def _result() -> DocumentResult:
    a, _ = documents()
    a = dataclasses.replace(a, chrome=(Chrome(Span(0, 5), "menu"),), warnings=("odd encoding",))
    reports = tuple(r for r in sample_reports() if r.document == a.id)
    quote_at = a.text.index("We agreed")
    extra = Report(a.id, EventKind.VISIT, day("2025-03-07"), Status.PLANNED, "Porto",
                   (Participant("Tomas Rivera", "person:tomas-rivera"),), ("ports",),
                   (Excerpt(a.id, 0, 6, a.text[:6], Span(1, 3)),),
                   quotes=(Quote(None, a.id, quote_at, quote_at + 9, "We agreed"),),
                   weekday=4, relation=AnchorRelation(-1, Span(2, 4)), actors=("UN",),
                   subject="port visit")
    entities = (Entity("person:ana-duarte", "Ana Duarte", EntityKind.PERSON, "Foreign Minister",
                       "Portuguese"),
                Entity("place:lisbon", "Lisbon", EntityKind.PLACE, country="Portugal"))
    return DocumentResult(a, (*reports, extra), entities)


def test_a_result_survives_the_round_trip_through_json_unchanged() -> None:
    result = _result()
    data = json.loads(json.dumps(result_to_dict(result)))
    assert result_from_dict(data) == result


def test_a_document_without_publication_date_round_trips() -> None:
    _, b = documents()
    result = DocumentResult(b, (), ())
    assert result_from_dict(result_to_dict(result)) == result


@settings(max_examples=60, deadline=None)
@given(text=st.text(min_size=1, max_size=200), data=st.data())
def test_any_text_and_any_valid_offsets_round_trip(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    _, b = documents()
    doc = dataclasses.replace(b, text=text, title=text[:10])
    excerpt = Excerpt(doc.id, start, end, text[start:end])
    report = Report(doc.id, EventKind.MEETING, None, Status.HAPPENED, None, (), (), (excerpt,))
    result = DocumentResult(doc, (report,), ())
    assert result_from_dict(json.loads(json.dumps(result_to_dict(result)))) == result


def _index(cls: type, name: str) -> int:
    return [f.name for f in dataclasses.fields(cls)].index(name)


DOC = ("result", _index(DocumentResult, "document"))
REPORT0 = ("result", _index(DocumentResult, "reports"), 0)
EXCERPT0 = (*REPORT0, _index(Report, "excerpts"), 0)
PUBLISHED = (*DOC, _index(Document, "published"))


def _broken(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(result_to_dict(_result()))
    target = data
    for step in path[:-1]:
        target = target[step]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


@pytest.mark.parametrize(("path", "value"), [
    (("format",), 99),
    (("schema",), "an older model"),
    (("result",), KeyError),
    ((*DOC, _index(Document, "text")), 42),
    ((*DOC, _index(Document, "id")), KeyError),
    ((*PUBLISHED, _index(DateValue, "start")), "yesterday"),
    ((*PUBLISHED, _index(DateValue, "end")), "1900-01-01"),
    ((*PUBLISHED, _index(DateValue, "precision")), "fortnight"),
    ((*REPORT0, _index(Report, "kind")), "riot"),
    ((*EXCERPT0, _index(Excerpt, "start")), True),
    ((*EXCERPT0, _index(Excerpt, "start")), -4),
    ((*EXCERPT0, _index(Excerpt, "text")), "not what the document says"),
    ((*REPORT0, _index(Report, "participants")), "Ana"),
    (("result", _index(DocumentResult, "entities"), 0), {"id": "person:x"}),
    ((*DOC, _index(Document, "chrome"), 0, _index(Chrome, "span"), _index(Span, "end")), 10**6),
])
def test_malformed_input_raises_value_error(path: tuple[Any, ...], value: Any) -> None:
    with pytest.raises(ValueError):
        result_from_dict(_broken(path, value))


def test_a_record_with_an_extra_field_raises_value_error() -> None:
    data = copy.deepcopy(result_to_dict(_result()))
    data["result"][_index(DocumentResult, "reports")][0].append("surprise")
    with pytest.raises(ValueError):
        result_from_dict(data)


@pytest.mark.parametrize("junk", [None, [], "result", {"format": 1, "result": None}])
def test_input_that_is_not_a_mapping_of_the_format_raises_value_error(junk: Any) -> None:
    with pytest.raises(ValueError):
        result_from_dict(junk)
