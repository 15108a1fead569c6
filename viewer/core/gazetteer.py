"""The gazetteer: known entities, titles and name vocabulary, and keys of personal names.

Known entities come from ``resources/entities.toml``; titles, role nouns and the small
vocabulary that tells names from other capitalised words from ``resources/roles.toml``.
Personal names are keyed spelling-tolerantly (surname key, given-name keys), so that one
person written differently in different documents gets one key.
"""

from __future__ import annotations

import re
import threading
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from viewer.core.model import Entity, EntityKind
from viewer.core.transliteration import ascii_fold, sinitic_key, word_key
from viewer.resources import resource_path

# Hyphens and dashes are left out of tokens: they sit in the gaps, where a single one
# may join the words of one name ("Major-General") and a spaced one separates names.
TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s\-\u2010\u2011\u2012\u2013\u2014]")
APOSTROPHES = {"\u2019": "'", "\u02bc": "'", "`": "'"}
WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")

PERSON, PLACE, ORG, NAT, TITLE, SHORT = "person", "place", "org", "nat", "title", "short"
_ID_PREFIX = {
    EntityKind.PERSON: "person",
    EntityKind.PLACE: "place",
    EntityKind.ORGANISATION: "org",
}


@dataclass(frozen=True, slots=True)
class Known:
    """One written form of a known thing: the tokens to match and what they mean."""

    tokens: tuple[str, ...]
    category: str  # PERSON, PLACE, ORG, NAT, TITLE or SHORT
    value: str  # entity id; country for NAT; canonical title for TITLE
    detail: str = ""  # title kind for TITLE


@dataclass(frozen=True, slots=True)
class _PersonKeys:
    """Spelling keys of one known person's written forms."""

    entity_id: str
    surname: str
    given: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """Known entities, titles and vocabulary, indexed for name finding."""

    entities: dict[str, Entity]
    exact_index: dict[str, tuple[Known, ...]]
    lower_index: dict[str, tuple[Known, ...]]
    place_names: dict[str, str]  # any written form of a place, casefolded -> place id
    demonym_of: dict[str, str]  # country -> its adjective
    person_keys: dict[str, tuple[_PersonKeys, ...]]  # surname key -> known people
    person_words: dict[str, frozenset[str]]  # person id -> words of their known titles
    role_nouns: dict[tuple[str, ...], tuple[frozenset[str], ...]]
    determiners: frozenset[str]
    modifiers: dict[str, tuple[tuple[str, ...], ...]]
    ambiguous_nouns: frozenset[str]
    reference_followers: frozenset[str]
    non_name: frozenset[str]
    speech_verbs: frozenset[str]
    verb_adverbs: frozenset[str]
    particles: frozenset[str]
    institution_words: frozenset[str]
    org_suffixes: frozenset[str]
    org_heads: frozenset[str]
    place_cues: dict[str, tuple[tuple[str, ...], ...]]
    role_starts: frozenset[str] = frozenset()
    org_words: frozenset[str] = frozenset()  # org_suffixes | org_heads | place_suffixes
    place_suffixes: frozenset[str] = frozenset()  # "Islands", "Peninsula": a place's last word
    place_heads: frozenset[str] = frozenset()  # "Sea", "Gulf": a place's first word before "of"
    patronymics: frozenset[str] = frozenset()  # "bin", "ould": inside people's names only
    given_names: frozenset[str] = frozenset()  # "Lucia", "Sigrid": a name follows
    family_first: frozenset[str] = frozenset()  # folded family names written first ("zhou")
    name_introducers: frozenset[str] = frozenset()  # "with", "between" before a name
    meeting_cues: frozenset[str] = frozenset()  # "met", "talks": a sentence about people
    capital_of: dict[str, str] = field(default_factory=dict)  # country -> its capital's id
    # A short given name's key -> keys of the names it stands for ("ed" -> "edward"...).
    nicknames: dict[str, frozenset[str]] = field(default_factory=dict)
    given_name_titles: frozenset[str] = frozenset()  # "sheikh": followed by a given name
    # Filled while reading: each written word is classified once per process.
    word_classes: _WordClasses = field(default_factory=lambda: _WordClasses())


class ClassSets(NamedTuple):
    known: set[str]  # may start a known form
    capitals: set[str]  # begin with a capital letter
    determiners: set[str]  # may open a role phrase
    name_words: set[str]  # may be part of a personal name
    cues: set[str]  # may open a place cue


class _WordClasses:
    """Which written words may start a known form, open a name, or open a role phrase,
    remembered across documents (shared by reader threads, hence the lock)."""

    _LIMIT = 500_000  # words remembered before starting afresh, to bound memory

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reset()

    def __getstate__(self) -> dict:
        return {}  # a cache: a copy sent to another process starts empty

    def __setstate__(self, state: dict) -> None:
        self.__init__()

    def _reset(self) -> None:
        self.seen: set[str] = set()
        self.sets = ClassSets(set(), set(), set(), set(), set())

    def learn(self, words: set[str], gaz: Gazetteer) -> ClassSets:
        """The class sets, holding every one of the words."""
        with self._lock:
            new = words - self.seen
            if new:
                if len(self.seen) > self._LIMIT:
                    self._reset()
                    new = words
                self.seen |= new
                self._classify(new, gaz)
            return self.sets

    def _classify(self, new: set[str], gaz: Gazetteer) -> None:
        known, capitals, determiner, name_words, cues = self.sets
        exact, lower, determiners = gaz.exact_index, gaz.lower_index, gaz.determiners
        for word in new:
            low = word.lower()
            if word in exact or low in lower or word.isupper():
                known.add(word)
            if word[:1].isupper():
                capitals.add(word)
                if _is_name_word(word, gaz):
                    name_words.add(word)
            if low in determiners:
                determiner.add(word)
            if low in gaz.place_cues:
                cues.add(word)


def tokens_of(text: str) -> tuple[str, ...]:
    return tuple(_norm_token(m.group()) for m in TOKEN_RE.finditer(text))


def _norm_token(token: str) -> str:
    return APOSTROPHES.get(token, token)


def slug(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_name = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "x"


def _entity_id(kind: EntityKind, name: str) -> str:
    return f"{_ID_PREFIX[kind]}:{slug(name)}"


# Names repeat within and across documents, and keying one is the costliest step per run.
@lru_cache(maxsize=65536)
def name_keys(
    name: str, particles: frozenset[str], family_first: frozenset[str] = frozenset()
) -> tuple[str, tuple[str, ...]]:
    """(surname key, given-name keys) of a written personal name."""
    written = WORD_RE.findall(name.replace("-", " "))
    # A particle is dropped ("bin", "al-"), except as the first of three or more words,
    # where it is a family name ("Le Minh Khoa").
    words = [
        w
        for k, w in enumerate(written)
        if w.lower() not in particles or (k == 0 and len(written) >= 3 and not w.islower())
    ]
    words = [w for w in words if len(w) > 1 or not w.isupper()]
    if not words:
        return "", ()
    words[-1] = strip_possessive(words[-1])
    if _family_first(words, family_first):
        # "Zhou Wenbin", "Chou Wen-pin": the family name first, the given name's syllables
        # keyed as one word so that its hyphenated spelling meets the joined one.
        return sinitic_key(words[0]), (sinitic_key("".join(words[1:])),)
    if _family_last(words, family_first):
        # "Haochen Liu": the same name in the order Western outlets use keys the same way.
        return sinitic_key(words[1]), (sinitic_key(words[0]),)
    return surname_word_key(words[-1], family_first), tuple(
        k for k in (word_key(w) for w in words[:-1]) if k
    )


# A Chinese or Korean given name: one or two romanised syllables, each an initial, vowels
# and a final ("Qiang", "Wen-bo", "Jae-in", "Jinping").
_GIVEN_SYLLABLES = re.compile(
    r"(?:(?:zh|ch|sh|ts|tz|hs|ng|[bcdfghjklmnpqrstwxyz])?[aeiouy]{1,3}(?:ng|n|r|m|l|p|t|k)?){1,2}"
)


def _family_first(words: list[str], family_first: frozenset[str]) -> bool:
    """Whether a name is written family name first: a known one, then given-name syllables
    ("Zhou Wenbin" is, "Lam Hortensberg" is not)."""
    return (
        len(words) > 1
        and ascii_fold(words[0]) in family_first
        and _GIVEN_SYLLABLES.fullmatch(ascii_fold("".join(words[1:]))) is not None
    )


def _family_last(words: list[str], family_first: frozenset[str]) -> bool:
    """Whether a two-word name is a Chinese one in Western order: given-name syllables, then
    a family name otherwise written first ("Haochen Liu", "Wen-bin Zhou")."""
    return (
        len(words) == 2
        and ascii_fold(words[1]) in family_first
        and _GIVEN_SYLLABLES.fullmatch(ascii_fold(words[0])) is not None
    )


def surname_word_key(word: str, family_first: frozenset[str]) -> str:
    """A family name written first elsewhere keeps that key when it stands alone or last."""
    return sinitic_key(word) if ascii_fold(word) in family_first else word_key(word)


def strip_possessive(word: str) -> str:
    for suffix in ("'s", "\u2019s"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _nickname_keys(table: object) -> dict[str, frozenset[str]]:
    """The [nicknames] table of roles.toml, keyed as given names are."""
    if not isinstance(table, dict):
        return {}
    keys: dict[str, frozenset[str]] = {}
    for short, names in table.items():
        full = frozenset(k for k in (word_key(n) for n in _strings(names)) if k)
        if word_key(short) and full:
            keys[word_key(short)] = full
    return keys


def given_compatible(
    a: tuple[str, ...], b: tuple[str, ...], nicknames: Mapping[str, frozenset[str]] | None = None
) -> bool:
    """Given names that may belong to one person: equal, one missing, or one within the other.

    A first given name also matches the names its short form stands for ("Ed", "Eduardo").
    """
    if not a or not b:
        return True
    if nicknames and a[0] != b[0] and (
        b[0] in nicknames.get(a[0], ()) or a[0] in nicknames.get(b[0], ())
    ):
        a = (b[0], *a[1:])
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if long_[: len(short)] == short:
        return True
    if joined_key(short) == joined_key(long_):
        return True  # "Ali-Reza", "Ali Reza" and "Alireza"; "Abdel Aziz" and "Abdelaziz"
    return short[0] in long_ and all(k in long_ for k in short)


def joined_key(keys: tuple[str, ...]) -> str:
    """The key of name words written as one word: later words lose their vowel mark."""
    joined = keys[0] + "".join(k[1:] if k[:1] == "a" else k for k in keys[1:])
    return re.sub(r"(.)\1+", r"\1", joined)


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer from entities.toml and roles.toml (a folder or the entities file), cached."""
    if path is None:
        return _load_default()
    if Path(path).is_dir():
        entities_path, roles_path = Path(path) / "entities.toml", Path(path) / "roles.toml"
    else:
        entities_path = Path(path)
        roles_path = entities_path.with_name("roles.toml")
        if not roles_path.exists():
            roles_path = resource_path("roles.toml")
    return _load_cached(str(entities_path), str(roles_path))


@cache
def _load_default() -> Gazetteer:
    # Called for every document a worker extracts: not worth building two Paths each time.
    return _load_cached(str(resource_path("entities.toml")), str(resource_path("roles.toml")))


@lru_cache(maxsize=8)
def _load_cached(entities_path: str, roles_path: str) -> Gazetteer:
    entities_data = _read_toml(Path(entities_path))
    roles_data = _read_toml(Path(roles_path))
    return _build_gazetteer(entities_data, roles_data)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


def _build_gazetteer(data: dict, roles: dict) -> Gazetteer:
    lexicon = roles.get("lexicon", {})
    refs = roles.get("references", {})
    name_lists = roles.get("names", {})
    particles = frozenset(w.lower() for w in _strings(lexicon.get("name_particles")))
    family_first = frozenset(ascii_fold(w) for w in _strings(name_lists.get("family_names_first")))
    months = _strings(lexicon.get("months"))
    weekdays = _strings(lexicon.get("weekdays"))
    entities: dict[str, Entity] = {}
    exact: list[Known] = []
    lower: list[Known] = []
    place_names: dict[str, str] = {}
    demonym_of: dict[str, str] = {}
    capital_of: dict[str, str] = {}

    places = [p for p in data.get("place", []) if isinstance(p, dict) and p.get("name")]
    for place in places:
        name = str(place["name"])
        entity_id = _entity_id(EntityKind.PLACE, name)
        is_country = place.get("kind") == "country"
        country = name if is_country else (place.get("country") or None)
        entities[entity_id] = Entity(entity_id, name, EntityKind.PLACE, country=country)
        if place.get("capital") is True and country and not is_country:
            capital_of.setdefault(country, entity_id)
        for form in [name, *_strings(place.get("aliases"))]:
            place_names.setdefault(form.casefold(), entity_id)
            exact.append(Known(tokens_of(form), PLACE, entity_id))
        demonyms = _strings(place.get("demonyms"))
        if is_country and demonyms:
            demonym_of[name] = demonyms[0]
        for demonym in demonyms:
            exact.append(Known(tokens_of(demonym), NAT, name))
            plural = _plural(demonym)
            if plural:
                exact.append(Known(tokens_of(plural), NAT, name, "plural"))

    people_keys: dict[str, list[_PersonKeys]] = defaultdict(list)
    person_words: dict[str, frozenset[str]] = {}
    short_forms: dict[str, set[str]] = defaultdict(set)
    full_forms: set[str] = set()
    for person in data.get("person", []):
        if not isinstance(person, dict) or not person.get("name"):
            continue
        name = str(person["name"])
        entity_id = _entity_id(EntityKind.PERSON, name)
        title = person.get("title") or None
        nationality = person.get("nationality") or None
        entities[entity_id] = Entity(
            entity_id, name, EntityKind.PERSON, title=title, nationality=nationality
        )
        words = title_words_of(
            " ".join(_strings(person.get("title")) + _strings(person.get("rank")))
        )
        person_words[entity_id] = frozenset(words)
        for form in [name, *_strings(person.get("aliases"))]:
            tokens = tokens_of(form)
            word_count = sum(1 for t in tokens if t[:1].isalpha() and t.lower() not in particles)
            if word_count >= 2:
                exact.append(Known(tokens, PERSON, entity_id))
                full_forms.add(form)
                surname, given = name_keys(form, particles, family_first)
                if surname:
                    people_keys[surname].append(_PersonKeys(entity_id, surname, given))
                if person.get("surname_alone", True):
                    short_forms[surname_form(form, particles, family_first)].add(entity_id)
            else:
                short_forms[form].add(entity_id)
                surname, _ = name_keys(form, particles, family_first)
                if surname:
                    people_keys[surname].append(_PersonKeys(entity_id, surname, ()))

    blocked = {w.casefold() for w in months + weekdays} | set(place_names)
    for form, ids in short_forms.items():
        if len(ids) == 1 and form and form.casefold() not in blocked and form not in full_forms:
            exact.append(Known(tokens_of(form), SHORT, next(iter(ids))))

    for org in data.get("organisation", []):
        if not isinstance(org, dict) or not org.get("name"):
            continue
        name = str(org["name"])
        entity_id = _entity_id(EntityKind.ORGANISATION, name)
        country = str(org["country"]) if org.get("country") else None
        entities[entity_id] = Entity(entity_id, name, EntityKind.ORGANISATION,
                                     nationality=country)
        for form in [name, *_strings(org.get("aliases"))]:
            exact.append(Known(tokens_of(form), ORG, entity_id))

    title_words: set[str] = set()
    for title in roles.get("title", []):
        if not isinstance(title, dict) or not title.get("name"):
            continue
        canonical = str(title["name"])
        kind = str(title.get("kind", "office"))
        for form in [canonical, *_strings(title.get("aliases"))]:
            tokens = tokens_of(form)
            exact.append(Known(tokens, TITLE, canonical, kind))
            title_words.update(t for t in tokens if t[:1].isupper())
            if kind == "office":
                lower.append(Known(tuple(t.lower() for t in tokens), TITLE, canonical, kind))

    role_nouns: dict[tuple[str, ...], tuple[frozenset[str], ...]] = {}
    for noun, requirement in roles.get("role_nouns", {}).items():
        sets = tuple(
            frozenset(title_words_of(" ".join(_strings(words))))
            for words in (requirement if isinstance(requirement, list) else [])
        )
        role_nouns[tuple(t.lower() for t in tokens_of(str(noun)))] = sets

    non_name = set(_strings(lexicon.get("non_name_words"))) | set(months) | set(weekdays)
    non_name |= title_words | {d for d in demonym_of.values()}
    return Gazetteer(
        entities=entities,
        exact_index=_index(exact),
        lower_index=_index(lower),
        place_names=place_names,
        demonym_of=demonym_of,
        person_keys={k: tuple(v) for k, v in people_keys.items()},
        person_words=person_words,
        role_nouns=role_nouns,
        role_starts=frozenset(noun[0] for noun in role_nouns if noun),
        org_words=frozenset(
            _strings(lexicon.get("org_suffixes")) + _strings(lexicon.get("org_heads"))
            + _strings(lexicon.get("place_suffixes")) + _strings(lexicon.get("place_heads"))
        ),
        place_suffixes=frozenset(_strings(lexicon.get("place_suffixes"))),
        place_heads=frozenset(_strings(lexicon.get("place_heads"))),
        determiners=frozenset(w.lower() for w in _strings(refs.get("determiners"))),
        modifiers=_by_first_word(_strings(refs.get("modifiers"))),
        ambiguous_nouns=frozenset(w.lower() for w in _strings(refs.get("ambiguous_nouns"))),
        reference_followers=frozenset(_strings(refs.get("reference_followers"))),
        non_name=frozenset(non_name),
        speech_verbs=frozenset(_strings(lexicon.get("speech_verbs"))),
        verb_adverbs=frozenset(w for a in _strings(lexicon.get("verb_adverbs")) for w in a.split()),
        particles=particles,
        patronymics=frozenset(w.lower() for w in _strings(lexicon.get("patronymic_particles"))),
        institution_words=frozenset(w.lower() for w in _strings(lexicon.get("institution_words"))),
        org_suffixes=frozenset(_strings(lexicon.get("org_suffixes"))),
        org_heads=frozenset(_strings(lexicon.get("org_heads"))),
        place_cues=_by_first_word(_strings(lexicon.get("place_cues"))),
        given_names=frozenset(_strings(name_lists.get("given_names"))) - frozenset(non_name),
        family_first=family_first,
        name_introducers=frozenset(w.lower() for w in _strings(name_lists.get("name_introducers"))),
        meeting_cues=frozenset(w.lower() for w in _strings(name_lists.get("meeting_cues"))),
        capital_of=capital_of,
        nicknames=_nickname_keys(roles.get("nicknames", {})),
        given_name_titles=frozenset(
            w.lower() for w in _strings(lexicon.get("given_name_titles"))),
    )


def _by_first_word(phrases: list[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    grouped: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for phrase in phrases:
        tokens = tokens_of(phrase.lower())
        if tokens:
            grouped[tokens[0]].append(tokens)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in grouped.items()}


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("ese", "sh", "ch", "ss", "s", "i")) or " " in demonym:
        return None if not demonym.endswith("i") else demonym + "s"
    return demonym + "s"


def surname_form(form: str, particles: frozenset[str], family_first: frozenset[str]) -> str:
    """The surname as written alone: the last word, with an attached particle ("al-Assad"),
    or the first when it is a family name written first ("Li" of "Li Qiang")."""
    words = form.split()
    if _family_first(form.replace("-", " ").split(), family_first):
        return words[0]
    last = words[-1] if words else form
    if "-" in last and last.split("-", 1)[0].lower() in particles:
        return last.split("-", 1)[1]
    return last


@lru_cache(maxsize=16384)  # titles repeat: "Foreign Minister", "Maj. Gen."
def title_words_of(text: str) -> frozenset[str]:
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}
    return frozenset("defense" if w == "defence" else w for w in words)


def _index(entries: Iterable[Known]) -> dict[str, tuple[Known, ...]]:
    grouped: dict[str, list[Known]] = defaultdict(list)
    seen: set[tuple] = set()
    for entry in entries:
        if not entry.tokens:
            continue
        key = (entry.tokens, entry.category, entry.value)
        if key in seen:
            continue
        seen.add(key)
        grouped[entry.tokens[0]].append(entry)
    return {k: tuple(sorted(v, key=lambda e: -len(e.tokens))) for k, v in grouped.items()}


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return load_gazetteer()


def _is_name_word(word: str, gaz: Gazetteer) -> bool:
    if not word[:1].isupper() or not word[:1].isalpha():
        return False
    if len(word) > 1 and word.isupper():
        return False
    return word not in gaz.non_name
