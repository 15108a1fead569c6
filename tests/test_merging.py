"""Merging: reports of one happening become one event; different happenings stay apart."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import day, month
from viewer.core.merging import make_title, merge_reports
from viewer.core.model import (
    AnchorRelation,
    Certainty,
    DateValue,
    Document,
    EventKind,
    Excerpt,
    Participant,
    Precision,
    Quote,
    Report,
    Span,
    Status,
)

RIVERA = Participant("Tomas Rivera", "person:tomas-rivera", "Foreign Minister")
DUARTE = Participant("Ana Duarte", "person:ana-duarte")
OKAFOR = Participant("Grace Okafor", "person:grace-okafor")

COUNTRY_OF = {"Lisbon": "Portugal", "Porto": "Portugal", "Lima": "Peru"}


def place_country(place: str) -> str | None:
    return COUNTRY_OF.get(place)


def doc(doc_id: str, text: str = "x" * 400, outlet: str | None = None) -> Document:
    return Document(id=doc_id, path=f"/c/{doc_id}", text=text, title=doc_id, outlet=outlet)


def report(
    document: str,
    kind: EventKind = EventKind.MEETING,
    when: DateValue | None = None,
    people: tuple[Participant, ...] = (RIVERA, DUARTE),
    location: str | None = "Lisbon",
    start: int = 0,
    **fields,
) -> Report:
    excerpt = Excerpt(document, start, start + 10, "x" * 10, Span(start, start + 3))
    return Report(
        document=document,
        kind=kind,
        when=when,
        status=fields.pop("status", Status.HAPPENED),
        location=location,
        participants=people,
        topics=fields.pop("topics", ()),
        excerpts=(excerpt,),
        **fields,
    )


DOCS = {d.id: d for d in (doc("a", outlet="Harbour Gazette"), doc("b", outlet="Daily Ledger"),
                          doc("c"))}


def merge(*reports: Report):
    return merge_reports(reports, DOCS, place_country)


def test_three_reports_of_one_meeting_become_one_event_with_every_excerpt():
    events = merge(
        report("a", when=day("2025-03-03")),
        report("b", when=day("2025-03-03"), people=(DUARTE, RIVERA)),
        report("c", when=None, weekday=0, start=50),
    )
    assert len(events) == 1
    event = events[0]
    assert event.source_count == 3
    assert {s.document for s in event.sources} == {"a", "b", "c"}
    assert event.when.start == dt.date(2025, 3, 3)


def test_undated_report_takes_its_date_from_dated_ones_and_the_basis_says_so():
    events = merge(report("a", when=day("2025-03-03", basis="'on Monday', stated")),
                   report("c", when=None, weekday=0))
    assert len(events) == 1
    assert "dated by the other reports" in events[0].when.basis
    assert "c" in events[0].when.basis


def test_a_weekday_that_does_not_match_the_date_keeps_reports_apart():
    events = merge(report("a", when=day("2025-03-03")), report("c", when=None, weekday=3))
    assert len(events) == 2


def test_same_people_at_different_dates_and_places_stay_apart():
    events = merge(
        report("a", when=day("2021-10-19"), location="Lisbon"),
        report("b", when=day("2023-09-19"), location="Lima"),
        report("c", when=None, weekday=day("2023-09-19").start.weekday(), location="Lima"),
    )
    assert len(events) == 2
    lima = next(e for e in events if e.location == "Lima")
    assert lima.source_count == 2


def test_city_and_its_country_are_compatible_and_the_city_is_kept():
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), location="Portugal"),
        report("b", kind=EventKind.VISIT, people=(RIVERA,), location="Lisbon",
               when=day("2025-03-02")),
    )
    assert len(events) == 1
    assert events[0].location == "Lisbon"


def test_two_cities_of_one_country_are_different_places():
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), location="Porto",
               when=day("2025-03-02")),
        report("b", kind=EventKind.VISIT, people=(RIVERA,), location="Lisbon"),
    )
    assert len(events) == 2


def test_outlets_dating_one_visit_by_different_days_give_one_visit_spanning_them():
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), when=day("2025-03-03")),
        report("b", kind=EventKind.VISIT, people=(RIVERA,), when=day("2025-03-05")),
    )
    assert len(events) == 1
    assert (events[0].when.start, events[0].when.end) == (dt.date(2025, 3, 3),
                                                          dt.date(2025, 3, 5))
    assert events[0].disagreements == ()
    assert "days of one visit" in events[0].when.basis


def test_a_visit_takes_the_stay_one_outlet_gives_around_the_day_another_gives():
    stay = DateValue(dt.date(2025, 3, 1), dt.date(2025, 3, 3), Precision.DAY,
                     Certainty.INFERRED, "'a three-day visit ... today'")
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), when=day("2025-03-02")),
        report("b", kind=EventKind.VISIT, people=(RIVERA,), when=stay),
    )
    assert (events[0].when.start, events[0].when.end) == (dt.date(2025, 3, 1),
                                                          dt.date(2025, 3, 3))


def test_a_vague_week_does_not_replace_the_day_of_a_visit():
    week = DateValue(dt.date(2025, 3, 3), dt.date(2025, 3, 9), Precision.DAY,
                     Certainty.INFERRED, "'next week'")
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), when=week, status=Status.PLANNED),
        report("b", kind=EventKind.VISIT, people=(RIVERA,), when=day("2025-03-04")),
    )
    assert (events[0].when.start, events[0].when.end) == (dt.date(2025, 3, 4),
                                                          dt.date(2025, 3, 4))


def test_visits_a_week_apart_stay_two_visits():
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), when=day("2025-03-03")),
        report("b", kind=EventKind.VISIT, people=(RIVERA,), when=day("2025-03-10")),
    )
    assert len(events) == 2


def test_an_undated_report_joins_its_articles_news_not_an_old_meeting_it_recalls():
    docs = {**DOCS, "c": Document(id="c", path="/c/c", text="x" * 400, title="c",
                                  published=day("2025-03-04"))}
    events = merge_reports([
        report("c", when=month(2024, 5), start=300),  # "they last met in May 2024"
        report("a", when=day("2025-03-03")),            # another outlet: met on Monday
        report("c", when=None, start=10),               # the lead: "X met Y", no date
    ], docs, place_country)
    monday = next(e for e in events if e.when.start == dt.date(2025, 3, 3))
    assert set(monday.documents) == {"a", "c"}


def test_an_undated_report_of_a_thing_done_joins_a_meeting_before_its_article_not_after():
    docs = {**DOCS, "c": Document(id="c", path="/c/c", text="x" * 400, title="c",
                                  published=day("2025-05-15"))}
    events = merge_reports([
        report("a", when=day("2025-05-13"), location=None),  # May: met, no place told
        report("b", when=day("2025-11-18"), people=(RIVERA, DUARTE, OKAFOR)),  # November
        report("c", when=None, start=10),     # a May article: "X held talks with Y in Lisbon"
    ], docs, place_country)
    by_day = {e.when.start: set(e.documents) for e in events}
    assert by_day[dt.date(2025, 5, 13)] == {"a", "c"}
    assert by_day[dt.date(2025, 11, 18)] == {"b"}


def test_an_undated_programme_item_may_still_join_the_only_happening_after_it():
    docs = {**DOCS, "c": Document(id="c", path="/c/c", text="x" * 400, title="c",
                                  published=day("2025-03-01"))}
    events = merge_reports([
        report("a", when=day("2025-03-16")),
        report("c", when=None, start=10),  # a programme released before the visit
    ], docs, place_country)
    assert [set(e.documents) for e in events] == [{"a", "c"}]


@pytest.mark.parametrize(("published", "dated"), [("2025-03-04", True), ("2025-03-20", False)])
def test_an_undated_meeting_of_a_visitor_takes_the_day_of_the_visit_its_article_reports(
        published, dated):
    docs = {"c": Document(id="c", path="/c/c", text="x" * 400, title="c",
                          published=day(published))}
    events = merge_reports([
        report("c", kind=EventKind.VISIT, when=day("2025-03-03"), people=(RIVERA,),
               location="Lima"),                      # "Rivera arrived in Lima on Monday"
        report("c", when=None, location=None, start=100),  # "Mr Rivera met Ms Duarte"
    ], docs, place_country)
    meeting = next(e for e in events if e.kind is EventKind.MEETING)
    if dated:
        assert meeting.when.start == dt.date(2025, 3, 3)
        assert meeting.when.certainty is Certainty.UNCERTAIN
        assert meeting.location == "Lima"
    else:
        assert meeting.when is None


@pytest.mark.parametrize(("status", "published", "when"), [
    (Status.HAPPENED, "2016-02-17", "2017-04-26"),  # "has visited Moscow" a year before
    (Status.PLANNED, "2017-04-25", "2016-02-16"),   # "will hold talks" a year after
])
def test_an_undated_report_does_not_join_a_happening_far_across_its_articles_date(
        status, published, when):
    docs = {"c": Document(id="c", path="/c/c", text="x" * 400, title="c",
                          published=day(published)),
            "a": Document(id="a", path="/c/a", text="x" * 400, title="a")}
    events = merge_reports([
        report("a", when=day(when)),
        report("c", when=None, start=10, status=status),
    ], docs, place_country)
    assert sorted(tuple(e.documents) for e in events) == [("a",), ("c",)]


def test_agreements_one_person_signed_with_two_others_on_one_day_stay_apart():
    events = merge(
        report("a", kind=EventKind.AGREEMENT, when=day("2025-03-03"), people=(RIVERA, DUARTE)),
        report("b", kind=EventKind.AGREEMENT, when=day("2025-03-03"), people=(RIVERA, OKAFOR)))
    assert len(events) == 2


def test_a_meeting_recalled_or_held_elsewhere_takes_no_day_from_the_news_visit():
    docs = {"c": Document(id="c", path="/c/c", text="x" * 400, title="c",
                          published=day("2025-03-04"))}
    visit = report("c", kind=EventKind.VISIT, when=day("2025-03-03"), people=(RIVERA,),
                   location="Lima")
    elsewhere = report("c", when=None, location="Porto", start=100)
    events = merge_reports([visit, elsewhere], docs, place_country)
    assert next(e for e in events if e.kind is EventKind.MEETING).when is None


def test_a_meeting_still_to_come_during_the_news_visit_takes_its_day():
    docs = {"c": Document(id="c", path="/c/c", text="x" * 400, title="c",
                          published=day("2025-03-03"))}
    events = merge_reports([
        report("c", kind=EventKind.VISIT, when=day("2025-03-03"), people=(RIVERA,),
               location="Lima"),                   # "Rivera arrived in Lima on Monday"
        report("c", when=None, location=None, start=100,
               status=Status.PLANNED),             # "Rivera is scheduled to meet Duarte"
    ], docs, place_country)
    meeting = next(e for e in events if e.kind is EventKind.MEETING)
    assert meeting.when.start == dt.date(2025, 3, 3)
    assert meeting.when.certainty is Certainty.UNCERTAIN


def test_a_meeting_needs_two_shared_people_to_merge():
    events = merge(report("a", when=day("2025-03-03"), people=(RIVERA, DUARTE)),
                   report("b", when=day("2025-03-03"), people=(RIVERA, OKAFOR)))
    assert len(events) == 2


def test_dates_a_day_apart_for_the_same_people_and_place_merge_with_a_disagreement():
    events = merge(
        report("a", when=day("2025-03-03")),
        report("b", when=day("2025-03-03")),
        report("c", when=day("2025-03-04")),
    )
    assert len(events) == 1
    assert events[0].when.start == dt.date(2025, 3, 3)  # the date most reports give
    assert any("differ on the date" in d and "2025-03-04" in d for d in events[0].disagreements)


def test_dates_a_day_apart_in_different_places_stay_apart():
    events = merge(report("a", when=day("2025-03-03"), location="Lisbon"),
                   report("b", when=day("2025-03-04"), location="Porto"))
    assert len(events) == 2


def test_month_and_day_precision_merge_to_the_day():
    events = merge(
        report("a", kind=EventKind.OTHER, people=(), location=None, when=month(2020, 10),
               subject="arms embargo"),
        report("b", kind=EventKind.OTHER, people=(), location=None,
               when=day("2020-10-18"), subject="embargo"),
    )
    assert len(events) == 1
    assert events[0].when.precision is Precision.DAY
    assert events[0].when.start == dt.date(2020, 10, 18)
    assert events[0].is_context


def test_end_date_report_extends_the_event_into_a_span():
    events = merge(
        report("a", kind=EventKind.EXERCISE, people=(), location="Lima",
               when=day("2021-10-18"), actors=("Andean Pact",), subject="exercises"),
        report("a", kind=EventKind.EXERCISE, people=(), location=None,
               when=day("2021-10-23"), actors=("Andean Pact",), subject="exercises",
               ends=True, start=200),
    )
    assert len(events) == 1
    assert (events[0].when.start, events[0].when.end) == (dt.date(2021, 10, 18),
                                                          dt.date(2021, 10, 23))


def test_an_end_date_years_after_an_event_does_not_end_it():
    events = merge(
        report("a", kind=EventKind.EXERCISE, people=(), location="Lima",
               when=day("2021-10-18"), actors=("Andean Pact",), subject="exercises"),
        report("b", kind=EventKind.EXERCISE, people=(), location=None,
               when=day("2023-10-23"), actors=("Andean Pact",), subject="exercises",
               ends=True),
    )
    assert sorted(e.when.start for e in events) == [dt.date(2021, 10, 18),
                                                    dt.date(2023, 10, 23)]


def test_a_weekday_report_joins_the_meeting_of_that_weekday_among_many():
    # Weekly meetings of the same pair: only the Thursday one can be "on Thursday".
    dated = [report("a", when=day(f"2025-03-{d:02d}"), start=d * 20) for d in (3, 10, 13, 17)]
    weekday = report("c", when=None, weekday=3, start=500)
    events = merge(*dated, weekday)
    assert len(events) == 4
    thursday = next(e for e in events if e.when.start == dt.date(2025, 3, 13))
    assert {s.document for s in thursday.sources} == {"a", "c"}


def test_supporting_report_never_makes_an_event_alone():
    events = merge(report("a", kind=EventKind.AGREEMENT, people=(), location=None,
                          subject="agreement", supporting=True))
    assert events == []


def test_relative_date_is_resolved_from_the_event_its_anchor_phrase_names():
    text = "The pact was signed the day after the lifting of the embargo on Ruritania."
    anchor_start = text.index("the lifting")
    anchor = Span(anchor_start, text.index(" on Ruritania"))
    docs = {**DOCS, "a": doc("a", text=text)}
    embargo = report("b", kind=EventKind.OTHER, people=(), location=None,
                     when=day("2020-10-18"), subject="arms embargo")
    pact = report("a", kind=EventKind.AGREEMENT, people=(), location=None, subject="pact",
                  relation=AnchorRelation(1, anchor))
    events = merge_reports([embargo, pact], docs, place_country)
    signed = next(e for e in events if e.kind is EventKind.AGREEMENT)
    assert signed.when.start == dt.date(2020, 10, 19)
    assert signed.when.certainty is Certainty.INFERRED
    assert "the day after" in signed.when.basis


def test_a_relative_date_with_no_matching_anchor_stays_undated():
    text = "The pact was signed the day after the harvest festival."
    anchor = Span(text.index("the harvest"), len(text) - 1)
    docs = {**DOCS, "a": doc("a", text=text)}
    embargo = report("b", kind=EventKind.OTHER, people=(), location=None,
                     when=day("2020-10-18"), subject="arms embargo")
    pact = report("a", kind=EventKind.AGREEMENT, people=(), location=None, subject="pact",
                  relation=AnchorRelation(1, anchor))
    events = merge_reports([embargo, pact], docs, place_country)
    assert next(e for e in events if e.kind is EventKind.AGREEMENT).when is None


def test_planned_only_when_every_report_is_planned():
    planned = merge(report("a", when=day("2025-04-01"), status=Status.PLANNED))
    assert planned[0].status is Status.PLANNED
    mixed = merge(report("a", when=day("2025-04-01"), status=Status.PLANNED),
                  report("b", when=day("2025-04-01")))
    assert mixed[0].status is Status.HAPPENED


def test_event_ids_are_stable_across_runs_and_orders():
    a, b = report("a", when=day("2025-03-03")), report("b", when=day("2025-03-03"))
    assert merge(a, b)[0].id == merge(b, a)[0].id


def test_events_are_sorted_by_date_with_undated_last():
    events = merge(
        report("a", when=None, people=(OKAFOR, DUARTE)),
        report("b", when=day("2025-03-03")),
        report("c", kind=EventKind.VISIT, people=(RIVERA,), when=day("2024-01-01"),
               location="Lima"),
    )
    assert [e.when.start.year if e.when else None for e in events] == [2024, 2025, None]


def test_titles_read_like_headlines():
    assert make_title(EventKind.MEETING, (RIVERA, DUARTE), "Lisbon", Status.HAPPENED) == (
        "Rivera meets Duarte in Lisbon")
    assert make_title(EventKind.VISIT, (RIVERA,), "Lima", Status.PLANNED) == "Rivera to visit Lima"
    assert make_title(EventKind.MEETING, (RIVERA, DUARTE, OKAFOR), None, Status.HAPPENED) == (
        "Rivera meets Duarte and Okafor")


def test_participants_are_ordered_by_how_many_reports_name_them():
    events = merge(
        report("a", when=day("2025-03-03"), people=(DUARTE, RIVERA, OKAFOR)),
        report("b", when=day("2025-03-03"), people=(RIVERA, OKAFOR)),
        report("c", when=day("2025-03-03"), people=(RIVERA, OKAFOR)),
    )
    assert len(events) == 1
    assert [p.entity_id for p in events[0].participants][:2] == [RIVERA.entity_id,
                                                                  OKAFOR.entity_id]
    assert events[0].participants[0].role == "Foreign Minister"


def test_inferred_certainty_is_kept_from_the_best_report():
    inferred = DateValue(dt.date(2025, 3, 3), dt.date(2025, 3, 3), Precision.DAY,
                         Certainty.INFERRED, "'on Monday', article published 2025-03-05")
    events = merge(report("a", when=inferred), report("b", when=day("2025-03-03")))
    assert events[0].when.certainty is Certainty.STATED
    assert "confirmed by one other report" in events[0].when.basis


def test_an_unplaced_meeting_takes_the_place_a_participant_arrived_in_days_before():
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), location="Lima",
               when=day("2025-03-02")),
        report("b", when=day("2025-03-04"), location=None),
    )
    meeting = next(e for e in events if e.kind is EventKind.MEETING)
    assert meeting.location == "Lima"
    assert meeting.title.endswith("in Lima")


def test_an_undated_visit_takes_the_days_of_its_visitors_meetings_in_that_country():
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), location="Portugal"),
        report("a", when=day("2025-03-03"), location="Lisbon", start=100),
        report("a", when=day("2025-03-05"), location="Porto", people=(RIVERA, OKAFOR),
               start=200),
    )
    visit = next(e for e in events if e.kind is EventKind.VISIT)
    assert (visit.when.start, visit.when.end) == (dt.date(2025, 3, 3), dt.date(2025, 3, 5))
    assert "Rivera's meetings" in visit.when.basis


def test_a_visit_to_a_country_takes_the_city_of_its_visitors_meeting_that_day():
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), location="Portugal",
               when=day("2025-03-03")),
        report("a", when=day("2025-03-03"), location="Lisbon", start=100),
    )
    visit = next(e for e in events if e.kind is EventKind.VISIT)
    assert visit.location == "Lisbon"
    assert visit.title.endswith("Lisbon")


def test_a_tour_of_two_cities_stays_in_the_country():
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), location="Portugal",
               when=day("2025-03-03")),
        report("a", when=day("2025-03-03"), location="Lisbon", start=100),
        report("a", when=day("2025-03-04"), location="Porto", people=(RIVERA, OKAFOR),
               start=200),
    )
    assert next(e for e in events if e.kind is EventKind.VISIT).location == "Portugal"


def test_meetings_told_by_another_source_do_not_date_a_visit():
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), location="Portugal"),
        report("b", when=day("2025-03-03"), location="Lisbon"),
    )
    assert next(e for e in events if e.kind is EventKind.VISIT).when is None


def test_a_visit_long_before_a_meeting_does_not_place_it():
    events = merge(
        report("a", kind=EventKind.VISIT, people=(RIVERA,), location="Lima",
               when=day("2025-01-02")),
        report("b", when=day("2025-03-04"), location=None),
    )
    assert next(e for e in events if e.kind is EventKind.MEETING).location is None


def test_titles_use_the_family_name_even_when_it_comes_first():
    wang = Participant("Wang Xiaoming", "person:wang-xiaoming")
    assert make_title(EventKind.MEETING, (wang, DUARTE), "Lisbon", Status.HAPPENED) == (
        "Wang meets Duarte in Lisbon")


def test_the_same_words_of_one_speaker_are_quoted_once():
    words = "\u201cOur fleets will work together for decades.\u201d"
    quotes_a = (Quote("Tomas Rivera", "a", 20, 20 + len(words), words),
                Quote("Tomas Rivera", "a", 200, 200 + len(words), words))
    quotes_b = (Quote("Tomas Rivera", "b", 50, 50 + len(words), words),
                Quote("Ana Duarte", "b", 90, 90 + len(words), words))
    (event,) = merge(report("a", when=day("2025-03-03"), quotes=quotes_a),
                     report("b", when=day("2025-03-03"), quotes=quotes_b))
    assert [(q.speaker, q.document, q.start) for q in event.quotes] == [
        ("Tomas Rivera", "a", 20), ("Ana Duarte", "b", 90)]


def test_an_agreement_is_titled_by_who_signed_it():
    signed = report("a", kind=EventKind.AGREEMENT, when=day("2025-03-03"), location=None,
                    subject="memorandum")
    (event,) = merge(signed)
    assert event.title == "Memorandum signed by Rivera and Duarte"


def test_a_report_that_dates_an_undated_happening_leads_later_reports_of_that_day_to_it():
    # The undated report founds the event; the first supporting report dates it and adds
    # an organisation, by which the second (of that day) finds it.
    events = merge(
        report("a", kind=EventKind.OTHER, people=(), location=None, when=None,
               actors=("Andean Pact",), subject="summit"),
        report("b", kind=EventKind.OTHER, people=(), location=None, when=day("2025-03-03"),
               actors=("Andean Pact", "Pacific Forum"), supporting=True),
        report("c", kind=EventKind.OTHER, people=(), location=None, when=day("2025-03-03"),
               actors=("Pacific Forum",), supporting=True),
    )
    assert len(events) == 1
    assert {s.document for s in events[0].sources} == {"a", "b", "c"}
    assert events[0].when.start == dt.date(2025, 3, 3)


def test_a_report_dated_to_a_month_joins_the_meeting_that_month_not_the_next_day():
    events = merge(
        report("a", when=day("2025-03-31"), location="Lisbon"),
        report("b", when=day("2025-04-01"), location="Porto"),
        report("c", when=month(2025, 3), location=None),
    )
    march = next(e for e in events if e.when.start == dt.date(2025, 3, 31))
    assert len(events) == 2
    assert {s.document for s in march.sources} == {"a", "c"}


def test_a_day_within_a_long_stay_joins_the_visit():
    stay = DateValue(dt.date(2025, 3, 1), dt.date(2025, 3, 20), Precision.DAY,
                     Certainty.STATED, "stated")
    events = merge(
        report("a", kind=EventKind.VISIT, when=stay, people=(RIVERA,), location="Lima"),
        report("b", kind=EventKind.VISIT, when=day("2025-03-15"), people=(RIVERA,),
               location="Lima"),
    )
    assert len(events) == 1
    assert {s.document for s in events[0].sources} == {"a", "b"}


def test_a_planned_leg_to_another_city_of_the_country_is_part_of_the_visit(tmp_path):
    from viewer.core.pipeline import extract_corpus
    text = (
        "Visit\n\n"
        "Admiral Tomas Rivera arrived in New Delhi on Monday on an official visit. He will "
        "also visit Mumbai, where he is scheduled to tour the naval dockyard on Thursday.\n"
    )
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(
        '[[source]]\nfile = "a.txt"\npublished = 2025-03-04\n', encoding="utf-8")
    visits = [e for e in extract_corpus([tmp_path]).events if e.kind is EventKind.VISIT]
    assert [(e.location, e.when.start, len(e.sources)) for e in visits] == [
        ("New Delhi", dt.date(2025, 3, 3), 2)]
