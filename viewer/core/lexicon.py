"""The event lexicon: trigger phrases by kind and topic words, loaded from resources/."""

from __future__ import annotations

import re
import tomllib
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

    def may_match(self, lowered: str) -> bool:
        """False when the lower-cased text lacks every key, so the pattern cannot match."""
        return not self.keys or any(k in lowered for k in self.keys)


@dataclass(frozen=True)
class EventLexicon:
    """Everything the report extractor knows about words, none of it about particular people."""

    triggers: tuple[Trigger, ...]
    end_marker: re.Pattern[str]  # text just before a date that makes it an end date
    speech: re.Pattern[str]  # verbs of speech
    planned: re.Pattern[str]  # words that put a clause in the future
    topic_words: re.Pattern[str]  # every topic word, in one pattern
    topic_of: dict[str, str]  # a topic word, lower-cased -> its topic

    def topics_in(self, text: str) -> frozenset[str]:
        """The topics whose words occur in a text."""
        found = set()
        for match in self.topic_words.finditer(text):
            topic = self.topic_of.get(match.group(0).lower())
            if topic is not None:
                found.add(topic)
        return frozenset(found)


def _word_pattern(body: str) -> re.Pattern[str]:
    # Word boundaries on both sides, except after a trailing hyphen ("Su-" matches "Su-75").
    tail = "" if body.endswith("-") else r"\b"
    return re.compile(rf"\b(?:{body}){tail}", re.IGNORECASE)


def _topic_pattern(words: list[str]) -> re.Pattern[str]:
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    parts = [re.escape(w) + ("" if w.endswith("-") else r"\b") for w in ordered]
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


def _topic_index(topics: dict) -> tuple[re.Pattern[str], dict[str, str]]:
    topic_of: dict[str, str] = {}
    for name, words in sorted(topics.get("topics", {}).items()):
        for word in words:
            topic_of.setdefault(word.lower(), name)
    return _topic_pattern(list(topic_of)), topic_of


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
    topic_words, topic_of = _topic_index(topics)
    return EventLexicon(
        triggers=triggers,
        end_marker=re.compile(events["end_markers"]["pattern"], re.IGNORECASE),
        speech=re.compile(events["speech"]["pattern"], re.IGNORECASE),
        planned=re.compile(events["planned"]["pattern"], re.IGNORECASE),
        topic_words=topic_words,
        topic_of=topic_of,
    )


@cache
def load_lexicon(events_path: Path | None = None, topics_path: Path | None = None) -> EventLexicon:
    """The lexicon from resources/events.toml and resources/topics.toml (read once)."""
    events = tomllib.loads((events_path or resource_path("events.toml")).read_text("utf-8"))
    topics = tomllib.loads((topics_path or resource_path("topics.toml")).read_text("utf-8"))
    return parse_lexicon(events, topics)
