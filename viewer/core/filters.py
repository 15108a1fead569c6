"""Which events to show: the filter a person sets, as data, and the test an event must pass.

The list's filter proxy, the CLI and export all filter through ``compile_filter`` so that
an event shown in one place is shown in all of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from viewer.core.model import Document, Event, EventKind, Status

Predicate = Callable[[Event], bool]


@dataclass(frozen=True, slots=True)
class EventFilter:
    """What the person asked to see. The default shows every event."""

    search: str = ""  # every whitespace-separated word must occur (case-insensitive)
    kinds: frozenset[EventKind] | None = None  # None: every kind
    participant: str | None = None  # canonical name or entity id
    source: str | None = None  # document id
    date_from: dt.date | None = None  # inclusive; an event counts when its interval overlaps
    date_to: dt.date | None = None
    show_context: bool = True

    def is_empty(self) -> bool:
        """True when the filter lets every event through."""
        return compile_filter(self) is None


def haystack(event: Event) -> str:
    """The lower-cased text that search words are looked for in.

    After the fields come the spelling-tolerant keys of the participants' names, each
    fenced by KEY_MARK, so that "Qorbani" finds an event whose participant is "Ghorbani".
    """
    parts = [event.title, event.kind.value, event.location or ""]
    for p in event.participants:
        parts.append(p.name)
        parts.append(p.role or "")
    parts.extend(event.topics)
    if event.status is Status.PLANNED:
        parts.append(Status.PLANNED.value)
    keys = {name_key(w) for p in event.participants for w in p.name.split()}
    parts.append("".join(f"{KEY_MARK}{k}{KEY_MARK}" for k in sorted(keys) if k))
    # A newline keeps a word from matching across two fields.
    return "\n".join(parts).casefold()


KEY_MARK = "\x01"  # fences a name key in a haystack; never typed in a search
_MIN_KEYED_WORD = 4  # shorter words have keys too short to tell names apart


def name_key(word: str) -> str:
    """A name word's spelling-tolerant key as it stands in a haystack ("" if too short)."""
    if len(word) < _MIN_KEYED_WORD:
        return ""
    from viewer.core.transliteration import word_key

    return word_key(word)


def search_words(text: str) -> tuple[str, ...]:
    """The case-folded words of a search string."""
    return tuple(text.casefold().split())


def _alternatives(word: str) -> tuple[str, ...]:
    """What a search word may be found as: itself, or the key of a name spelled like it."""
    key = name_key(word)
    return (word, f"{KEY_MARK}{key}{KEY_MARK}") if key else (word,)


def compile_filter(
    f: EventFilter, haystack_of: Callable[[Event], str] = haystack
) -> Predicate | None:
    """A predicate running only the checks ``f`` activates; None when it accepts everything.

    ``haystack_of`` lets a caller that filters again and again supply cached haystacks.
    Undated events fail any date bound, since nothing says they fall inside it.
    """
    checks: list[Predicate] = []
    if not f.show_context:
        checks.append(lambda e: not e.is_context)
    if f.kinds is not None:
        kinds = frozenset(f.kinds)
        checks.append(lambda e: e.kind in kinds)
    if f.participant is not None:
        who = f.participant
        checks.append(lambda e: any(p.name == who or p.entity_id == who for p in e.participants))
    if f.source is not None:
        doc = f.source
        checks.append(lambda e: any(x.document == doc for x in e.sources))
    if f.date_from is not None:
        first = f.date_from
        checks.append(lambda e: e.when is not None and e.when.end >= first)
    if f.date_to is not None:
        last = f.date_to
        checks.append(lambda e: e.when is not None and e.when.start <= last)
    words = [_alternatives(w) for w in search_words(f.search)]
    if words:

        def has_every_word(e: Event) -> bool:
            text = haystack_of(e)
            return all(any(form in text for form in forms) for forms in words)

        checks.append(has_every_word)
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    return lambda e: all(check(e) for check in checks)


def matches(event: Event, f: EventFilter) -> bool:
    """True when ``event`` passes every part of ``f``."""
    predicate = compile_filter(f)
    return predicate is None or predicate(event)


def judge_all(
    events: Sequence[Event],
    f: EventFilter,
    texts: Sequence[str] | None = None,
    candidates: Sequence[bool] | None = None,
) -> list[bool]:
    """``matches(e, f)`` for each event, computed in bulk for tens of thousands of events.

    ``texts`` are the events' haystacks in the same order (computed when not given);
    ``candidates`` marks events already known to fail with False, so they are skipped.
    The search words are checked without a function call per event: this runs on
    every keystroke in the search box.
    """
    rest = compile_filter(dataclasses.replace(f, search=""))
    if candidates is None:
        verdicts = None if rest is None else [rest(e) for e in events]
    elif rest is None:
        verdicts = list(candidates)
    else:
        verdicts = [was and rest(e) for was, e in zip(candidates, events, strict=True)]
    words = search_words(f.search)
    if words:
        if texts is None:
            texts = [haystack(e) for e in events]
        elif len(texts) != len(events):
            raise ValueError("texts and events differ in length")
        for forms in map(_alternatives, words):
            word, key = forms if len(forms) == 2 else (forms[0], forms[0])
            if verdicts is None:  # nothing rejected yet: no verdict to consult
                verdicts = [word in text or key in text for text in texts]
            else:
                # Lengths were checked once above; strict zip would recheck every keystroke.
                pairs = zip(verdicts, texts, strict=False)
                verdicts = [ok and (word in text or key in text) for ok, text in pairs]
    return [True] * len(events) if verdicts is None else verdicts


def filter_events(events: Iterable[Event], f: EventFilter) -> list[Event]:
    """The events that pass ``f``, in their given order."""
    predicate = compile_filter(f)
    if predicate is None:
        return list(events)
    return [e for e in events if predicate(e)]


def name_sort_key(name: str) -> tuple[str, str]:
    """Sort people by surname (the last word), then by full name, ignoring case."""
    words = name.split()
    surname = words[-1].strip(".,") if words else ""
    return surname.casefold(), name.casefold()


def participant_names(events: Iterable[Event]) -> list[str]:
    """Every participant's canonical name once, by surname then full name."""
    return sorted({p.name for e in events for p in e.participants}, key=name_sort_key)


def source_label(document: Document) -> str:
    """How a document is named in a list of sources: its outlet and title, or its title."""
    if document.outlet and document.title and document.outlet != document.title:
        return f"{document.outlet}: {document.title}"
    return document.outlet or document.title or document.id


def source_choices(documents: Sequence[Document]) -> list[tuple[str, str]]:
    """(document id, label) pairs for choosing one source, sorted by label."""
    return sorted(((d.id, source_label(d)) for d in documents), key=lambda c: c[1].casefold())
