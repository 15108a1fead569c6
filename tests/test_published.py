"""The publication date an article's own text states or implies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from viewer.core.model import Certainty, Chrome, Document, Span
from viewer.core.published import find_publication_date

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


def test_weekday_date_without_any_year_in_the_text_gives_nothing():
    text = "Envoys meet\n\nThe council will meet on Friday March 14 to decide.\n"
    assert find_publication_date(doc(text)) == (None, None)


def test_weekday_dates_inside_chrome_are_ignored_for_inference():
    body = "Envoys meet\n\nThe pact of 2024 holds.\n"
    footer = "Webinar will be held on Friday March 14.\n"
    text = body + footer
    chrome = (Chrome(Span(len(body), len(text)), "footer"),)
    assert find_publication_date(doc(text, chrome)) == (None, None)


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
