"""Hand-built events for the timeline tests: every kind, precision and status, some crowded."""

from __future__ import annotations

import datetime as dt

from tests.factories import day, month, year
from viewer.core.model import Certainty, DateValue, Event, EventKind, Precision, Status


def event(
    event_id: str, title: str, when: DateValue | None, kind: EventKind = EventKind.MEETING,
    status: Status = Status.HAPPENED, context: bool = False,
) -> Event:
    """A bare event with no sources, enough for the timeline to draw."""
    return Event(id=event_id, kind=kind, title=title, when=when, status=status, location=None,
                 participants=(), topics=(), sources=(), quotes=(),
                 is_context=context)


def span(first: str, last: str) -> DateValue:
    """A day-precision span ("a four-day visit")."""
    return DateValue(dt.date.fromisoformat(first), dt.date.fromisoformat(last), Precision.DAY,
                     Certainty.STATED, "stated")


def showcase_events() -> list[Event]:
    """Two years of invented diplomacy: every kind, planned and context events, a busy week."""
    events = [
        event("s1", "Duarte meets Rivera in Lisbon", day("2025-03-03")),
        event("s2", "Rivera visits Porto", day("2025-03-07"), EventKind.VISIT, Status.PLANNED),
        event("s3", "Fisheries agreement signed", year(2019), EventKind.AGREEMENT, context=True),
        event("s4", "Joint naval drill in the Atlantic", span("2025-05-12", "2025-05-16"),
              EventKind.EXERCISE),
        event("s5", "Harbour security conference", month(2024, 11), EventKind.CONFERENCE),
        event("s6", "Chile joins the coastal pact", day("2024-06-20"), EventKind.MEMBERSHIP),
        event("s7", "Trade envoys exchange letters", day("2024-09-02"), EventKind.OTHER),
        event("s8", "Kovac and Lindqvist hold talks", day("2024-02-14", Certainty.UNCERTAIN)),
        event("s9", "Delegation tours the shipyards", span("2024-04-08", "2024-04-11"),
              EventKind.VISIT),
        event("s10", "Arms embargo lifted", day("2023-10-18"), EventKind.OTHER, context=True),
        event("s11", "Summit on Baltic fisheries", month(2023, 6), EventKind.CONFERENCE),
        event("s12", "Ministers meet in Valparaiso", day("2025-01-22")),
        event("s13", "Undated courtesy call", None),
    ]
    busy = [f"Bilateral talks round {n}" for n in range(1, 15)]
    events += [event(f"b{n}", title, day("2024-12-09"), EventKind.MEETING)
               for n, title in enumerate(busy)]
    return events
