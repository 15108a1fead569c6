"""The event list: a search box, a row of filters and the table of events."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QDate, QEvent, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viewer.core.filters import EventFilter, name_sort_key
from viewer.core.model import Event, EventKind
from viewer.ui.event_model import Column
from viewer.ui.filter_proxy import EventFilterProxy

SEARCH_DELAY_MS = 150
COMBO_MIN_CHARS = 8  # a combo may shrink to this many characters; its popup shows all
POPUP_MAX_WIDTH = 900


def event_date_bounds(events: Sequence[Event]) -> tuple[dt.date | None, dt.date | None]:
    """The first and last day any dated event covers, or (None, None) without dated events."""
    dated = [e.when for e in events if e is not None and e.when is not None]
    if not dated:
        return None, None
    return min(w.start for w in dated), max(w.end for w in dated)


TITLE_MIN_CHARS = 24  # the title column keeps room for about this many characters


def fitted_widths(columns: Mapping[int, tuple[int, int]], available: int) -> dict[int, int]:
    """Widths for columns given as (wanted, least) that fit ``available`` pixels if they can.

    Every column gets its wanted width when all fit; otherwise each gives up the same
    share of what it could spare, and none goes below its least width.
    """
    wanted = sum(w for w, _ in columns.values())
    if wanted <= available:
        return {c: w for c, (w, _) in columns.items()}
    spare = sum(w - least for w, least in columns.values())
    if spare <= 0:
        return {c: least for c, (_, least) in columns.items()}
    keep = max(0.0, 1 - (wanted - available) / spare)
    return {c: least + round((w - least) * keep) for c, (w, least) in columns.items()}


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class DateField(QDateEdit):
    """A date box where Tab leaves for the next control instead of stepping through day,
    month and year (Left and Right still move between them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("d MMM yyyy")
        # Filter once a typed date is complete (Enter, leaving the box), not on every digit.
        self.setKeyboardTracking(False)
        self._just_advanced = False

    def keyPressEvent(self, event: Any) -> None:
        """Type a date naturally: "5 mar 2025" as well as "05mar2025"."""
        text = event.text()
        if text and not text.isalnum() and self._just_advanced:
            # Qt already moved on after a full day or month; the typed separator would
            # skip a second section ("5 mar 2025" would land "mar" in the year).
            self._just_advanced = False
            event.accept()
            return
        before = self.currentSectionIndex()
        super().keyPressEvent(event)
        self._just_advanced = text.isalnum() and self.currentSectionIndex() != before

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Move focus to the next or previous control, as Tab does everywhere else."""
        return QWidget.focusNextPrevChild(self, forward)


class EventListPanel(QWidget):
    """Search, filter and list events; the table reads the shared proxy and selection model."""

    activated = Signal(QModelIndex)  # a proxy index, on Enter or double-click

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy: EventFilterProxy | None = None
        self._source_model: Any = None
        self._column_widths: dict[int, tuple[int, int]] = {}
        self._title_width = 0
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)

        self._search = QLineEdit(self)
        self._search.setPlaceholderText("Search events  (Ctrl+F)")
        self._search.setClearButtonEnabled(True)
        self._search.setAccessibleName("Search events")
        self._search.setToolTip("Words to find in titles, people, places, topics and kinds")
        self._search.textChanged.connect(lambda _text: self._search_timer.start())
        self._search.returnPressed.connect(self._apply_search_now)

        self._kind = QComboBox(self)
        self._kind.setAccessibleName("Event kind")
        self._kind.addItem("All kinds", None)
        for kind in EventKind:
            self._kind.addItem(kind.value.capitalize(), kind.value)
        self._participant = QComboBox(self)
        self._participant.setAccessibleName("Participant")
        self._source = QComboBox(self)
        self._source.setAccessibleName("Source")
        for combo in (self._kind, self._participant, self._source):
            # Combos share the row and shrink with it; the popup and tooltip show full text.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(COMBO_MIN_CHARS)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            combo.currentIndexChanged.connect(
                lambda _index, c=combo: c.setToolTip(c.currentText()))
        self.set_choices((), ())
        self._fit_popup(self._kind)
        self._kind.setToolTip(self._kind.currentText())

        self._from_check, self._from = self._date_filter(
            "From", "From date", "Show only events on or after this day")
        self._to_check, self._to = self._date_filter(
            "To", "To date", "Show only events on or before this day")
        self._bounds: tuple[dt.date | None, dt.date | None] = (None, None)
        self.set_date_bounds(None, None)
        self._context = QCheckBox("Show context events", self)
        self._context.setAccessibleName("Show context events")
        self._context.setToolTip("Background happenings, not meetings or visits of named people")
        self._context.setChecked(True)
        self._clear = QPushButton("C&lear filters", self)
        self._clear.setAccessibleName("Clear filters")
        self._clear.setToolTip("Show every event again: empty the search and reset all filters")
        self._clear.clicked.connect(self.clear_filters)

        for combo in (self._kind, self._participant, self._source):
            combo.currentIndexChanged.connect(self._apply_filters)
        for check, edit in ((self._from_check, self._from), (self._to_check, self._to)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self._apply_filters)
            edit.dateChanged.connect(self._apply_filters)
        self._context.toggled.connect(self._apply_filters)

        self._table = QTableView(self)
        self._table.setAccessibleName("Events")
        self._table.setSortingEnabled(True)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setAlternatingRowColors(True)
        self._table.setWordWrap(False)
        self._table.setTabKeyNavigation(False)
        self._table.verticalHeader().hide()
        # Fixed row heights: the view never measures 100,000 rows.
        self._table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._table.activated.connect(self.activated)

        top = QHBoxLayout()
        top.setSpacing(6)
        top.addWidget(self._search, 1)
        top.addWidget(self._clear)

        # Two rows, so the panel stays narrow enough for a small window.
        filters = QGridLayout()
        filters.setHorizontalSpacing(6)
        filters.setVerticalSpacing(4)
        choices = QHBoxLayout()
        choices.setSpacing(6)
        choices.addWidget(self._kind, 2)
        choices.addWidget(self._participant, 3)
        choices.addWidget(self._source, 3)
        filters.addLayout(choices, 0, 0)
        dates = QHBoxLayout()
        dates.setSpacing(6)
        for widget in (self._from_check, self._from, self._to_check, self._to):
            dates.addWidget(widget)
        dates.addSpacing(6)
        dates.addWidget(self._context)
        dates.addStretch(1)
        filters.addLayout(dates, 1, 0)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self._table, 1)
        chain = (self._search, self._clear, self._kind, self._participant, self._source,
                 self._from_check, self._from, self._to_check, self._to, self._context,
                 self._table)
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _date_filter(self, text: str, name: str, tip: str) -> tuple[QCheckBox, DateField]:
        check = QCheckBox(text, self)
        check.setAccessibleName(f"Filter by {name.lower()}")
        check.setToolTip(tip)
        edit = DateField(self)
        edit.setAccessibleName(name)
        edit.setToolTip(tip)
        edit.setEnabled(False)
        return check, edit

    # --- public API -----------------------------------------------------------------------

    @property
    def table(self) -> QTableView:
        """The table view of events."""
        return self._table

    @property
    def search_field(self) -> QLineEdit:
        """The search box."""
        return self._search

    def set_models(self, proxy: EventFilterProxy, selection_model: QItemSelectionModel) -> None:
        """Show ``proxy`` and share ``selection_model`` (whose model must be ``proxy``)."""
        if self._proxy is not None:
            self._proxy.filterStateChanged.disconnect(self._show_filter_state)
            self._proxy.sourceModelChanged.disconnect(self._watch_source)
        self._proxy = proxy
        self._table.setModel(proxy)
        self._table.setSelectionModel(selection_model)
        proxy.filterStateChanged.connect(self._show_filter_state)
        proxy.sourceModelChanged.connect(self._watch_source)
        self._watch_source()
        self._size_columns()
        self._table.sortByColumn(Column.Date, Qt.SortOrder.AscendingOrder)
        self._show_filter_state(proxy.filter_state())

    def set_choices(self, participants: Sequence[str], sources: Sequence[tuple[str, str]]) -> None:
        """Fill the participant combo with names and the source combo with (document id, label)."""
        current_person = self._participant.currentData()
        current_source = self._source.currentData()
        for combo in (self._participant, self._source):
            combo.blockSignals(True)
            combo.clear()
        self._participant.addItem("All participants", None)
        for name in sorted(participants, key=name_sort_key):
            self._participant.addItem(name, name)
        self._source.addItem("All sources", None)
        for document_id, label in sources:
            self._source.addItem(label, document_id)
        for combo in (self._participant, self._source):
            for row in range(combo.count()):
                combo.setItemData(row, combo.itemText(row), Qt.ItemDataRole.ToolTipRole)
        self._select_data(self._participant, current_person)
        self._select_data(self._source, current_source)
        for combo in (self._participant, self._source):
            combo.setToolTip(combo.currentText())
            self._fit_popup(combo)
            combo.blockSignals(False)

    def set_date_bounds(self, first: dt.date | None, last: dt.date | None) -> None:
        """Start the From and To boxes (and their calendars) on the corpus's first and last day.

        Called on its own whenever the table's events are replaced; None means today.
        A box whose filter is on keeps the date the person chose.
        """
        today = dt.date.today()
        self._bounds = (first, last)
        for check, edit, day in ((self._from_check, self._from, first or last or today),
                                 (self._to_check, self._to, last or first or today)):
            if not check.isChecked():
                edit.blockSignals(True)
                edit.setDate(_qdate(day))
                edit.blockSignals(False)

    def date_bounds(self) -> tuple[dt.date | None, dt.date | None]:
        """The first and last day the date boxes start on (None: not known)."""
        return self._bounds

    def clear_filters(self) -> None:
        """Empty the search box and reset every filter to show all events."""
        self._search_timer.stop()
        self._search.blockSignals(True)
        self._search.clear()
        self._search.blockSignals(False)
        if self._proxy is not None:
            self._proxy.apply_filter_state(EventFilter())
        self._show_filter_state(EventFilter())

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected for retyping."""
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    # --- filters --------------------------------------------------------------------------

    def keyPressEvent(self, event: Any) -> None:
        """Escape in the search box clears it; Ctrl+F anywhere in the panel focuses it."""
        if event.matches(QKeySequence.StandardKey.Find):
            self.focus_search()
            return
        if event.key() == Qt.Key.Key_Escape and self._search.hasFocus() and self._search.text():
            self._search.clear()
            self._apply_search_now()
            return
        super().keyPressEvent(event)

    def _watch_source(self) -> None:
        """Follow the source model so the date boxes start on the corpus's own dates."""
        source = self._proxy.sourceModel() if self._proxy is not None else None
        if source is None or source is self._source_model:
            return
        self._source_model = source
        source.modelReset.connect(self._bounds_from_model)
        source.rowsInserted.connect(self._bounds_with_rows)
        self._bounds_from_model()

    def _bounds_from_model(self) -> None:
        events = getattr(self._source_model, "events", None)
        if events is not None:
            self.set_date_bounds(*event_date_bounds(events))

    def _bounds_with_rows(self, _parent: QModelIndex, first: int, last: int) -> None:
        # Rows streamed in a batch at a time widen the bounds; rescanning every row on each
        # batch would make a large load quadratic.
        events = getattr(self._source_model, "events", None)
        if events is None:
            return
        low, high = event_date_bounds(events[first:last + 1])
        if low is None or high is None:
            return
        old_low, old_high = self._bounds
        self.set_date_bounds(low if old_low is None else min(low, old_low),
                             high if old_high is None else max(high, old_high))

    def _fit_popup(self, combo: QComboBox) -> None:
        # The closed combo may be narrow; its list opens wide enough for the longest entry.
        metrics = combo.view().fontMetrics()
        widest = max((metrics.horizontalAdvance(combo.itemText(i)) for i in range(combo.count())),
                     default=0)
        combo.view().setMinimumWidth(min(POPUP_MAX_WIDTH, widest + 40))
        combo.view().setTextElideMode(Qt.TextElideMode.ElideRight)

    def _apply_search(self) -> None:
        if self._proxy is not None:
            self._proxy.set_search_text(self._search.text())

    def _apply_search_now(self) -> None:
        self._search_timer.stop()
        self._apply_search()

    def _apply_filters(self) -> None:
        if self._proxy is None:
            return
        kind = self._kind.currentData()
        self._proxy.apply_filter_state(
            EventFilter(
                search=self._proxy.filter_state().search,
                kinds=None if kind is None else frozenset({EventKind(kind)}),
                participant=self._participant.currentData(),
                source=self._source.currentData(),
                date_from=self._from.date().toPython() if self._from_check.isChecked() else None,
                date_to=self._to.date().toPython() if self._to_check.isChecked() else None,
                show_context=self._context.isChecked(),
            )
        )

    def _show_filter_state(self, state: EventFilter) -> None:
        """Make the controls show ``state`` (set elsewhere, e.g. a restored session)."""
        controls = (self._search, self._kind, self._participant, self._source,
                    self._from_check, self._from, self._to_check, self._to, self._context)
        for control in controls:
            control.blockSignals(True)
        if self._search.text() != state.search and not self._search_timer.isActive():
            self._search.setText(state.search)
        kinds = state.kinds
        single = next(iter(kinds)).value if kinds is not None and len(kinds) == 1 else None
        self._select_data(self._kind, single)
        self._select_data(self._participant, state.participant)
        self._select_data(self._source, state.source)
        first, last = self._bounds
        today = dt.date.today()
        for check, edit, chosen, default in (
                (self._from_check, self._from, state.date_from, first or last or today),
                (self._to_check, self._to, state.date_to, last or first or today)):
            check.setChecked(chosen is not None)
            edit.setEnabled(chosen is not None)  # toggled is blocked here
            # Setting an equal date would still reset the box under a person typing in it.
            if edit.date().toPython() != (chosen or default):
                edit.setDate(_qdate(chosen or default))
        self._context.setChecked(state.show_context)
        for control in controls:
            control.blockSignals(False)
        for combo in (self._kind, self._participant, self._source):
            combo.setToolTip(combo.currentText())

    @staticmethod
    def _select_data(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value) if value is not None else 0
        combo.setCurrentIndex(max(index, 0))

    def _size_columns(self) -> None:
        header = self._table.horizontalHeader()
        metrics = self._table.fontMetrics()
        # (the width wanted, the least width still readable) of every column but the title
        self._column_widths = {
            Column.Date: (metrics.horizontalAdvance("28 Sep \u2013 12 Oct 2021") + 16,
                          metrics.horizontalAdvance("12\u201315 Oct 2021") + 16),
            Column.Kind: (metrics.horizontalAdvance("Conference (planned)") + 16,
                          metrics.horizontalAdvance("Conference") + 16),
            Column.Place: (metrics.horizontalAdvance("Washington, D.C.") + 16,
                           metrics.horizontalAdvance("Washington") + 16),
            Column.Sources: (metrics.horizontalAdvance("Sources") + 24,) * 2,
        }
        self._title_width = metrics.horizontalAdvance("x") * TITLE_MIN_CHARS
        header.setStretchLastSection(False)
        for column in self._column_widths:
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.Title, QHeaderView.ResizeMode.Stretch)
        self._table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
        self._table.installEventFilter(self)
        self._fit_columns()

    def _fit_columns(self) -> None:
        header = self._table.horizontalHeader()
        available = self._table.viewport().width() - self._title_width
        for column, width in fitted_widths(self._column_widths, available).items():
            header.resizeSection(column, width)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        """Refit the columns when the table is resized, so the title column stays readable."""
        if watched is self._table and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)
