"""The proxy that filters the event table for the list and the timeline alike."""

from __future__ import annotations

import dataclasses
import datetime as dt
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


WARM_UP_SLICE = 2000  # haystacks built per idle moment


class EventFilterProxy(QSortFilterProxyModel):
    """Filters events by an EventFilter; sorting is handed to the source model.

    Qt asks filterAcceptsRow once per row; the answers are computed for all rows at once
    (``judge_all``) and only looked up there. Each event's search haystack is computed
    once and cached. A filter change invalidates the whole mapping (one layoutChanged),
    which over 100,000 rows is far cheaper than the per-range row removals of an
    incremental filter change; a sort keeps each row's verdict instead of re-judging.
    """

    filterStateChanged = Signal(object)  # EventFilter

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = EventFilter()
        self._filtering = False  # whether the filter can reject anything
        self._verdicts: list[bool] | None = None  # per source row; None until needed
        # (the row list they belong to, haystacks in row order)
        self._texts: tuple[Sequence[Event] | None, list[str]] = (None, [])
        # (events in their old order, their verdicts) across a source reorder
        self._reordered: tuple[Sequence[Event], list[bool]] | None = None
        self._haystacks: dict[str, str] = {}
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
            # The About-to signals fire before Qt asks filterAcceptsRow about moved rows.
            self._table.modelAboutToBeReset.connect(self._forget_everything)
            self._table.layoutAboutToBeChanged.connect(self._keep_verdicts_for_reorder)
            self._table.rowsAboutToBeRemoved.connect(self._forget_verdicts)
            self._table.rowsAboutToBeMoved.connect(self._forget_verdicts)
            self._table.modelReset.connect(self._warm_timer.start)
            self._warm_timer.start()
        super().setSourceModel(model)

    def _warm_up(self) -> None:
        # Build search haystacks a slice at a time while the app is idle, so the first
        # keystroke in the search box does not pay for all of them.
        if self._table is None:
            self._warm_timer.stop()
            return
        events = self._table.events
        if len(self._texts_for(events, limit=WARM_UP_SLICE)) >= len(events):
            self._warm_timer.stop()

    def _disconnect_table(self, table: EventTableModel) -> None:
        table.modelAboutToBeReset.disconnect(self._forget_everything)
        table.layoutAboutToBeChanged.disconnect(self._keep_verdicts_for_reorder)
        table.rowsAboutToBeRemoved.disconnect(self._forget_verdicts)
        table.rowsAboutToBeMoved.disconnect(self._forget_verdicts)
        table.modelReset.disconnect(self._warm_timer.start)

    def _forget_verdicts(self) -> None:
        self._verdicts = None
        self._reordered = None

    def _forget_everything(self) -> None:
        self._forget_verdicts()
        self._haystacks.clear()
        self._texts = (None, [])

    def _keep_verdicts_for_reorder(self) -> None:
        # A sort only moves events: carry each one's verdict to its new row, don't re-judge.
        if self._verdicts is not None and self._table is not None:
            self._reordered = (self._table.events, self._verdicts)
        self._verdicts = None

    # --- filtering ------------------------------------------------------------------------

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        """Whether the event in ``source_row`` passes the current filter."""
        # Qt calls this once per row: judge all rows in one Python loop, then only look up.
        if not self._filtering:
            return True
        verdicts = self._verdicts
        if verdicts is None or source_row >= len(verdicts):
            verdicts = self._verdicts = self._judge_rows(verdicts)
        return verdicts[source_row]

    def _events(self) -> Sequence[Event]:
        if self._table is not None:
            return self._table.events
        source = self.sourceModel()
        rows = range(source.rowCount())
        return [source.index(r, 0).data(EventRole.Event) for r in rows]

    def _judge_rows(self, judged: list[bool] | None = None) -> list[bool]:
        """Verdicts for every source row, reusing whatever is already known."""
        events = self._events()
        if judged is not None and len(judged) < len(events):
            # Rows were appended: judge only the new ones.
            return judged + self._judge(events[len(judged):])
        if self._reordered is not None:
            old_events, old_verdicts = self._reordered
            self._reordered = None
            moved_from = self._table.last_reorder if self._table is not None else []
            if len(old_events) == len(events) == len(moved_from) == len(old_verdicts):
                return list(map(old_verdicts.__getitem__, moved_from))
        return self._judge(events)

    def _judge(self, events: Sequence[Event], candidates: list[bool] | None = None) -> list[bool]:
        if any(e is None for e in events):  # only a foreign source model can lack an event
            present = [e for e in events if e is not None]
            verdicts = iter(judge_all(present, self._filter))
            return [e is not None and next(verdicts) for e in events]
        texts = self._texts_for(events) if self._filter.search.strip() else None
        return judge_all(events, self._filter, texts, candidates)

    def _texts_for(self, events: Sequence[Event], limit: int | None = None) -> list[str]:
        """The events' search haystacks in row order, kept until the rows change.

        With ``limit``, add at most that many and return what is ready so far.
        """
        cached_events, texts = self._texts
        if cached_events is not events or len(texts) > len(events):
            texts = []
        if len(texts) < len(events):
            hay = self._haystacks
            stop = len(events) if limit is None else min(len(events), len(texts) + limit)
            for event in events[len(texts):stop]:
                text = hay.get(event.id)
                if text is None:
                    text = hay[event.id] = haystack(event)
                texts.append(text)
            self._texts = (events, texts)
        return texts

    def _narrow(self, verdicts: list[bool]) -> list[bool]:
        """Re-judge only rows that passed before (the filter grew stricter)."""
        events = self._events()
        if len(verdicts) != len(events):
            return self._judge(events)
        return self._judge(events, verdicts)

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
        if verdicts is not None and self._filtering and narrows(previous, state):
            # Typing on in the search box: only events that passed before can pass now.
            self._verdicts = self._narrow(verdicts)
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
