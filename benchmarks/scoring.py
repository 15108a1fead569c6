"""Scoring an Extraction against an expected-events file (see tests/eval_corpus/expected.toml).

The scorer is deliberately independent of the extractor: it keys names with its own small
spelling fold (plus the project's key when one exists) and the aliases written in the
expected file, so that improving the extractor's name matching cannot move the yardstick.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
    Status,
    format_at_precision,
)

MAIN_KINDS = frozenset({EventKind.MEETING, EventKind.VISIT})
_KIND_SYNONYMS = {"arrival": "visit"}
_PRECISION_RANK = {Precision.YEAR: 0, Precision.MONTH: 1, Precision.DAY: 2}
_NON_LETTER = re.compile(r"[^a-z]")
_PARTICLES = ("al", "el", "ul")
# Transliteration variants that make one surname look like two (Sadeqi/Sadeghi, Hrytsenko/
# Hritsenko, Aasen/Åsen once doubled letters are collapsed).
_FOLDS = (("kh", "h"), ("gh", "g"), ("q", "g"), ("y", "i"), ("ou", "u"))


@dataclass(frozen=True)
class ExpectedEvent:
    """One happening the corpus reports, as the answer key states it."""

    id: str
    kind: str
    start: str | None
    end: str | None
    participants: tuple[str, ...]
    location: str | None
    documents: tuple[str, ...]
    status: str
    main: bool
    note: str = ""


@dataclass(frozen=True)
class ExpectedPublication:
    """The publication date an article should be given (None when it cannot be known)."""

    file: str
    date: str | None
    basis: str


@dataclass(frozen=True)
class ExpectedSet:
    """The whole answer key of one corpus."""

    events: tuple[ExpectedEvent, ...]
    publications: tuple[ExpectedPublication, ...]
    aliases: dict[str, tuple[str, ...]]
    distractors: tuple[str, ...] = ()

    @property
    def main(self) -> tuple[ExpectedEvent, ...]:
        """The scored set: meetings and visits of named officials."""
        return tuple(e for e in self.events if e.main)

    @property
    def context(self) -> tuple[ExpectedEvent, ...]:
        """Background events: agreements, exercises, conferences, memberships."""
        return tuple(e for e in self.events if not e.main)


@dataclass(frozen=True)
class EventOutcome:
    """How one expected main event fared."""

    id: str
    expected_start: str | None
    found: bool
    extracted_start: str | None
    date_correct: bool
    matches: int  # extracted events matching it, one-to-one or not (more than 1 = duplicates)
    documents_covered: int
    documents_expected: int


@dataclass(frozen=True)
class Scores:
    """Every figure the evaluation prints."""

    main_expected: int
    main_extracted: int
    main_matched: int
    precision: float
    recall: float
    f1: float
    dated_matched: int
    date_correct: int
    date_accuracy: float
    location_accuracy: float
    participant_accuracy: float  # matched events naming exactly the expected people
    multi_document_events: int
    merged: int
    duplicates: int
    merge_score: float
    context_expected: int
    context_found: int
    context_recall: float
    context_date_accuracy: float
    publications: int
    publications_correct: int
    publication_accuracy: float
    distractor_dated_events: int
    undated_main_events: int
    outcomes: tuple[EventOutcome, ...] = field(default=())
    false_positives: tuple[str, ...] = field(default=())

    def figures(self) -> dict[str, float | int]:
        """The numeric figures, for the JSON summary."""
        return {k: v for k, v in self.__dict__.items() if isinstance(v, int | float)}


# ------------------------------------------------------------------ loading


def load_expected(path: str | Path) -> ExpectedSet:
    """Read an expected-events TOML file."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    events = tuple(
        ExpectedEvent(
            id=str(e.get("id", f"event-{n}")),
            kind=_KIND_SYNONYMS.get(e["kind"], e["kind"]),
            start=_opt_str(e.get("start")),
            end=_opt_str(e.get("end", e.get("start"))),
            participants=tuple(e.get("participants", ())),
            location=e.get("location"),
            documents=tuple(e.get("documents", ())),
            status=e.get("status", "happened"),
            main=bool(e.get("main", False)),
            note=e.get("note", ""),
        )
        for n, e in enumerate(data.get("event", []))
    )
    publications = tuple(
        ExpectedPublication(p["file"], _opt_str(p.get("date")), p.get("basis", "none"))
        for p in data.get("publication", [])
    )
    aliases = {k: tuple(v) for k, v in data.get("aliases", {}).items()}
    return ExpectedSet(events, publications, aliases, tuple(data.get("distractors", ())))


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


def parse_partial_date(text: str) -> tuple[dt.date, dt.date, Precision]:
    """The interval a YYYY-MM-DD, YYYY-MM or YYYY string covers, with its precision."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return day, day, Precision.DAY
    if len(parts) == 2:
        year, month = parts
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, 1), dt.date(year, month, last), Precision.MONTH
    if len(parts) == 1:
        return dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31), Precision.YEAR
    raise ValueError(f"not a partial date: {text!r}")


def expected_interval(event: ExpectedEvent) -> tuple[dt.date, dt.date] | None:
    """The whole interval an expected event may occupy, or None when it has no date."""
    if event.start is None:
        return None
    start, start_end, _ = parse_partial_date(event.start)
    end = parse_partial_date(event.end)[1] if event.end else start_end
    return start, max(end, start_end)


def read_article(path: str | Path) -> str:
    """An article's text: UTF-8 (with or without a BOM), else cp1252."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# ------------------------------------------------------------------ names


def ascii_letters(text: str) -> str:
    """Lowercase ASCII letters only: diacritics stripped, spaces and punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_LETTER.sub("", stripped.lower())


def surname_of(name: str) -> str:
    """The last word of a name, without an Arabic-style article ("al-Harthi" -> "Harthi")."""
    words = name.split()
    if not words:
        return ""
    last = words[-1]
    head, _, rest = last.partition("-")
    if rest and head.lower() in _PARTICLES:
        return rest
    return last


def fallback_key(name: str) -> str:
    """A spelling-tolerant key of a name's surname."""
    letters = ascii_letters(surname_of(name))
    for old, new in _FOLDS:
        letters = letters.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", letters)


def _project_key() -> Callable[[str], str] | None:
    try:
        from viewer.core.entities import surname_key  # type: ignore[attr-defined]
    except Exception:
        return None
    return surname_key


_PROJECT_KEY = _project_key()


def name_keys(name: str) -> frozenset[str]:
    """Every key a name goes by: the local fold, plus the project's surname key if it has one."""
    keys = {fallback_key(name)}
    if _PROJECT_KEY is not None:
        # The project's key is a bonus; a bug in it must not stop the scoring.
        with contextlib.suppress(Exception):
            keys.add(str(_PROJECT_KEY(name)))
    return frozenset(k for k in keys if k)


def expected_keys(canonical: str, aliases: dict[str, tuple[str, ...]]) -> frozenset[str]:
    """The keys of a canonical name and of every alias listed for it."""
    keys: set[str] = set()
    for spelling in (canonical, *aliases.get(canonical, ())):
        keys |= name_keys(spelling)
    return frozenset(keys)


def participant_overlap(names: Iterable[str], event: ExpectedEvent,
                        aliases: dict[str, tuple[str, ...]]) -> int:
    """How many of the expected participants the extracted names cover."""
    extracted = [name_keys(n) for n in names]
    return sum(
        1
        for person in event.participants
        if any(keys & expected_keys(person, aliases) for keys in extracted)
    )


def same_people(event: Event, expected: ExpectedEvent,
                aliases: dict[str, tuple[str, ...]]) -> bool:
    """The event names every expected participant and nobody else."""
    wanted = [expected_keys(p, aliases) for p in expected.participants]
    names = [name_keys(p.name) for p in event.participants]
    every_wanted = all(any(keys & w for keys in names) for w in wanted)
    nobody_else = all(any(keys & w for w in wanted) for keys in names)
    return every_wanted and nobody_else


# ------------------------------------------------------------------ dates


def dates_compatible(when: DateValue | None, event: ExpectedEvent) -> bool:
    """True unless both sides are dated and their intervals do not overlap."""
    interval = expected_interval(event)
    if when is None or interval is None:
        return True
    return when.start <= interval[1] and interval[0] <= when.end


def date_correct(when: DateValue | None, event: ExpectedEvent) -> bool:
    """The extracted start equals the expected start at the expected precision."""
    if event.start is None:
        return when is None
    if when is None:
        return False
    _, _, precision = parse_partial_date(event.start)
    if _PRECISION_RANK[when.precision] < _PRECISION_RANK[precision]:
        return False
    return format_at_precision(when.start, precision) == event.start


# ------------------------------------------------------------------ matching


def is_main(event: Event) -> bool:
    """Whether an extracted event belongs to the scored set (a meeting or visit, not context)."""
    return event.kind in MAIN_KINDS and not event.is_context


def main_match(event: Event, expected: ExpectedEvent,
               aliases: dict[str, tuple[str, ...]]) -> bool:
    """Same kind, at least one shared participant, compatible dates."""
    return (
        event.kind.value == expected.kind
        and participant_overlap((p.name for p in event.participants), expected, aliases) > 0
        and dates_compatible(event.when, expected)
    )


def context_match(event: Event, expected: ExpectedEvent) -> bool:
    """Same kind, compatible dates, reported by one of the expected documents."""
    return (
        event.kind.value == expected.kind
        and dates_compatible(event.when, expected)
        and bool(set(event.documents) & set(expected.documents))
    )


def _pair_rank(event: Event, expected: ExpectedEvent, aliases) -> tuple:
    overlap = participant_overlap((p.name for p in event.participants), expected, aliases)
    shared_docs = len(set(event.documents) & set(expected.documents))
    return (date_correct(event.when, expected), overlap, shared_docs)


def assign(events: Sequence[Event], expected: Sequence[ExpectedEvent],
           matches: Callable[[Event, ExpectedEvent], bool],
           rank: Callable[[Event, ExpectedEvent], tuple]) -> dict[int, int]:
    """A one-to-one pairing (expected index -> event index), best-ranked pairs first."""
    pairs = [
        (rank(ev, ex), ei, xi)
        for ei, ev in enumerate(events)
        for xi, ex in enumerate(expected)
        if matches(ev, ex)
    ]
    pairs.sort(key=lambda p: p[0], reverse=True)
    taken_events: set[int] = set()
    pairing: dict[int, int] = {}
    for _, ei, xi in pairs:
        if ei in taken_events or xi in pairing:
            continue
        taken_events.add(ei)
        pairing[xi] = ei
    return pairing


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def score(extraction: Extraction, expected: ExpectedSet) -> Scores:
    """Every figure of one extraction against one answer key."""
    aliases = expected.aliases
    extracted = [e for e in extraction.events if is_main(e)]
    wanted = expected.main
    pairing = assign(
        extracted, wanted,
        lambda ev, ex: main_match(ev, ex, aliases),
        lambda ev, ex: _pair_rank(ev, ex, aliases),
    )
    outcomes = []
    dated = correct = located = with_location = exact_people = 0
    merged = duplicates = multi = 0
    partner_of = {ei: xi for xi, ei in pairing.items()}
    for xi, ex in enumerate(wanted):
        # An event paired with another expected event is that one, not a copy of this one:
        # two meetings of one visitor on one day both match either key by the shared person.
        all_matches = [ev for ei, ev in enumerate(extracted)
                       if partner_of.get(ei, xi) == xi and main_match(ev, ex, aliases)]
        ev = extracted[pairing[xi]] if xi in pairing else None
        ok = ev is not None and date_correct(ev.when, ex)
        if ev is not None:
            exact_people += same_people(ev, ex, aliases)
            dated += ex.start is not None
            correct += ok and ex.start is not None
            if ex.location:
                with_location += 1
                located += bool(ev.location) and (
                    ascii_letters(ev.location) == ascii_letters(ex.location))
        covered = len(set(ev.documents) & set(ex.documents)) if ev else 0
        if len(ex.documents) > 1:
            multi += 1
            duplicates += max(0, len(all_matches) - 1)
            merged += len(all_matches) == 1 and covered >= 2
        outcomes.append(EventOutcome(
            ex.id, ex.start, ev is not None,
            ev.when.iso_start() if ev is not None and ev.when else None,
            ok, len(all_matches), covered, len(ex.documents),
        ))
    matched = len(pairing)
    precision = _ratio(matched, len(extracted))
    recall = _ratio(matched, len(wanted))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    paired_events = set(pairing.values())
    false_positives = tuple(
        _describe(ev) for i, ev in enumerate(extracted) if i not in paired_events
    )

    context = expected.context
    ctx_pairing = assign(
        list(extraction.events), context, context_match,
        lambda ev, ex: (date_correct(ev.when, ex), len(set(ev.documents) & set(ex.documents))),
    )
    ctx_correct = sum(
        date_correct(extraction.events[ei].when, context[xi]) for xi, ei in ctx_pairing.items()
    )

    pub_correct = sum(publication_correct(extraction, p) for p in expected.publications)
    distractors = set(expected.distractors)
    return Scores(
        main_expected=len(wanted),
        main_extracted=len(extracted),
        main_matched=matched,
        precision=precision,
        recall=recall,
        f1=f1,
        dated_matched=dated,
        date_correct=correct,
        date_accuracy=_ratio(correct, dated),
        location_accuracy=_ratio(located, with_location),
        participant_accuracy=_ratio(exact_people, matched),
        multi_document_events=multi,
        merged=merged,
        duplicates=duplicates,
        merge_score=_ratio(merged, multi),
        context_expected=len(context),
        context_found=len(ctx_pairing),
        context_recall=_ratio(len(ctx_pairing), len(context)),
        context_date_accuracy=_ratio(ctx_correct, len(ctx_pairing)),
        publications=len(expected.publications),
        publications_correct=pub_correct,
        publication_accuracy=_ratio(pub_correct, len(expected.publications)),
        distractor_dated_events=sum(
            1 for ev in extracted
            if ev.when is not None and distractors and set(ev.documents) <= distractors
        ),
        undated_main_events=sum(1 for ev in extracted if ev.when is None),
        outcomes=tuple(outcomes),
        false_positives=false_positives,
    )


def publication_correct(extraction: Extraction, expected: ExpectedPublication) -> bool:
    """The document's publication date equals the expected one (both absent counts)."""
    doc = extraction.document(expected.file)
    if doc is None:
        return False
    if expected.date is None:
        return doc.published is None
    if doc.published is None:
        return False
    _, _, precision = parse_partial_date(expected.date)
    return format_at_precision(doc.published.start, precision) == expected.date


def _describe(event: Event) -> str:
    when = event.when.iso_start() if event.when else "undated"
    names = ", ".join(p.name for p in event.participants) or "nobody"
    return f"{event.kind.value} {when} [{names}] in {', '.join(event.documents)}"


# ------------------------------------------------------------------ a perfect answer


def _date_value(start: str, end: str | None, basis: str) -> DateValue:
    first, first_end, precision = parse_partial_date(start)
    last = parse_partial_date(end)[1] if end else first_end
    return DateValue(first, last, precision, Certainty.STATED, basis)


def perfect_extraction(expected: ExpectedSet) -> Extraction:
    """The Extraction an ideal extractor would return for this answer key (for testing)."""
    files = dict.fromkeys(
        [p.file for p in expected.publications]
        + [d for e in expected.events for d in e.documents]
    )
    pubs = {p.file: p for p in expected.publications}
    documents = []
    for name in files:
        pub = pubs.get(name)
        published = _date_value(pub.date, None, pub.basis) if pub and pub.date else None
        documents.append(Document(
            id=name, path=name, text="", title=name, published=published,
            published_basis=pub.basis if published else None,
        ))
    events = tuple(_perfect_event(n, e) for n, e in enumerate(expected.events))
    return Extraction(documents=tuple(documents), events=events)


def _perfect_event(number: int, expected: ExpectedEvent) -> Event:
    when = _date_value(expected.start, expected.end, "expected") if expected.start else None
    people = tuple(Participant(p, f"person:{ascii_letters(p)}") for p in expected.participants)
    kind = EventKind(expected.kind)
    status = Status(expected.status)
    # Texts are empty here: one empty excerpt per document says who reports the event.
    sources = tuple(Excerpt(doc, 0, 0, "") for doc in expected.documents)
    return Event(
        id=f"e{number}", kind=kind, title=expected.id, when=when, status=status,
        location=expected.location, participants=people, topics=(), sources=sources,
        quotes=(), is_context=not expected.main,
    )
