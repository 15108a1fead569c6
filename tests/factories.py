"""Small hand-built documents and events for tests that need data but not the extractor."""

from __future__ import annotations

import datetime as dt

from viewer.core.model import (
    Certainty,
    DateValue,
    Document,
    Event,
    EventKind,
    Excerpt,
    Extraction,
    Participant,
    Precision,
    Quote,
    Report,
    Span,
    Status,
)

ARTICLE_A = (
    "Envoys meet in Lisbon\n\n"
    "Foreign Minister Ana Duarte met her Chilean counterpart Tomas Rivera in Lisbon on Monday. "
    "They discussed fisheries and trade.\n"
    "\u201cWe agreed on a lot,\u201d Duarte said.\n"
    "Rivera will travel to Porto on Friday for a port visit.\n"
)
ARTICLE_B = (
    "Fisheries talks\n\n"
    "Chilean minister Tomas Rivera held talks with Ana Duarte on 3 March 2025 in Lisbon.\n"
    "The two countries signed a fisheries agreement in 2019.\n"
)


def day(iso: str, certainty: Certainty = Certainty.STATED, basis: str = "stated") -> DateValue:
    """A day-precision date."""
    d = dt.date.fromisoformat(iso)
    return DateValue(d, d, Precision.DAY, certainty, basis)


def month(year: int, month_: int, basis: str = "stated") -> DateValue:
    """A month-precision date covering the whole month."""
    start = dt.date(year, month_, 1)
    end = (dt.date(year + (month_ == 12), month_ % 12 + 1, 1)) - dt.timedelta(days=1)
    return DateValue(start, end, Precision.MONTH, Certainty.STATED, basis)


def year(y: int, basis: str = "stated") -> DateValue:
    """A year-precision date covering the whole year."""
    return DateValue(dt.date(y, 1, 1), dt.date(y, 12, 31), Precision.YEAR, Certainty.STATED, basis)


def excerpt_of(doc: Document, phrase: str, key: str | None = None) -> Excerpt:
    """The excerpt of ``doc`` holding the first occurrence of ``phrase``."""
    start = doc.text.index(phrase)
    key_span = None
    if key is not None:
        k = doc.text.index(key, start)
        key_span = Span(k, k + len(key))
    return Excerpt(doc.id, start, start + len(phrase), phrase, key_span)


def documents() -> tuple[Document, Document]:
    """Two short articles by two outlets."""
    a = Document(
        id="a.txt",
        path="/corpus/a.txt",
        text=ARTICLE_A,
        title="Envoys meet in Lisbon",
        outlet="Harbour Gazette",
        url="https://example.org/a",
        published=day("2025-03-05", basis="manifest"),
        published_basis="manifest",
    )
    b = Document(
        id="b.txt",
        path="/corpus/b.txt",
        text=ARTICLE_B,
        title="Fisheries talks",
        outlet=None,
        url=None,
        published=None,
        published_basis=None,
        warnings=("no publication date found",),
    )
    return a, b


def sample_extraction() -> Extraction:
    """Two documents and four events: a merged meeting, a planned visit, two context events."""
    a, b = documents()
    duarte = Participant("Ana Duarte", "person:ana-duarte", "Foreign Minister")
    rivera = Participant("Tomas Rivera", "person:tomas-rivera", "Chilean minister")
    meeting_a = excerpt_of(a, "Foreign Minister Ana Duarte met her Chilean counterpart "
                              "Tomas Rivera in Lisbon on Monday.", key="met")
    meeting_b = excerpt_of(b, "Chilean minister Tomas Rivera held talks with Ana Duarte on "
                              "3 March 2025 in Lisbon.", key="held talks")
    quote = excerpt_of(a, "We agreed on a lot,")
    meeting = Event(
        id="e1",
        kind=EventKind.MEETING,
        title="Duarte meets Rivera in Lisbon",
        when=day("2025-03-03", Certainty.INFERRED, "'on Monday', article published 2025-03-05"),
        status=Status.HAPPENED,
        location="Lisbon",
        participants=(duarte, rivera),
        topics=("fisheries", "trade"),
        sources=(meeting_a, meeting_b),
        quotes=(Quote("Ana Duarte", a.id, quote.start, quote.end, quote.text),),
    )
    visit_x = excerpt_of(a, "Rivera will travel to Porto on Friday for a port visit.", key="travel")
    visit = Event(
        id="e2",
        kind=EventKind.VISIT,
        title="Rivera visits Porto",
        when=day("2025-03-07", Certainty.INFERRED, "'on Friday', article published 2025-03-05"),
        status=Status.PLANNED,
        location="Porto",
        participants=(rivera,),
        topics=(),
        sources=(visit_x,),
        quotes=(),
    )
    agreement_x = excerpt_of(b, "The two countries signed a fisheries agreement in 2019.",
                             key="signed")
    agreement = Event(
        id="e3",
        kind=EventKind.AGREEMENT,
        title="Fisheries agreement signed",
        when=year(2019),
        status=Status.HAPPENED,
        location=None,
        participants=(),
        topics=("fisheries",),
        sources=(agreement_x,),
        quotes=(),
        is_context=True,
    )
    talks_x = excerpt_of(a, "They discussed fisheries and trade.")
    undated = Event(
        id="e4",
        kind=EventKind.OTHER,
        title="Trade talks",
        when=None,
        status=Status.HAPPENED,
        location=None,
        participants=(),
        topics=("trade",),
        sources=(talks_x,),
        quotes=(),
        is_context=True,
    )
    return Extraction(documents=(a, b), events=(meeting, visit, agreement, undated))


def sample_reports() -> tuple[Report, ...]:
    """What each document of ``sample_extraction`` tells on its own: a report per source."""
    return tuple(
        Report(x.document, e.kind, None, e.status, e.location, e.participants, e.topics, (x,))
        for e in sample_extraction().events for x in e.sources
    )
