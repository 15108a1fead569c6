"""The publication date an article's own text states or implies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from viewer.core.model import Certainty, Chrome, Document, Span
from viewer.core.published import find_dateline, find_place_dateline, find_publication_date

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def doc(text: str, chrome: tuple[Chrome, ...] = ()) -> Document:
    return Document(id="a.txt", path="/corpus/a.txt", text=text, title="", chrome=chrome)


def test_date_after_a_publication_word_is_stated_in_the_text():
    value, basis = find_publication_date(doc("Publicat în 04.03.2025\n\nEnvoys meet in Lima\n"))
    assert basis == "text"
    assert value.start == dt.date(2025, 3, 4)
    assert value.certainty is Certainty.STATED
    assert value.basis == "'Publicat în 04.03.2025' in the article header"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Posted: March 4, 2025", "2025-03-04"),
        ("Veröffentlicht am 04.03.2025", "2025-03-04"),
        ("  March 4, 2025   Story ID 8812", "2025-03-04"),
        ("04 MAR 25", "2025-03-04"),
        ("2025-03-04 09:30", "2025-03-04"),
    ],
)
def test_header_dates_are_stated_in_the_text(header, expected):
    text = f"Envoys meet in Lima\n\n{header}\nThe envoys met on Monday in Lima.\n"
    value, basis = find_publication_date(doc(text))
    assert basis == "text"
    assert value.start == dt.date.fromisoformat(expected)


def test_dateline_with_full_date_is_stated():
    text = "LIMA, March 4, 2025 (Andes Wire) – The envoys met on Monday.\n"
    value, basis = find_publication_date(doc(text))
    assert (value.start, basis) == (dt.date(2025, 3, 4), "text")
    assert "dateline" in value.basis


def test_dateline_without_year_takes_the_latest_year_the_text_names_as_uncertain():
    text = "LIMA, Mar. 4 (Andes Wire) – The envoys met. The pact dates from 2024.\n"
    value, basis = find_publication_date(doc(text))
    assert basis == "inferred"
    assert value.start == dt.date(2024, 3, 4)
    assert value.certainty is Certainty.UNCERTAIN


@pytest.mark.parametrize("stamp", ["02/01/2025 11:05 GMT", "01/02/2025 11:05"])
def test_a_year_less_dateline_takes_its_year_from_a_slashed_stamp_read_its_way(stamp):
    text = (f"RIYADH, Jan 2 (Gulf Wire) - The envoys met last Thursday. The pact dates from "
            f"2024.\n\n{stamp}\n")
    value, basis = find_publication_date(doc(text))
    assert (value.start, basis) == (dt.date(2025, 1, 2), "text")


def test_a_slashed_stamp_of_another_day_dates_no_year_less_dateline():
    text = "RIYADH, Jan 2 (Gulf Wire) - The envoys met.\n\n05/03/2025 11:05 GMT\n"
    value, _ = find_publication_date(doc(text))
    assert value is None or value.start != dt.date(2025, 1, 2)


def test_dateline_without_any_year_gives_nothing():
    text = "LIMA, Mar. 4 (Andes Wire) – The envoys met on Monday.\n"
    assert find_publication_date(doc(text)) == (None, None)


def test_event_date_inside_a_headline_is_not_a_publication_date():
    text = "Envoys sign pact on 3 March 2025 in Lima\n\nThe envoys signed it.\n"
    assert find_publication_date(doc(text)) == (None, None)


def test_future_weekday_date_bounds_publication_from_above():
    text = ("Envoys meet in Lima\n\nThe pact signed in 2024 is under review. "
            "The council will meet on Friday March 14 to decide.\n")
    value, basis = find_publication_date(doc(text))
    assert basis == "inferred"
    assert value.start == dt.date(2025, 3, 14)  # the Friday nearest after 2024
    assert value.certainty is Certainty.UNCERTAIN
    assert value.basis == ("on or before 2025-03-14: 'on Friday March 14' "
                           "is still to come in the text")


def test_past_weekday_date_bounds_publication_from_below():
    text = ("Envoys met in Lima\n\nThe pact signed in 2024 was reviewed. "
            "The council met on Friday March 14 to decide.\n")
    value, basis = find_publication_date(doc(text))
    assert basis == "inferred"
    assert value.start == dt.date(2025, 3, 14)
    assert value.basis.startswith("on or after 2025-03-14")


def test_a_year_the_text_looks_ahead_to_does_not_push_a_weekday_date_years_on():
    text = ("Envoys met in Lima\n\nThe ministers met on Thursday, 19 March, to review the "
            "plan approved in January 2026. Funds arrived in February 2026. Delivery is "
            "expected in 2027.\n")
    value, basis = find_publication_date(doc(text))
    assert basis == "inferred"
    assert value.start == dt.date(2026, 3, 19)  # not 2037, the next Thursday 19 March after 2027


@pytest.mark.parametrize("header", [
    "Amman, 14 May 2026\n\n",
    "Harbour Monitor\nAmman, 14 May 2026\n\n",
    "Amman, 14 May 2026 | The Harbour Monitor | Politics\n\n",
    "The Harbour Monitor | Thursday 14 May 2026\n\n",
    "Politics | Thursday, 14 May 2026\n\n",
])
def test_a_place_and_date_heading_the_article_is_its_publication_date(header):
    text = header + "Speaker to visit Rome\n\nThe Speaker will travel to Rome next month.\n"
    value, basis = find_publication_date(doc(text))
    assert basis == "text"
    assert value.start == dt.date(2026, 5, 14)
    assert value.certainty is Certainty.STATED
    assert "14 May 2026" in value.basis


@pytest.mark.parametrize(("header", "expected"), [
    ("Buenos Aires, martes 11 de noviembre de 2025", dt.date(2025, 11, 11)),
    ("Lisboa, 3 de março de 2025 | Política", dt.date(2025, 3, 3)),
    ("Mis à jour le 1er août 2024", dt.date(2024, 8, 1)),
    ("Berlin, 5. Dezember 2023", dt.date(2023, 12, 5)),
])
def test_a_date_in_the_outlets_own_language_in_the_header_dates_the_article(header, expected):
    text = header + "\n\nEnvoys meet\n\nThe ministers spoke by telephone on Monday.\n"
    value, basis = find_publication_date(doc(text))
    assert (basis, value.start, value.certainty) == ("text", expected, Certainty.STATED)


def test_a_header_line_of_two_calendars_gives_its_gregorian_date():
    text = ("Sepehr News\nTehran, 15 Ordibehesht 1405 (May 5, 2026) - 13:48\n\n"
            "Ministers meet\n\nThe ministers met on Monday.\n")
    value, basis = find_publication_date(doc(text))
    assert (basis, value.start) == ("text", dt.date(2026, 5, 5))


def test_an_ambiguous_slashed_publication_date_is_read_near_the_days_the_text_names():
    text = ("Published 04/06/2026 at 19:40\n\nMinisters meet\n\nThe minister is on a visit "
            "to Paris from 3 to 5 June.\n")
    value, basis = find_publication_date(doc(text))
    assert (basis, value.start) == ("text", dt.date(2026, 6, 4))


def test_a_headline_with_a_date_is_no_header_date():
    text = "Envoys meet\n\nThe ministers will meet again on May 12, 2026 in Lima.\n"
    value, _ = find_publication_date(doc(text))
    assert value is None or value.start != dt.date(2026, 5, 12) or value.certainty is not \
        Certainty.STATED


def test_a_page_of_one_long_line_of_dates_keeps_its_header_date():
    # Every date on the line is judged by the text near it (a page like this once took
    # minutes: each date rescanned the whole line before it).
    dates = " ".join(f"{d % 28 + 1} March {1990 + d % 40} and" for d in range(3000))
    text = "Published 3 March 2025\n\nDates " + dates + "\n"
    value, basis = find_publication_date(doc(text))
    assert (basis, value.start) == ("text", dt.date(2025, 3, 3))


def test_a_place_and_date_inside_a_sentence_is_no_header():
    text = ("Envoys meet\n\nThe accord, signed in Lima, 3 March 2021, still holds, the "
            "minister said on Friday March 14.\n")
    value, _ = find_publication_date(doc(text))
    assert value is None or value.start != dt.date(2021, 3, 3)


def test_weekday_date_without_any_year_in_the_text_gives_nothing():
    text = "Envoys meet\n\nThe council will meet on Friday March 14 to decide.\n"
    assert find_publication_date(doc(text)) == (None, None)


def test_weekday_dates_inside_chrome_are_ignored_for_inference():
    body = "Envoys meet\n\nThe pact of 2024 holds.\n"
    footer = "Webinar will be held on Friday March 14.\n"
    text = body + footer
    chrome = (Chrome(Span(len(body), len(text)), "footer"),)
    assert find_publication_date(doc(text, chrome)) == (None, None)


def test_dateline_without_year_takes_its_year_from_a_footer_timestamp_of_the_same_day():
    body = "The envoys met on Monday in Lima. " * 30
    text = (f"Envoys meet\n\nLIMA, Mar. 4 (Andes Wire) – {body}\n\n"
            "March 4, 2025 6:12 PM GMT-5 · Updated 3 hours ago\n")
    value, basis = find_publication_date(doc(text))
    assert (value.start, basis) == (dt.date(2025, 3, 4), "text")
    assert value.certainty is Certainty.STATED
    assert "'March 4, 2025'" in value.basis


def test_dateline_without_year_takes_the_year_of_a_later_update_line():
    body = "The envoys met on Monday in Lima. " * 30
    text = (f"Envoys meet\n\nLIMA, Dec. 30 (Andes Wire) – {body}\n\n"
            "Last updated 2 January 2025\n")
    value, basis = find_publication_date(doc(text))
    assert (value.start, basis) == (dt.date(2024, 12, 30), "inferred")
    assert value.certainty is Certainty.INFERRED


def test_dateline_without_year_takes_the_year_of_the_copyright_line():
    text = "LIMA, Mar. 4 (Andes Wire) – The envoys met on Monday.\n\n© 2019–2025 Andes Wire\n"
    value, basis = find_publication_date(doc(text))
    assert (value.start, basis) == (dt.date(2025, 3, 4), "inferred")
    assert "copyright" in value.basis


def test_a_date_and_time_alone_on_a_footer_line_stamps_the_article():
    body = "The envoys met on Monday in Lima. " * 30
    text = f"Envoys meet\n\n{body}\n\n4 March 2025 18:12\n"
    value, basis = find_publication_date(doc(text))
    assert (value.start, basis) == (dt.date(2025, 3, 4), "text")


def test_an_event_date_with_a_time_inside_a_sentence_is_no_timestamp():
    body = "The envoys met on Monday in Lima. " * 30
    text = f"Envoys meet\n\n{body}The vote is on 4 March 2025 at 18:00 in Lima.\n"
    assert find_publication_date(doc(text)) == (None, None)


@pytest.mark.parametrize(
    ("header", "language", "expected"),
    [
        ("Tuesday, 5/3/2024 08:30 (GMT-5)", None, "2024-03-05"),  # 3 May 2024 is a Friday
        ("Friday, 5/3/2024 08:30 (GMT-5)", None, "2024-05-03"),
        ("Publicado el 05/03/2024", None, "2024-03-05"),
        ("Publié le 05/03/2024", None, "2024-03-05"),
        ("Опубликовано 05/03/2024", None, "2024-03-05"),
        ("Posted 05/03/2024", "es", "2024-03-05"),
        ("Posted 25/03/2024", None, "2024-03-25"),
        ("Posted 05/03/2024", None, None),  # English writes it both ways
    ],
)
def test_slashed_header_dates_are_read_by_weekday_or_language(header, language, expected):
    text = f"Envoys meet in Lima\n{header}\n\nThe envoys met on Monday in Lima.\n"
    value, basis = find_publication_date(Document(id="a.txt", path="/corpus/a.txt", text=text,
                                                  title="", language=language))
    if expected is None:
        assert (value, basis) == (None, None)
    else:
        assert (value.start, basis) == (dt.date.fromisoformat(expected), "text")


def test_the_dateline_span_covers_place_date_and_agency():
    text = "Envoys meet\n\nLIMA, 4 March 2025 (Andes Wire) – The envoys met on Monday.\n"
    span = find_dateline(text)
    assert text[span.start : span.end] == "LIMA, 4 March 2025 (Andes Wire) –"
    assert find_dateline("Envoys meet\n\nThe envoys met on 4 March 2025.\n") is None


def test_text_without_dates_gives_nothing():
    assert find_publication_date(doc("Envoys meet\n\nThey met in Lima.\n")) == (None, None)
    assert find_publication_date(doc("")) == (None, None)


# --- the bundled articles ---------------------------------------------------


def seed_documents() -> list[Document]:
    return [
        Document(id=p.name, path=str(p), text=p.read_text(encoding="utf-8"), title="")
        for p in sorted(SEEDS.glob("*.txt"))
    ]


@pytest.mark.parametrize(
    ("index", "expected", "expected_basis"),
    [
        (0, "2021-10-20", "text"),
        (1, "2021-10-20", "inferred"),
        (2, "2021-10-18", "text"),
        (3, None, None),
        (4, None, None),
    ],
)
def test_bundled_articles(index, expected, expected_basis):
    value, basis = find_publication_date(seed_documents()[index])
    assert basis == expected_basis
    if expected is None:
        assert value is None
    else:
        assert value.start == dt.date.fromisoformat(expected)


def test_a_title_case_dateline_with_a_numeric_date_is_a_dateline():
    text = "Minister back from Europe\n\nQuito, 14/03/2025.– The Minister of Defence returned.\n"
    span = find_dateline(text)
    assert span is not None and text[span.start:span.end] == "Quito, 14/03/2025.–"
    published, basis = find_publication_date(doc(text))
    assert (published.start, basis) == (dt.date(2025, 3, 14), "text")


@pytest.mark.parametrize(("line", "place"), [
    ("BRUSSELS (AP) — The minister arrived.", "BRUSSELS"),
    ("NEW DELHI: The army chief met his guest.", "NEW DELHI"),
    ("The minister said: we will meet.", None),
])
def test_a_dateline_without_a_date_gives_its_place(line, place):
    text = f"Headline\n\n{line}\n"
    span = find_place_dateline(text)
    assert (text[span.start:span.end] if span else None) == place


def test_a_footer_line_of_just_published_and_a_date_stamps_the_article():
    body = "Defence Secretary hosts counterpart\n\n" + "The talks went well today. " * 40
    value, basis = find_publication_date(doc(body + "\n\nPublished 11 March 2025\n"
                                             "Last updated 12 March 2025\n"))
    assert (value.start, value.certainty, basis) == (dt.date(2025, 3, 11), Certainty.STATED,
                                                     "text")
    # A date after "published" inside a sentence stamps nothing.
    value, _ = find_publication_date(doc(body + "\n\nThe report was published 11 March 2025 "
                                             "by the committee.\n"))
    assert value is None or value.certainty is not Certainty.STATED
