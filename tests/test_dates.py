"""Time expressions: finding them with exact offsets and resolving them against a reference."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core.dates import (
    Reference,
    find_time_expressions,
    read_slashed_date,
    resolve_weekday,
    sentence_tense,
    years_matching_weekday,
)
from viewer.core.model import Certainty, Precision, Span, Tense, TimeExpression

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

# 2025-03-12 is a Wednesday.
WEDNESDAY = Reference(dt.date(2025, 3, 12), "article published 2025-03-12")


def only(text: str, reference: Reference | None = WEDNESDAY) -> TimeExpression:
    found = find_time_expressions(text, reference)
    assert len(found) == 1, [e.text for e in found]
    return found[0]


def texts(text: str, reference: Reference | None = WEDNESDAY) -> list[str]:
    return [e.text for e in find_time_expressions(text, reference)]


def day_of(expression: TimeExpression) -> dt.date:
    assert expression.value is not None
    assert expression.value.precision is Precision.DAY
    return expression.value.start


# --- full dates -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("The accord was signed on March 3, 2024 in Quito.", "March 3, 2024", "2024-03-03"),
        ("The accord was signed on 3 March 2024 in Quito.", "3 March 2024", "2024-03-03"),
        ("The accord was signed on 2024-03-03 in Quito.", "2024-03-03", "2024-03-03"),
        ("Publicado el 03.04.2024 por la redacción", "03.04.2024", "2024-04-03"),
        ("The accord was signed on Mar. 3rd, 2024 in Quito.", "Mar. 3rd, 2024", "2024-03-03"),
        ("The accord was signed on the 3rd of March 2024.", "the 3rd of March 2024", "2024-03-03"),
        ("DESK 03 MAR 24\nThe accord was signed.", "03 MAR 24", "2024-03-03"),
    ],
)
def test_full_dates_in_common_formats_resolve_to_their_day(text, phrase, expected):
    expression = only(text)
    assert expression.text == phrase
    assert day_of(expression) == dt.date.fromisoformat(expected)


def test_a_stated_full_date_is_certain_and_says_so():
    expression = only("The embargo was lifted on October 18, 2020 by the council.")
    assert expression.value.certainty is Certainty.STATED
    assert expression.value.basis == "'October 18, 2020', stated"


def test_dotted_numeric_dates_are_read_day_first():
    assert day_of(only("Released 05.04.2023 at noon")) == dt.date(2023, 4, 5)


def test_slashed_dates_that_could_be_either_order_give_no_date():
    assert texts("Filed 03/04/2023 by the clerk") == []
    assert day_of(only("Filed 23/04/2023 by the clerk")) == dt.date(2023, 4, 23)


def test_a_day_range_is_one_expression_spanning_its_days():
    expression = only("The summit ran from 18-21 October 2024 in Lima.")
    assert expression.value.start == dt.date(2024, 10, 18)
    assert expression.value.end == dt.date(2024, 10, 21)
    assert expression.value.is_span


@pytest.mark.parametrize("text", ["He is in Lima from March 10 to 14.",
                                  "He is in Lima March 10 through 14."])
def test_a_month_first_range_with_a_word_between_the_days_is_one_expression(text):
    expression = only(text)
    assert (expression.value.start, expression.value.end) == (dt.date(2025, 3, 10),
                                                              dt.date(2025, 3, 14))


def test_a_range_into_the_next_month_is_two_dates():
    assert texts("The visit lasted from March 30 to 2 April.") == ["March 30", "2 April"]


def test_a_future_range_under_way_on_the_reference_day_stays_in_its_year():
    # Published on the 12th, in the middle of the visit: not a visit a year from now.
    expression = only("The minister is paying a visit to Lima from March 10 to 14 and will "
                      "meet the president.")
    assert expression.value.start == dt.date(2025, 3, 10)


def test_impossible_days_are_not_dates():
    assert texts("The file says February 30, 2023 in error.") == []


# --- dates without a year ---------------------------------------------------


def test_day_and_month_without_year_take_the_year_of_the_reference_in_past_text():
    expression = only("The envoy landed in Lima on March 2 with aides.")
    assert day_of(expression) == dt.date(2025, 3, 2)
    assert expression.value.certainty is Certainty.INFERRED
    assert expression.value.basis == "'March 2', year from article published 2025-03-12"


def test_past_day_after_the_reference_in_the_calendar_falls_in_the_previous_year():
    january = Reference(dt.date(2025, 1, 4), "article published 2025-01-04")
    expression = only("The ministers met on December 30 in Quito.", january)
    assert day_of(expression) == dt.date(2024, 12, 30)


def test_future_day_before_the_reference_in_the_calendar_falls_in_the_next_year():
    december = Reference(dt.date(2024, 12, 28), "article published 2024-12-28")
    expression = only("The ministers will meet on January 3 in Quito.", december)
    assert day_of(expression) == dt.date(2025, 1, 3)
    assert expression.tense is Tense.FUTURE


def test_future_day_later_in_the_same_year_stays_in_it():
    expression = only("The drills, which will end on 23 March, involve 4,000 sailors.")
    assert day_of(expression) == dt.date(2025, 3, 23)


def test_a_meeting_agreed_on_is_still_to_come():
    expression = only("The two leaders agreed to meet in Santiago on 20 March.")
    assert expression.tense is Tense.FUTURE
    assert day_of(expression) == dt.date(2025, 3, 20)


def test_a_visit_one_is_invited_to_is_still_to_come():
    expression = only("The general accepted an invitation to visit Quito in April.")
    assert expression.tense is Tense.FUTURE
    assert expression.value.start == dt.date(2025, 4, 1)


def test_a_visit_at_someones_invitation_is_told_in_its_own_tense():
    assert only("He visited Quito at the invitation of his host in February.").tense is \
        Tense.PAST


def test_an_agreement_reached_is_past():
    assert only("They agreed to a ceasefire on 2 March.").tense is Tense.PAST


def test_a_day_of_an_unnamed_month_takes_the_reference_month_or_the_one_before():
    # The reference is Wednesday 12 March 2025.
    assert day_of(only("The ministers met at the ministry on the 5th, officials said.")) == \
        dt.date(2025, 3, 5)
    assert day_of(only("The ministers met on the 20th and signed a memorandum.")) == \
        dt.date(2025, 2, 20)
    assert day_of(only("The talks will resume on the 28th.")) == dt.date(2025, 3, 28)


@pytest.mark.parametrize("text", ["The office is on the 5th floor of the tower.",
                                  "They marked the 20th anniversary of the treaty."])
def test_an_ordinal_that_is_no_day_gives_no_date(text):
    assert texts(text) == []


def test_date_without_year_and_without_reference_has_no_value():
    expression = only("The talks were held on March 2 in Lima.", None)
    assert expression.value is None


def test_month_and_year_resolve_to_the_whole_month():
    expression = only("The embargo ended in October 2020, diplomats said.")
    assert expression.text == "October 2020"
    assert expression.value.precision is Precision.MONTH
    assert (expression.value.start, expression.value.end) == (
        dt.date(2020, 10, 1), dt.date(2020, 10, 31))


def test_a_month_after_a_preposition_takes_its_year_from_the_tense():
    expression = only("The port reopened in November after repairs.")
    assert expression.value.precision is Precision.MONTH
    assert expression.value.start == dt.date(2024, 11, 1)


def test_modal_may_and_verb_march_are_not_months():
    assert texts("Troops may march to the border, and talks may resume.") == []


# --- bare years -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("The alliance was founded in 1992 by six states.", 1992),
        ("Relations have warmed since 2019, the minister said.", 2019),
        ("The plan was drafted in mid-2020 and shelved.", 2020),
        ("The treaty (2015) remains in force.", 2015),
    ],
)
def test_years_after_a_preposition_or_in_brackets_are_years(text, year):
    expression = only(text)
    assert expression.value.precision is Precision.YEAR
    assert expression.value.start == dt.date(year, 1, 1)
    assert expression.text == str(year)


@pytest.mark.parametrize(
    "text",
    [
        "The country has a population of 143 million people.",
        "Under Security Council Resolution 2231 the ban was lifted.",
        "Story ID 4529 was filed by the desk.",
        "More than 4,000 troops took part.",
        "A force of 2000 soldiers stood by.",
        "The ship carries 1,950 containers.",
        "Sales rose by 2019.5 units per hour.",
    ],
)
def test_numbers_that_are_not_years_give_no_date(text):
    assert texts(text) == []


# --- weekdays ---------------------------------------------------------------


def test_weekday_resolves_to_the_past_in_past_tense_text():
    expression = only("The envoys met in Lima on Monday to discuss fisheries.")
    assert expression.text == "on Monday"
    assert day_of(expression) == dt.date(2025, 3, 10)
    assert expression.weekday == 0
    assert expression.tense is Tense.PAST
    assert expression.value.basis == "'on Monday', article published 2025-03-12"
    assert expression.value.certainty is Certainty.INFERRED


def test_weekday_of_the_publication_day_in_past_text_is_that_same_day():
    expression = only("The envoys met in Lima on Wednesday.")
    assert day_of(expression) == dt.date(2025, 3, 12)


def test_weekday_resolves_to_the_future_in_future_tense_text():
    expression = only("The envoys will meet in Lima on Monday.")
    assert day_of(expression) == dt.date(2025, 3, 17)
    assert expression.tense is Tense.FUTURE


@pytest.mark.parametrize(
    "sentence",
    [
        "The summit is expected to open on Friday.",
        "The summit is scheduled to open on Friday.",
        "A summit to be held on Friday will close the season.",
    ],
)
def test_expected_and_scheduled_point_to_the_future(sentence):
    assert day_of(only(sentence)) == dt.date(2025, 3, 14)


def test_past_clause_and_future_clause_in_one_sentence_resolve_each_their_own_way():
    found = find_time_expressions(
        "The delegation, which arrived on Monday, will leave on Friday.", WEDNESDAY)
    assert [day_of(e) for e in found] == [dt.date(2025, 3, 10), dt.date(2025, 3, 14)]


def test_reported_future_follows_the_verb_nearest_the_weekday():
    found = find_time_expressions(
        "The minister, speaking on Monday, said the talks will resume on Thursday.", WEDNESDAY)
    assert [day_of(e) for e in found] == [dt.date(2025, 3, 10), dt.date(2025, 3, 13)]
    assert [e.tense for e in found] == [Tense.PAST, Tense.FUTURE]


def test_phrases_that_fix_their_own_direction_set_their_tense():
    found = find_time_expressions("He said yesterday he would fly to Quito next week.", WEDNESDAY)
    assert [e.tense for e in found] == [Tense.PAST, Tense.FUTURE]


def test_possessive_weekday_is_a_weekday():
    expression = only("Monday’s meeting in Lima was cordial.")
    assert expression.text == "Monday"
    assert day_of(expression) == dt.date(2025, 3, 10)


def test_weekday_with_time_of_day_is_one_expression():
    assert only("They dined in Lima on Tuesday evening.").text == "on Tuesday evening"


def test_last_and_next_weekday_skip_the_reference_day():
    assert day_of(only("They spoke last Wednesday by phone.")) == dt.date(2025, 3, 5)
    assert day_of(only("They speak again next Wednesday.")) == dt.date(2025, 3, 19)


def test_weekday_without_reference_keeps_the_weekday_and_no_value():
    expression = only("The envoys met in Lima on Tuesday.", None)
    assert expression.value is None
    assert expression.weekday == 1


def test_untensed_weekday_is_read_as_past_but_uncertain():
    expression = only("Envoys in Lima on Monday")
    assert day_of(expression) == dt.date(2025, 3, 10)
    assert expression.value.certainty is Certainty.UNCERTAIN


def test_plural_weekdays_are_habits_not_dates():
    assert texts("The market opens on Tuesdays.") == []


# --- weekday and date together ----------------------------------------------


def test_weekday_with_bracketed_date_is_one_expression_and_the_date_wins():
    expression = only("The envoy arrived in Lima on Sunday (March 9th) for talks.")
    assert expression.text == "on Sunday (March 9th)"
    assert day_of(expression) == dt.date(2025, 3, 9)
    assert expression.weekday == 6
    assert expression.value.certainty is Certainty.INFERRED


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("On Tuesday, March 11, the envoy met the mayor.", "On Tuesday, March 11"),
        ("The envoy met the mayor Tuesday March 11 in Lima.", "Tuesday March 11"),
        ("The envoy met the mayor on Tuesday 11 March.", "on Tuesday 11 March"),
    ],
)
def test_weekday_followed_by_date_is_one_expression(text, phrase):
    expression = only(text)
    assert expression.text == phrase
    assert day_of(expression) == dt.date(2025, 3, 11)


def test_weekday_that_disagrees_with_the_date_keeps_the_date_and_lowers_certainty():
    expression = only("The envoy arrived on Monday (March 9th) in Lima.")
    assert day_of(expression) == dt.date(2025, 3, 9)
    assert expression.value.certainty is Certainty.UNCERTAIN
    assert "Sunday" in expression.value.basis


def test_weekday_and_date_without_reference_keep_the_weekday():
    expression = only("The conference will open on Wednesday March 12.", None)
    assert expression.value is None
    assert expression.weekday == 2


# --- relative days and periods ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mayor resigned yesterday.", "2025-03-11"),
        ("The mayor resigns today.", "2025-03-12"),
        ("The mayor speaks tonight.", "2025-03-12"),
        ("The mayor will resign tomorrow.", "2025-03-13"),
        ("The mayor resigned two days ago.", "2025-03-10"),
    ],
)
def test_relative_days_count_from_the_reference(text, expected):
    assert day_of(only(text)) == dt.date.fromisoformat(expected)


def test_last_month_and_last_year_are_the_previous_month_and_year():
    found = find_time_expressions(
        "Last month the bloc admitted two members. Last year it admitted one.", WEDNESDAY)
    assert [(e.value.precision, e.value.start) for e in found] == [
        (Precision.MONTH, dt.date(2025, 2, 1)), (Precision.YEAR, dt.date(2024, 1, 1))]


def test_next_month_name_is_the_coming_one():
    expression = only("Elections are due next February.")
    assert expression.value.start == dt.date(2026, 2, 1)
    assert expression.value.precision is Precision.MONTH


def test_this_week_covers_monday_to_sunday():
    expression = only("The talks this week were tense.")
    assert (expression.value.start, expression.value.end) == (
        dt.date(2025, 3, 10), dt.date(2025, 3, 16))


def test_relative_day_without_reference_has_no_value():
    assert only("The mayor resigned yesterday.", None).value is None


def test_values_inferred_from_an_uncertain_reference_are_uncertain():
    guessed = Reference(dt.date(2025, 3, 12), "publication guessed", Certainty.UNCERTAIN)
    expression = only("The envoys met on Monday.", guessed)
    assert expression.value.certainty is Certainty.UNCERTAIN


# --- anchored dates and durations -------------------------------------------


def test_the_day_after_a_happening_is_related_to_the_phrase_naming_it():
    text = "The deal was signed the day after the lifting of the port blockade. Talks go on."
    expression = only(text)
    assert expression.text == "the day after"
    assert expression.value is None
    assert expression.relation.offset_days == 1
    anchor = expression.relation.anchor
    assert text[anchor.start : anchor.end] == "the lifting of the port blockade"


def test_days_before_an_explicit_date_resolve_to_a_date():
    found = find_time_expressions("Talks began two days before 12 March 2024, aides said.", None)
    anchored = found[0]
    assert anchored.relation.offset_days == -2
    assert anchored.value.start == dt.date(2024, 3, 10)


@pytest.mark.parametrize(
    ("text", "phrase", "days"),
    [
        ("The minister wrapped up a four-day state visit.", "four-day", 4),
        ("The two days of talks ended calmly.", "two days", 2),
        ("The delegates stayed for three days in Lima.", "for three days", 3),
        ("A two-week exercise began.", "two-week", 14),
    ],
)
def test_durations_carry_their_length_in_days_and_no_date(text, phrase, days):
    expression = only(text)
    assert expression.text == phrase
    assert expression.duration_days == days
    assert expression.value is None


# --- vague phrases ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ties have grown in recent years.",
        "The deal has been discussed for a long time.",
        "A decision is expected soon.",
        "After a decade-long embargo, sales resume.",
        "The envoy came for an official visit of several days.",
        "The 21st meeting of the council opened.",
        "One day, the minister said, peace will come.",
    ],
)
def test_vague_phrases_give_no_date(text):
    assert texts(text) == []


# --- offsets, skip spans, tense helpers ---------------------------------------


def test_offsets_are_exact_and_in_text_order():
    text = "Ü\u00a0On Tuesday, March 11, envoys met; on 3 April 2024 they signed; in 2019 too."
    found = find_time_expressions(text, WEDNESDAY)
    assert [e.text for e in found] == ["On Tuesday, March 11", "3 April 2024", "2019"]
    for e in found:
        assert text[e.span.start : e.span.end] == e.text


def test_expressions_inside_skip_spans_are_left_out():
    text = "Posted on Monday. The envoys met on Tuesday."
    found = find_time_expressions(text, WEDNESDAY, skip=[Span(0, 17)])
    assert [e.text for e in found] == ["on Tuesday"]


@pytest.mark.parametrize(
    ("sentence", "tense"),
    [
        ("The ministers met in Lima.", Tense.PAST),
        ("The ministers will meet in Lima.", Tense.FUTURE),
        ("The summit is scheduled to open in Lima.", Tense.FUTURE),
        ("The ministers are in Lima.", Tense.UNKNOWN),
    ],
)
def test_sentence_tense(sentence, tense):
    assert sentence_tense(sentence) is tense


def test_resolve_weekday_includes_the_reference_day_both_ways():
    wednesday = dt.date(2025, 3, 12)
    assert resolve_weekday(2, wednesday, Tense.PAST) == wednesday
    assert resolve_weekday(2, wednesday, Tense.FUTURE) == wednesday
    assert resolve_weekday(4, wednesday, Tense.PAST) == dt.date(2025, 3, 7)
    assert resolve_weekday(4, wednesday, Tense.FUTURE) == dt.date(2025, 3, 14)


def test_years_matching_weekday_are_nearest_first():
    years = years_matching_weekday(3, 12, 2, around=2024, span=10)
    assert years[0] == 2025
    assert all(dt.date(y, 3, 12).weekday() == 2 for y in years)
    assert all(abs(y - 2024) <= 10 for y in years)


def test_years_matching_weekday_handles_29_february():
    years = years_matching_weekday(2, 29, 3, around=2024, span=10)
    assert years == [2024]


# --- the bundled articles ---------------------------------------------------


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def test_bundled_article_with_weekday_and_date_resolves_them_together():
    text = seed_texts()[0]
    reference = Reference(dt.date(2021, 10, 20), "article published 2021-10-20")
    found = {e.text: e for e in find_time_expressions(text, reference)}
    assert day_of(found["On Tuesday, October 19"]) == dt.date(2021, 10, 19)
    assert day_of(found["on Sunday (October 17th)"]) == dt.date(2021, 10, 17)


def test_bundled_articles_resolve_without_error_and_with_exact_offsets():
    reference = Reference(dt.date(2021, 10, 20), "article published 2021-10-20")
    for text in seed_texts():
        for e in find_time_expressions(text, reference):
            assert text[e.span.start : e.span.end] == e.text


# --- weekday beside a numeric date -----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Filed on Wednesday, 3/4/2024 by the clerk", "2024-04-03"),
        ("Filed on Monday, 3/4/2024 by the clerk", "2024-03-04"),
        ("Tuesday, 19/11/2024 08:30", "2024-11-19"),
    ],
)
def test_a_weekday_beside_a_slashed_date_picks_the_reading_that_falls_on_it(text, expected):
    expression = only(text)
    assert expression.text.lower().startswith(("on ", "tuesday"))
    assert day_of(expression) == dt.date.fromisoformat(expected)


def test_a_weekday_fitting_neither_reading_leaves_a_slashed_date_ambiguous():
    assert texts("Filed on Friday, 3/4/2024.") == ["on Friday"]


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ((17, 3, 2024, None, None), "2024-03-17"),  # a day above 12 settles it
        ((3, 17, 2024, None, None), "2024-03-17"),
        ((5, 5, 2024, None, None), "2024-05-05"),  # both readings agree
        ((3, 4, 2024, None, None), None),
        ((3, 4, 2024, 2, None), "2024-04-03"),  # Wednesday
        ((3, 4, 2024, None, True), "2024-04-03"),
        ((3, 4, 2024, None, False), "2024-03-04"),
        ((31, 31, 2024, None, True), None),
    ],
)
def test_reading_a_slashed_date(parts, expected):
    first, second, year, weekday, day_first = parts
    read = read_slashed_date(first, second, year, weekday=weekday, day_first=day_first)
    assert read == (dt.date.fromisoformat(expected) if expected else None)


def test_possessive_weekday_with_a_bracketed_date_is_one_expression():
    expression = only("Officials praised Monday’s port talks (March 10) in Quito.")
    assert expression.text == "Monday’s port talks (March 10)"
    assert day_of(expression) == dt.date(2025, 3, 10)
    assert expression.weekday == 0


# --- passive future ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The talks will be held in Quito on Friday.",
        "The envoy is due to be received by the mayor on Friday, aides said.",
        "Traffic was diverted and the bridge will remain closed until Friday.",
    ],
)
def test_a_participle_after_be_is_passive_not_past(text):
    expression = only(text)
    assert expression.tense is Tense.FUTURE
    assert day_of(expression) == dt.date(2025, 3, 14)


# --- days counted from the date just told -----------------------------------


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("The envoy landed in Quito on Monday. The next day she met the mayor.",
         "The next day", "2025-03-11"),
        ("The envoy met the mayor on March 4. The day before, she toured the port.",
         "The day before", "2025-03-03"),
        ("The envoys met on 2 March and again two days later.", "two days later", "2025-03-04"),
        ("The envoy landed on Monday and was received by the mayor the same evening.",
         "the same evening", "2025-03-10"),
        ("The fair ran 3-5 March. The following day the stalls were cleared.",
         "The following day", "2025-03-06"),
    ],
)
def test_a_day_told_relative_to_the_last_date_counts_from_it(text, phrase, expected):
    found = find_time_expressions(text, WEDNESDAY)
    anchor, sequel = found[-2], found[-1]
    assert sequel.text == phrase
    assert day_of(sequel) == dt.date.fromisoformat(expected)
    assert sequel.relation is not None and sequel.relation.anchor == anchor.span


def test_the_next_day_in_an_undated_text_keeps_the_weekday_that_follows():
    found = find_time_expressions("The envoy landed on Sunday. The next day she met the mayor.",
                                  None)
    assert (found[-1].value, found[-1].weekday) == (None, 0)


def test_the_next_day_without_a_day_before_it_has_no_date():
    assert only("In March the port was closed. The next day it reopened.").text == "March"
    assert texts("The next day the port reopened.") == []


def test_the_day_before_a_named_happening_stays_anchored_to_it():
    expression = only("The envoys met the day before the vote in Quito.")
    assert expression.text == "the day before"
    assert expression.relation.offset_days == -1
    assert expression.value is None


# --- next weekday and vague weeks ----------------------------------------------


def test_next_weekday_from_a_sunday_is_the_coming_one():
    sunday = Reference(dt.date(2025, 3, 9), "article published 2025-03-09")
    expression = only("The envoys will meet in Quito next Friday.", sunday)
    assert day_of(expression) == dt.date(2025, 3, 14)


def test_weeks_give_no_single_day():
    earlier, last = find_time_expressions(
        "The envoys met earlier this week. Their aides met last week.", WEDNESDAY)
    assert (earlier.value.start, earlier.value.end) == (dt.date(2025, 3, 10),
                                                        dt.date(2025, 3, 11))
    assert (last.value.start, last.value.end) == (dt.date(2025, 3, 3), dt.date(2025, 3, 9))
    assert earlier.value.is_span and last.value.is_span


# --- properties -------------------------------------------------------------

_WORDS = st.sampled_from([
    "on", "Tuesday", "Sunday", "(", ")", "March", "Oct.", "9th", "19", "2021", "20.10.2021",
    "2024-03-03", "the", "day", "after", "before", "two", "days", "four-day", "will", "met",
    "in", "last", "next", "month", "year", "ago", "yesterday", ",", ".", "\n", "’s", "JUL",
    "22", "-", "of", "ü", "\u00a0", "for", "week", "1992", "4,000", "mid-", "later", "next",
    "same", "evening", "3/4/2024", "Monday’s", "be", "held",
])
_TEXTS = st.one_of(st.text(max_size=300), st.lists(_WORDS, max_size=60).map(" ".join),
                   st.lists(_WORDS, max_size=60).map("".join))
_REFERENCES = st.one_of(
    st.none(),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(
        lambda d: Reference(d, f"article published {d}")),
)


@settings(max_examples=300, deadline=None)
@given(_TEXTS, _REFERENCES)
def test_any_text_gives_exact_non_overlapping_expressions_without_raising(text, reference):
    found = find_time_expressions(text, reference)
    for e in found:
        assert text[e.span.start : e.span.end] == e.text
    for a, b in itertools.pairwise(found):
        assert a.span.end <= b.span.start


@settings(max_examples=100, deadline=None)
@given(_TEXTS, _REFERENCES)
def test_finding_is_deterministic(text, reference):
    assert find_time_expressions(text, reference) == find_time_expressions(text, reference)


def test_long_unpunctuated_line_is_handled():
    text = ("on Monday the day after 2021 " * 7000)[:200_000]
    found = find_time_expressions(text, WEDNESDAY)
    assert found and all(text[e.span.start : e.span.end] == e.text for e in found)


# The scanners try their patterns only near the words a phrase must hold; these pin
# down phrases whose words lie far apart or whose text defeats plain lower-casing.


def test_weekday_date_is_one_phrase_across_a_long_run_of_spaces():
    text = "They met on" + " " * 40 + "Friday, October 19, in Lima."
    assert texts(text) == ["on" + " " * 40 + "Friday, October 19"]


def test_relative_dates_found_in_text_whose_lower_case_changes_length():
    # "İ" lower-cases to two characters: offsets must still point into the text as read.
    text = "The İstanbul talks ended three days ago; the next day was quiet."
    found = find_time_expressions(text, WEDNESDAY)
    assert [text[e.span.start : e.span.end] for e in found] == ["three days ago", "the next day"]
    assert day_of(found[1]) == dt.date(2025, 3, 10)


def test_contraction_after_a_future_word_counts_once():
    assert sentence_tense("They will'll meet") is Tense.FUTURE


def test_a_range_written_from_one_day_to_another_spans_both_days():
    expression = only("The visit ran from 19 to 22 October 2024 in Quito.")
    assert expression.text == "19 to 22 October 2024"
    assert (expression.value.start, expression.value.end) == (
        dt.date(2024, 10, 19), dt.date(2024, 10, 22))


def test_a_future_phrase_with_an_adverb_inside_is_still_future():
    assert sentence_tense("The minister is also scheduled to hold talks on Thursday.") \
        is Tense.FUTURE


def test_the_next_day_tells_of_a_sequence_not_the_future():
    assert sentence_tense("The next day he sat down with the harbour chief.") is Tense.PAST


def test_the_day_before_counts_from_the_last_date_told_a_few_paragraphs_up():
    filler = "The two delegations discussed training, logistics and the exchange of cadets. " * 9
    text = f"The talks were held on 3 March 2025.\n\n{filler}\n\nThe day before, he toured a base."
    sequel = [e for e in find_time_expressions(text, WEDNESDAY) if e.text == "The day before"]
    assert len(filler) > 600 and day_of(sequel[0]) == dt.date(2025, 3, 2)


def test_the_next_day_after_a_date_the_text_cannot_place_counts_from_that_date():
    text = "He landed on Wednesday.\n\nTalks opened on Oct. 19.\n\nThe next day he toured a base."
    found = find_time_expressions(text, None)
    sequel = next(e for e in found if e.text == "The next day")
    assert sequel.value is None and sequel.weekday is None
    assert text[sequel.relation.anchor.start:sequel.relation.anchor.end] == "Oct. 19"
    assert sequel.relation.offset_days == 1


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("The minister was received on friday 16 may 2025 by the president.",
         "on friday 16 may 2025", "2025-05-16"),
        ("On wednesday 12 march the talks opened.", "On wednesday 12 march", "2025-03-12"),
        ("The fund opens in october 2025.", "october 2025", "2025-10-01"),
    ],
)
def test_translated_copy_that_writes_dates_in_lower_case_is_read(text, phrase, expected):
    expression = only(text)
    assert expression.text == phrase == text[expression.span.start:expression.span.end]
    assert expression.value.start.isoformat() == expected


def test_lower_case_may_and_march_as_words_are_no_dates():
    assert texts("Troops march 12 km a day and may 2 more units join them.") == []


def test_an_ambiguous_slashed_date_is_read_the_way_the_text_writes_its_other_dates():
    text = "Dakar, 17/05/2025 - The envoy had been in Nouakchott on 03/02/2025."
    assert [(e.text, e.value.start) for e in find_time_expressions(text, WEDNESDAY)] == [
        ("17/05/2025", dt.date(2025, 5, 17)), ("03/02/2025", dt.date(2025, 2, 3))]
    assert texts("The envoy had been in Nouakchott on 03/02/2025.") == []


def test_a_header_date_with_a_two_digit_year_is_read_day_first():
    expression = only("Posted on 14.03.25 by the desk")
    assert (expression.text, day_of(expression)) == ("14.03.25", dt.date(2025, 3, 14))
    assert texts("Version 1.02.25 of the app was released.") == []


def test_the_following_year_counts_from_the_year_just_told():
    text = "They signed an accord in 1981, and Vlovenia joined the council the following year."
    sequel = [e for e in find_time_expressions(text, WEDNESDAY) if e.text == "the following year"]
    assert (sequel[0].value.start, sequel[0].value.precision) == (dt.date(1982, 1, 1),
                                                                  Precision.YEAR)
    assert "1981" in sequel[0].value.basis


def test_earlier_in_the_day_is_the_day_just_told():
    text = "The talks were held on 3 March 2025. Earlier in the day, he toured a base."
    sequel = [e for e in find_time_expressions(text, WEDNESDAY) if e.text == "Earlier in the day"]
    assert day_of(sequel[0]) == dt.date(2025, 3, 3)


def test_a_date_cut_by_a_skip_span_leaves_its_weekday_found():
    text = "The envoy arrived on Tuesday, October 19 for talks."
    start = text.index("October")
    found = find_time_expressions(text, WEDNESDAY, skip=[Span(start, start + 10)])
    assert [e.text for e in found] == ["on Tuesday"]
    # The skip spans of one call leave later calls on the same text untouched.
    assert texts(text) == ["on Tuesday, October 19"]


def test_a_tense_word_is_found_just_after_a_capitalised_phrase_that_is_none():
    # "Is Expected to" is no "is expected to"; its "Expected to" is still a future marker.
    assert sentence_tense("The Minister Is Expected to arrive on Friday") is Tense.FUTURE
    assert sentence_tense("THEY WILL meet on Friday") is Tense.UNKNOWN


@pytest.mark.parametrize(("text", "phrase", "year"), [
    ("Last spring it was Lima's turn.", "Last spring", 2024),  # spring 2025 under way
    ("They met last autumn in Cairo.", "last autumn", 2024),
    ("They met last winter in Cairo.", "last winter", 2024),  # December 2024 to February
    ("They will meet this summer.", "this summer", 2025),
    ("They met in the summer of 2023.", "summer of 2023", 2023),
    ("They met in spring 2022.", "spring 2022", 2022),
])
def test_a_season_is_dated_to_the_year_it_starts_in(text, phrase, year):
    reference = Reference(dt.date(2025, 3, 12), "article published 2025-03-12")
    expression = only(text, reference)
    assert (expression.text, expression.value.precision) == (phrase, Precision.YEAR)
    assert expression.value.start == dt.date(year, 1, 1)
    assert phrase in expression.value.basis


def test_the_fall_of_a_city_is_no_season():
    assert texts("Since the fall of the city the talks have stalled.") == []


# --- year-less dates under a heading that names the year ------------------------------------

DECEMBER = Reference(dt.date(2024, 12, 16), "article published 2024-12-16")


def test_year_less_bullets_under_a_heading_naming_a_year_take_that_year():
    text = ("Issue 12 | 16 December 2024\n\n2024 AT A GLANCE: A TIMELINE\n\n"
            "- 5 Feb: Defence Minister Ana Duarte holds talks with General Tomas Rivera.\n"
            "- 11 Mar: Duarte in Lima for talks.\n")
    found = {e.text: e.value for e in find_time_expressions(text, DECEMBER)}
    assert found["5 Feb"].start == dt.date(2024, 2, 5)
    assert found["11 Mar"].start == dt.date(2024, 3, 11)
    assert "heading above" in found["5 Feb"].basis


def test_a_full_date_on_a_header_line_is_no_heading_year():
    text = ("Issue 12 | 16 December 2024\n\n"
            "- 5 Feb: Defence Minister Ana Duarte holds talks with General Tomas Rivera.\n")
    found = {e.text: e.value for e in find_time_expressions(text, DECEMBER)}
    assert found["5 Feb"].start == dt.date(2025, 2, 5)  # the nearest, as without a heading


@pytest.mark.parametrize(("text", "phrase", "start", "end"), [
    ("Talks were held on 26 and 27 February in Lima.", "26 and 27 February", "2024-02-26",
     "2024-02-27"),
    ("Talks were held on February 26 and 27 in Lima.", "February 26 and 27", "2024-02-26",
     "2024-02-27"),
    ("Talks were held on 3 and 10 March in Lima.", "10 March", "2024-03-10", "2024-03-10"),
    ("Talks were held on March 3 and 10 in Lima.", "March 3", "2024-03-03", "2024-03-03"),
])
def test_two_days_joined_by_and_are_a_span_only_when_they_follow_each_other(
        text, phrase, start, end):
    found = find_time_expressions(text, Reference(dt.date(2024, 6, 1), "article"))
    assert [(e.text, e.value.start.isoformat(), e.value.end.isoformat()) for e in found] == [
        (phrase, start, end)]


def test_a_year_named_inside_a_headline_is_no_lists_year():
    text = ("Gulf states press ahead with Vision 2030 plans\n\n"
            "- 13 May: Defence Minister Ana Duarte meets General Tomas Rivera.\n")
    found = {e.text: e.value for e in find_time_expressions(text, DECEMBER)}
    assert found["13 May"].start.year in (2024, 2025)
