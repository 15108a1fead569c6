"""The zoomable timeline: paints what ``timeline_layout`` places, shares selection with the list.

Rows are read from the model once per change (reset, inserts, removals, layout or data
changes) into flat columns; painting never calls ``model.data()``. Over the event table
(or a filter proxy on it) the table's columns are sorted once per change of the table,
and a filter change only picks the shown rows out of them.
Lanes are packed once per zoom level (a few recent levels are cached); panning only
shifts the packed layout.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import compress, repeat
from operator import add, attrgetter, is_, mul, sub
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from viewer.core.memory import collection_paused
from viewer.core.model import Certainty, DateValue, Event, EventKind, Precision, Status
from viewer.ui.event_model import EventTableModel
from viewer.ui.filter_proxy import EventFilterProxy
from viewer.ui.kind_style import kind_color, kind_label, marker_path, marker_shape
from viewer.ui.roles import EventRole
from viewer.ui.text_format import describe_date, escape
from viewer.ui.theme import is_dark
from viewer.ui.timeline_layout import (
    EPOCH_ORDINAL,
    MIN_LABEL_ROOM,
    CharWidths,
    Cluster,
    Gather,
    LaneGeometry,
    PackOrder,
    PlacedItem,
    TimelineItem,
    TimelineLayout,
    TimeScale,
    clamp_days_per_pixel,
    date_of_day,
    day_of_date,
    fit_all_scale,
    hit_test,
    lanes_for_height,
    pack_gather,
    pack_lanes,
    pack_order,
    pack_order_of,
    pack_window,
    pass_index,
    range_label,
    restrict_pack_order,
    screen_point,
    spread_lanes,
    ticks,
)

ZOOM_STEP = 1.5
# More lanes than this do not read as rows any more but as a wall of labels: a taller
# view spreads these lanes apart, and what does not fit folds into the "+N" badges.
MAX_LANES = 24
DRAG_THRESHOLD = 4  # pixels a press may wander and still count as a click
SCROLL_LABEL_ROOM = 200.0  # pixels right of a selected event kept free for its label
_CACHED_LAYOUTS = 8  # zoom levels, or windows of one level
_RANK = {p: pass_index(p, False) for p in Precision}
_WHEN, _IS_CONTEXT = attrgetter("when"), attrgetter("is_context")
_START, _END, _PRECISION = attrgetter("start"), attrgetter("end"), attrgetter("precision")
_ORDINAL = dt.date.toordinal
_EMPTY_HINT = "No dated events to show"
_EDGE = 4.0  # the x a sticky label starts at
_LEGEND_SPACING = 14.0  # between one legend entry and the next
_MARKER_LEGEND = 11.0  # a legend marker's size
_EVENT_ROLE = int(EventRole.Event)  # a plain int: enum conversion per call costs at 100k rows
_R = QPalette.ColorRole
_REPAINT_ON = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
               QEvent.Type.StyleChange)


class _Pin(NamedTuple):
    """A selected event drawn over the badge row because it folded at this zoom."""

    row: int
    centre: QPointF
    label_box: QRectF | None
    badge_x: float  # where its own badge steps aside to


class _Header(NamedTuple):
    """What the row above the lanes holds: a title (exports) and the kind legend."""

    title: str
    legend: bool


class TimelineView(QWidget):
    """Dated events on a horizontal, zoomable time axis, one lane per overlap."""

    activated = Signal(QModelIndex)
    visibleRangeChanged = Signal(float, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model: QAbstractItemModel | None = None
        self._selection: QItemSelectionModel | None = None
        self._items: Mapping[int, TimelineItem] = {}  # by row, built on first use
        self._packing = pack_order(())  # _items in pack order, sorted once per change
        self._source: _SourceColumns | None = None  # every row of the table, see _pull
        self._by_date: tuple[list[int], dict[int, int]] | None = None  # see _date_order
        self._legend_cache: list[tuple[EventKind | None, str]] | None = None
        self._starts: list[float] = []  # item starts, sorted, to count events off each edge
        self._ends: list[float] = []  # item ends, sorted
        self._legend = True
        self._empty_hint = _EMPTY_HINT
        self._extent: tuple[float, float] | None = None
        self._last_row: int | None = None  # the event that ends last, whose label needs room
        self._widths: dict[str, float] = {}
        self._metrics: QFontMetricsF | None = None  # the font's, made once
        self._chars: CharWidths | None = None  # the font's, measured as met
        self._plain_font: QFont | None = None  # the font for labels, see _label_font
        self._bold: QFontMetricsF | None = None  # the bold font's, made once
        self._bold_face: QFont | None = None  # the bold font, made once
        self._bold_chars: CharWidths | None = None  # the bold font's, measured as met
        self._header_cache: tuple[tuple, QImage] | None = None  # see _draw_header
        self._inks: dict[tuple, _Ink] = {}
        self._layouts: OrderedDict[tuple, TimelineLayout] = OrderedDict()
        self._scale = TimeScale(0.0, 1.0)
        self._following_data = True  # refit as data arrives until the reader navigates
        self._requested_range: tuple[float, float] | None = None  # kept across resizes
        self._fit_width = -1  # the width the last fit-all was made for
        self._selected_row: int | None = None
        self._press: QPointF | None = None
        self._last_drag_x = 0.0
        self._dragging = False
        self._zooming = False  # the wheel is turning: draw stretched layouts, pack later
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(180)
        self._settle_timer.timeout.connect(self._settle)
        self._pull_timer = QTimer(self)
        self._pull_timer.setSingleShot(True)
        self._pull_timer.setInterval(0)
        self._pull_timer.timeout.connect(self._pull)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Timeline")
        self.setAccessibleDescription(
            "Events by date. Left and Right move between events, plus and minus zoom, "
            "Home shows everything, End selects the last event, Enter opens the source.")
        self.setMouseTracking(True)
        self.setMinimumSize(320, 160)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    # --- model and selection ----------------------------------------------------------------

    def setModel(self, model: QAbstractItemModel | None) -> None:
        """Show the rows of ``model`` (the shared filter proxy)."""
        if self._model is not None:
            for signal in self._model_signals(self._model):
                signal.disconnect(self._schedule_pull)
            self._model.modelReset.disconnect(self._on_reset)
            self._model.dataChanged.disconnect(self._forget_source)
        self._model = model
        self._source = None
        if model is not None:
            for signal in self._model_signals(model):
                signal.connect(self._schedule_pull)
            model.modelReset.connect(self._on_reset)
            model.dataChanged.connect(self._forget_source)
        self._following_data = True
        self._pull()

    def model(self) -> QAbstractItemModel | None:
        """The model whose rows are shown."""
        return self._model

    @staticmethod
    def _model_signals(model: QAbstractItemModel) -> list[Any]:
        return [model.modelReset, model.rowsInserted, model.rowsRemoved, model.rowsMoved,
                model.layoutChanged, model.dataChanged]

    def setSelectionModel(self, selection: QItemSelectionModel | None) -> None:
        """Share ``selection`` with the event list: a click here selects the row there."""
        if self._selection is not None:
            self._selection.currentChanged.disconnect(self._on_selection_changed)
            self._selection.selectionChanged.disconnect(self._on_selection_changed)
        self._selection = selection
        if selection is not None:
            selection.currentChanged.connect(self._on_selection_changed)
            selection.selectionChanged.connect(self._on_selection_changed)
        self._sync_selected_row(scroll=False)

    def selectionModel(self) -> QItemSelectionModel | None:
        """The shared selection model."""
        return self._selection

    def selected_row(self) -> int | None:
        """The model row the view emphasises as selected, if any."""
        self._flush()
        return self._selected_row

    def _on_reset(self) -> None:
        self._following_data = True

    def _schedule_pull(self, *_: Any) -> None:
        # Signals come in bursts (a streamed batch, a filter change); read the rows once after.
        self._pull_timer.start()

    def _flush(self) -> None:
        if self._pull_timer.isActive():
            self._pull_timer.stop()
            self._pull()
        if self._following_data and self._fit_width != self.width():
            self._fit(emit=True)
        if self._requested_range is not None:
            # A hidden widget gets its resize events only when shown; re-fit the range now.
            first, last = self._requested_range
            if abs(self._scale.day_of(self.width()) - last) > 1e-6:
                self.set_visible_range(first, last)

    def _pull(self) -> None:
        """Read every row once into flat columns; painting works from these alone."""
        model = self._model
        bulk = _bulk_rows(model) if model is not None else None
        if bulk is not None:
            events, shown, mask = bulk
            source = self._source_columns(events)
            if shown is None:
                self._items, self._packing = source.items, source.packing
            else:
                self._items, self._packing = _shown_columns(source, shown, mask)
        else:
            items: dict[int, TimelineItem] = {}
            if model is not None:
                for row in range(model.rowCount()):
                    item = self._read_row(model, row)
                    if item is not None:
                        items[row] = item
            self._items, self._packing = items, pack_order(items.values())
        packing = self._packing
        self._by_date = None
        self._legend_cache = None
        self._starts = sorted(packing.starts)
        self._ends = sorted(packing.ends)
        self._extent = (self._starts[0], self._ends[-1]) if packing.rows else None
        self._last_row = None
        if packing.rows:
            # The item that ends last, latest start first: only those ending last compete.
            self._last_row = _last_ending_row(packing, self._ends[-1])
        self._layouts.clear()
        if not self._following_data and self._items and self._shown_count() == 0:
            # A search or filter left nothing in a zoomed-in view: show where the rest are.
            self._following_data = True
        if self._following_data:
            self._fit(emit=True)
        self._sync_selected_row(scroll=False)
        self.update()

    def _source_columns(self, events: Sequence[Event]) -> _SourceColumns:
        """The table's columns, sorted once per change of the table: a filter change only
        picks the rows it shows out of them."""
        source = self._source
        if source is None or source.events is not events or source.count != len(events):
            source = self._source = _source_columns_of(events)
        return source

    def _forget_source(self, *_: Any) -> None:
        # Rows edited in place keep the table's list and its length: read them again.
        self._source = None

    def _date_order(self) -> tuple[list[int], dict[int, int]]:
        """Rows of dated items by date, and each row's place in that order (for Left/Right),
        sorted on the first key press rather than on every read."""
        if self._by_date is None:
            p = self._packing
            order = [row for _, _, row in sorted(zip(p.starts, p.ends, p.rows, strict=True))]
            self._by_date = (order, dict(zip(order, range(len(order)), strict=True)))
        return self._by_date

    def _read_row(self, model: QAbstractItemModel, row: int) -> TimelineItem | None:
        index = model.index(row, 0)
        event = model.data(index, _EVENT_ROLE)
        if isinstance(event, Event):
            return self._item(row, event.when, event.kind, event.title, event.is_context,
                              event.status is Status.PLANNED)
        return self._item_from_roles(model, index)

    def _item_from_roles(
        self, model: QAbstractItemModel, index: QModelIndex
    ) -> TimelineItem | None:
        start = model.data(index, EventRole.Start)
        end = model.data(index, EventRole.End) or start
        if start is None:
            return None
        precision = model.data(index, EventRole.Precision) or Precision.DAY
        certainty = model.data(index, EventRole.Certainty) or Certainty.STATED
        try:
            when = DateValue(start, max(start, end), Precision(precision), Certainty(certainty), "")
            kind = EventKind(model.data(index, EventRole.Kind) or EventKind.OTHER)
        except (TypeError, ValueError):
            return None
        title = str(model.data(index, EventRole.Title) or "")
        planned = model.data(index, EventRole.Status) == Status.PLANNED
        return self._item(index.row(), when, kind, title,
                          bool(model.data(index, EventRole.IsContext)), planned)

    def _item(self, row: int, when: DateValue | None, kind: EventKind, title: str,
              context: bool, planned: bool) -> TimelineItem | None:
        if when is None:
            return None  # undated events live in the list only
        return TimelineItem(
            row=row, start=day_of_date(when.start), end=day_of_date(when.end) + 1.0,
            precision=when.precision, kind=kind, title=title,
            certainty=when.certainty,
            planned=planned, context=context)

    def _label_width(self, title: str) -> float:
        width = self._widths.get(title)
        if width is None:
            width = self._widths[title] = self._char_widths().width(title)
        return width

    def _sync_selected_row(self, scroll: bool) -> None:
        row = None
        sel = self._selection
        if sel is not None and sel.model() is self._model and self._model is not None:
            current = sel.currentIndex()
            if current.isValid() and sel.isRowSelected(current.row(), current.parent()):
                row = current.row()
            else:
                rows = sel.selectedRows()
                row = rows[0].row() if rows else None
        if row != self._selected_row:
            self._selected_row = row
            self.update()
        if scroll and row is not None:
            self.scroll_to_row(row)

    def _on_selection_changed(self, *_: Any) -> None:
        self._flush()
        self._sync_selected_row(scroll=True)

    def _select_row(self, row: int) -> None:
        if self._model is None:
            return
        index = self._model.index(row, 0)
        if self._selection is not None and self._selection.model() is self._model:
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                     | QItemSelectionModel.SelectionFlag.Rows)
            self._selection.setCurrentIndex(index, flags)
        else:
            self._selected_row = row
            self.update()
        self.scroll_to_row(row)

    # --- the visible range ------------------------------------------------------------------

    def visible_range(self) -> tuple[float, float]:
        """The first and last day numbers visible (days since 1970-01-01)."""
        self._flush()
        return self._scale.day_of(0), self._scale.day_of(self.width())

    def set_visible_range(self, first_day: float, last_day: float) -> None:
        """Show exactly ``[first_day, last_day]`` across the width."""
        self._following_data = False
        width = max(1, self.width())
        dpp = clamp_days_per_pixel(max(last_day - first_day, 1e-6) / width)
        if dpp * width > last_day - first_day:  # closer than the zoom allows: keep the centre
            first_day = (first_day + last_day - dpp * width) / 2
            last_day = first_day + dpp * width
        self._set_scale(TimeScale(first_day, dpp))
        # A range restored before the window has its final size must survive the resizes.
        self._requested_range = (first_day, last_day)

    def outside_counts(self) -> tuple[int, int]:
        """How many dated events lie wholly before and wholly after the visible range."""
        self._flush()
        return self.outside_counts_unflushed()

    def _range_days(self) -> tuple[float, float]:
        if self._requested_range is not None:
            return self._requested_range
        return self._scale.day_of(0), self._scale.day_of(self.width())

    def _shown_count(self) -> int:
        before, after = self.outside_counts_unflushed()
        return len(self._starts) - before - after

    def outside_counts_unflushed(self) -> tuple[int, int]:
        """``outside_counts`` without reading pending model changes first (used while reading)."""
        first, last = self._range_days()
        return bisect_right(self._ends, first), len(self._starts) - bisect_left(self._starts, last)

    def is_fitted(self) -> bool:
        """True while the view fits every event (and refits as events change)."""
        return self._following_data

    def fit_all(self) -> None:
        """Zoom out to show every dated event."""
        self._flush()
        self._following_data = True
        self._fit(emit=True)

    def zoom_in(self) -> None:
        """Magnify around the selected event when it is on screen, else around the centre."""
        self._flush()
        self.zoom_by(ZOOM_STEP, self._zoom_anchor())

    def zoom_out(self) -> None:
        """Shrink around the selected event when it is on screen, else around the centre."""
        self._flush()
        self.zoom_by(1 / ZOOM_STEP, self._zoom_anchor())

    def _zoom_anchor(self) -> float | None:
        """The x of the selected event if it is visible: keyboard zoom keeps it in place."""
        item = self._items.get(self._selected_row) if self._selected_row is not None else None
        if item is None:
            return None
        width = self.width()
        left, right = max(self._scale.x_of(item.start), 0.0), min(self._scale.x_of(item.end), width)
        if right < 0 or left > width:
            return None
        return (left + right) / 2

    def select_last(self) -> None:
        """Select the event that comes last in time (End)."""
        self._flush()
        order, _ = self._date_order()
        if order:
            self._select_row(order[-1])

    def zoom_by(self, factor: float, around_x: float | None = None) -> None:
        """Zoom by ``factor`` (>1 magnifies) keeping the day at ``around_x`` where it is."""
        self._flush()
        self._following_data = False
        x = self.width() / 2 if around_x is None else around_x
        self._set_scale(self._scale.zoomed(factor, x))

    def scroll_to_row(self, row: int) -> None:
        """Bring an event into view, centred, if it is not visible now with room for its
        label (stepping through the list must not leave it at the edge as a bare "…")."""
        item = self._items.get(row)
        if item is None:
            return
        width = self.width()
        room = min(SCROLL_LABEL_ROOM, width / 4)
        if item.is_point:
            # A marker cut by the edge is not drawn, so it counts as off screen.
            x, half = self._scale.x_of((item.start + item.end) / 2), 8.0
            if half <= x <= width - room:
                return
        elif (item.end > self._scale.day_of(0)
              and self._scale.x_of(max(item.start, self._scale.day_of(0))) <= width - room):
            return
        self._following_data = False
        centre = (item.start + item.end) / 2
        dpp = self._scale.days_per_pixel
        self._set_scale(TimeScale(centre - self.width() / 2 * dpp, dpp))

    def _settle(self) -> None:
        self._zooming = False
        self.update()

    def _fit(self, emit: bool) -> None:
        self._fit_width = self.width()
        scale = self._fitted_scale(self.width())
        if scale is None:
            return
        if emit:
            self._set_scale(scale)
        else:
            self._scale = scale

    def _fitted_scale(self, width: int) -> TimeScale | None:
        if self._extent is None:
            return None
        first, last = self._extent
        width = max(1, width)
        # Labels hang to the right of their markers; leave room at the end for the last one.
        g = self._geometry(self.height(), 0.0)
        room = g.max_label_width * 0.6
        last_item = self._items.get(self._last_row) if self._last_row is not None else None
        if last_item is not None:
            title = min(self._label_width(last_item.title), g.max_label_width)
            room = max(room, g.marker_size / 2 + g.label_gap + title)
        room = min(room, width / 4)
        return fit_all_scale(first, last, width, room, margin=min(32.0, width / 8))

    def _set_scale(self, scale: TimeScale) -> None:
        self._scale = scale
        self._requested_range = None
        self.visibleRangeChanged.emit(scale.day_of(0), scale.day_of(self.width()))
        self.update()

    # --- geometry and layout ----------------------------------------------------------------

    def _geometry(self, height: float, header: float) -> LaneGeometry:
        fm = self._font_metrics()
        lane = max(22.0, math.ceil(fm.height() + 8))
        badge = max(18.0, math.ceil(fm.height() + 4))
        top = 8.0 + header
        reserved = top + badge + 4 + self._axis_height()
        return LaneGeometry(
            top=top, lane_height=lane,
            max_lanes=min(lanes_for_height(height, lane, reserved), MAX_LANES),
            marker_size=12.0, bar_height=12.0, label_gap=5.0, box_gap=10.0,
            max_label_width=max(160.0, fm.averageCharWidth() * 40),
            bucket_width=max(44.0, math.ceil(fm.horizontalAdvance("+99.9k") + 12)),
            badge_height=badge)

    def _bold_metrics(self) -> QFontMetricsF:
        # Major tick labels are bold; measuring every label bold keeps them all apart.
        if self._bold is None:
            self._bold = QFontMetricsF(self._bold_font())
        return self._bold

    def _bold_font(self) -> QFont:
        if self._bold_face is None:
            self._bold_face = QFont(self.font())
            self._bold_face.setBold(True)
        return self._bold_face

    def _bold_width(self, text: str) -> float:
        """A tick label's width, measured bold by character (``CharWidths``): a frame tries
        several tick steps, each measuring every label, and a text layout per label adds up."""
        if self._bold_chars is None:
            self._bold_chars = CharWidths(self._bold_metrics().horizontalAdvance)
        return self._bold_chars.width(text)

    def _axis_height(self) -> float:
        return math.ceil(self._font_metrics().height() * 2 + 14)

    def _header_height(self, header: _Header | None) -> float:
        """The height of the title-and-legend row above the lanes (0 when it holds nothing)."""
        if header is None or not (header.title or (header.legend and self._items)):
            return 0.0
        return math.ceil(self._font_metrics().height() + 6)

    def _screen_header(self) -> _Header:
        return _Header("", self._legend)

    def _layout(self, scale: TimeScale, height: float, stale_ok: bool = False,
                header: _Header | None = None, width: float | None = None,
                ) -> tuple[TimelineLayout, TimeScale, float]:
        """The layout for a zoom level, the scale to draw it at, and the stretch to apply.

        While the wheel is turning (``stale_ok``), a level not packed yet is drawn from the
        last packed one, stretched; the true packing follows once the wheel rests.
        """
        header = self._screen_header() if header is None else header
        geometry = self._geometry(height, self._header_height(header))
        key = (round(math.log(scale.days_per_pixel) * 1e5), geometry)
        width = self.width() if width is None else width
        offset = scale.world_offset()
        same_zoom = [(window, cached) for (k, window), cached in self._layouts.items()
                     if k == key]
        for window, cached in reversed(same_zoom):
            if window is None or (window[0] <= offset and offset + width <= window[1]):
                self._layouts.move_to_end((key, window))
                # A cached level may differ from this zoom in the last digits: draw at its own.
                return cached, TimeScale(scale.start_day, cached.days_per_pixel), 1.0
        if stale_ok:
            for ((_, cached_geometry), _), cached in reversed(self._layouts.items()):
                if cached_geometry == geometry:
                    return cached, scale, cached.days_per_pixel / scale.days_per_pixel
        dpp = scale.days_per_pixel
        extent = self._extent or (0.0, 0.0)
        window = pack_window(offset, width, extent[0] / dpp, extent[1] / dpp, margin=0.25)
        # Panning into a new window keeps what the last one placed: nothing on screen moves.
        keep = same_zoom[-1][1] if same_zoom else None
        layout = pack_lanes(self._packing, dpp, geometry, self._label_width, window, keep)
        layout = spread_lanes(layout, height - self._axis_height(),
                              min_lanes=keep.geometry.max_lanes if keep is not None else 1)
        self._layouts[(key, window)] = layout
        while len(self._layouts) > _CACHED_LAYOUTS:
            self._layouts.popitem(last=False)
        return layout, scale, 1.0

    def marker_center(self, row: int) -> QPointF | None:
        """Where the event in ``row`` is drawn on screen, or None when it is not drawn."""
        self._flush()
        if row not in self._items:
            return None
        layout, scale, _ = self._layout(self._scale, self.height())
        point = screen_point(layout, scale, row)
        if point is None and row == self._selected_row:
            point = self._pinned_point(layout, scale, row)
        if point is None or not (0 <= point[0] <= self.width()):
            return None
        return QPointF(*point)

    def _pinned_point(self, layout: TimelineLayout, scale: TimeScale,
                      row: int) -> tuple[float, float] | None:
        # A selected event folded into a badge is still drawn, pinned over the badge row.
        item = self._items.get(row)
        if item is None or row not in layout.folded:
            return None
        x = scale.x_of((item.start + item.end) / 2) if item.is_point else \
            max(scale.x_of(item.start), 0.0) + 6
        return x, layout.geometry.cluster_row_centre()

    # --- painting ---------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        """Room for a handful of lanes across a typical window."""
        return QSize(900, 260)

    def minimumSizeHint(self) -> QSize:
        """Enough for one lane, the badges and the axis."""
        return QSize(320, 160)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the current range onto the widget."""
        self._flush()
        with QPainter(self) as painter:
            self._paint(painter, self.width(), self.height(), self._scale, self.hasFocus(),
                        stale_ok=self._zooming, fitted=self._following_data)

    def render_image(self, width: int, height: int, title: str = "",
                     legend: bool | None = None) -> QImage:
        """The current range painted offscreen at ``width`` x ``height`` (no window needed),
        with ``title`` above the lanes and the kind legend (default: as shown on screen)."""
        self._flush()
        # Left unfilled: painting starts by filling it with the base colour (see _paint).
        image = QImage(max(1, width), max(1, height), QImage.Format.Format_ARGB32_Premultiplied)
        first, last = self._scale.day_of(0), self._scale.day_of(max(1, self.width()))
        fitted = self._fitted_scale(width) if self._following_data else None
        scale = fitted or TimeScale(first, (last - first) / max(1, width))
        header = _Header(title, self._legend if legend is None else legend)
        with QPainter(image) as painter:
            self._paint(painter, width, height, scale, focused=False, fitted=fitted is not None,
                        header=header)
        return image

    # --- the legend and the empty hint --------------------------------------------------------

    def set_legend_visible(self, visible: bool) -> None:
        """Show or hide the key of kind colours and shapes in the top-right corner."""
        if visible != self._legend:
            self._legend = visible
            self._layouts.clear()
            self.update()

    def legend_visible(self) -> bool:
        """True when the kind legend is drawn."""
        return self._legend

    def legend_entries(self) -> list[tuple[EventKind | None, str]]:
        """What the legend lists: the kinds shown (in their fixed order), then "Planned"."""
        self._flush()
        if self._legend_cache is None:
            items = self._items
            if isinstance(items, _RowItems):
                kinds, planned = items.kinds_and_planned()
            else:
                kinds = {item.kind for item in items.values()}
                planned = any(item.planned for item in items.values())
            entries: list[tuple[EventKind | None, str]] = [
                (kind, kind_label(kind)) for kind in EventKind if kind in kinds]
            if planned:
                entries.append((None, "Planned"))
            self._legend_cache = entries
        return list(self._legend_cache)

    def set_empty_hint(self, text: str) -> None:
        """The words painted when no dated event is shown ("" when a caller shows its own)."""
        self._empty_hint = text
        self.update()

    def _paint(self, painter: QPainter, width: int, height: int, scale: TimeScale,
               focused: bool, stale_ok: bool = False, fitted: bool = False,
               header: _Header | None = None) -> None:
        # The collector waits for the frame: with 100,000 events in memory a full
        # collection, set off by whatever a layout allocates, costs more than the frame.
        with collection_paused():
            self._paint_unpaused(painter, width, height, scale, focused, stale_ok, fitted,
                                 header)

    def _paint_unpaused(self, painter: QPainter, width: int, height: int, scale: TimeScale,
                        focused: bool, stale_ok: bool, fitted: bool,
                        header: _Header | None) -> None:
        palette = self.palette()
        header = self._screen_header() if header is None else header
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.setFont(self.font())
        # Source, not blended: this fill is the first paint of a new, uninitialised image.
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.fillRect(QRectF(0, 0, width, height), palette.color(_R.Base))
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceOver)
        if not self._items:
            painter.setPen(palette.color(_R.PlaceholderText))
            painter.drawText(QRectF(0, 0, width, height), Qt.AlignmentFlag.AlignCenter,
                             self._empty_hint)
        else:
            layout, scale, stretch = self._layout(scale, height, stale_ok, header, width)
            axis_y = height - self._axis_height()
            # Hour ticks say nothing about day-precise events until the reader zooms in.
            tick_list = ticks(scale, width, self._bold_width,
                              min_step_days=1.0 if fitted else 0.0)
            # The grid spans the whole plot, however few lanes sit in its middle.
            self._draw_grid(painter, tick_list, 8.0 + self._header_height(header), axis_y,
                            palette)
            offset = scale.world_offset()
            items, clusters = layout.visible(offset / stretch, (offset + width) / stretch)
            ink = self._ink(palette, painter.device().devicePixelRatioF(),
                            layout.geometry.marker_size)
            # Items are rectangles, sprites and text: none needs the (costly) antialiasing.
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            labels = self._draw_items(painter, items, layout, offset, stretch, width, ink)
            # Labels after every shape: one pen, and text is not interleaved with fills.
            painter.setPen(ink.text)
            painter.setFont(self._label_font())
            self._draw_labels(painter, items, labels, layout.geometry, ink)
            painter.setFont(self.font())
            painter.setOpacity(1.0)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            pin = self._pin(layout, scale, stretch, clusters, width)
            # Every badge's shape with one pen and brush, then every count with one pen.
            badges = [(cluster, pin.badge_x if pin is not None
                       and layout.folded.get(pin.row) is cluster
                       else cluster.x * stretch - offset) for cluster in clusters]
            self._draw_badges(painter, badges, layout.geometry, ink)
            if pin is not None:
                self._draw_pin(painter, pin, layout.geometry, palette)
            self._draw_axis(painter, tick_list, scale, width, axis_y, palette, fitted)
            self._draw_header(painter, header, width, palette)
        if focused:
            pen = QPen(palette.color(_R.Highlight), 2)
            painter.setPen(pen)
            painter.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            painter.drawRect(QRectF(1, 1, width - 2, height - 2))

    def _draw_grid(self, painter: QPainter, tick_list: list, top: float, bottom: float,
                   palette: QPalette) -> None:
        # The grid lies on the plain base: mixed to opaque colours, its fills skip blending,
        # which over 900 px tall lines costs more than all the markers.
        text, base = palette.color(_R.Text), palette.color(_R.Base)
        major, minor = _mixed(text, base, 0.16), _mixed(text, base, 0.07)
        y, h = math.floor(top), math.ceil(bottom - top)
        for tick in tick_list:
            painter.fillRect(QRect(math.floor(tick.x), y, 1, h), major if tick.major else minor)

    def _draw_header(self, painter: QPainter, header: _Header, width: int,
                     palette: QPalette) -> None:
        """The title and legend row, painted once into an image and reused while nothing in
        it changes: a legend of markers and aligned text costs more than a tenth of a frame."""
        h = self._header_height(header)
        if not h:
            return
        ratio = painter.device().devicePixelRatioF()
        key = (palette.cacheKey(), width, h, header, tuple(self.legend_entries()), ratio,
               self.font().key())
        if self._header_cache is None or self._header_cache[0] != key:
            image = QImage(max(1, round(width * ratio)), max(1, round((h + 4) * ratio)),
                           QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(ratio)
            image.fill(Qt.GlobalColor.transparent)
            with QPainter(image) as header_painter:
                header_painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                header_painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
                header_painter.setFont(self.font())
                self._paint_header(header_painter, header, width, h, palette)
            self._header_cache = (key, image)
        painter.drawImage(QPointF(0, 0), self._header_cache[1])

    def _paint_header(self, painter: QPainter, header: _Header, width: int, h: float,
                      palette: QPalette) -> None:
        """The title at the top left, the legend at the top right, the legend giving way."""
        fm = self._font_metrics()
        painter.fillRect(QRectF(0, 0, width, h + 4), palette.color(_R.Base))
        title_right = 8.0
        if header.title:
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(palette.color(_R.Text))
            text = QFontMetricsF(bold).elidedText(header.title, Qt.TextElideMode.ElideRight,
                                                  width * 0.6)
            painter.drawText(QRectF(8, 4, width * 0.6, h), Qt.AlignmentFlag.AlignLeft
                             | Qt.AlignmentFlag.AlignVCenter, text)
            title_right = 8 + QFontMetricsF(bold).horizontalAdvance(text) + 16
            painter.setFont(self.font())
        if not header.legend:
            return
        x = width - 8.0
        y = 4 + h / 2
        for kind, label in reversed(self.legend_entries()):
            entry = _MARKER_LEGEND + 5 + fm.horizontalAdvance(label)
            if x - entry < title_right:
                break  # a narrow view keeps the legend entries that fit, whole
            x -= entry
            self._draw_legend_marker(painter, kind, QPointF(x + _MARKER_LEGEND / 2, y), palette)
            painter.setPen(palette.color(_R.Text))
            painter.drawText(QRectF(x + _MARKER_LEGEND + 5, 4, entry, h),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
            x -= _LEGEND_SPACING

    def _draw_legend_marker(self, painter: QPainter, kind: EventKind | None, centre: QPointF,
                            palette: QPalette) -> None:
        # "Planned" is drawn as every planned event is: a dashed outline with a wash of colour.
        item_kind = EventKind.OTHER if kind is None else kind
        item = TimelineItem(-1, 0.0, 1.0, Precision.DAY, item_kind, "", planned=kind is None)
        self._draw_marker(painter, item, centre, _MARKER_LEGEND,
                          kind_color(item_kind, palette), palette, False)

    def _draw_axis(self, painter: QPainter, tick_list: list, scale: TimeScale, width: int,
                   axis_y: float, palette: QPalette, fitted: bool = False) -> None:
        fm = self._font_metrics()
        painter.fillRect(QRectF(0, axis_y, width, self.height() + 1e4), palette.color(_R.Window))
        text = palette.color(_R.WindowText)
        painter.setPen(QPen(text, 1))
        painter.drawLine(QPointF(0, axis_y), QPointF(width, axis_y))
        for tick in tick_list:
            length = 7 if tick.major else 4
            painter.drawLine(QPointF(tick.x, axis_y), QPointF(tick.x, axis_y + length))
        # Plain labels, then bold ones: one font change each, not one per tick.
        baseline = axis_y + 5 + fm.ascent()
        for font, major in ((self.font(), False), (self._bold_font(), True)):
            painter.setFont(font)
            for tick in tick_list:
                if tick.major is major and tick.label:
                    painter.drawText(QPointF(tick.x + 3, baseline), tick.label)
        painter.setFont(self.font())
        muted = QColor(text)
        muted.setAlphaF(0.65)
        painter.setPen(muted)
        line = QRectF(6, axis_y + 6 + fm.height(), width - 12, fm.height() + 2)
        before, after = (0, 0) if fitted else self._outside(scale, width)
        if before:
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             f"\u25c2 {before} more earlier")
        later = f"   {after} more later \u25b8" if after else ""
        painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         range_label(scale, width) + later)

    def _outside(self, scale: TimeScale, width: int) -> tuple[int, int]:
        first, last = scale.day_of(0), scale.day_of(width)
        return bisect_right(self._ends, first), len(self._starts) - bisect_left(self._starts, last)

    def _draw_items(self, painter: QPainter, items: list[PlacedItem], layout: TimelineLayout,
                    offset: float, stretch: float, width: int, ink: _Ink,
                    ) -> list[tuple[float, float] | None]:
        """Draw each item's marker or bar; return where each label goes (drawn later)."""
        geometry = layout.geometry
        centres = [geometry.lane_centre(lane) for lane in range(len(layout.lanes))]
        half_marker = geometry.marker_size / 2
        selected_row = self._selected_row
        opacity = painter.opacity()
        draw_image, sprite_of, half = painter.drawImage, ink.sprite, ink.sprite_half
        label_box = self._label_box
        labels: list[tuple[float, float] | None] = []
        for placed in items:
            item = placed.item
            selected = item.row == selected_row
            y = centres[placed.lane]
            wanted = 0.55 if item.context and not selected else 1.0
            if opacity != wanted:
                opacity = wanted
                painter.setOpacity(wanted)
            if item.is_point:
                centre = placed.centre_x * stretch - offset
                x0, x1 = centre - half_marker, centre + half_marker
                # A marker cut by the view's edge would read as another shape: leave it out.
                if x0 >= 0 and x1 <= width:
                    if selected:
                        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                        self._draw_marker(painter, item, QPointF(centre, y),
                                          geometry.marker_size, ink.colors[item.kind],
                                          ink.palette, True)
                        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
                    else:
                        draw_image(QPointF(round(centre - half), round(y - half)),
                                   sprite_of(item))
            else:
                x0, x1 = placed.x0 * stretch - offset, placed.x1 * stretch - offset
                self._draw_bar(painter, item, x0, x1, y, geometry.bar_height, width, ink,
                               selected)
            labels.append(label_box(placed, layout, x0, x1, width, selected))
        return labels

    def _draw_labels(self, painter: QPainter, items: list[PlacedItem],
                     labels: list[tuple[float, float] | None], geometry: LaneGeometry,
                     ink: _Ink) -> None:
        """Every label of a frame: plain ones in one tight loop, faded context ones after
        (one opacity change, not one per label), the selected one bold, on its own."""
        fm = self._font_metrics()
        baseline = fm.ascent() - fm.height() / 2
        draw, width_of, elide = painter.drawText, self._label_width, self._char_widths().elide
        baselines = [geometry.lane_centre(lane) + baseline for lane in range(geometry.max_lanes)]
        selected_row = self._selected_row
        faded: list[tuple[PlacedItem, tuple[float, float]]] = []
        chosen = None
        painter.setOpacity(1.0)  # the shapes drawn before may have left it faded
        for opacity in (1.0, 0.55):
            if opacity != 1.0:
                if not faded:
                    break
                painter.setOpacity(opacity)
            plain = zip(items, labels, strict=True) if opacity == 1.0 else faded
            for placed, label in plain:
                if label is None:
                    continue
                item = placed.item
                if item.row == selected_row:
                    chosen = (placed, label)
                    continue
                if item.context and opacity == 1.0:
                    faded.append((placed, label))
                    continue
                # Most labels fit whole; the rest are cut by the measured character widths
                # (a text layout per label, as QFontMetricsF.elidedText does, costs 4x more).
                x, room = label
                title = item.title
                text = title if width_of(title) <= room else elide(title, room)
                if not text:
                    continue
                # A point and a string: never read as markup, no layout pass for alignment.
                draw(QPointF(x, baselines[placed.lane]), text)
        if chosen is not None:
            self._draw_label_of(painter, chosen[0], chosen[1], geometry, ink)

    def _draw_label_of(self, painter: QPainter, placed: PlacedItem, label: tuple[float, float],
                       geometry: LaneGeometry, ink: _Ink) -> None:
        item = placed.item
        selected = item.row == self._selected_row
        opacity = 0.55 if item.context and not selected else 1.0
        if painter.opacity() != opacity:
            painter.setOpacity(opacity)
        self._draw_label(painter, item, label[0], label[1], geometry.lane_centre(placed.lane),
                         geometry.lane_height, ink.palette, selected, ink.text)

    def _label_box(self, placed: PlacedItem, layout: TimelineLayout, x0: float, x1: float,
                   width: int, selected: bool) -> tuple[float, float] | None:
        """The screen x and width of an item's label, or None when it has no room for one."""
        g = layout.geometry
        # The selection is drawn bold: measure it bold, or its label elides with room to spare.
        text_width = self._bold_metrics().horizontalAdvance(placed.item.title) if selected \
            else placed.title_width
        if placed.label_inside:
            room = min(text_width, x1 - x0 - 2 * g.bar_padding)
            label_x = x0 + g.bar_padding
            if label_x < g.bar_padding:
                # Keep a long bar's label on screen while its start is scrolled away.
                label_x = min(g.bar_padding, x1 - g.bar_padding - room)
            # A bar running off the right edge elides its label there, not mid-letter.
            return label_x, min(room, max(width - 2 - label_x, 0.0))
        room = layout.label_right(placed, text_width) - placed.label_x
        if room <= 0:
            return None
        label_x = x1 + (placed.label_x - placed.x1)
        if label_x < _EDGE:
            # Sticky: a label whose start scrolled away starts at the edge, elided, not cut.
            room -= _EDGE - label_x
            label_x = _EDGE
            if room < MIN_LABEL_ROOM:
                return None
        if label_x < width:
            # Elide at the window's edge rather than cut a letter in half.
            room = min(room, max(width - 2 - label_x, 0.0))
        return label_x, room

    def _outline(self, item: TimelineItem, color: QColor, palette: QPalette) -> QPen:
        edge = color.lighter(135) if is_dark(palette) else color.darker(140)
        pen = QPen(edge, 1.3)
        if item.planned:
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setWidthF(1.6)
        elif item.certainty is Certainty.UNCERTAIN:
            pen.setStyle(Qt.PenStyle.DotLine)
        return pen

    def _draw_marker(self, painter: QPainter, item: TimelineItem, centre: QPointF, size: float,
                     color: QColor, palette: QPalette, selected: bool) -> None:
        path = marker_path(marker_shape(item.kind), centre, size)
        fill = QColor(color)
        if item.planned:
            fill.setAlphaF(0.25)  # not happened yet: an outline with a wash of colour
        painter.setPen(self._outline(item, color, palette))
        painter.setBrush(fill)
        painter.drawPath(path)
        if selected:
            painter.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            painter.setPen(QPen(palette.color(_R.Highlight), 2.5))
            painter.drawEllipse(centre, size * 0.9, size * 0.9)

    def _draw_bar(self, painter: QPainter, item: TimelineItem, x0: float, x1: float, y: float,
                  height: float, width: int, ink: _Ink, selected: bool) -> None:
        # Clip by hand: a year bar at a one-day zoom is ~600,000 px wide.
        left, right = max(x0, -8.0), min(x1, width + 8.0)
        rect = QRectF(round(left) + 0.5, round(y - height / 2) + 0.5,
                      max(round(right - left), 1), round(height))
        painter.fillRect(rect, ink.washes[item.kind, item.planned])
        if item.precision is not Precision.DAY:
            # Month/year precision: hatching says "somewhere in here", not "all of this".
            painter.fillRect(rect, ink.hatches[item.kind])
        painter.setBrush(QBrush(Qt.BrushStyle.NoBrush))
        painter.setPen(ink.bar_outline(item))
        painter.drawRect(rect)
        if selected:
            painter.setPen(QPen(ink.palette.color(_R.Highlight), 2.5))
            painter.drawRect(rect.adjusted(-2, -2, 2, 2))

    def _draw_label(self, painter: QPainter, item: TimelineItem, x: float, room: float, y: float,
                    lane_height: float, palette: QPalette, selected: bool,
                    pen_set: QColor | None = None) -> None:
        font = self.font()
        if selected:
            font = QFont(font)
            font.setBold(True)
            painter.setFont(font)
        if pen_set is None:
            painter.setPen(palette.color(_R.Text))
        # Most labels fit whole; measuring them again (to elide) is the costly part.
        if not selected and self._label_width(item.title) <= room:
            text = item.title
        else:
            text = QFontMetricsF(font).elidedText(item.title, Qt.TextElideMode.ElideRight, room)
        # Drawn at a baseline, not in a box: no layout pass for alignment. drawText with a
        # point and a string never reads markup.
        fm = QFontMetricsF(font) if selected else self._font_metrics()
        painter.drawText(QPointF(x, y - fm.height() / 2 + fm.ascent()), text)
        if selected:
            painter.setFont(self.font())
            if pen_set is not None:
                painter.setPen(pen_set)

    def _char_widths(self) -> CharWidths:
        if self._chars is None:
            self._chars = CharWidths(self._font_metrics().horizontalAdvance)
        return self._chars

    def _label_font(self) -> QFont:
        """The font with shaping left out where a script does not need it (Latin titles):
        kerning is lost, a tenth of the frame is saved, and label widths are measured by
        character anyway (CharWidths)."""
        if self._plain_font is None:
            self._plain_font = QFont(self.font())
            self._plain_font.setStyleStrategy(QFont.StyleStrategy.PreferNoShaping)
        return self._plain_font

    def _font_metrics(self) -> QFontMetricsF:
        if self._metrics is None:
            self._metrics = QFontMetricsF(self.font())
        return self._metrics

    def _ink(self, palette: QPalette, ratio: float, marker_size: float) -> _Ink:
        """Colours, pens and marker sprites for one palette, made once, not once per item."""
        key = (palette.cacheKey(), ratio, marker_size)
        ink = self._inks.get(key)
        if ink is None:
            if len(self._inks) > 4:
                self._inks.clear()
            ink = self._inks[key] = _Ink(palette, ratio, marker_size, self._draw_marker)
        return ink

    def _draw_badges(self, painter: QPainter, badges: list[tuple[Cluster, float]],
                     geometry: LaneGeometry, ink: _Ink) -> None:
        """Badges ("+37") centred at the given screen x."""
        h = geometry.badge_height
        top = geometry.cluster_row_centre() - h / 2
        painter.setPen(ink.badge_edge)
        painter.setBrush(ink.badge_fill)
        for cluster, x in badges:
            painter.drawRoundedRect(QRectF(x - cluster.width / 2, top, cluster.width, h),
                                    h / 2, h / 2)
        painter.setPen(ink.badge_text)
        fm = self._font_metrics()
        baseline = top + (h - fm.height()) / 2 + fm.ascent()
        width_of = self._char_widths().width
        for cluster, x in badges:
            # At a point, not in an aligned box: no text layout per badge.
            label = cluster.label
            text_width = (width_of(label) - 1.0) / CharWidths.SLACK
            painter.drawText(QPointF(x - text_width / 2, baseline), label)

    def _pin(self, layout: TimelineLayout, scale: TimeScale, stretch: float,
             clusters: list[Cluster], width: int) -> _Pin | None:
        """Where to draw a selected event that folded into a badge, with its label if it fits."""
        row = self._selected_row
        if row is None or row in layout.placed or row not in self._items:
            return None
        point = self._pinned_point(layout, scale, row)
        if point is None or not -20 <= point[0] <= width + 20:
            return None
        g = layout.geometry
        x, y, h = point[0], point[1], g.badge_height
        offset = scale.world_offset()
        own = layout.folded[row]
        others = [QRectF(c.x * stretch - offset - c.width / 2, y - h / 2, c.width, h)
                  for c in clusters if c is not own]
        title = self._items[row].title
        room = min(self._bold_metrics().horizontalAdvance(title), g.max_label_width) + 8
        box = None
        # The label goes right of the marker, else left, and never over another badge.
        for left in (x + g.marker_size, x - g.marker_size - room):
            candidate = QRectF(left, y - h / 2, room, h)
            if candidate.left() >= 0 and candidate.right() <= width and \
                    not any(candidate.intersects(o) for o in others):
                box = candidate
                break
        badge_x = own.x * stretch - offset
        step = g.marker_size + own.width / 2
        sides = (x + step, x - step) if box is not None and box.left() < x else (x - step, x + step)
        # Its own badge steps aside to a side where it covers nothing; else it stays put.
        for side in sides:
            rect = QRectF(side - own.width / 2, y - h / 2, own.width, h)
            if not any(rect.intersects(o) for o in others) and \
                    (box is None or not rect.intersects(box)):
                badge_x = side
                break
        return _Pin(row, QPointF(x, y), box, badge_x)

    def _draw_pin(self, painter: QPainter, pin: _Pin, g: LaneGeometry, palette: QPalette) -> None:
        item = self._items[pin.row]
        if pin.label_box is not None:
            painter.setPen(QPen(palette.color(_R.Highlight), 1))
            painter.setBrush(palette.color(_R.Base))
            painter.drawRoundedRect(pin.label_box, 3, 3)
            self._draw_label(painter, item, pin.label_box.left() + 4,
                             pin.label_box.width() - 8, pin.centre.y(), g.badge_height,
                             palette, True)
        self._draw_marker(painter, item, pin.centre, g.marker_size,
                          kind_color(item.kind, palette), palette, True)

    # --- interaction ------------------------------------------------------------------------

    def _hit(self, pos: QPointF) -> int | Cluster | None:
        if not self._items:
            return None
        layout, scale, _ = self._layout(self._scale, self.height())
        width = self.width()
        offset = scale.world_offset()
        _, clusters = layout.visible(offset, offset + width)
        pin = self._pin(layout, scale, 1.0, clusters, width)
        moved = None
        if pin is not None:
            # Hit what is drawn: the pinned selection, and its badge where it stepped aside to.
            reach = layout.geometry.marker_size / 2 + 3
            near = abs(pos.x() - pin.centre.x()) <= reach and abs(pos.y() - pin.centre.y()) <= reach
            if near or (pin.label_box is not None and pin.label_box.contains(pos)):
                return pin.row
            moved = (layout.folded[pin.row], pin.badge_x)
        return hit_test(layout, scale, pos.x(), pos.y(), moved_badge=moved)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Start a click or a drag."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._last_drag_x = event.position().x()
            self._dragging = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Pan while dragging with the left button."""
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            x = event.position().x()
            if not self._dragging and abs(x - self._press.x()) >= DRAG_THRESHOLD:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging:
                self._following_data = False
                self._set_scale(self._scale.panned(x - self._last_drag_x))
                self._last_drag_x = x
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A press that did not drag is a click: select the event or open the badge."""
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            if not self._dragging:
                self._click(event.position())
            self._press = None
            self._dragging = False
            self.unsetCursor()
        super().mouseReleaseEvent(event)

    def _click(self, pos: QPointF) -> None:
        hit = self._hit(pos)
        if isinstance(hit, Cluster):
            self._zoom_to_cluster(hit)
        elif hit is not None:
            self._select_row(hit)

    def _zoom_to_cluster(self, cluster: Cluster) -> None:
        self._following_data = False
        first, last = cluster.first_day, max(cluster.last_day, cluster.first_day + 1)
        margin = (last - first) * 0.1
        self.set_visible_range(first - margin, last + margin)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Open an event's source, or zoom in on empty space."""
        hit = self._hit(event.position())
        if isinstance(hit, Cluster):
            self._zoom_to_cluster(hit)
        elif hit is not None and self._model is not None:
            self._select_row(hit)
            self.activated.emit(self._model.index(hit, 0))
        else:
            self.zoom_by(2.0, event.position().x())
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Zoom around the cursor (plain or Ctrl+wheel); Shift+wheel or a sideways wheel pans."""
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier and not delta.x():
            # Shift+wheel is the common "scroll sideways"; some platforms send it as y.
            delta = QPoint(delta.y(), 0)
        if delta.y():
            self._zooming = True
            self._settle_timer.start()
            self.zoom_by(1.25 ** (delta.y() / 120), event.position().x())
        elif delta.x():
            self._following_data = False
            self._set_scale(self._scale.panned(delta.x() / 2))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Left/Right walk events by date, +/- zoom, Home fits, End goes to the last event,
        Enter opens."""
        key = event.key()
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Left):
            self._step(1 if key == Qt.Key.Key_Right else -1)
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_Home:
            self.fit_all()
        elif key == Qt.Key.Key_End:
            self.select_last()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._selected_row is not None and self._model is not None:
                self.activated.emit(self._model.index(self._selected_row, 0))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _step(self, direction: int) -> None:
        self._flush()
        order, position = self._date_order()
        if not order:
            return
        current = position.get(self._selected_row) if self._selected_row is not None else None
        if current is None:
            # The starts sorted alone are the starts of ``order``: it sorts by start first.
            i = bisect_left(self._starts, self._scale.day_of(0))
            index = min(i, len(order) - 1) if direction > 0 else max(i - 1, 0)
        else:
            index = min(max(current + direction, 0), len(order) - 1)
        self._select_row(order[index])

    def event(self, event: QEvent) -> bool:
        """Tooltips for the event or badge under the cursor."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self._tooltip(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def _tooltip(self, pos: QPointF) -> str | None:
        hit = self._hit(pos)
        if isinstance(hit, Cluster):
            first, last = date_of_day(hit.first_day), date_of_day(hit.last_day - 1)
            return (f"{hit.count} more events, {first:%d %b %Y} \u2013 {last:%d %b %Y}<br>"
                    "Click to zoom in")
        if hit is None or self._model is None:
            return None
        index = self._model.index(hit, 0)
        event = self._model.data(index, EventRole.Event)
        item = self._items[hit]
        # Article text is untrusted: escape everything that came from it.
        lines = [f"<b>{escape(item.title)}</b>"]
        if isinstance(event, Event):
            lines.append(escape(describe_date(event.when)))
            status = " (planned)" if event.status is Status.PLANNED else ""
            lines.append(escape(kind_label(event.kind) + status))
            if event.location:
                lines.append(escape(f"Place: {event.location}"))
            n = event.source_count
            lines.append(f"{n} source{'s' if n != 1 else ''}")
        else:
            lines.append(escape(kind_label(item.kind)))
        return "<br>".join(lines)

    # --- reacting to the widget's own changes -----------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep fitting all while following the data, or a range set in code; else show more."""
        if self._following_data:
            self._fit(emit=True)
        elif self._requested_range is not None:
            self.set_visible_range(*self._requested_range)
        else:
            self._set_scale(self._scale)
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        """A new font re-measures and re-packs; a new palette or style (a theme switched at
        run time) repaints, since kind colours are picked for the palette at paint time."""
        kind = event.type()
        if kind == QEvent.Type.FontChange:
            self._widths.clear()
            self._metrics = None
            self._chars = None
            self._plain_font = None
            self._bold = None
            self._bold_face = None
            self._bold_chars = None
            self._pull()
        elif kind in _REPAINT_ON:
            self.update()
        super().changeEvent(event)

    def focusInEvent(self, event: Any) -> None:
        """Repaint to show the focus frame."""
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event: Any) -> None:
        """Repaint to hide the focus frame."""
        self.update()
        super().focusOutEvent(event)


class _Ink:
    """What one palette paints items with: each kind's colours and pens, and its marker
    pre-drawn once into a small image (drawing that is far cheaper than a path)."""

    def __init__(self, palette: QPalette, ratio: float, marker_size: float,
                 draw_marker: Callable[..., None]) -> None:
        self.palette = QPalette(palette)
        self._ratio = ratio
        self._size = marker_size
        self._draw_marker = draw_marker
        dark = is_dark(palette)
        self.text = palette.color(_R.Text)
        self.colors = {kind: kind_color(kind, palette) for kind in EventKind}
        self.washes = {(kind, planned): _with_alpha(color, 0.18 if planned else 0.32)
                       for kind, color in self.colors.items() for planned in (False, True)}
        self.hatches = {kind: QBrush(_with_alpha(color, 0.45), Qt.BrushStyle.BDiagPattern)
                        for kind, color in self.colors.items()}
        self._edges = {kind: color.lighter(135) if dark else color.darker(140)
                       for kind, color in self.colors.items()}
        self._pens: dict[tuple, QPen] = {}
        self._sprites: dict[tuple, QImage] = {}
        # Half of every sprite's width in device-independent pixels, as drawn.
        self.sprite_half = math.ceil(self._sprite_side() * ratio) / ratio / 2
        edge = _R.Light if dark else _R.Mid  # Mid is nearly the base in dark
        self.badge_edge = QPen(palette.color(edge), 1)
        self.badge_fill = QBrush(palette.color(_R.Button))
        self.badge_text = palette.color(_R.ButtonText)

    def outline(self, item: TimelineItem) -> QPen:
        """The outline pen of an item: dashed when planned, dotted when uncertain."""
        key = (item.kind, item.planned, item.certainty is Certainty.UNCERTAIN)
        pen = self._pens.get(key)
        if pen is None:
            pen = self._pens[key] = QPen(self._edges[item.kind], 1.3)
            if item.planned:
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setWidthF(1.6)
            elif key[2]:
                pen.setStyle(Qt.PenStyle.DotLine)
        return pen

    def bar_outline(self, item: TimelineItem) -> QPen:
        """A bar's outline: as ``outline`` but one device pixel wide, which Qt draws
        without stroking a path (a dashed 1.3 px outline of a screen-wide bar is slow)."""
        key = ("bar", item.kind, item.planned, item.certainty is Certainty.UNCERTAIN)
        pen = self._pens.get(key)
        if pen is None:
            pen = self._pens[key] = QPen(self.outline(item))
            pen.setWidth(0)
            pen.setCosmetic(True)
        return pen

    def _sprite_side(self) -> int:
        return math.ceil(self._size * 1.5) + 2

    def sprite(self, item: TimelineItem) -> QImage:
        """The item's marker, unselected, drawn centred in a transparent square image."""
        key = (item.kind, item.planned, item.certainty is Certainty.UNCERTAIN)
        image = self._sprites.get(key)
        if image is None:
            side = self._sprite_side()
            image = QImage(math.ceil(side * self._ratio), math.ceil(side * self._ratio),
                           QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(self._ratio)
            image.fill(Qt.GlobalColor.transparent)
            with QPainter(image) as painter:
                painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                self._draw_marker(painter, item, QPointF(side / 2, side / 2), self._size,
                                  self.colors[item.kind], self.palette, False)
            self._sprites[key] = image
        return image


def _mixed(color: QColor, base: QColor, alpha: float) -> QColor:
    """The opaque colour ``color`` at ``alpha`` shows over ``base``."""
    return QColor.fromRgbF(*(alpha * a + (1 - alpha) * b for a, b in zip(
        (color.redF(), color.greenF(), color.blueF()), (base.redF(), base.greenF(), base.blueF()),
        strict=True)))


def _with_alpha(color: QColor, alpha: float) -> QColor:
    tinted = QColor(color)
    tinted.setAlphaF(alpha)
    return tinted


class _RowItems(Mapping[int, TimelineItem]):
    """The timeline items of the dated rows, each built from its event on first use:
    a view of 100,000 events draws a few hundred of them."""

    def __init__(self, events: Sequence[Event], dated: Sequence[int] | None,
                 table_rows: Sequence[int] | None = None,
                 table: _RowItems | None = None, dated_flags: bytearray | None = None,
                 count: int = 0) -> None:
        self._events = events  # by table row
        # The view rows with a date, ascending. None: listed only if asked (iteration is
        # rare, and a filter change should not pay for it); ``dated_flags`` (by table row)
        # and ``count`` then answer membership and length.
        self._dated = dated
        self._table_rows = table_rows  # by view row; None when view and table rows agree
        self._table = table  # the items of every table row, whose kind codes are shared
        self._flags = dated_flags
        self._count = count
        self._built: dict[int, TimelineItem] = {}
        self._codes: bytes | None = None

    def _dated_rows(self) -> Sequence[int]:
        if self._dated is None:
            rows = self._table_rows
            assert rows is not None and self._flags is not None
            self._dated = list(compress(range(len(rows)), map(self._flags.__getitem__, rows)))
        return self._dated

    def __getitem__(self, row: int) -> TimelineItem:
        item = self._built.get(row)
        if item is None:
            if row not in self:
                raise KeyError(row)
            table_row = row if self._table_rows is None else self._table_rows[row]
            item = self._built[row] = _item_of(row, self._events[table_row])
        return item

    def dated_item(self, row: int) -> TimelineItem:
        """The item of a row the pack order lists, built without the membership test of
        ``[]`` (packing a new zoom builds a few hundred); KeyError for an undated row."""
        item = self._built.get(row)
        if item is None:
            if row < 0:
                raise KeyError(row)
            table_row = row if self._table_rows is None else self._table_rows[row]
            event = self._events[table_row]
            if event.when is None:
                raise KeyError(row)
            item = self._built[row] = _item_of(row, event)
        return item

    def __contains__(self, row: object) -> bool:
        if not isinstance(row, int):
            return False
        if self._dated is None:
            rows = self._table_rows
            assert rows is not None and self._flags is not None
            return 0 <= row < len(rows) and bool(self._flags[rows[row]])
        i = bisect_left(self._dated, row)
        return i < len(self._dated) and self._dated[i] == row

    def __iter__(self) -> Iterator[int]:
        return iter(self._dated_rows())

    def __len__(self) -> int:
        return self._count if self._dated is None else len(self._dated)

    def kinds_and_planned(self) -> tuple[set[EventKind], bool]:
        """The kinds among the dated events, and whether any of them is planned."""
        codes = self.kind_codes()
        table_rows = self._table_rows
        if table_rows is None and len(self) == len(codes):
            present = set(codes)
        elif table_rows is None:
            present = set(map(codes.__getitem__, self._dated_rows()))
        else:
            flags = self._flags
            shown = table_rows if flags is None else \
                compress(table_rows, map(flags.__getitem__, table_rows))
            present = set(map(codes.__getitem__, shown))
        return _kinds_of_codes(present)

    def kind_codes(self) -> bytes:
        """Each table row's kind and status as one byte (``_kind_codes``), made once per
        table: a filter change then finds the kinds it shows with one C-level pass."""
        if self._table is not None:
            return self._table.kind_codes()
        if self._codes is None:
            self._codes = _kind_codes(self._events)
        return self._codes


_KIND_CODES = {kind: 2 * i for i, kind in enumerate(EventKind)}
_KINDS = tuple(EventKind)
_UNKNOWN_KIND = 254


def _kind_codes(events: Sequence[Event]) -> bytes:
    """Twice the kind's place in ``EventKind``, plus one when planned, for every event."""
    kinds = map(_KIND_CODES.get, map(attrgetter("kind"), events), repeat(_UNKNOWN_KIND))
    planned = map(is_, map(attrgetter("status"), events), repeat(Status.PLANNED))
    return bytes(map(add, kinds, planned))


def _kinds_of_codes(codes: set[int]) -> tuple[set[EventKind], bool]:
    """The kinds that ``_kind_codes`` values stand for, and whether any is planned."""
    kinds = {_KINDS[code >> 1] for code in codes if code >> 1 < len(_KINDS)}
    return kinds, any(code & 1 for code in codes)


def _item_of(row: int, event: Event) -> TimelineItem:
    when = event.when
    assert when is not None  # only dated rows get here
    # Positional: keywords cost a tenth more, a few hundred times per new zoom.
    return TimelineItem(
        row, float(when.start.toordinal() - EPOCH_ORDINAL),
        float(when.end.toordinal() - EPOCH_ORDINAL + 1), when.precision, event.kind,
        event.title, when.certainty, event.status is Status.PLANNED, event.is_context)


def _table_events(table: EventTableModel) -> Sequence[Event]:
    events = table.events
    return events() if callable(events) else events  # a method now, a property before


def _bulk_rows(
    model: QAbstractItemModel,
) -> tuple[Sequence[Event], Sequence[int] | None, Sequence[int] | None] | None:
    """Every Event of the table under ``model``, the table rows the view shows (ascending,
    None: all of them, row for row) and whether each table row is shown (None: not known),
    when the model is the event table or the filter proxy over it; None when rows must be
    read one by one through ``data()``."""
    if isinstance(model, EventTableModel):
        return _table_events(model), None, None
    if not isinstance(model, EventFilterProxy):
        return None
    table = model.sourceModel()
    if not isinstance(table, EventTableModel):
        return None
    events = _table_events(table)
    rows = model.source_rows()
    if len(rows) == len(events):
        return events, None, None
    return events, rows, model.shown_mask()


def _columns_of(events: Sequence[Event]) -> tuple[_RowItems, PackOrder]:
    """The dated rows of ``events`` as flat columns, in one pass, no item built yet."""
    # One C-level map per column: no Python code runs per row.
    whens = list(map(_WHEN, events))
    if None in whens:
        dated = [row for row, when in enumerate(whens) if when is not None]
        whens = [whens[row] for row in dated]
        contexts = map(_IS_CONTEXT, map(events.__getitem__, dated))
    else:
        dated, contexts = range(len(whens)), map(_IS_CONTEXT, events)
    starts = list(map(sub, map(_ORDINAL, map(_START, whens)), repeat(EPOCH_ORDINAL)))
    ends = list(map(sub, map(_ORDINAL, map(_END, whens)), repeat(EPOCH_ORDINAL - 1)))
    ranks = map(_RANK.__getitem__, map(_PRECISION, whens))
    passes = list(map(add, ranks, map(mul, contexts, repeat(3))))
    items = _RowItems(events, dated)
    return items, pack_order_of(dated, starts, ends, passes, items.dated_item)


def _last_ending_row(packing: PackOrder, last_end: float) -> int:
    """The row of the item ending at ``last_end`` that starts latest (then the highest row)."""
    # list.index finds each of the few items ending last at C speed, not a call per item.
    ends, best, i = packing.ends, None, -1
    while True:
        try:
            i = ends.index(last_end, i + 1)
        except ValueError:
            break
        candidate = (packing.starts[i], packing.rows[i])
        best = candidate if best is None or candidate > best else best
    assert best is not None  # last_end is one of the ends
    return best[1]


class _SourceColumns(NamedTuple):
    """Every dated row of the event table as columns in pack order, by table row."""

    events: Sequence[Event]  # the table's own list, to tell when it changes
    count: int
    items: _RowItems
    packing: PackOrder
    dated: bytearray | None  # 1 per table row with a date; None when every row has one
    gather: Gather  # reads a column indexed by table row in pack order (pack_gather)


def _source_columns_of(events: Sequence[Event]) -> _SourceColumns:
    """The columns of every row of the table (sorted here, once per change of the table)."""
    items, packing = _columns_of(events)
    dated = None
    if len(items) != len(events):
        dated = bytearray(len(events))
        deque(map(dated.__setitem__, items, repeat(1)), maxlen=0)
    return _SourceColumns(events, len(events), items, packing, dated, pack_gather(packing))


def _shown_columns(source: _SourceColumns, shown: Sequence[int],
                   mask: Sequence[int] | None = None) -> tuple[_RowItems, PackOrder]:
    """The columns of the table rows ``shown`` (ascending; ``mask`` says the same per table
    row, when known), numbered by view row, picked out of ``source`` without sorting again."""
    if mask is None or len(mask) != source.count:
        flags = bytearray(source.count)
        deque(map(flags.__setitem__, shown, repeat(1)), maxlen=0)
        mask = flags
    # The pack order first: how many shown rows are dated is its length, which the items
    # need, and the items are what it builds its TimelineItems with.
    packing = restrict_pack_order(source.packing, mask, _no_item, source.gather)
    dated = range(len(shown)) if source.dated is None else None
    items = _RowItems(source.events, dated, shown, source.items, source.dated, len(packing))
    return items, replace(packing, item=items.dated_item)


def _no_item(row: int) -> TimelineItem:
    raise KeyError(row)
