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
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from viewer.core.model import (
    AnchorRelation,
    Certainty,
    DateValue,
    Precision,
    Span,
    Tense,
    TimeExpression,
)

# (start, end, the trigger's hits in it) for each window of text a scanner searches
_Windows = list[tuple[int, int, list[tuple[int, int]]]]

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

    ``kind`` is one of: "date" (a day, maybe without a year), "monthday" (a day of an
    unnamed month: "on the 5th"), "month", "year",
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


def _by_first_letter(words: Sequence[str], capital: bool = True) -> str:
    """Alternation of each word as written and (if ``capital``) with a capital, grouped by
    first letter.

    Python's regex engine tries alternatives one by one: grouped, a position is
    rejected after one test per first letter rather than one per word.
    """
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(
        f"[{first}{first.upper() if capital else ''}](?:"
        + "|".join(re.escape(rest) for rest in sorted(rests, key=lambda r: (-len(r), r))) + ")"
        for first, rests in sorted(groups.items())
    )


def _title_or_upper(words: Sequence[str]) -> str:
    """Alternation of each word in Title case and UPPER case, longest first (grouped by
    first letter, which changes nothing of what it matches: see ``_by_first_letter``).

    Case matters: lower-case "may", "march" and "sun" are ordinary words.
    """
    return _by_first_letter(_title_or_upper_forms(words), capital=False)


def _title_or_upper_forms(words: Sequence[str]) -> list[str]:
    """Each word in Title case and UPPER case, longest first."""
    forms = {w.title() for w in words} | {w.upper() for w in words}
    return sorted(forms, key=lambda w: (-len(w), w))


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
# Between the days of a range: a dash, or a word where the month follows both days.
_YEAR_OFFSET = {"this": 0, "last": -1, "next": 1}
_AND = re.compile(r"\band\b", re.IGNORECASE)
_RANGE_TO = f"(?:\\s*{_DASH}\\s*|\\s+(?i:to|through|until|till|and)\\s+)"


def _day_month(suffix: str = "") -> str:
    """'18 October 2021', '18-21 October', 'from 19 to 22 October', 'the 17th of Oct.',
    '19 JUL 22'."""
    s = suffix
    return (
        f"(?:(?i:the)\\s+)?(?P<d{s}>{_DAY})(?:{_RANGE_TO}(?P<e{s}>{_DAY}))?"
        f"\\s+(?:(?i:of)\\s+)?(?P<m{s}>{_MONTH_ANY})"
        f"(?:,?\\s+(?P<y{s}>{_YEAR})"
        # Two-digit years only in compact header dates ("19 JUL 22") at the end of a line.
        f"|\\s+(?P<yy{s}>\\d\\d)(?=[ \\t\\r]*(?:$|[|,;)\\]]|\\d{{1,2}}:\\d\\d)))?"
    )


def _month_day(suffix: str = "") -> str:
    """'October 18, 2021', 'Oct. 19', 'Sept 17th', 'October 18-21', 'April 6 to 10',
    'October the 17th'."""
    s = suffix
    return (
        f"(?P<m{s}>{_MONTH_ANY})\\s*(?:(?i:the)\\s+)?(?P<d{s}>{_DAY})"
        # Not "March 30 to 2 April": that day belongs to the month after it.
        f"(?:{_RANGE_TO}(?P<e{s}>{_DAY})(?!\\s*{_MONTH_ANY}))?(?:,?\\s+(?P<y{s}>{_YEAR}))?"
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
        f"(?P<m>{_MONTH_FULL})\\b(?:\\s+(?P<ry>(?i:this|last|next))\\s+(?i:year)\\b)?"
        f"(?![\\s.,]*\\d)",
    )
)

_NUMERIC_DATE = re.compile(
    r"(?<![\w.\-/])(?:"
    r"(?P<iy>(?:19|20)\d\d)-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])"
    r"|(?P<dd>0?[1-9]|[12]\d|3[01])\.(?P<dm>0?[1-9]|1[0-2])\.(?P<dy>(?:19|20)\d\d)"
    r"|(?P<sa>\d{1,2})/(?P<sb>\d{1,2})/(?P<sy>(?:19|20)\d\d)"
    # "14.03.25": two digits each, as site headers write them, day first
    r"|(?P<ed>0[1-9]|[12]\d|3[01])\.(?P<em>0[1-9]|1[0-2])\.(?P<ey>\d\d)"
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
    r"\b(?i:(?P<same>the\s+same\s+(?:day|morning|afternoon|evening|night)"
    r"|(?:earlier|later)\s+(?:in\s+the|that)\s+day)"
    r"|(?:the\s+)?(?P<adj>next|following|previous|preceding)\s+day"
    r"|the\s+day\s+(?P<rel>before|after)(?=\s*(?:[,.;:!?)]|$))"
    f"|(?P<n>{_NUMBER})\\s+(?P<unit>days?|weeks?)\\s+(?P<dir>later|earlier))\\b",
    re.MULTILINE,
)
_SEQUEL_REACH = 1500  # how far back (a few paragraphs) the date a sequel counts from may be

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
    ranked, unskipped = _ranked_phrases(text)
    outside = _outside(ranked, skip)
    if len(outside) == len(ranked):
        return list(unskipped)  # the skip spans hold no phrase: the overlaps fall as before
    return _without_overlaps(outside)


# Publication-date inference, dateline finding and event extraction each ask for one
# text's phrases, with different skip spans; mostly those spans hold no phrase at all.
# So the candidates are found, ranked for the overlap rule and thinned once per text.
@functools.lru_cache(maxsize=8)
def _ranked_phrases(text: str) -> tuple[tuple[DatePhrase, ...], tuple[DatePhrase, ...]]:
    """Every candidate phrase, longest first as the overlap rule takes them, and the phrases
    kept when nothing is skipped."""
    view = _capitalised_dates(text)
    candidates = _candidates(view)
    if view is not text:
        # Found in the capitalised view; each phrase's text is cut from the text as written.
        candidates = tuple(replace(p, text=text[p.span.start : p.span.end]) for p in candidates)
    ranked = tuple(sorted(candidates, key=lambda p: (-len(p.span), p.span.start)))
    return ranked, tuple(_without_overlaps(ranked))


_LOWER_MONTHS = frozenset(m.lower() for m in _MONTHS)
_LOWER_NAMES = tuple(m.lower() for m in (*_MONTHS, *_WEEKDAYS))
# Month and weekday names in lower case, as translated copy writes them; each is taken for a
# date only where nothing else can be meant: "12 march", "3rd of may", "october 2025",
# "on wednesday", "friday 16 may".
_LOWER_NAME = re.compile("\\b(?:" + "|".join(m.lower() for m in (*_MONTHS, *_WEEKDAYS)) + ")\\b")
_DAY_BEFORE = re.compile(r"\d(?:st|nd|rd|th)?\s+(?:of\s+)?$")
_YEAR_AFTER = re.compile(r"\s+(?:19|20)\d\d\b")
_WORD_BEFORE_WEEKDAY = re.compile(r"\b(?:on|last|next|this|coming|since|by|until)\s+$")
_DAY_AFTER = re.compile(r",?\s+\d{1,2}\b")


@functools.lru_cache(maxsize=8)
def _capitalised_dates(text: str) -> str:
    """text with lower-case month and weekday names of dates capitalised (same offsets);
    text itself when it has none."""
    starts = [start for start, end in _lower_names(text) if _is_date_word(text, start, end)]
    if not starts:
        return text
    chars = list(text)
    for start in starts:
        chars[start] = chars[start].upper()
    return "".join(chars)


def _lower_names(text: str) -> Iterable[tuple[int, int]]:
    """Where ``_LOWER_NAME`` matches in text: month and weekday names in lower case."""
    low = _lowered(text)
    if low is None:
        return (m.span() for m in _LOWER_NAME.finditer(text))
    # Found in the lower-cased text, where the period trigger looks for the months anyway
    # (``_positions`` keeps them), instead of by a regex scan of the whole text.
    found = []
    for name in _LOWER_NAMES:
        for start in _positions(low, name):
            end = start + len(name)
            if text.startswith(name, start) and _is_word_edge(text, start - 1) \
                    and _is_word_edge(text, end):
                found.append((start, end))
    return found


def _is_word_edge(text: str, at: int) -> bool:
    """Whether no word character (what ``\\w`` matches) is at ``at``: a name ends there."""
    return not 0 <= at < len(text) or not (text[at].isalnum() or text[at] == "_")


def _is_date_word(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 12) : start]
    if text[start:end] in _LOWER_MONTHS:
        return (_DAY_BEFORE.search(before) is not None
                or _YEAR_AFTER.match(text, end) is not None)
    return (_WORD_BEFORE_WEEKDAY.search(before) is not None
            or _DAY_AFTER.match(text, end) is not None)


def _candidates(text: str) -> tuple[DatePhrase, ...]:
    """Every phrase any scanner finds in text, overlapping ones included."""
    candidates: list[DatePhrase] = []
    # Keyed by each trigger's source text, as are the tables below: Python keeps a string's
    # hash, but hashes a compiled pattern's whole program again at every lookup.
    windows_of: dict[str, _Windows] = {}
    low = _lowered(text)
    for trigger, scan in _SCANNERS:
        windows = windows_of.get(trigger.pattern)
        if windows is None:
            windows = windows_of[trigger.pattern] = _windows(trigger, text, low)
        if windows:
            candidates.extend(p for p in scan(text, windows) if p is not None)
    return tuple(candidates)


def _without_overlaps(ranked: Sequence[DatePhrase]) -> list[DatePhrase]:
    """Of phrases ranked longest first, keep each that overlaps none kept before it."""
    taken: list[tuple[int, int]] = []
    kept: list[DatePhrase] = []
    for phrase in ranked:
        start, end = phrase.span.start, phrase.span.end
        i = bisect.bisect_left(taken, (start, end))
        if (i > 0 and taken[i - 1][1] > start) or (i < len(taken) and taken[i][0] < end):
            continue
        taken.insert(i, (start, end))
        kept.append(phrase)
    kept.sort(key=lambda p: p.span.start)
    return kept


def _outside(phrases: Sequence[DatePhrase], skip: Sequence[Span]) -> Sequence[DatePhrase]:
    """The phrases that overlap no skip span, in their order. A phrase in a skip span is
    never kept, so dropping these first leaves the overlap rule's choices among the rest
    as they were."""
    if not skip:
        return phrases
    skipped = _merged(skip)
    starts = [start for start, _ in skipped]
    return [p for p in phrases if not _overlaps(p.span, skipped, starts)]


def _overlaps(span: Span, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether span overlaps one of the sorted, disjoint spans (``starts`` their starts)."""
    i = bisect.bisect_left(starts, span.end)
    return i > 0 and spans[i - 1][1] > span.start


def _merged(spans: Sequence[Span]) -> list[tuple[int, int]]:
    """Spans as sorted, disjoint (start, end) pairs."""
    return _merged_pairs((s.start, s.end) for s in spans)


def _merged_pairs(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) pairs, the empty left out, as sorted, disjoint pairs."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(pair for pair in pairs if pair[1] > pair[0]):
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


def _matches_near(pattern: re.Pattern[str], text: str, windows: _Windows,
                  words: Sequence[str], count: int) -> Iterator[re.Match[str]]:
    """What ``_matches`` finds, for a pattern whose every match holds one of ``words``
    (in any case), opening the match or at most ``count`` words into it."""
    low = _lowered(text)
    if low is None:
        yield from _matches(pattern, text, windows)
        return
    positions = sorted(i for word in words for i in _positions(low, word))
    for start, end, _ in windows:
        first, last = bisect.bisect_left(positions, start), bisect.bisect_left(positions, end)
        inside = positions[first:last]
        if inside:
            yield from _matches_from(pattern, text, start, end,
                                     [*inside, *_words_before(text, start, inside, count)])


# Names as the name trigger finds them. Every month or weekday a date pattern matches
# starts a word, so the trigger (longest name first) has a hit there naming the same
# kind of day: the patterns need only be tried around such hits.
_MONTH_FORMS = frozenset(_title_or_upper_forms([*_MONTHS, *_MONTH_ABBREVIATIONS]))
_FULL_MONTH_FORMS = frozenset(_title_or_upper_forms(_MONTHS))
_WEEKDAY_FORMS = frozenset(_title_or_upper_forms([*_WEEKDAYS, *_WEEKDAY_NUMBER]))
_FULL_WEEKDAY_FORMS = frozenset(_title_or_upper_forms(_WEEKDAYS))
_WORD = re.compile(r"[^\W_]+")
# Written "[0-9][0-9]*", not "[0-9]+": a pattern that opens with a repeat gets no quick
# scan for its first character, and the engine tries a whole match at every position.
_DIGITS = re.compile("[0-9][0-9]*")


def _scan_named_dates(text: str, windows: _Windows) -> list[DatePhrase | None]:
    # Found pattern by pattern, as a plain scan would: which of two phrases with one span
    # is kept depends on their order.
    found: list[list[DatePhrase | None]] = [[] for _ in _DATE_PATTERNS]
    for start, end, hits in windows:
        months = [s for s, e in hits if text[s:e] in _MONTH_FORMS]
        if not months:
            continue  # every pattern needs a month
        full_months = [s for s, e in hits if text[s:e] in _FULL_MONTH_FORMS]
        weekdays = [s for s, e in hits if text[s:e] in _WEEKDAY_FORMS]
        full_weekdays = [s for s, e in hits if text[s:e] in _FULL_WEEKDAY_FORMS]
        days = [m.start() for m in _DIGITS.finditer(text, start, end)]
        # Where each pattern's matches can start: "on Friday, October 19", "the 17th of Oct.",
        # "Sunday (October 17th)", "October 2020", "since early March".
        starts_of = (
            [*months, *weekdays, *days, *_words_before(text, start, weekdays, 1),
             *_words_before(text, start, days, 1)],
            [*full_weekdays, *_words_before(text, start, full_weekdays, 1)],
            [*full_weekdays, *_words_before(text, start, full_weekdays, 1)],
            months,
            _words_before(text, start, full_months, 4),
        )
        for pattern, starts, kept in zip(_DATE_PATTERNS, starts_of, found, strict=True):
            kept.extend(_named_date(text, m)
                        for m in _matches_from(pattern, text, start, end, starts))
    return [phrase for phrases in found for phrase in phrases]


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
        if g.get("ry"):  # "in March last year": March of the year before the reference's
            return _phrase(text, m.start("m"), m.end(), "month", month=month,
                           direction="year", offset=_YEAR_OFFSET[g["ry"].lower()])
        return _phrase(text, m.start("m"), m.end(), "month", year=year, month=month)
    day = _day_of(day_text)
    end_day = _day_of(g["e" + suffix]) if g.get("e" + suffix) else None
    if end_day is not None and end_day != day + 1 and _AND.search(
            text, m.end("d" + suffix), m.start("e" + suffix)):
        # "on 3 and 10 March": two days, not a span; the one next to the month is read, as
        # before "and" joined days at all ("on 26 and 27 February" is a span of two).
        month_first = m.start("m" + suffix) < m.start("d" + suffix)
        if not month_first:
            day = end_day
        if not _valid_day(year or 2000, month, day):
            return None
        start = m.start() if month_first else m.start("e" + suffix)
        end = m.end("d" + suffix) if month_first else m.end()
        return _phrase(text, start, end, "date", year=year, month=month, day=day,
                       two_digit_year=two_digit)
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
    matches = list(_matches(_NUMERIC_DATE, text, windows))
    day_first = _slash_order(matches)
    return [_numeric_date(text, m, day_first) for m in matches]


def _slash_order(matches: Sequence[re.Match[str]]) -> bool | None:
    """Whether the text writes slashed dates day first: a date like 17/05/2025 elsewhere in
    it says so (True), one like 05/17/2025 says not (False); None with no or mixed signs."""
    firsts = {int(m.group("sa")) > 12 for m in matches if m.group("sa")
              if (int(m.group("sa")) > 12) != (int(m.group("sb")) > 12)}
    return next(iter(firsts)) if len(firsts) == 1 else None


def _numeric_date(text: str, m: re.Match[str], day_first: bool | None = None) -> DatePhrase | None:
    g = m.groupdict()
    lead = _NUMERIC_WEEKDAY.search(text, max(0, m.start() - 16), m.start())
    weekday = _weekday_of(lead.group("wd")) if lead else None
    if g["iy"]:
        year, month, day = int(g["iy"]), int(g["im"]), int(g["id"])
    elif g["dy"]:
        # Dotted dates are day-first wherever they are written ("20.10.2021").
        year, month, day = int(g["dy"]), int(g["dm"]), int(g["dd"])
    elif g["ey"]:
        year, month, day = 2000 + int(g["ey"]), int(g["em"]), int(g["ed"])
    else:
        # 03/04/2021 could be either order: better no date than a wrong one, unless a
        # weekday beside it ("Sunday, 17/3/2024"), a day above 12 or another date of the
        # text written the same way ("from 03/02/2025 to 17/02/2025") settles it.
        read = read_slashed_date(int(g["sa"]), int(g["sb"]), int(g["sy"]), weekday=weekday,
                                 day_first=day_first)
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
    for m in _weekday_matches(text, windows):
        direction = m.group("dir")
        start = m.start("on") if m.group("on") else m.start("wd")
        if direction:
            start = m.start()
        found.append(_phrase(text, start, m.end(), "weekday",
                             weekday=_weekday_of(m.group("wd")),
                             direction=direction.strip().lower() if direction else None))
    return found


def _weekday_matches(text: str, windows: _Windows) -> Iterator[re.Match[str]]:
    for start, end, hits in windows:
        weekdays = [s for s, e in hits if text[s:e] in _FULL_WEEKDAY_FORMS]
        if not weekdays:
            continue
        # "last Friday", "on Friday", "next on Friday"
        yield from _matches_from(_WEEKDAY, text, start, end,
                                 [*weekdays, *_words_before(text, start, weekdays, 2)])


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
    # "later this week": the direction word, or the word before it, opens the phrase.
    for m in _matches_near(_PERIOD, text, windows, ("last", "next", "this", "coming"), 1):
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
    for m in _matches_near(_AGO, text, windows, ("ago",), 2):  # "three days ago"
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


# A year told relative to the year just told: "joined the council the following year".
_YEAR_SEQUEL = re.compile(
    r"\b(?i:the\s+(?P<adj>next|following|previous|preceding)\s+year"
    r"|the\s+year\s+(?P<rel>before|after)(?=\s*(?:[,.;:!?)]|$))"
    f"|(?P<n>{_NUMBER})\\s+years?\\s+(?P<dir>later|earlier))\\b",
    re.MULTILINE,
)


def _scan_sequels(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    for pattern, unit, limit in ((_SEQUEL, None, 400), (_YEAR_SEQUEL, "year", 100)):
        for m in _matches(pattern, text, windows):
            offset = _sequel_offset(m, limit)
            if offset is not None:
                found.append(_phrase(text, m.start(), m.end(), "sequel", offset=offset,
                                     unit=unit))
    return found


def _sequel_offset(m: re.Match[str], limit: int) -> int | None:
    """How many days (or years) on a sequel counts: "the next" +1, "two weeks earlier" -14."""
    if m.groupdict().get("same"):
        return 0
    if m.group("adj"):
        return 1 if m.group("adj").lower() in ("next", "following") else -1
    if m.group("rel"):
        return 1 if m.group("rel").lower() == "after" else -1
    count = _number(m.group("n"))
    if count is None or count == 0 or count > limit:
        return None
    if (m.groupdict().get("unit") or "").lower().startswith("week"):
        count *= 7
    return count if m.group("dir").lower() == "later" else -count


def _scan_durations(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    # "for three full days", "a two-week": the count is up to three words before the unit.
    for m in _matches_near(_DURATION, text, windows, ("day", "week"), 3):
        n = _number(m.group("n") or m.group("n2"))
        unit = (m.group("unit") or m.group("unit2")).lower()
        if n is None or n == 0 or n > 400:
            continue
        days = n * (7 if unit.startswith("week") else 1)
        found.append(_phrase(text, m.start(), m.end(), "duration", duration_days=days))
    return found


def _scan_years(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    for m in _year_matches(text, windows):
        start, end = m.span("y")
        if not m.group("prep") and not _stands_alone(text, start, end, bool(m.group("poss"))):
            continue
        year = int(m.group("y"))
        if MIN_YEAR <= year <= MAX_YEAR:
            found.append(_phrase(text, start, end, "year", year=year))
    return found


# "on the 5th": a day of the month the reference falls in or the one before or after. Only
# after a preposition and before a pause, so "the 5th floor", "the 20th anniversary" and
# "the 5th of March" (a date of its own) are not one.
_ORDINAL_DAY = re.compile(
    r"\b(?:on|since|by|until|from|before|after)\s+the\s+(?P<d>3[01]|[12]\d|0?[1-9])"
    r"(?:st|nd|rd|th)(?:\s+of\s+(?:this|the|last|next)\s+month)?"
    r"(?=\s*(?:[,.;:)]|$)|\s+(?:and|when|at|in|with|to|for|as|after|before)\b)",
    re.IGNORECASE)


def _scan_ordinal_days(text: str, windows: _Windows) -> list[DatePhrase | None]:
    return [_phrase(text, m.start(), m.end(), "monthday", day=int(m.group("d")))
            for m in _matches(_ORDINAL_DAY, text, windows)]


# "last spring", "this summer", "in the autumn of 2023", "spring 2024": a season, told to the
# year it falls in ("fall" only beside a direction or a year: "the fall of Kabul" is none).
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_SEASON = re.compile(
    r"\b(?:(?P<dir>last|this|next|coming)\s+(?P<s1>spring|summer|autumn|fall(?!\s+(?:in|of)\b)"
    r"|winter)"
    r"|(?:(?:early|late|mid)[\s-]+)?(?P<s2>spring|summer|autumn|fall|winter)\s+(?:of\s+)?"
    r"(?P<y>(?:19|20)\d\d))\b",
    re.IGNORECASE)


def _scan_seasons(text: str, windows: _Windows) -> list[DatePhrase | None]:
    found: list[DatePhrase | None] = []
    for m in _matches_near(_SEASON, text, windows, tuple(_SEASONS), 2):
        season = (m.group("s1") or m.group("s2")).lower()
        direction = (m.group("dir") or "").lower() or None
        found.append(_phrase(text, m.start(), m.end(), "season", month=_SEASONS[season],
                             year=int(m.group("y")) if m.group("y") else None,
                             direction="next" if direction == "coming" else direction))
    return found


def _year_matches(text: str, windows: _Windows) -> Iterator[re.Match[str]]:
    for start, end, hits in windows:
        # Every year a match holds is a trigger hit; "by the end of early 2021" is the
        # longest preposition before it.
        years = [hit_start for hit_start, _ in hits]
        yield from _matches_from(_YEAR_ALONE, text, start, end,
                                 [*years, *_words_before(text, start, years, 3)])


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
_RELATIVE_TRIGGER = re.compile(
    _lower_or_title(["yesterday", "today", "tonight", "tomorrow", "last night", "this morning",
                     "this afternoon", "this evening"]) + "|YESTERDAY|TODAY|TONIGHT|TOMORROW")
_PERIOD_TRIGGER = re.compile("week|month|year|ago|WEEK|MONTH|YEAR|AGO|" + _title_or_upper(_MONTHS))
_ANCHORED_TRIGGER = re.compile(r"(?:day|week|DAY|WEEK)s?\s+(?:after|before|AFTER|BEFORE)|eve\s+of")
_SEQUEL_TRIGGER = re.compile(r"(?i:day|week|year)s?\s+(?i:later|earlier|before|after)|(?i:next|"
                             r"following|previous|preceding)\s+(?i:day|year)|(?i:same)\s|"
                             r"(?i:earlier|later)\s+(?i:in\s+the|that)\s+(?i:day)")
_DURATION_TRIGGER = re.compile(f"{_DASH}(?:day|week)|days|weeks|DAYS|WEEKS")
_YEAR_TRIGGER = re.compile(r"(?:19|20)\d\d|2100")
_ORDINAL_DAY_TRIGGER = re.compile(r"\d(?:st|nd|rd|th)\b")
_NUMERIC_TRIGGER = re.compile(r"[0-9][-./][0-9]")
_SEASON_TRIGGER = re.compile(r"(?i:spring|summer|autumn|fall|winter)")
_SCANNERS: tuple[tuple[re.Pattern[str], _Scanner], ...] = (
    (_NAME_TRIGGER, _scan_named_dates),
    (_NUMERIC_TRIGGER, _scan_numeric_dates),
    (_NAME_TRIGGER, _scan_weekdays),
    (_RELATIVE_TRIGGER, _scan_relative_days),
    (_PERIOD_TRIGGER, _scan_periods),
    (_ANCHORED_TRIGGER, _scan_anchored),
    (_SEQUEL_TRIGGER, _scan_sequels),
    (_DURATION_TRIGGER, _scan_durations),
    (_YEAR_TRIGGER, _scan_years),
    (_ORDINAL_DAY_TRIGGER, _scan_ordinal_days),
    (_SEASON_TRIGGER, _scan_seasons),
)
# Lower-case words one of which opens every match of a trigger (or, with a shift, sits
# that far from its start). Python's regex engine tries an alternation at every
# position, while str.find skips through text in C: the trigger is tried only there.
_Starts = tuple[tuple[str, int], ...]
_TRIGGER_WORDS: dict[str, _Starts] = {
    _RELATIVE_TRIGGER.pattern: tuple((w, 0) for w in (
        "yesterday", "today", "tonight", "tomorrow", "last night", "this morning",
        "this afternoon", "this evening")),
    _PERIOD_TRIGGER.pattern: tuple((w, 0) for w in ("week", "month", "year", "ago",
                                            *(m.lower() for m in _MONTHS))),
    _ANCHORED_TRIGGER.pattern: (("day", 0), ("week", 0), ("eve", 0)),
    _SEQUEL_TRIGGER.pattern: tuple((w, 0) for w in (
        "day", "week", "year", "next", "following", "previous", "preceding", "same",
        "earlier", "later")),
    # "days", or "-day" with the dash just before the word.
    _DURATION_TRIGGER.pattern: (("day", 0), ("day", -1), ("week", 0), ("week", -1)),
    _SEASON_TRIGGER.pattern: tuple((w, 0) for w in ("spring", "summer", "autumn", "fall",
                                                   "winter")),
}
# Digits have no case: these are looked for in the text itself.
_TRIGGER_DIGITS: dict[str, _Starts] = {
    _YEAR_TRIGGER.pattern: (("19", 0), ("20", 0), ("2100", 0)),
}
# Patterns opening with plain characters, the trigger's match starting the given number of
# characters before each of theirs; look-behinds check the characters before. The engine
# skips to plain characters at once, while a trigger opening with a class (\d, [0-9]) is
# tested at every character.
_TRIGGER_TAILS: dict[str, tuple[tuple[re.Pattern[str], int], ...]] = {
    _ORDINAL_DAY_TRIGGER.pattern: tuple(
        (re.compile(f"{suffix}\\b(?<=\\d{suffix})"), 1) for suffix in ("st", "nd", "rd", "th")),
    _NUMERIC_TRIGGER.pattern: tuple(
        (re.compile(f"{re.escape(mark)}(?<=[0-9]{re.escape(mark)})[0-9]"), 1) for mark in "-./"),
}
# Longer than any phrase reaches beyond its trigger words, so no match is cut short.
_WINDOW_MARGIN = 48


@functools.lru_cache(maxsize=8)
def _lowered(text: str) -> str | None:
    """text in lower case, when that keeps every offset and when matching ASCII words
    regardless of case is the same as comparing lower-cased text; else None."""
    low = text.lower()
    # Case-blind regexes also match "ı" for "i" and "ſ" for "s"; "İ" lowers to two characters.
    if len(low) != len(text) or "ı" in text or "ſ" in text:
        return None
    return low


# Several triggers look for the same words in one text.
@functools.lru_cache(maxsize=64)
def _positions(text: str, word: str) -> tuple[int, ...]:
    found = []
    i = text.find(word)
    while i >= 0:
        found.append(i)
        i = text.find(word, i + 1)
    return tuple(found)


def _starting_at(pattern: re.Pattern[str], text: str,
                 starts: _Starts, haystack: str) -> Iterator[tuple[int, int]]:
    """What ``pattern.finditer(text)`` finds, given words of ``haystack`` one of which
    begins every match (or lies ``shift`` after its start): the pattern is tried only there."""
    pos = 0
    for start in sorted({i + shift for word, shift in starts
                         for i in _positions(haystack, word)}):
        if start < pos:
            continue
        m = pattern.match(text, start)
        if m is not None:
            pos = m.end()
            yield m.span()


def _trigger_hits(trigger: re.Pattern[str], text: str,
                  low: str | None) -> Iterator[tuple[int, int]]:
    digits = _TRIGGER_DIGITS.get(trigger.pattern)
    if digits is not None:
        return _starting_at(trigger, text, digits, text)
    tails = _TRIGGER_TAILS.get(trigger.pattern)
    if tails is not None:
        # The trigger's matches are all of one length: the first of overlapping ones is its.
        return iter(_leftmost([(m.start() - back, m.end()) for tail, back in tails
                               for m in tail.finditer(text)]))
    words = _TRIGGER_WORDS.get(trigger.pattern)
    if low is not None and words is not None:
        return _starting_at(trigger, text, words, low)
    return (m.span() for m in trigger.finditer(text))


def _windows(trigger: re.Pattern[str], text: str, low: str | None = None) -> _Windows:
    """Disjoint windows of text around each trigger hit, with the hits in each."""
    windows: _Windows = []
    for hit in _trigger_hits(trigger, text, low):
        start, end = max(0, hit[0] - _WINDOW_MARGIN), hit[1] + _WINDOW_MARGIN
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end, windows[-1][2])
            windows[-1][2].append(hit)
        else:
            windows.append((start, end, [hit]))
    return windows


def _matches(pattern: re.Pattern[str], text: str, windows: _Windows) -> Iterator[re.Match[str]]:
    for start, end, _ in windows:
        yield from pattern.finditer(text, start, end)


def _matches_from(pattern: re.Pattern[str], text: str, start: int, end: int,
                  starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text, start, end)`` finds, given every position where a
    match could start (more do no harm): the pattern is tried only there."""
    pos = start
    for at in sorted(set(starts)):
        if at < pos or at >= end:
            continue
        m = pattern.match(text, at, end)
        if m is not None:
            pos = m.end()
            yield m


def _words_before(text: str, start: int, positions: list[int], count: int) -> list[int]:
    """Where the ``count`` words before each position start (none before ``start``)."""
    found = []
    for at in positions:
        reach = 24
        while True:
            low = max(start, at - reach)
            words = [m.start() for m in _WORD.finditer(text, low, at)]
            # The first word found may be cut short by ``low``; those after it are whole.
            if len(words) > count or low == start:
                break
            reach *= 4
        found.extend(words[-count:])
    return found


# ---------------------------------------------------------------------------
# Tense



# Tense markers. Each pattern opens with a literal character or word so the engine can
# skip quickly through text; word starts are checked by the leading space or quote.
_FUTURE_WORDS = (
    "will", "shall", "won't", "won’t", "next", "upcoming", "forthcoming", "tomorrow",
    "scheduled for", "later this", "plan to", "plans to", "intends to", "intend to",
    "to be held", "is to", "are to", "is expected to", "are expected to",
    "is scheduled to", "are scheduled to", "is set to", "are set to", "is due to",
    "are due to", "is slated to", "are slated to", "is planned", "are planned",
    "is going to", "are going to", "scheduled to", "expected to", "slated to",
    # An invitation is to something still to come: "accepted an invitation to visit
    # Azerbaijan in April".
    "invitation to", "invitations to",
    # A meeting agreed on is still to come: "agreed to meet in Santiago on 12 December".
    *(f"{verb} to {act}" for verb in ("agreed", "agree", "agrees", "decided", "promised",
                                      "pledged", "vowed")
      for act in ("meet", "visit", "hold", "travel", "convene", "reconvene", "return")),
)
_PAST_WORDS = (
    "was", "were", "had", "did", "has been", "have been", "said", "met", "held", "took",
    "came", "went", "began", "told", "gave", "spoke", "sat", "left", "flew", "became",
    "saw", "made", "wrote", "brought", "sent", "ago", "yesterday", "last", "earlier",
)


# Tense markers: a word after a space or quote, or an ending ("we'll", "signed"). Each
# form is its own pattern so that the endings are found by fast literal search.
_TENSE_WORD = re.compile(f"[\\s“\"‘(](?:(?P<future>{_by_first_letter(_FUTURE_WORDS)})"
                         f"|(?P<past>{_by_first_letter(_PAST_WORDS)}))\\b")
# The same words in lower-cased text, where each branch opens with a plain letter: the
# engine tests a plain letter at once, a class like [wW] only by a slower call, and tries
# every branch after every space. What it finds there only shows where _TENSE_WORD may match.
_TENSE_WORD_LOWER = re.compile(
    f"[\\s“\"‘(](?:{_by_first_letter((*_FUTURE_WORDS, *_PAST_WORDS), capital=False)})")
# Endings after a lower-case letter. Each opens with plain letters, which the engine finds
# fast (a class like [’'] it would test at every character); the look-behind checks the
# apostrophe and the letter, which lie this many characters before the match.
_FUTURE_ENDING = (re.compile("ll\\b(?<=[a-z][’']ll)"), 2)
_PAST_ENDING = (re.compile("ed\\b(?<=[a-z]ed)"), 1)
# Words in -ed that are no past tense.
_NOT_PAST = frozenset((
    "hundred", "kindred", "sacred", "naked", "wicked", "red", "bed", "shed", "need", "feed",
    "seed", "speed", "indeed", "proceed", "exceed", "succeed", "breed", "embed",
))
_PASSIVE_BE = re.compile(r"\b(?i:be|being|remain|remains|stay|stays)\s+$")
# Clause boundaries: where a sentence changes its subject or verb ("..., which will end").
_CLAUSE_PUNCTUATION = ",;:()–—"
_CLAUSE_WORD = re.compile(" (?:" + _by_first_letter(
    ["which", "who", "where", "while", "but", "and", "after", "before", "when", "as", "that"],
    capital=False) + ")\\b")
# Sentence ends: a stop followed by a capitalised word (so "Oct. 19" stays whole), or a newline.
# (One stop, then more: see _DIGITS.)
_SENTENCE_STOP = re.compile(r"[.!?][.!?]*[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z])")
_NEWLINE = re.compile("\n")
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
    future_spans: list[tuple[int, int]] = []
    past_spans: list[tuple[int, int]] = []
    # One pass finds both kinds of word: where a future phrase holds a past word ("to be
    # held") that word is not found, but it would not count as past anyway.
    for m in _tense_words(text, start, end):
        (future_spans if m.lastgroup == "future" else past_spans).append(m.span())
    future_spans = _with_endings(future_spans, _FUTURE_ENDING, text, start, end)
    future = [s for s, _ in future_spans if not _is_the_next(text, s)]
    past_spans = _with_endings(past_spans, _PAST_ENDING, text, start, end)
    past = [
        s for s, e in past_spans
        if _is_past_marker(text, s, e) and not _inside(s + 1, future_spans, future)
    ]
    return future, past


def _tense_words(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """What ``_TENSE_WORD.finditer(text, start, end)`` finds, tried only where the text in
    lower case holds a tense word: each of its matches is such a place."""
    low = _lowered(text)
    if low is None:
        yield from _TENSE_WORD.finditer(text, start, end)
        return
    pos = start
    while (hint := _TENSE_WORD_LOWER.search(low, pos, end)) is not None:
        m = _TENSE_WORD.match(text, hint.start(), end)
        if m is None:
            pos = hint.start() + 1  # "WILL": a tense word only when lower-cased
        else:
            pos = m.end()
            yield m


@functools.lru_cache(maxsize=8)
def _char_positions(text: str, chars: str) -> tuple[int, ...]:
    """Where any of chars stands in text, in order. Plain searches skip through text faster
    than the regex engine, which tests a character class at every position."""
    found = []
    for char in chars:
        i = text.find(char)
        while i >= 0:
            found.append(i)
            i = text.find(char, i + 1)
    return tuple(sorted(found))


def _chars_within(text: str, chars: str, start: int, end: int) -> tuple[int, ...]:
    """Where any of chars stands in text[start:end], in order."""
    positions = _char_positions(text, chars)
    return positions[bisect.bisect_left(positions, start) : bisect.bisect_left(positions, end)]


def _is_the_next(text: str, start: int) -> bool:
    """ "the next day": a day after another, past or future; not a sign of the future."""
    return text.startswith(("next", "Next"), start + 1) and (
        text[max(0, start - 3) : start].lower() == "the"
    )


def _with_endings(spans: list[tuple[int, int]], ending: tuple[re.Pattern[str], int],
                  text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The word spans with those of the words ending in ``ending``, each from the
    lower-case letter before the ending."""
    pattern, back = ending
    endings = [(m.start() - back, m.end()) for m in pattern.finditer(text, start + back, end)]
    return _leftmost([*spans, *endings]) if endings else spans


def _leftmost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans one regex alternation of all their patterns would find: no overlaps."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _inside(position: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """Whether position lies in one of the sorted, disjoint spans ("held" in "to be held")."""
    i = bisect.bisect_right(starts, position)
    return i > 0 and position < spans[i - 1][1]


def _is_past_marker(text: str, start: int, end: int) -> bool:
    word_start = start
    if not text[start].isalpha():
        word_start += 1  # the pattern's leading space or quote
    else:
        while word_start > 0 and text[word_start - 1].isalpha() and start - word_start < 20:
            word_start -= 1
    # A participle after "be" is passive, not past: "will be held", "is due to be received";
    # after "remain" or "stay" it is a state ("will remain closed").
    before = text[max(0, word_start - 9) : word_start]
    if ((not before.isascii() or _may_be_passive(before))
            and _PASSIVE_BE.search(text, max(0, word_start - 9), word_start)):
        return False
    if not text.endswith("ed", start, end) or text[start].isspace():
        return True
    word = text[word_start:end]
    return word.islower() and word not in _NOT_PAST


def _may_be_passive(before: str) -> bool:
    """Whether ASCII text holds "be", "remain" or "stay" in any case: what _PASSIVE_BE needs.
    Plain searches of the text in lower case beat a case-blind regex, which folds the case
    of every character it tries."""
    low = before.lower()
    return "be" in low or "remain" in low or "stay" in low


_SENTENCE_REACH = 300


def _sentence_breaks(text: str, start: int, end: int) -> list[int]:
    """Where sentences start in text[start:end]."""
    # A stop and the newlines its spaces take in are one break.
    breaks = _leftmost([
        *(m.span() for m in _SENTENCE_STOP.finditer(text, start, end)),
        *(m.span() for m in _NEWLINE.finditer(text, start, end)),
    ])
    return [
        e for s, e in breaks
        if not (text[s] == "." and text[s + 1 : s + 2].isspace()
                and _ABBREVIATION.search(text, max(0, s - 6), s))
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
        reach = [(max(0, s.start - _SENTENCE_REACH), min(len(text), s.end + _SENTENCE_REACH))
                 for s in spans]
        for start, end in _merged_pairs(reach):
            self.breaks.extend(_sentence_breaks(text, start, end))
        # Each phrase's sentence is asked for again when its tense is: kept, not recomputed.
        self._bounds = {(s.start, s.end): self.bounds(s) for s in spans}
        # Clauses and tense markers matter only in the sentences that hold a phrase.
        for start, end in _merged_pairs(self._bounds.values()):
            for clause_start, clause_end in _leftmost([
                *((i, i + 1) for i in _chars_within(text, _CLAUSE_PUNCTUATION, start, end)),
                *(m.span() for m in _CLAUSE_WORD.finditer(text, start, end)),
            ]):
                self.clause_starts.append(clause_start)
                self.clause_ends.append(clause_end)
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
        s_start, s_end = self._bounds.get((span.start, span.end)) or self.bounds(span)
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
    headings = _HeadingYears(text, phrases)
    found = []
    for phrase in phrases:
        tense = _own_tense(phrase) or sentences.tense_at(phrase.span)
        try:
            if phrase.kind == "sequel":
                expression = _resolve_sequel(phrase, found, tense)
            else:
                expression = _resolve(phrase, reference, tense, headings)
        except (ValueError, OverflowError):
            continue  # a date outside the calendar's range: no date rather than a crash
        if expression is not None:
            found.append(expression)
    return found


_HEADING_WORDS = 10  # a line this short, with no closing stop, heads what follows
_FULL_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


class _HeadingYears:
    """The years that short heading lines name ("2024 AT A GLANCE: A TIMELINE"): the year of
    the year-less dates listed under them. Found only if some date needs them."""

    def __init__(self, text: str, phrases: Sequence[DatePhrase]) -> None:
        self.text = text
        # A year inside a full date ("Issue 12 | 16 December 2024") dates that line, no list.
        self._dated = [p.span for p in phrases if p.kind != "year"]
        self._found: list[tuple[int, int]] | None = None

    def above(self, position: int) -> int | None:
        """The year of the last heading before ``position``, if any."""
        if self._found is None:
            self._found = list(self._scan())
        above = [year for where, year in self._found if where < position]
        return above[-1] if above else None

    def _scan(self) -> Iterator[tuple[int, int]]:
        for match in _FULL_YEAR.finditer(self.text):
            if any(span.start <= match.start() < span.end for span in self._dated):
                continue
            start = self.text.rfind("\n", 0, match.start()) + 1
            end = self.text.find("\n", match.end())
            line = self.text[start : end if end >= 0 else len(self.text)].strip()
            # The year opens the line ("2024 AT A GLANCE"), as a list's heading would.
            if line.startswith(match.group()) and line[-1] not in ".!?" \
                    and len(line.split()) <= _HEADING_WORDS:
                yield match.start(), int(match.group())


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
    phrase: DatePhrase, reference: Reference | None, tense: Tense,
    headings: _HeadingYears | None = None,
) -> TimeExpression | None:
    if phrase.kind == "date":
        heading_year = headings.above(phrase.span.start) if headings is not None \
            and reference is not None and phrase.year is None and tense is Tense.UNKNOWN else None
        if heading_year is not None and abs(heading_year - reference.date.year) > 1:
            heading_year = None  # "Vision 2030": a year named, not the list's
        value = _resolve_date(phrase, reference, tense, heading_year)
    elif phrase.kind == "month":
        value = _resolve_month(phrase, reference, tense)
    elif phrase.kind == "monthday":
        value = _resolve_monthday(phrase, reference, tense)
    elif phrase.kind == "year":
        value = _year_value(phrase.year or 0, Certainty.STATED, f"{_quote(phrase.text)}, stated")
    elif phrase.kind == "weekday":
        value = _resolve_lone_weekday(phrase, reference, tense)
    elif phrase.kind == "relative":
        value = _resolve_relative_day(phrase, reference)
    elif phrase.kind == "period":
        value = _resolve_period(phrase, reference)
    elif phrase.kind == "season":
        value = _resolve_season(phrase, reference)
    elif phrase.kind == "anchored":
        return _resolve_anchored(phrase, reference, tense)
    else:
        return TimeExpression(phrase.span, phrase.text, None, tense,
                              duration_days=phrase.duration_days)
    return TimeExpression(phrase.span, phrase.text, value, tense, weekday=phrase.weekday)


def _resolve_date(
    phrase: DatePhrase, reference: Reference | None, tense: Tense,
    heading_year: int | None = None,
) -> DateValue | None:
    month, day = phrase.month or 1, phrase.day or 1
    quoted = _quote(phrase.text)
    if phrase.year is not None and not phrase.two_digit_year:
        year, certainty, basis = phrase.year, Certainty.STATED, f"{quoted}, stated"
    elif phrase.year is not None:
        year, certainty = phrase.year, Certainty.INFERRED
        basis = f"{quoted}, two-digit year read as {phrase.year}"
    elif heading_year is not None and tense is Tense.UNKNOWN \
            and _valid_day(heading_year, month, day):
        # "2024 AT A GLANCE" over "- 5 Feb: talks with ...": the list's year, not the nearest.
        year, certainty = heading_year, Certainty.INFERRED
        basis = f"{quoted}, year from the heading above ({heading_year})"
    elif reference is not None:
        year = _year_for(month, day, reference.date, tense, phrase.direction, phrase.end_day)
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
              direction: str | None = None, end_day: int | None = None) -> int:
    """The year of a day-and-month without a year: on or before the reference in past text,
    on or after it in future text (a range "from April 6 to 10" that has not ended yet
    counts), else the nearest."""
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
        last = end_day if end_day and end_day > day else day
        future = [d for d in dates if _valid_day(d.year, month, last)
                  and dt.date(d.year, month, last) >= reference]
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
    if phrase.direction == "year":
        year = ref.year + phrase.offset
    elif phrase.direction == "last":
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


def _resolve_monthday(phrase: DatePhrase, reference: Reference | None,
                      tense: Tense) -> DateValue | None:
    """ "on the 5th": that day in the reference's month, or in the month before (in past
    text, when the 5th is still to come) or after (in future text, when it has gone)."""
    if reference is None or phrase.day is None:
        return None
    ref = reference.date
    days = []
    for shift in (-1, 0, 1):
        year, month = divmod(ref.year * 12 + ref.month - 1 + shift, 12)
        if _valid_day(year, month + 1, phrase.day):
            days.append(dt.date(year, month + 1, phrase.day))
    if tense is Tense.PAST:
        days = [d for d in days if d <= ref] or days
        day = max(days) if days else None
    elif tense is Tense.FUTURE:
        days = [d for d in days if d >= ref] or days
        day = min(days) if days else None
    else:
        day = min(days, key=lambda d: abs((d - ref).days)) if days else None
    if day is None:
        return None
    return _day_value(day, _derived_certainty(reference),
                      f"{_quote(phrase.text)}, month from {reference.description}")


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


def _resolve_season(phrase: DatePhrase, reference: Reference | None) -> DateValue | None:
    """A season as the year it starts in: the timeline cannot draw three months of a year
    more truly, and the basis names the season. "Last spring" is the latest spring that is
    not under way; "this summer" the one of the reference's year; "next summer" the first
    one still to start."""
    first = phrase.month or 1
    if phrase.year is not None:
        return _year_value(phrase.year, Certainty.STATED, f"{_quote(phrase.text)}, stated")
    if reference is None:
        return None
    ref = reference.date
    begun = ref.year if ref.month >= first else ref.year - 1  # the latest one to have begun
    under_way = (ref.year * 12 + ref.month) - (begun * 12 + first) < 3
    if phrase.direction == "last":
        year = begun - 1 if under_way else begun
    elif phrase.direction == "next":
        year = begun + 1
    else:
        year = begun if under_way else ref.year
    basis = f"{_quote(phrase.text)}: its year, from {reference.description}"
    return _year_value(year, _derived_certainty(reference), basis)


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
    a week or a month gives no day to count from. "The following year" counts from the
    year of the last dated expression, whatever its precision.
    """
    if phrase.unit == "year":
        return _resolve_year_sequel(phrase, earlier, tense)
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
        # A date this text cannot place ("Oct. 19" in an undated article) is still the
        # one counted from: told relative to it, the day may be placed once it is.
        return TimeExpression(phrase.span, phrase.text, None, tense,
                              relation=AnchorRelation(phrase.offset, anchor.span))
    return None


def _resolve_year_sequel(phrase: DatePhrase, earlier: Sequence[TimeExpression],
                         tense: Tense) -> TimeExpression | None:
    for anchor in reversed(earlier):
        if phrase.span.start - anchor.span.end > _SEQUEL_REACH:
            return None
        if anchor.value is None:
            continue
        year = anchor.value.start.year + phrase.offset
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        certainty = (Certainty.UNCERTAIN if anchor.value.certainty is Certainty.UNCERTAIN
                     else Certainty.INFERRED)
        basis = (f"{_quote(phrase.text)}, {phrase.offset:+d} years from "
                 f"{anchor.value.start.year} ({anchor.value.basis})")
        return TimeExpression(phrase.span, phrase.text, _year_value(year, certainty, basis),
                              tense, relation=AnchorRelation(phrase.offset * 365, anchor.span))
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
