"""The publication date an article's own text states, or lets us bound.

Only for articles whose manifest gives no date. In order of trust:

1. a date after a publication word ("Publicat în 20.10.2021", "Posted: 3 May 2024")
   in the first few hundred characters;
2. a full date opening a line near the top ("  October 18, 2021   News ID 4529"),
   or a dateline ("LIMA, 9 March 2025 (Agency) -");
3. a dateline without a year ("LIMA, Oct. 19 (Agency) -"): the month and day are
   certain, the year is not; the latest year the text names is taken, as UNCERTAIN;
   with no year in the text the dateline gives nothing;
4. a weekday-and-date without a year ("on Wednesday October 20"): the weekday fixes
   the year (the fitting year nearest the latest year the text names); if the text
   tells of it in the future tense the article was published on or before that day,
   in the past tense on or after it. The bound itself is returned, as UNCERTAIN.

Site chrome is searched for the header dates (publication lines often sit in it) but
not for the inferred ones.
"""

from __future__ import annotations

import datetime as dt
import re

from viewer.core.dates import (
    DatePhrase,
    find_date_phrases,
    find_time_expressions,
    years_matching_weekday,
)
from viewer.core.model import Certainty, DateValue, Document, Precision, Span, Tense

HEADER_REACH = 600  # how far into the text a header date may start
_DATELINE_REACH = 1200

_PUBLICATION_WORD = re.compile(
    r"(?i:published|publicat|publicată|publié|publiée|publicado|publicada|pubblicato|"
    r"veröffentlicht|gepubliceerd|opublikowano|publicerad|publiceret|publisert|julkaistu|"
    r"yayınlandı|опубликовано|posted|updated|date|datum|fecha)\b[^\n\d]{0,15}$"
)
# "MOSCOW, " or "TEHRAN, Iran, " before a dateline's date; a capitalised place, a comma.
_DATELINE_PLACE = re.compile(
    r"^[\s>*]*[A-Z][A-Z.'’\- ]{1,40}(?:,[ \t]*[A-Z][A-Za-z.'’ ]{1,30})?,\s*$"
)
_DATELINE_TAIL = re.compile(r"[ \t]*(?:\([^)\n]{1,40}\))?[ \t]*[-–—:]")


def find_publication_date(doc: Document) -> tuple[DateValue | None, str | None]:
    """The date the text states or implies, with its basis ("text" | "inferred"), else None."""
    text = doc.text if isinstance(doc.text, str) else ""
    if not text:
        return None, None
    header = [p for p in find_date_phrases(text[: _DATELINE_REACH + 80])
              if p.kind == "date" and p.span.start < _DATELINE_REACH]
    stated = _stated_in_header(text, header)
    if stated is not None:
        return stated, "text"
    skip = [c.span for c in doc.chrome]
    phrases = find_date_phrases(text, skip=skip)
    latest_year = max((p.year for p in phrases if p.year is not None and not p.two_digit_year),
                      default=None)
    inferred = _from_undated_dateline(text, header, latest_year)
    if inferred is None:
        inferred = _bounded_by_weekday_dates(text, phrases, skip, latest_year)
    if inferred is not None:
        return inferred, "inferred"
    return None, None


def _line_before(text: str, span: Span) -> str:
    return text[text.rfind("\n", 0, span.start) + 1 : span.start]


def _stated_in_header(text: str, phrases: list[DatePhrase]) -> DateValue | None:
    """A full date after a publication word, opening a header line, or in a dateline."""
    for phrase in phrases:
        if phrase.year is None or phrase.day is None or phrase.month is None:
            continue
        day = dt.date(phrase.year, phrase.month, phrase.day)
        before = _line_before(text, phrase.span)
        if phrase.span.start < HEADER_REACH:
            word = _PUBLICATION_WORD.search(before)
            if word is not None:
                start = phrase.span.start - len(before) + word.start()
                quoted = " ".join(text[start : phrase.span.end].split())
                return _stated(day, f"'{quoted}' in the article header")
            if not before.strip():
                return _stated(day, f"'{_clean(phrase.text)}' in the article header")
        if _is_dateline(text, phrase, before):
            return _stated(day, f"'{_dateline_quote(text, phrase, before)}' dateline")
    return None


def _from_undated_dateline(text: str, phrases: list[DatePhrase],
                           latest_year: int | None) -> DateValue | None:
    """A dateline's month and day, in the latest year the text names."""
    if latest_year is None:
        return None
    for phrase in phrases:
        if phrase.year is not None or phrase.day is None or phrase.month is None:
            continue
        before = _line_before(text, phrase.span)
        if not _is_dateline(text, phrase, before):
            continue
        try:
            day = dt.date(latest_year, phrase.month, phrase.day)
        except ValueError:
            continue
        basis = (f"'{_dateline_quote(text, phrase, before)}' dateline, year {latest_year} "
                 f"assumed: the latest year the text names")
        return DateValue(day, day, Precision.DAY, Certainty.UNCERTAIN, basis)
    return None


def _bounded_by_weekday_dates(text: str, phrases: list[DatePhrase], skip: list[Span],
                              latest_year: int | None) -> DateValue | None:
    """The tightest bound that weekday-dated happenings told in past or future give."""
    if latest_year is None:
        return None
    tenses = {e.span: e.tense for e in find_time_expressions(text, None, skip=skip)}
    upper: list[tuple[dt.date, str]] = []
    lower: list[tuple[dt.date, str]] = []
    for phrase in phrases:
        if (phrase.kind != "date" or phrase.year is not None or phrase.weekday is None
                or phrase.month is None or phrase.day is None):
            continue
        year = _year_by_weekday(phrase.month, phrase.day, phrase.weekday, latest_year)
        if year is None:
            continue
        day = dt.date(year, phrase.month, phrase.day)
        tense = tenses.get(phrase.span, Tense.UNKNOWN)
        if tense is Tense.FUTURE:
            upper.append((day, f"on or before {day.isoformat()}: '{_clean(phrase.text)}' "
                               f"is still to come in the text"))
        elif tense is Tense.PAST:
            lower.append((day, f"on or after {day.isoformat()}: '{_clean(phrase.text)}' "
                               f"has already happened in the text"))
    if upper:
        day, basis = min(upper)
    elif lower:
        day, basis = max(lower)
    else:
        return None
    return DateValue(day, day, Precision.DAY, Certainty.UNCERTAIN, basis)


def _year_by_weekday(month: int, day: int, weekday: int, latest_year: int) -> int | None:
    """The year in which month/day falls on weekday, nearest to the latest year named.

    Years from the latest named one onwards come first: the happenings a text names
    with years are mostly behind it, the weekday-dated ones mostly near its date.
    """
    years = years_matching_weekday(month, day, weekday, around=latest_year, span=10)
    later = [y for y in years if y >= latest_year]
    if later:
        return later[0]
    return years[0] if years else None


def _is_dateline(text: str, phrase: DatePhrase, before: str) -> bool:
    return (phrase.span.start < _DATELINE_REACH
            and _DATELINE_PLACE.match(before) is not None
            and _DATELINE_TAIL.match(text, phrase.span.end) is not None)


def _dateline_quote(text: str, phrase: DatePhrase, before: str) -> str:
    return " ".join((before + text[phrase.span.start : phrase.span.end]).split())


def _clean(phrase: str) -> str:
    return " ".join(phrase.split())


def _stated(day: dt.date, basis: str) -> DateValue:
    return DateValue(day, day, Precision.DAY, Certainty.STATED, basis)
