"""Extraction end to end on small invented articles: text in, events out.

The people, places and outlets here are invented and listed in no data file, so these tests
also check that the extractor finds people by their titles and name patterns alone.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from viewer.core.model import Certainty, EventKind, Extraction, Precision, Status
from viewer.core.pipeline import extract_corpus


def corpus(tmp_path: Path, articles: dict[str, str], published: dict[str, str]) -> Extraction:
    """Write articles and a manifest to a folder and extract it."""
    for name, text in articles.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    manifest = "".join(
        f'[[source]]\nfile = "{name}"\noutlet = "Outlet {name[0].upper()}"\n'
        + (f"published = {published[name]}\n" if name in published else "")
        for name in articles
    )
    (tmp_path / "sources.toml").write_text(manifest, encoding="utf-8")
    return extract_corpus([tmp_path])


def only(extraction: Extraction, kind: EventKind, main: bool = True):
    found = [e for e in extraction.events if e.kind is kind and e.is_context is not main]
    assert len(found) == 1, [(e.title, e.when) for e in extraction.events]
    return found[0]


def surnames(event) -> set[str]:
    return {p.name.split()[-1] for p in event.participants}


MEETING = (
    "Ministers agree to deepen fisheries ties\n\n"
    "LISBON \u2013 Foreign Minister Ana Duarte met her Chilean counterpart Tomas Rivera in "
    "Lisbon on Monday, the ministry said.\n\n"
    "The two ministers discussed fisheries quotas and port investment.\n\n"
    "\u201cWe want our fleets to work together for decades,\u201d Duarte said.\n"
)


def test_weekday_meeting_is_dated_against_the_publication_date(tmp_path):
    extraction = corpus(tmp_path, {"a.txt": MEETING}, {"a.txt": "2025-03-05"})
    meeting = only(extraction, EventKind.MEETING)
    assert surnames(meeting) == {"Duarte", "Rivera"}
    assert meeting.when.start == dt.date(2025, 3, 3)
    assert meeting.when.precision is Precision.DAY
    assert "'on Monday'" in meeting.when.basis or "Monday" in meeting.when.basis
    assert meeting.location == "Lisbon"
    assert meeting.status is Status.HAPPENED
    assert "fisheries" in meeting.topics


def test_every_excerpt_and_quote_is_exactly_the_document_text(tmp_path):
    extraction = corpus(tmp_path, {"a.txt": MEETING}, {"a.txt": "2025-03-05"})
    texts = {d.id: d.text for d in extraction.documents}
    meeting = only(extraction, EventKind.MEETING)
    for source in meeting.sources:
        assert texts[source.document][source.start : source.end] == source.text
    assert meeting.quotes, "the quote after the meeting belongs to it"
    quote = meeting.quotes[0]
    assert texts[quote.document][quote.start : quote.end] == quote.text
    assert quote.speaker and quote.speaker.endswith("Duarte")


def test_an_undated_report_is_merged_and_dated_by_a_dated_one(tmp_path):
    other = (
        "Chile and Portugal talk fish\n\n"
        "Chilean minister Tomas Rivera and Portuguese Foreign Minister Ana Duarte sat down for "
        "talks in Lisbon on Monday "
        "and agreed to meet again.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": MEETING, "b.txt": other}, {"a.txt": "2025-03-05"})
    meeting = only(extraction, EventKind.MEETING)
    assert meeting.source_count == 2
    assert meeting.when.start == dt.date(2025, 3, 3)
    assert "dated by the other reports" in meeting.when.basis


def test_arrival_is_a_visit_to_the_named_place(tmp_path):
    text = (
        "Defence chief lands in Peru\n\n"
        "Defence Minister Arash Karimi arrived in Lima on Sunday (March 2nd) for an official "
        "visit of several days.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-04"})
    visit = only(extraction, EventKind.VISIT)
    assert surnames(visit) == {"Karimi"}
    assert visit.location == "Lima"
    assert visit.when.start == dt.date(2025, 3, 2)


def test_a_visit_that_wrapped_up_on_a_weekday_spans_its_stated_length(tmp_path):
    text = (
        "Envoy returns home\n\n"
        "Special Envoy Lena Haugland wrapped up a four-day official visit to Peru on Friday, "
        "officials said.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-10"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.when.start, visit.when.end) == (dt.date(2025, 3, 4), dt.date(2025, 3, 7))
    assert visit.location == "Peru"


@pytest.mark.parametrize("told", [
    "returned on Friday from a four-day visit to Peru",
    "returned home on Friday from her four-day trip to Peru",
    "flew back on Friday from a four-day visit to Peru",
])
def test_a_visit_returned_from_on_a_weekday_ends_that_day(tmp_path, told):
    text = f"Envoy returns home\n\nSpecial Envoy Lena Haugland {told}, officials said.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-10"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.when.start, visit.when.end) == (dt.date(2025, 3, 4), dt.date(2025, 3, 7))
    assert visit.location == "Peru"


def test_two_officials_who_discussed_something_at_talks_in_a_city_met_there(tmp_path):
    text = ("News\n\nDeputy Defence Minister Arkady Volkov and Defence Minister Nurlan Sadykov "
            "discussed military cooperation at talks in Tashkent on Thursday, the ministry said.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-02-14"})
    meeting = only(extraction, EventKind.MEETING)
    assert surnames(meeting) == {"Volkov", "Sadykov"}
    assert (meeting.location, meeting.when.start) == ("Tashkent", dt.date(2025, 2, 13))


def test_a_trilateral_meeting_of_ministers_is_their_meeting_not_a_conference(tmp_path):
    text = ("News\n\nDefence Minister Elchin Sadiqov, Defence Minister Nurbol Kassymov and "
            "Defence Minister Saad al-Harbi took part in the first trilateral meeting of the "
            "defence ministers in Baku on Monday.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-11-20"})
    meeting = only(extraction, EventKind.MEETING)
    assert surnames(meeting) == {"Sadiqov", "Kassymov", "al-Harbi"}
    assert not [e for e in extraction.events if e.kind is EventKind.CONFERENCE]


def test_a_host_in_the_present_tense_of_a_bulleted_timeline_meets_the_guest(tmp_path):
    text = ("News\n\n- 5 Dec: Foreign Minister Anna Berg hosts Foreign Minister Rauf Jafarli "
            "in Oslo.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-12-16"})
    meeting = only(extraction, EventKind.MEETING)
    assert surnames(meeting) == {"Berg", "Jafarli"}
    assert meeting.location == "Oslo"


def visits_of(extraction) -> list[tuple[str | None, dt.date, dt.date]]:
    return sorted(((e.location, e.when.start, e.when.end) for e in extraction.events
                   if e.kind is EventKind.VISIT), key=lambda visit: visit[1])


def test_a_leg_flown_on_to_by_he_after_a_date_is_a_visit_of_the_same_traveller(tmp_path):
    text = ("News\n\nDefence Minister Saad al-Harbi flew into Baku on 12 May. "
            "On 14 May he flew on to Astana.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-06-01"})
    assert [loc for loc, _, _ in visits_of(extraction)] == ["Baku", "Astana"]
    assert all(surnames(e) == {"al-Harbi"} for e in extraction.events)


def test_leaving_a_city_after_a_four_day_visit_ends_the_visit_that_day(tmp_path):
    text = "News\n\nDefence Minister Saad al-Harbi left Astana on 17 May after a four-day visit.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-06-01"})
    assert visits_of(extraction) == [("Astana", dt.date(2024, 5, 14), dt.date(2024, 5, 17))]


def test_an_arrival_for_a_three_day_visit_spans_three_days_from_the_arrival(tmp_path):
    text = ("News\n\nForeign Minister Aigerim Sadykova arrived in Riyadh on Monday for a "
            "three-day visit.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-05-29"})
    assert visits_of(extraction) == [("Riyadh", dt.date(2024, 5, 27), dt.date(2024, 5, 29))]


@pytest.mark.parametrize(("day", "expected"), [
    ("On the first day", dt.date(2024, 5, 27)),
    ("On its second day", dt.date(2024, 5, 28)),
    ("On the final day", dt.date(2024, 5, 29)),
])
def test_a_meeting_on_a_named_day_of_the_visit_takes_that_day(tmp_path, day, expected):
    text = ("News\n\nForeign Minister Aigerim Sadykova arrived in Riyadh on Monday for a "
            f"three-day visit.\n\n{day} she sat down with Defence Minister Fahad al-Harbi.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-06-01"})
    meeting = only(extraction, EventKind.MEETING)
    assert (meeting.when.start, meeting.when.end) == (expected, expected)


def test_a_host_who_received_him_met_the_one_the_story_follows_who_stays_followed(tmp_path):
    text = ("News\n\nDefence Minister Saad al-Harbi flew into Baku on 12 May. On 13 May "
            "Defence Minister Elchin Sadiqov received him at the ministry. On 14 May he flew "
            "on to Astana.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-06-01"})
    meeting = only(extraction, EventKind.MEETING)
    assert surnames(meeting) == {"Sadiqov", "al-Harbi"}
    assert meeting.when.start == dt.date(2024, 5, 13)
    astana = [e for e in extraction.events if e.location == "Astana"]
    assert len(astana) == 1 and surnames(astana[0]) == {"al-Harbi"}


def test_her_before_a_noun_is_the_hosts_own_and_names_nobody_else(tmp_path):
    text = ("News\n\nForeign Minister Anna Berg flew into Baku on 12 May. On 13 May "
            "Foreign Minister Lale Sadiqova received her counterpart from Chile.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-06-01"})
    assert all("Berg" not in surnames(e) for e in extraction.events
               if e.kind is EventKind.MEETING)


def test_he_who_spent_days_where_he_met_x_is_the_traveller_not_x(tmp_path):
    text = ("News\n\nThis is the second leg of the tour of the minister, Saad al-Harbi. He "
            "spent two days in Baku, where he held talks with Defence Minister Elchin "
            "Sadiqov.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-05-15"})
    visit = only(extraction, EventKind.VISIT)
    assert surnames(visit) == {"al-Harbi"}


@pytest.mark.parametrize("likely", ["is likely to meet", "is poised to meet"])
def test_likely_to_meet_is_a_plan(tmp_path, likely):
    text = f"News\n\nDefence Minister Ana Duarte {likely} General Tomas Rivera in Lima on Friday.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-04"})
    assert only(extraction, EventKind.MEETING).status is Status.PLANNED


def test_a_date_long_past_is_no_plan_whatever_the_clause_says(tmp_path):
    text = ("News\n\nDefence Minister Ana Duarte is expected to recall that she met General "
            "Tomas Rivera in Lima in 2019.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-04"})
    assert only(extraction, EventKind.MEETING).status is Status.HAPPENED


@pytest.mark.parametrize(("sentence", "sides"), [
    ("Defence Minister Ana Duarte of Peru and Admiral Tomas Rivera of Chile met in Lima, Jorge "
     "Soto, head of the ministry's international cooperation department, said on Monday.",
     {"Duarte", "Rivera"}),
    ("Defence Minister Ana Duarte, who arrived in Lima on Monday, said she met General Tomas "
     "Rivera there.", {"Duarte", "Rivera"}),
])
def test_a_spokesman_set_off_by_his_title_is_a_source_not_a_side(tmp_path, sentence, sides):
    extraction = corpus(tmp_path, {"a.txt": f"News\n\n{sentence}\n"}, {"a.txt": "2025-03-04"})
    assert surnames(only(extraction, EventKind.MEETING)) == sides


def test_an_itinerary_of_officials_parted_by_semicolons_is_a_meeting_with_each(tmp_path):
    text = ("News\n\nDefence Minister Ana Duarte arrived in Lima on Monday. Duarte is scheduled "
            "to meet with the Peruvian Minister of Defence, Jorge Soto; President, Rosa Quispe; "
            "and Foreign Minister, Luis Paredes.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-03"})
    meetings = [e for e in extraction.events if e.kind is EventKind.MEETING]
    assert sorted(sorted(surnames(e)) for e in meetings) == [
        ["Duarte", "Paredes"], ["Duarte", "Quispe"], ["Duarte", "Soto"]]


def test_talks_with_two_people_named_in_one_breath_stay_one_meeting(tmp_path):
    text = ("News\n\nDefence Minister Ana Duarte held talks with Admiral Jorge Soto and "
            "General Luis Paredes in Lima on Monday.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-04"})
    assert surnames(only(extraction, EventKind.MEETING)) == {"Duarte", "Soto", "Paredes"}


def test_the_host_whose_invitation_is_named_after_the_arrival_is_not_the_visitor(tmp_path):
    text = ("News\n\nThe chief of staff arrived in Lima on Sunday, following the official "
            "invitation of Defence Minister Tomas Rivera.\n\nGeneral Arash Karimi met Rivera "
            "on Monday.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-04"})
    assert all(surnames(e) != {"Rivera"} for e in extraction.events
               if e.kind is EventKind.VISIT)


def test_guests_a_country_hosted_did_not_meet_each_other_for_that(tmp_path):
    text = ("News\n\nChile hosted Peru's Defence Minister Ana Duarte and her Bolivian "
            "counterpart Luis Paredes on Thursday for a summit of defence ministers.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-06-27"})
    assert not [e for e in extraction.events if e.kind is EventKind.MEETING]


def test_bilateral_meetings_with_three_ministers_on_a_summits_sidelines_are_three(tmp_path):
    text = ("News\n\nDefence Minister Ana Duarte held bilateral meetings with Defence Minister "
            "Jorge Soto of Peru, Defence Minister Luis Paredes of Bolivia and Defence Minister "
            "Rosa Quispe of Chile on the sidelines of the Defence Ministers' meeting in Lima on "
            "April 28, 2023.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2023-04-29"})
    meetings = [e for e in extraction.events if e.kind is EventKind.MEETING]
    assert sorted(sorted(surnames(e)) for e in meetings) == [
        ["Duarte", "Paredes"], ["Duarte", "Quispe"], ["Duarte", "Soto"]]
    assert [e.kind for e in extraction.events if e.is_context] == [EventKind.CONFERENCE]
    assert {e.location for e in meetings} == {"Lima"}  # far off, but on the sidelines there


def test_one_trips_date_does_not_date_another_trip_told_in_the_same_sentence(tmp_path):
    text = ("News\n\nThe delegation spoke of Defence Secretary Ana Duarte's visits to Tokyo and "
            "Seoul, the two stops before she arrived in Lima on Friday.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2021-03-20"})
    dated = {e.location: e.when for e in extraction.events if e.kind is EventKind.VISIT}
    assert dated["Lima"].start == dt.date(2021, 3, 19)
    assert dated.get("Tokyo") is None


def meetings_of(extraction) -> list[set[str]]:
    return [surnames(e) for e in extraction.events if e.kind is EventKind.MEETING]


@pytest.mark.parametrize(("text", "meetings"), [
    # a country's guests who came for no gathering did meet each other
    ("Turkey hosted Foreign Minister Dmytro Kovalenko of Ukraine and Foreign Minister Ivan "
     "Petrov of Russia in Antalya on Thursday, their first talks since the war began.",
     [{"Kovalenko", "Petrov"}]),
    # "separately" elsewhere in the sentence splits nothing
    ("President Anna Berg met Prime Minister Tom Reed and Foreign Minister Paul Dunn on Tuesday, "
     "and separately announced new aid for farmers.", [{"Berg", "Reed", "Dunn"}]),
    # talks told of in a that-clause are not the people's meeting
    ("Foreign Minister John Smith reminded Foreign Minister Ali Hassan on Monday that "
     "negotiators came close to a deal at talks in Istanbul in 2022.", []),
    # a speaker who met is a side
    ("Ali Hassan, defence minister of Iraq, said after meeting Defence Minister John Smith in "
     "Baghdad on Tuesday that ties were strong.", [{"Hassan", "Smith"}]),
    # the two ministers' meeting is theirs
    ("The two ministers' meeting in Geneva on Wednesday lasted four hours; Defence Minister Anna "
     "Berg and Defence Minister Tom Reed discussed trade.", [{"Berg", "Reed"}]),
    # welcoming a decision is no meeting
    ("Foreign Minister John Smith welcomes the decision by Prime Minister Ali Hassan to free the "
     "detainees.", []),
])
def test_meetings_the_review_found_misread(tmp_path, text, meetings):
    extraction = corpus(tmp_path, {"a.txt": f"News\n\n{text}\n"}, {"a.txt": "2024-05-10"})
    assert meetings_of(extraction) == meetings


def test_the_first_day_of_a_war_is_no_day_of_the_visit(tmp_path):
    text = ("News\n\nDefence Minister John Smith arrived in Kyiv on Tuesday for a two-day visit. "
            "He recalled that on the first day of the war he had met President Olena Marchenko "
            "in Warsaw.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-05-10"})
    assert only(extraction, EventKind.MEETING).when is None


def test_a_trip_by_someone_he_speaks_of_is_not_his(tmp_path):
    text = ("News\n\nDefence Minister John Smith met Defence Minister Li Wei in Beijing on "
            "Monday. He said the trip to Beijing by Vice Premier Zhang Min last year had opened "
            "new markets.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-05-10"})
    assert [surnames(e) for e in extraction.events if e.kind is EventKind.VISIT] == [{"Min"}]


def test_hosted_her_for_dinner_keeps_the_story_on_her(tmp_path):
    text = ("News\n\nForeign Minister Jane Smith arrived in Kyiv on Tuesday. President Olena "
            "Marchenko hosted her for dinner. On Wednesday she travelled to Lviv.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-05-10"})
    assert [surnames(e) for e in extraction.events if e.kind is EventKind.VISIT] == [{"Smith"}]


def test_a_month_or_preposition_before_drills_is_no_name_of_them(tmp_path):
    extraction = corpus(tmp_path, {"a.txt": "News\n\nIn July drills were held near Lima.\n"},
                        {"a.txt": "2024-05-10"})
    assert [e.title for e in extraction.events if e.is_context] == ["Drills"]


@pytest.mark.parametrize(("told", "planned"), [
    ("is visiting Quito at the invitation of his counterpart", False),
    ("will leave Lima for Quito on Saturday for talks", True),
])
def test_a_visit_told_as_under_way_or_as_a_departure_goes_to_its_place(tmp_path, told, planned):
    text = f"News\n\nDefence Minister Amir Karimi {told}.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2020-08-20"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.location, visit.status is Status.PLANNED) == ("Quito", planned)


def test_departing_for_a_city_with_no_place_left_is_no_visit(tmp_path):
    text = "News\n\nDefence Minister Amir Karimi toured the shipyard before departing for Quito.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2020-08-20"})
    assert not [e for e in extraction.events if e.kind is EventKind.VISIT]


@pytest.mark.parametrize(("told", "dated"), [
    ("is holding key meetings during his official visit to Chile", True),
    ("held key meetings during his official visit to Chile", False),
])
def test_a_visit_under_way_in_the_present_is_the_news_of_the_day(tmp_path, told, dated):
    text = f"News\n\nGeneral Tariq Mahmud {told}.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-03-20"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.when is not None and visit.when.start == dt.date(2024, 3, 20)) is dated


def test_future_tense_makes_a_planned_event_after_the_reference(tmp_path):
    text = (
        "Minister to travel\n\n"
        "Foreign Minister Ana Duarte will travel to Lima on Thursday to open a trade office.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-04"})
    visit = only(extraction, EventKind.VISIT)
    assert visit.status is Status.PLANNED
    assert visit.when.start == dt.date(2025, 3, 6)


def test_the_date_of_a_statement_does_not_date_what_it_reports(tmp_path):
    text = (
        "Navies to train together\n\n"
        "Admiral Jonas Berg told reporters on Friday that the two navies had agreed to hold "
        "joint naval drills.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-10"})
    assert not [e for e in extraction.events if e.kind is EventKind.EXERCISE]


def test_drills_spoken_of_as_a_subject_are_no_exercise(tmp_path):
    text = (
        "Visit ends\n\n"
        "A two-day visit to Lima by Foreign Minister Ana Duarte ended on Tuesday with a joint "
        "statement on naval drills.\n\n"
        "Navy chiefs also held talks about joint exercises.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-06"})
    assert not [e for e in extraction.events if e.kind is EventKind.EXERCISE]
    assert only(extraction, EventKind.VISIT).location == "Lima"


def test_drills_that_are_told_still_are_an_exercise(tmp_path):
    text = (
        "Drills begin\n\n"
        "The two navies on Monday began joint naval drills off Lima.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-06"})
    exercise = only(extraction, EventKind.EXERCISE, main=False)
    assert exercise.when.start == dt.date(2025, 3, 3)


def test_a_date_in_an_aside_about_a_person_does_not_date_her_trip(tmp_path):
    text = (
        "Ministers meet\n\n"
        "Foreign Minister Ana Duarte met Peruvian Foreign Minister Tomas Rivera in Lima on "
        "Thursday, 5 March.\n\n"
        "Duarte, appointed in December, was on her first official trip to Peru.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2026-03-06"})
    visit = only(extraction, EventKind.VISIT)
    # Not December: the day of her meeting there, which the same article tells.
    assert visit.when.start == dt.date(2026, 3, 5)
    assert "meeting in Lima" in visit.when.basis
    assert visit.when.certainty is Certainty.INFERRED


def test_the_guest_named_with_his_post_is_the_one_on_a_visit(tmp_path):
    text = (
        "Talks in Lima\n\n"
        "Foreign Minister Ana Duarte on Monday received Tomas Rivera, Minister of Foreign "
        "Affairs of Chile, who is on an official visit to Peru.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2026-03-03"})
    assert surnames(only(extraction, EventKind.VISIT)) == {"Rivera"}


def test_talks_during_a_visit_take_its_dates_and_place(tmp_path):
    text = (
        "Speaker to visit Lima\n\n"
        "Speaker Ana Duarte will travel to Lima next month at the head of a delegation.\n\n"
        "Duarte will hold talks with Tomas Rivera, President of the Peruvian Congress, "
        "during the visit.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2026-05-14"})
    meeting = only(extraction, EventKind.MEETING)
    assert surnames(meeting) == {"Duarte", "Rivera"}
    assert meeting.location == "Lima"
    assert (meeting.when.start, meeting.when.precision) == (dt.date(2026, 6, 1), Precision.MONTH)
    assert meeting.status is Status.PLANNED
    assert "during the visit" in meeting.when.basis


def test_each_item_of_a_round_up_is_dated_by_its_own_words_not_its_dateline(tmp_path):
    text = (
        "MORNING BRIEF\n\n"
        "LIMA, Nov 5 - Foreign Minister Ana Duarte held talks on Wednesday with Tomas "
        "Rivera, the ministry said.\n\n"
        "QUITO, Nov 4 - Ecuador's Foreign Minister Grace Okafor received her Chilean "
        "counterpart, the former ambassador Pablo Soto Valenzuela, in Quito on Monday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-11-06"})
    days = {frozenset(surnames(e)): e.when.start for e in extraction.events
            if e.kind is EventKind.MEETING}
    assert days == {frozenset({"Duarte", "Rivera"}): dt.date(2025, 11, 5),
                    frozenset({"Okafor", "Valenzuela"}): dt.date(2025, 11, 3)}


def test_not_meeting_since_a_year_is_no_meeting_in_that_year(tmp_path):
    text = (
        "Commission meets again\n\n"
        "On Tuesday Foreign Minister Ana Duarte held talks with her Chilean counterpart "
        "Tomas Rivera. The two ministers chaired the joint commission, which had not met "
        "since 2022.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-10-29"})
    meetings = [e for e in extraction.events if e.kind is EventKind.MEETING]
    assert [m.when.start for m in meetings] == [dt.date(2025, 10, 28)]


def test_sitting_down_with_someone_is_a_meeting(tmp_path):
    text = ("Talks in Lima\n\nForeign Minister Ana Duarte sat down with her Chilean "
            "counterpart Tomas Rivera in Lima on Monday.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert surnames(only(extraction, EventKind.MEETING)) == {"Duarte", "Rivera"}


def test_concluding_a_three_day_visit_today_dates_the_whole_stay(tmp_path):
    text = ("Visit ends\n\nForeign Minister Ana Duarte is concluding her three-day official "
            "visit to Peru today.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.when.start, visit.when.end) == (dt.date(2025, 3, 3), dt.date(2025, 3, 5))


def test_a_country_discussed_is_not_where_the_talks_were(tmp_path):
    text = ("Generals confer\n\nOn Monday General Ana Duarte conferred with her Chilean "
            "counterpart, General Tomas Rivera, on regional developments, the situation in "
            "Afghanistan and joint training.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert only(extraction, EventKind.MEETING).location is None


def test_exercises_discussed_are_no_exercise(tmp_path):
    text = ("Generals confer\n\nOn Monday General Ana Duarte met General Tomas Rivera. The "
            "generals discussed the organisation of joint staff exercises planned for this "
            "year.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert not [e for e in extraction.events if e.kind is EventKind.EXERCISE]


def test_a_friendly_talk_with_someone_is_a_meeting(tmp_path):
    text = ("Talks in Lima\n\nGeneral Ana Duarte received the delegation on Monday. She had "
            "a friendly talk with General Tomas Rivera.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert surnames(only(extraction, EventKind.MEETING)) == {"Duarte", "Rivera"}


def test_the_host_welcoming_a_delegation_on_its_visit_is_not_the_visitor(tmp_path):
    text = ("Delegation in Lima\n\nGeneral Ana Duarte warmly welcomed the delegation on "
            "Monday, noting that its visit to Lima was an important occasion.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert not [e for e in extraction.events if e.kind is EventKind.VISIT]


def test_a_delegation_holding_talks_does_not_make_the_host_a_side(tmp_path):
    text = ("Talks in Lima\n\nDefence Minister Ana Duarte on Tuesday hosted the Chilean "
            "delegation in Lima.\n\nThe visiting delegation is also scheduled to hold talks "
            "with the Chief of Staff, General Tomas Rivera, later today.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert not [e for e in extraction.events
                if e.kind is EventKind.MEETING and surnames(e) == {"Duarte", "Rivera"}]


def test_they_after_a_named_pair_are_that_pair_and_each_clause_keeps_its_date(tmp_path):
    text = (
        "Old partners\n\n"
        "President Ana Duarte and Chilean President Tomas Rivera have spoken often since "
        "taking office. They held talks in Lima on 14 March 2022, met again in Quito on "
        "2 September 2023, and signed an accord in 2024.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-11-18"})
    meetings = sorted((e.when.start, e.location) for e in extraction.events
                      if e.kind is EventKind.MEETING and surnames(e) == {"Duarte", "Rivera"})
    assert meetings == [(dt.date(2022, 3, 14), "Lima"), (dt.date(2023, 9, 2), "Quito")]


def test_how_far_an_agreement_reaches_is_not_when_it_was_signed(tmp_path):
    text = ("Roadmap signed\n\nAt the end of the talks on Thursday, Ana Duarte and Tomas "
            "Rivera signed a defence roadmap with milestones until 2035.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2026-06-05"})
    agreement = only(extraction, EventKind.AGREEMENT, main=False)
    assert agreement.when.start == dt.date(2026, 6, 4)


def test_talks_between_two_named_people_are_a_meeting_and_they_are_the_two_ministers(
        tmp_path):
    text = (
        "Ties deepen\n\n"
        "Chile and Peru have agreed to widen ties after Tuesday's talks in Lima between "
        "Chilean minister responsible for defence affairs Nasir bin Hamad Al Busaidi and "
        "Peruvian Defence "
        "Minister Ana Duarte, officials said.\n\n"
        "The two ministers last met in Quito in November 2025.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2026-06-11"})
    meetings = sorted((e.when.start, e.location) for e in extraction.events
                      if e.kind is EventKind.MEETING and surnames(e) == {"Busaidi", "Duarte"})
    assert meetings == [(dt.date(2025, 11, 1), "Quito"), (dt.date(2026, 6, 9), "Lima")]


def test_a_meeting_of_ministers_is_a_conference_where_two_could_meet(tmp_path):
    text = ("Minister's plans\n\nForeign Minister Ana Duarte is expected to attend the "
            "meeting of Andean foreign ministers in Quito next month, where she could meet "
            "Tomas Rivera again.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2026-05-16"})
    assert not [e for e in extraction.events if e.kind is EventKind.MEETING]
    assert [e for e in extraction.events if e.kind is EventKind.CONFERENCE]


def test_a_host_with_an_unnamed_counterpart_joins_the_meeting_another_outlet_names(
        tmp_path):
    one = ("Talks in Lima\n\nPeru's Defence Minister Ana Duarte on Tuesday hosted her "
           "Chilean counterpart in Lima, where the two sides discussed border security.\n")
    other = ("Minister in Lima\n\nChilean Defence Minister Tomas Rivera held talks with "
             "Peruvian Defence Minister Ana Duarte in Lima on Tuesday.\n")
    extraction = corpus(tmp_path, {"a.txt": one, "b.txt": other},
                        {"a.txt": "2026-05-06", "b.txt": "2026-05-06"})
    meeting = only(extraction, EventKind.MEETING)
    assert set(meeting.documents) == {"a.txt", "b.txt"}


def test_an_unnamed_counterpart_alone_makes_no_meeting(tmp_path):
    text = ("Talks in Lima\n\nPeru's Defence Minister Ana Duarte on Tuesday hosted her "
            "Chilean counterpart in Lima.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2026-05-06"})
    assert not [e for e in extraction.events if e.kind is EventKind.MEETING]


def test_a_delegation_arriving_makes_nobody_named_later_its_visitor(tmp_path):
    text = ("Delegation in Lima\n\nThe visiting delegation, which arrived in Lima on Monday, "
            "is also scheduled to hold talks with the Chief of Staff, General Tomas Rivera.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2026-05-06"})
    assert not [e for e in extraction.events if e.kind is EventKind.VISIT]


def test_returning_at_the_end_of_a_visit_dates_its_stay_and_the_talks_during_it(tmp_path):
    text = ("Commander home\n\nNavy commander Ana Duarte returned to Lima on Tuesday at the "
            "end of a three-day visit to Chile, during which she held talks with Chile's "
            "navy chief, Admiral Tomas Rivera.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-11-20"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.when.start, visit.when.end) == (dt.date(2025, 11, 16), dt.date(2025, 11, 18))
    meeting = only(extraction, EventKind.MEETING)
    assert (meeting.when.start, meeting.when.end) == (visit.when.start, visit.when.end)


def test_the_pages_date_line_is_no_heading_that_dates_a_planned_visit(tmp_path):
    text = ("Agency | English\nPublish Date: 20 January 2026 - 18:35\n\nChiefs meet\n\n"
            "General Ana Duarte met General Tomas Rivera in Lima on Tuesday.\n\n"
            "Duarte is expected to visit Beijing in the coming weeks.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {})
    planned = only(extraction, EventKind.VISIT)
    assert planned.status is Status.PLANNED
    assert planned.when is None


def test_a_first_meeting_of_its_kind_is_still_a_meeting(tmp_path):
    text = ("Three chiefs meet\n\nGeneral Ana Duarte, General Tomas Rivera and General Pablo "
            "Soto held talks in Lima on Monday, the first meeting of its kind among the three "
            "countries.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2026-01-21"})
    assert not [e for e in extraction.events if e.kind is EventKind.CONFERENCE]
    assert surnames(only(extraction, EventKind.MEETING)) == {"Duarte", "Rivera", "Soto"}


def test_an_appointment_is_titled_by_who_and_what(tmp_path):
    text = ("New chief\n\nGeneral Tomas Rivera was appointed chief of general staff in "
            "August 2025.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2026-01-21"})
    assert only(extraction, EventKind.OTHER, main=False).title == "Rivera appointed"


def test_vague_mentions_of_meetings_give_no_events(tmp_path):
    text = (
        "Relations keep growing\n\n"
        "Officials from both countries have met many times in recent years.\n"
        "These are just the latest meetings between the two sides.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-10"})
    assert extraction.events == ()


def test_exercise_with_an_end_date_later_in_the_article_becomes_a_span(tmp_path):
    text = (
        "Drills begin\n\n"
        "The Collective Security Treaty Organization (CSTO) on Monday held joint exercises "
        "near Osh in Kyrgyzstan.\n\n"
        "Troops from six CSTO states take part in the exercises, which will end on 14 March.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-12"})
    exercise = only(extraction, EventKind.EXERCISE, main=False)
    assert (exercise.when.start, exercise.when.end) == (dt.date(2025, 3, 10),
                                                        dt.date(2025, 3, 14))


def test_two_meetings_of_the_same_people_years_apart_stay_apart(tmp_path):
    first = (
        "Talks in Lisbon\n\nForeign Minister Ana Duarte met Chilean Foreign Minister Tomas "
        "Rivera in Lisbon on 3 March 2021.\n"
    )
    second = (
        "Talks in Santiago\n\nForeign Minister Ana Duarte met Chilean Foreign Minister Tomas "
        "Rivera in Santiago on Tuesday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": first, "b.txt": second}, {"b.txt": "2024-06-12"})
    meetings = [e for e in extraction.events if e.kind is EventKind.MEETING]
    assert sorted(e.when.start for e in meetings) == [dt.date(2021, 3, 3), dt.date(2024, 6, 11)]


def test_output_is_deterministic(tmp_path):
    one = corpus(tmp_path, {"a.txt": MEETING}, {"a.txt": "2025-03-05"})
    two = extract_corpus([tmp_path])
    assert one == two


@pytest.mark.parametrize("published", ["2025-03-05", None])
def test_publication_date_and_its_basis_are_recorded(tmp_path, published):
    articles = {"a.txt": MEETING}
    extraction = corpus(tmp_path, articles, {"a.txt": published} if published else {})
    doc = extraction.documents[0]
    if published:
        assert doc.published.start == dt.date(2025, 3, 5)
        assert doc.published_basis == "manifest"
    else:
        assert doc.published is None
        assert doc.published_basis is None


def test_each_date_belongs_to_the_event_it_stands_next_to(tmp_path):
    text = (
        "Minister tours the north\n\n"
        "Chilean Foreign Minister Tomas Rivera visited Porto on Friday after talks with "
        "Portuguese Foreign Minister Ana Duarte in Lisbon on Monday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-08"})
    meeting = only(extraction, EventKind.MEETING)
    visit = only(extraction, EventKind.VISIT)
    assert meeting.when.start == dt.date(2025, 3, 3)
    assert visit.when.start == dt.date(2025, 3, 7)
    assert visit.location == "Porto"


def test_a_spokesperson_who_tells_of_a_meeting_is_not_a_participant(tmp_path):
    text = (
        "Presidents confer\n\n"
        "President Amina Wekesa held talks with Vice President Joel Mutua on Thursday, "
        "State House spokesperson Mercy Kilonzo told journalists.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-08"})
    assert surnames(only(extraction, EventKind.MEETING)) == {"Wekesa", "Mutua"}


def test_a_meeting_with_one_named_side_takes_the_person_the_story_follows(tmp_path):
    text = (
        "General opens visit\n\n"
        "Lieutenant General Joao Pereira arrived in Nairobi on Sunday.\n\n"
        "On Monday he held talks with Defence Secretary Grace Achieng at the ministry.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-12"})
    meeting = only(extraction, EventKind.MEETING)
    assert surnames(meeting) == {"Pereira", "Achieng"}
    assert meeting.when.start == dt.date(2025, 3, 10)
    assert meeting.location == "Nairobi"  # where he had arrived the day before


def test_a_date_on_the_attribution_after_an_event_does_not_date_it(tmp_path):
    text = (
        "Talks held\n\n"
        "Foreign Minister Ana Duarte met Chilean Foreign Minister Tomas Rivera in Lisbon on "
        "Monday, the ministry said on Thursday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-07"})
    assert only(extraction, EventKind.MEETING).when.start == dt.date(2025, 3, 3)


def test_a_wire_dateline_does_not_date_the_events_below_it(tmp_path):
    text = (
        "Ministers meet\n\n"
        "LISBON, 7 March 2025 (Harbour Wire) \u2013 Foreign Minister Ana Duarte met Chilean "
        "Foreign Minister Tomas Rivera on Wednesday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {})
    meeting = only(extraction, EventKind.MEETING)
    assert meeting.when.start == dt.date(2025, 3, 5)


def test_the_owner_of_a_state_visit_is_the_visitor(tmp_path):
    text = (
        "Old friends\n\n"
        "Admiral Jonas Berg and Minister Ana Duarte last met in Oslo in March 2024, during "
        "President Amina Wekesa's state visit to Norway.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-07"})
    assert surnames(only(extraction, EventKind.VISIT)) == {"Wekesa"}


def test_a_visit_that_ended_on_a_day_is_dated_by_its_end_not_the_return(tmp_path):
    text = (
        "Minister home\n\n"
        "Foreign Minister Ana Duarte returned to Lisbon on Thursday after a three-day visit to "
        "Peru that ended on Wednesday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-08"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.when.start, visit.when.end) == (dt.date(2025, 3, 3), dt.date(2025, 3, 5))


def test_an_end_date_belongs_to_the_event_before_it_not_the_one_after(tmp_path):
    text = (
        "Minister home\n\n"
        "Foreign Minister Ana Duarte returned to Lisbon on Thursday after a three-day visit to "
        "Indonesia that ended on Wednesday with the signing of a memorandum on fisheries.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-08"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.when.start, visit.when.end) == (dt.date(2025, 3, 3), dt.date(2025, 3, 5))


def test_his_counterpart_implies_the_subject_of_the_story(tmp_path):
    text = (
        "Talks in Lima\n\n"
        "Foreign Minister Ana Duarte arrived in Lima on Monday.\n\n"
        "The minister met her Peruvian counterpart, Rosa Quispe, on Tuesday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-08"})
    meeting = only(extraction, EventKind.MEETING)
    assert surnames(meeting) == {"Duarte", "Quispe"}
    assert meeting.when.start == dt.date(2025, 3, 4)


def test_a_city_named_inside_its_country_is_the_more_precise_place(tmp_path):
    text = (
        "Bloc grows\n\n"
        "Chile became a full member of the Pacific Rim Maritime Council on 4 March 2025.\n\n"
        "The accession was announced at a summit of the Pacific Rim Maritime Council in Peru's "
        "capital city of Lima.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-08"})
    membership = only(extraction, EventKind.MEMBERSHIP, main=False)
    assert membership.location == "Lima"
    assert membership.when.start == dt.date(2025, 3, 4)


def test_words_another_outlet_quotes_at_greater_length_are_listed_once(tmp_path):
    short = (
        "Ministers meet\n\n"
        "Foreign Minister Ana Duarte met Chilean Foreign Minister Tomas Rivera in Lisbon on "
        "Monday. Rivera called Portugal \u201ca partner of the first rank in Europe\u201d.\n"
    )
    full = (
        "Fisheries talks\n\n"
        "Chilean Foreign Minister Tomas Rivera held talks with Foreign Minister Ana Duarte in "
        "Lisbon on Monday.\n\n"
        "\u201cPortugal is a partner of the first rank in Europe and we will keep it so,\u201d "
        "Rivera said.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": short, "b.txt": full},
                        {"a.txt": "2025-03-05", "b.txt": "2025-03-05"})
    quotes = only(extraction, EventKind.MEETING).quotes
    assert [q.document for q in quotes] == ["b.txt"]


def test_an_expected_visit_next_month_is_planned_at_month_precision(tmp_path):
    text = (
        "Ties thaw\n\n"
        "Foreign Minister Rosa Quispe is expected to visit Lisbon next month, officials said.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-08"})
    visit = only(extraction, EventKind.VISIT)
    assert visit.status is Status.PLANNED
    assert visit.location == "Lisbon"
    assert (visit.when.precision, visit.when.start) == (Precision.MONTH, dt.date(2025, 4, 1))


def test_leaders_who_shook_hands_met(tmp_path):
    text = (
        "Handshake\n\n"
        "President Amina Wekesa and President Joel Mutua shook hands in Doha on Sunday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-12"})
    meeting = only(extraction, EventKind.MEETING)
    assert surnames(meeting) == {"Wekesa", "Mutua"}
    assert meeting.when.start == dt.date(2025, 3, 9)


def test_a_scheduled_trip_is_a_planned_visit_on_its_date(tmp_path):
    text = (
        "Envoy's plans\n\n"
        "Foreign Minister Rosa Quispe is scheduled to travel to Lisbon on March 12 for talks.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-08"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.status, visit.when.start) == (Status.PLANNED, dt.date(2025, 3, 12))


def test_a_video_conference_between_two_ministers_is_a_meeting(tmp_path):
    text = (
        "Ministers talk by video\n\n"
        "Defence Minister Ilse Marquardt held a video conference with her Chilean "
        "counterpart Tomas Rivera on Monday. Both later spoke at a press conference.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    meeting = only(extraction, EventKind.MEETING)
    assert surnames(meeting) == {"Marquardt", "Rivera"}
    assert meeting.when.start == dt.date(2025, 3, 3)
    assert not [e for e in extraction.events if e.kind is EventKind.CONFERENCE]


def test_an_expected_arrival_is_a_planned_visit(tmp_path):
    text = (
        "Minister to travel\n\n"
        "Foreign Minister Rosa Quispe is also expected to arrive in Lisbon on Sunday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.location, visit.status) == ("Lisbon", Status.PLANNED)
    assert visit.when.start == dt.date(2025, 3, 9)


def test_flying_into_a_city_is_an_arrival_there(tmp_path):
    text = "Envoy lands\n\nGeneral Arash Karimi flew into Lima on Sunday evening.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-04"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.location, visit.when.start) == ("Lima", dt.date(2025, 3, 2))


def test_arriving_in_a_countrys_capital_by_its_adjective_is_a_visit_to_that_city(tmp_path):
    text = "Envoy lands\n\nGeneral Arash Karimi arrived in the Chilean capital on Sunday.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-04"})
    assert only(extraction, EventKind.VISIT).location == "Santiago"


def test_an_invitation_to_visit_is_at_most_planned(tmp_path):
    text = (
        "Invitation\n\n"
        "Foreign Minister Ana Duarte conveyed an invitation to Minister Tomas Rivera to pay an "
        "official visit to Lisbon in May.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-04"})
    visits = [e for e in extraction.events if e.kind is EventKind.VISIT]
    assert visits and all(v.status is Status.PLANNED for v in visits)


def test_he_after_the_one_person_named_is_that_person_not_the_story_subject(tmp_path):
    text = (
        "Visit\n\n"
        "Foreign Minister Ana Duarte received General Arash Karimi in Lisbon on Monday.\n\n"
        "On Tuesday Karimi visited the old cathedral, where he met local clergy.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    meeting = only(extraction, EventKind.MEETING)
    assert meeting.when.start == dt.date(2025, 3, 3)


def test_met_here_places_a_meeting_in_the_datelines_city(tmp_path):
    text = (
        "Talks in the capital\n\n"
        "LIMA, March 4 (Andes Wire) -- Defence Minister Rosa Quispe met here Tuesday with "
        "visiting Defence Minister Ilse Marquardt.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-04"})
    meeting = only(extraction, EventKind.MEETING)
    assert (meeting.location, meeting.when.start) == ("Lima", dt.date(2025, 3, 4))


def test_the_two_ministers_are_the_people_of_the_meeting_told_before(tmp_path):
    text = (
        "Ministers call\n\n"
        "Foreign Minister Ana Duarte spoke by phone with Foreign Minister Tomas Rivera on "
        "Monday.\n\n"
        "The call came a week after the two ministers held a video conference on 24 February.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    meetings = sorted((e for e in extraction.events if e.kind is EventKind.MEETING),
                      key=lambda e: e.when.start)
    assert [(m.when.start, surnames(m)) for m in meetings] == [
        (dt.date(2025, 2, 24), {"Duarte", "Rivera"}),
        (dt.date(2025, 3, 3), {"Duarte", "Rivera"}),
    ]


def test_people_who_attended_the_meeting_already_told_do_not_make_another(tmp_path):
    text = (
        "Ministers confer\n\n"
        "Defence Minister Ilse Marquardt held talks with Defence Minister Tomas Rivera on "
        "Monday.\n\n"
        "The talks were attended by General Arash Karimi and Admiral Sigrid Holm.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert surnames(only(extraction, EventKind.MEETING)) == {"Marquardt", "Rivera"}


def test_an_undated_invitation_to_visit_is_no_event(tmp_path):
    text = (
        "Invitation\n\n"
        "Prime Minister Tomas Rivera accepted an invitation to visit Lisbon, the office said.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-04"})
    assert [e for e in extraction.events if e.kind is EventKind.VISIT] == []


def test_a_date_that_says_what_an_agreement_is_for_does_not_date_its_signing(tmp_path):
    text = (
        "Plan signed\n\n"
        "On Tuesday the two chiefs, General Arash Karimi and Admiral Sigrid Holm, signed a "
        "plan of joint training for next year.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-06"})
    agreement = only(extraction, EventKind.AGREEMENT, main=False)
    assert agreement.when.start == dt.date(2025, 3, 4)


def test_an_agreement_signed_after_the_meeting_takes_the_meetings_day(tmp_path):
    text = (
        "Ministers sign\n\n"
        "Defence Minister Ilse Marquardt held talks with Defence Minister Tomas Rivera on "
        "Monday. After the meeting the two ministers signed an agreement on cadet exchanges.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    agreement = only(extraction, EventKind.AGREEMENT, main=False)
    assert agreement.when.start == dt.date(2025, 3, 3)
    assert "After the meeting" in agreement.when.basis


def test_he_meets_the_person_of_his_own_clause_not_the_one_named_in_the_next(tmp_path):
    text = (
        "Visit\n\n"
        "General Arash Karimi arrived in Lima on Sunday.\n\n"
        "He will hold talks with Defence Minister Rosa Quispe on Monday, and is expected to "
        "call on President Tomas Rivera.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-02"})
    assert surnames(only(extraction, EventKind.MEETING)) == {"Karimi", "Quispe"}


def test_an_arrival_with_no_place_is_to_the_city_of_a_wire_dateline(tmp_path):
    text = (
        "Minister in Europe\n\n"
        "LISBON (AP) — Peru's defence minister, Rosa Quispe, arrived Tuesday for a three-day "
        "visit, her first to Europe.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-12"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.location, visit.when.start) == ("Lisbon", dt.date(2025, 3, 11))


def test_ending_a_stay_somewhere_dates_the_end_of_a_visit_there(tmp_path):
    text = ("Minister home\n\n"
            "Defence Minister Rosa Quispe ended a three-day stay in Lisbon on Friday.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-15"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.location, visit.when.start, visit.when.end) == (
        "Lisbon", dt.date(2025, 3, 12), dt.date(2025, 3, 14))


def test_he_who_tells_of_his_coming_talks_is_one_of_their_sides(tmp_path):
    text = (
        "Live\n\n"
        "General Arash Karimi told reporters that he will hold talks with President Tomas "
        "Rivera on Friday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    meeting = only(extraction, EventKind.MEETING)
    assert surnames(meeting) == {"Karimi", "Rivera"}
    assert (meeting.status, meeting.when.start) == (Status.PLANNED, dt.date(2025, 3, 7))


def test_a_heading_with_a_day_dates_the_undated_talks_below_it(tmp_path):
    text = (
        "Expo diary\n\n"
        "Day two, Tuesday 4 March\n\n"
        "General Arash Karimi received Defence Minister Rosa Quispe in the morning.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-07"})
    meeting = only(extraction, EventKind.MEETING)
    assert meeting.when.start == dt.date(2025, 3, 4)
    assert "heading" in meeting.when.basis


def test_a_posted_on_line_is_no_heading(tmp_path):
    text = (
        "Expo diary\n\n"
        "Posted on 07.03.25 by the desk\n\n"
        "General Arash Karimi received Defence Minister Rosa Quispe last week.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {})
    meeting = only(extraction, EventKind.MEETING)
    assert "heading" not in meeting.when.basis


def test_a_country_naming_a_stand_at_a_show_is_not_where_the_talks_were(tmp_path):
    text = (
        "Expo\n\n"
        "General Arash Karimi met Defence Minister Rosa Quispe at the Chile Pavilion on "
        "Monday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert only(extraction, EventKind.MEETING).location is None


def test_a_phone_call_has_no_place(tmp_path):
    text = (
        "Call\n\n"
        "In a phone call on Monday, President Emre Kayalar and President Tomas Rivera "
        "discussed the situation in the Black Sea.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert only(extraction, EventKind.MEETING).location is None


def test_whose_visit_the_sentence_opens_with_is_not_the_visit_it_compares_it_to(tmp_path):
    text = (
        "Visit\n\n"
        "General Arash Karimi arrived in Lima on Sunday.\n\n"
        "Karimi's visit comes days after Defence Minister Rosa Quispe visited Quito on "
        "March 1.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-03"})
    visits = {e.location: surnames(e) for e in extraction.events if e.kind is EventKind.VISIT}
    assert visits == {"Lima": {"Karimi"}, "Quito": {"Quispe"}}


def test_he_meets_everyone_named_after_the_trigger_in_his_clause(tmp_path):
    text = (
        "Visit\n\n"
        "General Arash Karimi arrived in Lima on Sunday.\n\n"
        "During his stay, he is scheduled to meet Defence Minister Rosa Quispe and Admiral "
        "Sigrid Holm.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-03"})
    assert surnames(only(extraction, EventKind.MEETING)) == {"Karimi", "Quispe", "Holm"}


def test_the_guest_in_a_who_clause_is_the_visitor(tmp_path):
    text = (
        "Visit\n\n"
        "General Arash Karimi on Monday received his counterpart, Admiral Sigrid Holm, who is "
        "on a three-day visit to Peru.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert surnames(only(extraction, EventKind.VISIT)) == {"Holm"}


def test_a_month_this_year_is_one_expression_that_dates_the_meeting(tmp_path):
    text = (
        "Visit\n\n"
        "General Arash Karimi had visited Quito in March this year, when he met President "
        "Tomas Rivera.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-09-05"})
    meeting = only(extraction, EventKind.MEETING)
    assert (meeting.when.start, meeting.when.precision) == (dt.date(2025, 3, 1), Precision.MONTH)


def test_calling_on_an_official_is_meeting_them_but_calling_on_one_to_act_is_not(tmp_path):
    text = (
        "Visit\n\n"
        "General Arash Karimi called on Defence Minister Rosa Quispe on Tuesday, according "
        "to a press release.\n\n"
        "President Tomas Rivera called on Admiral Sigrid Holm to resign on Wednesday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-07"})
    assert surnames(only(extraction, EventKind.MEETING)) == {"Karimi", "Quispe"}


def test_talks_held_here_under_a_colon_dateline_are_in_its_city(tmp_path):
    text = (
        "Talks\n\n"
        "LIMA: Defence Minister Rosa Quispe held talks here on Tuesday with General Arash "
        "Karimi.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert only(extraction, EventKind.MEETING).location == "Lima"


def test_has_arrived_with_no_date_is_news_of_the_day(tmp_path):
    text = "Live\n\nDefence Minister Rosa Quispe has arrived in Lima, her office said.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    visit = only(extraction, EventKind.VISIT)
    assert visit.when.start == dt.date(2025, 3, 5)
    assert "has arrived" in visit.when.basis


def test_a_visit_under_way_as_the_article_is_written_is_dated_that_day(tmp_path):
    text = "Visit\n\nDefence Minister Rosa Quispe is on a two-day visit to Chile.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.location, visit.when.start) == ("Chile", dt.date(2025, 3, 5))
    assert "is on a two-day visit to" in visit.when.basis


def test_the_meeting_was_held_on_a_day_dates_the_talks_told_before(tmp_path):
    text = (
        "Talks\n\n"
        "Defence Minister Ilse Marquardt held talks with Defence Minister Tomas Rivera at the "
        "ministry.\n\n"
        "The meeting was held on March 3 and focused on training.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert only(extraction, EventKind.MEETING).when.start == dt.date(2025, 3, 3)


def test_a_place_at_the_end_of_a_long_sentence_of_titles_still_places_the_talks(tmp_path):
    text = (
        "Talks\n\n"
        "The Minister of Defence of the Republic of Lusitania, General Ilse Marquardt, held "
        "talks with the Minister of Defence of the Republic of Chile, Lieutenant General Tomas "
        "Rivera, at the National Defence Control Centre in Lisbon on Monday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert only(extraction, EventKind.MEETING).location == "Lisbon"


@pytest.mark.parametrize("sentence", [
    "Defence Minister Rosa Quispe's visit to Lima, which had been scheduled for Monday, has "
    "been postponed.",
    "Defence Minister Rosa Quispe had been due to meet General Arash Karimi on Monday, but "
    "the meeting was called off.",
])
def test_a_called_off_event_gives_no_event(tmp_path, sentence):
    extraction = corpus(tmp_path, {"a.txt": f"News\n\n{sentence}\n"}, {"a.txt": "2025-03-05"})
    assert [e for e in extraction.events if e.kind in (EventKind.MEETING, EventKind.VISIT)] == []


@pytest.mark.parametrize("sentence", [
    "At the invitation of Defence Minister Jonas Berg, General Arash Karimi will pay an "
    "official visit to Norway from March 10 to 12, the ministry said.",
    "Invited by his Norwegian counterpart, Defence Minister Jonas Berg, General Arash Karimi "
    "will visit Norway from March 10 to 12.",
])
def test_the_host_who_invited_the_visitor_is_not_the_visitor(tmp_path, sentence):
    extraction = corpus(tmp_path, {"a.txt": f"News\n\n{sentence}\n"}, {"a.txt": "2025-03-05"})
    visit = only(extraction, EventKind.VISIT)
    assert surnames(visit) == {"Karimi"}
    assert visit.when.start == dt.date(2025, 3, 10)


def test_a_chinese_name_in_western_order_is_the_same_person(tmp_path):
    articles = {
        "a.txt": "Talks\n\nGeneral Zhou Minghao met Defence Minister Ana Duarte in Beijing on "
                 "Tuesday.\n",
        "b.txt": "Talks\n\nDefence Minister Ana Duarte held talks with Gen. Minghao Zhou in "
                 "Beijing on Tuesday.\n",
    }
    extraction = corpus(tmp_path, articles, {"a.txt": "2025-03-06", "b.txt": "2025-03-06"})
    meeting = only(extraction, EventKind.MEETING)
    assert set(meeting.documents) == {"a.txt", "b.txt"}
    assert len(meeting.participants) == 2


def test_a_name_that_only_says_whose_predecessor_hosted_is_no_participant(tmp_path):
    text = (
        "Talks\n\n"
        "Defence Minister Rosa Quispe opened the academy on Monday.\n\n"
        "In March 2023, Quispe's predecessor, General Arash Karimi, hosted Admiral Sigrid Holm "
        "in Lima.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert surnames(only(extraction, EventKind.MEETING)) == {"Karimi", "Holm"}


def test_the_meeting_spoken_of_again_in_its_sentence_is_not_put_somewhere_else(tmp_path):
    text = (
        "Analysis\n\n"
        "When Defence Minister Ana Duarte sat down with General Tomas Rivera in Quito last "
        "week, much of the commentary in Lima read the meeting as a snub.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-12"})
    assert only(extraction, EventKind.MEETING).location == "Quito"


def test_a_call_made_later_is_dated_by_the_talks_before_it_with_less_certainty(tmp_path):
    text = (
        "Visit\n\n"
        "General Arash Karimi called on Defence Minister Rosa Quispe in Lima on Tuesday.\n\n"
        "Later, General Karimi called on Admiral Tomas Rivera at the naval headquarters.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-06"})
    later = next(e for e in extraction.events
                 if e.kind is EventKind.MEETING and "Rivera" in surnames(e))
    assert later.when.start == dt.date(2025, 3, 4)
    assert later.when.certainty is Certainty.UNCERTAIN
    assert "'Later'" in later.when.basis


@pytest.mark.parametrize("sentence", [
    "In 2023, Defence Minister Ana Duarte flew to Quito for talks with General Tomas Rivera.",
    "In 2023, Defence Minister Ana Duarte visited Quito and held talks with General Tomas "
    "Rivera.",
])
def test_talks_told_after_a_trip_are_held_where_it_went(tmp_path, sentence):
    extraction = corpus(tmp_path, {"a.txt": f"Analysis\n\n{sentence}\n"}, {"a.txt": "2025-03-05"})
    assert only(extraction, EventKind.MEETING).location == "Quito"


def test_spending_days_somewhere_is_a_visit_there(tmp_path):
    text = ("Analysis\n\nIn April 2024, Deputy Foreign Minister Ana Duarte spent two days in "
            "Quito and held talks with General Tomas Rivera.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    visit = only(extraction, EventKind.VISIT)
    assert (surnames(visit), visit.location) == ({"Duarte"}, "Quito")


def test_a_short_sentence_naming_a_date_dates_the_talks_in_the_next(tmp_path):
    text = (
        "Analysis\n\n"
        "Last October it was Quito's turn. Defence Minister Ana Duarte spent two days there "
        "and held talks with General Tomas Rivera.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-10"})
    meeting = only(extraction, EventKind.MEETING)
    assert (meeting.when.start, meeting.when.precision) == (dt.date(2024, 10, 1), Precision.MONTH)
    assert meeting.when.certainty is Certainty.INFERRED
    assert "sentence before" in meeting.when.basis


def test_a_date_of_the_day_before_a_line_of_thanks_dates_no_conference(tmp_path):
    text = (
        "Live\n\n"
        "Delegates from nine countries opened the summit in Quito on Friday.\n\n"
        "17:55 - That's all from us today. Thank you for following our coverage of the summit.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-07"})
    summits = [e for e in extraction.events if e.kind is EventKind.CONFERENCE]
    assert [len(e.sources) for e in summits] == [1]


def test_an_agreement_signed_then_is_dated_by_the_talks_not_by_its_terms(tmp_path):
    text = (
        "News\n\n"
        "On Tuesday, General Ana Duarte held talks with Admiral Tomas Rivera. The two sides "
        "then signed a protocol on military education, under which officers will attend staff "
        "colleges from next year.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-06"})
    agreement = only(extraction, EventKind.AGREEMENT, main=False)
    assert agreement.when.start == dt.date(2025, 3, 4)
    assert agreement.status is Status.HAPPENED


@pytest.mark.parametrize("question", [
    "Is it true that Defence Minister Ana Duarte met General Tomas Rivera in Quito on Monday?",
    "Q: Some media say Defence Minister Ana Duarte will visit Quito this year. Can you "
    "confirm it?",
])
def test_a_question_reports_no_event(tmp_path, question):
    text = f"Press conference\n\n{question}\n\nA: I have nothing to announce.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-06"})
    assert extraction.events == ()
    # The same words told, not asked, are an event.
    told = question.replace("Is it true that ", "").replace("Q: Some media say ", "")
    told = told.split("?")[0].split(". Can")[0].rstrip(".") + "."
    (tmp_path / "a.txt").write_text(f"Press conference\n\n{told[0].upper()}{told[1:]}\n")
    assert corpus(tmp_path, {"a.txt": f"News\n\n{told}\n"}, {"a.txt": "2025-03-06"}).events


def test_here_after_a_long_title_and_name_is_still_the_datelines_city(tmp_path):
    text = (
        "Talks\n\n"
        "QUITO, March 3 (Agency) -- Defence Minister Ana Duarte met with visiting Chief of "
        "Staff of the Chilean Armed Forces Lieutenant General Tomas Rivera here on Monday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-03"})
    assert only(extraction, EventKind.MEETING).location == "Quito"


@pytest.mark.parametrize("sentence", [
    "Defence Minister Ana Duarte received her Chilean counterpart, Tomas Rivera, in Quito on "
    "Monday.",
    "QUITO, March 3 (Agency) -- Defence Minister Ana Duarte held talks here on Monday with "
    "visiting Chilean Defence Minister Tomas Rivera.",
])
def test_the_counterpart_received_is_on_a_visit_where_they_met(tmp_path, sentence):
    extraction = corpus(tmp_path, {"a.txt": f"Talks\n\n{sentence}\n"}, {"a.txt": "2025-03-05"})
    visit = only(extraction, EventKind.VISIT)
    assert (surnames(visit), visit.location, visit.when.start) == (
        {"Rivera"}, "Quito", dt.date(2025, 3, 3))
    assert surnames(only(extraction, EventKind.MEETING)) == {"Duarte", "Rivera"}


def test_a_counterpart_received_unnamed_or_nowhere_makes_no_visit(tmp_path):
    text = ("Talks\n\nDefence Minister Ana Duarte hosted her Chilean counterpart in Quito on "
            "Monday.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert [e for e in extraction.events if e.kind is EventKind.VISIT] == []


def test_talks_earlier_in_the_day_take_the_day_of_the_talks_told_before(tmp_path):
    text = (
        "News\n\n"
        "Foreign Minister Ana Duarte was received by President Tomas Rivera at the palace on "
        "3 October, in the highest-level contact between the two governments this year.\n\n"
        "According to a statement from the presidency, the discussions centred on agricultural "
        "research, offshore energy and a direct air link between the two capitals.\n\n"
        "Earlier in the day Duarte was welcomed at the ministry by General Arash Karimi, with "
        "whom she signed a memorandum on training.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-10-04"})
    earlier = next(e for e in extraction.events
                   if e.kind is EventKind.MEETING and "Karimi" in surnames(e))
    assert earlier.when.start == dt.date(2024, 10, 3)
    assert earlier.when.certainty is Certainty.INFERRED
    memorandum = only(extraction, EventKind.AGREEMENT, main=False)
    assert memorandum.when.basis.count("Earlier in the day") == 1


def test_sitting_down_together_somewhere_is_a_meeting_there(tmp_path):
    text = ("News\n\nPresident Ana Duarte and President Tomas Rivera sat down together in Quito "
            "on 21 June 2024.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2024-10-04"})
    meeting = only(extraction, EventKind.MEETING)
    assert (meeting.location, meeting.when.start) == ("Quito", dt.date(2024, 6, 21))


def test_a_sentence_opening_with_his_goes_on_with_the_one_followed(tmp_path):
    text = (
        "News\n\n"
        "The neighbours sent their prime minister, Arash Karimi, and a large delegation.\n\n"
        "His talks with President Tomas Rivera on Thursday produced a trade deal. But most "
        "attention went to the Friday meeting with the Chilean prime minister, Ana Duarte.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-05-19"})
    meetings = {frozenset(surnames(e)) for e in extraction.events if e.kind is EventKind.MEETING}
    assert frozenset({"Karimi", "Duarte"}) in meetings
    assert frozenset({"Rivera", "Duarte"}) not in meetings


def test_the_two_defence_ministers_are_the_two_holding_that_post(tmp_path):
    text = (
        "News\n\n"
        "Defence Minister Ana Duarte held talks with Chilean Defence Minister Tomas Rivera in "
        "Quito on Wednesday.\n\n"
        "On Tuesday, President Arash Karimi met with Rivera at the palace.\n\n"
        "The two defence ministers have met several times. They held talks in Lima in "
        "November 2024.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-04-10"})
    lima = [e for e in extraction.events if e.kind is EventKind.MEETING and e.location == "Lima"]
    assert [surnames(e) for e in lima] == [{"Duarte", "Rivera"}]


@pytest.mark.parametrize("sentence", [
    "Born in Lima in 1965, Admiral Tomas Rivera joined the navy in September 1983.",
    "Chile's Chief of Defence, General Tomas Rivera, joined the second half of the meeting.",
])
def test_a_person_joining_something_is_no_membership(tmp_path, sentence):
    extraction = corpus(tmp_path, {"a.txt": f"Profile\n\n{sentence}\n"}, {"a.txt": "2025-03-05"})
    assert [e for e in extraction.events if e.kind is EventKind.MEMBERSHIP] == []
    # A country that joined something in the same words is a membership.
    country = "News\n\nChile joined the alliance in September 1983.\n"
    extraction = corpus(tmp_path, {"a.txt": country}, {"a.txt": "2025-03-05"})
    assert [e.kind for e in extraction.events] == [EventKind.MEMBERSHIP]


def test_a_country_joining_after_a_person_named_is_still_a_membership(tmp_path):
    text = ("News\n\nThis trip comes as President Ana Duarte welcomes the membership of Chile in "
            "the Shanghai Cooperation Organization, approved in 2021.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    assert [e.kind for e in extraction.events if e.kind is EventKind.MEMBERSHIP] == [
        EventKind.MEMBERSHIP]


def test_a_plan_called_off_in_the_next_sentence_gives_no_event(tmp_path):
    text = (
        "News\n\n"
        "Defence Minister Ana Duarte had been scheduled to travel on to Quito on Thursday to "
        "meet Defence Minister Tomas Rivera. That leg has been postponed at the request of the "
        "host.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-25"})
    assert [e for e in extraction.events if e.kind in (EventKind.MEETING, EventKind.VISIT)] == []
    kept = text.split(" That leg")[0].replace("had been scheduled", "is scheduled") + "\n"
    extraction = corpus(tmp_path, {"a.txt": kept}, {"a.txt": "2025-03-25"})
    assert [e.kind for e in extraction.events if e.kind is EventKind.MEETING] == [
        EventKind.MEETING]


def test_a_date_in_a_since_clause_dates_no_meeting(tmp_path):
    text = (
        "News\n\n"
        "Defence Minister Ana Duarte met Defence Minister Tomas Rivera in Quito on Tuesday. It "
        "was the first meeting between Duarte and Rivera since Rivera took office in "
        "January.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-20"})
    meetings = [e for e in extraction.events if e.kind is EventKind.MEETING]
    assert [(surnames(e), e.when.start) for e in meetings] == [
        ({"Duarte", "Rivera"}, dt.date(2025, 3, 18))]


def test_the_two_defence_chiefs_who_spoke_are_the_two_defence_ministers(tmp_path):
    text = (
        "News\n\n"
        "Defence Minister Ana Duarte met Defence Minister Tomas Rivera in Quito on Tuesday.\n\n"
        "Duarte is scheduled to fly to Lima on Thursday to meet Admiral Sigrid Holm.\n\n"
        "The two defence chiefs spoke by telephone last month.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-20"})
    call = next(e for e in extraction.events
                if e.kind is EventKind.MEETING and e.when.precision is Precision.MONTH)
    assert surnames(call) == {"Duarte", "Rivera"}


def test_touching_down_somewhere_is_arriving_there(tmp_path):
    text = "News\n\nDefence Minister Ana Duarte touched down in Quito late on Monday.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    visit = only(extraction, EventKind.VISIT)
    assert (visit.location, visit.when.start) == ("Quito", dt.date(2025, 3, 3))


def test_an_exercise_discussed_by_name_and_a_visit_in_a_who_clause_take_no_outer_date(tmp_path):
    text = (
        "News\n\n"
        "On Thursday Defence Minister Ana Duarte called on General Tomas Rivera in Quito, who "
        "is expected to visit Lima in the coming months. On Friday she discussed the Andes Shield "
        "exercise with him.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-15"})
    visits = [e for e in extraction.events if e.kind is EventKind.VISIT]
    assert [(surnames(e), e.when) for e in visits] == [({"Rivera"}, None)]
    assert [e for e in extraction.events if e.kind is EventKind.EXERCISE] == []


def test_officials_who_joined_the_meeting_make_no_meeting_of_their_own(tmp_path):
    text = (
        "News\n\n"
        "Defence Secretary Ana Duarte welcomed Chile's Minister of Defence, Tomas Rivera, to "
        "London today for talks.\n\n"
        "Admiral Sigrid Holm and General Arash Karimi joined the second half of the meeting to "
        "discuss exercises this year.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-11"})
    meeting = only(extraction, EventKind.MEETING)
    assert (surnames(meeting), meeting.location) == ({"Duarte", "Rivera"}, "London")


def test_a_date_in_a_since_clause_after_a_trip_does_not_date_it(tmp_path):
    text = ("News\n\nThe trip to Quito was Defence Minister Ana Duarte's first abroad since her "
            "appointment in October 2023.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-12"})
    assert [e.when for e in extraction.events if e.kind is EventKind.VISIT] == [None]


def test_titles_named_by_their_trigger_read_as_headlines(tmp_path):
    text = (
        "News\n\n"
        "Defence Minister Ana Duarte and General Tomas Rivera signed a protocol on training "
        "in Quito on Tuesday.\n\n"
        "Duarte will attend a meeting of NATO defence ministers in Brussels on Thursday.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-05"})
    titles = {e.kind: e.title for e in extraction.events}
    assert titles[EventKind.AGREEMENT].startswith("Protocol")
    assert titles[EventKind.CONFERENCE] == "Meeting of NATO defence ministers in Brussels"


@pytest.mark.parametrize(("sentence", "title"), [
    ("Troops took part in the Bright Star exercise in Chile in May 2023.",
     "Bright Star exercise in Chile"),
    ("The navies held the Pacific Shield 2023 drills in March 2023.", "Pacific Shield 2023 drills"),
    ("The Andes–Pacific Security Forum opened in Lima on Monday.",
     "Andes–Pacific Security Forum in Lima"),
    ("Officials of the United Nations attended the UN Ocean Conference in Lisbon in June 2022.",
     "UN Ocean Conference in Lisbon"),
    ("Ministers met at the World Defense Show in Riyadh on Monday.",
     "World Defense Show in Riyadh"),
    ("General Arash Karimi arrived in Moscow on Tuesday to take part in the 6th Conference on "
     "International Security.", "Conference on International Security in Moscow"),
    ("The 2023 exercise began in Chile in May 2023.", "Exercise in Chile"),
    ("Monday's exercise in Chile ended in May 2023.", "Exercise in Chile"),
])
def test_a_context_event_with_its_own_name_is_titled_by_it(tmp_path, sentence, title):
    extraction = corpus(tmp_path, {"a.txt": f"News\n\n{sentence}\n"}, {"a.txt": "2025-03-05"})
    assert [e.title for e in extraction.events if e.is_context] == [title]


@pytest.mark.parametrize(("pair", "sentence"), [
    ("the two senior officials", "News\n\nGeneral Arash Karimi held talks with Admiral Tomas "
     "Rivera in Lima on Monday.\n\nThe two senior officials spoke by telephone last month.\n"),
    ("the two defence chiefs", "News\n\nUS Defense Secretary Ana Duarte met Chilean Defense "
     "Secretary Tomas Rivera in Lima on Monday.\n\nThe two defence chiefs spoke by telephone "
     "last month.\n"),
])
def test_the_two_officials_of_the_last_talks_spoke_again(tmp_path, pair, sentence):
    extraction = corpus(tmp_path, {"a.txt": sentence}, {"a.txt": "2025-03-12"})
    months = [e for e in extraction.events
              if e.kind is EventKind.MEETING and e.when.precision is Precision.MONTH]
    assert len(months) == 1 and len(months[0].participants) == 2, pair


def test_a_date_before_an_aside_about_the_visitor_still_dates_the_talks(tmp_path):
    text = ("News\n\nOn Tuesday, General Arash Karimi, who is on an official visit to Lima, "
            "called on Defence Minister Rosa Quispe.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-06"})
    assert only(extraction, EventKind.MEETING).when.start == dt.date(2025, 3, 4)


def test_a_meeting_with_a_named_official_keeps_the_one_whose_meeting_it_is(tmp_path):
    text = ("News\n\nGeneral Arash Karimi's meeting with Deputy Foreign Minister Tomas Rivera "
            "in Lima on Tuesday focused on trade.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-06"})
    assert surnames(only(extraction, EventKind.MEETING)) == {"Karimi", "Rivera"}


def test_a_short_dated_sentence_closing_a_paragraph_dates_nothing_in_the_next(tmp_path):
    text = (
        "Analysis\n\n"
        "Trade between the two grew fast. Last year it doubled.\n\n"
        "Defence Minister Ana Duarte spent two days in Quito and held talks with General "
        "Tomas Rivera.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-10"})
    assert only(extraction, EventKind.MEETING).when is None


def test_a_trip_in_an_aside_does_not_place_the_talks(tmp_path):
    text = ("News\n\nGeneral Arash Karimi, who visited Quito last year, held talks with Admiral "
            "Tomas Rivera on Monday.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-12"})
    assert only(extraction, EventKind.MEETING).location is None


def test_a_trip_told_then_takes_no_day_from_the_talks_before(tmp_path):
    text = ("News\n\nDefence Minister Ana Duarte held talks with General Tomas Rivera in Lima "
            "on Monday. She then flew to Quito.\n")
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-12"})
    assert [e.when for e in extraction.events if e.kind is EventKind.VISIT] in ([], [None])


def test_an_exercise_begun_on_a_day_by_its_name_is_held_not_discussed(tmp_path):
    text = "News\n\nThe navies began on Monday the Andes exercise off Lima.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-12"})
    exercise = only(extraction, EventKind.EXERCISE, main=False)
    assert exercise.when.start == dt.date(2025, 3, 10)


def test_talks_discussed_with_a_named_official_are_a_meeting_of_the_one_followed(tmp_path):
    text = (
        "News\n\n"
        "Defence Minister Ana Duarte arrived in Lima on Monday.\n\n"
        "On Thursday she called on General Tomas Rivera. In a separate meeting later the same "
        "day, she discussed the Andes exercise with Army chief General Arash Karimi.\n"
    )
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-15"})
    meetings = {frozenset(surnames(e)) for e in extraction.events if e.kind is EventKind.MEETING}
    assert meetings == {frozenset({"Duarte", "Rivera"}), frozenset({"Duarte", "Karimi"})}


def test_discussing_cooperation_with_a_country_is_no_meeting(tmp_path):
    text = "News\n\nDefence Minister Ana Duarte discussed cooperation with Chile on Monday.\n"
    extraction = corpus(tmp_path, {"a.txt": text}, {"a.txt": "2025-03-15"})
    assert [e for e in extraction.events if e.kind is EventKind.MEETING] == []


def test_calling_on_two_officials_is_a_call_on_each(tmp_path):
    articles = {
        "a.txt": "News\n\nGeneral Arash Karimi will call on Admiral Tomas Rivera and General Ana "
                 "Duarte in Lima on 13 March.\n",
        "b.txt": "News\n\nOn 13 March General Arash Karimi called on Admiral Tomas Rivera in "
                 "Lima. Later the same day he held talks with General Ana Duarte.\n",
    }
    extraction = corpus(tmp_path, articles, {"a.txt": "2025-03-12", "b.txt": "2025-03-14"})
    meetings = {frozenset(surnames(e)): len(e.documents)
                for e in extraction.events if e.kind is EventKind.MEETING}
    assert meetings == {frozenset({"Karimi", "Rivera"}): 2, frozenset({"Karimi", "Duarte"}): 2}
