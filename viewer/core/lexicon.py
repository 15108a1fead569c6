"""The event lexicon: trigger phrases by kind and topic words, loaded from resources/."""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
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


@dataclass(frozen=True)
class EventLexicon:
    """Everything the report extractor knows about words, none of it about particular people."""

    triggers: tuple[Trigger, ...]
    end_marker: re.Pattern[str]  # text just before a date that makes it an end date
    speech: re.Pattern[str]  # verbs of speech
    planned: re.Pattern[str]  # words that put a clause in the future
    topic_of: dict[str, str]  # a topic word, lower-cased -> its topic

    def topics_in(self, text: str) -> frozenset[str]:
        """The topics whose words occur in a text."""
        return frozenset(self.topic_of[w] for _, w in find_words(text.lower(), self.topic_of))

    def topics_by_sentence(self, text: str, starts: Sequence[int]) -> list[frozenset[str]]:
        """The topics of each sentence of a text, given the sentences' start offsets."""
        found: list[set[str]] = [set() for _ in starts]
        lowered = _lowered(text)
        # Only words whose first token occurs in the text can occur in it: one tokenising
        # pass spares a search for each of the other topic words.
        tokens = set(_TOKEN.findall(lowered))
        present = [w for w in self.topic_of if _first_token(w) in tokens]
        for position, word in find_words(lowered, present):
            index = bisect_right(starts, position) - 1
            if index >= 0:
                found[index].add(self.topic_of[word])
        return [frozenset(f) for f in found]

    def triggers_by_sentence(self, text: str, starts: Sequence[int]) -> list[tuple[Trigger, ...]]:
        """For each sentence, the triggers whose keys occur in it: the only ones worth trying."""
        keyed = [t for t in self.triggers if t.keys]
        always = [t for t in self.triggers if not t.keys]
        seen: list[set[int]] = [set() for _ in starts]
        keys = {k for t in keyed for k in t.keys}
        for position, key in find_words(_lowered(text), keys, whole_words=False):
            index = bisect_right(starts, position) - 1
            if index >= 0:
                seen[index].update(i for i, t in enumerate(keyed) if key in t.keys)
        return [tuple(always) + tuple(keyed[i] for i in sorted(s)) for s in seen]


def _word_pattern(body: str) -> re.Pattern[str]:
    # Word boundaries on both sides, except after a trailing hyphen ("Su-" matches "Su-75").
    tail = "" if body.endswith("-") else r"\b"
    return re.compile(rf"\b(?:{body}){tail}", re.IGNORECASE)


_TOKEN = re.compile(r"\w+")


@cache
def _first_token(word: str) -> str:
    match = _TOKEN.search(word)
    return match.group(0) if match else word


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
    found = []
    for word in words:
        start = lowered.find(word)
        while start != -1:
            end = start + len(word)
            if not whole_words or (
                (start == 0 or not lowered[start - 1].isalnum())
                and (word.endswith("-") or end == len(lowered) or not lowered[end].isalnum())
            ):
                found.append((start, word))
            start = lowered.find(word, start + 1)
    found.sort()
    return found


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
    )


@cache
def load_lexicon(events_path: Path | None = None, topics_path: Path | None = None) -> EventLexicon:
    """The lexicon from resources/events.toml and resources/topics.toml (read once)."""
    events = tomllib.loads((events_path or resource_path("events.toml")).read_text("utf-8"))
    topics = tomllib.loads((topics_path or resource_path("topics.toml")).read_text("utf-8"))
    return parse_lexicon(events, topics)
