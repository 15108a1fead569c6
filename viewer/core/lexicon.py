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
    topics: tuple[tuple[str, re.Pattern[str]], ...]


def _word_pattern(body: str) -> re.Pattern[str]:
    # Word boundaries on both sides, except after a trailing hyphen ("Su-" matches "Su-75").
    tail = "" if body.endswith("-") else r"\b"
    return re.compile(rf"\b(?:{body}){tail}", re.IGNORECASE)


def _topic_pattern(words: list[str]) -> re.Pattern[str]:
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    parts = [re.escape(w) + ("" if w.endswith("-") else r"\b") for w in ordered]
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)


def parse_lexicon(events: dict, topics: dict) -> EventLexicon:
    """Build a lexicon from the parsed contents of events.toml and topics.toml."""
    triggers = tuple(
        Trigger(
            kind=EventKind(entry["kind"]),
            pattern=_word_pattern(entry["pattern"]),
            arrival=bool(entry.get("arrival", False)),
            ends=bool(entry.get("ends", False)),
            member_after=bool(entry.get("member_after", False)),
        )
        for entry in events.get("trigger", [])
    )
    topic_patterns = tuple(
        (name, _topic_pattern(list(words)))
        for name, words in sorted(topics.get("topics", {}).items())
        if words
    )
    return EventLexicon(
        triggers=triggers,
        end_marker=re.compile(events["end_markers"]["pattern"], re.IGNORECASE),
        speech=re.compile(events["speech"]["pattern"], re.IGNORECASE),
        planned=re.compile(events["planned"]["pattern"], re.IGNORECASE),
        topics=topic_patterns,
    )


@cache
def load_lexicon(events_path: Path | None = None, topics_path: Path | None = None) -> EventLexicon:
    """The lexicon from resources/events.toml and resources/topics.toml (read once)."""
    events = tomllib.loads((events_path or resource_path("events.toml")).read_text("utf-8"))
    topics = tomllib.loads((topics_path or resource_path("topics.toml")).read_text("utf-8"))
    return parse_lexicon(events, topics)
