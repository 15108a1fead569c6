"""Entities across documents: one Entity per id a document names, merged across documents.

Also the surname helpers used to match people across documents and the country a place
lies in.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache

from viewer.core.gazetteer import (
    NAT,
    PLACE,
    WORD_RE,
    Gazetteer,
    default_gazetteer,
    given_compatible,
    name_keys,
    strip_possessive,
    surname_form,
    tokens_of,
)
from viewer.core.model import Entity, EntityKind, NameMention


@lru_cache(maxsize=65536)  # merging titles 100,000 events by a few thousand names
def surname(name: str) -> str:
    """The surname as a headline writes it: "Duarte", "al-Harthi"; "Li" of "Li Qiang"."""
    return surname_form(name, _default_particles(), _default_family_first()) if name else name


def surname_key(name: str) -> str:
    """A spelling-tolerant key of a person's surname ("Qorbani" and "Ghorbani" share one)."""
    return name_keys(name, _default_particles(), _default_family_first())[0]


@lru_cache(maxsize=1)
def _default_particles() -> frozenset[str]:
    try:
        return default_gazetteer().particles
    except Exception:
        return frozenset({"al", "el", "bin", "ibn", "de", "van", "von", "der"})


@lru_cache(maxsize=1)
def _default_family_first() -> frozenset[str]:
    try:
        return default_gazetteer().family_first
    except Exception:
        return frozenset()


def place_country(gazetteer: Gazetteer | None, place_name: str) -> str | None:
    """The country a known place lies in ("Moscow" -> "Russia"; a country -> itself)."""
    gaz = gazetteer or default_gazetteer()
    entity_id = gaz.place_names.get(place_name.strip().casefold())
    if entity_id is None and place_name.startswith(("place:", "PLACE:")):
        entity_id = place_name
    entity = gaz.entities.get(entity_id) if entity_id else None
    return entity.country if entity is not None else None


def document_entities(
    mentions: Sequence[NameMention], text: str, gazetteer: Gazetteer | None = None
) -> list[Entity]:
    """One Entity per entity_id seen in a document: best name form, title and nationality seen."""
    gaz = gazetteer or default_gazetteer()
    grouped: dict[str, list[NameMention]] = defaultdict(list)
    for mention in mentions:
        grouped[mention.entity_id].append(mention)
    return [_document_entity(entity_id, group, gaz) for entity_id, group in grouped.items()]


def _document_entity(entity_id: str, group: list[NameMention], gaz: Gazetteer) -> Entity:
    kind = group[0].kind
    known = gaz.entities.get(entity_id)
    titles = [m.title for m in group if m.title]
    title = _pick_title(titles) or (known.title if known else None)
    nationality = _nationality_in(titles, gaz)
    if nationality is None and known is not None and known.nationality:
        nationality = gaz.demonym_of.get(known.nationality, known.nationality)
    if known is not None:
        return Entity(entity_id, known.name, kind, title, nationality, known.country)
    forms = [strip_possessive(m.text) for m in group if not m.is_reference]
    name = _display_name(forms, gaz.given_names) or group[0].text
    return Entity(entity_id, name, kind, title if kind is EntityKind.PERSON else None, nationality)


def _pick_title(titles: list[str]) -> str | None:
    if not titles:
        return None
    counts = Counter(titles)
    return max(counts, key=lambda t: (len(t.split()) > 1, counts[t], len(t), t))


def _nationality_in(titles: list[str], gaz: Gazetteer) -> str | None:
    for title in dict.fromkeys(titles):  # a person's title repeats; one reading does
        tokens = tokens_of(title)
        for k in range(len(tokens)):
            for known in gaz.exact_index.get(tokens[k], ()):
                if known.category == NAT and tokens[k : k + len(known.tokens)] == known.tokens:
                    return gaz.demonym_of.get(known.value, known.value)
                if known.category == PLACE and tokens[k : k + len(known.tokens)] == known.tokens:
                    entity = gaz.entities.get(known.value)
                    if entity is not None and entity.country == entity.name:
                        return gaz.demonym_of.get(entity.name, entity.name)
    return None


def _display_name(forms: Sequence[str], given_names: frozenset[str] = frozenset()) -> str | None:
    """Most frequent full form, then the longest, then the first alphabetically; or a
    longer form that only adds given names, initials or particles to it: articles name a
    person in full once, then shorten it ("Rocío Palacios Cárdenas", then "Palacios
    Cárdenas"; "Elena de la Fuente Marín", then "Fuente Marín")."""
    if not forms:
        return None
    counts = Counter(forms)
    full = [f for f in counts if len(f.split()) > 1] or list(counts)
    common = min(full, key=lambda f: (-counts[f], -len(f), f))
    words = set(common.split())
    fuller = [
        f for f in full
        if words < set(f.split())
        and all(w in given_names or _is_initial(w) or w in _default_particles()
                for w in set(f.split()) - words)
    ]
    return max(fuller, key=lambda f: (len(f.split()), -full.index(f))) if fuller else common


def _is_initial(word: str) -> bool:
    return len(word) <= 2 and word[:1].isupper() and word.endswith(".")


def merge_entities(entities: Iterable[Entity]) -> dict[str, Entity]:
    """Canonical Entity for every entity id seen across documents (several ids may map to one Entity)."""  # noqa: E501
    entities = list(entities)
    result: dict[str, Entity] = {}
    people: list[Entity] = []
    by_id: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        by_id[entity.id].append(entity)
    for entity_id, group in by_id.items():
        if group[0].kind is EntityKind.PERSON:
            people.extend(group)
        else:
            result[entity_id] = _combine(entity_id, group)
    result.update(_merge_people(people))
    return result


def _combine(entity_id: str, group: list[Entity]) -> Entity:
    names = [e.name for e in group]
    first = group[0]
    return Entity(
        entity_id,
        _display_name(names) or first.name,
        first.kind,
        _first([e.title for e in group]),
        _first([e.nationality for e in group]),
        _first([e.country for e in group]),
    )


def _first(values: Iterable[str | None]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], -len(v), v))


def _merge_people(people: list[Entity]) -> dict[str, Entity]:
    particles, family_first = _default_particles(), _default_family_first()
    nicknames = default_gazetteer().nicknames
    ids = sorted({p.id for p in people})
    parent = {i: i for i in ids}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    keys: dict[str, tuple[str, tuple[str, ...]]] = {}
    for person in people:
        person_keys = name_keys(person.name, particles, family_first)
        if person.id not in keys or len(keys[person.id][1]) < len(person_keys[1]):
            keys[person.id] = person_keys
    by_surname: dict[str, list[str]] = defaultdict(list)
    for entity_id in ids:
        by_surname[keys[entity_id][0]].append(entity_id)
    # The given names of a common surname repeat ("Ali", "Mohammad"): test each pair once.
    compatible = cache(lambda a, b: given_compatible(a, b, nicknames))
    for surname, group in by_surname.items():
        if not surname:
            continue
        full = [i for i in group if keys[i][1]]
        for a_index, a in enumerate(full):
            for b in full[a_index + 1 :]:
                # A pair already joined needs no test.
                if find(a) != find(b) and compatible(keys[a][1], keys[b][1]) and not (
                    _known(a) and _known(b)
                ):
                    parent[find(b)] = find(a)
        clusters = {find(i) for i in full}
        bare = [i for i in group if not keys[i][1]]
        for entity_id in bare:
            if len(clusters) == 1:
                parent[find(entity_id)] = next(iter(clusters))
            elif not clusters and bare:
                parent[find(entity_id)] = find(bare[0])
    _join_longer_forms(ids, keys, find, parent)
    names = {p.id: p.name for p in people}
    _join_run_together_surnames(names, keys, by_surname, find, parent, nicknames)
    given_names = default_gazetteer().given_names
    # "Ahmed Mahmoud" and "Mahmoud Ahmed" may well be two people: both words are given names.
    unswappable = {
        p.id for p in people if all(w in given_names for w in WORD_RE.findall(p.name))
    }
    _join_swapped_orders([i for i in ids if i not in unswappable], keys, find, parent)
    members: dict[str, list[Entity]] = defaultdict(list)
    for person in people:
        members[find(person.id)].append(person)
    result: dict[str, Entity] = {}
    for group in members.values():
        canonical = _canonical_person(group)
        for person in group:
            result[person.id] = canonical
    return result


def _join_run_together_surnames(
    names: Mapping[str, str],
    keys: dict[str, tuple[str, tuple[str, ...]]],
    by_surname: Mapping[str, list[str]],
    find: Callable[[str], str],
    parent: dict[str, str],
    nicknames: Mapping[str, frozenset[str]],
) -> None:
    """Join "Mahmoud Rezaei-Nejad" (or "Rezaei Nejad") to "Mahmoud Rezaeinejad": a double
    surname that other outlets write as one word. The last two words are keyed joined."""
    particles, family_first = _default_particles(), _default_family_first()
    for entity_id, name in names.items():
        words = re.split(r"[\s-]+", name.strip())
        if len(words) < 3:
            continue
        joined = " ".join([*words[:-2], words[-2] + words[-1].lower()])
        surname, given = name_keys(joined, particles, family_first)
        for other in by_surname.get(surname, ()):
            if other != entity_id and given_compatible(given, keys[other][1], nicknames) \
                    and not (_known(other) and _known(entity_id)):
                parent[find(entity_id)] = find(other)


def _join_longer_forms(
    ids: list[str],
    keys: dict[str, tuple[str, tuple[str, ...]]],
    find: Callable[[str], str],
    parent: dict[str, str],
) -> None:
    """Join a name to a shorter one it starts with: "Tomas Ibanez Arriagada" (a second
    surname) ~ "Tomas Ibanez"."""
    by_sequence: dict[tuple[str, ...], str] = {}
    for entity_id in ids:
        surname, given = keys[entity_id]
        if given:
            by_sequence.setdefault((*given, surname), entity_id)
    for entity_id in ids:
        surname, given = keys[entity_id]
        sequence = (*given, surname)
        for size in range(2, len(sequence)):
            shorter = by_sequence.get(sequence[:size])
            if shorter is not None and not (_known(shorter) and _known(entity_id)):
                parent[find(entity_id)] = find(shorter)
                break


# A name read in both orders needs one word this long (its key, in consonants): two
# short words ("Ali Reza", "Reza Ali") are too common a pair to be one person by order alone.
_SWAP_MIN_KEY = 4


def _join_swapped_orders(
    ids: list[str],
    keys: dict[str, tuple[str, tuple[str, ...]]],
    find: Callable[[str], str],
    parent: dict[str, str],
) -> None:
    """Join a two-word name to the same words in the other order, as outlets write
    Japanese, Mongolian, Hungarian or Korean names either way: "Kenji Morishita" ~ "Morishita
    Kenji", "Batbayar Ganzorig" ~ "Ganzorigiin Batbayar" (a patronymic may carry a case
    ending, so one long key may extend the other)."""
    two_words = [
        i for i in ids
        if len(keys[i][1]) == 1 and max(len(keys[i][0]), len(keys[i][1][0])) >= _SWAP_MIN_KEY
        and min(len(keys[i][0]), len(keys[i][1][0])) >= 2
    ]
    by_surname: dict[str, list[str]] = defaultdict(list)
    for entity_id in two_words:
        by_surname[keys[entity_id][0]].append(entity_id)
    for entity_id in two_words:
        surname, (given,) = keys[entity_id]
        for other in by_surname.get(given, ()):
            other_given = keys[other][1][0]
            # A short key ("Kenji": "kn") must match whole; a long one may carry an ending.
            alike = other_given == surname or (
                min(len(other_given), len(surname)) >= _SWAP_MIN_KEY
                and (other_given.startswith(surname) or surname.startswith(other_given)))
            if alike and not (_known(other) and _known(entity_id)):
                parent[find(entity_id)] = find(other)


def _known(entity_id: str) -> bool:
    return not entity_id.split(":", 1)[-1].startswith("~")


def _canonical_person(group: list[Entity]) -> Entity:
    if len(group) == 1:  # most people: named in one document, under one id
        only = group[0]
        return Entity(only.id, only.name, EntityKind.PERSON, only.title or None,
                      only.nationality or None)
    known = sorted({e.id for e in group if _known(e.id)})
    if known:
        entity_id = known[0]
        name = _display_name([e.name for e in group if e.id == entity_id]) or group[0].name
    else:
        name = _display_name([e.name for e in group]) or group[0].name
        entity_id = min((e.id for e in group), key=lambda i: (-i.count(":"), i))
    return Entity(
        entity_id,
        name,
        EntityKind.PERSON,
        _first([e.title for e in group]),
        _first([e.nationality for e in group]),
    )
