"""Time expressions in article text: finding them and resolving them to dates.

Two stages. ``find_date_phrases`` scans the text with compiled regular expressions
and returns what each phrase literally says (a month and day, a weekday, "two days
ago"), with exact offsets. ``find_time_expressions`` then resolves each phrase
against a reference date (usually the publication date), using the tense of the
clause around it to decide which way from the reference a weekday or a date
without a year points.

Nothing here guesses dates out of arbitrary words (no fuzzy parsing): a phrase is
a date only when one of the patterns below says so, and vague phrases ("in recent
years", "soon", "decade-long") are never returned.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from viewer.core.model import (
    AnchorRelation,
    Certainty,
    DateValue,
    Precision,
    Span,
    Tense,
    TimeExpression,
)

_Windows = list[tuple[int, int]]

MIN_YEAR = 1900
MAX_YEAR = 2100


@dataclass(frozen=True, slots=True)
class Reference:
    """The date a text's relative expressions are resolved against, and how it is described."""

    date: dt.date
    description: str  # e.g. "article published 2021-10-20"
    certainty: Certainty = Certainty.STATED  # INFERRED/UNCERTAIN when the pub date was inferred


@dataclass(frozen=True, slots=True)
class DatePhrase:
    """What a time phrase literally says, before any reference date is applied.

    ``kind`` is one of: "date" (a day, maybe without a year), "month", "year",
    "weekday", "relative" (``offset`` days from the reference: "yesterday", "two
    days ago"), "period" ("last month": ``unit`` and ``offset`` in units),
    "anchored" ("the day after X": ``offset`` days from ``anchor``) and "duration".
    """

    span: Span
    text: str
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    end_day: int | None = None  # the last day of a range ("18-21 October")
    weekday: int | None = None
    offset: int = 0
    unit: str | None = None  # "day" | "week" | "month" | "year" for periods
    direction: str | None = None  # "last" | "next" | "this": a phrase that fixes its own tense
    anchor: Span | None = None
    anchor_phrase: DatePhrase | None = None  # the anchor when it is itself a date
    duration_days: int | None = None
    two_digit_year: bool = False


# ---------------------------------------------------------------------------
# Vocabulary

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)
_MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_NUMBER = {name.lower(): i for i, name in enumerate(_MONTHS, start=1)}
_MONTH_NUMBER.update(_MONTH_ABBREVIATIONS)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_NUMBER = {name.lower(): i for i, name in enumerate(_WEEKDAYS)}
_WEEKDAY_NUMBER.update(
    {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
     "fri": 4, "sat": 5, "sun": 6}
)

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
}


def _title_or_upper(words: Sequence[str]) -> str:
    """Alternation of each word in Title case and UPPER case, longest first.

    Case matters: lower-case "may", "march" and "sun" are ordinary words.
    """
    forms = {w.title() for w in words} | {w.upper() for w in words}
    return "|".join(sorted(forms, key=lambda w: (-len(w), w)))


def _lower_or_title(words: Sequence[str]) -> str:
    """Alternation of each word as written and with a capital, longest first."""
    forms = {w for w in words} | {w[:1].upper() + w[1:] for w in words}
    return "|".join(sorted(forms, key=lambda w: (-len(w), w)))


_MONTH_FULL = f"(?=[JFMASOND])(?:{_title_or_upper(_MONTHS)})"
# The lookaheads on first letters let the engine reject most positions before trying
# each of the dozens of names in turn.
_MONTH_ANY = (
    f"(?=[JFMASOND])(?:(?:{_MONTH_FULL})\\b|(?:{_title_or_upper(list(_MONTH_ABBREVIATIONS))})"
    f"\\b\\.?)"
)
_WEEKDAY_FULL = f"(?=[MTWFS])(?:{_title_or_upper(_WEEKDAYS)})"
_WEEKDAY_ANY = (
    f"(?=[MTWFS])(?:{_title_or_upper([*_WEEKDAYS, *(k for k in _WEEKDAY_NUMBER if len(k) <= 5)])})"
)
_NUMBER = "(?:\\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_ORDINAL = "(?:st|nd|rd|th)?"
_DAY = f"(?:3[01]|[12]\\d|0?[1-9]){_ORDINAL}(?![\\w])"
# A four-digit year not continued by more digits ("2021" but not "2021,5" or "20215").
_YEAR = "(?:19|20)\\d\\d(?![\\w]|[.,]\\d)"
_DASH = "[-\u2010\u2011\u2012\u2013\u2014]"
_ON = "(?P<on>\\b(?i:on)\\s+)?"


def _day_month(suffix: str = "") -> str:
    """'18 October 2021', '18-21 October', 'the 17th of Oct.', '19 JUL 22'."""
    s = suffix
    return (
        f"(?:(?i:the)\\s+)?(?P<d{s}>{_DAY})(?:\\s*{_DASH}\\s*(?P<e{s}>{_DAY}))?"
        f"\\s+(?:(?i:of)\\s+)?(?P<m{s}>{_MONTH_ANY})"
        f"(?:,?\\s+(?P<y{s}>{_YEAR})"
        # Two-digit years only in compact header dates ("19 JUL 22") at the end of a line.
        f"|\\s+(?P<yy{s}>\\d\\d)(?=[ \\t\\r]*(?:$|[|,;)\\]]|\\d{{1,2}}:\\d\\d)))?"
    )


def _month_day(suffix: str = "") -> str:
    """'October 18, 2021', 'Oct. 19', 'Sept 17th', 'October 18-21', 'October the 17th'."""
    s = suffix
    return (
        f"(?P<m{s}>{_MONTH_ANY})\\s*(?:(?i:the)\\s+)?(?P<d{s}>{_DAY})"
        f"(?:\\s*{_DASH}\\s*(?P<e{s}>{_DAY}))?(?:,?\\s+(?P<y{s}>{_YEAR}))?"
    )


_WEEKDAY_PREFIX = f"(?:{_ON}\\b(?P<wd>{_WEEKDAY_ANY})\\.?,?\\s+)?"
_WEEKDAY_SUFFIX = f"(?:\\s*\\(\\s*(?P<wd2>{_WEEKDAY_FULL})\\s*\\))?"

_DATE_PATTERNS = tuple(
    re.compile(p, re.MULTILINE)
    for p in (
        # "On Tuesday, October 19", "Wednesday October 20", "October 17 (Sunday)"
        f"{_WEEKDAY_PREFIX}\\b(?:{_month_day()}|{_day_month('2')}){_WEEKDAY_SUFFIX}",
        # "Sunday (October 17th)": one expression, weekday and date together
        f"{_ON}\\b(?P<wd>{_WEEKDAY_FULL})\\s*\\(\\s*(?:{_month_day()}|{_day_month('2')})\\s*\\)",
        # "Monday's meeting (October 18)": the weekday names the date in brackets after a
        # noun or two; one expression, not a weekday and a date.
        f"{_ON}\\b(?P<wd>{_WEEKDAY_FULL})['’]s\\s+(?:[a-z][\\w-]*\\s+){{1,2}}"
        f"\\(\\s*(?:{_month_day()}|{_day_month('2')})\\s*\\)",
        # "October 2020": month precision
        f"\\b(?P<m>{_MONTH_ANY}),?\\s+(?:(?i:of)\\s+)?(?P<y>{_YEAR})",
        # "in October", "since early March": a month name alone needs a preposition
        f"\\b(?i:in|since|by|until|till|during|through|throughout|before|after|"
        f"(?:end|start|beginning|middle)\\s+of)\\s+(?:(?i:early|late|mid)[\\s-]+)?"
        f"(?P<m>{_MONTH_FULL})\\b(?![\\s.,]*\\d)",
    )
)

_NUMERIC_DATE = re.compile(
    r"(?<![\w.\-/])(?:"
    r"(?P<iy>(?:19|20)\d\d)-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])"
    r"|(?P<dd>0?[1-9]|[12]\d|3[01])\.(?P<dm>0?[1-9]|1[0-2])\.(?P<dy>(?:19|20)\d\d)"
    r"|(?P<sa>\d{1,2})/(?P<sb>\d{1,2})/(?P<sy>(?:19|20)\d\d)"
    r")(?![\w\-/]|\.\d)"
)

# A weekday just before a numeric date: "Sunday, 17/3/2024", "on Tue 2024-03-05".
_NUMERIC_WEEKDAY = re.compile(f"{_ON}\\b(?P<wd>{_WEEKDAY_ANY})\\.?,?[ \\t]+$")

_WEEKDAY = re.compile(
    f"(?P<dir>\\b(?i:last|next|this|coming)\\s+)?{_ON}\\b(?P<wd>{_WEEKDAY_FULL})\\b"
    f"(?:\\s+(?i:morning|afternoon|evening|night))?"
)

_RELATIVE_DAY = re.compile(
    r"\b(?i:(?P<two>the\s+day\s+(?:before\s+yesterday|after\s+tomorrow))"
    r"|(?P<word>yesterday|today|tonight|tomorrow)"
    r"|(?P<lastnight>last\s+night)"
    r"|this\s+(?:morning|afternoon|evening))\b"
)

_PERIOD = re.compile(
    r"\b(?P<pre>(?i:earlier|later)\s+)?(?P<dir>(?i:last|next|this|coming))\s+"
    f"(?:(?P<unit>(?i:week|weekend|month|year))|(?P<m>{_MONTH_FULL}))\\b"
)

_AGO = re.compile(
    f"(?<![\\d,.])\\b(?P<n>{_NUMBER})\\s+(?P<unit>(?i:day|week|month|year))s?\\s+(?i:ago)\\b",
    re.IGNORECASE,
)

_ANCHORED = re.compile(
    f"(?<![\\d,.])\\b(?:(?P<n>{_NUMBER}|the)\\s+(?P<unit>days?|weeks?)\\s+(?P<rel>after|before)"
    f"|(?P<eve>on\\s+the\\s+eve\\s+of))\\s+",
    re.IGNORECASE,
)
_ANCHOR_END = re.compile(r"[.,;:!?()\[\]\n\"“”]|\s(?:and|but|when|while|where|which)\s")
_ANCHOR_MAX = 100

# A day told only relative to the date just told: "the next day", "two days later",
# "The day before, ..." (with nothing after it: "the day before the vote" is anchored).
_SEQUEL = re.compile(
    r"\b(?i:(?P<same>the\s+same\s+(?:day|morning|afternoon|evening|night))"
    r"|(?:the\s+)?(?P<adj>next|following|previous|preceding)\s+day"
    r"|the\s+day\s+(?P<rel>before|after)(?=\s*(?:[,.;:!?)]|$))"
    f"|(?P<n>{_NUMBER})\\s+(?P<unit>days?|weeks?)\\s+(?P<dir>later|earlier))\\b",
    re.MULTILINE,
)
_SEQUEL_REACH = 600  # how far back the date a sequel counts from may be

_DURATION = re.compile(
    f"(?<![\\d,.])\\b(?:(?P<n>{_NUMBER}){_DASH}(?P<unit>day|week)(?:{_DASH}long)?\\b"
    f"|(?P<for>for\\s+)?(?P<n2>{_NUMBER})\\s+(?:full\\s+)?(?P<unit2>days|weeks)\\b"
    f"(?!\\s+(?:ago|after|before|later|earlier)\\b))",
    re.IGNORECASE,
)

_YEAR_ALONE = re.compile(
    r"(?P<prep>\b(?i:in|since|by|until|till|through|during|before|after|from|around|circa|"
    r"year|early|late|mid|(?:end|start|beginning|middle|half|spring|summer|autumn|fall|"
    r"winter)\s+of)[\s\-]+(?:(?i:early|late|mid)[\s\-]+)?"
    r"|(?<![\w.,/$€£#\-]))(?P<y>(?:19|20)\d\d|2100)"
    r"(?![\w]|[.,]\d|[/\-]\d|\s*(?:%|(?i:percent|per\b|km|kg|troops|people|soldiers)))"
    r"(?P<poss>['’]s\b)?"
)
_BRACKETED_YEAR = re.compile(r"\(\s*$")


# ---------------------------------------------------------------------------
# Stage 1: phrases


def find_date_phrases(text: str, *, skip: Sequence[Span] = ()) -> list[DatePhrase]:
    """Every time phrase in text (outside the skip spans), unresolved, in text order."""
    if not isinstance(text, str) or not text:
        return []
    candidates: list[DatePhrase] = []
    windows_of: dict[re.Pattern[str], _Windows] = {}
    for trigger, scan in _SCANNERS:
        if trigger not in windows_of:
            windows_of[trigger] = _windows(trigger, text)
        if windows_of[trigger]:
            candidates.extend(p for p in scan(text, windows_of[trigger]) if p is not None)
    return _without_overlaps(candidates, skip)


def _without_overlaps(candidates: list[DatePhrase], skip: Sequence[Span]) -> list[DatePhrase]:
    """Keep the longest phrase where phrases overlap, and none that touch a skip span."""
    taken = _merged(skip)
    kept: list[DatePhrase] = []
    for phrase in sorted(candidates, key=lambda p: (-len(p.span), p.span.start)):
        start, end = phrase.span.start, phrase.span.end
        i = bisect.bisect_left(taken, (start, end))
        if (i > 0 and taken[i - 1][1] > start) or (i < len(taken) and taken[i][0] < end):
            continue
        taken.insert(i, (start, end))
        kept.append(phrase)
    kept.sort(key=lambda p: p.span.start)
    return kept


def _merged(spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Spans as sorted, disjoint (start, end) pairs."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((s.start, s.end) for s in spans if s.end > s.start):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _phrase(text: str, start: int, end: int, kind: str, **fields: object) -> DatePhrase:
    return DatePhrase(Span(start, end), text[start:end], kind, **fields)  # type: ignore[arg-type]


def _month_of(word: str) -> int:
    return _MONTH_NUMBER[word.rstrip(".").lower()]


def _weekday_of(word: str | None) -> int | None:
    return None if word is None else _WEEKDAY_NUMBER.get(word.rstrip(".").lower())


def _day_of(word: str) -> int:
    return int("".join(c for c in word if c.isdigit()))


def _scan_named_dates(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    for pattern in _DATE_PATTERNS:
        found.extend(_named_date(text, m) for m in _matches(pattern, text, windows))
    return found


def _named_date(text: str, m: re.Match[str]) -> DatePhrase | None:
    g = m.groupdict()
    suffix = "2" if g.get("m2") else ""
    month = _month_of(g["m" + suffix])
    year = int(g["y" + suffix]) if g.get("y" + suffix) else None
    two_digit = False
    if year is None and g.get("yy" + suffix):
        year, two_digit = 2000 + int(g["yy" + suffix]), True
    weekday = _weekday_of(g.get("wd")) if g.get("wd") else _weekday_of(g.get("wd2"))
    day_text = g.get("d" + suffix)
    if day_text is None:
        return _phrase(text, m.start("m"), m.end(), "month", year=year, month=month)
    day = _day_of(day_text)
    end_day = _day_of(g["e" + suffix]) if g.get("e" + suffix) else None
    if day > 31 or (end_day is not None and end_day <= day):
        return None
    if not _valid_day(year or 2000, month, day) or (
        end_day is not None and not _valid_day(year or 2000, month, end_day)
    ):
        return None
    start = m.start("on") if g.get("on") else m.start()
    return _phrase(text, start, m.end(), "date", year=year, month=month, day=day,
                   end_day=end_day, weekday=weekday, two_digit_year=two_digit)


def _scan_numeric_dates(text: str, windows: _Windows) -> list[DatePhrase | None]:
    return [_numeric_date(text, m) for m in _matches(_NUMERIC_DATE, text, windows)]


def _numeric_date(text: str, m: re.Match[str]) -> DatePhrase | None:
    g = m.groupdict()
    lead = _NUMERIC_WEEKDAY.search(text, max(0, m.start() - 16), m.start())
    weekday = _weekday_of(lead.group("wd")) if lead else None
    if g["iy"]:
        year, month, day = int(g["iy"]), int(g["im"]), int(g["id"])
    elif g["dy"]:
        # Dotted dates are day-first wherever they are written ("20.10.2021").
        year, month, day = int(g["dy"]), int(g["dm"]), int(g["dd"])
    else:
        # 03/04/2021 could be either order: better no date than a wrong one, unless a
        # weekday beside it ("Sunday, 17/3/2024") or a day above 12 settles it.
        read = read_slashed_date(int(g["sa"]), int(g["sb"]), int(g["sy"]), weekday=weekday)
        if read is None:
            return None
        year, month, day = read.year, read.month, read.day
    if not _valid_day(year, month, day):
        return None
    start = (lead.start("on") if lead.group("on") else lead.start("wd")) if lead else m.start()
    return _phrase(text, start, m.end(), "date", year=year, month=month, day=day,
                   weekday=weekday)


def read_slashed_date(first: int, second: int, year: int, *, weekday: int | None = None,
                      day_first: bool | None = None) -> dt.date | None:
    """The day "first/second/year" means: its only valid reading, else the one falling on
    ``weekday``, else the one ``day_first`` picks; None while it stays ambiguous."""
    readings = {
        dt.date(year, month, day)
        for day, month in ((first, second), (second, first))
        if MIN_YEAR <= year <= MAX_YEAR and _valid_day(year, month, day)
    }
    if len(readings) == 1:
        return readings.pop()
    if weekday is not None:
        on_weekday = [d for d in readings if d.weekday() == weekday]
        if len(on_weekday) == 1:
            return on_weekday[0]
    if readings and day_first is not None:
        return dt.date(year, second, first) if day_first else dt.date(year, first, second)
    return None


def _scan_weekdays(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    for m in _matches(_WEEKDAY, text, windows):
        direction = m.group("dir")
        start = m.start("on") if m.group("on") else m.start("wd")
        if direction:
            start = m.start()
        found.append(_phrase(text, start, m.end(), "weekday",
                             weekday=_weekday_of(m.group("wd")),
                             direction=direction.strip().lower() if direction else None))
    return found


def _scan_relative_days(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    for m in _matches(_RELATIVE_DAY, text, windows):
        word = (m.group("word") or "").lower()
        if m.group("two"):
            offset = -2 if "yesterday" in m.group("two").lower() else 2
        elif m.group("lastnight") or word == "yesterday":
            offset = -1
        elif word == "tomorrow":
            offset = 1
        else:
            offset = 0
        found.append(_phrase(text, m.start(), m.end(), "relative", offset=offset))
    return found


def _scan_periods(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    for m in _matches(_PERIOD, text, windows):
        direction = m.group("dir").lower()
        direction = "next" if direction == "coming" else direction
        if m.group("m"):
            found.append(_phrase(text, m.start(), m.end(), "month",
                                 month=_month_of(m.group("m")), direction=direction))
            continue
        unit = m.group("unit").lower()
        offset = {"last": -1, "next": 1, "this": 0}[direction]
        found.append(_phrase(text, m.start(), m.end(), "period", unit=unit, offset=offset,
                             direction=direction))
    for m in _matches(_AGO, text, windows):
        n = _number(m.group("n"))
        unit = m.group("unit").lower()
        if n is None or n > 400:
            continue
        found.append(_phrase(text, m.start(), m.end(), "period" if unit != "day" else "relative",
                             unit=unit, offset=-n, direction="last"))
    return found


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word.lower())


def _scan_anchored(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    for m in _matches(_ANCHORED, text, windows):
        if m.group("eve"):
            offset = -1
        else:
            count = 1 if m.group("n").lower() == "the" else _number(m.group("n"))
            if count is None or count > 400:
                continue
            if m.group("n").lower() == "the" and m.group("unit").lower().endswith("s"):
                continue  # "the days after the war" is no date
            days = count * (7 if m.group("unit").lower().startswith("week") else 1)
            offset = days if m.group("rel").lower() == "after" else -days
        anchor = _anchor_after(text, m.end())
        if anchor is None:
            continue
        anchor_date = _date_at(text, anchor.start)
        end = m.start() + len(m.group().rstrip())
        found.append(_phrase(text, m.start(), end, "anchored", offset=offset, anchor=anchor,
                             anchor_phrase=anchor_date))
    return found


def _anchor_after(text: str, start: int) -> Span | None:
    """The phrase naming the happening a relative date hangs on, up to the clause's end."""
    window = text[start : start + _ANCHOR_MAX]
    stop = _ANCHOR_END.search(window)
    end = start + (stop.start() if stop else len(window))
    if not stop and len(window) == _ANCHOR_MAX:
        cut = window.rfind(" ")
        end = start + (cut if cut > 0 else len(window))
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start < 3 or text[start:end].lower() in ("yesterday", "tomorrow", "today"):
        return None
    return Span(start, end)


def _date_at(text: str, start: int) -> DatePhrase | None:
    """The explicit date starting exactly at ``start``, if there is one."""
    for pattern in (_DATE_PATTERNS[0], _NUMERIC_DATE):
        m = pattern.match(text, start)
        if m:
            phrase = _numeric_date(text, m) if pattern is _NUMERIC_DATE else _named_date(text, m)
            if phrase is not None and phrase.kind == "date":
                return phrase
    return None


def _scan_sequels(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    for m in _matches(_SEQUEL, text, windows):
        if m.group("same"):
            offset = 0
        elif m.group("adj"):
            offset = 1 if m.group("adj").lower() in ("next", "following") else -1
        elif m.group("rel"):
            offset = 1 if m.group("rel").lower() == "after" else -1
        else:
            count = _number(m.group("n"))
            if count is None or count == 0 or count > 400:
                continue
            days = count * (7 if m.group("unit").lower().startswith("week") else 1)
            offset = days if m.group("dir").lower() == "later" else -days
        found.append(_phrase(text, m.start(), m.end(), "sequel", offset=offset))
    return found


def _scan_durations(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    for m in _matches(_DURATION, text, windows):
        n = _number(m.group("n") or m.group("n2"))
        unit = (m.group("unit") or m.group("unit2")).lower()
        if n is None or n == 0 or n > 400:
            continue
        days = n * (7 if unit.startswith("week") else 1)
        found.append(_phrase(text, m.start(), m.end(), "duration", duration_days=days))
    return found


def _scan_years(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    for m in _matches(_YEAR_ALONE, text, windows):
        start, end = m.span("y")
        if not m.group("prep") and not _stands_alone(text, start, end, bool(m.group("poss"))):
            continue
        year = int(m.group("y"))
        if MIN_YEAR <= year <= MAX_YEAR:
            found.append(_phrase(text, start, end, "year", year=year))
    return found


def _stands_alone(text: str, start: int, end: int, possessive: bool) -> bool:
    """A year with no preposition is still a year in "(2019)", "2019's" or alone on a line."""
    if possessive:
        return True
    before = text[max(0, start - 3) : start]
    after = text[end : end + 3]
    if _BRACKETED_YEAR.search(before) and after.lstrip().startswith(")"):
        return True
    # Look only a short way for the line's ends: a year alone on a line has little around it.
    before = text[max(0, start - 40) : start]
    after = text[end : end + 40]
    if "\n" not in before and start > 40:
        return False
    return before.rsplit("\n", 1)[-1].strip() == "" and after.split("\n", 1)[0].strip() == ""


# Each scanner runs only in windows around its trigger words: the triggers are plain
# literal alternations, which the regex engine skips through quickly, while the full
# patterns (optional prefixes, word boundaries) would be slow to try at every position.
_NAME_TRIGGER = re.compile(
    f"{_title_or_upper([*_MONTHS, *_MONTH_ABBREVIATIONS, *_WEEKDAYS, *_WEEKDAY_NUMBER])}"
)
_Scanner = Callable[[str, _Windows], list[DatePhrase | None]]
_SCANNERS: tuple[tuple[re.Pattern[str], _Scanner], ...] = (
    (_NAME_TRIGGER, _scan_named_dates),
    (re.compile(r"[0-9][-./][0-9]"), _scan_numeric_dates),
    (_NAME_TRIGGER, _scan_weekdays),
    (re.compile(_lower_or_title(["yesterday", "today", "tonight", "tomorrow", "last night",
                                 "this morning", "this afternoon", "this evening"])
                + "|YESTERDAY|TODAY|TONIGHT|TOMORROW"), _scan_relative_days),
    (re.compile("week|month|year|ago|WEEK|MONTH|YEAR|AGO|" + _title_or_upper(_MONTHS)),
     _scan_periods),
    (re.compile(r"(?:day|week|DAY|WEEK)s?\s+(?:after|before|AFTER|BEFORE)|eve\s+of"),
     _scan_anchored),
    (re.compile(r"(?i:day|week)s?\s+(?i:later|earlier|before|after)|(?i:next|following|"
                r"previous|preceding)\s+(?i:day)|(?i:same)\s"), _scan_sequels),
    (re.compile(f"{_DASH}(?:day|week)|days|weeks|DAYS|WEEKS"), _scan_durations),
    (re.compile(r"(?:19|20)\d\d|2100"), _scan_years),
)
# Longer than any phrase reaches beyond its trigger words, so no match is cut short.
_WINDOW_MARGIN = 48


def _windows(trigger: re.Pattern[str], text: str) -> _Windows:
    """Disjoint (start, end) windows of text around each trigger hit."""
    windows: list[tuple[int, int]] = []
    for m in trigger.finditer(text):
        start, end = max(0, m.start() - _WINDOW_MARGIN), m.end() + _WINDOW_MARGIN
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def _matches(pattern: re.Pattern[str], text: str, windows: _Windows) -> Iterator[re.Match[str]]:
    for start, end in windows:
        yield from pattern.finditer(text, start, end)


# ---------------------------------------------------------------------------
# Tense



# Tense markers. Each pattern opens with a literal character or word so the engine can
# skip quickly through text; word starts are checked by the leading space or quote.
_FUTURE = re.compile(
    "[\\s“\"‘(](?:" + _lower_or_title([
        "will", "shall", "won't", "won’t", "next", "upcoming", "forthcoming", "tomorrow",
        "scheduled for", "later this", "plan to", "plans to", "intends to", "intend to",
        "to be held", "is to", "are to", "is expected to", "are expected to",
        "is scheduled to", "are scheduled to", "is set to", "are set to", "is due to",
        "are due to", "is slated to", "are slated to", "is planned", "are planned",
        "is going to", "are going to",
    ]) + ")\\b|[a-z][’']ll\\b"
)
_PAST = re.compile(
    "[\\s“\"‘(](?:" + _lower_or_title([
        "was", "were", "had", "did", "has been", "have been", "said", "met", "held", "took",
        "came", "went", "began", "told", "gave", "spoke", "sat", "left", "flew", "became",
        "saw", "made", "wrote", "brought", "sent", "ago", "yesterday", "last", "earlier",
    ]) + ")\\b|[a-z]ed\\b"
)
# Words in -ed that are no past tense.
_NOT_PAST = frozenset((
    "hundred", "kindred", "sacred", "naked", "wicked", "red", "bed", "shed", "need", "feed",
    "seed", "speed", "indeed", "proceed", "exceed", "succeed", "breed", "embed",
))
_PASSIVE_BE = re.compile(r"\b(?i:be|being|remain|remains|stay|stays)\s+$")
# Clause boundaries: where a sentence changes its subject or verb ("..., which will end").
_CLAUSE_BREAK = re.compile(
    r"[,;:()–—]| (?:which|who|where|while|but|and|after|before|when|as|that)\b"
)
# Sentence ends: a stop followed by a capitalised word (so "Oct. 19" stays whole), or a newline.
_SENTENCE_BREAK = re.compile(r"[.!?]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z])|\n")
# A stop after a short capitalised word is usually a title or initial ("Maj. Gen. Lee"), not an end.
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:[A-Z][a-z]{0,3}|[A-Z](?:\.[A-Z])+)$")


def sentence_tense(sentence: str) -> Tense:
    """Whether a sentence tells of the past or the future; UNKNOWN when it gives no sign."""
    if not isinstance(sentence, str):
        return Tense.UNKNOWN
    return _tense_of(sentence, 0, len(sentence))


def _tense_of(text: str, start: int, end: int) -> Tense:
    future, past = _tense_markers(text, start, end)
    if future and (not past or future[0] < past[0]):
        return Tense.FUTURE
    return Tense.PAST if past else Tense.UNKNOWN


def _tense_markers(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """Where future and past markers start in text[start:end]."""
    future_spans = [m.span() for m in _FUTURE.finditer(text, start, end)]
    future = [s for s, _ in future_spans]
    past = [
        m.start() for m in _PAST.finditer(text, start, end)
        if _is_past_marker(text, m) and not _inside(m.start() + 1, future_spans, future)
    ]
    return future, past


def _inside(position: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether position lies in one of the sorted, disjoint spans ("held" in "to be held")."""
    i = bisect.bisect_right(starts, position)
    return i > 0 and position < spans[i - 1][1]


def _is_past_marker(text: str, m: re.Match[str]) -> bool:
    word_start = m.start()
    if not m.group()[0].isalpha():
        word_start += 1  # the pattern's leading space or quote
    else:
        while word_start > 0 and text[word_start - 1].isalpha() and m.start() - word_start < 20:
            word_start -= 1
    # A participle after "be" is passive, not past: "will be held", "is due to be received";
    # after "remain" or "stay" it is a state ("will remain closed").
    if _PASSIVE_BE.search(text, max(0, word_start - 9), word_start):
        return False
    if not m.group().endswith("ed") or m.group()[0].isspace():
        return True
    word = text[word_start : m.end()]
    return word.islower() and word not in _NOT_PAST


_SENTENCE_REACH = 300


def _sentence_breaks(text: str, start: int, end: int) -> list[int]:
    """Where sentences start in text[start:end]."""
    return [
        m.end() for m in _SENTENCE_BREAK.finditer(text, start, end)
        if not (m.group().startswith(".") and m.group()[1:2].isspace()
                and _ABBREVIATION.search(text, max(0, m.start() - 6), m.start()))
    ]


class _Sentences:
    """Sentence ends, clause breaks and tense markers near the phrases of one text.

    Everything is found once, and only within a few hundred characters of some
    phrase, so the cost stays linear however the text is punctuated.
    """

    def __init__(self, text: str, spans: Sequence[Span]) -> None:
        self.text = text
        self.breaks: list[int] = []
        self.clause_starts: list[int] = []
        self.clause_ends: list[int] = []
        self.future: list[int] = []
        self.past: list[int] = []
        reach = [Span(max(0, s.start - _SENTENCE_REACH), min(len(text), s.end + _SENTENCE_REACH))
                 for s in spans]
        for start, end in _merged(reach):
            self.breaks.extend(_sentence_breaks(text, start, end))
        # Clauses and tense markers matter only in the sentences that hold a phrase.
        for start, end in _merged([Span(*self.bounds(s)) for s in spans]):
            for m in _CLAUSE_BREAK.finditer(text, start, end):
                self.clause_starts.append(m.start())
                self.clause_ends.append(m.end())
            future, past = _tense_markers(text, start, end)
            self.future.extend(future)
            self.past.extend(past)

    def bounds(self, span: Span) -> tuple[int, int]:
        """The sentence around span, cut to a few hundred characters either side."""
        i = bisect.bisect_right(self.breaks, span.start)
        start = self.breaks[i - 1] if i else 0
        j = bisect.bisect_left(self.breaks, span.end)
        end = self.breaks[j] if j < len(self.breaks) else len(self.text)
        # Unpunctuated text can make one "sentence" of the whole input.
        return max(start, span.start - _SENTENCE_REACH), min(end, span.end + _SENTENCE_REACH)

    def tense_at(self, span: Span) -> Tense:
        """The tense of the clause holding span, else of its sentence."""
        s_start, s_end = self.bounds(span)
        i = bisect.bisect_right(self.clause_ends, span.start)
        c_start = max(s_start, self.clause_ends[i - 1]) if i else s_start
        j = bisect.bisect_left(self.clause_starts, span.end)
        c_end = min(s_end, self.clause_starts[j]) if j < len(self.clause_starts) else s_end
        clause = self._tense_between(c_start, c_end, span.start)
        if clause is not Tense.UNKNOWN:
            return clause
        return self._tense_between(s_start, s_end, span.start)

    def _tense_between(self, start: int, end: int, at: int) -> Tense:
        """The tense of the marker nearest before ``at``, else of the first one after it.

        The nearest verb governs: in "said the talks will resume on Friday" it is "will".
        """
        future = _last_in(self.future, start, at)
        past = _last_in(self.past, start, at)
        if future is None and past is None:
            future = _first_in(self.future, at, end)
            past = _first_in(self.past, at, end)
            if future is not None and (past is None or future < past):
                return Tense.FUTURE
        elif future is not None and (past is None or future > past):
            return Tense.FUTURE
        return Tense.UNKNOWN if past is None else Tense.PAST


def _first_in(positions: list[int], start: int, end: int) -> int | None:
    i = bisect.bisect_left(positions, start)
    return positions[i] if i < len(positions) and positions[i] < end else None


def _last_in(positions: list[int], start: int, end: int) -> int | None:
    i = bisect.bisect_left(positions, end)
    return positions[i - 1] if i and positions[i - 1] >= start else None


# ---------------------------------------------------------------------------
# Stage 2: resolving


def find_time_expressions(
    text: str, reference: Reference | None, *, skip: Sequence[Span] = ()
) -> list[TimeExpression]:
    """Every time expression in text outside the skip spans, in order, resolved to dates."""
    phrases = find_date_phrases(text, skip=skip)
    if not phrases:
        return []
    sentences = _Sentences(text, [p.span for p in phrases])
    found = []
    for phrase in phrases:
        tense = _own_tense(phrase) or sentences.tense_at(phrase.span)
        try:
            if phrase.kind == "sequel":
                expression = _resolve_sequel(phrase, found, tense)
            else:
                expression = _resolve(phrase, reference, tense)
        except (ValueError, OverflowError):
            continue  # a date outside the calendar's range: no date rather than a crash
        if expression is not None:
            found.append(expression)
    return found


def _own_tense(phrase: DatePhrase) -> Tense | None:
    """The tense a phrase fixes by itself: "next week", "yesterday", "two days ago"."""
    if phrase.direction == "next" or (phrase.kind == "relative" and phrase.offset > 0):
        return Tense.FUTURE
    if phrase.direction == "last" or (phrase.kind == "relative" and phrase.offset < 0):
        return Tense.PAST
    return None


def resolve_weekday(weekday: int, reference: dt.date, tense: Tense) -> dt.date:
    """The nearest day with that weekday on the tense's side of the reference, itself included."""
    if tense is Tense.FUTURE:
        return reference + dt.timedelta(days=(weekday - reference.weekday()) % 7)
    return reference - dt.timedelta(days=(reference.weekday() - weekday) % 7)


def years_matching_weekday(
    month: int, day: int, weekday: int, around: int, span: int = 10
) -> list[int]:
    """Years within ``span`` of ``around`` in which month/day falls on weekday, nearest first."""
    years = [
        y for y in range(max(1, around - span), min(9999, around + span) + 1)
        if _valid_day(y, month, day) and dt.date(y, month, day).weekday() == weekday
    ]
    return sorted(years, key=lambda y: (abs(y - around), y))


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _quote(phrase: str) -> str:
    return "'" + " ".join(phrase.split()) + "'"


def _derived_certainty(reference: Reference) -> Certainty:
    return Certainty.UNCERTAIN if reference.certainty is Certainty.UNCERTAIN else Certainty.INFERRED


def _day_value(start: dt.date, certainty: Certainty, basis: str,
               end: dt.date | None = None) -> DateValue:
    return DateValue(start, end or start, Precision.DAY, certainty, basis)


def _month_value(year: int, month: int, certainty: Certainty, basis: str) -> DateValue:
    last = calendar.monthrange(year, month)[1]
    return DateValue(dt.date(year, month, 1), dt.date(year, month, last), Precision.MONTH,
                     certainty, basis)


def _year_value(year: int, certainty: Certainty, basis: str) -> DateValue:
    return DateValue(dt.date(year, 1, 1), dt.date(year, 12, 31), Precision.YEAR, certainty, basis)


def _resolve(
    phrase: DatePhrase, reference: Reference | None, tense: Tense
) -> TimeExpression | None:
    if phrase.kind == "date":
        value = _resolve_date(phrase, reference, tense)
    elif phrase.kind == "month":
        value = _resolve_month(phrase, reference, tense)
    elif phrase.kind == "year":
        value = _year_value(phrase.year or 0, Certainty.STATED, f"{_quote(phrase.text)}, stated")
    elif phrase.kind == "weekday":
        value = _resolve_lone_weekday(phrase, reference, tense)
    elif phrase.kind == "relative":
        value = _resolve_relative_day(phrase, reference)
    elif phrase.kind == "period":
        value = _resolve_period(phrase, reference)
    elif phrase.kind == "anchored":
        return _resolve_anchored(phrase, reference, tense)
    else:
        return TimeExpression(phrase.span, phrase.text, None, tense,
                              duration_days=phrase.duration_days)
    return TimeExpression(phrase.span, phrase.text, value, tense, weekday=phrase.weekday)


def _resolve_date(
    phrase: DatePhrase, reference: Reference | None, tense: Tense
) -> DateValue | None:
    month, day = phrase.month or 1, phrase.day or 1
    quoted = _quote(phrase.text)
    if phrase.year is not None and not phrase.two_digit_year:
        year, certainty, basis = phrase.year, Certainty.STATED, f"{quoted}, stated"
    elif phrase.year is not None:
        year, certainty = phrase.year, Certainty.INFERRED
        basis = f"{quoted}, two-digit year read as {phrase.year}"
    elif reference is not None:
        year = _year_for(month, day, reference.date, tense, phrase.direction)
        certainty = _derived_certainty(reference)
        basis = f"{quoted}, year from {reference.description}"
        if tense is Tense.UNKNOWN:
            certainty = Certainty.UNCERTAIN
            basis += ", nearest to it (tense unclear)"
    else:
        return None
    start = dt.date(year, month, day)
    end = dt.date(year, month, phrase.end_day) if phrase.end_day else None
    if phrase.weekday is not None and start.weekday() != phrase.weekday:
        certainty = Certainty.UNCERTAIN
        basis += f", but {start.isoformat()} is a {_WEEKDAYS[start.weekday()]}, " \
                 f"not a {_WEEKDAYS[phrase.weekday]}"
    return _day_value(start, certainty, basis, end)


def _year_for(month: int, day: int, reference: dt.date, tense: Tense,
              direction: str | None = None) -> int:
    """The year of a day-and-month without a year: on or before the reference in past text,
    on or after it in future text, else the nearest."""
    candidates = [y for y in (reference.year - 1, reference.year, reference.year + 1)
                  if _valid_day(y, month, day)]
    if not candidates:  # 29 February far from a leap year
        leap = [y for y in range(reference.year - 4, reference.year + 5) if calendar.isleap(y)]
        return min(leap, key=lambda y: abs(y - reference.year))
    dates = [dt.date(y, month, day) for y in candidates]
    if tense is Tense.PAST or direction == "last":
        past = [d for d in dates if d <= reference]
        if past:
            return max(past).year
    if tense is Tense.FUTURE or direction == "next":
        future = [d for d in dates if d >= reference]
        if future:
            return min(future).year
    return min(dates, key=lambda d: abs((d - reference).days)).year


def _resolve_month(
    phrase: DatePhrase, reference: Reference | None, tense: Tense
) -> DateValue | None:
    month = phrase.month or 1
    quoted = _quote(phrase.text)
    if phrase.year is not None:
        return _month_value(phrase.year, month, Certainty.STATED, f"{quoted}, stated")
    if reference is None:
        return None
    ref = reference.date
    year = ref.year
    if phrase.direction == "last":
        year = ref.year if month < ref.month else ref.year - 1
    elif phrase.direction == "next":
        year = ref.year if month > ref.month else ref.year + 1
    elif phrase.direction == "this":
        year = ref.year
    elif tense is Tense.PAST:
        year = ref.year if month <= ref.month else ref.year - 1
    elif tense is Tense.FUTURE:
        year = ref.year if month >= ref.month else ref.year + 1
    certainty = _derived_certainty(reference)
    if tense is Tense.UNKNOWN and phrase.direction is None:
        certainty = Certainty.UNCERTAIN
    return _month_value(year, month, certainty, f"{quoted}, year from {reference.description}")


def _resolve_lone_weekday(phrase: DatePhrase, reference: Reference | None,
                          tense: Tense) -> DateValue | None:
    if reference is None or phrase.weekday is None:
        return None
    ref = reference.date
    certainty = _derived_certainty(reference)
    basis = f"{_quote(phrase.text)}, {reference.description}"
    # "next Friday" is the first Friday after the reference day, and "last Friday" the last
    # one before it, however near: published on a Sunday, "next Friday" is five days on.
    # (Some speakers mean the Friday of next week; news copy, written for readers on the
    # day, overwhelmingly means the coming one, and a nearer wrong day is the lesser harm.)
    if phrase.direction == "last":
        day = resolve_weekday(phrase.weekday, ref - dt.timedelta(days=1), Tense.PAST)
    elif phrase.direction == "next":
        day = resolve_weekday(phrase.weekday, ref + dt.timedelta(days=1), Tense.FUTURE)
    else:
        day = resolve_weekday(phrase.weekday, ref, tense)
        if tense is Tense.UNKNOWN:
            # News reports mostly tell what happened: an untensed weekday is read as past.
            certainty = Certainty.UNCERTAIN
            basis += " (tense unclear, read as past)"
    return _day_value(day, certainty, basis)


def _resolve_relative_day(phrase: DatePhrase, reference: Reference | None) -> DateValue | None:
    if reference is None:
        return None
    day = reference.date + dt.timedelta(days=phrase.offset)
    return _day_value(day, _derived_certainty(reference),
                      f"{_quote(phrase.text)}, {reference.description}")


def _resolve_period(phrase: DatePhrase, reference: Reference | None) -> DateValue | None:
    if reference is None:
        return None
    ref = reference.date
    certainty = _derived_certainty(reference)
    basis = f"{_quote(phrase.text)}, {reference.description}"
    unit = phrase.unit
    if unit == "year":
        return _year_value(ref.year + phrase.offset, certainty, basis)
    if unit == "month":
        index = ref.year * 12 + ref.month - 1 + phrase.offset
        return _month_value(index // 12, index % 12 + 1, certainty, basis)
    monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=phrase.offset)
    if unit == "weekend":
        saturday = monday + dt.timedelta(days=5)
        if phrase.direction == "last" and saturday >= ref:
            saturday -= dt.timedelta(weeks=1)
        return _day_value(saturday, certainty, basis, saturday + dt.timedelta(days=1))
    # A week names no day: the value is the span the happening lies in, Monday to Sunday,
    # cut at the reference for "earlier this week" and "later this week".
    start, end = monday, monday + dt.timedelta(days=6)
    qualifier = phrase.text.split(None, 1)[0].lower()
    if phrase.offset == 0 and qualifier == "earlier" and start < ref:
        end = min(end, ref - dt.timedelta(days=1))
    elif phrase.offset == 0 and qualifier == "later" and ref < end:
        start = max(start, ref + dt.timedelta(days=1))
    return _day_value(start, certainty, basis, end)


def _resolve_sequel(phrase: DatePhrase, earlier: Sequence[TimeExpression],
                    tense: Tense) -> TimeExpression | None:
    """ "The next day" counts from the last day-dated expression before it, if one is near.

    Only a single day (or a stated range, counted from its nearer end) is counted from:
    a week or a month gives no day to count from.
    """
    for anchor in reversed(earlier):
        if phrase.span.start - anchor.span.end > _SEQUEL_REACH:
            return None
        if anchor.relation is not None and anchor.value is None:
            continue
        value = anchor.value
        if value is not None and value.precision is Precision.DAY:
            base = value.end if phrase.offset > 0 else value.start
            day = base + dt.timedelta(days=phrase.offset)
            certainty = (Certainty.UNCERTAIN if value.certainty is Certainty.UNCERTAIN
                         else Certainty.INFERRED)
            basis = (f"{_quote(phrase.text)}, {phrase.offset:+d} days from "
                     f"{base.isoformat()} ({value.basis})")
            return TimeExpression(phrase.span, phrase.text, _day_value(day, certainty, basis),
                                  tense, relation=AnchorRelation(phrase.offset, anchor.span))
        if value is None and anchor.weekday is not None:
            # Undated text: the weekday still follows ("arrived on Sunday ... the next day").
            weekday = (anchor.weekday + phrase.offset) % 7
            return TimeExpression(phrase.span, phrase.text, None, tense, weekday=weekday,
                                  relation=AnchorRelation(phrase.offset, anchor.span))
        if value is not None:
            return None  # the last date told is a month or a year: no day to count from
    return None


def _resolve_anchored(phrase: DatePhrase, reference: Reference | None,
                      tense: Tense) -> TimeExpression:
    value = None
    anchor_date = phrase.anchor_phrase
    if anchor_date is not None:
        base = _resolve_date(anchor_date, reference, tense)
        if base is not None:
            day = base.start + dt.timedelta(days=phrase.offset)
            basis = (f"{_quote(phrase.text + ' ' + anchor_date.text)}, "
                     f"{phrase.offset:+d} days from {base.start.isoformat()} ({base.basis})")
            value = _day_value(day, base.certainty, basis)
    relation = AnchorRelation(phrase.offset, phrase.anchor) if phrase.anchor else None
    return TimeExpression(phrase.span, phrase.text, value, tense, relation=relation)
