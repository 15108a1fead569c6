"""The publication date an article's own text states, or lets us bound.

Only for articles whose manifest gives no date. In order of trust:

1. a date after a publication word ("Publicat în 20.10.2021", "Posted: 3 May 2024")
   in the first few hundred characters;
2. a full date opening a line near the top ("  October 18, 2021   News ID 4529",
   "Sunday, 17/3/2024 09:15"), or a dateline ("LIMA, 9 March 2025 (Agency) -");
   a slashed date is read by the weekday beside it, a day above 12, or the language
   of the publication word ("Publicado el 05/03/2024" is day-first);
3. a dateline without a year ("LIMA, Oct. 19 (Agency) -"): the year from a full date
   of the same day elsewhere (a footer timestamp: STATED), else from a timestamp or
   update line or a copyright line (INFERRED), else the latest year the text names
   (UNCERTAIN); with no year in the text the dateline gives nothing; with no
   dateline, a date and time of day alone on a line anywhere (a footer) is STATED;
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
from collections import Counter
from collections.abc import Sequence

from viewer.core.dates import (
    DatePhrase,
    find_date_phrases,
    find_time_expressions,
    read_slashed_date,
    years_matching_weekday,
)
from viewer.core.model import Certainty, DateValue, Document, Precision, Span, Tense

HEADER_REACH = 600  # how far into the text a header date may start
_HEADER_LINE_CHARS = 90
_LINE_REACH = 240  # the most of a line before a date that any test here looks at
_DATELINE_REACH = 1200

_PUBLICATION_WORD = re.compile(
    r"(?i:published|publicat|publicată|publié|publiée|publicado|publicada|pubblicato|"
    r"veröffentlicht|gepubliceerd|opublikowano|publicerad|publiceret|publisert|julkaistu|"
    r"yayınlandı|опубликовано|posted|updated|date|datum|fecha)\b[^\n\d]{0,15}$"
)
# "MOSCOW, " or "TEHRAN, Iran, " before a dateline's date; a capitalised place, a comma.
# Outlets outside the wire agencies write the place in title case: "Lima, 14/03/2025.–".
_DATELINE_PLACE = re.compile(
    r"^[\s>*]*(?:[A-Z][A-Z.'’\- ]{1,40}|[A-Z][^\W\d_]+(?:[ \-][A-Z][^\W\d_]+){0,2})"
    r"(?:,[ \t]*[A-Z][A-Za-z.'’ ]{1,30})?,\s*$"
)
_ENGLISH_PUBLICATION_WORDS = frozenset(("published", "posted", "updated", "date"))
_PUBLISHED_SLASHED = re.compile(
    r"(?P<word>(?i:published|publicat|publicată|publié|publiée|publicado|publicada|"
    r"pubblicato|veröffentlicht|gepubliceerd|opublikowano|publicerad|publiceret|publisert|"
    r"julkaistu|yayınlandı|опубликовано|posted|updated|date|datum|fecha))\b[^\n\d]{0,15}?"
    r"(?P<date>(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>(?:19|20)\d\d))(?![\w/])"
)
# "2:41 PM", "| 18:05 WIB", "kl. 08:45", "09.15": a time of day right after a date.
_CLOCK_TIME = re.compile(r"[ \t]*(?:[|·,\-–—]|(?i:at|kl\.?|um|à|a las|alle))?[ \t]*"
                         r"(?:[01]?\d|2[0-3])[:.h][0-5]\d\b")
_COPYRIGHT = re.compile(
    r"(?:©|\((?i:c)\)|(?i:copyright))[ \t]*(?:(?:19|20)\d\d[ \t]*[-–][ \t]*)?"
    r"(?P<y>(?:19|20)\d\d)\b"
)
# An all-capitals place and maybe an agency in brackets, then a dash or a colon.
_PLACE_DATELINE = re.compile(
    r"^[ \t]*([A-Z][A-Z.'’\- ]{2,30}(?:,[ \t]*[A-Z][A-Za-z.'’ ]{1,30})?)[ \t]*"
    r"(?:\([^)\n]{1,30}\))?[ \t]*(?:[—–-]{1,2}|:)[ \t]", re.MULTILINE)
# What may follow a header's date on its line: nothing, or a separator before the outlet.
_AFTER_SEPARATOR = re.compile(r"[|·•][ \t]*$")  # "Outlet | " before a header's date
# Month names of the languages whose outlets publish English editions with native headers.
_FOREIGN_MONTHS = {
    **dict.fromkeys(("enero", "janeiro", "janvier", "gennaio", "januar"), 1),
    **dict.fromkeys(("febrero", "fevereiro", "février", "fevrier", "febbraio", "februar"), 2),
    **dict.fromkeys(("marzo", "março", "marco", "mars", "märz", "maerz"), 3),
    **dict.fromkeys(("abril", "avril", "aprile"), 4),
    **dict.fromkeys(("mayo", "maio", "mai", "maggio"), 5),
    **dict.fromkeys(("junio", "junho", "juin", "giugno", "juni"), 6),
    **dict.fromkeys(("julio", "julho", "juillet", "luglio", "juli"), 7),
    **dict.fromkeys(("agosto", "août", "aout"), 8),
    **dict.fromkeys(("septiembre", "setiembre", "setembro", "septembre", "settembre"), 9),
    **dict.fromkeys(("octubre", "outubro", "octobre", "ottobre", "oktober"), 10),
    **dict.fromkeys(("noviembre", "novembro", "novembre"), 11),
    **dict.fromkeys(("diciembre", "dezembro", "décembre", "decembre", "dicembre", "dezember"), 12),
}
_FOREIGN_DATE = re.compile(
    r"(?<![\w.])(?P<d>[0-3]?\d)(?:er|º|\.)?\s+(?:de\s+)?(?P<m>"
    + "|".join(sorted(_FOREIGN_MONTHS, key=len, reverse=True))
    + r")\s+(?:de\s+|del\s+)?(?P<y>(?:19|20)\d\d)\b", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^[^\n]{0,100}$", re.MULTILINE)  # a short line: a header's
_LINE_END = re.compile(r"[ \t]*(?:\r?\n|$)")
_HEADER_LINE_END = re.compile(r"[ \t]*(?:[|·•]|\r?\n|$)")
_DATELINE_TAIL = re.compile(r"[ \t]*(?:\([^)\n]{1,40}\))?[ \t]*\.?[ \t]*[-–—:]")


def find_publication_date(doc: Document) -> tuple[DateValue | None, str | None]:
    """The date the text states or implies, with its basis ("text" | "inferred"), else None."""
    text = doc.text if isinstance(doc.text, str) else ""
    if not text:
        return None, None
    # Found in the whole text, not a head slice of it: the whole text's phrases are
    # needed below and by the event extractor, so they are scanned once for all.
    everywhere = find_date_phrases(text)
    header = [p for p in everywhere if p.kind == "date" and p.span.start < _DATELINE_REACH]
    stated = _stated_in_header(text, header) or _slashed_after_publication_word(
        text, doc.language, everywhere) or _foreign_header_date(text)
    if stated is not None:
        return stated, "text"
    skip = [c.span for c in doc.chrome]
    phrases = find_date_phrases(text, skip=skip)
    years = [p.year for p in phrases if p.year is not None and not p.two_digit_year]
    latest_year = max(years, default=None)
    stamped = _stamp_of_dateline(text, header)
    if stamped is not None:
        return stamped, "text"
    # Footers and timestamps often sit in site chrome: ``everywhere`` includes it.
    dated = _dateline_year_from_text(text, header, everywhere)
    if dated is not None:
        return dated
    stamped = _timestamp_line(text, everywhere)
    if stamped is not None:
        return stamped, "text"
    inferred = _from_undated_dateline(text, header, latest_year)
    if inferred is None:
        inferred = _bounded_by_weekday_dates(text, phrases, skip, years)
    if inferred is not None:
        return inferred, "inferred"
    return None, None


def find_dateline(text: str) -> Span | None:
    """The wire dateline opening the body ("MUSCAT, 9 May 2024 (Agency) –"), if there is one.

    Its date is when the story was filed, not when anything in it happened: event
    extraction should pass this span in ``skip`` so a report is not dated by it.
    """
    if not isinstance(text, str):
        return None
    for phrase in find_date_phrases(text):  # the whole text's: scanned once, shared
        if phrase.span.start >= _DATELINE_REACH:
            break
        if phrase.kind != "date":
            continue
        before = _line_before(text, phrase.span)
        if _is_dateline(text, phrase, before):
            return _dateline_span(text, phrase, before)
    return None


def find_datelines(text: str) -> list[Span]:
    """Every wire dateline in the text, the body's and those of a round-up's later items
    ("LUANDA, Nov 4 -" halfway down a digest): their dates date the filing, not events."""
    if not isinstance(text, str):
        return []
    found = []
    for phrase in find_date_phrases(text):
        if phrase.kind != "date":
            continue
        before = _line_before(text, phrase.span)
        if _DATELINE_PLACE.match(before) and _DATELINE_TAIL.match(text, phrase.span.end):
            found.append(_dateline_span(text, phrase, before))
    return found


def _dateline_span(text: str, phrase: DatePhrase, before: str) -> Span:
    """A dateline from its place at the line's start to the dash or colon after its date."""
    tail = _DATELINE_TAIL.match(text, phrase.span.end)
    end = tail.end() if tail else phrase.span.end
    return Span(phrase.span.start - len(before) + _leading_space(before), end)


def find_place_dateline(text: str) -> Span | None:
    """The place of a dateline without a date opening a line near the top: "BRUSSELS"
    in "BRUSSELS (AP) —", "NEW DELHI" in "NEW DELHI:"."""
    if not isinstance(text, str):
        return None
    found = _PLACE_DATELINE.search(text, 0, _DATELINE_REACH)
    if found is None:
        return None
    return Span(found.start(1), found.start(1) + len(found.group(1).rstrip()))


def _leading_space(line: str) -> int:
    return len(line) - len(line.lstrip(" \t>*"))


def _line_before(text: str, span: Span) -> str:
    """The text from the start of the span's line up to it; of a very long line only its
    last stretch, after an ellipsis that no line start matches. Every use needs only that
    much, and a page of one long line full of dates would otherwise cost a scan of the
    line for each date."""
    reach = max(0, span.start - _LINE_REACH)
    start = text.rfind("\n", reach, span.start)
    if start < 0 and reach > 0:
        return "\u2026" + text[reach : span.start]
    return text[start + 1 : span.start]


def _line_of(text: str, span: Span) -> str:
    """The span's whole line; of a very long line, a stretch that no short-line test passes."""
    end = text.find("\n", span.end, span.end + _LINE_REACH)
    if end < 0 and len(text) > span.end + _LINE_REACH:
        end = span.end + _LINE_REACH
    return _line_before(text, span) + text[span.start : len(text) if end < 0 else end]


def _is_header_line(line: str) -> bool:
    """A short line of names, numbers and dates, not a sentence: a page header's."""
    words = line.split()
    return (len(line) <= _HEADER_LINE_CHARS and not line.rstrip().endswith(".")
            and not any(w.isalpha() and w.islower() and len(w) > 3 for w in words))


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
            if (_DATELINE_PLACE.match(before) or _AFTER_SEPARATOR.search(before)) and \
                    _HEADER_LINE_END.match(text, phrase.span.end):
                # "Amman, 14 May 2026" alone on a line, "Vilnius, 20 March 2026 | Outlet",
                # "Politics | Tuesday, 28 October 2025"
                quoted = _dateline_quote(text, phrase, before)
                return _stated(day, f"'{quoted}' in the article header")
            line = _line_of(text, phrase.span)
            if _is_header_line(line):
                # "Tehran, 15 Ordibehesht 1405 (May 5, 2026) - 13:48"
                return _stated(day, f"'{_clean(line)}' in the article header")
        if _is_dateline(text, phrase, before):
            return _stated(day, f"'{_dateline_quote(text, phrase, before)}' dateline")
    return None


def _foreign_header_date(text: str) -> DateValue | None:
    """A date in the site's own language on a short header line: English-edition pages of
    foreign outlets keep it ("Buenos Aires, martes 11 de noviembre de 2025")."""
    for line in _HEADER_LINE.finditer(text, 0, HEADER_REACH):
        found = _FOREIGN_DATE.search(line.group())
        if found is None:
            continue
        value = _day_or_none(int(found.group("y")), _FOREIGN_MONTHS[found.group("m").lower()],
                             int(found.group("d")))
        if value is not None:
            return _stated(value, f"'{_clean(found.group())}' in the article header")
    return None


def _undated_datelines(text: str, phrases: list[DatePhrase]) -> list[tuple[DatePhrase, str]]:
    """Datelines whose date has no year ("NAIROBI, May 13 (Agency) —"), with their place."""
    found = []
    for phrase in phrases:
        if phrase.year is not None or phrase.day is None or phrase.month is None:
            continue
        before = _line_before(text, phrase.span)
        if _is_dateline(text, phrase, before):
            found.append((phrase, before))
    return found


def _dateline_year_from_text(text: str, header: list[DatePhrase],
                             phrases: list[DatePhrase]) -> tuple[DateValue, str] | None:
    """A year-less dateline dated by a timestamp, update line or copyright elsewhere in the text.

    Wire copy often carries its full date only in a footer ("May 13, 2024 2:41 PM GMT+3",
    "Last updated 13 May 2024"). A full date on the dateline's own month and day states
    the year outright; a timestamp or update line on another day, or a copyright year,
    gives the year only, so the date is inferred.
    """
    datelines = _undated_datelines(text, header)
    if not datelines:
        return None
    phrase, before = datelines[0]
    quote = _dateline_quote(text, phrase, before)
    full = [p for p in phrases
            if p.year is not None and not p.two_digit_year and p.day and p.month]
    for other in full:
        if (other.month, other.day) == (phrase.month, phrase.day):
            day = dt.date(other.year, other.month, other.day)
            return _stated(day, f"'{quote}' dateline, year from '{_clean(other.text)}' "
                                f"in the text"), "text"
    stamps = [p for p in full if _is_timestamp(text, p)]
    for stamp in stamps:
        # The dateline is on or shortly before its timestamp: an update may come days later.
        year = stamp.year if (phrase.month, phrase.day) <= (stamp.month, stamp.day) \
            else stamp.year - 1
        day = _day_or_none(year, phrase.month, phrase.day)
        if day is not None:
            basis = f"'{quote}' dateline, year from '{_clean(stamp.text)}' in the text"
            return DateValue(day, day, Precision.DAY, Certainty.INFERRED, basis), "inferred"
    copyright_year = _copyright_year(text)
    if copyright_year is not None:
        day = _day_or_none(copyright_year, phrase.month, phrase.day)
        if day is not None:
            basis = f"'{quote}' dateline, year {copyright_year} from the copyright line"
            return DateValue(day, day, Precision.DAY, Certainty.INFERRED, basis), "inferred"
    return None


# A slashed date and a clock time opening a line: "02/01/2025 11:05 GMT".
_SLASHED_STAMP = re.compile(r"^[ \t]*(\d{1,2})/(\d{1,2})/(\d{4})[ \t]+\d{1,2}:\d{2}", re.MULTILINE)


def _stamp_of_dateline(text: str, header: Sequence[DatePhrase]) -> DateValue | None:
    """A year-less dateline ("RIYADH, Jan 2") dated by a slashed time stamp that reads as
    the same day one way round ("02/01/2025 11:05 GMT"): the stamp's year, and the dateline
    settles which of day and month comes first."""
    dateline = next((p for p in header if p.year is None and p.month and p.day), None)
    if dateline is None or "/" not in text:
        return None
    for m in _SLASHED_STAMP.finditer(text):
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if (dateline.month, dateline.day) in ((b, a), (a, b)):
            day = _day_or_none(year, dateline.month, dateline.day)
            if day is not None:
                return _stated(day, f"'{_clean(dateline.text)}' in the dateline, the year "
                                    f"from the time stamp '{_clean(m.group())}'")
    return None


def _timestamp_line(text: str, phrases: list[DatePhrase]) -> DateValue | None:
    """A full date and time of day on a line of its own, anywhere ("May 13, 2024 2:41 PM").

    Sites print the publication time in footers as well as headers; a date with a clock
    time opening a line, or after "Updated"/"Posted", stamps the article, not an event; so
    does a line of nothing but "Published 11 March 2025".
    """
    for phrase in phrases:
        if phrase.year is None or phrase.two_digit_year or not (phrase.day and phrase.month):
            continue
        before = _line_before(text, phrase.span)
        word = _PUBLICATION_WORD.search(before)
        if before.strip() and word is None:
            continue
        if _CLOCK_TIME.match(text, phrase.span.end) is None and not (
                word is not None and _publication_line(text, phrase, before, word)):
            continue
        day = _day_or_none(phrase.year, phrase.month, phrase.day)
        if day is not None:
            start = phrase.span.start - len(before) + word.start() if word else phrase.span.start
            return _stated(day, f"'{_clean(text[start : phrase.span.end])}' timestamp in the text")
    return None


def _publication_line(text: str, phrase: DatePhrase, before: str, word: re.Match[str]) -> bool:
    """Whether the date's line is just a publication word and it: "Published 11 March 2025",
    "Last updated 11 March 2025"."""
    lead = before[: word.start()].split()
    return len(lead) <= 1 and _LINE_END.match(text, phrase.span.end) is not None


def _slashed_after_publication_word(text: str, language: str | None,
                                    phrases: Sequence[DatePhrase] = ()) -> DateValue | None:
    """ "Publicado el 03/04/2024": a slashed date either way round, read by its language.

    English writes it both ways, so after "Posted" or "Updated" it stays ambiguous unless
    the document's language says otherwise (most other languages write the day first) or
    only one reading falls near the days the text names ("Published 04/06/2026" over a
    visit "from 3 to 5 June").
    """
    if "/" not in text[:HEADER_REACH]:
        return None  # the pattern is slow to try everywhere, and every match has a slash
    for m in _PUBLISHED_SLASHED.finditer(text, 0, HEADER_REACH):
        english = m.group("word").lower() in _ENGLISH_PUBLICATION_WORDS and _is_english(language)
        day_first = None if english else True
        a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        day = read_slashed_date(a, b, year, day_first=day_first) or _near_named_days(
            a, b, year, phrases)
        if day is not None:
            return _stated(day, f"'{_clean(m.group())}' in the article header")
    return None


def _near_named_days(a: int, b: int, year: int,
                     phrases: Sequence[DatePhrase]) -> dt.date | None:
    """Of the two readings of "a/b/year", the only one within a month of a day the text
    names by its month ("3 June"), if just one is."""
    named = [_day_or_none(year, p.month, p.day) for p in phrases
             if p.kind == "date" and p.year in (None, year)]
    readings = {_day_or_none(year, month, day) for day, month in ((a, b), (b, a))} - {None}
    near = {reading for reading in readings
            if any(day is not None and abs((day - reading).days) <= 31 for day in named)}
    return near.pop() if len(near) == 1 else None


def _is_english(language: str | None) -> bool:
    return language is None or language.lower().split("-")[0] in ("", "en")


def _is_timestamp(text: str, phrase: DatePhrase) -> bool:
    """A full date opening a line, or after "Updated"/"Posted", or followed by a clock time."""
    before = _line_before(text, phrase.span)
    return (not before.strip() or _PUBLICATION_WORD.search(before) is not None
            or _CLOCK_TIME.match(text, phrase.span.end) is not None)


def _copyright_year(text: str) -> int | None:
    """The last year of a copyright line ("© 2019-2024 Agency"), if the text has one."""
    years = [int(m.group("y")) for m in _COPYRIGHT.finditer(text)]
    return max(years) if years else None


def _day_or_none(year: int, month: int | None, day: int | None) -> dt.date | None:
    try:
        return dt.date(year, month or 0, day or 0)
    except ValueError:
        return None


def _from_undated_dateline(text: str, phrases: list[DatePhrase],
                           latest_year: int | None) -> DateValue | None:
    """A dateline's month and day, in the latest year the text names."""
    if latest_year is None:
        return None
    for phrase, before in _undated_datelines(text, phrases):
        day = _day_or_none(latest_year, phrase.month, phrase.day)
        if day is None:
            continue
        basis = (f"'{_dateline_quote(text, phrase, before)}' dateline, year {latest_year} "
                 f"assumed: the latest year the text names")
        return DateValue(day, day, Precision.DAY, Certainty.UNCERTAIN, basis)
    return None


def _bounded_by_weekday_dates(text: str, phrases: list[DatePhrase], skip: list[Span],
                              years: list[int]) -> DateValue | None:
    """The tightest bound that weekday-dated happenings told in past or future give."""
    weekday_dated = [p for p in phrases
                     if p.kind == "date" and p.year is None and p.weekday is not None
                     and p.month is not None and p.day is not None]
    if not years or not weekday_dated:
        return None
    tenses = {e.span: e.tense for e in find_time_expressions(text, None, skip=skip)}
    upper: list[tuple[dt.date, str]] = []
    lower: list[tuple[dt.date, str]] = []
    for phrase in weekday_dated:
        year = _year_by_weekday(phrase.month, phrase.day, phrase.weekday, years)
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


def _year_by_weekday(month: int, day: int, weekday: int, named: list[int]) -> int | None:
    """The year in which month/day falls on weekday, judged by the years the text names.

    A text names its own year most often, and may name a year or two ahead ("expects it
    in 2027"): a fitting year from the commonest named year to the year after the latest
    one is taken first, the latest such. Else years from the latest named one onwards:
    the happenings a text names with years are mostly behind it, the weekday-dated ones
    mostly near its date.
    """
    latest_year = max(named)
    counts = Counter(named)
    commonest = max(counts, key=lambda y: (counts[y], y))
    years = years_matching_weekday(month, day, weekday, around=latest_year, span=10)
    near = [y for y in years if commonest <= y <= latest_year + 1]
    if near:
        return max(near)
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
