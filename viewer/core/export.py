"""Writing extractions out: the CLI's JSON schema and the list's CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence

from viewer.core.model import DateValue, Document, Event, Extraction, TimeExpression

SCHEMA_VERSION = 1


def document_to_json(doc: Document) -> dict:
    """One document as the schema writes it."""
    return {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "outlet": doc.outlet,
        "url": doc.url,
        "language": doc.language,
        "published": doc.published.iso_start() if doc.published else None,
        "published_basis": doc.published_basis,
        "published_detail": doc.published.basis if doc.published else None,
        "encoding": doc.encoding,
        "warnings": list(doc.warnings),
    }


def _date_fields(when: DateValue | None) -> dict:
    if when is None:
        return {"start": None, "end": None, "precision": None, "certainty": None,
                "date_basis": None}
    return {
        "start": when.iso_start(),
        "end": when.iso_end(),
        "precision": when.precision.value,
        "certainty": when.certainty.value,
        "date_basis": when.basis,
    }


def event_to_json(event: Event) -> dict:
    """One event as the schema writes it; every ``text`` is exactly its document's slice."""
    return {
        "id": event.id,
        "kind": event.kind.value,
        "title": event.title,
        **_date_fields(event.when),
        "status": event.status.value,
        "location": event.location,
        "participants": [p.name for p in event.participants],
        "participant_roles": {p.name: p.role for p in event.participants if p.role},
        "topics": list(event.topics),
        "context": event.is_context,
        "source_count": event.source_count,
        "disagreements": list(event.disagreements),
        "sources": [
            {"document": s.document, "start": s.start, "end": s.end, "text": s.text}
            for s in event.sources
        ],
        "quotes": [
            {"speaker": q.speaker, "document": q.document, "start": q.start, "end": q.end,
             "text": q.text}
            for q in event.quotes
        ],
    }


def extraction_to_json(extraction: Extraction) -> dict:
    """The whole extraction in the CLI's schema."""
    return {
        "schema": SCHEMA_VERSION,
        "documents": [document_to_json(d) for d in extraction.documents],
        "events": [event_to_json(e) for e in extraction.events],
        "warnings": list(extraction.warnings),
    }


def events_to_json(events: Iterable[Event], documents: Sequence[Document] = ()) -> str:
    """Events (a filtered selection, say) and the documents they cite, as JSON text."""
    events = list(events)
    cited = {s.document for e in events for s in e.sources}
    payload = {
        "schema": SCHEMA_VERSION,
        "documents": [document_to_json(d) for d in documents if d.id in cited],
        "events": [event_to_json(e) for e in events],
        "warnings": [],
    }
    return dumps(payload)


CSV_COLUMNS = ("id", "start", "end", "precision", "certainty", "kind", "title", "status",
               "location", "participants", "topics", "sources", "documents", "date_basis")


def events_to_csv(events: Iterable[Event]) -> str:
    """Events as CSV, one row each, for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for event in events:
        dates = _date_fields(event.when)
        writer.writerow([
            event.id, dates["start"] or "", dates["end"] or "", dates["precision"] or "",
            dates["certainty"] or "", event.kind.value, event.title, event.status.value,
            event.location or "", "; ".join(p.name for p in event.participants),
            "; ".join(event.topics), event.source_count, "; ".join(event.documents),
            dates["date_basis"] or "",
        ])
    return out.getvalue()


def time_expression_to_json(expression: TimeExpression) -> dict:
    """One time expression as ``python -m viewer dates`` prints it."""
    value = expression.value
    return {
        "start": expression.span.start,
        "end": expression.span.end,
        "text": expression.text,
        "value": value.iso_start() if value else None,
        "value_end": value.iso_end() if value and value.is_span else None,
        "precision": value.precision.value if value else None,
        "certainty": value.certainty.value if value else None,
        "basis": value.basis if value else None,
        "tense": expression.tense.value,
        "weekday": expression.weekday,
        "duration_days": expression.duration_days,
        "relative_to": (
            {"offset_days": expression.relation.offset_days,
             "anchor_start": expression.relation.anchor.start,
             "anchor_end": expression.relation.anchor.end}
            if expression.relation else None
        ),
    }


def dumps(payload: object) -> str:
    """JSON text as every command writes it: UTF-8 characters kept, stable key order."""
    return json.dumps(payload, ensure_ascii=False, indent=2)
