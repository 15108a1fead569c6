"""The people of one document: linking each person's mentions and resolving references.

Mentions of one person (full name, surname alone, title and surname) are linked under one
id; role references ("the minister", "his counterpart") are resolved to the person meant.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from viewer.core.gazetteer import (
    PERSON,
    SHORT,
    Gazetteer,
    given_compatible,
    name_keys,
    surname_word_key,
)
from viewer.core.mentions import (
    Descriptor,
    Found,
    Run,
    SentenceView,
    Token,
    attach_after,
    attach_before,
    descriptor_ends,
)
from viewer.core.model import EntityKind, NameMention, Span

# --------------------------------------------------------------------------- people


@dataclass(slots=True)
class _DocPerson:
    entity_id: str
    surname: str
    given: tuple[str, ...]


class _DocPeople:
    """People named in full in one document, by surname key and by first given-name key."""

    def __init__(self) -> None:
        self.by_surname: dict[str, list[_DocPerson]] = defaultdict(list)
        # Kept as people are added: a lone word is looked up here once per mention.
        self.by_first_given: dict[str, set[str]] = defaultdict(set)
        self.known: set[str] = set()
        self._seen: set[tuple[str, tuple[str, ...]]] = set()

    def add(self, person: _DocPerson) -> None:
        key = (person.entity_id, person.given)
        if key not in self._seen:
            self._seen.add(key)
            self.by_surname[person.surname].append(person)
            if person.given:
                self.by_first_given[person.given[0]].add(person.entity_id)

    def only_one_named(self, first_given: str) -> str | None:
        """The one person of the document whose first given name has this key, if just one."""
        found = self.by_first_given.get(first_given, ())
        return next(iter(found)) if len(found) == 1 else None


def find_people(text: str, views: list[SentenceView], gaz: Gazetteer) -> list[Found]:
    """Person mentions from name runs: cued ones first, then surnames that echo them."""
    doc_people = _DocPeople()
    for view in views:
        for match in view.matches:
            if match.known.category in (PERSON, SHORT):
                known = gaz.entities.get(match.known.value)
                if known is not None and known.id not in doc_people.known:
                    surname, given = name_keys(known.name, gaz.particles, gaz.family_first)
                    doc_people.add(_DocPerson(known.id, surname, given))
                    doc_people.known.add(known.id)
    decided: dict[int, str] = {}
    runs = [(view, run) for view in views for run in view.runs
            if run.name_tokens and not _is_a_modifier(text, view, run)]
    keys = [_run_keys(text, view, run, gaz) for view, run in runs]
    # An untitled name after "with" is only taken for a person when its surname recurs
    # alone ("talks with Lucia Montero ... Montero said"): "met with Senate Republicans".
    lone = {keys[pos][0] for pos, (_, run) in enumerate(runs) if len(run.name_tokens) == 1}
    # Full names with a cue first, so that later surnames alone can link to them.
    for pos, (_, run) in enumerate(runs):
        surname, given = keys[pos]
        if not surname or not given:
            continue
        cued = bool(
            run.titles
            or run.honorific
            or run.speech
            or run.given
            or run.aged
            or (run.introduced and surname in lone)
            or run.patronymic
        )
        entity_id = _link(surname, given, doc_people, gaz, allow_new=cued)
        if entity_id:
            decided[pos] = entity_id
            doc_people.add(_DocPerson(entity_id, surname, given))
            view = runs[pos][0]
            if len(run.name_tokens) >= 3 and len(given) >= 2:
                # "Tomás Ibáñez Arriagada" is "Ibáñez" alone later on: of two surnames
                # (Spanish, Portuguese) the first stands for the whole name.
                first_surname = view.tokens[run.name_tokens[-2]].text
                alternative = surname_word_key(first_surname, gaz.family_first)
                if alternative and alternative != surname:
                    doc_people.add(_DocPerson(entity_id, alternative, given[:-1]))
    for pos, (_, run) in enumerate(runs):
        if pos in decided:
            continue
        surname, given = keys[pos]
        if not surname:
            continue
        cued = bool(run.titles or run.honorific)
        # "Gen Asim" after "General Asim Munir": a first name, before a new person is made.
        entity_id = (_by_given_name(surname, run, doc_people, gaz)
                     or _link(surname, given, doc_people, gaz, allow_new=False)
                     or _by_first_name(surname, run, doc_people)
                     or _link(surname, given, doc_people, gaz, allow_new=cued))
        if entity_id:
            decided[pos] = entity_id
    out: list[Found] = []
    for pos, entity_id in decided.items():
        view, run = runs[pos]
        start = view.tokens[run.name_tokens[0]].start
        end = view.tokens[run.name_tokens[-1]].end
        title = _best_title(run.titles)
        out.append(
            Found(
                start,
                end,
                entity_id,
                EntityKind.PERSON,
                view.index,
                title,
                _nationality_of(run.titles),
                _words_of(run.titles),
                run=run,
                title_text=_descriptor_text(text, view.tokens, title),
            )
        )
    out.extend(_known_people(text, views, gaz))
    return out


def _is_a_modifier(text: str, view: SentenceView, run: Run) -> bool:
    """ "the Queen Elizabeth-class carriers", "a Putin-era law": a name joined by a hyphen
    to a lower-case word describes something else; it names nobody present."""
    end = view.tokens[run.name_tokens[-1]].end
    return text[end : end + 1] == "-" and text[end + 1 : end + 2].islower()


def _by_given_name(key: str, run: Run, doc_people: _DocPeople, gaz: Gazetteer) -> str | None:
    """ "Sheikh Saeed", "Prince Faisal": one word after a title that goes with a given name
    is the person of the document with that first given name, if there is just one."""
    if len(run.name_tokens) != 1 or not run.titles:
        return None
    if not any(d.words & gaz.given_name_titles for d in run.titles):
        return None
    return doc_people.only_one_named(key)


def _by_first_name(key: str, run: Run, doc_people: _DocPeople) -> str | None:
    """ "Phan" after "Phan Van Cuong", "Rachid" after "Rachid Hamdaoui": outlets refer to
    Vietnamese officials by the family name written first, and some to people by their first
    name. A lone word that is nobody's surname in the document and opens exactly one full
    name there is that person."""
    if len(run.name_tokens) != 1:
        return None
    return doc_people.only_one_named(key)


def _known_people(text: str, views: list[SentenceView], gaz: Gazetteer) -> list[Found]:
    """Titles beside known names ("Russian Defense Minister <known name>")."""
    out: list[Found] = []
    for view in views:
        persons = [m for m in view.matches if m.known.category in (PERSON, SHORT)]
        if not persons:
            continue  # most sentences name no known person
        ending_at, starting_at = descriptor_ends(view.descriptors)
        name_starts = {r.i0 for r in view.runs} | {m.i0 for m in persons}
        for match in persons:
            if match.known.category == SHORT and any(
                r.i0 <= match.i0 < r.i1 for r in view.runs if r.name_tokens
            ):
                continue  # the surname of a longer unknown name, settled with the runs
            probe = Run(match.i0, match.i1, list(range(match.i0, match.i1)))
            attach_before(text, view.tokens, probe, ending_at)
            attach_after(view.tokens, probe, starting_at, name_starts)
            start, end = view.tokens[match.i0].start, view.tokens[match.i1 - 1].end
            title = _best_title(probe.titles)
            out.append(
                Found(
                    start,
                    end,
                    match.known.value,
                    EntityKind.PERSON,
                    view.index,
                    title,
                    _nationality_of(probe.titles),
                    _words_of(probe.titles),
                    title_text=_descriptor_text(text, view.tokens, title),
                )
            )
    return out


def _run_keys(
    text: str, view: SentenceView, run: Run, gaz: Gazetteer
) -> tuple[str, tuple[str, ...]]:
    words = [view.tokens[k].text for k in run.name_tokens]
    return name_keys(" ".join(words), gaz.particles, gaz.family_first)


def _link(
    surname: str,
    given: tuple[str, ...],
    doc_people: _DocPeople,
    gaz: Gazetteer,
    allow_new: bool,
) -> str | None:
    """The id of the person a name belongs to, or a new id when cues allow one."""
    # Most surnames are new to the document and listed nowhere: the emptiness tests spare
    # building empty sets for them.
    namesakes = doc_people.by_surname.get(surname)
    if namesakes:
        same = {p.entity_id for p in namesakes
                if given_compatible(p.given, given, gaz.nicknames)}
        if len(same) == 1:
            return next(iter(same))
        if len(same) > 1:
            if given:
                exact = {p.entity_id for p in namesakes if p.given[:1] == given[:1]}
                if len(exact) == 1:
                    return next(iter(exact))
            return None
    if given and surname in gaz.person_keys:
        known = _known_with(surname, given, gaz)
        if len(known) == 1:
            return next(iter(known))
    if not allow_new:
        return None
    return f"person:~{surname}" + (f":{given[0]}" if given else "")


def _known_with(surname: str, given: tuple[str, ...], gaz: Gazetteer) -> set[str]:
    """The listed people of this surname whose given names fit ``given``. A person listed
    with a given name must fit it: an alias without one ("von der Leyen") does not make
    "Lin Zhaoxiang" her."""
    listed = gaz.person_keys.get(surname, ())
    with_given = {k.entity_id for k in listed if k.given}
    return {k.entity_id for k in listed
            if (given_compatible(k.given, given, gaz.nicknames) if k.given
                else k.entity_id not in with_given)}


def _best_title(titles: Sequence[Descriptor]) -> Descriptor | None:
    return max(titles, key=_title_score) if titles else None


def _title_score(d: Descriptor) -> tuple[int, int, int]:
    # A post ("Defense Minister") says more than a rank, a rank more than "counterpart".
    rank = (3 if d.role else 1) if d.kind == "role" else (3 if d.kind == "office" else 2)
    return (rank, d.nationality is not None, d.i1 - d.i0)


def _nationality_of(titles: Sequence[Descriptor]) -> str | None:
    """The nationality the first title that gives one gives."""
    if not titles:
        return None  # most names have no title
    return next((d.nationality for d in titles if d.nationality), None)


def _words_of(titles: Sequence[Descriptor]) -> frozenset[str]:
    return frozenset().union(*(d.words for d in titles)) if titles else frozenset()


# --------------------------------------------------------------------------- references


@dataclass(slots=True)
class _PersonInfo:
    nationality: str | None = None
    words: set[str] = field(default_factory=set)
    own_words: set[str] = field(default_factory=set)  # of the person's own titles only


def resolve_references(
    text: str, views: list[SentenceView], found: list[Found], gaz: Gazetteer
) -> list[Found]:
    info: dict[str, _PersonInfo] = defaultdict(_PersonInfo)
    for item in found:
        if item.kind is not EntityKind.PERSON:
            continue
        person = info[item.entity_id]
        person.words |= item.words
        if item.nationality and person.nationality is None:
            person.nationality = item.nationality
    for entity_id, person in info.items():
        known = gaz.entities.get(entity_id)
        person.words |= gaz.person_words.get(entity_id, frozenset())
        person.own_words = set(person.words)
        if person.nationality is None and known is not None:
            person.nationality = known.nationality
    _inherit_counterpart_roles(found, info)
    references = [
        (view.tokens[d.i0].start, view.index, d)
        for view in views
        for d in view.descriptors
        if not d.used and (d.kind == "role" or _definite_office(d, view.tokens))
    ]
    if not references:
        return found
    # A place may stand inside a role phrase ("Iran's defence minister"); a name may not.
    taken = [(f.start, f.end) for f in found if f.kind is not EntityKind.PLACE]
    events = sorted(
        [(f.start, 0, k) for k, f in enumerate(found) if f.kind is EntityKind.PERSON]
        + [(start, 1, k) for k, (start, _, _) in enumerate(references)]
    )
    seen = _SeenPeople()
    added: list[Found] = []
    for _, is_reference, k in events:
        if not is_reference:
            seen.add(found[k].sentence, found[k].entity_id)
            continue
        _, sentence_index, descriptor = references[k]
        view = views[sentence_index]
        start = view.tokens[descriptor.i0].start
        end = view.tokens[descriptor.i1 - 1].end
        if _overlaps_any(taken, start, end):
            continue
        entity_id = _referent(descriptor, sentence_index, seen, info,
                              _qualifier(view.tokens, descriptor.i1))
        if entity_id is None and not seen.sentences:
            entity_id = _named_next(descriptor, sentence_index, found, info)
        if entity_id is None:
            continue
        title_start = view.tokens[descriptor.text_i0].start
        added.append(
            Found(
                start,
                end,
                entity_id,
                EntityKind.PERSON,
                sentence_index,
                None,
                descriptor.nationality,
                descriptor.words,
                is_reference=True,
                title_text=text[title_start:end],
            )
        )
        seen.add(sentence_index, entity_id)
    return sorted(found + added, key=lambda f: (f.start, -f.end))


def _inherit_counterpart_roles(found: list[Found], info: dict[str, _PersonInfo]) -> None:
    """A counterpart holds the post of the person he is the counterpart of ("his Omani
    counterpart" of a foreign minister is a foreign minister), so later references by post
    can find him."""
    first_in_sentence: dict[int, str] = {}
    for item in found:
        if item.kind is EntityKind.PERSON:
            first_in_sentence.setdefault(item.sentence, item.entity_id)
    for item in found:
        if item.kind is not EntityKind.PERSON or "counterpart" not in item.words:
            continue
        subject = first_in_sentence.get(item.sentence)
        if subject and subject != item.entity_id:
            info[item.entity_id].words |= info[subject].words - {"counterpart"}


def _overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps any of the sorted, disjoint spans."""
    k = bisect.bisect_left(spans, (end, -1)) - 1
    return k >= 0 and spans[k][1] > start


class _SeenPeople:
    """People mentioned so far in a document, by sentence, most recent sentence last."""

    def __init__(self) -> None:
        self.sentences: list[int] = []
        self.ids: dict[int, list[str]] = {}

    def add(self, sentence: int, entity_id: str) -> None:
        if sentence not in self.ids:
            self.ids[sentence] = []
            self.sentences.append(sentence)
        self.ids[sentence].append(entity_id)

    def recent(self, limit: int) -> Iterable[tuple[int, list[str]]]:
        for sentence in reversed(self.sentences[-limit:]):
            yield sentence, self.ids[sentence]


# How many earlier sentences with people a role reference may reach back over.
_REFERENCE_REACH = 12


def _definite_office(descriptor: Descriptor, tokens: list[Token]) -> bool:
    """ "the Defence Secretary" standing alone: a post after "the", no name after it."""
    return (descriptor.kind == "office" and descriptor.i0 > 0
            and tokens[descriptor.i0 - 1].low == "the")


def _qualifier(tokens: list[Token], after: int) -> frozenset[str]:
    """The capitalised words of an "of the PLA Navy" right after a role phrase, lowered."""
    i = after
    if i >= len(tokens) or tokens[i].low != "of":
        return frozenset()
    i += 1
    if i < len(tokens) and tokens[i].low == "the":
        i += 1
    words = []
    while i < len(tokens) and tokens[i].text[:1].isupper():
        words.append(tokens[i].low)
        i += 1
    return frozenset(words)


_CATAPHOR_REACH = 2  # sentences ahead a lead's role phrase may find its person in


def _named_next(descriptor: Descriptor, sentence: int, found: list[Found],
                info: dict[str, _PersonInfo]) -> str | None:
    """Whom a lead's role phrase means when it comes before anyone is named: "Russia's
    security chief has held talks with X. Nikolai Y, the secretary of the Security Council of
    Russia, met ..." is Y, the one person of that country named in the next sentence or two
    who fits the role."""
    if descriptor.kind != "role" or descriptor.nationality is None:
        return None
    ahead = {f.entity_id for f in found if f.kind is EntityKind.PERSON
             and sentence < f.sentence <= sentence + _CATAPHOR_REACH}
    fitting = {entity_id for entity_id in ahead
               if info[entity_id].nationality == descriptor.nationality
               and _holds_role(descriptor, info[entity_id])}
    return next(iter(fitting)) if len(fitting) == 1 else None


def _holds_role(descriptor: Descriptor, person: _PersonInfo) -> bool:
    """Whether a person's titles fit a role phrase's noun ("the general": a general)."""
    return not descriptor.role or any(need <= person.words for need in descriptor.role)


def _referent(
    descriptor: Descriptor, sentence: int, seen: _SeenPeople, info: dict[str, _PersonInfo],
    qualifier: frozenset[str] = frozenset(),
) -> str | None:
    """Whom a role phrase refers to: the one recent person it fits. "The Commander of the
    PLA Navy" fits only someone whose titles share a word of the qualifier."""
    subject_nationality: str | None = None
    if descriptor.kind == "role" and descriptor.nationality is None and not descriptor.role:
        # "his counterpart": someone of another nationality than the sentence's subject.
        recent = next(iter(seen.recent(1)), None)
        if recent is None:
            return None
        subject = recent[1][0] if recent[0] == sentence else recent[1][-1]
        subject_nationality = info[subject].nationality
        if subject_nationality is None:
            return None

    def fits(entity_id: str) -> bool:
        person = info[entity_id]
        if descriptor.nationality and person.nationality != descriptor.nationality:
            return False
        if subject_nationality and (person.nationality in (None, subject_nationality)):
            return False
        if qualifier and qualifier.isdisjoint(person.words):
            return False
        return _holds_role(descriptor, person)

    recent = list(seen.recent(_REFERENCE_REACH))
    # "The Minister of National Defence" is the one person whose own title has every word
    # of it (a counterpart's inherited post does not count), even when another minister
    # was named since.
    exact = {entity_id for _, ids in recent for entity_id in ids
             if fits(entity_id) and descriptor.words <= info[entity_id].own_words}
    if len(exact) == 1 and len(descriptor.words) > 1:
        return next(iter(exact))
    if descriptor.kind != "role":
        return None  # "the Defence Secretary" is only ever its one holder
    for _, ids in recent:
        fitting = {entity_id for entity_id in ids if fits(entity_id)}
        if len(fitting) == 1:
            return next(iter(fitting))
        if len(fitting) > 1:
            return None
    return None


def to_mention(text: str, item: Found) -> NameMention:
    return NameMention(
        Span(item.start, item.end),
        text[item.start : item.end],
        item.entity_id,
        item.kind,
        title=item.title_text,
        is_reference=item.is_reference,
    )


def _descriptor_text(text: str, tokens: list[Token], descriptor: Descriptor | None) -> str | None:
    if descriptor is None:
        return None
    return text[tokens[descriptor.text_i0].start : tokens[descriptor.i1 - 1].end]
