"""Finding the people, places and organisations a document names, under stable ids.

Known entities come from ``resources/entities.toml``; titles, role nouns and the small
vocabulary that tells names from other capitalised words from ``resources/roles.toml``.
People no file lists are found by what stands beside them (a title, an appositive, a
speech verb) and get an id built from spelling-tolerant keys of their name, so that the
results of different documents, read in different processes, can be merged later.
"""

from __future__ import annotations

import bisect
import re
import threading
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate, compress, repeat
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from viewer.core.model import Entity, EntityKind, NameMention, Sentence, Span
from viewer.core.transliteration import ascii_fold, sinitic_key, word_key
from viewer.resources import resource_path

# Hyphens and dashes are left out of tokens: they sit in the gaps, where a single one
# may join the words of one name ("Major-General") and a spaced one separates names.
_TOKEN_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s\-\u2010\u2011\u2012\u2013\u2014]")
_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014"
_APOSTROPHES = {"\u2019": "'", "\u02bc": "'", "`": "'"}
_APOSTROPHE_TABLE = str.maketrans(_APOSTROPHES)
_TOKEN_SPLIT = re.compile(f"({_TOKEN_RE.pattern})")
_LOW = attrgetter("low")
_TEXT = attrgetter("text")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")

PERSON, PLACE, ORG, NAT, TITLE, SHORT = "person", "place", "org", "nat", "title", "short"
_KIND_OF_CATEGORY = {
    PERSON: EntityKind.PERSON,
    SHORT: EntityKind.PERSON,
    PLACE: EntityKind.PLACE,
    ORG: EntityKind.ORGANISATION,
}
_ID_PREFIX = {
    EntityKind.PERSON: "person",
    EntityKind.PLACE: "place",
    EntityKind.ORGANISATION: "org",
}


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class _Known:
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
    exact_index: dict[str, tuple[_Known, ...]]
    lower_index: dict[str, tuple[_Known, ...]]
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
    org_words: frozenset[str] = frozenset()  # org_suffixes | org_heads
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


class _ClassSets(NamedTuple):
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
        self.sets = _ClassSets(set(), set(), set(), set(), set())

    def learn(self, words: set[str], gaz: Gazetteer) -> _ClassSets:
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


def _tokens_of(text: str) -> tuple[str, ...]:
    return tuple(_norm_token(m.group()) for m in _TOKEN_RE.finditer(text))


def _norm_token(token: str) -> str:
    return _APOSTROPHES.get(token, token)


def _slug(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_name = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-") or "x"


def _entity_id(kind: EntityKind, name: str) -> str:
    return f"{_ID_PREFIX[kind]}:{_slug(name)}"


# Names repeat within and across documents, and keying one is the costliest step per run.
@lru_cache(maxsize=65536)
def _name_keys(
    name: str, particles: frozenset[str], family_first: frozenset[str] = frozenset()
) -> tuple[str, tuple[str, ...]]:
    """(surname key, given-name keys) of a written personal name."""
    written = _WORD_RE.findall(name.replace("-", " "))
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
    words[-1] = _strip_possessive(words[-1])
    if _family_first(words, family_first):
        # "Zhou Wenbin", "Chou Wen-pin": the family name first, the given name's syllables
        # keyed as one word so that its hyphenated spelling meets the joined one.
        return sinitic_key(words[0]), (sinitic_key("".join(words[1:])),)
    return _surname_key(words[-1], family_first), tuple(
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


def _surname_key(word: str, family_first: frozenset[str]) -> str:
    """A family name written first elsewhere keeps that key when it stands alone or last."""
    return sinitic_key(word) if ascii_fold(word) in family_first else word_key(word)


def _strip_possessive(word: str) -> str:
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


def _given_compatible(
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
    return short[0] in long_ and all(k in long_ for k in short)


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
    exact: list[_Known] = []
    lower: list[_Known] = []
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
            exact.append(_Known(_tokens_of(form), PLACE, entity_id))
        demonyms = _strings(place.get("demonyms"))
        if is_country and demonyms:
            demonym_of[name] = demonyms[0]
        for demonym in demonyms:
            exact.append(_Known(_tokens_of(demonym), NAT, name))
            plural = _plural(demonym)
            if plural:
                exact.append(_Known(_tokens_of(plural), NAT, name, "plural"))

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
        words = _title_words(" ".join(_strings(person.get("title")) + _strings(person.get("rank"))))
        person_words[entity_id] = frozenset(words)
        for form in [name, *_strings(person.get("aliases"))]:
            tokens = _tokens_of(form)
            word_count = sum(1 for t in tokens if t[:1].isalpha() and t.lower() not in particles)
            if word_count >= 2:
                exact.append(_Known(tokens, PERSON, entity_id))
                full_forms.add(form)
                surname, given = _name_keys(form, particles, family_first)
                if surname:
                    people_keys[surname].append(_PersonKeys(entity_id, surname, given))
                if person.get("surname_alone", True):
                    short_forms[_surname_form(form, particles, family_first)].add(entity_id)
            else:
                short_forms[form].add(entity_id)
                surname, _ = _name_keys(form, particles, family_first)
                if surname:
                    people_keys[surname].append(_PersonKeys(entity_id, surname, ()))

    blocked = {w.casefold() for w in months + weekdays} | set(place_names)
    for form, ids in short_forms.items():
        if len(ids) == 1 and form and form.casefold() not in blocked and form not in full_forms:
            exact.append(_Known(_tokens_of(form), SHORT, next(iter(ids))))

    for org in data.get("organisation", []):
        if not isinstance(org, dict) or not org.get("name"):
            continue
        name = str(org["name"])
        entity_id = _entity_id(EntityKind.ORGANISATION, name)
        entities[entity_id] = Entity(entity_id, name, EntityKind.ORGANISATION)
        for form in [name, *_strings(org.get("aliases"))]:
            exact.append(_Known(_tokens_of(form), ORG, entity_id))

    title_words: set[str] = set()
    for title in roles.get("title", []):
        if not isinstance(title, dict) or not title.get("name"):
            continue
        canonical = str(title["name"])
        kind = str(title.get("kind", "office"))
        for form in [canonical, *_strings(title.get("aliases"))]:
            tokens = _tokens_of(form)
            exact.append(_Known(tokens, TITLE, canonical, kind))
            title_words.update(t for t in tokens if t[:1].isupper())
            if kind == "office":
                lower.append(_Known(tuple(t.lower() for t in tokens), TITLE, canonical, kind))

    role_nouns: dict[tuple[str, ...], tuple[frozenset[str], ...]] = {}
    for noun, requirement in roles.get("role_nouns", {}).items():
        sets = tuple(
            frozenset(_title_words(" ".join(_strings(words))))
            for words in (requirement if isinstance(requirement, list) else [])
        )
        role_nouns[tuple(t.lower() for t in _tokens_of(str(noun)))] = sets

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
        ),
        determiners=frozenset(w.lower() for w in _strings(refs.get("determiners"))),
        modifiers=_by_first_word(_strings(refs.get("modifiers"))),
        ambiguous_nouns=frozenset(w.lower() for w in _strings(refs.get("ambiguous_nouns"))),
        reference_followers=frozenset(_strings(refs.get("reference_followers"))),
        non_name=frozenset(non_name),
        speech_verbs=frozenset(_strings(lexicon.get("speech_verbs"))),
        verb_adverbs=frozenset(w for a in _strings(lexicon.get("verb_adverbs")) for w in a.split()),
        particles=particles,
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
        tokens = _tokens_of(phrase.lower())
        if tokens:
            grouped[tokens[0]].append(tokens)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in grouped.items()}


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("ese", "sh", "ch", "ss", "s", "i")) or " " in demonym:
        return None if not demonym.endswith("i") else demonym + "s"
    return demonym + "s"


def _surname_form(form: str, particles: frozenset[str], family_first: frozenset[str]) -> str:
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
def _title_words(text: str) -> frozenset[str]:
    words = {w.lower() for w in re.findall(r"[^\W\d_]+", text)}
    return frozenset("defense" if w == "defence" else w for w in words)


def _index(entries: Iterable[_Known]) -> dict[str, tuple[_Known, ...]]:
    grouped: dict[str, list[_Known]] = defaultdict(list)
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
def _default_gazetteer() -> Gazetteer:
    return load_gazetteer()


# --------------------------------------------------------------------------- per sentence


class _Token(NamedTuple):
    start: int
    end: int
    text: str  # apostrophes normalised
    low: str


@dataclass(slots=True)
class _Match:
    i0: int
    i1: int
    known: _Known


@dataclass(slots=True)
class _Descriptor:
    """A title or role phrase: "Russian Defense Minister", "his Iranian counterpart"."""

    i0: int  # first token, determiner included
    i1: int
    text_i0: int  # first token of the phrase without its determiner
    nationality: str | None
    words: frozenset[str]
    kind: str  # rank | office | honorific | role
    role: tuple[frozenset[str], ...] | None = None  # for role phrases: what a referent needs
    used: bool = False


@dataclass(slots=True)
class _Run:
    """Capitalised words that may be a person's name."""

    i0: int
    i1: int
    name_tokens: list[int]
    short_id: str | None = None  # ends in a known person's surname written alone
    titles: list[_Descriptor] = field(default_factory=list)
    honorific: bool = False
    speech: bool = False
    headline: bool = False
    given: bool = False  # opens with a known given name: "Lucia Montero"
    introduced: bool = False  # a two-word name after "with", "between"... in a meeting
    aged: bool = False  # followed by an age set off by commas: "Ana Ruiz, 54, said"


@dataclass(slots=True)
class _SentenceView:
    index: int
    tokens: list[_Token]
    matches: list[_Match]
    descriptors: list[_Descriptor]
    runs: list[_Run]
    places: list[tuple[int, int]]


@dataclass(slots=True)
class _Found:
    """A mention before ids of unknown people are settled."""

    start: int
    end: int
    entity_id: str
    kind: EntityKind
    sentence: int
    title: _Descriptor | None = None
    nationality: str | None = None
    words: frozenset[str] = frozenset()
    is_reference: bool = False
    run: _Run | None = None
    title_text: str | None = None


def _tokenize(text: str, start: int, end: int) -> list[_Token]:
    # Tokens are most of the work, so they are built with C-level calls only: split keeps
    # the gaps, accumulated lengths give the offsets, map builds the tuples.
    segment = text[start:end]
    if "\u2019" in segment or "\u02bc" in segment or "`" in segment:
        segment = segment.translate(_APOSTROPHE_TABLE)  # one character for one: offsets hold
    parts = _TOKEN_SPLIT.split(segment)
    if len(parts) < 2:
        return []
    offsets = list(accumulate(map(len, parts), initial=start))
    words = parts[1::2]
    return list(
        map(
            tuple.__new__,
            repeat(_Token),
            zip(offsets[1::2], offsets[2::2], words, map(str.lower, words), strict=False),
        )
    )


def _joinable(text: str, left: _Token, right: _Token) -> bool:
    """Whether two tokens may belong to one multi-word name: a space or a lone hyphen between."""
    gap = text[left.end : right.start]
    if not gap:
        return True
    if len(gap) == 1:
        return gap in _HYPHENS or gap.isspace()
    return gap.isspace() and gap.count("\n") <= 1 and len(gap) <= 3


def _merged(a: list[int], b: list[int]) -> list[int]:
    if not a:
        return b
    return sorted({*a, *b})


def _match_known(
    text: str, tokens: list[_Token], starts: list[int], gaz: Gazetteer
) -> list[_Match]:
    matches: list[_Match] = []
    i = 0
    for k in starts:
        if k < i:
            continue
        i = k
        best = _longest_at(text, tokens, i, gaz)
        if best is None:
            i += 1
            continue
        matches.append(best)
        i = best.i1
    return matches


def _longest_at(text: str, tokens: list[_Token], i: int, gaz: Gazetteer) -> _Match | None:
    first = tokens[i].text
    if (
        first not in gaz.exact_index
        and tokens[i].low not in gaz.lower_index
        and not (len(first) > 3 and first.isupper())
    ):
        return None
    best: _Match | None = None
    for mode in range(3):
        if mode == 0:
            candidates = gaz.exact_index.get(first)
        elif mode == 1:
            # All-capitals datelines ("TEHRAN –") name places too.
            if not (len(first) > 3 and first.isupper()):
                continue
            candidates = gaz.exact_index.get(first.capitalize())
        else:
            candidates = gaz.lower_index.get(tokens[i].low)
        if not candidates:
            continue
        for known in candidates:
            size = len(known.tokens)
            if best is not None and size <= best.i1 - best.i0:
                break
            if i + size > len(tokens):
                continue
            if mode == 1 and known.category not in (PLACE, ORG):
                continue
            if _tokens_equal(text, tokens, i, known.tokens, mode):
                best = _Match(i, i + size, known)
                break
    return best


def _tokens_equal(
    text: str, tokens: list[_Token], i: int, wanted: tuple[str, ...], mode: int
) -> bool:
    for k, want in enumerate(wanted):
        token = tokens[i + k]
        have = token.text
        if mode == 1 and have.isupper() and len(have) > 1:
            have = have.capitalize()
        elif mode == 2:
            have = token.low
        if have != want:
            return False
        if k and not _joinable(text, tokens[i + k - 1], token):
            return False
    return True


def _is_name_word(word: str, gaz: Gazetteer) -> bool:
    if not word[:1].isupper() or not word[:1].isalpha():
        return False
    if len(word) > 1 and word.isupper():
        return False
    return word not in gaz.non_name


class _Cut(NamedTuple):
    """A sentence's tokens and the indices where the scans for names need to stop."""

    tokens: list[_Token]
    known: list[int]  # may start a known form
    capitals: list[int]  # begin with a capital letter
    determiners: list[int]  # "the", "his"... that may open a role phrase
    cues: list[int]  # may open a place cue ("in the city of")
    name_words: set[str]  # token texts that may be part of a personal name


def _classify(tokens: list[_Token], gaz: Gazetteer) -> _Cut:
    """Token classes, looked up per word and mapped over the tokens at C speed: most
    tokens are ordinary words no scan needs to stop at."""
    texts = list(map(_TEXT, tokens))
    classes = gaz.word_classes.learn(set(texts), gaz)
    positions = range(len(texts))
    return _Cut(
        tokens,
        list(compress(positions, map(classes.known.__contains__, texts))),
        list(compress(positions, map(classes.capitals.__contains__, texts))),
        list(compress(positions, map(classes.determiners.__contains__, texts))),
        list(compress(positions, map(classes.cues.__contains__, texts))),
        classes.name_words,
    )


class _DocumentTokens:
    """The tokens of a whole text, cut and classified once, sliced per sentence."""

    def __init__(self, text: str, gaz: Gazetteer) -> None:
        self.text = text
        self.gaz = gaz
        self.cut = _classify(_tokenize(text, 0, len(text)), gaz)
        self.starts = [t.start for t in self.cut.tokens]

    def within(self, start: int, end: int) -> _Cut:
        """The cut of text[start:end], as if that span were tokenised alone."""
        tokens = self.cut.tokens
        i0 = bisect.bisect_left(self.starts, start)
        i1 = bisect.bisect_left(self.starts, end, i0)
        # A sentence edge inside a word cuts that word: tokenise the span itself.
        if (i0 > 0 and tokens[i0 - 1].end > start) or (i1 > i0 and tokens[i1 - 1].end > end):
            return _classify(_tokenize(self.text, start, end), self.gaz)
        return _Cut(
            tokens[i0:i1],
            _local(self.cut.known, i0, i1),
            _local(self.cut.capitals, i0, i1),
            _local(self.cut.determiners, i0, i1),
            _local(self.cut.cues, i0, i1),
            self.cut.name_words,
        )


def _local(indices: list[int], i0: int, i1: int) -> list[int]:
    if not indices:
        return indices
    a = bisect.bisect_left(indices, i0)
    b = bisect.bisect_left(indices, i1, a)
    return [k - i0 for k in indices[a:b]]


def _analyse_sentence(
    text: str, index: int, sentence: Sentence, gaz: Gazetteer, doc_tokens: _DocumentTokens
) -> _SentenceView:
    start = max(0, min(sentence.span.start, len(text)))
    end = max(start, min(sentence.span.end, len(text)))
    cut = doc_tokens.within(start, end)
    tokens = cut.tokens
    matches = _match_known(text, tokens, cut.known, gaz)
    label: list[_Match | None] = [None] * len(tokens)
    labelled: list[int] = []
    for match in matches:
        for k in range(match.i0, match.i1):
            label[k] = match
            labelled.append(k)
    descriptors = _find_descriptors(text, tokens, label, _merged(labelled, cut.determiners), gaz)
    runs = _find_runs(text, tokens, label, _merged(labelled, cut.capitals), cut.name_words, gaz)
    if _is_headline(tokens, label):
        # Capitals and titles in a headline prove nothing; its names may still echo the body's.
        for run in runs:
            run.headline = True
    else:
        _attach_cues(text, tokens, runs, descriptors, gaz)
    places: list[tuple[int, int]] = []
    if cut.cues:
        places = _find_unknown_places(text, tokens, cut.cues, runs, gaz)
    return _SentenceView(index, tokens, matches, descriptors, runs, places)


def _is_headline(tokens: list[_Token], label: list[_Match | None]) -> bool:
    """Title Case text with no closing stop, where capitals say nothing about names."""
    if not tokens or tokens[-1].text in (".", "!", "?", '"', "\u201d", ":", ";"):
        return False
    words = [
        t.text
        for k, t in enumerate(tokens)
        if label[k] is None and len(t.text) > 3 and t.text.isalpha()
    ]
    lower = sum(1 for w in words if w[:1].islower())
    return len(words) >= 2 and lower <= len(words) // 10


def _nationality_at(label: list[_Match | None], k: int, gaz: Gazetteer) -> str | None:
    match = label[k] if 0 <= k < len(label) else None
    if match is None:
        return None
    if match.known.category == NAT and match.known.detail != "plural":
        return match.known.value
    if match.known.category == PLACE:
        entity = gaz.entities.get(match.known.value)
        if entity is not None and entity.country == entity.name:
            return entity.name
    return None


def _find_descriptors(
    text: str,
    tokens: list[_Token],
    label: list[_Match | None],
    candidates: list[int],
    gaz: Gazetteer,
) -> list[_Descriptor]:
    """Title and role phrases; candidates are the labelled and determiner tokens."""
    found: list[_Descriptor] = []
    i = 0
    for k in candidates:
        if k < i:
            continue
        i = k
        reference = _role_phrase_at(text, tokens, label, i, gaz)
        if reference is not None:
            found.append(reference)
            i = reference.i1
            continue
        match = label[i]
        if match is not None and match.i0 == i and match.known.category == TITLE:
            found.append(_title_phrase(text, tokens, label, match, gaz))
            i = found[-1].i1
            continue
        i += 1
    return found


def _nationality_prefix(
    text: str, tokens: list[_Token], label: list[_Match | None], i: int, gaz: Gazetteer
) -> tuple[int, str | None]:
    """A nationality written just before token i: "Russian", "US", "Iran's"; (start, country)."""
    k = i - 1
    if k >= 0 and label[k] is not None and _joinable(text, tokens[k], tokens[i]):
        country = _nationality_at(label, k, gaz)
        if country:
            return label[k].i0, country
    if k >= 2 and tokens[k].text == "s" and tokens[k - 1].text == "'":
        country = _nationality_at(label, k - 2, gaz)
        if country:
            return label[k - 2].i0, country
    return i, None


def _title_phrase(
    text: str, tokens: list[_Token], label: list[_Match | None], match: _Match, gaz: Gazetteer
) -> _Descriptor:
    start, nationality = _nationality_prefix(text, tokens, label, match.i0, gaz)
    end, tail_nationality = _tail(text, tokens, label, match.i1, gaz)
    # The canonical title's words, so that "Maj. Gen." counts as a general.
    written = " ".join(t.text for t in tokens[match.i0 : end])
    words = _title_words(f"{match.known.value} {written}")
    return _Descriptor(
        start, end, start, nationality or tail_nationality, frozenset(words), match.known.detail
    )


def _tail(
    text: str, tokens: list[_Token], label: list[_Match | None], i: int, gaz: Gazetteer
) -> tuple[int, str | None]:
    """The "of the Iranian Armed Forces" part after a title; (end, country named in it)."""
    end, nationality, n = i, None, len(tokens)
    while end < n and tokens[end].low in ("of", "for"):
        k = end + 1
        if k < n and tokens[k].low == "the":
            k += 1
        j = k
        while j < n:
            match = label[j]
            if match is not None and match.known.category in (NAT, PLACE, ORG):
                nationality = nationality or _nationality_at(label, j, gaz)
                j = match.i1
            elif tokens[j].low in gaz.institution_words:
                j += 1
            elif tokens[j].text == "'" and j + 1 < n and tokens[j + 1].text == "s":
                j += 2
            else:
                break
        if j == k:
            break
        end = j
    return end, nationality


def _role_phrase_at(
    text: str, tokens: list[_Token], label: list[_Match | None], i: int, gaz: Gazetteer
) -> _Descriptor | None:
    """ "the Iranian general", "his Russian counterpart", "Iran's top commander" at token i."""
    n = len(tokens)
    first = tokens[i].text
    nationality: str | None = None
    if label[i] is None and tokens[i].low not in gaz.determiners:
        return None
    if tokens[i].low in gaz.determiners:
        k = i + 1
    elif (
        label[i] is not None
        and label[i].i0 == i
        and label[i].i1 + 1 < n
        and tokens[label[i].i1].text == "'"
        and tokens[label[i].i1 + 1].text == "s"
    ):
        nationality = _nationality_at(label, i, gaz)
        if nationality is None:
            return None
        k = label[i].i1 + 2
    else:
        return None
    k = _skip_modifiers(tokens, k, gaz)
    if k < n and nationality is None:
        country = _nationality_at(label, k, gaz)
        if country:
            nationality = country
            k = label[k].i1
            k = _skip_modifiers(tokens, k, gaz)
    noun_start = k
    best: tuple[str, ...] | None = None
    if k >= n or tokens[k].low not in gaz.role_starts:
        return None
    for size in range(min(5, n - k), 0, -1):
        words = tuple(t.low for t in tokens[k : k + size])
        if words in gaz.role_nouns:
            best = words
            break
    if best is None:
        return None
    end = noun_start + len(best)
    if end < n and tokens[end].text == "'" and end + 1 < n and tokens[end + 1].text == "s":
        pass  # "the general's visit" still refers to the general
    elif best[-1] in gaz.ambiguous_nouns and not _noun_reading(tokens, end, gaz):
        return None
    tail_end, tail_nationality = _tail(text, tokens, label, end, gaz)
    words = _title_words(" ".join(t.text for t in tokens[noun_start:tail_end]))
    return _Descriptor(
        i,
        tail_end,
        i + 1 if first.lower() in gaz.determiners else i,
        nationality or tail_nationality,
        frozenset(words),
        "role",
        gaz.role_nouns[best],
    )


def _skip_modifiers(tokens: list[_Token], k: int, gaz: Gazetteer) -> int:
    n = len(tokens)
    while k < n:
        for modifier in gaz.modifiers.get(tokens[k].low, ()):
            size = len(modifier)
            if tuple(t.low for t in tokens[k : k + size]) == modifier:
                k += size
                break
        else:
            return k
    return k


def _noun_reading(tokens: list[_Token], end: int, gaz: Gazetteer) -> bool:
    if end >= len(tokens):
        return True
    follower = tokens[end].text
    if not follower[:1].isalpha():
        return True
    lowered = follower.lower()
    return (
        lowered in gaz.reference_followers
        or follower in gaz.speech_verbs
        or lowered in gaz.verb_adverbs
        or (lowered.endswith("ed") and len(lowered) > 4)
    )


def _find_runs(
    text: str,
    tokens: list[_Token],
    label: list[_Match | None],
    candidates: list[int],
    name_words: set[str],
    gaz: Gazetteer,
) -> list[_Run]:
    """Runs of name words; candidates are the labelled and capitalised tokens."""
    runs: list[_Run] = []
    n = len(tokens)
    i = 0
    for k in candidates:
        if k < i:
            continue
        i = k
        if not _run_word(tokens, label, i, name_words):
            continue
        names = [i]
        j = i + 1
        short_id = _short_id(label, i)
        if (short_id is not None and j < n and label[j] is None
                and _run_word(tokens, label, j, name_words)
                and _joinable(text, tokens[i], tokens[j])):
            # "General Asad Rafique": a known surname opening a longer name is a given name.
            short_id = None
        while j < n and short_id is None:
            if _run_word(tokens, label, j, name_words) and _joinable(
                text, tokens[j - 1], tokens[j]
            ):
                names.append(j)
                short_id = _short_id(label, j)
                j += 1
            elif (
                tokens[j].text == "."
                and len(tokens[j - 1].text) == 1
                and j + 1 < n
                and _run_word(tokens, label, j + 1, name_words)
            ):
                j += 1  # an initial: "Donald J. Trump"
            elif (
                tokens[j].low in gaz.particles
                and tokens[j].text.islower()
                and j + 1 < n
                and _run_word(tokens, label, j + 1, name_words)
                and _joinable(text, tokens[j - 1], tokens[j])
            ):
                j += 1
            elif _syllable_after_hyphen(text, tokens, names[-1], j):
                names.append(j)  # the second syllable of a given name: "Moon Jae-in"
                j += 1
            else:
                break
        if short_id is not None and len(names) == 1:
            i = j
            continue  # a known surname alone is a known mention, not a run
        if len(names) <= 4:
            runs.append(_Run(i, names[-1] + 1, names, short_id))
        i = j
    return runs


_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|ts|tz|hs|ng|[bcdfghjklmnpqrstwxyz])?[aeiouy]{1,3}(?:ng|n|r|m|l|p|t|k)?"
)


def _syllable_after_hyphen(text: str, tokens: list[_Token], last: int, j: int) -> bool:
    """A lower-case syllable hyphened to a one-syllable name word ("Jae-in", "Wen-pin"), not
    a suffix ("Smith-led")."""
    return (
        last == j - 1
        and text[tokens[last].end : tokens[j].start] in ("-", "\u2010")
        and tokens[j].text.islower()
        and _SYLLABLE.fullmatch(tokens[j].text) is not None
        and _SYLLABLE.fullmatch(tokens[last].low) is not None
    )


def _short_id(label: list[_Match | None], k: int) -> str | None:
    match = label[k]
    if match is not None and match.known.category == SHORT:
        return match.known.value
    return None


def _run_word(
    tokens: list[_Token], label: list[_Match | None], k: int, name_words: set[str]
) -> bool:
    match = label[k]
    if match is not None:
        return match.known.category == SHORT
    return tokens[k].text in name_words


def _attach_cues(
    text: str,
    tokens: list[_Token],
    runs: list[_Run],
    descriptors: list[_Descriptor],
    gaz: Gazetteer,
) -> None:
    ending_at = {d.i1: d for d in descriptors}
    starting_at = {d.i0: d for d in descriptors}
    run_starts = {run.i0 for run in runs}
    meeting: bool | None = None
    for run in runs:
        _attach_before(text, tokens, run, ending_at)
        _attach_after(tokens, run, starting_at, run_starts)
        run.speech = _speech_follows(tokens, run.i1, gaz)
        run.aged = _age_follows(tokens, run.i1)
        if len(run.name_tokens) < 2 or run.short_id:
            continue
        run.given = tokens[run.name_tokens[0]].text in gaz.given_names
        before = tokens[run.i0 - 1].low if run.i0 > 0 else ""
        if len(run.name_tokens) == 2 and before in gaz.name_introducers:
            if meeting is None:
                meeting = not gaz.meeting_cues.isdisjoint(map(_LOW, tokens))
            run.introduced = meeting


def _attach_before(
    text: str, tokens: list[_Token], run: _Run, ending_at: dict[int, _Descriptor]
) -> None:
    """Titles written before a name, chained by spaces, commas or "and"."""
    k = run.i0
    while k > 0:
        descriptor = ending_at.get(k)
        if descriptor is not None:
            if not _joinable(text, tokens[k - 1], tokens[k]):
                return
        elif tokens[k - 1].text in (",", "and"):
            descriptor = ending_at.get(k - 1)
            if descriptor is None and k == run.i0 and _appositive(tokens, run):
                descriptor = _title_before_portfolio(tokens, ending_at, k - 1)
        if descriptor is None or descriptor.used:
            return
        if descriptor.kind == "honorific":
            run.honorific = True
        else:
            run.titles.append(descriptor)
        descriptor.used = True
        k = descriptor.i0


# How many words a portfolio may run to: "for maritime humanitarian affairs".
_PORTFOLIO_WORDS = 6


def _appositive(tokens: list[_Token], run: _Run) -> bool:
    """A name set off by commas: ", Sigrid Holm, will meet"."""
    return (
        run.i0 > 0
        and tokens[run.i0 - 1].text == ","
        and (run.i1 >= len(tokens) or tokens[run.i1].text in (",", ".", ";"))
    )


def _title_before_portfolio(
    tokens: list[_Token], ending_at: dict[int, _Descriptor], comma: int
) -> _Descriptor | None:
    """The title of "Norway's special envoy for maritime affairs, <name>,": a title, then
    "for"/"of"/"on" and a few words, then the comma before the name."""
    for j in range(comma - 2, max(-1, comma - 2 - _PORTFOLIO_WORDS), -1):
        if not tokens[j].text.isalpha():
            return None
        if tokens[j].low in ("for", "of", "on") and j in ending_at:
            return ending_at[j]
    return None


def _attach_after(
    tokens: list[_Token], run: _Run, starting_at: dict[int, _Descriptor], run_starts: set[int]
) -> None:
    """A title set after a name: "Anna Berg, the defence minister"."""
    k = run.i1
    if k >= len(tokens) or tokens[k].text != ",":
        return
    k += 1
    if _age_follows(tokens, run.i1):
        k += 2  # "Ana Ruiz, 54, the defence minister"
    if k + 1 < len(tokens) and tokens[k].text == "who" and tokens[k + 1].text in ("is", "was"):
        k += 2
    descriptor = starting_at.get(k)
    if descriptor is None and k < len(tokens) and tokens[k].low == "the":
        descriptor = starting_at.get(k + 1)
    # "Commander of the Southern Zone, Lieutenant General Ana Ruiz": a title that runs
    # straight into a name is that name's.
    if descriptor is not None and descriptor.i1 in run_starts:
        return
    if descriptor is not None and not descriptor.used and descriptor.kind != "honorific":
        run.titles.append(descriptor)
        descriptor.used = True


def _age_follows(tokens: list[_Token], k: int) -> bool:
    """ ", 54," after a name: news style gives people, not places or bodies, an age."""
    if k + 2 >= len(tokens) or tokens[k].text != "," or tokens[k + 2].text != ",":
        return False
    age = tokens[k + 1].text
    return age.isdigit() and 16 <= int(age) <= 110


def _speech_follows(tokens: list[_Token], k: int, gaz: Gazetteer) -> bool:
    n = len(tokens)
    if k < n and tokens[k].text == "'" and k + 1 < n and tokens[k + 1].text == "s":
        return False
    while k < n and tokens[k].text in gaz.verb_adverbs:
        k += 1
    return k < n and tokens[k].text in gaz.speech_verbs


def _find_unknown_places(
    text: str, tokens: list[_Token], cues: list[int], runs: list[_Run], gaz: Gazetteer
) -> list[tuple[int, int]]:
    places: list[tuple[int, int]] = []
    run_at = {run.i0: run for run in runs}
    n = len(tokens)
    for i in cues:
        for cue in gaz.place_cues.get(tokens[i].low, ()):
            size = len(cue)
            if i + size >= n or tuple(t.low for t in tokens[i : i + size]) != cue:
                continue
            run = run_at.get(i + size)
            if run is not None and not run.titles and not run.honorific and not run.short_id:
                places.append((run.i0, run.i1))
                run.name_tokens = []  # a place, not a person
            break
    return places


# --------------------------------------------------------------------------- per document


def find_names(
    text: str, sentences: Sequence[Sentence], gazetteer: Gazetteer | None = None
) -> list[NameMention]:
    """People, places and organisations named in the sentences, role references resolved, in text order."""  # noqa: E501
    # The cycle collector is not paused here: on article-sized texts its cost is lost in
    # the noise, it only shows on single texts of a megabyte or more (up to ~1.7x there),
    # and pausing it is process-wide, so it would hold collections off the GUI thread too.
    try:
        return _find_names(text, sentences, gazetteer or _default_gazetteer())
    except Exception:
        return []


def _find_names(text: str, sentences: Sequence[Sentence], gaz: Gazetteer) -> list[NameMention]:
    doc_tokens = _DocumentTokens(text, gaz)
    views = [_analyse_sentence(text, k, s, gaz, doc_tokens) for k, s in enumerate(sentences)]
    found: list[_Found] = []
    for view in views:
        found.extend(_known_mentions(text, view, gaz))
        found.extend(_capitals_by_demonym(view, gaz))
        if not gaz.org_words.isdisjoint(map(_TEXT, view.tokens)):
            found.extend(_unknown_orgs(text, view, gaz))
        for i0, i1 in view.places:
            start, end = view.tokens[i0].start, view.tokens[i1 - 1].end
            name = text[start:end]
            found.append(_Found(start, end, f"place:~{_slug(name)}", EntityKind.PLACE, view.index))
    found.extend(_people(text, views, gaz))
    found.sort(key=lambda f: (f.start, -f.end))
    found = _drop_overlaps(found)
    found = _resolve_references(text, views, found, gaz)
    return [_to_mention(text, f) for f in found]


def _known_mentions(text: str, view: _SentenceView, gaz: Gazetteer) -> list[_Found]:
    out: list[_Found] = []
    for match in view.matches:
        category = match.known.category
        if category not in (PLACE, ORG):
            continue  # known people are emitted with their titles by _known_people
        if category == SHORT and any(r.i0 <= match.i0 < r.i1 for r in view.runs if r.name_tokens):
            continue  # part of a longer unknown name; settled with the people
        start, end = view.tokens[match.i0].start, view.tokens[match.i1 - 1].end
        out.append(_Found(start, end, match.known.value, _KIND_OF_CATEGORY[category], view.index))
    return out


def _capitals_by_demonym(view: _SentenceView, gaz: Gazetteer) -> list[_Found]:
    """"the Kazakh capital": the capital of the country the adjective names."""
    tokens = view.tokens
    out: list[_Found] = []
    for match in view.matches:
        if match.known.category != NAT or match.known.detail == "plural":
            continue
        capital = gaz.capital_of.get(match.known.value)
        i0, i1 = match.i0, match.i1
        if (
            capital is not None
            and i0 > 0
            and i1 < len(tokens)
            and tokens[i0 - 1].low == "the"
            and tokens[i1].low == "capital"
        ):
            out.append(_Found(tokens[i0].start, tokens[i1].end, capital, EntityKind.PLACE,
                              view.index))
    return out


def _unknown_orgs(text: str, view: _SentenceView, gaz: Gazetteer) -> list[_Found]:
    """Capitalised phrases that end in "Council", "Ministry"... or open with "Ministry of"."""
    tokens = view.tokens
    covered = [False] * len(tokens)
    for match in view.matches:
        if match.known.category in (PERSON, ORG, TITLE, SHORT):
            for k in range(match.i0, match.i1):
                covered[k] = True
    for descriptor in view.descriptors:
        for k in range(descriptor.i0, descriptor.i1):
            covered[k] = True
    out: list[_Found] = []
    n, i = len(tokens), 0
    while i < n:
        if covered[i] or not tokens[i].text[:1].isupper() or not _org_start(tokens[i].text, gaz):
            i += 1
            continue
        j = i + 1
        while j < n and not covered[j]:
            word = tokens[j].text
            if (
                word[:1].isupper()
                and word[:1].isalpha()
                and _joinable(text, tokens[j - 1], tokens[j])
            ) or (
                word in ("of", "for", "and", "the")
                and j + 1 < n
                and tokens[j + 1].text[:1].isupper()
            ):
                j += 1
            else:
                break
        while j > i and not tokens[j - 1].text[:1].isupper():
            j -= 1
        out.extend(_org_in(text, tokens, i, j, gaz, view.index))
        i = j
    return out


def _org_start(word: str, gaz: Gazetteer) -> bool:
    if not word[:1].isupper() or not word[:1].isalpha():
        return False
    return (
        word not in gaz.non_name or word in gaz.org_heads or word.lower() in gaz.institution_words
    )


def _org_in(
    text: str, tokens: list[_Token], i: int, j: int, gaz: Gazetteer, sentence: int
) -> list[_Found]:
    words = [t.text for t in tokens[i:j]]
    if len(words) < 2:
        return []
    is_org = words[-1] in gaz.org_suffixes or (
        words[0] in gaz.org_heads and words[1] in ("of", "for")
    )
    if not is_org:
        return []
    generic = all(
        w.lower() in gaz.institution_words or w in ("of", "for", "and", "the") for w in words
    )
    if generic and len(words) < 3:
        return []
    start, end = tokens[i].start, tokens[j - 1].end
    name = text[start:end]
    return [_Found(start, end, f"org:~{_slug(name)}", EntityKind.ORGANISATION, sentence)]


def _drop_overlaps(found: list[_Found]) -> list[_Found]:
    out: list[_Found] = []
    for item in found:
        if out and item.start < out[-1].end:
            if (item.end - item.start) > (out[-1].end - out[-1].start):
                out[-1] = item
            continue
        out.append(item)
    return out


# --------------------------------------------------------------------------- people


@dataclass(slots=True)
class _DocPerson:
    entity_id: str
    surname: str
    given: tuple[str, ...]


class _DocPeople:
    """People named in full in one document, by surname key."""

    def __init__(self) -> None:
        self.by_surname: dict[str, list[_DocPerson]] = defaultdict(list)
        self.known: set[str] = set()
        self._seen: set[tuple[str, tuple[str, ...]]] = set()

    def add(self, person: _DocPerson) -> None:
        key = (person.entity_id, person.given)
        if key not in self._seen:
            self._seen.add(key)
            self.by_surname[person.surname].append(person)


def _people(text: str, views: list[_SentenceView], gaz: Gazetteer) -> list[_Found]:
    """Person mentions from name runs: cued ones first, then surnames that echo them."""
    doc_people = _DocPeople()
    for view in views:
        for match in view.matches:
            if match.known.category in (PERSON, SHORT):
                known = gaz.entities.get(match.known.value)
                if known is not None and known.id not in doc_people.known:
                    surname, given = _name_keys(known.name, gaz.particles, gaz.family_first)
                    doc_people.add(_DocPerson(known.id, surname, given))
                    doc_people.known.add(known.id)
    decided: dict[int, str] = {}
    runs = [(view, run) for view in views for run in view.runs if run.name_tokens]
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
                alternative = _surname_key(first_surname, gaz.family_first)
                if alternative and alternative != surname:
                    doc_people.add(_DocPerson(entity_id, alternative, given[:-1]))
    for pos, (_, run) in enumerate(runs):
        if pos in decided:
            continue
        surname, given = keys[pos]
        if not surname:
            continue
        cued = bool(run.titles or run.honorific)
        entity_id = (_by_given_name(surname, run, doc_people, gaz)
                     or _link(surname, given, doc_people, gaz, allow_new=cued)
                     or _by_first_name(surname, run, doc_people))
        if entity_id:
            decided[pos] = entity_id
    out: list[_Found] = []
    for pos, entity_id in decided.items():
        view, run = runs[pos]
        start = view.tokens[run.name_tokens[0]].start
        end = view.tokens[run.name_tokens[-1]].end
        title = _best_title(run.titles)
        nationality = next((d.nationality for d in run.titles if d.nationality), None)
        words = frozenset().union(*(d.words for d in run.titles)) if run.titles else frozenset()
        out.append(
            _Found(
                start,
                end,
                entity_id,
                EntityKind.PERSON,
                view.index,
                title,
                nationality,
                words,
                run=run,
                title_text=_descriptor_text(text, view.tokens, title),
            )
        )
    out.extend(_known_people(text, views, gaz))
    return out


def _by_given_name(key: str, run: _Run, doc_people: _DocPeople, gaz: Gazetteer) -> str | None:
    """ "Sheikh Saeed", "Prince Faisal": one word after a title that goes with a given name
    is the person of the document with that first given name, if there is just one."""
    if len(run.name_tokens) != 1 or not any(d.words & gaz.given_name_titles for d in run.titles):
        return None
    found = {p.entity_id for people in doc_people.by_surname.values() for p in people
             if p.given[:1] == (key,)}
    return next(iter(found)) if len(found) == 1 else None


def _by_first_name(key: str, run: _Run, doc_people: _DocPeople) -> str | None:
    """ "Phan" after "Phan Van Cuong", "Rachid" after "Rachid Hamdaoui": outlets refer to
    Vietnamese officials by the family name written first, and some to people by their first
    name. A lone word that is nobody's surname in the document and opens exactly one full
    name there is that person."""
    if len(run.name_tokens) != 1:
        return None
    found = {p.entity_id for people in doc_people.by_surname.values() for p in people
             if p.given[:1] == (key,)}
    return next(iter(found)) if len(found) == 1 else None


def _known_people(text: str, views: list[_SentenceView], gaz: Gazetteer) -> list[_Found]:
    """Titles beside known names ("Russian Defense Minister <known name>")."""
    out: list[_Found] = []
    for view in views:
        ending_at = {d.i1: d for d in view.descriptors}
        starting_at = {d.i0: d for d in view.descriptors}
        name_starts = {r.i0 for r in view.runs} | {
            m.i0 for m in view.matches if m.known.category in (PERSON, SHORT)
        }
        for match in view.matches:
            if match.known.category not in (PERSON, SHORT):
                continue
            if match.known.category == SHORT and any(
                r.i0 <= match.i0 < r.i1 for r in view.runs if r.name_tokens
            ):
                continue  # the surname of a longer unknown name, settled with the runs
            probe = _Run(match.i0, match.i1, list(range(match.i0, match.i1)))
            _attach_before(text, view.tokens, probe, ending_at)
            _attach_after(view.tokens, probe, starting_at, name_starts)
            start, end = view.tokens[match.i0].start, view.tokens[match.i1 - 1].end
            nationality = next((d.nationality for d in probe.titles if d.nationality), None)
            title = _best_title(probe.titles)
            out.append(
                _Found(
                    start,
                    end,
                    match.known.value,
                    EntityKind.PERSON,
                    view.index,
                    title,
                    nationality,
                    frozenset().union(*(d.words for d in probe.titles)),
                    title_text=_descriptor_text(text, view.tokens, title),
                )
            )
    return out


def _run_keys(
    text: str, view: _SentenceView, run: _Run, gaz: Gazetteer
) -> tuple[str, tuple[str, ...]]:
    words = [view.tokens[k].text for k in run.name_tokens]
    return _name_keys(" ".join(words), gaz.particles, gaz.family_first)


def _link(
    surname: str,
    given: tuple[str, ...],
    doc_people: _DocPeople,
    gaz: Gazetteer,
    allow_new: bool,
) -> str | None:
    """The id of the person a name belongs to, or a new id when cues allow one."""
    namesakes = doc_people.by_surname.get(surname, ())
    same = {p.entity_id for p in namesakes if _given_compatible(p.given, given, gaz.nicknames)}
    if len(same) == 1:
        return next(iter(same))
    if len(same) > 1:
        if given:
            exact = {p.entity_id for p in namesakes if p.given[:1] == given[:1]}
            if len(exact) == 1:
                return next(iter(exact))
        return None
    known = {
        k.entity_id
        for k in gaz.person_keys.get(surname, ())
        if _given_compatible(k.given, given, gaz.nicknames)
    }
    if len(known) == 1 and given:
        return next(iter(known))
    if not allow_new:
        return None
    return f"person:~{surname}" + (f":{given[0]}" if given else "")


def _best_title(titles: Sequence[_Descriptor]) -> _Descriptor | None:
    def score(d: _Descriptor) -> tuple[int, int, int]:
        # A post ("Defense Minister") says more than a rank, a rank more than "counterpart".
        rank = (3 if d.role else 1) if d.kind == "role" else (3 if d.kind == "office" else 2)
        return (rank, d.nationality is not None, d.i1 - d.i0)

    return max(titles, key=score) if titles else None


# --------------------------------------------------------------------------- references


@dataclass(slots=True)
class _PersonInfo:
    nationality: str | None = None
    words: set[str] = field(default_factory=set)


def _resolve_references(
    text: str, views: list[_SentenceView], found: list[_Found], gaz: Gazetteer
) -> list[_Found]:
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
        if person.nationality is None and known is not None:
            person.nationality = known.nationality
    _inherit_counterpart_roles(found, info)
    references = [
        (view.tokens[d.i0].start, view.index, d)
        for view in views
        for d in view.descriptors
        if d.kind == "role" and not d.used
    ]
    if not references:
        return found
    taken = [(f.start, f.end) for f in found]
    events = sorted(
        [(f.start, 0, k) for k, f in enumerate(found) if f.kind is EntityKind.PERSON]
        + [(start, 1, k) for k, (start, _, _) in enumerate(references)]
    )
    seen = _SeenPeople()
    added: list[_Found] = []
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
        entity_id = _referent(descriptor, sentence_index, seen, info)
        if entity_id is None:
            continue
        title_start = view.tokens[descriptor.text_i0].start
        added.append(
            _Found(
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


def _inherit_counterpart_roles(found: list[_Found], info: dict[str, _PersonInfo]) -> None:
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


def _referent(
    descriptor: _Descriptor, sentence: int, seen: _SeenPeople, info: dict[str, _PersonInfo]
) -> str | None:
    subject_nationality: str | None = None
    if descriptor.nationality is None and not descriptor.role:
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
        return not descriptor.role or any(need <= person.words for need in descriptor.role)

    for _, ids in seen.recent(_REFERENCE_REACH):
        fitting = {entity_id for entity_id in ids if fits(entity_id)}
        if len(fitting) == 1:
            return next(iter(fitting))
        if len(fitting) > 1:
            return None
    return None


def _to_mention(text: str, item: _Found) -> NameMention:
    return NameMention(
        Span(item.start, item.end),
        text[item.start : item.end],
        item.entity_id,
        item.kind,
        title=item.title_text,
        is_reference=item.is_reference,
    )


def _descriptor_text(text: str, tokens: list[_Token], descriptor: _Descriptor | None) -> str | None:
    if descriptor is None:
        return None
    return text[tokens[descriptor.text_i0].start : tokens[descriptor.i1 - 1].end]


# --------------------------------------------------------------------------- entities


def surname(name: str) -> str:
    """The surname as a headline writes it: "Duarte", "al-Harthi"; "Li" of "Li Qiang"."""
    return _surname_form(name, _default_particles(), _default_family_first()) if name else name


def surname_key(name: str) -> str:
    """A spelling-tolerant key of a person's surname ("Qorbani" and "Ghorbani" share one)."""
    return _name_keys(name, _default_particles(), _default_family_first())[0]


@lru_cache(maxsize=1)
def _default_particles() -> frozenset[str]:
    try:
        return _default_gazetteer().particles
    except Exception:
        return frozenset({"al", "el", "bin", "ibn", "de", "van", "von", "der"})


@lru_cache(maxsize=1)
def _default_family_first() -> frozenset[str]:
    try:
        return _default_gazetteer().family_first
    except Exception:
        return frozenset()


def place_country(gazetteer: Gazetteer | None, place_name: str) -> str | None:
    """The country a known place lies in ("Moscow" -> "Russia"; a country -> itself)."""
    gaz = gazetteer or _default_gazetteer()
    entity_id = gaz.place_names.get(place_name.strip().casefold())
    if entity_id is None and place_name.startswith(("place:", "PLACE:")):
        entity_id = place_name
    entity = gaz.entities.get(entity_id) if entity_id else None
    return entity.country if entity is not None else None


def document_entities(
    mentions: Sequence[NameMention], text: str, gazetteer: Gazetteer | None = None
) -> list[Entity]:
    """One Entity per entity_id seen in a document: best name form, title and nationality seen."""
    gaz = gazetteer or _default_gazetteer()
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
    forms = [_strip_possessive(m.text) for m in group if not m.is_reference]
    name = _display_name(forms, gaz.given_names) or group[0].text
    return Entity(entity_id, name, kind, title if kind is EntityKind.PERSON else None, nationality)


def _pick_title(titles: list[str]) -> str | None:
    if not titles:
        return None
    counts = Counter(titles)
    return max(counts, key=lambda t: (len(t.split()) > 1, counts[t], len(t), t))


def _nationality_in(titles: list[str], gaz: Gazetteer) -> str | None:
    for title in titles:
        tokens = _tokens_of(title)
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
    longer form that only adds given names or initials to it: articles name a person in
    full once, then shorten it ("Rocío Palacios Cárdenas", then "Palacios Cárdenas")."""
    if not forms:
        return None
    counts = Counter(forms)
    full = [f for f in counts if len(f.split()) > 1] or list(counts)
    common = min(full, key=lambda f: (-counts[f], -len(f), f))
    words = set(common.split())
    fuller = [
        f for f in full
        if words < set(f.split())
        and all(w in given_names or _is_initial(w) for w in set(f.split()) - words)
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
    nicknames = _default_gazetteer().nicknames
    ids = sorted({p.id for p in people})
    parent = {i: i for i in ids}

    def find(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    keys: dict[str, tuple[str, tuple[str, ...]]] = {}
    for person in people:
        person_keys = _name_keys(person.name, particles, family_first)
        if person.id not in keys or len(keys[person.id][1]) < len(person_keys[1]):
            keys[person.id] = person_keys
    by_surname: dict[str, list[str]] = defaultdict(list)
    for entity_id in ids:
        by_surname[keys[entity_id][0]].append(entity_id)
    for surname, group in by_surname.items():
        if not surname:
            continue
        full = [i for i in group if keys[i][1]]
        for a_index, a in enumerate(full):
            for b in full[a_index + 1 :]:
                if _given_compatible(keys[a][1], keys[b][1], nicknames) and not (
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
    given_names = _default_gazetteer().given_names
    # "Ahmed Mahmoud" and "Mahmoud Ahmed" may well be two people: both words are given names.
    unswappable = {
        p.id for p in people if all(w in given_names for w in _WORD_RE.findall(p.name))
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
