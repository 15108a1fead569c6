"""The proxy that filters the event table for the list and the timeline alike."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from viewer.core.filters import EventFilter, haystack, judge_all
from viewer.core.model import Event, EventKind
from viewer.ui.event_model import EventTableModel
from viewer.ui.roles import EventRole

ModelIndex = QModelIndex | QPersistentModelIndex


def narrows(before: EventFilter, after: EventFilter) -> bool:
    """True when ``after`` only adds search text to ``before``, so it can only hide more."""
    return (
        dataclasses.replace(before, search="") == dataclasses.replace(after, search="")
        and after.search.casefold().startswith(before.search.casefold())
        and len(after.search.split()) >= len(before.search.split())
    )


WARM_UP_SLICE = 10_000  # haystacks built per idle moment (about 15 ms)


class EventFilterProxy(QAbstractProxyModel):
    """Filters a flat table of events by an EventFilter; sorting is handed to the source.

    The shown rows are worked out for all rows at once when the filter changes
    (``judge_all``, then one C-level pass to list the source rows that pass) and kept as
    an ascending list of source rows. A QSortFilterProxyModel would instead call back into
    Python once per row on every keystroke, which over 100,000 rows cost more than the
    judging itself. A filter change is one layoutChanged, with persistent indexes (the
    shared selection, the list's current row) moved to their new rows or dropped.

    Each row's search haystack is built once (while the app is idle, or at the first
    search) and kept in row order, moved along when the source model sorts itself.
    """

    filterStateChanged = Signal(object)  # EventFilter

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = EventFilter()
        self._filtering = False  # whether the filter can reject anything
        self._verdicts: list[bool] | None = None  # per source row; None while not filtering
        self._rows: list[int] = []  # the source rows shown, ascending: proxy row -> source row
        self._texts: list[str] = []  # search haystacks of the first source rows, in order
        self._table: EventTableModel | None = None
        self._links: list[tuple[Any, Callable[..., Any]]] = []  # source signals followed
        self._held: list[tuple[QPersistentModelIndex, int]] = []  # across a source relayout
        self._resetting = False
        self._warm_timer = QTimer(self, interval=0)
        self._warm_timer.timeout.connect(self._warm_up)

    # --- the source model -----------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel | None) -> None:
        """Use ``model`` (normally an EventTableModel) as the source of rows."""
        self.beginResetModel()
        for signal, slot in self._links:
            signal.disconnect(slot)
        self._links = []
        super().setSourceModel(model)
        self._table = model if isinstance(model, EventTableModel) else None
        if model is not None:
            self._links = [
                (model.modelAboutToBeReset, self._begin_reset),
                (model.modelReset, self._end_reset),
                (model.layoutAboutToBeChanged, self._before_source_relayout),
                (model.layoutChanged, self._after_source_relayout),
                (model.rowsAboutToBeInserted, self._before_rows_inserted),
                (model.rowsInserted, self._after_rows_inserted),
                (model.rowsAboutToBeRemoved, self._begin_reset),
                (model.rowsRemoved, self._end_reset),
                (model.rowsAboutToBeMoved, self._begin_reset),
                (model.rowsMoved, self._end_reset),
                (model.columnsAboutToBeInserted, self._begin_reset),
                (model.columnsInserted, self._end_reset),
                (model.columnsAboutToBeRemoved, self._begin_reset),
                (model.columnsRemoved, self._end_reset),
                (model.columnsAboutToBeMoved, self._begin_reset),
                (model.columnsMoved, self._end_reset),
                (model.dataChanged, self._on_data_changed),
                (model.headerDataChanged, self._on_header_changed),
            ]
            for signal, slot in self._links:
                signal.connect(slot)
        self._forget_everything()
        self._rows = self._shown_rows()
        self.endResetModel()
        if self._table is not None:
            self._warm_timer.start()

    def _begin_reset(self, *_: Any) -> None:
        if not self._resetting:
            self._resetting = True
            self.beginResetModel()

    def _end_reset(self, *_: Any) -> None:
        self._forget_everything()
        self._rows = self._shown_rows()
        if self._resetting:
            self._resetting = False
            self.endResetModel()
        if self._table is not None:
            self._warm_timer.start()

    def _before_rows_inserted(self, parent: ModelIndex, first: int, _last: int) -> None:
        source = self.sourceModel()
        if parent.isValid() or source is None or first != source.rowCount():
            self._begin_reset()  # only appending is followed row by row

    def _after_rows_inserted(self, parent: ModelIndex, first: int, last: int) -> None:
        if self._resetting or parent.isValid():
            self._end_reset()
            return
        new = range(first, last + 1)
        if self._filtering and self._verdicts is not None:
            events = self._events()
            self._verdicts.extend(self._judge(events, first=len(self._verdicts)))
            new = list(itertools.compress(new, self._verdicts[first:]))
        if new:
            at = len(self._rows)
            self.beginInsertRows(QModelIndex(), at, at + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()

    def _before_source_relayout(self, *_: Any) -> None:
        # A sort: hold each persistent index by its source row (a source persistent index,
        # which the source moves along) so it can be found again afterwards.
        self.layoutAboutToBeChanged.emit()
        source = self.sourceModel()
        self._held = [(QPersistentModelIndex(self.mapToSource(p)), p.column())
                      for p in self.persistentIndexList()] if source is not None else []

    def _after_source_relayout(self, *_: Any) -> None:
        self._follow_reorder()
        self._rows = self._shown_rows()
        held, self._held = self._held, []
        persistent = self.persistentIndexList()
        if len(held) == len(persistent):
            moved = [self._proxy_index(h.row(), column) if h.isValid() else QModelIndex()
                     for h, column in held]
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _on_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex,
                         roles: Sequence[int] = ()) -> None:
        if top_left.row() < len(self._texts):
            self._texts = []  # an edited row's haystack may be stale
        rows = self._rows
        lo = bisect_left(rows, top_left.row())
        hi = bisect_left(rows, bottom_right.row() + 1, lo)
        if lo < hi:
            self.dataChanged.emit(self.index(lo, top_left.column()),
                                  self.index(hi - 1, bottom_right.column()), roles)

    def _on_header_changed(self, orientation: Qt.Orientation, first: int, last: int) -> None:
        if orientation is Qt.Orientation.Horizontal:
            self.headerDataChanged.emit(orientation, first, last)
        elif self._rows:
            self.headerDataChanged.emit(orientation, 0, len(self._rows) - 1)

    def _warm_up(self) -> None:
        # Build search haystacks a slice at a time while the app is idle, so the first
        # keystroke in the search box does not pay for all of them.
        if self._table is None:
            self._warm_timer.stop()
            return
        events = self._table.events
        if len(self._texts_for(events, limit=WARM_UP_SLICE)) >= len(events):
            self._warm_timer.stop()

    def _forget_everything(self) -> None:
        self._verdicts = None
        self._texts = []

    def _follow_reorder(self) -> None:
        # A sort only moves events: move each row's verdict and haystack with it.
        moved_from = self._table.last_reorder if self._table is not None else ()
        if len(moved_from) != self._source_count():
            self._forget_everything()
            return
        if self._verdicts is not None:
            self._verdicts = (list(map(self._verdicts.__getitem__, moved_from))
                              if len(self._verdicts) == len(moved_from) else None)
        if self._texts:
            self._texts = (list(map(self._texts.__getitem__, moved_from))
                           if len(self._texts) == len(moved_from) else [])

    def _source_count(self) -> int:
        source = self.sourceModel()
        return source.rowCount() if source is not None else 0

    # --- the Qt model interface -----------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """The index of a shown row (a flat table: no children)."""
        if parent.isValid() or not 0 <= row < len(self._rows):
            return QModelIndex()
        if not 0 <= column < self.columnCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: ModelIndex | None = None) -> Any:  # type: ignore[override]
        """No row has a parent; called bare, the QObject parent as usual."""
        if index is None:
            return super().parent()
        return QModelIndex()

    def sibling(self, row: int, column: int, index: ModelIndex) -> QModelIndex:
        """The index at ``row`` and ``column`` beside ``index``."""
        return self.index(row, column)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """How many rows pass the filter."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """The source's columns."""
        source = self.sourceModel()
        return 0 if parent.isValid() or source is None else source.columnCount()

    def hasChildren(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        """Only the root has children: the shown rows."""
        return not parent.isValid() and bool(self._rows) and self.columnCount() > 0

    def mapToSource(self, proxy_index: ModelIndex) -> QModelIndex:
        """The source index of a shown row's cell."""
        source = self.sourceModel()
        if source is None or not proxy_index.isValid() or proxy_index.model() is not self:
            return QModelIndex()
        row = proxy_index.row()
        if not 0 <= row < len(self._rows):
            return QModelIndex()
        return source.index(self._rows[row], proxy_index.column())

    def mapFromSource(self, source_index: ModelIndex) -> QModelIndex:
        """The proxy index of a source cell; invalid when its row is filtered out."""
        if not source_index.isValid() or source_index.model() is not self.sourceModel():
            return QModelIndex()
        return self._proxy_index(source_index.row(), source_index.column())

    def _proxy_index(self, source_row: int, column: int) -> QModelIndex:
        rows = self._rows
        i = bisect_left(rows, source_row)
        if i < len(rows) and rows[i] == source_row:
            return self.index(i, column)
        return QModelIndex()

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The source's data for a shown cell (mapped here, not through a virtual call)."""
        source = self.sourceModel()
        if source is None or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return source.data(source.index(self._rows[index.row()], index.column()), role)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """The source's flags for a shown cell."""
        source = self.sourceModel()
        if source is None:
            return Qt.ItemFlag.NoItemFlags
        return source.flags(self.mapToSource(index))

    # --- filtering ------------------------------------------------------------------------

    def _shown_rows(self) -> list[int]:
        """The source rows that pass the filter, ascending, judging rows not judged yet."""
        count = self._source_count()
        if not self._filtering:
            self._verdicts = None
            return list(range(count))
        verdicts = self._verdicts
        if verdicts is None or len(verdicts) > count:
            verdicts = self._judge(self._events())
        elif len(verdicts) < count:  # rows were appended: judge only the new ones
            verdicts = verdicts + self._judge(self._events(), first=len(verdicts))
        self._verdicts = verdicts
        return list(itertools.compress(range(count), verdicts))

    def _events(self) -> Sequence[Event]:
        if self._table is not None:
            return self._table.events
        source = self.sourceModel()
        if source is None:
            return []
        rows = range(source.rowCount())
        return [source.index(r, 0).data(EventRole.Event) for r in rows]

    def _judge(self, events: Sequence[Event], first: int = 0,
               candidates: list[bool] | None = None) -> list[bool]:
        """Verdicts for ``events[first:]``; rows False in ``candidates`` stay False."""
        if self._table is None:  # a foreign source model: no cache, and maybe no events
            present = [e for e in events[first:] if isinstance(e, Event)]
            verdicts = iter(judge_all(present, self._filter))
            return [isinstance(e, Event) and next(verdicts) for e in events[first:]]
        texts = self._texts_for(events) if self._filter.search.strip() else None
        if first:
            events = events[first:]
            texts = texts[first:] if texts is not None else None
        return judge_all(events, self._filter, texts, candidates)

    def _texts_for(self, events: Sequence[Event], limit: int | None = None) -> list[str]:
        """The haystacks of ``events`` (the source's rows) in row order, built as needed.

        With ``limit``, add at most that many and return what is ready so far.
        """
        texts = self._texts
        if len(texts) > len(events):
            texts = self._texts = []
        if len(texts) < len(events):
            stop = len(events) if limit is None else min(len(events), len(texts) + limit)
            texts.extend(map(haystack, events[len(texts):stop]))
        return texts

    def prepare_search(self) -> None:
        """Build every row's search haystack now (otherwise built a slice at a time when idle)."""
        if self._table is not None:
            self._texts_for(self._table.events)
            self._warm_timer.stop()

    def source_rows(self) -> list[int]:
        """The source rows this proxy shows, in proxy order (ascending); do not mutate."""
        return self._rows

    def shown_mask(self) -> Sequence[bool] | None:
        """Per source row, whether it is shown; None when the filter hides nothing."""
        return self._verdicts if self._filtering else None

    def filter_state(self) -> EventFilter:
        """The filter currently applied."""
        return self._filter

    def apply_filter_state(self, state: EventFilter) -> None:
        """Apply a whole filter at once (restoring a session, clearing all filters)."""
        if state == self._filter:
            return
        previous, verdicts = self._filter, self._verdicts
        self._filter = state
        self._filtering = not state.is_empty()
        self._verdicts = None
        count = self._source_count()
        if (self._filtering and self._table is not None and verdicts is not None
                and len(verdicts) == count and not previous.is_empty()
                and narrows(previous, state)):
            # Typing on in the search box: only events that passed before can pass now.
            self._verdicts = self._judge(self._table.events, candidates=verdicts)
        self._relayout(self._shown_rows())
        self.filterStateChanged.emit(state)

    def _relayout(self, rows: list[int]) -> None:
        """Show ``rows`` (source rows, ascending) instead, as one layout change."""
        if rows == self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        old = self._rows
        sources = [(old[p.row()] if 0 <= p.row() < len(old) else -1, p.column())
                   for p in persistent]
        self._rows = rows
        if persistent:
            self.changePersistentIndexList(
                persistent, [self._proxy_index(row, column) for row, column in sources])
        self.layoutChanged.emit()

    def _change(self, **changes: Any) -> None:
        self.apply_filter_state(dataclasses.replace(self._filter, **changes))

    def set_search_text(self, text: str) -> None:
        """Show events whose title, people, place, topics or kind contain every word."""
        self._change(search=text)

    def set_kinds(self, kinds: set[EventKind] | frozenset[EventKind] | None) -> None:
        """Show only these kinds of event (None: all kinds)."""
        self._change(kinds=None if kinds is None else frozenset(kinds))

    def set_participant(self, name: str | None) -> None:
        """Show only events this person (canonical name or entity id) takes part in."""
        self._change(participant=name or None)

    def set_source(self, document_id: str | None) -> None:
        """Show only events this document reports."""
        self._change(source=document_id or None)

    def set_date_range(self, first: dt.date | None, last: dt.date | None) -> None:
        """Show only dated events overlapping [first, last]; None leaves a side open."""
        self._change(date_from=first, date_to=last)

    def set_show_context(self, show: bool) -> None:
        """Show or hide background (context) events."""
        self._change(show_context=bool(show))

    # --- sorting --------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by asking the source model to reorder itself (see the class docstring)."""
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)

    def event_at(self, row: int) -> Event | None:
        """The event in proxy ``row``, or None."""
        index = self.index(row, 0)
        return index.data(EventRole.Event) if index.isValid() else None
