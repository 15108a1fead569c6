"""Finding the people, places and organisations a document names, under stable ids.

Known entities come from ``resources/entities.toml``; titles, role nouns and the small
vocabulary that tells names from other capitalised words from ``resources/roles.toml``.
People no file lists are found by what stands beside them (a title, an appositive, a
speech verb) and get an id built from spelling-tolerant keys of their name, so that the
results of different documents, read in different processes, can be merged later.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

from viewer.core.gazetteer import (
    NAT,
    ORG,
    PERSON,
    PLACE,
    SHORT,
    TITLE,
    Gazetteer,
    default_gazetteer,
    slug,
)
from viewer.core.mentions import (
    DocumentTokens,
    Found,
    SentenceView,
    Token,
    analyse_sentence,
    joinable,
)
from viewer.core.model import EntityKind, NameMention, Sentence
from viewer.core.people import find_people, resolve_references, to_mention

_TEXT = attrgetter("text")


_KIND_OF_CATEGORY = {
    PERSON: EntityKind.PERSON,
    SHORT: EntityKind.PERSON,
    PLACE: EntityKind.PLACE,
    ORG: EntityKind.ORGANISATION,
}


def find_names(
    text: str, sentences: Sequence[Sentence], gazetteer: Gazetteer | None = None
) -> list[NameMention]:
    """People, places and organisations named in the sentences, role references resolved, in text order."""  # noqa: E501
    # The cycle collector is not paused here: on article-sized texts its cost is lost in
    # the noise, it only shows on single texts of a megabyte or more (up to ~1.7x there),
    # and pausing it is process-wide, so it would hold collections off the GUI thread too.
    try:
        return _find_names(text, sentences, gazetteer or default_gazetteer())
    except Exception:
        return []


def _find_names(text: str, sentences: Sequence[Sentence], gaz: Gazetteer) -> list[NameMention]:
    doc_tokens = DocumentTokens(text, gaz)
    views = [analyse_sentence(text, k, s, gaz, doc_tokens) for k, s in enumerate(sentences)]
    found: list[Found] = []
    for view in views:
        found.extend(_known_mentions(text, view, gaz))
        found.extend(_capitals_by_demonym(view, gaz))
        if not gaz.org_words.isdisjoint(map(_TEXT, view.tokens)):
            found.extend(_unknown_orgs_and_places(text, view, gaz))
        for i0, i1 in view.places:
            found.append(_unlisted(text, view.tokens[i0].start, view.tokens[i1 - 1].end,
                                   EntityKind.PLACE, view.index))
    found.extend(find_people(text, views, gaz))
    found.sort(key=lambda f: (f.start, -f.end))
    found = _drop_overlaps(found)
    found = resolve_references(text, views, found, gaz)
    return [to_mention(text, f) for f in found]


def _known_mentions(text: str, view: SentenceView, gaz: Gazetteer) -> list[Found]:
    out: list[Found] = []
    for match in view.matches:
        category = match.known.category
        if category not in (PLACE, ORG):
            continue  # known people are emitted with their titles by _known_people
        if category == SHORT and any(r.i0 <= match.i0 < r.i1 for r in view.runs if r.name_tokens):
            continue  # part of a longer unknown name; settled with the people
        start, end = view.tokens[match.i0].start, view.tokens[match.i1 - 1].end
        out.append(Found(start, end, match.known.value, _KIND_OF_CATEGORY[category], view.index))
    return out


def _capitals_by_demonym(view: SentenceView, gaz: Gazetteer) -> list[Found]:
    """"the Kazakh capital": the capital of the country the adjective names."""
    tokens = view.tokens
    out: list[Found] = []
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
            out.append(Found(tokens[i0].start, tokens[i1].end, capital, EntityKind.PLACE,
                              view.index))
    return out


def _unknown_orgs_and_places(text: str, view: SentenceView, gaz: Gazetteer) -> list[Found]:
    """Capitalised phrases that end in "Council", "Ministry"... or open with "Ministry of";
    and places that end in "Islands", "Peninsula"... or open with "Sea of"."""
    tokens = view.tokens
    covered = [False] * len(tokens)
    for match in view.matches:
        if match.known.category in (PERSON, ORG, TITLE, SHORT):
            for k in range(match.i0, match.i1):
                covered[k] = True
    for descriptor in view.descriptors:
        for k in range(descriptor.i0, descriptor.i1):
            covered[k] = True
    out: list[Found] = []
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
                and joinable(text, tokens[j - 1], tokens[j])
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
        out.extend(_org_or_place_in(text, tokens, i, j, gaz, view.index))
        i = j
    return out


def _org_start(word: str, gaz: Gazetteer) -> bool:
    if not word[:1].isupper() or not word[:1].isalpha():
        return False
    return (
        word not in gaz.non_name or word in gaz.org_heads or word.lower() in gaz.institution_words
    )


def _org_or_place_in(
    text: str, tokens: list[Token], i: int, j: int, gaz: Gazetteer, sentence: int
) -> list[Found]:
    words = [t.text for t in tokens[i:j]]
    if len(words) < 2:
        return []
    if words[-1] in gaz.place_suffixes or (words[0] in gaz.place_heads and words[1] == "of"):
        # "the Faroe Islands", "the Sea of Japan": a place nobody listed, not a person, and
        # not the country it names.
        return [_unlisted(text, tokens[i].start, tokens[j - 1].end, EntityKind.PLACE, sentence)]
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
    return [_unlisted(text, tokens[i].start, tokens[j - 1].end, EntityKind.ORGANISATION,
                      sentence)]


def _unlisted(text: str, start: int, end: int, kind: EntityKind, sentence: int) -> Found:
    """A place or organisation no data file lists, its id made of its words."""
    prefix = "place" if kind is EntityKind.PLACE else "org"
    return Found(start, end, f"{prefix}:~{slug(text[start:end])}", kind, sentence)


def _drop_overlaps(found: list[Found]) -> list[Found]:
    out: list[Found] = []
    for item in found:
        if out and item.start < out[-1].end:
            if (item.end - item.start) > (out[-1].end - out[-1].start):
                out[-1] = item
            continue
        out.append(item)
    return out
