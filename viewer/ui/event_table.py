"""The event list: a search box, a row of filters and the table of events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QDate, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from viewer.core.filters import EventFilter
from viewer.core.model import EventKind
from viewer.ui.event_model import Column
from viewer.ui.filter_proxy import EventFilterProxy

SEARCH_DELAY_MS = 150
# QDateEdit has no empty state: its minimum date stands for "any", shown as the special text.
_ANY_DATE = QDate(1000, 1, 1)


def _date_of(edit: QDateEdit) -> dt.date | None:
    value = edit.date()
    return None if value == edit.minimumDate() else value.toPython()


def _set_date(edit: QDateEdit, value: dt.date | None) -> None:
    edit.setDate(edit.minimumDate() if value is None else QDate(value))


class EventListPanel(QWidget):
    """Search, filter and list events; the table reads the shared proxy and selection model."""

    activated = Signal(QModelIndex)  # a proxy index, on Enter or double-click

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy: EventFilterProxy | None = None
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
        for combo in (self._participant, self._source):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.set_choices((), ())

        self._from = self._date_edit("From date", "Show events on or after this day")
        self._to = self._date_edit("To date", "Show events on or before this day")
        self._context = QCheckBox("Show context events", self)
        self._context.setAccessibleName("Show context events")
        self._context.setToolTip("Background happenings, not meetings or visits of named people")
        self._context.setChecked(True)

        for combo in (self._kind, self._participant, self._source):
            combo.currentIndexChanged.connect(self._apply_filters)
        for edit in (self._from, self._to):
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

        filters = QHBoxLayout()
        filters.setSpacing(6)
        for widget in (self._kind, self._participant, self._source):
            filters.addWidget(widget)
        filters.addWidget(self._label("from", self._from))
        filters.addWidget(self._from)
        filters.addWidget(self._label("to", self._to))
        filters.addWidget(self._to)
        filters.addWidget(self._context)
        filters.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self._search)
        layout.addLayout(filters)
        layout.addWidget(self._table, 1)

    def _date_edit(self, name: str, tip: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setAccessibleName(name)
        edit.setToolTip(tip + " (the earliest date means any)")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMinimumDate(_ANY_DATE)
        edit.setSpecialValueText("any")
        edit.setDate(_ANY_DATE)
        return edit

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

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
        self._proxy = proxy
        self._table.setModel(proxy)
        self._table.setSelectionModel(selection_model)
        proxy.filterStateChanged.connect(self._show_filter_state)
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
        for name in participants:
            self._participant.addItem(name, name)
        self._source.addItem("All sources", None)
        for document_id, label in sources:
            self._source.addItem(label, document_id)
            self._source.setItemData(self._source.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        self._select_data(self._participant, current_person)
        self._select_data(self._source, current_source)
        for combo in (self._participant, self._source):
            combo.blockSignals(False)

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
                date_from=_date_of(self._from),
                date_to=_date_of(self._to),
                show_context=self._context.isChecked(),
            )
        )

    def _show_filter_state(self, state: EventFilter) -> None:
        """Make the controls show ``state`` (set elsewhere, e.g. a restored session)."""
        controls = (self._search, self._kind, self._participant, self._source,
                    self._from, self._to, self._context)
        for control in controls:
            control.blockSignals(True)
        if self._search.text() != state.search and not self._search_timer.isActive():
            self._search.setText(state.search)
        kinds = state.kinds
        single = next(iter(kinds)).value if kinds is not None and len(kinds) == 1 else None
        self._select_data(self._kind, single)
        self._select_data(self._participant, state.participant)
        self._select_data(self._source, state.source)
        _set_date(self._from, state.date_from)
        _set_date(self._to, state.date_to)
        self._context.setChecked(state.show_context)
        for control in controls:
            control.blockSignals(False)

    @staticmethod
    def _select_data(combo: QComboBox, value: Any) -> None:
        index = combo.findData(value) if value is not None else 0
        combo.setCurrentIndex(max(index, 0))

    def _size_columns(self) -> None:
        header = self._table.horizontalHeader()
        metrics = self._table.fontMetrics()
        widths = {
            Column.Date: metrics.horizontalAdvance("28 Sep \u2013 12 Oct 2021") + 16,
            Column.Kind: metrics.horizontalAdvance("Conference (planned)") + 16,
            Column.Place: metrics.horizontalAdvance("Washington, D.C.") + 16,
            Column.Sources: metrics.horizontalAdvance("Sources") + 24,
        }
        header.setStretchLastSection(False)
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(Column.Title, QHeaderView.ResizeMode.Stretch)
        self._table.verticalHeader().setDefaultSectionSize(metrics.height() + 8)
