"""Reading one sentence for names: tokens, known forms, runs of name words, descriptors, cues.

A sentence is tokenised, matched against the gazetteer's known forms, and scanned for runs
of capitalised name words and for the titles, role phrases and nationalities (descriptors)
and cues (an appositive, an age, a speech verb) that say a run names a person.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import accumulate, compress, repeat
from operator import attrgetter
from typing import NamedTuple

from viewer.core.gazetteer import (
    APOSTROPHES,
    NAT,
    ORG,
    PLACE,
    SHORT,
    TITLE,
    TOKEN_RE,
    ClassSets,
    Gazetteer,
    Known,
    title_words_of,
)
from viewer.core.model import EntityKind, Sentence

_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014"
_APOSTROPHE_TABLE = str.maketrans(APOSTROPHES)
_TOKEN_SPLIT = re.compile(f"({TOKEN_RE.pattern})")
_START = attrgetter("start")
_I0 = attrgetter("i0")
_LOW = attrgetter("low")
_TEXT = attrgetter("text")


class Token(NamedTuple):
    start: int
    end: int
    text: str  # apostrophes normalised
    low: str


@dataclass(slots=True)
class _Match:
    i0: int
    i1: int
    known: Known


@dataclass(slots=True)
class Descriptor:
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
class Run:
    """Capitalised words that may be a person's name."""

    i0: int
    i1: int
    name_tokens: list[int]
    short_id: str | None = None  # ends in a known person's surname written alone
    titles: list[Descriptor] = field(default_factory=list)
    honorific: bool = False
    speech: bool = False
    headline: bool = False
    given: bool = False  # opens with a known given name: "Lucia Montero"
    introduced: bool = False  # a two-word name after "with", "between"... in a meeting
    aged: bool = False  # followed by an age set off by commas: "Ana Ruiz, 54, said"
    patronymic: bool = False  # holds a "son of": "Nasir bin Hamad", only people's names do


@dataclass(slots=True)
class SentenceView:
    index: int
    tokens: list[Token]
    matches: list[_Match]
    descriptors: list[Descriptor]
    runs: list[Run]
    places: list[tuple[int, int]]


@dataclass(slots=True)
class Found:
    """A mention before ids of unknown people are settled."""

    start: int
    end: int
    entity_id: str
    kind: EntityKind
    sentence: int
    title: Descriptor | None = None
    nationality: str | None = None
    words: frozenset[str] = frozenset()
    is_reference: bool = False
    run: Run | None = None
    title_text: str | None = None


def _tokenize(text: str, start: int, end: int) -> list[Token]:
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
            repeat(Token),
            zip(offsets[1::2], offsets[2::2], words, map(str.lower, words), strict=False),
        )
    )


def joinable(text: str, left: Token, right: Token) -> bool:
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
    text: str, tokens: list[Token], starts: list[int], gaz: Gazetteer
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


def _longest_at(text: str, tokens: list[Token], i: int, gaz: Gazetteer) -> _Match | None:
    first, low = tokens[i].text, tokens[i].low
    shouted = len(first) > 3 and first.isupper()
    if first not in gaz.exact_index and low not in gaz.lower_index and not shouted:
        return None
    exact = gaz.exact_index.get(first)
    best = _longest_of(text, tokens, i, exact, 0, None) if exact else None
    if shouted:
        # All-capitals datelines ("TEHRAN –") name places too.
        capitalised = gaz.exact_index.get(first.capitalize())
        if capitalised:
            best = _longest_of(text, tokens, i, capitalised, 1, best)
    lower = gaz.lower_index.get(low)
    return _longest_of(text, tokens, i, lower, 2, best) if lower else best


def _longest_of(
    text: str,
    tokens: list[Token],
    i: int,
    candidates: tuple[Known, ...],
    mode: int,
    best: _Match | None,
) -> _Match | None:
    """The first of the candidates (longest first) written at token i, if longer than best."""
    for known in candidates:
        size = len(known.tokens)
        if best is not None and size <= best.i1 - best.i0:
            break
        if i + size > len(tokens):
            continue
        if mode == 1 and known.category not in (PLACE, ORG):
            continue
        if _tokens_equal(text, tokens, i, known.tokens, mode):
            return _Match(i, i + size, known)
    return best


def _tokens_equal(
    text: str, tokens: list[Token], i: int, wanted: tuple[str, ...], mode: int
) -> bool:
    # The first token is equal by construction: the candidates were looked up by it.
    for k in range(1, len(wanted)):
        token = tokens[i + k]
        have = token.text
        if mode == 1 and have.isupper() and len(have) > 1:
            have = have.capitalize()
        elif mode == 2:
            have = token.low
        if have != wanted[k] or not joinable(text, tokens[i + k - 1], token):
            return False
    return True


class _Cut(NamedTuple):
    """A sentence's tokens and the indices where the scans for names need to stop."""

    tokens: list[Token]
    known: list[int]  # may start a known form
    capitals: list[int]  # begin with a capital letter
    determiners: list[int]  # "the", "his"... that may open a role phrase
    cues: list[int]  # may open a place cue ("in the city of")
    name_words: set[str]  # token texts that may be part of a personal name


def _classify(tokens: list[Token], gaz: Gazetteer) -> _Cut:
    """The cut of tokens whose words the gazetteer's word classes may not have seen yet."""
    texts = list(map(_TEXT, tokens))
    return _cut(tokens, texts, gaz.word_classes.learn(set(texts), gaz))


def _cut(tokens: list[Token], texts: list[str], classes: ClassSets) -> _Cut:
    """Token classes, looked up per word and mapped over the tokens at C speed: most
    tokens are ordinary words no scan needs to stop at."""
    positions = range(len(texts))
    return _Cut(
        tokens,
        list(compress(positions, map(classes.known.__contains__, texts))),
        list(compress(positions, map(classes.capitals.__contains__, texts))),
        list(compress(positions, map(classes.determiners.__contains__, texts))),
        list(compress(positions, map(classes.cues.__contains__, texts))),
        classes.name_words,
    )


class DocumentTokens:
    """The tokens of a whole text, cut once and classified per sentence."""

    def __init__(self, text: str, gaz: Gazetteer) -> None:
        self.text = text
        self.gaz = gaz
        self.tokens = _tokenize(text, 0, len(text))
        self.texts = list(map(_TEXT, self.tokens))
        self.starts = list(map(_START, self.tokens))
        # Learnt once for the whole text; a sentence's classes are then a few set lookups,
        # cheaper than finding its share of document-wide index lists.
        self.classes = gaz.word_classes.learn(set(self.texts), gaz)

    def within(self, start: int, end: int) -> _Cut:
        """The cut of text[start:end], as if that span were tokenised alone."""
        tokens = self.tokens
        i0 = bisect.bisect_left(self.starts, start)
        i1 = bisect.bisect_left(self.starts, end, i0)
        # A sentence edge inside a word cuts that word: tokenise the span itself.
        if (i0 > 0 and tokens[i0 - 1].end > start) or (i1 > i0 and tokens[i1 - 1].end > end):
            return _classify(_tokenize(self.text, start, end), self.gaz)
        return _cut(tokens[i0:i1], self.texts[i0:i1], self.classes)


def analyse_sentence(
    text: str, index: int, sentence: Sentence, gaz: Gazetteer, doc_tokens: DocumentTokens
) -> SentenceView:
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
    return SentenceView(index, tokens, matches, descriptors, runs, places)


def _is_headline(tokens: list[Token], label: list[_Match | None]) -> bool:
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
    if match.known.category == ORG:
        # "Commander of the People's Liberation Army Navy": a national force names its country.
        entity = gaz.entities.get(match.known.value)
        return entity.nationality if entity is not None else None
    return None


def _find_descriptors(
    text: str,
    tokens: list[Token],
    label: list[_Match | None],
    candidates: list[int],
    gaz: Gazetteer,
) -> list[Descriptor]:
    """Title and role phrases; candidates are the labelled and determiner tokens."""
    found: list[Descriptor] = []
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
    text: str, tokens: list[Token], label: list[_Match | None], i: int, gaz: Gazetteer
) -> tuple[int, str | None]:
    """A nationality written just before token i: "Russian", "US", "Iran's"; (start, country)."""
    k = i - 1
    if k >= 0 and label[k] is not None and joinable(text, tokens[k], tokens[i]):
        country = _nationality_at(label, k, gaz)
        if country:
            return label[k].i0, country
    if k >= 2 and tokens[k].text == "s" and tokens[k - 1].text == "'":
        country = _nationality_at(label, k - 2, gaz)
        if country:
            return label[k - 2].i0, country
    return i, None


def _title_phrase(
    text: str, tokens: list[Token], label: list[_Match | None], match: _Match, gaz: Gazetteer
) -> Descriptor:
    start, nationality = _nationality_prefix(text, tokens, label, match.i0, gaz)
    end = match.i1
    if "of" in match.known.tokens or "for" in match.known.tokens:
        end = _portfolio_end(tokens, label, end, gaz)
    end, tail_nationality = _tail(text, tokens, label, end, gaz)
    # The canonical title's words, so that "Maj. Gen." counts as a general.
    written = " ".join(map(_TEXT, tokens[match.i0 : end]))
    words = title_words_of(f"{match.known.value} {written}")
    return Descriptor(
        start, end, start, nationality or tail_nationality, frozenset(words), match.known.detail
    )


def _portfolio_end(tokens: list[Token], label: list[_Match | None], i: int, gaz: Gazetteer) -> int:
    """Past the rest of a portfolio a listed title names only in part: "Minister of Defence"
    + "Industry". A rank after it is a title of its own: "Minister of Defence General X"."""
    while (i < len(tokens) and label[i] is None and tokens[i].text[:1].isupper()
           and tokens[i].low in gaz.institution_words):
        i += 1
    return i


def _tail(
    text: str, tokens: list[Token], label: list[_Match | None], i: int, gaz: Gazetteer
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
    text: str, tokens: list[Token], label: list[_Match | None], i: int, gaz: Gazetteer
) -> Descriptor | None:
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
    if k < n and nationality is None and label[k] is not None:
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
        words = tuple(map(_LOW, tokens[k : k + size]))
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
    if "of" in best or "for" in best:
        end = _portfolio_end(tokens, label, end, gaz)
    tail_end, tail_nationality = _tail(text, tokens, label, end, gaz)
    words = title_words_of(" ".join(map(_TEXT, tokens[noun_start:tail_end])))
    return Descriptor(
        i,
        tail_end,
        i + 1 if first.lower() in gaz.determiners else i,
        nationality or tail_nationality,
        frozenset(words),
        "role",
        gaz.role_nouns[best],
    )


def _skip_modifiers(tokens: list[Token], k: int, gaz: Gazetteer) -> int:
    n = len(tokens)
    while k < n:
        for modifier in gaz.modifiers.get(tokens[k].low, ()):
            size = len(modifier)
            if tuple(map(_LOW, tokens[k : k + size])) == modifier:
                k += size
                break
        else:
            return k
    return k


def _noun_reading(tokens: list[Token], end: int, gaz: Gazetteer) -> bool:
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


_MAX_NAME_WORDS = 4  # more capitalised words in a row are a title or an organisation
_MAX_PATRONYMIC_NAME_WORDS = 6


def _particles_at(text: str, tokens: list[Token], j: int, gaz: Gazetteer) -> int:
    """How many lower-case particles ("de", "de la", "van der") run from token j on."""
    count = 0
    while (count < 3 and j + count < len(tokens) and tokens[j + count].low in gaz.particles
           and tokens[j + count].text.islower()
           and joinable(text, tokens[j + count - 1], tokens[j + count])):
        count += 1
    return count


def _find_runs(
    text: str,
    tokens: list[Token],
    label: list[_Match | None],
    candidates: list[int],
    name_words: set[str],
    gaz: Gazetteer,
) -> list[Run]:
    """Runs of name words; candidates are the labelled and capitalised tokens."""
    runs: list[Run] = []
    n = len(tokens)
    i = 0
    for k in candidates:
        if k < i:
            continue
        i = k
        if not _run_word(text, tokens, label, i, name_words):
            continue
        names = [i]
        j = i + 1
        short_id = _short_id(label, i)
        if (short_id is not None and j < n and label[j] is None
                and _run_word(text, tokens, label, j, name_words)
                and joinable(text, tokens[i], tokens[j])):
            # "General Asad Rafique": a known surname opening a longer name is a given name.
            short_id = None
        while j < n and short_id is None:
            if _run_word(text, tokens, label, j, name_words) and joinable(
                text, tokens[j - 1], tokens[j]
            ):
                names.append(j)
                short_id = _short_id(label, j)
                j += 1
            elif (
                tokens[j].text == "."
                and len(tokens[j - 1].text) == 1
                and j + 1 < n
                and _run_word(text, tokens, label, j + 1, name_words)
            ):
                j += 1  # an initial: "Donald J. Trump"
            elif (skipped := _particles_at(text, tokens, j, gaz)) and (
                j + skipped < n and _run_word(text, tokens, label, j + skipped, name_words)
            ):
                j += skipped  # "van der", "de la" inside a name: "Elena de la Fuente"
            elif _syllable_after_hyphen(text, tokens, names[-1], j):
                names.append(j)  # the second syllable of a given name: "Moon Jae-in"
                j += 1
            else:
                break
        if short_id is not None and len(names) == 1:
            i = j
            continue  # a known surname alone is a known mention, not a run
        # A "son of" inside ("bin", "Ould") makes it a person's name, and such names run
        # longer: "Salim bin Hamad bin Saif Al Maskari".
        patronymic = names[-1] > i + 1 and not gaz.patronymics.isdisjoint(
            map(_LOW, tokens[i + 1 : names[-1]])
        )
        if len(names) <= (_MAX_PATRONYMIC_NAME_WORDS if patronymic else _MAX_NAME_WORDS):
            runs.append(Run(i, names[-1] + 1, names, short_id, patronymic=patronymic))
        i = j
    return runs


_SYLLABLE = re.compile(
    r"(?:zh|ch|sh|ts|tz|hs|ng|[bcdfghjklmnpqrstwxyz])?[aeiouy]{1,3}(?:ng|n|r|m|l|p|t|k)?"
)


def _syllable_after_hyphen(text: str, tokens: list[Token], last: int, j: int) -> bool:
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
    text: str, tokens: list[Token], label: list[_Match | None], k: int, name_words: set[str]
) -> bool:
    match = label[k]
    if match is not None:
        return match.known.category == SHORT
    return tokens[k].text in name_words or _hyphenated_syllable(text, tokens, k)


def _hyphenated_syllable(text: str, tokens: list[Token], k: int) -> bool:
    """ "Jun" of "Bae Jun-seok": a short capitalised word joined by a hyphen to a lower-case
    one is a name's syllable, even when alone it is a month ("Jun") or a word no name holds."""
    token = tokens[k]
    return (k + 1 < len(tokens) and token.text[:1].isupper() and len(token.text) <= 4
            and token.text.isalpha() and text[token.end : token.end + 1] in _HYPHENS
            and tokens[k + 1].start == token.end + 1 and tokens[k + 1].text[:1].islower())


def _attach_cues(
    text: str,
    tokens: list[Token],
    runs: list[Run],
    descriptors: list[Descriptor],
    gaz: Gazetteer,
) -> None:
    if not runs:
        return
    ending_at, starting_at = descriptor_ends(descriptors)
    run_starts = set(map(_I0, runs))
    meeting: bool | None = None
    for run in runs:
        attach_before(text, tokens, run, ending_at)
        if run.i1 < len(tokens) and tokens[run.i1].text == ",":
            # Only a comma sets off a title or an age after a name.
            attach_after(tokens, run, starting_at, run_starts)
            run.aged = _age_follows(tokens, run.i1)
        run.speech = _speech_follows(tokens, run.i1, gaz)
        if len(run.name_tokens) < 2 or run.short_id:
            continue
        run.given = tokens[run.name_tokens[0]].text in gaz.given_names
        before = tokens[run.i0 - 1].low if run.i0 > 0 else ""
        if len(run.name_tokens) == 2 and before in gaz.name_introducers:
            if meeting is None:
                meeting = not gaz.meeting_cues.isdisjoint(map(_LOW, tokens))
            run.introduced = meeting


def descriptor_ends(
    descriptors: list[Descriptor],
) -> tuple[dict[int, Descriptor], dict[int, Descriptor]]:
    """The descriptors by the token each ends before and by the token each starts at."""
    ending_at: dict[int, Descriptor] = {}
    starting_at: dict[int, Descriptor] = {}
    for descriptor in descriptors:
        ending_at[descriptor.i1] = descriptor
        starting_at[descriptor.i0] = descriptor
    return ending_at, starting_at


def attach_before(
    text: str, tokens: list[Token], run: Run, ending_at: dict[int, Descriptor]
) -> None:
    """Titles written before a name, chained by spaces, commas or "and"."""
    k = run.i0
    while k > 0:
        descriptor = ending_at.get(k)
        if descriptor is not None:
            if not joinable(text, tokens[k - 1], tokens[k]):
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


def _appositive(tokens: list[Token], run: Run) -> bool:
    """A name set off by commas: ", Sigrid Holm, will meet"."""
    return (
        run.i0 > 0
        and tokens[run.i0 - 1].text == ","
        and (run.i1 >= len(tokens) or tokens[run.i1].text in (",", ".", ";"))
    )


def _title_before_portfolio(
    tokens: list[Token], ending_at: dict[int, Descriptor], comma: int
) -> Descriptor | None:
    """The title of "Norway's special envoy for maritime affairs, <name>,": a title, then
    "for"/"of"/"on"/"to" ("ambassador to Ghana") and a few words, then the comma before the
    name; or a title and a list
    of more portfolios ("Minister of Foreign Affairs, Cooperation and Mauritanians Abroad,
    <name>,")."""
    for j in range(comma - 2, max(-1, comma - 2 - _PORTFOLIO_WORDS), -1):
        if tokens[j].text == "," and j in ending_at:
            return ending_at[j]
        if not tokens[j].text.isalpha():
            return None
        if tokens[j].low in ("for", "of", "on", "to") and j in ending_at:
            return ending_at[j]
    return None


def attach_after(
    tokens: list[Token], run: Run, starting_at: dict[int, Descriptor], run_starts: set[int]
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


def _age_follows(tokens: list[Token], k: int) -> bool:
    """ ", 54," after a name: news style gives people, not places or bodies, an age."""
    if k + 2 >= len(tokens) or tokens[k].text != "," or tokens[k + 2].text != ",":
        return False
    age = tokens[k + 1].text
    return age.isdigit() and 16 <= int(age) <= 110


def _speech_follows(tokens: list[Token], k: int, gaz: Gazetteer) -> bool:
    n = len(tokens)
    if k < n and tokens[k].text == "'" and k + 1 < n and tokens[k + 1].text == "s":
        return False
    while k < n and tokens[k].text in gaz.verb_adverbs:
        k += 1
    return k < n and tokens[k].text in gaz.speech_verbs


def _find_unknown_places(
    text: str, tokens: list[Token], cues: list[int], runs: list[Run], gaz: Gazetteer
) -> list[tuple[int, int]]:
    places: list[tuple[int, int]] = []
    run_at = {run.i0: run for run in runs}
    n = len(tokens)
    for i in cues:
        for cue in gaz.place_cues.get(tokens[i].low, ()):
            size = len(cue)
            if i + size >= n or tuple(map(_LOW, tokens[i : i + size])) != cue:
                continue
            run = run_at.get(i + size)
            if run is not None and not run.titles and not run.honorific and not run.short_id:
                places.append((run.i0, run.i1))
                run.name_tokens = []  # a place, not a person
            break
    return places
