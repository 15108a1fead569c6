"""The data classes every layer shares: documents, mentions, reports and events.

Data flows one way: files -> Document -> mentions (TimeExpression, NameMention,
Sentence) -> Report (one event as one document tells it) -> Event (the reports of
one happening, merged). Every span is a pair of character offsets into
``Document.text``, the decoded text exactly as read; an excerpt's ``text`` is always
``document.text[start:end]``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Precision(StrEnum):
    """How finely a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class Certainty(StrEnum):
    """How a date was arrived at."""

    STATED = "stated"  # the text gives the date outright ("October 18, 2021")
    INFERRED = "inferred"  # computed from a reference ("on Tuesday" + publication date)
    UNCERTAIN = "uncertain"  # guessed from weak evidence (a bound, a distant reference)


class Tense(StrEnum):
    """Which way from the reference date a sentence points."""

    PAST = "past"
    FUTURE = "future"
    UNKNOWN = "unknown"


class EventKind(StrEnum):
    MEETING = "meeting"
    VISIT = "visit"
    AGREEMENT = "agreement"
    EXERCISE = "exercise"
    CONFERENCE = "conference"
    MEMBERSHIP = "membership"
    OTHER = "other"


# The kinds an analyst follows above all: meetings and visits of named people. Other kinds
# (agreements, exercises...) are context around them.
MAIN_KINDS = frozenset({EventKind.MEETING, EventKind.VISIT})


class Status(StrEnum):
    HAPPENED = "happened"
    PLANNED = "planned"


class EntityKind(StrEnum):
    PERSON = "person"
    PLACE = "place"
    ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open range of character offsets into a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}:{self.end}")

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class DateValue:
    """A resolved date: the interval it covers, how precisely and how surely it is known.

    ``start`` and ``end`` are inclusive days. A day-precision date has start == end
    unless it is a span ("a four-day visit ... wrapped up on Friday"); a month-precision
    date covers the whole month, a year-precision date the whole year.
    ``basis`` says in words how it was resolved, for a person to read:
    "'on Tuesday', article published 2021-10-20".
    """

    start: dt.date
    end: dt.date
    precision: Precision
    certainty: Certainty
    basis: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"date interval ends before it starts: {self.start} > {self.end}")

    @property
    def is_span(self) -> bool:
        """True when the value is a stated range rather than one unit at its precision."""
        return self.start != self.end and self.precision is Precision.DAY

    def iso_start(self) -> str:
        """The start as the JSON schema writes it: YYYY-MM-DD, YYYY-MM or YYYY."""
        return format_at_precision(self.start, self.precision)

    def iso_end(self) -> str:
        """The end at the same precision as the start."""
        return format_at_precision(self.end, self.precision)


def format_at_precision(day: dt.date, precision: Precision) -> str:
    """Write a date as YYYY-MM-DD, YYYY-MM or YYYY according to its precision."""
    if precision is Precision.DAY:
        return day.isoformat()
    if precision is Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


@dataclass(frozen=True, slots=True)
class AnchorRelation:
    """A date stated relative to another happening: "the day after the lifting of X".

    ``offset_days`` is signed (+1 for "the day after"); ``anchor`` is the span of the
    phrase naming the other happening ("the lifting of the UN arms embargo against Iran").
    """

    offset_days: int
    anchor: Span


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression found in a text, with its resolved value when it has one.

    ``value`` is None when the phrase names no resolvable date (vague phrases are not
    returned at all; an unresolvable weekday without a reference date is returned with
    ``value`` None and ``weekday`` set). ``weekday`` is 0=Monday..6=Sunday when the
    phrase names one, so a report dated only "on Tuesday" can still be matched later.
    ``duration_days`` is set for durations ("a four-day visit").
    """

    span: Span
    text: str
    value: DateValue | None
    tense: Tense = Tense.UNKNOWN
    weekday: int | None = None
    duration_days: int | None = None
    relation: AnchorRelation | None = None


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of body text (never site chrome)."""

    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """One real person, place or organisation, under its canonical name."""

    id: str  # stable key, e.g. "person:ana-duarte"
    name: str  # canonical display name
    kind: EntityKind
    title: str | None = None  # role or title as best known ("Chief of Staff of the Armed Forces")
    nationality: str | None = None  # adjective or country ("Iranian", "Russia")
    country: str | None = None  # for places: the country a city lies in


@dataclass(frozen=True, slots=True)
class NameMention:
    """A span naming an entity: a name, an alias, or a role reference resolved to a person."""

    span: Span
    text: str
    entity_id: str
    kind: EntityKind
    title: str | None = None  # the title or role written beside the name in this mention
    is_reference: bool = False  # "the Iranian general", "his Russian counterpart"


@dataclass(frozen=True, slots=True)
class Chrome:
    """A span of site chrome (menus, comment forms, bylines, credits) kept out of extraction."""

    span: Span
    reason: str


@dataclass(frozen=True)
class Document:
    """One article: its exact text and what is known about it."""

    id: str  # the file name
    path: str
    text: str  # decoded text exactly as read; every offset indexes this
    title: str
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    published: DateValue | None = None
    published_basis: str | None = None  # "manifest" | "text" | "inferred" | None
    chrome: tuple[Chrome, ...] = ()
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = ()

    def excerpt(self, span: Span) -> Excerpt:
        """The exact text of a span of this document."""
        return Excerpt(self.id, span.start, span.end, self.text[span.start : span.end])


@dataclass(frozen=True, slots=True)
class Excerpt:
    """Exact words of a document: ``text == document.text[start:end]``."""

    document: str
    start: int
    end: int
    text: str
    key: Span | None = None  # the key phrase inside it (a trigger, a date), for highlighting


@dataclass(frozen=True, slots=True)
class Quote:
    """Words in quotation marks and who said them, where the text says."""

    speaker: str | None  # canonical name
    document: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Participant:
    """A person taking part in an event, under the canonical name, with a role if known."""

    name: str
    entity_id: str
    role: str | None = None


@dataclass(frozen=True)
class Report:
    """One event as one document tells it."""

    document: str
    kind: EventKind
    when: DateValue | None
    status: Status
    location: str | None  # canonical place name
    participants: tuple[Participant, ...]
    topics: tuple[str, ...]
    excerpts: tuple[Excerpt, ...]
    quotes: tuple[Quote, ...] = ()
    weekday: int | None = None  # a weekday the text names when no date could be resolved
    relation: AnchorRelation | None = None  # dated relative to another happening
    actors: tuple[str, ...] = ()  # organisations and countries the event is about (CSTO, UN)
    subject: str | None = None  # a short phrase for events with no people ("UN arms embargo")
    ends: bool = False  # the date is when the event ends ("which will end on 23 October")
    supporting: bool = False  # adds detail to a report told elsewhere; never an event on its own


@dataclass(frozen=True)
class Event:
    """The reports of one happening from every document, merged.

    What each report said is in the event's fields; the reports themselves are the merge's
    working material and are not kept (a 10,000-article corpus has 150,000 of them): every
    report's excerpt is among ``sources``.
    """

    id: str
    kind: EventKind
    title: str
    when: DateValue | None
    status: Status
    location: str | None
    participants: tuple[Participant, ...]
    topics: tuple[str, ...]
    sources: tuple[Excerpt, ...]
    quotes: tuple[Quote, ...]
    disagreements: tuple[str, ...] = ()
    is_context: bool = False  # background happenings, not meetings or visits of named people

    @property
    def documents(self) -> tuple[str, ...]:
        """The documents that report this event, in first-seen order."""
        return tuple(dict.fromkeys(x.document for x in self.sources))

    @property
    def source_count(self) -> int:
        """How many independent documents report it."""
        return len(self.documents)


@dataclass(frozen=True)
class DocumentResult:
    """What extraction finds in one document alone: the unit of caching and parallel work."""

    document: Document  # publication date filled in where the text gives or implies one
    reports: tuple[Report, ...]
    entities: tuple[Entity, ...]


@dataclass(frozen=True)
class Extraction:
    """Everything read and extracted from one corpus."""

    documents: tuple[Document, ...]
    events: tuple[Event, ...]
    warnings: tuple[str, ...] = ()
    entities: tuple[Entity, ...] = field(default=())

    def document(self, document_id: str) -> Document | None:
        """The document with this id, if it was read."""
        for doc in self.documents:
            if doc.id == document_id:
                return doc
        return None
