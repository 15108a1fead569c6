"""The event lexicon: trigger phrases by kind and topic words, loaded from resources/."""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

from viewer.core.model import EventKind
from viewer.resources import resource_path


@dataclass(frozen=True, slots=True)
class Trigger:
    """A phrase that announces an event of one kind."""

    kind: EventKind
    pattern: re.Pattern[str]
    keys: tuple[str, ...] = ()  # lower-case fragments every match contains; () = no filter
    arrival: bool = False
    ends: bool = False
    member_after: bool = False
    dateline_place: bool = False  # with no place named, the visit is to the dateline's city
    remote: bool = False  # a call: the sides were apart, so the event has no place
    guest: bool = False  # a visit by the person named after it ("hosted his counterpart X")
    separately: bool = False  # one meeting with each person named after it ("called on X and Y")
    # Words that, running up to the phrase, make it a subject spoken of ("a statement on
    # naval drills"), not an event told.
    topic_after: re.Pattern[str] | None = None

    def is_topic_at(self, text: str, position: int) -> bool:
        """Whether the words before ``position`` make a match there a topic, not an event."""
        return self.topic_after is not None and _ends_at(self.topic_after, text, position)


@dataclass(frozen=True)
class EventLexicon:
    """Everything the report extractor knows about words, none of it about particular people."""

    triggers: tuple[Trigger, ...]
    end_marker: re.Pattern[str]  # text just before a date that makes it an end date
    speech: re.Pattern[str]  # verbs of speech
    planned: re.Pattern[str]  # words that put a clause in the future
    topic_of: dict[str, str]  # a topic word, lower-cased -> its topic
    invitation: re.Pattern[str] = re.compile("(?!)")  # "an invitation to visit"
    cancelled: re.Pattern[str] = re.compile("(?!)")  # "the visit has been postponed"
    topical_place: re.Pattern[str] = re.compile("(?!)")  # "the situation in": not a venue
    hypothetical: re.Pattern[str] = re.compile("(?!)")  # "where he could meet X": not planned
    stand_in: re.Pattern[str] = re.compile("(?!)")  # "X's predecessor, Y": X took no part

    def ends_before(self, text: str, position: int) -> bool:
        """Whether an end marker ("wrapped up on") runs up to ``position`` in text."""
        return _ends_at(self.end_marker, text, position)

    def topics_in(self, text: str) -> frozenset[str]:
        """The topics whose words occur in a text."""
        return frozenset(self.topic_of[w] for _, w in find_words(text.lower(), self.topic_of))

    def topics_by_sentence(self, text: str, starts: Sequence[int]) -> list[frozenset[str]]:
        """The topics of each sentence of a text, given the sentences' start offsets."""
        found: list[set[str]] = [set() for _ in starts]
        lowered = _lowered(text)
        # A topic word counts only where its first token is one of the text's tokens (a
        # tokenising pass used to pick the words worth a search). Checking that only for the
        # few words found costs less than tokenising the whole text.
        hits = _find_grouped(lowered, self._topic_word_groups, whole_words=True)
        present: dict[str, bool] = {}
        for position, word in hits:
            token = _first_token(word)
            if token not in present:
                present[token] = _has_token(lowered, token)
            if not present[token]:
                continue
            index = bisect_right(starts, position) - 1
            if index >= 0:
                found[index].add(self.topic_of[word])
        return [frozenset(f) for f in found]

    @cached_property
    def _topic_word_groups(self) -> tuple[_WordGroup, ...]:
        return _prefix_groups(self.topic_of)

    def triggers_by_sentence(self, text: str, starts: Sequence[int]) -> list[tuple[Trigger, ...]]:
        """For each sentence, the triggers whose keys occur in it: the only ones worth trying."""
        keyed, always, by_key = self._trigger_keys
        seen: list[set[int]] = [set() for _ in starts]
        groups = self._trigger_key_groups
        for position, key in _find_grouped(_lowered(text), groups, whole_words=False):
            index = bisect_right(starts, position) - 1
            if index >= 0:
                seen[index].update(by_key[key])
        return [always + tuple(keyed[i] for i in sorted(s)) for s in seen]

    @cached_property
    def _trigger_keys(
        self,
    ) -> tuple[tuple[Trigger, ...], tuple[Trigger, ...], dict[str, tuple[int, ...]]]:
        """The keyed triggers, the unkeyed ones, and each key's keyed triggers by index."""
        keyed = tuple(t for t in self.triggers if t.keys)
        always = tuple(t for t in self.triggers if not t.keys)
        by_key: dict[str, list[int]] = {}
        for i, trigger in enumerate(keyed):
            for key in trigger.keys:
                by_key.setdefault(key, []).append(i)
        return keyed, always, {key: tuple(ids) for key, ids in by_key.items()}

    @cached_property
    def _trigger_key_groups(self) -> tuple[_WordGroup, ...]:
        return _prefix_groups(self._trigger_keys[2])


# Each date of a sentence is asked about once per trigger in it.
@lru_cache(maxsize=256)
def _ends_at(marker: re.Pattern[str], text: str, position: int) -> bool:
    # The marker is anchored at its end, so only the text just before can hold it; a
    # search of the whole prefix would try, and fail, at every character of it.
    start = max(0, position - _END_MARKER_REACH)
    return marker.search(text, start, position) is not None


def _word_pattern(body: str) -> re.Pattern[str]:
    # Word boundaries on both sides, except after a trailing hyphen ("Su-" matches "Su-75").
    tail = "" if body.endswith("-") else r"\b"
    return re.compile(rf"\b(?:{body}){tail}", re.IGNORECASE)


_TOKEN = re.compile(r"\w+")
_END_MARKER_REACH = 80  # characters: the longest end marker, generous whitespace included


@cache
def _first_token(word: str) -> str:
    match = _TOKEN.search(word)
    return match.group(0) if match else word


@lru_cache(maxsize=4)  # the topic and trigger scans lower one text each
def _lowered(text: str) -> str:
    # Lower-casing can change a string's length ("İ" -> "i̇"); offsets must stay true, so
    # such a text is lowered character by character, keeping one character for each.
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def find_words(
    lowered: str, words: Iterable[str], *, whole_words: bool = True
) -> list[tuple[int, str]]:
    """Where each word occurs in a lower-cased text, in text order.

    ``str.find`` is many times faster than a regular expression of alternatives, which is
    tried at every position; with ``whole_words`` a match must start and end at word
    boundaries (a word ending in "-", like "su-", may run on: "Su-75").
    """
    return _find_grouped(lowered, _prefix_groups(words), whole_words=whole_words)


# Words that begin alike, with the beginning they share: "arriv" for "arrived", "arrives".
_WordGroup = tuple[str, tuple[str, ...]]
# Words sharing this many first letters are searched for together.
_GROUP_PREFIX = 4


def _word_group(words: Sequence[str]) -> _WordGroup:
    # The sorted first and last words share what every word shares.
    first, last = min(words), max(words)
    length = 0
    while length < len(first) and first[length] == last[length]:
        length += 1
    return first[:length], tuple(words)


def _prefix_groups(words: Iterable[str]) -> tuple[_WordGroup, ...]:
    """The words grouped by their first few letters, each group with its shared beginning."""
    grouped: dict[str, list[str]] = {}
    for word in words:
        grouped.setdefault(word[:_GROUP_PREFIX], []).append(word)
    return tuple(_word_group(group) for group in grouped.values())


def _find_grouped(lowered: str, groups: Iterable[_WordGroup], *,
                  whole_words: bool) -> list[tuple[int, str]]:
    """``find_words`` of the groups' words. Each ``str.find`` scans the whole text, so one
    search for a group's shared beginning, then a look at each place it is found, costs
    less than a search for each word: few places begin like a rare word."""
    found = []
    for prefix, words in groups:
        start = lowered.find(prefix)
        while start != -1:
            for word in words:
                if lowered.startswith(word, start) and (
                        not whole_words or _is_whole_word(lowered, start, word)):
                    found.append((start, word))
            start = lowered.find(prefix, start + 1)
    found.sort()
    return found


def _is_whole_word(lowered: str, start: int, word: str) -> bool:
    end = start + len(word)
    return (start == 0 or not lowered[start - 1].isalnum()) and (
        word.endswith("-") or end == len(lowered) or not lowered[end].isalnum())


def _has_token(lowered: str, token: str) -> bool:
    """Whether token is one of the text's tokens (``_TOKEN`` matches: runs of word
    characters, which are the letters, digits and "_")."""
    if not _TOKEN.fullmatch(token):
        return False
    start = lowered.find(token)
    while start != -1:
        end = start + len(token)
        if (start == 0 or not _is_word_char(lowered[start - 1])) and (
                end == len(lowered) or not _is_word_char(lowered[end])):
            return True
        start = lowered.find(token, start + 1)
    return False


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _topic_index(topics: dict) -> dict[str, str]:
    topic_of: dict[str, str] = {}
    for name, words in sorted(topics.get("topics", {}).items()):
        for word in words:
            if word:
                topic_of.setdefault(word.lower(), name)
    return topic_of


def parse_lexicon(events: dict, topics: dict) -> EventLexicon:
    """Build a lexicon from the parsed contents of events.toml and topics.toml."""
    triggers = tuple(
        Trigger(
            kind=EventKind(entry["kind"]),
            pattern=_word_pattern(entry["pattern"]),
            keys=tuple(k.lower() for k in entry.get("keys", ())),
            arrival=bool(entry.get("arrival", False)),
            ends=bool(entry.get("ends", False)),
            member_after=bool(entry.get("member_after", False)),
            dateline_place=bool(entry.get("dateline_place", False)),
            remote=bool(entry.get("remote", False)),
            guest=bool(entry.get("guest", False)),
            separately=bool(entry.get("separately", False)),
            topic_after=re.compile(entry["topic_after"], re.IGNORECASE)
            if entry.get("topic_after") else None,
        )
        for entry in events.get("trigger", [])
    )
    topic_of = _topic_index(topics)
    return EventLexicon(
        triggers=triggers,
        end_marker=re.compile(events["end_markers"]["pattern"], re.IGNORECASE),
        speech=re.compile(events["speech"]["pattern"], re.IGNORECASE),
        planned=re.compile(events["planned"]["pattern"], re.IGNORECASE),
        topic_of=topic_of,
        invitation=_section_pattern(events, "invitation"),
        cancelled=_section_pattern(events, "cancelled"),
        topical_place=_section_pattern(events, "topical_place"),
        hypothetical=_section_pattern(events, "hypothetical"),
        stand_in=_section_pattern(events, "stand_in"),
    )


def _section_pattern(events: dict, name: str) -> re.Pattern[str]:
    """The case-insensitive pattern of an optional [name] table; one that never matches
    when the file has none."""
    return re.compile(events.get(name, {}).get("pattern", "(?!)"), re.IGNORECASE)


@cache
def load_lexicon(events_path: Path | None = None, topics_path: Path | None = None) -> EventLexicon:
    """The lexicon from resources/events.toml and resources/topics.toml (read once)."""
    events = tomllib.loads((events_path or resource_path("events.toml")).read_text("utf-8"))
    topics = tomllib.loads((topics_path or resource_path("topics.toml")).read_text("utf-8"))
    return parse_lexicon(events, topics)
