"""Merging: the reports of one happening, from one or many documents, become one Event.

Two reports tell of the same happening when they are of the same kind, share participants
(after canonicalisation) or, for events without people, what they are about, and their dates
and places are compatible. Dated reports found clusters first, so an undated report ("on
Tuesday" in an article with no date) joins the happening the dated reports have fixed and
takes its date from them, and the basis says so. Disagreements are kept, not hidden.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from viewer.core.entities import surname
from viewer.core.model import (
    MAIN_KINDS,
    Certainty,
    DateValue,
    Document,
    Event,
    EventKind,
    Excerpt,
    Participant,
    Precision,
    Quote,
    Report,
    Status,
)

PlaceCountry = Callable[[str], "str | None"]

_PRECISION_RANK = {Precision.DAY: 0, Precision.MONTH: 1, Precision.YEAR: 2}
_CERTAINTY_RANK = {Certainty.STATED: 0, Certainty.INFERRED: 1, Certainty.UNCERTAIN: 2}


@dataclass
class _Cluster:
    """Reports gathered so far for one happening (mutable while merging)."""

    kind: EventKind
    reports: list[Report] = field(default_factory=list)
    people: set[str] = field(default_factory=set)
    when: DateValue | None = None
    weekday: int | None = None
    locations: dict[str, int] = field(default_factory=dict)  # place -> reports naming it
    keys: set[str] = field(default_factory=set)  # actors and subjects, for events without people
    documents: set[str] = field(default_factory=set)

    def add(self, report: Report, traits: _Traits) -> None:
        self.reports.append(report)
        self.documents.add(report.document)
        self.people |= traits.people
        if report.location:
            self.locations[report.location] = self.locations.get(report.location, 0) + 1
        self.keys |= traits.keys
        if report.when is not None and not report.ends and (
            self.when is None or _sharper(report.when, self.when)
        ):
            self.when = report.when
        if self.weekday is None and report.weekday is not None:
            self.weekday = report.weekday


def merge_reports(
    reports: Sequence[Report],
    documents: Mapping[str, Document],
    place_country: PlaceCountry = lambda _place: None,
) -> list[Event]:
    """Merge reports into events, sorted by date (undated last) and then title."""
    index = _ClusterIndex()
    for report in sorted(reports, key=_founding_order):
        traits = _Traits.of(report, documents)
        best = _best_cluster(report, traits, index, place_country)
        if best is not None:
            index.add_to(best, report, traits)
        elif not report.supporting:
            # An end date with nothing to end ("the drills end on Friday") dates the event itself.
            index.found(replace(report, ends=False) if report.ends else report, traits)
    merged = [_Merged(_event(c, documents, place_country), tuple(c.reports))
              for c in index.clusters]
    merged = _date_meetings_by_news_visits(merged, documents, place_country)
    merged = _place_meetings_on_visits(merged)
    merged = _date_visits_by_meetings(merged, place_country)
    merged = _cities_for_countries(merged, place_country)
    merged = _resolve_relations(merged, documents)
    return sorted((m.event for m in merged), key=_event_order)


@dataclass(frozen=True, slots=True)
class _Merged:
    """An event with the reports it was merged from, while merging still needs them."""

    event: Event
    reports: tuple[Report, ...]


def _founding_order(report: Report) -> tuple:
    """Reports that fix a happening best come first: dated, precise, stated, non-supporting."""
    when = report.when
    dated = 0 if when is not None else (1 if report.weekday is not None else 2)
    precision = _PRECISION_RANK[when.precision] if when else 3
    certainty = _CERTAINTY_RANK[when.certainty] if when else 3
    first = report.excerpts[0] if report.excerpts else None
    return (report.supporting, report.ends, dated, precision, certainty,
            report.document, first.start if first else 0)


def _keys(report: Report) -> set[str]:
    keys = {a.lower() for a in report.actors}
    if report.subject:
        keys.add(_singular(report.subject.split()[-1].lower()))
    return keys


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _sharper(a: DateValue, b: DateValue) -> bool:
    """True when a pins the date down better than b."""
    return (_PRECISION_RANK[a.precision], _CERTAINTY_RANK[a.certainty]) < (
        _PRECISION_RANK[b.precision],
        _CERTAINTY_RANK[b.certainty],
    )


class _ClusterIndex:
    """The clusters so far, findable by the people and keys they hold and by their dates.

    A report can only join a cluster of its kind that shares a person or, for events without
    people, an organisation or subject, and whose date is compatible (see ``_affinity``).
    The index hands out just those clusters: the ones under one of the report's keys whose
    date falls in a month the report's date touches (for a report dated to a few days, on a
    day within reach of them), or that have no date; for a report dated by its weekday
    alone, the clusters of that weekday or of no single day. Without it merging is
    quadratic in the number of reports.
    """

    def __init__(self) -> None:
        self.clusters: list[_Cluster] = []
        # (kind, key) -> bucket -> positions; a position may stand twice in one list.
        self._by_bucket: dict[tuple[EventKind, str], dict[_Bucket, list[int]]] = {}
        self._by_key: dict[tuple[EventKind, str], list[int]] = {}  # each position once
        self._indexed_keys: list[set[str]] = []  # per cluster: the keys it is indexed under
        self._indexed_buckets: list[tuple[_Bucket, ...]] = []  # per cluster: its last buckets

    def candidates(self, report: Report, traits: _Traits) -> list[int]:
        """Positions of the clusters the report could join, oldest first."""
        buckets = _report_buckets(report)
        found: set[int] = set()
        for key in traits.query_keys:
            if buckets is None:
                found.update(self._by_key.get((report.kind, key), ()))
                continue
            by_bucket = self._by_bucket.get((report.kind, key))
            if by_bucket is not None:
                for bucket in buckets:
                    found.update(by_bucket.get(bucket, ()))
        return sorted(found)

    def found(self, report: Report, traits: _Traits) -> int:
        """Start a cluster with this report; returns its position."""
        self.clusters.append(_Cluster(report.kind))
        self._indexed_keys.append(set())
        self._indexed_buckets.append(())
        self.add_to(len(self.clusters) - 1, report, traits)
        return len(self.clusters) - 1

    def add_to(self, position: int, report: Report, traits: _Traits) -> None:
        """Add a report to a cluster and index what it brings (its keys, a new date).

        A cluster stays under every bucket it was ever in. Its keys already stand under the
        buckets it had before, so only its new keys go there, and all its keys under a new
        bucket: the work is in what changed, not in the whole cluster again.
        """
        cluster = self.clusters[position]
        cluster.add(report, traits)
        keys = self._indexed_keys[position]
        new_keys = traits.index_keys - keys
        keys |= new_keys
        before = self._indexed_buckets[position]
        buckets = _cluster_buckets(cluster)
        self._indexed_buckets[position] = buckets
        for key in new_keys:
            self._by_key.setdefault((cluster.kind, key), []).append(position)
        for bucket in buckets:
            for key in (new_keys if bucket in before else keys):
                self._by_bucket.setdefault((cluster.kind, key), {}).setdefault(
                    bucket, []).append(position)


_Bucket = str | dt.date  # a day bucket is the day itself
_UNDATED = "undated"
_WIDE = "wide"  # clusters whose dates span too many months to list
_NO_WEEKDAY = "wd-"  # clusters dated but not to one day: any weekday may fit them
_MAX_MONTHS = 24
# A cluster dated to fewer days than this stands under each of its days too: a person meets
# many people in a month, and a report dated to a day looks only at the days within reach.
_DAY_BUCKET_SPAN = 7
_END_REACH = dt.timedelta(days=366)  # how long before its end an ended event may have begun


@functools.lru_cache(maxsize=65536)  # a corpus names the same few thousand days again and again
def _months(start: dt.date, end: dt.date) -> tuple[str, ...] | None:
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    if count > _MAX_MONTHS:
        return None
    year, month = start.year, start.month
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(found)


def _weekday_bucket(weekday: int) -> str:
    return f"wd{weekday}"


def _by_days(start: dt.date, end: dt.date) -> bool:
    """Whether a day-precision date is short enough to stand under each of its days."""
    return (end - start).days < _DAY_BUCKET_SPAN


def _days(start: dt.date, end: dt.date) -> tuple[dt.date, ...]:
    """Day buckets: each day itself."""
    return tuple(start + dt.timedelta(days=k) for k in range((end - start).days + 1))


def _cluster_buckets(cluster: _Cluster) -> tuple[_Bucket, ...]:
    """The buckets a cluster's date falls in (see ``_date_buckets``)."""
    when = cluster.when
    if when is None:
        return (_UNDATED,)
    return _date_buckets(when.start, when.end, when.precision)


@functools.lru_cache(maxsize=65536)  # clusters of a corpus share a few thousand dates
def _date_buckets(start: dt.date, end: dt.date, precision: Precision) -> tuple[_Bucket, ...]:
    """Its year, or its months ("m"), and either its days (a date of a few days) or its
    months again ("c", for coarse: dates the day buckets do not hold); and its weekday."""
    weekday = _weekday_bucket(start.weekday()) if (
        precision is Precision.DAY and start == end) else _NO_WEEKDAY
    if precision is Precision.YEAR:
        return (f"Y{start.year:04d}", weekday)
    months = _months(start, end)
    if months is None:
        return (_WIDE, weekday)
    if precision is Precision.DAY and _by_days(start, end):
        return (*(f"m{m}" for m in months), *_days(start, end), weekday)
    return (*(f"m{m}" for m in months), *(f"c{m}" for m in months), weekday)


def _report_buckets(report: Report) -> tuple[_Bucket, ...] | None:
    """Buckets whose clusters a report could join; None means look at every cluster."""
    when = report.when
    if when is None:
        if report.weekday is not None and not report.ends:
            # "on Tuesday" fits a day that was a Tuesday, a date that is no single day, or none.
            return (_weekday_bucket(report.weekday), _NO_WEEKDAY, _UNDATED)
        return None  # undated reports and undated ends may join a cluster of any date
    return _dated_buckets(when.start, when.end, when.precision, report.ends, _reach(report.kind))


@functools.lru_cache(maxsize=65536)  # reports of a corpus share a few thousand dates
def _dated_buckets(start: dt.date, end: dt.date, precision: Precision, ends: bool,
                   reach: int) -> tuple[_Bucket, ...] | None:
    if ends:
        # "The drills end on Friday": an event that began before then, but not years before.
        months = _months(end - _END_REACH, end)
    else:
        # A day either side: two outlets may date one meeting a day apart (see _near_miss);
        # dates less precise than a day must overlap.
        margin = dt.timedelta(days=reach if precision is Precision.DAY else 0)
        months = _months(start - margin, end + margin)
    if months is None:
        return None
    years = sorted({f"Y{m[:4]}" for m in months})
    if precision is Precision.DAY and not ends and _by_days(start, end):
        # A clash of days beyond reach rules a cluster out, so of the clusters dated to a
        # few days only those on the days within reach are candidates.
        days = _days(start - margin, end + margin)
        return (*days, *(f"c{m}" for m in months), *years, _UNDATED, _WIDE)
    if precision is Precision.YEAR and not ends:
        months = _months(dt.date(start.year, 1, 1), dt.date(end.year, 12, 31)) or ()
    return (*(f"m{m}" for m in months), *years, _UNDATED, _WIDE)


def _best_cluster(
    report: Report, traits: _Traits, index: _ClusterIndex, place_country: PlaceCountry
) -> int | None:
    """The position of the cluster the report fits best; ties go to the oldest."""
    best: tuple[float, int] | None = None
    for position in index.candidates(report, traits):
        score = _affinity(report, traits, index.clusters[position], place_country)
        if score is not None and (best is None or score > best[0]):
            best = (score, position)
    return best[1] if best else None


@dataclass(frozen=True, slots=True)
class _Traits:
    """What merging compares of a report, computed once per report."""

    people: frozenset[str]
    actors: frozenset[str]
    keys: frozenset[str]
    index_keys: frozenset[str]  # what a cluster holding the report is found by
    query_keys: frozenset[str]  # what the report looks its possible clusters up by
    news_day: dt.date | None = None  # an undated report's article date: its likely news

    @classmethod
    def of(cls, report: Report, documents: Mapping[str, Document] | None = None) -> _Traits:
        doc = documents.get(report.document) if documents else None
        undated = report.when is None and report.weekday is None
        people = frozenset(p.entity_id for p in report.participants)
        actors = frozenset(a.lower() for a in report.actors)
        keys = frozenset(_keys(report))
        index_keys = people | {f"k:{k}" for k in keys}
        # A supporting report joins only on shared people or organisations, never on a bare
        # subject noun, so its subject ("agreement", shared by every agreement) is not looked up.
        query_keys = people | {f"k:{a}" for a in actors} if report.supporting else index_keys
        return cls(people, actors, keys, index_keys, query_keys,
                   doc.published.start if undated and doc and doc.published else None)


def _affinity(
    report: Report, traits: _Traits, cluster: _Cluster, place_country: PlaceCountry
) -> float | None:
    """How well a report fits a cluster, or None when it cannot be the same happening."""
    if report.kind is not cluster.kind:
        return None
    # The date is the cheapest test and the one most clusters fail.
    date_score = _date_fit(report, cluster)
    if date_score is None or _long_after_told(report, traits, cluster):
        return None
    shared_people = len(traits.people & cluster.people)
    # Two meetings (or agreements) of one person with two others are two happenings.
    if report.kind in _BETWEEN_TWO and len(traits.people) >= 2 and len(cluster.people) >= 2 \
            and shared_people < 2:
        return None
    if report.kind in MAIN_KINDS:
        if shared_people < 1:
            return None
    else:
        shared_actors = len(traits.actors & cluster.keys)
        shared_subject = len(traits.keys & cluster.keys) - shared_actors
        # A bare noun ("conference", "exercises") is weak evidence: an undated mention joins
        # only on the organisations or people it shares; dated reports also have their dates.
        if report.supporting and not (shared_actors or shared_people):
            return None
        if not (shared_actors or shared_people or shared_subject):
            return None
        shared_people += shared_actors + shared_subject
    place_score = _place_fit(report.location, cluster.locations, place_country)
    if place_score is None and report.kind is EventKind.VISIT and _both_to_the_day(
            report, cluster):
        # "He will also visit Karachi" days after arriving in Islamabad: one trip, one country
        # (both dated to the day: an undated visit to another city may be another trip).
        place_score = _same_country(report.location, cluster.locations, place_country)
    if place_score is None:
        return None
    if date_score < 0 and not _near_enough(report, place_score, shared_people):
        return None
    same_document = report.document in cluster.documents
    # Of two happenings an undated report could be, its article's news more likely than
    # a meeting of the same people a year before that the article recalls.
    news = traits.news_day is not None and cluster.when is not None and abs(
        (cluster.when.start - traits.news_day).days) <= _NEWS_DAYS
    return (3.0 * shared_people + date_score + place_score + (0.5 if same_document else 0.0)
            + (1.0 if news else 0.0)
            - (_LATER_THAN_TOLD if _told_before_it_happened(report, traits, cluster) else 0.0))


# Two of these between one person and two others are two happenings.
_BETWEEN_TWO = frozenset({EventKind.MEETING, EventKind.AGREEMENT})
# An undated report of a thing done is seldom of a happening after its article was
# published ("he held talks with X" in May is not X's meeting in November); seldom, as a
# programme published before a visit tells its talks without a tense.
_LATER_THAN_TOLD = 2.0
_PROGRAMME_DAYS = 31  # how long before a happening a programme may tell it undated


def _long_after_told(report: Report, traits: _Traits, cluster: _Cluster) -> bool:
    """Whether an undated report would join a happening far on the wrong side of its
    article's date: "has visited Moscow" in 2016 is not the visit to Moscow of 2017, nor
    "will hold talks with X" in 2017 the talks of 2016."""
    if traits.news_day is None or cluster.when is None:
        return False
    if report.status is Status.PLANNED:
        return (traits.news_day - cluster.when.end).days > _PROGRAMME_DAYS
    return (_told_before_it_happened(report, traits, cluster)
            and (cluster.when.start - traits.news_day).days > _PROGRAMME_DAYS)


def _told_before_it_happened(report: Report, traits: _Traits, cluster: _Cluster) -> bool:
    """Whether an undated report told as done fits a happening after its article's date."""
    return (traits.news_day is not None and report.status is Status.HAPPENED
            and cluster.when is not None and cluster.when.start > traits.news_day)


def _near_enough(report: Report, place_score: float, shared_people: int) -> bool:
    """Whether a report dated a little apart from a cluster may still join it: a meeting
    in the very place with both sides; a visit to the place by the same visitor (a visit
    lasts days, and outlets date it by different ones)."""
    if report.kind is EventKind.VISIT:
        return place_score >= 1 and shared_people >= 1
    return place_score >= 2 and (report.kind not in MAIN_KINDS or shared_people >= 2)


def _date_fit(report: Report, cluster: _Cluster) -> float | None:
    """2 for the same date, 1 for a compatible one, 0 when either is undated; None if they clash."""
    when = cluster.when
    if report.ends:
        if report.when is None or when is None:
            return 0.0
        # It ends after the event began, and the event was not over a year before.
        if report.when.end < when.start or when.end < report.when.end - _END_REACH:
            return None
        return 1.0
    if report.when is not None and when is not None:
        if report.when.start > when.end or when.start > report.when.end:
            return _near_miss(report.when, when, _reach(report.kind))
        return 2.0 if (report.when.start, report.when.end) == (when.start, when.end) else 1.0
    if report.weekday is not None:
        if when is not None:
            if when.precision is not Precision.DAY or when.is_span:
                return 0.0
            return 2.0 if when.start.weekday() == report.weekday else None
        if cluster.weekday is not None:
            return 1.0 if cluster.weekday == report.weekday else None
    if report.when is not None and cluster.weekday is not None and when is None:
        day = report.when
        if day.precision is Precision.DAY and not day.is_span:
            return 1.0 if day.start.weekday() == cluster.weekday else None
    return 0.0


_NEWS_DAYS = 7  # how near its article's date a happening is the article's news
_VISIT_DAYS = 3  # how far apart two outlets may date one visit (by arrival, by a meeting)
_LONGEST_STAY_DAYS = 6  # spans from a week up are periods ("next week"), not stated stays


def _reach(kind: EventKind) -> int:
    return _VISIT_DAYS if kind is EventKind.VISIT else 1


def _near_miss(a: DateValue, b: DateValue, reach: int = 1) -> float | None:
    """``reach`` days apart at day precision: maybe one happening outlets date differently.

    Worth merging only when everything else agrees, so it scores below an undated report;
    the event then lists the clash as a disagreement (a visit spans the days instead).
    """
    if a.precision is not Precision.DAY or b.precision is not Precision.DAY:
        return None
    gap = min(abs((a.start - b.end).days), abs((b.start - a.end).days))
    return -1.0 if gap <= reach else None


def _place_fit(
    location: str | None, locations: Mapping[str, int], place_country: PlaceCountry
) -> float | None:
    if location is None or not locations:
        return 0.0
    if location in locations:
        return 2.0
    if any(_places_nest(location, other, place_country) for other in locations):
        return 1.0
    return None


def _both_to_the_day(report: Report, cluster: _Cluster) -> bool:
    return (report.when is not None and cluster.when is not None
            and report.when.precision is Precision.DAY and cluster.when.precision is Precision.DAY)


def _same_country(location: str | None, locations: Mapping[str, int],
                  place_country: PlaceCountry) -> float | None:
    """1 when a city lies in the country of a city the cluster names, else None."""
    country = place_country(location) if location else None
    if country is None or country == location:
        return None
    return 1.0 if any(place_country(other) == country for other in locations) else None


def _places_nest(a: str, b: str, place_country: PlaceCountry) -> bool:
    """True when one place lies in the other (a city and its country)."""
    return place_country(a) == b or place_country(b) == a


def _event(
    cluster: _Cluster, documents: Mapping[str, Document], place_country: PlaceCountry
) -> Event:
    reports = tuple(cluster.reports)
    when, date_notes = _event_date(cluster, documents)
    location, place_notes = _event_location(cluster, place_country)
    participants = _participants(reports)
    status = _event_status(reports)
    kind = cluster.kind
    sources = _sources(reports)
    return Event(
        id=_event_id(kind, sources),
        kind=kind,
        title=make_title(kind, participants, location, status, reports),
        when=when,
        status=status,
        location=location,
        participants=participants,
        topics=_ranked(t for r in reports for t in r.topics),
        sources=sources,
        quotes=_quotes(reports),
        disagreements=tuple(date_notes + place_notes),
        is_context=kind not in MAIN_KINDS or not participants,
    )


def _event_id(kind: EventKind, sources: tuple[Excerpt, ...]) -> str:
    """A stable id: the same corpus gives the same ids, so a saved selection survives reloads."""
    first = sources[0] if sources else None
    seed = f"{kind}|{first.document}|{first.start}|{first.end}" if first else str(kind)
    return "ev-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]


def _outlet(documents: Mapping[str, Document], document_id: str) -> str:
    """How a basis names a source: its outlet, else its headline in quotes."""
    doc = documents.get(document_id)
    if doc is None:
        return document_id
    if doc.outlet:
        return doc.outlet
    return f"\u2018{doc.title}\u2019" if doc.title else document_id


def _event_date(
    cluster: _Cluster, documents: Mapping[str, Document]
) -> tuple[DateValue | None, list[str]]:
    """The event's date from its best-dated report, the agreement of others, and any clash."""
    if len(cluster.reports) == 1:  # most events: one report, nothing to weigh
        only = cluster.reports[0]
        if only.when is None or only.ends:
            return None, []
        return replace(only.when, basis=only.when.basis + _source_note(
            only, [], [], documents)), []
    dated = [r for r in cluster.reports if r.when is not None and not r.ends]
    notes: list[str] = []
    if not dated:
        return None, notes
    day_values = Counter(
        (r.when.start, r.when.end) for r in dated if r.when.precision is Precision.DAY
    )
    best = min(dated, key=lambda r: (_PRECISION_RANK[r.when.precision],
                                     -day_values.get((r.when.start, r.when.end), 0),
                                     _CERTAINTY_RANK[r.when.certainty], r.document))
    if cluster.kind is EventKind.VISIT:
        best = _widest_visit_span(best, dated)
    when = best.when
    clashing = _clashes(dated, when)
    if clashing and cluster.kind is EventKind.VISIT:
        # Outlets date a visit by different days of it: the visit spans them.
        when = _visit_days(when, [best, *clashing], documents)
        clashing = []
    if clashing:
        notes.append(
            "Reports differ on the date: "
            + "; ".join(
                f"{_outlet(documents, r.document)} gives {r.when.iso_start()}"
                + (f" to {r.when.iso_end()}" if r.when.is_span else "")
                for r in [best, *clashing]
            )
        )
    end_reports = [r for r in cluster.reports if r.ends and r.when is not None]
    if end_reports and when.precision is Precision.DAY:
        last = max(r.when.end for r in end_reports)
        if last > when.end:
            closing = max(end_reports, key=lambda r: r.when.end)
            when = replace(when, end=last, basis=f"{when.basis}; ends {closing.when.basis}")
    agreeing = [r for r in dated if r is not best and not _clashes([r], best.when)]
    undated = [r for r in cluster.reports if r.when is None]
    basis = when.basis + _source_note(best, agreeing, undated, documents)
    return replace(when, basis=basis), notes


def _widest_visit_span(best: Report, dated: Sequence[Report]) -> Report:
    """A visit is dated by the report that gives its whole stay ("a three-day visit ...
    concluding today") when that stay holds the best-dated day ("met on Monday"). A week
    or longer is a vague period ("next week"), not a stay."""
    holding = [r for r in dated if r.when.precision is Precision.DAY and r.when.is_span
               and (r.when.end - r.when.start).days < _LONGEST_STAY_DAYS
               and r.when.start <= best.when.start and best.when.end <= r.when.end]
    return max(holding, key=lambda r: (r.when.end - r.when.start, r is best), default=best)


def _visit_days(when: DateValue, reports: Sequence[Report],
                documents: Mapping[str, Document]) -> DateValue:
    first = min(reports, key=lambda r: r.when.start)
    last = max(reports, key=lambda r: r.when.end)
    basis = (f"{first.when.iso_start()} ({_outlet(documents, first.document)}: "
             f"{first.when.basis}) to {last.when.iso_end()} ({_outlet(documents, last.document)}"
             f": {last.when.basis}), days of one visit")
    return replace(when, start=first.when.start, end=last.when.end, basis=basis)


def _clashes(reports: Sequence[Report], when: DateValue) -> list[Report]:
    """Reports whose day-precision date is another day than the chosen one."""
    return [
        r for r in reports
        if r.when is not None
        and r.when.precision is Precision.DAY
        and when.precision is Precision.DAY
        and (r.when.start > when.end or when.start > r.when.end)
    ]


def _source_note(
    best: Report, agreeing: list[Report], undated: list[Report], documents: Mapping[str, Document]
) -> str:
    parts = [f" in {_outlet(documents, best.document)}"]
    if not agreeing and not undated:  # most events: one report
        return parts[0]
    others = {r.document for r in agreeing} - {best.document}
    if others:
        parts.append(f", confirmed by {_count(len(others), 'other report')}")
    filled = {r.document for r in undated} - {best.document} - others
    if filled:
        names = ", ".join(sorted(_outlet(documents, d) for d in filled))
        parts.append(f"; undated in {names}, dated by the other reports")
    return "".join(parts)


def _count(n: int, noun: str) -> str:
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
    return f"{words.get(n, str(n))} {noun}{'' if n == 1 else 's'}"


def _event_location(
    cluster: _Cluster, place_country: PlaceCountry
) -> tuple[str | None, list[str]]:
    """The most specific place the reports agree on; places that clash are noted. Of places
    named as often, the one its first report gave (the cluster's founding, best-dated
    report: a visit's arrival city, not a leg planned for later)."""
    if not cluster.locations:
        return None, []
    order = {place: k for k, place in enumerate(cluster.locations)}
    ranked = sorted(cluster.locations.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    # A city beats the country it lies in: "in Moscow" says more than "to Russia".
    chosen = ranked[0][0]
    for place, _ in ranked:
        if place_country(place) == chosen:
            chosen = place
            break
    country = place_country(chosen)
    clashing = [p for p, _ in ranked if p != chosen and not _places_nest(p, chosen, place_country)
                and not (cluster.kind is EventKind.VISIT and country is not None
                         and place_country(p) == country)]  # a visit's legs in one country
    notes = [f"Reports differ on the place: {', '.join([chosen, *clashing])}"] if clashing else []
    return chosen, notes


def _participants(reports: Sequence[Report]) -> tuple[Participant, ...]:
    """Everyone the reports name, the most often named first, each with their commonest role."""
    if len(reports) == 1:  # one report: its people as it names them
        people = reports[0].participants
        if len({p.entity_id for p in people}) == len(people):
            return people
    counts: Counter[str] = Counter()
    first_seen: dict[str, Participant] = {}
    roles: dict[str, Counter[str]] = {}
    for report in reports:
        for p in report.participants:
            counts[p.entity_id] += 1
            first_seen.setdefault(p.entity_id, p)
            if p.role:
                roles.setdefault(p.entity_id, Counter())[p.role] += 1
    # Counters keep first-seen order and sorted() is stable: ties stay in order of mention.
    order = sorted(counts, key=lambda e: -counts[e])
    return tuple(
        Participant(
            first_seen[e].name,
            e,
            roles[e].most_common(1)[0][0] if e in roles else first_seen[e].role,
        )
        for e in order
    )


def _event_status(reports: Sequence[Report]) -> Status:
    dated = [r for r in reports if not r.supporting]
    if dated and all(r.status is Status.PLANNED for r in dated):
        return Status.PLANNED
    return Status.HAPPENED


def _ranked(items: Iterable[str]) -> tuple[str, ...]:
    items = list(items)
    if len(set(items)) == len(items):  # each named once, as in most events: no counting
        return tuple(sorted(items))
    counts = Counter(items)
    return tuple(sorted(counts, key=lambda t: (-counts[t], t)))


def _sources(reports: Sequence[Report]) -> tuple[Excerpt, ...]:
    """Every excerpt once, the best-dated report's first: "Open source" opens at it."""
    seen: dict[tuple[str, int, int], Excerpt] = {}
    for report in reports:
        for excerpt in report.excerpts:
            seen.setdefault((excerpt.document, excerpt.start, excerpt.end), excerpt)
    return tuple(seen.values())


def _quotes(reports: Sequence[Report]) -> tuple[Quote, ...]:
    """Every quote once, the first of the same words said by the same speaker; words that
    another outlet quotes at greater length are left out."""
    seen: dict[tuple[str, int], Quote] = {}
    for report in reports:
        for quote in report.quotes:
            seen.setdefault((quote.document, quote.start), quote)
    if len(seen) <= 1:  # most events: nothing to compare
        return tuple(seen.values())
    quotes = sorted(seen.values(), key=lambda q: (q.document, q.start))
    words = {id(q): _plain_words(q.text) for q in quotes}
    said: set[tuple[str | None, str]] = set()
    kept = []
    for q in quotes:
        if (q.speaker, words[id(q)]) in said:
            continue  # the same words again (another outlet, or the article repeating itself)
        if not any(
            other is not q and other.speaker == q.speaker
            and len(words[id(other)]) > len(words[id(q)])
            and words[id(q)] in words[id(other)]
            for other in quotes
        ):
            said.add((q.speaker, words[id(q)]))
            kept.append(q)
    return tuple(kept)


def _plain_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _surname(participant: Participant) -> str:
    return surname(participant.name)


def _join(names: Sequence[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def make_title(
    kind: EventKind,
    participants: Sequence[Participant],
    location: str | None,
    status: Status,
    reports: Sequence[Report] = (),
) -> str:
    """A short headline: "Rivera meets Duarte in Lisbon", "CSTO exercises in Tajikistan"."""
    names = [_surname(p) for p in participants[:4]]
    where = f" in {location}" if location else ""
    planned = status is Status.PLANNED
    if kind is EventKind.MEETING and len(names) >= 2:
        verb = "to meet" if planned else "meets"
        return f"{names[0]} {verb} {_join(names[1:])}{where}"
    if kind is EventKind.VISIT and names:
        verb = "to visit" if planned else "visits"
        return f"{_join(names)} {verb} {location}" if location else f"{_join(names)} visit"
    actors = [_short_name(a) for a in _ranked(a for r in reports for a in r.actors)]
    subjects = _ranked(r.subject for r in reports if r.subject)
    if kind is EventKind.MEMBERSHIP:
        member = subjects[0] if subjects else None
        organisation = actors[0] if actors else "an alliance"
        joins = f"{member} joins {organisation}" if member else f"Membership of {organisation}"
        return f"{joins}{where}"
    if not subjects and kind is EventKind.OTHER and names:
        trigger = _trigger_words(reports)
        if trigger:
            return f"{_join(names)} {trigger}{where}"  # "Karaosmanoglu was appointed"
    subject = max(subjects, key=len) if subjects else (_trigger_words(reports) or kind.value)
    head = actors[0] if actors and kind is not EventKind.OTHER else ""
    if head and (_names_in(subject, head, reports) or _has_own_name(subject)):
        head = ""  # "meeting of NATO defence ministers" names its organisation already
    if kind is EventKind.AGREEMENT:
        subject = _SIGNING.sub("", subject) or subject  # "signed a protocol": the protocol
        # Among many agreements of one kind, who signed is what tells them apart. Only people
        # are named: an organisation in the sentence may be what the agreement is about.
        by = f" by {_join(names)}" if names else ""
        return f"{_capital(subject)} signed{by}{where}"
    if subject.endswith(("embargo", "sanctions")):
        return f"{_capital(subject)} ends" if _mentions_end(reports) else _capital(subject)
    text = f"{head} {subject}".strip() if head else _capital(subject)
    return f"{text}{where}"


def _trigger_words(reports: Sequence[Report]) -> str:
    """The phrase that told of the event in its first report ("drills", "was appointed"),
    for a title when nothing better names it; names in it keep their capitals ("NATO")."""
    for report in reports:
        for excerpt in report.excerpts:
            if excerpt.key is not None and excerpt.start <= excerpt.key.start <= excerpt.end:
                words = excerpt.text[excerpt.key.start - excerpt.start :
                                     excerpt.key.end - excerpt.start].split()
                return " ".join([words[0].lower(), *words[1:]]) if words else ""
    return ""


# The verb of "signed a protocol", left out of an agreement's title ("Protocol signed").
_SIGNING = re.compile(r"^(?:signing\s+of|signed|signs|sign|signing|inked|concluded)\s+"
                      r"(?:an?|the)?\s*", re.IGNORECASE)


def _has_own_name(subject: str) -> bool:
    """Whether the subject is the event's own name ("UN Ocean conference", "Bright Star
    exercise"), which needs no organiser before it."""
    return any(w[:1].isupper() and not w.isupper() for w in subject.split()[:-1])


def _names_in(subject: str, head: str, reports: Sequence[Report]) -> bool:
    """Whether the subject already names the organisation a title would open with, by its
    short name ("NATO") or its full one ("Shanghai Cooperation Organisation")."""
    words = subject.lower()
    return head.lower() in words.split() or any(
        _short_name(a) == head and a.lower() in words for r in reports for a in r.actors)


def _short_name(name: str) -> str:
    """A long organisation name by its initials: "Collective Security Treaty Organization"
    -> "CSTO"; short names as they are."""
    words = [w for w in name.split() if w[:1].isupper()]
    if len(words) >= 3 and len(name) > 24:
        return "".join(w[0] for w in words)
    return name


def _mentions_end(reports: Sequence[Report]) -> bool:
    words = ("lift", "ended", "end ", "expir", "terminat")
    return any(w in e.text[: 400].lower() for r in reports for e in r.excerpts for w in words)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


_VISIT_WINDOW = dt.timedelta(days=7)


class _PeopleIndex:
    """Events findable by the people in them: each step after clustering compares an event
    only with those that share someone with it, not with every event."""

    def __init__(self, events: Iterable[Event]) -> None:
        self._by_person: dict[str, list[tuple[int, Event]]] = defaultdict(list)
        for position, event in enumerate(events):
            for participant in event.participants:
                self._by_person[participant.entity_id].append((position, event))

    def sharing_someone_with(self, event: Event) -> list[Event]:
        """The other events that share a participant with ``event``, in their first order."""
        found = {position: other for p in event.participants
                 for position, other in self._by_person.get(p.entity_id, ())
                 if other is not event}
        return [found[position] for position in sorted(found)]


def _place_meetings_on_visits(merged: list[_Merged]) -> list[_Merged]:
    """Place an unplaced meeting where one of its people had arrived shortly before.

    "Rivera arrived in Lima on Sunday ... On Monday he met Quispe": the meeting took
    place in Lima though no sentence says so. Only the latest visit within a week counts.
    """
    visits = _PeopleIndex(
        m.event for m in merged
        if m.event.kind is EventKind.VISIT and m.event.location and m.event.when
        and m.event.status is Status.HAPPENED and m.event.when.precision is Precision.DAY)
    placed = []
    for m in merged:
        event = m.event
        if event.kind is EventKind.MEETING and event.location is None and event.when is not None:
            visit = _latest_visit(event, visits.sharing_someone_with(event))
            if visit is not None:
                m = replace(m, event=replace(
                    event,
                    location=visit.location,
                    title=make_title(event.kind, event.participants, visit.location,
                                     event.status, m.reports),
                ))
        placed.append(m)
    return placed


_NEWS_VISIT_DAYS = 3  # a visit begun this close before an article's date is its news
_RECALLED = re.compile(r"\b(?:previously|earlier|formerly|once|last\s+year|in\s+the\s+past|"
                       r"(?:have|has|had)\s+(?:\w+\s+)?met|since\s+\d{4})\b", re.IGNORECASE)


def _date_meetings_by_news_visits(merged: list[_Merged], documents: Mapping[str, Document],
                                  place_country: PlaceCountry) -> list[_Merged]:
    """Date a meeting no report dates (held or still to come) by the visit its source tells
    as news.

    "Rivera arrived in Peru on Tuesday ... Mr Rivera met General Quispe", published on
    Wednesday: the meeting was on a day of that visit, likeliest the one it is dated by.
    Uncertain, and only for a meeting left undated after merging: another outlet's date for
    it, had there been one, would have been taken already.
    """
    visits = _PeopleIndex(
        m.event for m in merged
        if m.event.kind is EventKind.VISIT and m.event.when is not None
        and m.event.status is Status.HAPPENED and m.event.when.precision is Precision.DAY)
    dated = []
    for m in merged:
        event = m.event
        # Also a meeting still to come: "he is scheduled to meet X" during the visit.
        if event.kind is EventKind.MEETING and event.when is None \
                and not _recalled(m.reports):
            visit = _news_visit(event, visits.sharing_someone_with(event), documents,
                                place_country)
            if visit is not None:
                m = replace(m, event=replace(event, when=replace(
                    visit.when, certainty=Certainty.UNCERTAIN,
                    basis=f"the visit its source tells as news ({visit.when.basis})")))
        dated.append(m)
    return dated


def _recalled(reports: Sequence[Report]) -> bool:
    """Whether a meeting is told as something from before ("previously met", "have met
    several times since 2022")."""
    return any(_RECALLED.search(e.text) for r in reports for e in r.excerpts)


def _news_visit(meeting: Event, visits: Sequence[Event], documents: Mapping[str, Document],
                place_country: PlaceCountry) -> Event | None:
    """A visit told by one of the meeting's sources that began shortly before that source
    was published, to the place of the meeting if it has one."""
    for visit in visits:
        if meeting.location and visit.location \
                and not _held_in(meeting, visit.location, place_country):
            continue
        for doc_id in set(meeting.documents) & set(visit.documents):
            doc = documents.get(doc_id)
            if doc is not None and doc.published is not None and 0 <= (
                    doc.published.end - visit.when.start).days <= _NEWS_VISIT_DAYS:
                return visit
    return None


def _date_visits_by_meetings(merged: list[_Merged],
                             place_country: PlaceCountry) -> list[_Merged]:
    """Date an undated visit by the meetings its visitor held there, told by the same source.

    "Soto met Rivera in Lima on Thursday ... Soto, on her first visit to Peru, ...": the
    visit took place when its meetings did (from the first to the last of them).
    """
    meetings = _PeopleIndex(
        m.event for m in merged if m.event.kind is EventKind.MEETING
        and m.event.location and m.event.when is not None
        and m.event.when.precision is Precision.DAY)
    dated = []
    for m in merged:
        event = m.event
        if event.kind is EventKind.VISIT and event.when is None and event.location:
            held = _meetings_during(event, meetings.sharing_someone_with(event), place_country)
            if held:
                m = replace(m, event=replace(event, when=_visit_span(event, held)))
        dated.append(m)
    return dated


def _meetings_during(visit: Event, meetings: Sequence[Event],
                     place_country: PlaceCountry) -> list[Event]:
    """Of meetings held by the visitor, those the same source tells in the visited place."""
    sources = set(visit.documents)
    return [
        meeting for meeting in meetings
        if sources & set(meeting.documents)
        and _held_in(meeting, visit.location, place_country)
    ]


def _held_in(meeting: Event, place: str | None, place_country: PlaceCountry) -> bool:
    """Whether a meeting was held in a visited place: the place itself, or a city of the
    country visited."""
    return meeting.location == place or place_country(meeting.location) == place


def _visit_span(visit: Event, meetings: Sequence[Event]) -> DateValue:
    first = min(meetings, key=lambda e: e.when.start)
    last = max(meetings, key=lambda e: e.when.end)
    certainty = (Certainty.UNCERTAIN if Certainty.UNCERTAIN in
                 {first.when.certainty, last.when.certainty} else Certainty.INFERRED)
    visitor = _surname(visit.participants[0]) if visit.participants else "the visitor"
    days = first.when.iso_start() if first is last else \
        f"{first.when.iso_start()} to {last.when.iso_end()}"
    held = "meeting" if len(meetings) == 1 else "meetings"
    return DateValue(first.when.start, max(first.when.end, last.when.end), Precision.DAY,
                     certainty, f"the {'day' if first is last else 'days'} of {visitor}'s "
                     f"{held} in {first.location} ({days}), told by the same source")


def _cities_for_countries(merged: list[_Merged],
                          place_country: PlaceCountry) -> list[_Merged]:
    """Put an event placed only in a country in the city where the same sources put its
    people at the time: "visits Spain" and "met ... in Madrid" the same day -> Madrid.

    A meeting takes the commonest such city; a visit only a city all of them agree on (a
    tour of several cities stays in the country)."""
    placed = _PeopleIndex(m.event for m in merged
                          if m.event.location and m.event.when is not None)
    refined = []
    for m in merged:
        event = m.event
        if event.location and event.kind in MAIN_KINDS:
            cities = Counter(other.location for other in placed.sharing_someone_with(event)
                             if place_country(other.location) == event.location
                             and _same_source_and_time(event, other))
            if cities and (event.kind is EventKind.MEETING or len(cities) == 1):
                city = cities.most_common(1)[0][0]
                m = replace(m, event=replace(event, location=city, title=make_title(
                    event.kind, event.participants, city, event.status, m.reports)))
        refined.append(m)
    return refined


def _same_source_and_time(event: Event, other: Event) -> bool:
    """Told by a common source, on overlapping days (or ``event`` undated)."""
    if not set(event.documents) & set(other.documents):
        return False
    if event.when is None:
        return True
    margin = dt.timedelta(days=1)
    return (other.when.start <= event.when.end + margin
            and event.when.start <= other.when.end + margin)


def _latest_visit(meeting: Event, visits: Sequence[Event]) -> Event | None:
    """Of visits by the meeting's people, the latest that had begun by its day."""
    day = meeting.when.start
    if meeting.when.precision is not Precision.DAY:
        return None
    fitting = [
        v for v in visits
        if v.when.start <= day <= max(v.when.end, v.when.start + _VISIT_WINDOW)
    ]
    return max(fitting, key=lambda v: v.when.start, default=None)


def _resolve_relations(merged: list[_Merged],
                       documents: Mapping[str, Document]) -> list[_Merged]:
    """Date events told relative to another ("the day after the lifting of X") from X's date."""
    for _round in range(2):  # a second round dates what hangs on a newly dated event
        changed = False
        for index, m in enumerate(merged):
            if m.event.when is not None:
                continue
            related = [r for r in m.reports if r.relation is not None]
            for report in related:
                anchor = _anchor_event(report, merged, index, documents)
                if anchor is None or anchor.when is None:
                    continue
                merged[index] = replace(m, event=replace(
                    m.event, when=_shifted(report, anchor, documents)))
                changed = True
                break
        if not changed:
            break
    return merged


def _anchor_event(
    report: Report, merged: Sequence[_Merged], own_index: int, documents: Mapping[str, Document]
) -> Event | None:
    """The event the anchor phrase names.

    Best: an event whose own trigger lies inside the anchor phrase in the same document.
    Else: a dated event about what the phrase is about ("the lifting of the arms embargo"
    -> the event whose subject is an embargo), preferring one the same document reports.
    """
    anchor = report.relation.anchor
    for index, m in enumerate(merged):
        if index == own_index:
            continue
        for source in m.event.sources:
            if source.document == report.document and source.key is not None and (
                anchor.overlaps(source.key)
            ):
                return m.event
    doc = documents.get(report.document)
    if doc is None:
        return None
    words = {w.lower() for w in re.findall(r"[\w-]+", doc.text[anchor.start : anchor.end])}
    words |= {_singular(w) for w in words}
    candidates = []
    for index, m in enumerate(merged):
        if index == own_index or m.event.when is None:
            continue
        keys = set().union(*(_keys(r) for r in m.reports))
        shared = len(keys & words)
        if shared:
            candidates.append((-shared, report.document not in m.event.documents, index))
    return merged[min(candidates)[2]].event if candidates else None


def _shifted(report: Report, anchor: Event, documents: Mapping[str, Document]) -> DateValue:
    base = anchor.when
    offset = dt.timedelta(days=report.relation.offset_days)
    phrase = documents[report.document].text[
        report.relation.anchor.start : report.relation.anchor.end
    ] if report.document in documents else "another event"
    certainty = Certainty.INFERRED if base.certainty is Certainty.STATED else Certainty.UNCERTAIN
    days = report.relation.offset_days
    relation = {1: "the day after", -1: "the day before"}.get(days, f"{days:+d} days from")
    return DateValue(
        start=base.start + offset,
        end=base.end + offset,
        precision=base.precision,
        certainty=certainty,
        basis=f"{relation} '{phrase}', which is dated {base.iso_start()} ({anchor.title})",
    )


def _event_order(event: Event) -> tuple:
    when = event.when
    return (when is None, when.start if when else dt.date.max, event.title, event.id)
