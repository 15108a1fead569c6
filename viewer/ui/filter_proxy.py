"""The proxy that filters the event table for the list and the timeline alike."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)

from viewer.core.filters import EventFilter, haystack, judge_all
from viewer.core.model import Event, EventKind
from viewer.ui.event_model import EventTableModel
from viewer.ui.roles import EventRole


def narrows(before: EventFilter, after: EventFilter) -> bool:
    """True when ``after`` only adds search text to ``before``, so it can only hide more."""
    return (
        dataclasses.replace(before, search="") == dataclasses.replace(after, search="")
        and after.search.casefold().startswith(before.search.casefold())
        and len(after.search.split()) >= len(before.search.split())
    )


WARM_UP_SLICE = 10_000  # haystacks built per idle moment (about 15 ms)


class EventFilterProxy(QSortFilterProxyModel):
    """Filters events by an EventFilter; sorting is handed to the source model.

    Qt asks filterAcceptsRow once per row; the answers are computed for all rows at once
    (``judge_all``) when the filter changes and only looked up there. Each row's search
    haystack is built once (while the app is idle, or at the first search) and kept in
    row order, moved along when the source model sorts itself. A filter change
    invalidates the whole mapping (one layoutChanged), which over 100,000 rows is far
    cheaper than the per-range row removals of an incremental filter change.
    """

    filterStateChanged = Signal(object)  # EventFilter

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = EventFilter()
        self._filtering = False  # whether the filter can reject anything
        self._verdicts: list[bool] | None = None  # per source row; None until needed
        self._texts: list[str] = []  # search haystacks of the first source rows, in order
        self._table: EventTableModel | None = None
        self._warm_timer = QTimer(self, interval=0)
        self._warm_timer.timeout.connect(self._warm_up)
        self.setSortRole(EventRole.SortKey)
        self.setDynamicSortFilter(False)

    def setSourceModel(self, model: Any) -> None:
        """Use ``model`` (an EventTableModel) as the source of rows."""
        if self._table is not None:
            self._disconnect_table(self._table)
        self._table = model if isinstance(model, EventTableModel) else None
        self._forget_everything()
        if self._table is not None:
            # Connected before the base class connects its own slots, so that these run
            # first: the per-row state is right before Qt asks filterAcceptsRow again.
            self._table.modelAboutToBeReset.connect(self._forget_everything)
            self._table.layoutChanged.connect(self._follow_reorder)
            self._table.rowsAboutToBeRemoved.connect(self._forget_everything)
            self._table.rowsAboutToBeMoved.connect(self._forget_everything)
            self._table.modelReset.connect(self._warm_timer.start)
            self._warm_timer.start()
        super().setSourceModel(model)

    def _disconnect_table(self, table: EventTableModel) -> None:
        table.modelAboutToBeReset.disconnect(self._forget_everything)
        table.layoutChanged.disconnect(self._follow_reorder)
        table.rowsAboutToBeRemoved.disconnect(self._forget_everything)
        table.rowsAboutToBeMoved.disconnect(self._forget_everything)
        table.modelReset.disconnect(self._warm_timer.start)

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
        assert self._table is not None
        moved_from = self._table.last_reorder
        if len(moved_from) != self._table.rowCount():
            self._forget_everything()
            return
        if self._verdicts is not None:
            self._verdicts = (list(map(self._verdicts.__getitem__, moved_from))
                              if len(self._verdicts) == len(moved_from) else None)
        if self._texts:
            self._texts = (list(map(self._texts.__getitem__, moved_from))
                           if len(self._texts) == len(moved_from) else [])

    # --- filtering ------------------------------------------------------------------------

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        """Whether the event in ``source_row`` passes the current filter."""
        # Qt calls this once per row: all rows are judged in one pass, here only looked up.
        # Its cost is mostly Qt calling into Python at all (about 0.5 us a row).
        try:
            return self._verdicts[source_row]
        except (IndexError, TypeError):  # not judged yet (None), or rows were appended
            return self._current_verdicts()[source_row]

    def _current_verdicts(self) -> list[bool]:
        """Verdicts for every source row, judging only rows not judged yet."""
        events = self._events()
        verdicts = self._verdicts
        if not self._filtering:
            verdicts = [True] * len(events)
        elif verdicts is None or len(verdicts) > len(events):
            verdicts = self._judge(events)
        elif len(verdicts) < len(events):  # rows were appended: judge only the new ones
            verdicts = verdicts + self._judge(events, first=len(verdicts))
        self._verdicts = verdicts
        return verdicts

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
            present = [e for e in events[first:] if e is not None]
            verdicts = iter(judge_all(present, self._filter))
            return [e is not None and next(verdicts) for e in events[first:]]
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
        """The source rows this proxy shows, in proxy order (cheap: no call per row)."""
        count = self.rowCount()
        if self._table is None:
            return [self.mapToSource(self.index(r, 0)).row() for r in range(count)]
        verdicts = self._current_verdicts()
        rows = list(itertools.compress(range(len(verdicts)), verdicts))
        if len(rows) != count:  # never expected; Qt's own mapping is the truth
            rows = [self.mapToSource(self.index(r, 0)).row() for r in range(count)]
        return rows

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
        if self._filtering and self._table is not None:
            events = self._table.events
            if (verdicts is not None and len(verdicts) == len(events)
                    and not previous.is_empty() and narrows(previous, state)):
                # Typing on in the search box: only events that passed before can pass now.
                self._verdicts = self._judge(events, candidates=verdicts)
            else:
                self._verdicts = self._judge(events)
        self.invalidate()
        self.filterStateChanged.emit(state)

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
