"""Deterministic made-up corpora and event sets for benchmarks and scale tests.

Everything here is built from a seeded ``random.Random``: the same seed gives the same
articles and events on every machine. Names and places are made of syllables, so the pools
are unbounded and never come from ``resources/`` (an extractor that knows the names in
advance would make the benchmark meaningless).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core.atomic import write_atomic
from viewer.core.memory import collection_paused
from viewer.core.model import (
    Certainty,
    DateValue,
    Document,
    Event,
    EventKind,
    Excerpt,
    Extraction,
    Participant,
    Precision,
    Quote,
    Status,
)

MIN_ARTICLE_BYTES = 1500
MAX_ARTICLE_BYTES = 6000

_ONSETS = ("b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr",
           "kh", "sh", "tr", "st", "gr", "vl", "ch")
_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ou", "ia")
_CODAS = ("", "", "", "n", "r", "l", "s", "m", "k", "v", "sk", "nd")
_COUNTRY_ENDINGS = ("ia", "stan", "land", "ovia", "ara", "enia")
_CITY_ENDINGS = ("", "", "grad", "abad", "ville", "port", "burg", "ana", "ovo")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_NUMBER_WORDS = ("two", "three", "four", "five", "six")
_OFFICES = ("Foreign Minister", "Defense Minister", "Interior Minister", "Prime Minister",
            "President", "Deputy Foreign Minister", "Trade Minister", "Energy Minister")
_RANKS = ("Maj. Gen.", "Major General", "General", "Lt. Gen.", "Admiral", "Brigadier General")
_TOPICS = ("military cooperation", "trade", "energy", "border security", "fisheries",
           "arms purchases", "counter-terrorism", "transport corridors", "naval drills",
           "regional developments", "investment", "education", "health", "water sharing")
_VERBS_PAST = ("met", "held talks with", "sat down with", "received")
_CHROME = (
    "\n\nLeave A Reply\n\nYour email address will not be published.\n",
    "\n\nShare this:\nFacebook\nTwitter\nTelegram\n",
    "\n\n  Comments\nWrite your comment",
    "\n\nSubscribe\nEditorial Staff\n\nRELATED ARTICLESMORE FROM AUTHOR\n\nLEAVE A REPLY\n\n"
    "Please enter your comment!\nPlease enter your name here",
    "\n\nSource link\n\n\nLeave A Reply",
)


# --- names -------------------------------------------------------------------------------


def _word(rng: random.Random, syllables: int) -> str:
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)]
    parts[-1] += rng.choice(_CODAS)
    return "".join(parts).capitalize()


def _person(rng: random.Random) -> str:
    return f"{_word(rng, rng.randint(1, 2))} {_word(rng, rng.randint(2, 3))}"


@dataclass(frozen=True, slots=True)
class _Country:
    name: str
    adjective: str
    capital: str
    cities: tuple[str, ...]


def _country(rng: random.Random) -> _Country:
    stem = _word(rng, rng.randint(1, 2))
    name = stem + rng.choice(_COUNTRY_ENDINGS)
    adjective = name + "n" if name.endswith("a") else name + "i"
    cities = tuple(_word(rng, rng.randint(2, 3)) + rng.choice(_CITY_ENDINGS) for _ in range(4))
    return _Country(name, adjective, cities[0], cities)


@dataclass(frozen=True, slots=True)
class _Official:
    name: str
    title: str  # as written before the name: "Foreign Minister", "Maj. Gen."
    country: _Country

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


def _official(rng: random.Random, country: _Country) -> _Official:
    title = rng.choice(_RANKS) if rng.random() < 0.4 else rng.choice(_OFFICES)
    return _Official(_person(rng), title, country)


# --- articles ----------------------------------------------------------------------------


def _weekday_before(day: dt.date, rng: random.Random) -> tuple[dt.date, str]:
    back = rng.randint(1, 6)
    when = day - dt.timedelta(days=back)
    return when, _WEEKDAYS[when.weekday()]


def _header(rng: random.Random, published: dt.date) -> tuple[str, bool]:
    """The date line under the headline, and whether it states the publication date."""
    roll = rng.random()
    if roll < 0.35:
        stamp = f"{_MONTHS[published.month - 1]} {published.day}, {published.year}"
        return f"  {stamp}   News ID {rng.randint(1000, 99999)}\n", True
    if roll < 0.6:
        return f"Published {published:%d.%m.%Y}\n\n", True
    if roll < 0.75:
        return f"By\n{_word(rng, 2)} {_word(rng, 3)}\n-\n\n", False
    return "", False


def _meeting_paragraph(rng: random.Random, a: _Official, b: _Official, place: str,
                       published: dt.date) -> str:
    _, weekday = _weekday_before(published, rng)
    verb = rng.choice(_VERBS_PAST)
    topic, other = rng.sample(_TOPICS, 2)
    roll = rng.random()
    if roll < 0.3:
        return (f"{a.country.adjective} {a.title} {a.name} {verb} his {b.country.adjective} "
                f"counterpart {b.name} in {place} on {weekday}. The two sides discussed {topic} "
                f"and {other}, according to a statement.")
    if roll < 0.55:
        return (f"{weekday}'s meeting between {a.surname} and {b.title} {b.name} focused on "
                f"{topic}. Officials said {other} was also on the agenda in {place}.")
    if roll < 0.8:
        month = _MONTHS[published.month - 1]
        day = max(1, published.day - rng.randint(0, 3))
        return (f"{a.title} {a.name} {verb} {b.title} {b.name} in {place} on {month} {day}, "
                f"where they signed a memorandum on {topic}.")
    return (f"{a.surname} and {b.surname} last met last month in {place}, when they agreed to "
            f"expand cooperation in {topic}.")


def _visit_paragraph(rng: random.Random, a: _Official, country: _Country,
                     published: dt.date) -> str:
    _, weekday = _weekday_before(published, rng)
    days = rng.choice(_NUMBER_WORDS)
    if rng.random() < 0.5:
        return (f"The {a.country.adjective} official wrapped up a {days}-day visit to "
                f"{country.name} on {weekday}, where he met senior commanders in "
                f"{rng.choice(country.cities)}.")
    return (f"A {days}-day visit to {country.capital} by {a.title} {a.name} ended on {weekday} "
            f"with a joint statement on {rng.choice(_TOPICS)}.")


def _quote_paragraph(rng: random.Random, a: _Official) -> str:
    topic = rng.choice(_TOPICS)
    if rng.random() < 0.5:
        return (f"\u201cOur relations in {topic} are developing very dynamically and we are "
                f"ready to continue,\u201d {a.surname} said.")
    return (f"For his part, {a.surname} said: \u201c{a.country.name} is a close partner and "
            f"cooperation in {topic} will continue to develop in the future.\u201d")


def _background_paragraph(rng: random.Random, a: _Official, b: _Official,
                          published: dt.date) -> str:
    if a.country == b.country:
        return _quote_paragraph(rng, b)
    year = published.year - rng.randint(1, 15)
    topic = rng.choice(_TOPICS)
    roll = rng.random()
    if roll < 0.33:
        return (f"The two countries signed an agreement on {topic} in {year}, and "
                f"{b.country.name} joined the regional council the following year.")
    if roll < 0.66:
        return (f"Next week, {b.surname} is expected to travel to {a.country.capital} for "
                f"further talks on {topic}.")
    return (f"Relations between {a.country.name} and {b.country.name} have grown in recent "
            f"years, building on cooperation in {topic} and {rng.choice(_TOPICS)}.")


def _article(rng: random.Random, index: int) -> tuple[str, str, dt.date, bool]:
    """One article: file name, text, publication date, whether the text states that date."""
    published = dt.date(1995, 1, 1) + dt.timedelta(days=rng.randint(0, 30 * 365))
    home, away = _country(rng), _country(rng)
    a, b = _official(rng, home), _official(rng, away)
    extra = [_official(rng, rng.choice((home, away))) for _ in range(rng.randint(0, 3))]
    place = rng.choice(home.cities + away.cities)
    topic = rng.choice(_TOPICS)
    headline = (f"{a.country.adjective} and {b.country.adjective} officials push for "
                f"closer {topic}")
    header, dated = _header(rng, published)
    dateline = place.upper()
    lead = (f"{dateline} \u2013 {a.title} {a.name} and {b.country.adjective} {b.title} "
            f"{b.name} at a meeting in {place} on {_weekday_before(published, rng)[1]} "
            f"insisted on the need to strengthen {topic} between the two countries.")
    chrome = rng.choice(_CHROME)
    budget = rng.randint(MIN_ARTICLE_BYTES, MAX_ARTICLE_BYTES) - len(chrome.encode())
    parts = [headline, "\n\n", header, "\n", lead]
    size = sum(len(p.encode()) for p in parts)
    officials = [a, b, *extra]
    while True:
        roll = rng.random()
        x, y = rng.sample(officials, 2)
        if roll < 0.35:
            para = _meeting_paragraph(rng, x, y, rng.choice(x.country.cities), published)
        elif roll < 0.5:
            para = _visit_paragraph(rng, x, y.country, published)
        elif roll < 0.7:
            para = _quote_paragraph(rng, x)
        else:
            para = _background_paragraph(rng, x, y, published)
        cost = len(para.encode()) + 2
        if size + cost > budget and size >= MIN_ARTICLE_BYTES - len(chrome.encode()):
            break
        if size + cost > MAX_ARTICLE_BYTES - len(chrome.encode()):
            break
        parts += ["\n\n", para]
        size += cost
    parts.append(chrome)
    name = f"{index:05d}_{rng.getrandbits(64):016x}.txt"
    return name, "".join(parts), published, dated


def generate_articles(n: int, seed: int = 0) -> Iterator[tuple[str, str]]:
    """``n`` made-up articles in the seeds' style, as (file name, text) pairs."""
    for name, text, _, _ in _articles(n, seed):
        yield name, text


def _articles(n: int, seed: int) -> Iterator[tuple[str, str, dt.date, bool]]:
    rng = random.Random(seed)
    for i in range(n):
        yield _article(rng, i)


def _toml_string(value: str) -> str:
    # A JSON string of printable ASCII is also a valid TOML basic string.
    return json.dumps(value, ensure_ascii=True)


def write_corpus(folder: Path, n: int, seed: int = 0) -> int:
    """Write ``n`` articles and a sources.toml into ``folder``; the number of bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed ^ 0x5EED)
    total = 0
    manifest = ["# Generated by viewer.core.synthetic.write_corpus\n"]
    for name, text, published, dated in _articles(n, seed):
        data = text.encode("utf-8")
        # A fresh folder of throwaway files: the per-file fsync of write_atomic would only
        # make generating a 10,000-article corpus slow, and nobody reads it half-written.
        (folder / name).write_bytes(data)
        total += len(data)
        entry = [f"\n[[source]]\nfile = {_toml_string(name)}\nlanguage = \"en\"\n"]
        if rng.random() < 0.6:
            outlet = f"{_word(rng, 2)} {rng.choice(('News', 'Times', 'Daily', 'Front Page'))}"
            entry.append(f"outlet = {_toml_string(outlet)}\n")
            entry.append(f"url = {_toml_string(f'https://example.org/{name[:-4]}')}\n")
        if not dated and rng.random() < 0.7:
            entry.append(f"published = {published.isoformat()}\n")
        manifest.append("".join(entry))
    data = "".join(manifest).encode("utf-8")
    write_atomic(folder / "sources.toml", data)
    return total + len(data)


# --- events ------------------------------------------------------------------------------

_FIRST_DAY = dt.date(1985, 1, 1)
_LAST_DAY = dt.date(2025, 12, 31)
_KIND_WEIGHTS = (
    (EventKind.MEETING, 50), (EventKind.VISIT, 20), (EventKind.AGREEMENT, 10),
    (EventKind.EXERCISE, 6), (EventKind.CONFERENCE, 8), (EventKind.MEMBERSHIP, 2),
    (EventKind.OTHER, 4),
)
# How many documents report one event. Most happenings in a large news corpus are told by
# one or two articles and a few by many; a flat 1-5 would make every event carry three
# reports and weigh half again what a real one does.
_REPORT_COUNT_WEIGHTS = ((1, 55), (2, 25), (3, 10), (4, 6), (5, 4))


@dataclass
class _DocumentBuilder:
    """A dummy document growing one sentence at a time, so excerpts know their offsets."""

    id: str
    title: str
    outlet: str
    published: dt.date
    parts: list[str] = field(default_factory=list)
    length: int = 0

    def add(self, sentence: str) -> tuple[int, int]:
        if not self.parts:
            self.parts.append(self.title + "\n\n")
            self.length = len(self.parts[0])
        start = self.length
        self.parts.append(sentence + " ")
        self.length += len(sentence) + 1
        return start, start + len(sentence)

    def build(self) -> Document:
        published = DateValue(self.published, self.published, Precision.DAY,
                              Certainty.STATED, "manifest")
        return Document(id=self.id, path=f"/synthetic/{self.id}", text="".join(self.parts),
                        title=self.title, outlet=self.outlet, language="en",
                        published=published, published_basis="manifest")


def _pick_day(rng: random.Random, clusters: list[dt.date], gaps: list[tuple[dt.date, dt.date]],
              ) -> dt.date:
    """A day near a cluster most of the time, else anywhere outside the gaps."""
    span = (_LAST_DAY - _FIRST_DAY).days
    while True:
        if rng.random() < 0.7:
            day = rng.choice(clusters) + dt.timedelta(days=int(rng.gauss(0, 12)))
        else:
            day = _FIRST_DAY + dt.timedelta(days=rng.randint(0, span))
        if _FIRST_DAY <= day <= _LAST_DAY and not any(a <= day <= b for a, b in gaps):
            return day


def _when(rng: random.Random, day: dt.date) -> DateValue | None:
    roll = rng.random()
    certainty = rng.choice((Certainty.STATED, Certainty.STATED, Certainty.INFERRED,
                            Certainty.UNCERTAIN))
    if roll < 0.01:
        return None
    if roll < 0.05:
        return DateValue(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), Precision.YEAR,
                         certainty, f"'in {day.year}'")
    if roll < 0.15:
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return DateValue(first, last, Precision.MONTH, certainty,
                         f"'in {_MONTHS[day.month - 1]} {day.year}'")
    if roll < 0.27:
        length = rng.randint(2, 6)
        return DateValue(day, day + dt.timedelta(days=length - 1), Precision.DAY, certainty,
                         f"'a {_NUMBER_WORDS[length - 2]}-day visit'")
    return DateValue(day, day, Precision.DAY, certainty, f"'on {_WEEKDAYS[day.weekday()]}'")


def generate_extraction(n: int, seed: int = 0) -> Extraction:
    """``n`` made-up events over four decades, with the dummy documents their excerpts quote."""
    rng = random.Random(seed)
    countries = [_country(rng) for _ in range(max(8, n // 2000))]
    people = [_official(rng, rng.choice(countries)) for _ in range(max(40, n // 100))]
    places = [city for c in countries for city in c.cities]
    span_days = (_LAST_DAY - _FIRST_DAY).days
    clusters = [_FIRST_DAY + dt.timedelta(days=rng.randint(0, span_days))
                for _ in range(max(5, n // 300))]
    gaps = []
    for _ in range(3):
        gap_start = _FIRST_DAY + dt.timedelta(days=rng.randint(0, span_days - 800))
        gaps.append((gap_start, gap_start + dt.timedelta(days=rng.randint(90, 700))))
    docs = [_DocumentBuilder(f"doc{i:06d}.txt", f"Report {i}", f"{_word(rng, 2)} News",
                             _FIRST_DAY + dt.timedelta(days=rng.randint(0, span_days)))
            for i in range(max(1, n // 3))]
    # One Participant per official, as extraction resolves every mention of a person to
    # the same entity (one id string) rather than spelling a new one per event.
    cast = [(p, _participant(p)) for p in people]
    with collection_paused():
        events = [_event(rng, i, docs, cast, places, clusters, gaps) for i in range(n)]
    built = {b.id: b.build() for b in docs if b.parts}
    return Extraction(documents=tuple(built.values()), events=tuple(events))


def _participant(official: _Official) -> Participant:
    return Participant(official.name, "person:" + official.name.lower().replace(" ", "-"),
                       official.title)


_KINDS = tuple(k for k, _ in _KIND_WEIGHTS)
_KIND_CUM = tuple(itertools.accumulate(w for _, w in _KIND_WEIGHTS))
_REPORT_COUNTS = tuple(n for n, _ in _REPORT_COUNT_WEIGHTS)
_REPORT_COUNT_CUM = tuple(itertools.accumulate(w for _, w in _REPORT_COUNT_WEIGHTS))


def _event(rng: random.Random, i: int, docs: list[_DocumentBuilder],
           people: list[tuple[_Official, Participant]], places: list[str],
           clusters: list[dt.date], gaps: list[tuple[dt.date, dt.date]]) -> Event:
    kind = rng.choices(_KINDS, cum_weights=_KIND_CUM)[0]
    day = _pick_day(rng, clusters, gaps)
    when = _when(rng, day)
    chosen = rng.sample(people, rng.randint(1, 4))
    cast = [official for official, _ in chosen]
    participants = tuple(participant for _, participant in chosen)
    location = rng.choice(places) if rng.random() < 0.85 else None
    topics = tuple(rng.sample(_TOPICS, rng.randint(0, 3)))
    status = Status.PLANNED if rng.random() < 0.05 else Status.HAPPENED
    names = " and ".join(p.name for p in cast)
    where = f" in {location}" if location else ""
    title = f"{cast[0].surname} {kind.value}{where}" if kind is not EventKind.OTHER \
        else f"Talks on {topics[0] if topics else 'cooperation'}"
    excerpts: list[Excerpt] = []
    quotes: list[Quote] = []
    n_reports = rng.choices(_REPORT_COUNTS, cum_weights=_REPORT_COUNT_CUM)[0]
    for builder in rng.sample(docs, min(len(docs), n_reports)):
        sentence = f"{names} took part in a {kind.value}{where} (event {i})."
        start, end = builder.add(sentence)
        excerpt = Excerpt(builder.id, start, end, sentence)
        excerpts.append(excerpt)
        if rng.random() < 0.1:
            said = f"\u201cWe discussed {topics[0] if topics else 'much'},\u201d"
            q_start, q_end = builder.add(said)
            quotes.append(Quote(cast[0].name, builder.id, q_start, q_end, said))
    is_context = kind in (EventKind.AGREEMENT, EventKind.MEMBERSHIP) and rng.random() < 0.5
    return Event(id=f"ev{i:06d}", kind=kind, title=title, when=when, status=status,
                 location=location, participants=participants, topics=topics,
                 sources=tuple(excerpts), quotes=tuple(quotes),
                 is_context=is_context)


def generate_events(n: int, seed: int = 0) -> list[Event]:
    """``n`` made-up events over four decades (see ``generate_extraction`` for their documents)."""
    return list(generate_extraction(n, seed).events)
