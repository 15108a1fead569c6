"""Reports: the events one document tells of, found sentence by sentence.

A sentence holds a report when it has a trigger phrase (resources/events.toml) and what the
kind needs: a meeting two named people, a visit a person and a destination, a context event
(agreement, exercise, conference, membership, other) a date or something to attach to. The
date is the time expression nearest the trigger that is not the date of someone speaking;
durations turn an end date into a span; an "ends" phrase marks an end date for merging.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from viewer.core.lexicon import EventLexicon, Trigger, load_lexicon
from viewer.core.model import (
    MAIN_KINDS,
    Certainty,
    DateValue,
    Document,
    Entity,
    EntityKind,
    EventKind,
    Excerpt,
    NameMention,
    Participant,
    Precision,
    Quote,
    Report,
    Sentence,
    Span,
    Status,
    TimeExpression,
)
from viewer.core.published import find_dateline, find_place_dateline

# How far (characters) a destination may stand from a visit phrase: "visit to the Russian capital".
_PLACE_REACH = 24
_HERE_REACH = 40  # how far from its trigger "here" may stand and still mean the dateline's city
_HERE = re.compile(r"\bhere\b", re.IGNORECASE)
_CAPITALISED_WORD = re.compile(r" [A-Z][a-z]")
# ", who is on a visit", also after the person's post: "Y, Foreign Minister of Oman, who"
_RELATIVE_WHO = re.compile(r",?\s*(?:[^,;]{1,90},\s*)?who\b", re.IGNORECASE)
_HAS_JUST = re.compile(r"\b(?:has|have)\s+(?:just\s+|now\s+)?$", re.IGNORECASE)
# "is on a two-day visit to", "is holding talks during his official visit to": a visit under
# way as the article is written.
_IS_ON = re.compile(r"\b(?:is|are)\s+(?:(?:currently\s+|now\s+)?on|[a-z]+ing\b[^.;:]{0,60}?"
                    r"\bduring)\s+(?:an?\s+|his\s+|her\s+|their\s+)?(?:[\w-]+\s+){0,3}$",
                    re.IGNORECASE)
_HEADING_WORDS = 8  # a line this short with a date and no stop heads what follows
_SCENE_WORDS = 10  # "Last October it was Quito's turn.": a short sentence, no more
# Short dated lines that head nothing: "Posted on 14.03.25 by X", "Photo: ...".
# A page's own date line ("Publish Date: 20 January 2026 - 18:35") is no section heading.
_NOT_HEADING = re.compile(r"\b(?:posted|published|publish|publication|updated|by|photo|image|"
                          r"credit|source|news\s+id|date)\b", re.IGNORECASE)
# "for" before a date that says what a thing is for: "a plan for 2026", not "set for May".
_PURPOSE_FOR = re.compile(
    r"(?<!scheduled)(?<!planned)(?<!\bset)(?<!slated)(?<!\bdue)(?<!expected)(?<!booked)"
    r"(?<!postponed)(?<!delayed)(?<!moved)(?<!pencilled)(?<!penciled)\s+for\s+$",
    re.IGNORECASE,
)
# "Later, X called on Y": a sentence that opens by following on from the one before.
_LATER = re.compile(r"^\W*(?P<lead>(?:later|afterwards|subsequently)(?P<same>\s+(?:that|the\s+same)"
                    r"\s+day|\s+in\s+the\s+day)?|earlier(?P<earlier>\s+(?:that|the\s+same)\s+day|"
                    r"\s+in\s+the\s+day))\b", re.IGNORECASE)
# An event told as following the talks just reported, before its trigger.
_AFTER_TALKS = re.compile(
    r"\b(?:after|following|at\s+the\s+(?:end|close|conclusion)\s+of|during|on\s+the\s+"
    r"sidelines\s+of)\s+(?:the|their|these|this)\s+(?:[\w-]+\s+)?(?:talks|meeting|meetings|"
    r"negotiations|consultations|call|videoconference|video\s+conference)\b",
    re.IGNORECASE,
)
# Where a sentence turns to another verb and its objects: "with X, and is expected to ...".
_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|while|but|before|after)\s+(?!\w+\s+(?:and|,))",
                           re.IGNORECASE)
# A definite noun that points back at a meeting already told: "The talks", "During this call".
_DEFINITE = re.compile(r"\b(?:the|this|that|these|those)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
# The people of the meeting told just before: "the two ministers held a video conference".
# "The two defence ministers": words before the noun name the posts the two hold.
_PAIR = re.compile(
    r"\b(?:the\s+two|both)\s+(?P<posts>(?:[\w-]+\s+){0,2}?)(?P<noun>ministers|leaders|"
    r"presidents|officials|commanders|generals|chiefs|counterparts|sides|men|women|envoys|"
    r"diplomats|heads)\b",
    re.IGNORECASE,
)
_TITLE_WORD = re.compile(r"[^\W\d_]+")
# Words between "the two" and its noun that name no post: "the two senior officials".
_NOT_POSTS = frozenset(("senior", "visiting", "top", "of", "the", "former", "new", "current",
                        "outgoing", "incoming", "respective", "two", "foreign-born"))
# Nouns of "the two defense chiefs" that say nothing of the post: only the words before count.
_GENERIC_PAIR_NOUNS = frozenset(("leaders", "officials", "chiefs", "counterparts", "sides", "men",
                                 "women", "heads"))
_SEEN_PEOPLE = 12  # how many of the people named last a story keeps in mind
_LOCATION_REACH = 180  # how far from its trigger an "in <place>" may stand and still place it
_SPOKESPERSON = re.compile(r"spokes(?:person|man|woman)|press\s+secretary|correspondent|"
                          r"reporter|analyst", re.IGNORECASE)
_CITED = re.compile(r"(?:according\s+to|told|source:|reported\s+by|citing|quoted\s+by|"
                    r"cited\s+by)\s+(?:the\s+)?$", re.IGNORECASE)
_SAYING = re.compile(r"\b(?:saying|adding|stressing|noting|that)\b", re.IGNORECASE)
_QUOTE_MIN_CHARS = 20
_TOPIC_LOOKAHEAD = 3  # sentences after a trigger sentence that still describe its event
_QUOTE_PAIRS = (("\u201c", "\u201d"), ('"', '"'), ("\u00ab", "\u00bb"))
# After a speaker's verb, what makes the speaker a side: "said after meeting Y".
_AFTER_MEETING = re.compile(r"\s+(?:\w+\s+)?(?:after|following|at|during)\b", re.IGNORECASE)
# A title set off by commas after a name: ", head of the ministry's press department,"; not
# a clause that tells what the person did (", who arrived on Monday,", ", on his trip,").
_APPOSITIVE = re.compile(r",\s+(?!(?:who|whose|which|on|in|at|during|after|before|while|when|"
                         r"speaking|having|fresh|back)\b)(?:the\s+|a\s+)?[a-z][^,;.\"“”]{2,120}(?=,)")
# A clause of attribution just before a date: ", the ministry said on", ", officials told".
_REPORTED = re.compile(r",\s+(?:[\w'’-]+\s+){0,8}(?:said|says|told|announced|stated|reported)"
                       r"(?:\s+\w+){0,2}\s*$", re.IGNORECASE)
# What stands between a name and its trip: "Z's state visit to", "Z’s three-day trip to".
_POSSESSIVE_TRIP = re.compile(r"^(?:['’]s)?\s+(?:[\w-]+\s+){0,2}$")
_PRONOUN = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)
_PRONOUN_SAYS = re.compile(r"\b(?:he|she)\s+(?:also\s+)?(?:said|says|told|noted|recalled|added)\b",
                           re.IGNORECASE)
_BY_SOMEONE = re.compile(r"\s+(?:[\w-]+\s+){0,4}?by\s+(?-i:[A-Z])")  # "the trip to Beijing by X"
# After a name, its verb (one word or two) and an object pronoun: "X hosted him", "Y later
# received her at": the one the story follows is who is hosted, and stays followed.
# "held bilateral meetings with X, Y and Z": a meeting with each.
_EACH_APART = re.compile(r"\b(?:bilateral|separate)\s+meetings\b", re.IGNORECASE)
# "her" is an object only where no noun follows it ("received her counterpart" is X's own).
_HER_AS_OBJECT = r"her\b(?=\s*(?:[,.;]|at\b|in\b|on\b|for\b|with\b|and\b|to\b|$))"
_OBJECT_PRONOUN_AFTER = re.compile(rf"\s+(?:\w+\s+)?\w+(?:ed|s)\s+(?:him\b|{_HER_AS_OBJECT})",
                                   re.IGNORECASE)
# Right after a meeting verb: "X hosted him at the ministry": the other side is the one the
# story follows.
_OBJECT_PRONOUN = re.compile(rf"\s+(?:him\b|{_HER_AS_OBJECT})", re.IGNORECASE)
# A group, not a person, as the subject of a clause: it names no side of the talks.
_GROUP_SUBJECT = re.compile(
    r"(?:^|[.;]\s+|,\s+)(?:the|a|an)\s+(?:[\w-]+\s+){0,3}(?:delegation|delegations|team|side|"
    r"mission|ministry|government|army|navy|officials|commanders|generals|ministers)\b"
    r"(?![^,;]*\b(?:he|she)\b)", re.IGNORECASE)
_THEY = re.compile(r"\W*They\s+(?!said|say|told|also\s+said)")
# Between the two names of "X and Kazakh President Y": "and" and a few title words.
_AND_TITLE = re.compile(r"^\s+and\s+(?:[\w.-]+\s+){0,4}$")
# "At the invitation of X, Y will pay a visit": X is the host, the first person after it.
_INVITED_BY = re.compile(r"\b(?:invitation\s+(?:of|from)|invited\s+by)\s", re.IGNORECASE)
_GUEST_REACH = 90  # characters from "hosted his counterpart" to the guest's name
_INVITER_REACH = 90  # characters from the phrase to the inviter's name: titles, an apposition
_ITS_TRIP = re.compile(r"\bits\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_WITH = re.compile(r"\s+with\b", re.IGNORECASE)
_COUNTERPART = re.compile(r"\s+(?:his|her|their)\s+(?:[\w-]+\s+){0,2}counterparts?\b",
                          re.IGNORECASE)
# A side of a meeting the sentence does not name: "his Iraqi counterpart", "the visiting
# minister". Such a report only tells more of a meeting named elsewhere.
_UNNAMED_SIDE = re.compile(r"\b(?:(?:his|her|their)\s+(?:[\w-]+\s+){0,2}counterparts?|the\s+"
                           r"visiting\s+(?:[\w-]+\s+){0,2}(?:minister|general|chief|delegation|"
                           r"commander|official|envoy))\b", re.IGNORECASE)
_PRONOUN_SUBJECT = re.compile(r"^\W*(?:he|she|his|her)\b", re.IGNORECASE)
_STARTS_SPAN = re.compile(r"(?:from|starting|beginning|begins|began|start|starts)\s+(?:on\s+)?$",
                          re.IGNORECASE)
# From a person's name to a date inside an aside about that person: "Soto, appointed in
# December, ...", "Soto, who took office in May, ...".
_PERSON_ASIDE = re.compile(r"^,\s*(?:who|whose|[a-z]+ed|born|sworn|chosen)\b[^,;]*$")
_CLAUSE_GAP = 40  # characters a comma between a date and a trigger counts for
# "..., during which he held talks", "..., who is expected to visit Colombo": the trigger is
# inside a clause of its own (a who-clause only while no comma has closed it).
_DURING_WHICH = re.compile(r"\bduring\s+which\b|,\s*who\s+(?:is|are|was|were|will|has|had)\b"
                           r"[^,;]*$", re.IGNORECASE)
_HORIZON = re.compile(r"\b(?:until|till|through|up\s+to|by)\s+(?:the\s+end\s+of\s+)?$",
                      re.IGNORECASE)
# "The two sides then signed a protocol": right after the talks just told of.
_THEN = re.compile(r"\b(?:then|afterwards)\s+(?:also\s+)?$", re.IGNORECASE)
_QUESTION_LINE = re.compile(r"[ \t]*(?:Q|Question)\s*[:.\-–—]", re.IGNORECASE)
_HAD_BEEN_PLANNED = re.compile(r"\bhad\s+been\s+(?:scheduled|due|expected|set|planned|"
                               r"supposed)\s+to\b", re.IGNORECASE)
_JOINED_THE = re.compile(r"\b(?:joined|join|joins|joining)\s+(?:the\s+(?:[\w-]+\s+){0,2}?of\s+)?"
                         r"the\s+$", re.IGNORECASE)
# "X, who visited Moscow last year, held talks with Y": a trip told in an aside.
_IN_ASIDE = re.compile(r",\s*(?:who|which|whose)\b[^,;]*$", re.IGNORECASE)
_UNDER_WHICH = re.compile(r"\b(?:under\s+which|whereby|according\s+to\s+which)\b",
                          re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+(?:early\s+|late\s+|mid-?\s*)?$", re.IGNORECASE)
# "since Whitcomb took office in January", "since his appointment last autumn": a date in a
# since-clause of its own dates that clause, whatever the event outside it.
_SINCE_CLAUSE = re.compile(r"\bsince\s+[^\W\d][^,;.]{0,40}?\s+(?:in\s+|on\s+)?"
                           r"(?:early\s+|late\s+|mid-?\s*)?$", re.IGNORECASE)
# "On the first day", "on its final day": a day of the visit the article has told of.
_DAY_OF_VISIT = re.compile(r"\b(?:on|during)\s+(?:the|its|his|her|their)\s+(first|second|third|"
                           r"fourth|opening|final|last|closing)\s+day\b(?!\s+of\s+(?!(?:the|"
                           r"his|her|their|its)\s+(?:[\w-]+\s+)?(?:visit|trip|stay|tour)\b))",
                           re.IGNORECASE)
_NTH_DAY = {"second": 1, "third": 2, "fourth": 3}
_LAST_DAY = frozenset({"final", "last", "closing"})
_DURING_VISIT = re.compile(r"\b(?:(?:during|in\s+the\s+course\s+of|on\s+the\s+sidelines\s+of)"
                           r"\s+(?:the|his|her|their|this|that)\s+(?:[\w-]+\s+){0,2}"
                           r"(?:visit|trip|stay|tour)|(?:visit|trip|stay|tour)\s+(?:[\w-]+\s+){0,3}?"
                           r"(?:to|of|in)\s+(?:[\w-]+\s+){0,3}?[\w-]+,\s+during\s+which)\b",
                           re.IGNORECASE)
_TO_PLACE = re.compile(r"\bto\s+$", re.IGNORECASE)
_PLACE_PREPOSITION = re.compile(r"\b(?:in|at)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Hit:
    trigger: Trigger
    span: Span  # in document coordinates


@dataclass(frozen=True)
class _SentenceFacts:
    sentence: Sentence
    persons: tuple[NameMention, ...]
    places: tuple[NameMention, ...]
    organisations: tuple[NameMention, ...]
    times: tuple[TimeExpression, ...]
    topics: frozenset[str]
    next_text: str = ""  # the sentence after it: where a plan it tells may be called off


def extract_reports(
    doc: Document,
    sentences: Sequence[Sentence],
    times: Sequence[TimeExpression],
    names: Sequence[NameMention],
    entities: Mapping[str, Entity],
    lexicon: EventLexicon | None = None,
) -> list[Report]:
    """Every report of an event in one document, in text order, with quotes attached."""
    lexicon = lexicon or load_lexicon()
    here = _dateline_place(doc, names, entities)
    starts = [s.span.start for s in sentences]
    facts = _facts_by_sentence(doc.text, sentences, starts, times, names, lexicon)
    candidates = lexicon.triggers_by_sentence(doc.text, starts)
    reports: list[Report] = []
    story = _Story(here=here)
    for index, fact in enumerate(facts):
        hits = _trigger_hits(fact.sentence, candidates[index]) \
            if candidates[index] and not _is_question(doc.text, fact.sentence) else []
        topics = _topics(facts[index : index + 1 + _TOPIC_LOOKAHEAD]) if hits else ()
        for hit in hits:
            report = _report_for(doc, fact, hit, hits, story, entities, lexicon, topics)
            earlier = len(reports)  # the calls one phrase makes do not repeat each other
            for one in _one_by_one(report, fact, hit) if report is not None else ():
                if not _repeats(one, reports[:earlier]):
                    reports.append(one)
                    story.tell(one, fact)
        story.read(fact, bool(hits), _ends_paragraph(doc.text, facts, index))
    quotes = find_quotes(doc, facts, names, entities)
    return _attach_quotes(reports, quotes)


def _one_by_one(report: Report, fact: _SentenceFacts, hit: _Hit) -> list[Report]:
    """ "X called on the President and the Prime Minister", "X is to meet the Minister of
    Defence, Y; President, Z; ...": a meeting with each, one caller with each person named
    after the phrase; the report as it is otherwise."""
    if len(report.participants) < 3:
        return [report]
    before = {p.entity_id for p in fact.persons if p.span.end <= hit.span.start}
    callers = [p for p in report.participants if p.entity_id in before]
    called = [p for p in report.participants if p.entity_id not in before]
    if len(callers) != 1 or len(called) < 2:
        return [report]
    if not hit.trigger.separately and not _listed_apart(fact, hit, {p.entity_id for p in called}) \
            and not _each_apart(fact, hit):
        return [report]
    return [replace(report, participants=(callers[0], p)) for p in called]


def _each_apart(fact: _SentenceFacts, hit: _Hit) -> bool:
    """Whether the phrase is "bilateral meetings" or "separate meetings" (with X, Y and Z):
    a meeting with each."""
    start = hit.span.start - fact.sentence.span.start
    return _EACH_APART.search(fact.sentence.text, max(0, start - 20), start + 40) is not None


def _listed_apart(fact: _SentenceFacts, hit: _Hit, called: set[str]) -> bool:
    """Whether the people named after the phrase are items of a list parted by semicolons,
    each with a title of their own: an itinerary of separate meetings."""
    base = fact.sentence.span.start
    named = [p for p in fact.persons if p.entity_id in called and p.span.start >= hit.span.end]
    return len(named) >= 2 and all(
        ";" in fact.sentence.text[a.span.end - base : b.span.start - base]
        for a, b in pairwise(named))


def _subject_after(fact: _SentenceFacts, story: _Story) -> NameMention:
    """Whom the story follows after a sentence naming people: its first person, unless a
    "he" or "she" comes before it, or the sentence opens with "his" or "her": those go on
    with the one followed so far ("His talks with President X produced ...", "On Thursday he
    called on General X": still his story, not X's), as does a "him" or "her" right after
    the first person's verb ("X hosted him at the ministry")."""
    if story.subject is None:
        return fact.persons[0]
    base = fact.sentence.span.start
    first = fact.persons[0]
    if (_PRONOUN_SUBJECT.match(fact.sentence.text)
            or _PRONOUN.search(fact.sentence.text, 0, first.span.start - base)
            or _OBJECT_PRONOUN_AFTER.match(fact.sentence.text, first.span.end - base)):
        return story.subject
    return first


def _is_question(text: str, sentence: Sentence) -> bool:
    """A question, or a sentence of a transcript's question ("Q: Some media say ..."): it
    asks about events, it does not report them."""
    if sentence.text.rstrip().endswith("?"):
        return True
    line_start = text.rfind("\n", 0, sentence.span.start) + 1
    return _QUESTION_LINE.match(text, line_start) is not None


def _facts_by_sentence(
    text: str,
    sentences: Sequence[Sentence],
    starts: list[int],
    times: Sequence[TimeExpression],
    names: Sequence[NameMention],
    lexicon: EventLexicon,
) -> list[_SentenceFacts]:
    names_in = _bucket(names, sentences, starts)
    times_in = _bucket(times, sentences, starts)
    topics = lexicon.topics_by_sentence(text, starts)
    return [
        _SentenceFacts(
            sentence=sentence,
            persons=_distinct([n for n in found if n.kind is EntityKind.PERSON]),
            places=tuple(n for n in found if n.kind is EntityKind.PLACE),
            organisations=tuple(n for n in found if n.kind is EntityKind.ORGANISATION),
            times=tuple(times_in[i]),
            topics=topics[i],
            next_text=sentences[i + 1].text if i + 1 < len(sentences) else "",
        )
        for i, (sentence, found) in enumerate(zip(sentences, names_in, strict=True))
    ]


def _called_off(fact: _SentenceFacts, lexicon: EventLexicon) -> bool:
    """Whether a sentence's event was called off: in the sentence itself, or in the next
    one after a plan told in the pluperfect ("had been scheduled to travel to Baku on
    Thursday. That leg has been postponed")."""
    text = fact.sentence.text
    if lexicon.cancelled.search(text):
        return True
    return ("had been" in text and _HAD_BEEN_PLANNED.search(text) is not None
            and lexicon.cancelled.search(fact.next_text) is not None)


def _bucket(items: Sequence, sentences: Sequence[Sentence], starts: list[int]) -> list[list]:
    """Items (mentions, expressions) grouped by the sentence that wholly holds them."""
    buckets: list[list] = [[] for _ in sentences]
    for item in items:
        index = bisect_right(starts, item.span.start) - 1
        if index >= 0 and item.span.end <= sentences[index].span.end:
            buckets[index].append(item)
    return buckets


def _distinct(persons: list[NameMention]) -> tuple[NameMention, ...]:
    seen: dict[str, NameMention] = {}
    for mention in persons:
        seen.setdefault(mention.entity_id, mention)
    return tuple(seen.values())


def _trigger_hits(sentence: Sentence, triggers: Sequence[Trigger]) -> list[_Hit]:
    """Trigger phrases in a sentence; of overlapping phrases of one kind the longest wins."""
    hits: list[_Hit] = []
    for trigger in triggers:
        for match in trigger.pattern.finditer(sentence.text):
            if match.end() == match.start():
                continue
            start = sentence.span.start + match.start()
            hits.append(_Hit(trigger, Span(start, sentence.span.start + match.end())))
    hits.sort(key=lambda h: (h.span.start, -len(h.span)))
    kept: list[_Hit] = []
    for hit in hits:
        if any(k.trigger.kind is hit.trigger.kind and k.span.overlaps(hit.span) for k in kept):
            continue
        kept.append(hit)
    return kept


def _report_for(
    doc: Document,
    fact: _SentenceFacts,
    hit: _Hit,
    hits: Sequence[_Hit],
    story: _Story,
    entities: Mapping[str, Entity],
    lexicon: EventLexicon,
    topics: tuple[str, ...] = (),
) -> Report | None:
    kind = hit.trigger.kind
    if kind in MAIN_KINDS and _called_off(fact, lexicon):
        return None  # "the visit has been postponed", "the meeting was called off"
    if hit.trigger.is_topic_at(doc.text, hit.span.start):
        return None  # "a joint statement on naval drills": spoken of, not held
    if kind is EventKind.MEETING and "join" in fact.sentence.text and _JOINED_THE.search(
            fact.sentence.text, 0, hit.span.start - fact.sentence.span.start):
        return None  # "X and Y joined the second half of the meeting": the one told, attended
    if kind is EventKind.MEMBERSHIP and _a_person_joins(fact, hit):
        return None  # "X joined the Royal Navy in 1983": a career, not a country joining
    if kind is EventKind.MEETING and _talks_told_of(fact, hit):
        return None  # "X reminded Y that negotiators came close to a deal at talks in Istanbul"
    if kind in MAIN_KINDS and lexicon.hypothetical.search(
            doc.text, max(0, hit.span.start - 40), hit.span.start):
        return None  # "in Bishkek, where he could meet Gu again"
    location = None if hit.trigger.remote else (
        _location(fact, hit, entities, lexicon) or _here(fact, hit, story.here))
    if kind is EventKind.MEMBERSHIP and location == _member(fact, hit, entities):
        location = None  # the country that joins is not where it joined
    people = tuple(p for p in fact.persons
                   if not _is_source(p, fact, lexicon) and not _names_whose(p, fact, lexicon))
    unnamed_side = False
    if kind is EventKind.MEETING:
        location = location or _trip_destination(fact, hit, hits, entities)
        people = _meeting_sides(people, fact, hit, story, hits)
        # "X hosted his Iraqi counterpart": one side named; another outlet may name both.
        unnamed_side = len(people) == 1 and _UNNAMED_SIDE.search(fact.sentence.text) is not None
        if len(people) < 2 and not unnamed_side:
            return None
    elif kind is EventKind.VISIT and hit.trigger.guest:
        people = _guest(people, hit)
        if location is None or not people:
            return None
    elif kind is EventKind.VISIT:
        location = _destination(fact, hit, entities) or _here(
            fact, hit, story.here, _PLACE_REACH)
        if location is None and hit.trigger.dateline_place:
            location = story.here  # "Palacios arrived Tuesday", under a BRUSSELS dateline
        people = _visitors(replace(fact, persons=people), hit, story.subject)
        if location is None or not people:
            return None
    expression = _date_expression(fact, hit, hits, lexicon)
    if kind is EventKind.MEETING and expression is None and _looks_back(fact, hit, story):
        return None
    when, weekday, ends = _dating(doc, fact, hit, expression, lexicon)
    if expression is None:
        visit = _visit_it_is_part_of(fact, hit, story, people)
        when = _date_from_story(fact, hit, story, visit) or _just_arrived(doc, fact, hit)
        if location is None and visit is not None:
            location = visit.location
    relation = expression.relation if expression is not None and when is None else None
    undated = when is None and weekday is None and relation is None
    # An undated invitation is no event of its own; it tells more of a visit told elsewhere.
    supporting = unnamed_side or (undated and (
        kind not in MAIN_KINDS or lexicon.invitation.search(_clause_to(fact, hit)) is not None
    ))
    return Report(
        document=doc.id,
        kind=kind,
        when=when,
        status=_status(doc, fact, hit, expression, when, ends, lexicon),
        location=location,
        participants=tuple(_participant(m, entities) for m in people),
        topics=topics,
        excerpts=(Excerpt(doc.id, fact.sentence.span.start, fact.sentence.span.end,
                          fact.sentence.text, hit.span),),
        weekday=weekday,
        relation=relation,
        actors=_actors(fact, entities),
        subject=_member(fact, hit, entities) if kind is EventKind.MEMBERSHIP
        else _subject(doc.text, hit),
        ends=ends,
        supporting=supporting,
    )


_AT_TALKS = re.compile(r"(?:at|during)\s", re.IGNORECASE)
_THAT = re.compile(r"\bthat\b", re.IGNORECASE)


def _talks_told_of(fact: _SentenceFacts, hit: _Hit) -> bool:
    """Whether "at talks in Istanbul" is in a clause of its own ("... that negotiators came
    close to a deal at talks in Istanbul"), not where the people named before it met."""
    base = fact.sentence.span.start
    if not _AT_TALKS.match(fact.sentence.text, hit.span.start - base):
        return False
    before = [p for p in fact.persons if p.span.end <= hit.span.start]
    if not before:
        return False
    return _THAT.search(_between(fact, before[-1].span.end, hit.span.start)) is not None


def _trip_destination(fact: _SentenceFacts, hit: _Hit, hits: Sequence[_Hit],
                      entities: Mapping[str, Entity]) -> str | None:
    """Where talks the sentence tells of after a trip were held: "flew to Washington for
    talks with X", "visited Beijing and held talks with Y"."""
    base = fact.sentence.span.start
    trips = [h for h in hits if h.trigger.kind is EventKind.VISIT and not h.trigger.ends
             and h.span.end <= hit.span.start]
    for trip in reversed(trips):
        if _IN_ASIDE.search(fact.sentence.text, 0, trip.span.start - base):
            continue  # "X, who visited Moscow last year, held talks with Y": another clause
        place = _destination(fact, trip, entities)
        if place is not None:
            return place
    return None


_HOST_VERB = re.compile(r"(?:hosted|hosts|received|receives|welcomed|welcomes)\b", re.IGNORECASE)


def _hosted_by_a_country(fact: _SentenceFacts, hit: _Hit, hits: Sequence[_Hit]) -> bool:
    """Whether the host of "hosted", "received" or "welcomed" is a place named just before
    the verb ("China hosted ...", "Beijing welcomed ..."), with no person before it, for a
    gathering the sentence names: its guests came for that. Without one ("Turkey hosted X and
    Y in Antalya, their first talks since ..."), the guests met each other."""
    if not any(h.trigger.kind is EventKind.CONFERENCE for h in hits):
        return False
    base = fact.sentence.span.start
    if not _HOST_VERB.match(fact.sentence.text, hit.span.start - base):
        return False
    if any(p.span.end <= hit.span.start for p in fact.persons):
        return False
    return any(0 <= hit.span.start - place.span.end <= 2 for place in fact.places)


def _meeting_sides(
    people: tuple[NameMention, ...], fact: _SentenceFacts, hit: _Hit, story: _Story,
    hits: Sequence[_Hit] = (),
) -> tuple[NameMention, ...]:
    """Who met: the people named, with those the sentence only implies."""
    if _hosted_by_a_country(fact, hit, hits):
        return ()  # "China hosted X and Y for the SCO meeting": guests, not a meeting of theirs
    # "X told reporters he would hold talks with Y": the "he" is the one who speaks.
    speaker = next((p for p in fact.persons if p not in people
                    and p.span.end <= hit.span.start), None)
    people = _with_implied_subject(people, fact, hit, speaker or story.subject)
    posts = _posts_named(fact) if len(people) < 2 else None
    if posts is not None:
        # "the two defence ministers": the two holding the post, else the last pair if the
        # post does not rule it out.
        people = (_pair_by_posts(posts, story)
                  or _pair_holding(story.pair or story.duo, posts, story) or people)
    elif len(people) < 2 and not people and _names_the_last_meeting(fact, hit):
        people = story.pair or story.duo or people
    if not people and story.duo and _THEY.match(fact.sentence.text):
        people = story.duo  # "X and Y have met often. They held talks in Tashkent in 2022"
    return people


def _conjoined_pair(fact: _SentenceFacts) -> tuple[NameMention, ...]:
    """The two people a sentence names as "X and Y" (titles between allowed), if it does."""
    if len(fact.persons) != 2:
        return ()
    first, second = fact.persons
    between = _between(fact, first.span.end, second.span.start)
    return (first, second) if _AND_TITLE.match(between) else ()


def _seen_with(seen: tuple[NameMention, ...], fact: _SentenceFacts) -> tuple[NameMention, ...]:
    """The people named so far, those of this sentence moved last; each keeps the mention
    that gave a title ("Defense Minister Liu", then "Liu")."""
    titled = {p.entity_id: p for p in seen if p.title}
    now = tuple(p if p.title else titled.get(p.entity_id, p) for p in fact.persons)
    ids = {p.entity_id for p in now}
    return (*(p for p in seen if p.entity_id not in ids), *now)[-_SEEN_PEOPLE:]


def _pair_by_posts(posts: frozenset[str], story: _Story) -> tuple[NameMention, ...]:
    """ "The two defense ministers": the only two people named so far whose titles hold
    those words, whatever meeting was told last; () when the phrase names no post."""
    if not posts:
        return ()
    holders = [p for p in story.seen if _holds(p, posts)]
    return tuple(holders) if len(holders) == 2 else ()


def _posts_named(fact: _SentenceFacts) -> frozenset[str] | None:
    """The post words of "the two defence ministers" ({"defense", "minister"}); none for
    "the two senior officials", whose words name no post; None without such a phrase."""
    found = _PAIR.search(fact.sentence.text)
    if found is None:
        return None
    noun = found.group("noun").lower()
    need = {_fold_post(w) for w in found.group("posts").lower().split()} - _NOT_POSTS
    if need and noun not in _GENERIC_PAIR_NOUNS:
        need.add(noun[:-1] if noun.endswith("s") else noun)  # "ministers": each a minister
    return frozenset(need)


def _holds(person: NameMention, need: frozenset[str]) -> bool:
    return person.title is not None and need <= {
        _fold_post(w) for w in _TITLE_WORD.findall(person.title.lower())}


def _fold_post(word: str) -> str:
    return "defense" if word == "defence" else word  # British and American spellings


def _pair_holding(pair: tuple[NameMention, ...], posts: frozenset[str],
                  story: _Story) -> tuple[NameMention, ...]:
    """The pair told of last, if the posts "the two ... ministers" names do not rule it out
    (each holds them, or its title is unknown to the story)."""
    titled = {p.entity_id: p for p in story.seen}
    known = [titled.get(p.entity_id, p) for p in pair]
    return pair if all(p.title is None or _holds(p, posts) for p in known) else ()


def _names_the_last_meeting(fact: _SentenceFacts, hit: _Hit) -> bool:
    """ "The meeting was held on October 21": a meeting noun with "the" and nobody named
    is the meeting just told."""
    base = fact.sentence.span.start
    return _DEFINITE.search(fact.sentence.text, 0, hit.span.start - base) is not None


def _date_from_story(fact: _SentenceFacts, hit: _Hit, story: _Story,
                     visit: Report | None = None) -> DateValue | None:
    """A date for a report whose sentence gives none: the day of the talks it follows
    ("after the meeting, they signed"), the dates of the visit it is part of ("will hold
    talks with X during the visit"), else the day of the heading above it."""
    if hit.trigger.kind is not EventKind.MEETING:
        when = _after_the_talks(fact, hit, story)
        if when is not None:
            return when
    later = _later_on(fact, story)
    if later is not None:
        return later
    day = _day_of_the_visit(fact, story.visit)
    if day is not None:
        return day
    # A visit dated by one day (its arrival, say) does not say which of its days the
    # meeting was; its span, or a month or year, does bound it.
    if visit is not None and visit.when is not None and (
            visit.when.is_span or visit.when.precision is not Precision.DAY):
        return replace(visit.when, basis=f"during the visit told before ({visit.when.basis})")
    if story.scene_when is not None and hit.trigger.kind in MAIN_KINDS:
        scene = story.scene_when
        return replace(scene, certainty=Certainty.UNCERTAIN if scene.certainty is
                       Certainty.UNCERTAIN else Certainty.INFERRED,
                       basis=f"the date the sentence before sets ({scene.basis})")
    if story.section_when is None:
        return None
    return replace(story.section_when,
                   basis=f"the day of the heading above ({story.section_when.basis})")


def _day_of_the_visit(fact: _SentenceFacts, visit: Report | None) -> DateValue | None:
    """ "On the first day she sat down with X": that day of the visit told before."""
    found = _DAY_OF_VISIT.search(fact.sentence.text)
    if found is None or visit is None or visit.when is None \
            or visit.when.precision is not Precision.DAY:
        return None
    which = found.group(1).lower()
    first, last = visit.when.start, visit.when.end
    if which in _LAST_DAY:
        if not visit.when.is_span:
            return None  # a visit known by one day does not say which is its last
        day = last
    else:
        day = first + dt.timedelta(days=_NTH_DAY.get(which, 0))
        if visit.when.is_span and day > last:
            return None
    return DateValue(day, day, Precision.DAY, Certainty.INFERRED,
                     f"'{found.group(0).strip()}' of the visit told before ({visit.when.basis})")


def _visit_it_is_part_of(fact: _SentenceFacts, hit: _Hit, story: _Story,
                         people: Sequence[NameMention]) -> Report | None:
    """The visit told before, when a meeting of its visitor is "during the visit"."""
    if hit.trigger.kind is not EventKind.MEETING or story.visit is None:
        return None
    if _DURING_VISIT.search(fact.sentence.text) is None:
        return None
    visitors = {p.entity_id for p in story.visit.participants}
    return story.visit if visitors & {p.entity_id for p in people} else None


def _just_arrived(doc: Document, fact: _SentenceFacts, hit: _Hit) -> DateValue | None:
    """ "X has arrived in Accra", "X is on a two-day visit to Y" with no date: news of the
    day, so the publication day."""
    if hit.trigger.kind is not EventKind.VISIT or doc.published is None \
            or doc.published.precision is not Precision.DAY:
        return None
    base = fact.sentence.span.start
    lead = _HAS_JUST if hit.trigger.arrival else _IS_ON
    found = lead.search(fact.sentence.text, 0, hit.span.start - base)
    if found is None:
        return None
    day = doc.published
    certainty = Certainty.UNCERTAIN if day.certainty is Certainty.UNCERTAIN \
        else Certainty.INFERRED
    phrase = " ".join(fact.sentence.text[found.start() : hit.span.end - base].split())
    return replace(day, certainty=certainty,
                   basis=f"'{phrase}', the day the article was published ({day.basis})")


@dataclass(slots=True)
class _Story:
    """What an article has told before the sentence at hand: the reading's state, taken in
    sentence by sentence (``tell`` for each report made, ``read`` for the rest)."""

    subject: NameMention | None = None  # the person it follows: who "he" is
    pair: tuple[NameMention, ...] = ()  # who its last meeting was between: "the two ministers"
    here: str | None = None  # the place its dateline names: where "met here" is
    talks_when: DateValue | None = None  # when its last meeting was: "after the talks"
    talks_at: int = -1  # where the sentence that dated those talks starts
    section_when: DateValue | None = None  # the day a heading above gives: "Day two, 18 May"
    scene_when: DateValue | None = None  # a date the sentence before set: "Last spring ..."
    visit: Report | None = None  # its last visit: what "during the visit" is
    duo: tuple[NameMention, ...] = ()  # "X and Y" of the last sentence naming people: "they"
    seen: tuple[NameMention, ...] = ()  # the people named so far, the latest last

    def tell(self, report: Report, fact: _SentenceFacts) -> None:
        """Take in a report just made from the sentence at hand."""
        if report.kind is EventKind.MEETING:
            self.pair = _mentions_of(report, fact, self)
            if report.when is not None:
                self.talks_when, self.talks_at = report.when, fact.sentence.span.start
        elif report.kind is EventKind.VISIT and report.when is not None:
            self.visit = report

    def read(self, fact: _SentenceFacts, told: bool, paragraph_ends: bool) -> None:
        """Take in the rest of a sentence: whom the story follows, the dates it sets."""
        if fact.persons:
            self.subject = _subject_after(fact, self)
            self.duo = _conjoined_pair(fact)
            self.seen = _seen_with(self.seen, fact)
        else:
            posts = _posts_named(fact)  # "They" in the next sentence: the two of the posts
            self.duo = (_pair_by_posts(posts, self) if posts else ()) or self.duo
        if not told:
            self.section_when = _heading_date(fact) or self.section_when
        self.scene_when = None if told or fact.persons or paragraph_ends else _scene_date(fact)


def _mentions_of(report: Report, fact: _SentenceFacts, story: _Story) -> tuple[NameMention, ...]:
    """The mentions behind a meeting report's participants."""
    ids = {p.entity_id for p in report.participants}
    candidates = [*fact.persons, *([story.subject] if story.subject else []), *story.pair]
    return tuple({m.entity_id: m for m in reversed(candidates) if m.entity_id in ids}.values())


def _after_the_talks(fact: _SentenceFacts, hit: _Hit, story: _Story) -> DateValue | None:
    """ "After the meeting, the two ministers signed an agreement", "the two sides then
    signed": the day of the meeting."""
    if story.talks_when is None:
        return None
    base = fact.sentence.span.start
    at = hit.span.start - base
    found = _AFTER_TALKS.search(fact.sentence.text, 0, at)
    if found is None and hit.trigger.kind is EventKind.AGREEMENT:
        # "The two sides then signed": a signing follows the talks; "he then flew" may not.
        found = _THEN.search(fact.sentence.text, max(0, at - 25), at)
    if found is None:
        return None
    talks = story.talks_when
    basis = f"'{found.group(0).strip()}': the day of the talks told before ({talks.basis})"
    certainty = Certainty.UNCERTAIN if talks.certainty is Certainty.UNCERTAIN \
        else Certainty.INFERRED
    return replace(talks, basis=basis, certainty=certainty)


def _later_on(fact: _SentenceFacts, story: _Story) -> DateValue | None:
    """ "Later, X called on Y": the day of the talks told before; "later that day" and
    "earlier in the day" say so, a bare "later" only suggests it."""
    if story.talks_when is None or story.talks_when.precision is not Precision.DAY:
        return None
    found = _LATER.match(fact.sentence.text)
    if found is None:
        return None
    talks = story.talks_when
    if story.talks_at == fact.sentence.span.start:
        return talks  # the talks told before are this sentence's own, dated just so
    same_day = found.group("same") or found.group("earlier")
    sure = same_day is not None and talks.certainty is not Certainty.UNCERTAIN
    return replace(talks, certainty=Certainty.INFERRED if sure else Certainty.UNCERTAIN,
                   basis=f"'{found.group('lead')}': the day of the talks told before "
                         f"({talks.basis})")


def _ends_paragraph(text: str, facts: Sequence[_SentenceFacts], index: int) -> bool:
    """Whether a line break parts this sentence from the next (a scene stays in its
    paragraph: "Last year trade grew 5%." above a new paragraph dates nothing in it)."""
    if index + 1 >= len(facts):
        return True
    return "\n" in text[facts[index].sentence.span.end : facts[index + 1].sentence.span.start]


def _scene_date(fact: _SentenceFacts) -> DateValue | None:
    """The date a short sentence that names nobody sets for the next one: "Last spring it
    was Quito's turn." """
    text = fact.sentence.text.strip()
    if len(fact.times) != 1 or len(text.split()) > _SCENE_WORDS or text[-1:] != ".":
        return None
    return fact.times[0].value


def _heading_date(fact: _SentenceFacts) -> DateValue | None:
    """The day a heading line names ("Day two, Tuesday 18 February"): a few words, no
    closing stop, one date to the day."""
    text = fact.sentence.text.strip()
    if (len(fact.times) != 1 or text[-1:] in ".!?\"”" or len(text.split()) > _HEADING_WORDS
            or "\n" in text or _NOT_HEADING.search(text)):
        return None
    value = fact.times[0].value
    return value if value is not None and value.precision is Precision.DAY else None


def _looks_back(fact: _SentenceFacts, hit: _Hit, story: _Story) -> bool:
    """ "The videoconference was attended by X and Y": an undated "the meeting" after one was
    told is that one again, and the people named with it attended, they did not meet."""
    if not story.pair:
        return False
    base = fact.sentence.span.start
    return _DEFINITE.search(fact.sentence.text, 0, hit.span.start - base) is not None


def _dateline_place(
    doc: Document, names: Sequence[NameMention], entities: Mapping[str, Entity]
) -> str | None:
    """The place a wire dateline names ("MANILA, Nov. 5 (Agency) --"): where "here" is."""
    dateline = find_dateline(doc.text) or find_place_dateline(doc.text)
    if dateline is None:
        return None
    for mention in names:
        if mention.kind is EntityKind.PLACE and dateline.contains(mention.span):
            return _entity_name(mention, entities)
    return None


def _here(fact: _SentenceFacts, hit: _Hit, here: str | None,
          reach: int = _HERE_REACH) -> str | None:
    """The dateline's place when "here" stands by the trigger ("met here Wednesday"); the
    people named between them, with their titles, do not count in the distance ("met with
    visiting Chief of Staff Lieutenant General X here")."""
    if here is None:
        return None
    base = fact.sentence.span.start
    for found in _HERE.finditer(fact.sentence.text):
        if base + found.start() >= hit.span.end:
            first, last = hit.span.end, base + found.start()
        else:
            first, last = base + found.end(), hit.span.start
        named = sum(len(p.text) + len(p.title or "") for p in fact.persons
                    if first <= p.span.start and p.span.end <= last)
        if last - first - named <= reach:
            return here
    return None


def _with_implied_subject(
    people: tuple[NameMention, ...],
    fact: _SentenceFacts,
    hit: _Hit,
    last_subject: NameMention | None,
) -> tuple[NameMention, ...]:
    """Add the person the article is following when the sentence only implies them.

    "On Monday he held talks with X" and "Monday's talks with X focused on ..." name one
    side; the other is the "he", or the subject of the story so far.
    """
    if last_subject is None or any(p.entity_id == last_subject.entity_id for p in people):
        return people
    if len(people) > 1:
        return _subject_and_first_clause(people, fact, hit, last_subject)
    if len(people) != 1:
        return people
    base = fact.sentence.span.start
    before = fact.sentence.text[: hit.span.start - base]
    trigger = _between(fact, hit.span.start, hit.span.end)
    after = fact.sentence.text[hit.span.end - base :]
    with_next = trigger.lower().endswith("with") or _WITH.match(after) or (
        _COUNTERPART.match(after)
    )
    named_after = people[0].span.start >= hit.span.end and with_next
    if people[0].span.end <= hit.span.start and _OBJECT_PRONOUN.match(after):
        return (*people, last_subject)
    pronoun = _PRONOUN.search(before)
    if pronoun is None and _GROUP_SUBJECT.search(before):
        return people  # "The visiting delegation is to hold talks with X": not the story's man
    # "X visited the cathedral, where he met clergy": a "he" after the one person named is X.
    if pronoun is not None and people[0].span.end <= base + pronoun.start():
        return people
    if pronoun is not None or named_after:
        return (last_subject, *people)
    return people


def _subject_and_first_clause(
    people: tuple[NameMention, ...], fact: _SentenceFacts, hit: _Hit, subject: NameMention
) -> tuple[NameMention, ...]:
    """ "During his stay he will meet X and Y": he meets them both. "He will hold talks with X,
    and is expected to call on Y": he and X meet; Y is named in another clause. Only when
    "he" stands before the trigger and nobody is named before it."""
    base = fact.sentence.span.start
    text = fact.sentence.text
    if people[0].span.start < hit.span.end or not _PRONOUN.search(text, 0, hit.span.start - base):
        return people
    start = hit.span.end - base
    same = tuple(p for p in people if not _CLAUSE_BREAK.search(text, start, p.span.start - base))
    return (subject, *same) if same else people


def _is_source(person: NameMention, fact: _SentenceFacts, lexicon: EventLexicon) -> bool:
    """True for someone who only tells of the event: a spokesperson, "X told journalists".

    "X told Y" keeps X: Y is named right after the verb, so X speaks to a participant.
    """
    if person.title and _SPOKESPERSON.search(person.title):
        return True
    base = fact.sentence.span.start
    start = person.span.end - base
    # "X, head of the ministry's press department, said on Monday": past the appositive.
    aside = _APPOSITIVE.match(fact.sentence.text, start)
    if aside is not None:
        start = aside.end()
    after = fact.sentence.text[start : start + 30]
    verb = lexicon.speech.match(after.lstrip(" ,"))
    if verb is None:
        return False
    listener = base + start + (len(after) - len(after.lstrip(" ,"))) + verb.end()
    if _AFTER_MEETING.match(fact.sentence.text, listener - base):
        return False  # "X, defence minister of Iraq, said after meeting Y": X met Y
    return not any(0 <= p.span.start - listener <= 2 for p in fact.persons)


def _names_whose(person: NameMention, fact: _SentenceFacts, lexicon: EventLexicon) -> bool:
    """True for a name that only says whose the next person is ("X's predecessor, Y"), and
    is not named again in the sentence ("X's spokesman said X met Y")."""
    text, base = fact.sentence.text, fact.sentence.span.start
    end = person.span.end - base
    if person.text.endswith(("'s", "\u2019s")):
        end -= 2
    whose = lexicon.stand_in.match(text, end)
    if whose is None:
        return False
    words = person.text[: end - (person.span.start - base)].split()
    return not words or re.search(rf"\b{re.escape(words[-1])}\b", text[whose.end():]) is None


def _repeats(report: Report, earlier: list[Report]) -> bool:
    """A second trigger of the same kind in the same sentence tells nothing new when it is
    put in the same place, or names the same people on the same date: in "X sat down with Y
    in Beijing last week; commentary in Washington read the meeting as ...", the meeting is
    the one in Beijing. (Undated, "his visit to Russia came after his trip to Pakistan" is
    two trips.)"""
    excerpt = report.excerpts[0]
    return any(
        r.kind is report.kind
        and r.excerpts[0].start == excerpt.start
        and (r.location == report.location
             or (r.when is not None and r.when == report.when
                 and r.participants == report.participants))
        for r in earlier
    )


def _participant(mention: NameMention, entities: Mapping[str, Entity]) -> Participant:
    entity = entities.get(mention.entity_id)
    name = entity.name if entity else mention.text
    role = mention.title or (entity.title if entity else None)
    return Participant(name=name, entity_id=mention.entity_id, role=role)


def _entity_name(mention: NameMention, entities: Mapping[str, Entity]) -> str:
    entity = entities.get(mention.entity_id)
    return entity.name if entity else mention.text


def _actors(fact: _SentenceFacts, entities: Mapping[str, Entity]) -> tuple[str, ...]:
    """Organisations the sentence is about, not those it cites ("according to Xinhua")."""
    text = fact.sentence.text
    base = fact.sentence.span.start
    return tuple(dict.fromkeys(
        _entity_name(m, entities)
        for m in fact.organisations
        if not _CITED.search(text[max(0, m.span.start - base - 20) : m.span.start - base])
    ))


def _member(fact: _SentenceFacts, hit: _Hit, entities: Mapping[str, Entity]) -> str | None:
    """Who joins: the place (a country) named before a membership phrase, or after "admit"."""
    if hit.trigger.member_after:
        after = [p for p in fact.places if p.span.start >= hit.span.end]
        return _entity_name(after[-1], entities) if after else None
    before = [p for p in fact.places if p.span.end <= hit.span.start]
    return _entity_name(before[-1], entities) if before else None


def _a_person_joins(fact: _SentenceFacts, hit: _Hit) -> bool:
    """Whether the name nearest before a "joined" is a person's ("Norway's Chief of Defence,
    General X, joined the meeting")."""
    base = fact.sentence.span.start
    if hit.trigger.member_after or not fact.sentence.text.startswith(
            ("join", "Join"), hit.span.start - base):
        return False  # "the membership of Iran in ...": the member follows
    people = [p.span.end for p in fact.persons if p.span.end <= hit.span.start]
    places = [p.span.end for p in fact.places if p.span.end <= hit.span.start]
    return bool(people) and max(people) > max(places, default=-1)


def _destination(fact: _SentenceFacts, hit: _Hit, entities: Mapping[str, Entity]) -> str | None:
    """The place named right after a visit phrase ("arrived in Lima", "visit to the capital X")."""
    for place in fact.places:
        gap = place.span.start - hit.span.end
        if 0 <= gap <= _PLACE_REACH:
            return _entity_name(place, entities)
    return None


_SIDELINES = re.compile(r"\b(?:on|at)\s+the\s+(?:sidelines|margins?)\s+of\b", re.IGNORECASE)


def _location(
    fact: _SentenceFacts, hit: _Hit, entities: Mapping[str, Entity], lexicon: EventLexicon
) -> str | None:
    """The place a sentence puts its event in: "in"/"at" a place close to the trigger (or
    "to" one after "welcomed").

    Only close places count, and none across a verb of speech: in "X told Y about his talks
    with Z, saying they discussed cooperation in Syria", Syria is not where the talks were.
    """
    text = fact.sentence.text
    base = fact.sentence.span.start
    best: tuple[int, NameMention] | None = None
    # "welcomed X to London": where a host welcomes a guest to is where they met.
    welcome = text.startswith(("welcom", "Welcom"), hit.span.start - base)
    for place in fact.places:
        before = text[max(0, place.span.start - base - 40) : place.span.start - base]
        if not (_PLACE_PREPOSITION.search(before) or (welcome and _TO_PLACE.search(before))) \
                or _names_a_building(place, fact, entities):
            continue
        if lexicon.topical_place.search(before):
            continue  # "talks on the situation in Afghanistan"
        first, last = sorted((place.span.start, hit.span.end))
        between = text[first - base : last - base]
        # "met X, Y and Z on the sidelines of the ministers' meeting in New Delhi": far off,
        # but where the meetings were.
        far = last - first > _LOCATION_REACH and not (
            place.span.start > hit.span.end and _SIDELINES.search(between))
        if far or _SAYING.search(between):
            continue
        distance = abs(place.span.start - hit.span.end)
        if best is None or distance < best[0]:
            best = (distance, place)
    if best is None:
        return None
    chosen = _entity_name(best[1], entities)
    # "in Tajikistan's capital city of Dushanbe": a place inside the chosen one says more.
    for place in fact.places:
        entity = entities.get(place.entity_id)
        inside = entity is not None and entity.country == chosen
        if inside and place.span.start > best[1].span.start:
            return entity.name
    return chosen


def _names_a_building(
    place: NameMention, fact: _SentenceFacts, entities: Mapping[str, Entity]
) -> bool:
    """ "at the India Pavilion", "at the Russia House": a country's name as the first word
    of a building's or stand's name says nothing of where the event was."""
    entity = entities.get(place.entity_id)
    if entity is None or entity.country != entity.name:
        return False
    after = fact.sentence.text[place.span.end - fact.sentence.span.start :]
    return _CAPITALISED_WORD.match(after) is not None


def _visitors(
    fact: _SentenceFacts, hit: _Hit, last_subject: NameMention | None
) -> tuple[NameMention, ...]:
    """Who travels: the sentence's subject, the owner of the trip ("Y's visit to"), else "he".

    "X and Y last met in Hanoi during President Z's state visit to Vietnam": Z travels.
    "X's envoy, Y, arrived in ...": the traveller is named last.
    """
    text, base = fact.sentence.text, fact.sentence.span.start
    hosts = _inviters(fact)
    before = [p for p in fact.persons if p.span.end <= hit.span.start and p not in hosts]
    if _ITS_TRIP.search(text, 0, hit.span.start - base):
        return ()  # "X welcomed the delegation, noting that its visit ...": not X's trip
    if before:
        owner = before[-1]
        gap = text[owner.span.end - base : hit.span.start - base]
        owns_trip = _is_possessive(owner, fact) and _POSSESSIVE_TRIP.match(gap)
        # "X received Y, who is on a three-day visit to Z": the clause is about Y.
        relative = _RELATIVE_WHO.match(gap) is not None
        if owns_trip or relative or (len(before) > 1 and _is_possessive(before[0], fact)):
            return (owner,)
        return (before[0],)
    after = [p for p in fact.persons if p.span.start >= hit.span.end and p not in hosts]
    if _GROUP_SUBJECT.search(text, 0, hit.span.start - base):
        return ()  # "The visiting delegation, which arrived on Monday, ... with X": not X
    # "He spent two days in Baku, where he held talks with X": the "he" travels, not X; but
    # not in "He said the trip to Beijing by X ...".
    if last_subject is not None and _PRONOUN.search(text, 0, hit.span.start - base) \
            and not _BY_SOMEONE.match(text, hit.span.end - base) \
            and not _PRONOUN_SAYS.search(text, 0, hit.span.start - base):
        return (last_subject,)
    if after:
        return (after[0],)
    if last_subject is not None and _PRONOUN_SUBJECT.search(text):
        return (last_subject,)
    return ()


def _guest(people: tuple[NameMention, ...], hit: _Hit) -> tuple[NameMention, ...]:
    """The one received: the first person named after "hosted his counterpart", "with
    visiting"."""
    after = [p for p in people if 0 <= p.span.start - hit.span.end <= _GUEST_REACH]
    return after[:1]


def _inviters(fact: _SentenceFacts) -> list[NameMention]:
    """The people a sentence says invited someone ("at the invitation of X"): hosts, not
    travellers."""
    text, base = fact.sentence.text, fact.sentence.span.start
    hosts = []
    for phrase in _INVITED_BY.finditer(text):
        after = [p for p in fact.persons if 0 <= p.span.start - base - phrase.end()
                 <= _INVITER_REACH]
        if after:
            hosts.append(after[0])
    return hosts


def _is_possessive(person: NameMention, fact: _SentenceFacts) -> bool:
    """ "Karimi's": in the mention, or just after it when the mention stops at the name."""
    after = fact.sentence.text[person.span.end - fact.sentence.span.start :]
    return person.text.endswith(("'s", "\u2019s")) or after.startswith(("'s", "\u2019s"))


def _date_expression(
    fact: _SentenceFacts, hit: _Hit, hits: Sequence[_Hit], lexicon: EventLexicon
) -> TimeExpression | None:
    """The time expression that dates this trigger.

    Each expression belongs to the trigger it stands nearest to ("visited Porto on Friday
    after talks with X on Monday": Friday is the visit's, Monday the talks'); a trigger with
    none of its own takes the nearest one left. Dates of speech never count.
    """
    candidates = [
        e for e in fact.times
        if (e.value is not None or e.weekday is not None or e.relation is not None)
        # When the trigger is inside the anchor phrase ("the day after the lifting of X"),
        # the expression dates something else relative to this trigger's event.
        and not (e.relation is not None and e.relation.anchor.contains(hit.span))
        and not _dates_speech(fact, e, hit, lexicon)
        and not _is_purpose(fact, e)
        and not _about_a_person(fact, e, hit)
        and not (hit.trigger.kind is EventKind.MEETING and _after_since(fact, e))
        and not _in_since_clause(fact, e, hit)
        and not (hit.trigger.kind is EventKind.AGREEMENT
                 and (_is_horizon(fact, e) or _in_its_terms(fact, e, hit)))
        and not _outside_during_which(fact, e, hit)
    ]
    if not candidates:
        return None
    nearest = {id(e): _nearest_hit(fact, e, hits, lexicon) for e in candidates}
    own = [e for e in candidates if nearest[id(e)] is hit]
    # Another trigger's date may date this one too ("visited Y and held talks on Monday",
    # "will visit Mumbai, where he is to tour the dockyard on Thursday"), but one trip's date
    # is not another trip's to another place ("his visits to Tokyo and Seoul, the stops
    # before he arrived in India on Friday": Friday is India's).
    left = [e for e in candidates
            if hit.trigger.kind is not EventKind.VISIT
            or not _trip_to_a_place(fact, nearest[id(e)])]
    pool = own or left
    return min(pool, key=lambda e: _distance(e, hit, fact)) if pool else None


def _trip_to_a_place(fact: _SentenceFacts, hit: _Hit | None) -> bool:
    """Whether a trigger is a visit with a place right after it ("arrived in India")."""
    return hit is not None and hit.trigger.kind is EventKind.VISIT and any(
        0 <= place.span.start - hit.span.end <= _PLACE_REACH for place in fact.places)


def _between(fact: _SentenceFacts, start: int, end: int) -> str:
    """The sentence's text between two offsets of the document."""
    base = fact.sentence.span.start
    return fact.sentence.text[start - base : end - base]


def _outside_during_which(fact: _SentenceFacts, expression: TimeExpression, hit: _Hit) -> bool:
    """ "returned on Tuesday at the end of a visit, during which he held talks with X": the
    talks were some day of the visit, not the day of the return; "met X later the same day,
    who is expected to visit Colombo": the main clause's day is not the visit's."""
    if expression.span.end > hit.span.start:
        return False
    between = _between(fact, expression.span.end, hit.span.start)
    return _DURING_WHICH.search(between) is not None


def _preceded_by(fact: _SentenceFacts, expression: TimeExpression, words: re.Pattern[str],
                 reach: int) -> bool:
    """Whether ``words`` (anchored with $) run up to the expression, within ``reach``."""
    start = expression.span.start - fact.sentence.span.start
    return words.search(fact.sentence.text, max(0, start - reach), start) is not None


def _is_horizon(fact: _SentenceFacts, expression: TimeExpression) -> bool:
    """ "a roadmap with milestones until 2035": how far an agreement reaches, not when it
    was signed."""
    return _preceded_by(fact, expression, _HORIZON, 24)


def _in_its_terms(fact: _SentenceFacts, expression: TimeExpression, hit: _Hit) -> bool:
    """ "signed a protocol, under which officers will attend colleges from next year": a date
    in what the agreement provides for is not when it was signed."""
    if expression.span.start < hit.span.end:
        return False
    between = _between(fact, hit.span.end, expression.span.start)
    return _UNDER_WHICH.search(between) is not None


def _after_since(fact: _SentenceFacts, expression: TimeExpression) -> bool:
    """ "had not met since 2022", "talks frozen since 2019": a meeting is never dated by
    "since", which tells how long something has lasted."""
    return _preceded_by(fact, expression, _SINCE, 12)


def _in_since_clause(fact: _SentenceFacts, expression: TimeExpression, hit: _Hit) -> bool:
    """ "the first meeting since Whitcomb took office in January": the date is the clause's,
    not that of an event told before the clause (the clause's own "took office" keeps it)."""
    base = fact.sentence.span.start
    start = expression.span.start - base
    if "since" not in fact.sentence.text.lower():
        return False
    clause = _SINCE_CLAUSE.search(fact.sentence.text, max(0, start - 60), start)
    return clause is not None and base + clause.start() >= hit.span.end


def _about_a_person(fact: _SentenceFacts, expression: TimeExpression, hit: _Hit) -> bool:
    """ "Soto, appointed in December, was on her first trip to Lima": a date in an aside
    about a person tells of the person, not of an event outside the aside."""
    text, base = fact.sentence.text, fact.sentence.span.start
    for person in fact.persons:
        if person.span.end > expression.span.start:
            break
        between = text[person.span.end - base : expression.span.start - base]
        if _PERSON_ASIDE.match(between) and not (
                person.span.end <= hit.span.start < expression.span.start):
            return True
    return False


def _is_purpose(fact: _SentenceFacts, expression: TimeExpression) -> bool:
    """ "a plan of cooperation for next year": what the thing is for, not when it happened;
    unless the "for" schedules ("planned for next year")."""
    start = expression.span.start - fact.sentence.span.start
    text = fact.sentence.text
    if not text[max(0, start - 5) : start].rstrip().lower().endswith("for"):
        return False
    return _preceded_by(fact, expression, _PURPOSE_FOR, 40)


def _distance(expression: TimeExpression, hit: _Hit, fact: _SentenceFacts) -> float:
    # A date after its trigger is the usual order in news English ("met X on Monday"); a
    # comma between them parts clauses: in "held talks in Tashkent on 14 March 2022, met
    # again in Astana on 2 September 2023", each date is its own clause's.
    if expression.span.start >= hit.span.end:
        between = _between(fact, hit.span.end, expression.span.start)
        return (expression.span.start - hit.span.end) * 0.8 + _CLAUSE_GAP * between.count(",")
    between = _between(fact, expression.span.end, hit.span.start)
    return float(max(0, hit.span.start - expression.span.end)) + _CLAUSE_GAP * between.count(",")


def _nearest_hit(
    fact: _SentenceFacts, expression: TimeExpression, hits: Sequence[_Hit], lexicon: EventLexicon
) -> _Hit:
    # "a visit that ended on Wednesday with the signing of X": an end date belongs to what
    # came before it, however close the next trigger stands.
    base = fact.sentence.span.start
    if lexicon.ends_before(fact.sentence.text, expression.span.start - base):
        earlier = [h for h in hits if h.span.end <= expression.span.start]
        if earlier:
            hits = earlier
    return min(hits, key=lambda h: _distance(expression, h, fact))


def _dates_speech(
    fact: _SentenceFacts, expression: TimeExpression, hit: _Hit, lexicon: EventLexicon
) -> bool:
    """True when the expression dates a verb of speech that introduces the trigger's clause.

    "X told reporters on Friday that the two sides had agreed to hold drills": Friday is when
    X spoke, not when the drills are.
    """
    base = fact.sentence.span.start
    if expression.span.start >= hit.span.end:
        # "X has held talks with Y, the ministry said on Thursday": said dates the saying.
        lead = _between(fact, hit.span.end, expression.span.start)
        return bool(_REPORTED.search(lead))
    if expression.span.end > hit.span.start:
        return False
    offset = expression.span.start - base
    lead = fact.sentence.text[max(0, offset - 40) : offset]
    return bool(lexicon.speech.search(lead))


def _dating(
    doc: Document,
    fact: _SentenceFacts,
    hit: _Hit,
    expression: TimeExpression | None,
    lexicon: EventLexicon,
) -> tuple[DateValue | None, int | None, bool]:
    """The report's date, the weekday it names if no date, and whether that date is an end."""
    if expression is None:
        return None, None, False
    offset = expression.span.start - fact.sentence.span.start
    ends = hit.trigger.ends or lexicon.ends_before(fact.sentence.text, offset)
    value = expression.value
    if value is None:
        return None, expression.weekday, ends
    days = _duration(fact)
    if days and value.precision is Precision.DAY and not value.is_span:
        if ends:
            start = value.end - dt.timedelta(days=days - 1)
            basis = f"{value.basis}; a {days}-day span ending then"
            return replace(value, start=start, basis=basis), None, False
        # "arrived on Monday for a three-day visit": the arrival is its first day.
        if hit.trigger.arrival or _STARTS_SPAN.search(fact.sentence.text, 0, offset):
            end = value.start + dt.timedelta(days=days - 1)
            basis = f"{value.basis}; a {days}-day span starting then"
            return replace(value, end=end, basis=basis), None, False
    return value, None, ends


def _duration(fact: _SentenceFacts) -> int | None:
    for expression in fact.times:
        if expression.duration_days and expression.duration_days > 1:
            return expression.duration_days
    return None


def _clause_to(fact: _SentenceFacts, hit: _Hit) -> str:
    """The sentence from the last comma before the trigger to the trigger's end."""
    base = fact.sentence.span.start
    clause_start = max(fact.sentence.text.rfind(",", 0, hit.span.start - base), 0)
    return fact.sentence.text[clause_start : hit.span.end - base]


_LONG_PAST_DAYS = 31  # a date this long before publication is past whatever the verb says


def _status(
    doc: Document,
    fact: _SentenceFacts,
    hit: _Hit,
    expression: TimeExpression | None,
    when: DateValue | None,
    ends: bool,
    lexicon: EventLexicon,
) -> Status:
    """Planned when the trigger's clause speaks of the future or its date is still to come."""
    if ends:
        return Status.HAPPENED  # "which will end on 23 October": the event itself is under way
    reference = doc.published.end if doc.published else None
    if when is not None and reference is not None \
            and (reference - when.end).days > _LONG_PAST_DAYS:
        return Status.HAPPENED  # "aircraft bought before 1979 ... are unlikely to": not a plan
    clause = _clause_to(fact, hit)
    if lexicon.planned.search(clause) or lexicon.invitation.search(clause):
        return Status.PLANNED
    if expression is not None and expression.tense.value == "future":
        return Status.PLANNED
    if when is not None and reference is not None and when.start > reference:
        return Status.PLANNED
    return Status.HAPPENED


_SUBJECT_NOUN = re.compile(
    r"\b(embargo|sanctions|agreements?|deal|accord|memorandum|treaty|contract|pact|exercises?|"
    r"drills?|war games|manoeuvres|maneuvers|conference|summit|forum|congress|symposium|show|"
    r"exhibition|expo|"
    r"membership|accession|member)\b",
    re.IGNORECASE,
)
_SUBJECT_MODIFIER = re.compile(r"^(?:[A-Z]{2,}|U\.N\.|U\.S\.|E\.U\.|arms|weapons|oil|economic|"
                               r"military|naval|trade|nuclear|defen[cs]e|joint|security|peace|"
                               r"energy|air|army|free-trade)$")


# A word of a context event's own name: "the Bright Star exercise", "Zapad-2021 drills",
# "the Maritime Security Belt 2023 drills". Not "The", nor a possessive ("Monday's").
_NAME_WORD = re.compile(r"^(?!(?:The|A|An|This|That|Its|Their|His|Her|In|On|At|For|During|After|"
                        r"Before|From|With|By|Since|Until|January|February|March|April|May|June|"
                        r"July|August|September|October|November|December|Monday|Tuesday|"
                        r"Wednesday|Thursday|Friday|Saturday|Sunday)$)"
                        r"(?:[A-Z][\w\u2013-]*|\d{4})(?<!'s)(?<!\u2019s)$")
_NAME_WORDS = 4
# The rest of a capitalised event's name: "Conference on International Security".
_NAME_TAIL = re.compile(r" (?:on|of|for) (?:the )?(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
                        r"Saturday|Sunday|January|February|March|April|May|June|July|August|"
                        r"September|October|November|December)\b)[A-Z][\w-]*"
                        r"(?: (?:and )?[A-Z][\w-]*){0,3}")


def _subject(text: str, hit: _Hit) -> str | None:
    """A short noun phrase naming what a context event is about: "UN arms embargo",
    "Bright Star exercise"."""
    match = _SUBJECT_NOUN.search(text, hit.span.start, hit.span.end)
    if match is None:
        return None
    words = text[max(0, match.start() - 60) : match.start()].split()
    modifiers = _modifiers(words)
    named = _name_before(words[: len(words) - len(modifiers)])
    tail = _NAME_TAIL.match(text, match.end()) if match.group(1)[:1].isupper() else None
    # A name keeps its capitals ("World Defense Show", "Conference on International
    # Security"); a description is lower case.
    noun = match.group(1) if named or tail else match.group(1).lower()
    return " ".join([*named, *modifiers, noun]) + (tail.group(0) if tail else "")


def _modifiers(words: Sequence[str]) -> list[str]:
    """The last one or two words of ``words`` that say what kind of thing follows ("arms")."""
    modifiers: list[str] = []
    for word in reversed(words[-2:]):
        if not _SUBJECT_MODIFIER.match(word):
            break
        modifiers.insert(0, word)
    return modifiers


def _name_before(words: Sequence[str]) -> list[str]:
    """The capitalised words that end ``words`` and name the event, up to four; a lone year is
    no name ("the 2023 exercise" names nothing that "exercise" does not)."""
    named: list[str] = []
    for word in reversed(words[-_NAME_WORDS:]):
        if not _NAME_WORD.match(word):
            break
        named.insert(0, word)
    return named if any(not w.isdigit() for w in named) else []


def _topics(window: Sequence[_SentenceFacts]) -> tuple[str, ...]:
    """Topics named in the trigger sentence and the sentences that follow it."""
    return tuple(sorted(frozenset().union(*(f.topics for f in window))))


def find_quotes(
    doc: Document,
    facts: Sequence[_SentenceFacts],
    names: Sequence[NameMention],
    entities: Mapping[str, Entity],
) -> list[Quote]:
    """Words in quotation marks with their speakers, and paragraphs signed by a name line."""
    quotes: list[Quote] = []
    last_subject: NameMention | None = None
    for fact in facts:
        for start, end in _quoted_spans(fact.sentence):
            speaker = _speaker(fact, start, end, last_subject)
            name = _entity_name(speaker, entities) if speaker else None
            quotes.append(Quote(name, doc.id, start, end, doc.text[start:end]))
        if fact.persons:
            last_subject = fact.persons[0]
    quotes.extend(_signed_paragraphs(doc, names, entities))
    return _outermost(quotes)


def _outermost(quotes: list[Quote]) -> list[Quote]:
    """Quotes in text order, leaving out any that lies inside another (a phrase of a speech)."""
    ordered = sorted(quotes, key=lambda q: (q.start, -q.end))
    kept: list[Quote] = []
    for quote in ordered:
        if kept and quote.end <= kept[-1].end:
            continue
        kept.append(quote)
    return kept


def _quoted_spans(sentence: Sentence) -> list[tuple[int, int]]:
    spans = []
    text = sentence.text
    for opening, closing in _QUOTE_PAIRS:
        position = 0
        while (start := text.find(opening, position)) != -1:
            end = text.find(closing, start + 1)
            if end == -1:
                break
            inner_start, inner_end = start + 1, end
            if inner_end - inner_start >= _QUOTE_MIN_CHARS and " " in text[inner_start:inner_end]:
                spans.append((sentence.span.start + inner_start, sentence.span.start + inner_end))
            position = end + 1
    return spans


def _speaker(
    fact: _SentenceFacts, start: int, end: int, last_subject: NameMention | None
) -> NameMention | None:
    """Who said the quoted words: a name before them in the sentence, else after, else "he"."""
    before = [p for p in fact.persons if p.span.end <= start]
    if before:
        return before[-1]
    after = [p for p in fact.persons if p.span.start >= end]
    if after:
        return after[0]
    tail = fact.sentence.text[end - fact.sentence.span.start :]
    if re.match(r"\W{0,3}\s*(?:he|she)\s+(?:said|says|told|added|stated)", tail, re.IGNORECASE):
        return last_subject
    return None


def _signed_paragraphs(
    doc: Document, names: Sequence[NameMention], entities: Mapping[str, Entity]
) -> list[Quote]:
    """A paragraph followed by a line that is only a person's name is that person's words."""
    quotes = []
    for mention in names:
        if mention.kind is not EntityKind.PERSON or mention.is_reference:
            continue
        line_start = doc.text.rfind("\n", 0, mention.span.start) + 1
        line_end = doc.text.find("\n", mention.span.end)
        line_end = len(doc.text) if line_end == -1 else line_end
        if doc.text[line_start:line_end].strip() != mention.text:
            continue
        paragraph = _previous_paragraph(doc.text, line_start)
        if paragraph is not None and paragraph[1] - paragraph[0] >= _QUOTE_MIN_CHARS:
            start, end = paragraph
            quotes.append(Quote(_entity_name(mention, entities), doc.id, start, end,
                                doc.text[start:end]))
    return quotes


def _previous_paragraph(text: str, before: int) -> tuple[int, int] | None:
    end = before
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == 0:
        return None
    start = text.rfind("\n", 0, end) + 1
    return start, end


def _attach_quotes(reports: list[Report], quotes: list[Quote]) -> list[Report]:
    """Give each quote to the nearest report whose participants include its speaker."""
    chosen: dict[int, list[Quote]] = {}
    for quote in quotes:
        if quote.speaker is None:
            continue
        candidates = [
            (abs(r.excerpts[0].start - quote.start), i)
            for i, r in enumerate(reports)
            if r.kind in MAIN_KINDS and any(p.name == quote.speaker for p in r.participants)
        ]
        if candidates:
            chosen.setdefault(min(candidates)[1], []).append(quote)
    return [
        replace(r, quotes=tuple(chosen[i])) if i in chosen else r for i, r in enumerate(reports)
    ]
