"""The table model over the extracted events: one row per event, read through EventRole."""

from __future__ import annotations

import datetime as dt
import operator
from array import array
from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from viewer.core.model import Event, Status
from viewer.ui.roles import EventRole
from viewer.ui.text_format import describe_date, format_date, format_date_long

ModelIndex = QModelIndex | QPersistentModelIndex
_EVENT_ID = operator.attrgetter("id")


class Column(IntEnum):
    """The table's columns, in order."""

    Date = 0
    Title = 1
    Kind = 2
    Place = 3
    Sources = 4


HEADERS = {
    Column.Date: "Date",
    Column.Title: "Title",
    Column.Kind: "Kind",
    Column.Place: "Place",
    Column.Sources: "Sources",
}


def sort_key(event: Event) -> tuple[dt.date, str]:
    """The key events are ordered by in time: start date (undated last), then title."""
    start = event.when.start if event.when is not None else dt.date.max
    return (start, event.title.casefold())


def kind_label(event: Event) -> str:
    """The Kind column's text: "Meeting", or "Visit (planned)"."""
    label = event.kind.value.capitalize()
    return f"{label} (planned)" if event.status is Status.PLANNED else label


def tooltip(event: Event) -> str:
    """A plain-text summary shown when hovering a row."""
    lines = [event.title, describe_date(event.when)]
    if event.location:
        lines.append(f"Place: {event.location}")
    if event.participants:
        lines.append("With: " + ", ".join(p.name for p in event.participants))
    n = event.source_count
    lines.append(f"Reported by {n} source{'s' if n != 1 else ''}")
    if event.is_context:
        lines.append("Background event")
    return "\n".join(lines)


def column_keys(events: Sequence[Event], column: int) -> list[Any]:
    """Each event's sort key for a column; None for a missing value, which sorts last.

    Written as one comprehension per column (no call per event): this runs over every row.
    A date key is one string, the ISO start date then the folded title: it orders as the
    (date, title) pair would, and a string compares faster than a tuple.
    """
    if column == Column.Date:
        return [None if e.when is None else e.when.start.isoformat() + e.title.casefold()
                for e in events]
    if column == Column.Title:
        return [e.title.casefold() for e in events]
    if column == Column.Kind:
        return [(e.kind.value, e.status is Status.PLANNED) for e in events]
    if column == Column.Place:
        return [e.location.casefold() if e.location else None for e in events]
    return [e.source_count for e in events]


def sorted_order(keys: Sequence[Any], descending: bool) -> list[int]:
    """Row numbers in sorted order of ``keys``, stable, with None keys last either way."""
    present = [row for row, key in enumerate(keys) if key is not None]
    missing = [row for row, key in enumerate(keys) if key is None]
    present.sort(key=keys.__getitem__, reverse=descending)
    return present + missing


class EventTableModel(QAbstractTableModel):
    """Events as rows; display text is computed when a view asks for it, not when loaded.

    Sorting happens here rather than in the proxy: a proxy sort calls back into Python
    for every comparison, which is seconds for 100,000 rows; a key sort here is not.
    Nothing is kept per row beside the event itself (no cached strings, keys or id
    index): at 100,000 rows every per-row cache costs megabytes for little.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._events: list[Event] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._in_order = False  # whether rows are known to be in the _sort order
        # The old row of each new row after the last sort, so a proxy can carry its
        # per-row state across the reorder instead of recomputing it.
        self.last_reorder: array[int] = array("l")
        self._italic = QFont()
        self._italic.setItalic(True)

    # --- loading -------------------------------------------------------------------------

    def set_events(self, events: Sequence[Event]) -> None:
        """Replace every row with ``events``."""
        self.beginResetModel()
        self._events = list(events)
        self.last_reorder = array("l")
        if self._sort is not None:
            self._reorder(*self._sort)
        self.endResetModel()

    def append_events(self, batch: Sequence[Event]) -> None:
        """Add a batch of events (results streamed in as they are found)."""
        if not batch:
            return
        first = len(self._events)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._events.extend(batch)
        self._in_order = False
        self.endInsertRows()
        if self._sort is not None:
            self.sort(*self._sort)

    @property
    def events(self) -> Sequence[Event]:
        """Every event in row order, for bulk readers (read-only: do not mutate)."""
        return self._events

    def event_at(self, row: int) -> Event:
        """The event shown in ``row``."""
        return self._events[row]

    def row_of(self, event_id: str) -> int | None:
        """The row of the event with this id, or None."""
        # A scan (milliseconds at 100,000 rows, asked once per load or click) rather than
        # an index of every id kept alive for the model's lifetime.
        for row, found in enumerate(map(_EVENT_ID, self._events)):
            if found == event_id:
                return row
        return None

    # --- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of events (a table has no children)."""
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of columns."""
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation is Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[Column(section)]
            if role == Qt.ItemDataRole.TextAlignmentRole and section == Column.Sources:
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            return None
        return super().headerData(section, orientation, role)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Rows are selectable, never editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The event's data for a role; display strings are made here, on demand."""
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        event = self._events[index.row()]
        if role >= EventRole.Event:
            value = self._role_value(event, role)
        else:
            value = self._standard_role_value(event, index.column(), role)
        return value

    def _standard_role_value(self, event: Event, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(event, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(event)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == Column.Date:
                return format_date_long(event.when)
            if column == Column.Kind and event.status is Status.PLANNED:
                return f"{event.kind.value}, planned"
            return str(self._display(event, column))
        if role == Qt.ItemDataRole.FontRole and event.status is Status.PLANNED:
            return self._italic
        if role == Qt.ItemDataRole.ForegroundRole and event.is_context:
            # Background events recede; the palette keeps this legible in dark themes.
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.Sources:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def _display(self, event: Event, column: int) -> str | int:
        if column == Column.Date:
            return format_date(event.when)
        if column == Column.Title:
            return event.title
        if column == Column.Kind:
            return kind_label(event)
        if column == Column.Place:
            return event.location or ""
        return event.source_count

    def _role_value(self, event: Event, role: int) -> Any:
        when = event.when
        match role:
            case EventRole.Event:
                return event
            case EventRole.Start:
                return when.start if when else None
            case EventRole.End:
                return when.end if when else None
            case EventRole.Precision:
                return when.precision if when else None
            case EventRole.Kind:
                return event.kind
            case EventRole.Participants:
                return tuple(p.name for p in event.participants)
            case EventRole.SourceCount:
                return event.source_count
            case EventRole.Title:
                return event.title
            case EventRole.IsContext:
                return event.is_context
            case EventRole.Certainty:
                return when.certainty if when else None
            case EventRole.Location:
                return event.location
            case EventRole.Documents:
                return event.documents
            case EventRole.SortKey:
                return sort_key(event)
            case EventRole.Status:
                return event.status
            case EventRole.EventId:
                return event.id
        return None

    def roleNames(self) -> dict[int, bytes]:
        """Role names, so the roles read well in QML and in model testers."""
        names = dict(super().roleNames())
        for role in EventRole:
            names[int(role)] = role.name[0].lower().encode() + role.name[1:].encode()
        return names

    # --- sorting --------------------------------------------------------------------------

    @property
    def sort_state(self) -> tuple[int, Qt.SortOrder] | None:
        """The column and order rows are kept in, if any."""
        return self._sort

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by a column; missing values (undated, no place) stay last."""
        if not 0 <= column < len(Column):
            self._sort = None
            return
        # QTableView.sortByColumn asks twice for the same order; the second time is free.
        if self._sort == (column, order) and self._in_order:
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        rows = self._reorder(column, order)
        if persistent:
            new_row = dict(zip(rows, range(len(rows)), strict=True))
            moved = [self.index(new_row[i.row()], i.column()) for i in persistent]
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _reorder(self, column: int, order: Qt.SortOrder) -> list[int]:
        """Sort the rows in place; return the old row of each new row."""
        descending = order is Qt.SortOrder.DescendingOrder
        rows = sorted_order(column_keys(self._events, column), descending)
        self._events = list(map(self._events.__getitem__, rows))
        self._in_order = True
        self.last_reorder = array("l", rows)
        return rows
