"""The custom data roles through which every view reads events from the model.

Read through QModelIndex.data(), the StrEnum roles (Kind, Precision, Certainty, Status)
arrive as plain str values (QVariant keeps no Python subclass); they still compare equal
to the members, and ``EventKind(value)`` gives the member back. Event, dates and tuples
arrive as they were.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt

_USER = Qt.ItemDataRole.UserRole.value


class EventRole(IntEnum):
    """Custom data roles of EventTableModel; every view reads events through these."""

    Event = _USER + 1  # the core Event object
    Start = _USER + 2  # datetime.date | None  (Event.when.start)
    End = _USER + 3  # datetime.date | None
    Precision = _USER + 4  # Precision | None
    Kind = _USER + 5  # EventKind
    Participants = _USER + 6  # tuple[str, ...] canonical names
    SourceCount = _USER + 7  # int
    Title = _USER + 8  # str
    IsContext = _USER + 9  # bool
    Certainty = _USER + 10  # Certainty | None
    Location = _USER + 11  # str | None
    Documents = _USER + 12  # tuple[str, ...] document ids
    SortKey = _USER + 13  # a sortable key: (start or date.max, title)
    Status = _USER + 14  # Status (happened / planned)
    EventId = _USER + 15  # str
