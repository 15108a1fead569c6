"""The timeline widget: shared selection, keyboard, zoom, activation and offscreen painting."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication

from tests.factories import day, sample_extraction
from tests.timeline_fakes import event, showcase_events
from viewer.core.model import EventKind
from viewer.ui.event_model import EventTableModel
from viewer.ui.kind_style import kind_color, marker_shape
from viewer.ui.theme import dark_palette, light_palette
from viewer.ui.timeline_layout import day_of_date
from viewer.ui.timeline_widget import TimelineView

SELECT = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows


@pytest.fixture
def setup(qtbot):
    """A timeline over the sample events, sharing a selection model, sized and shown."""
    model = EventTableModel()
    model.set_events(sample_extraction().events)
    view = TimelineView()
    qtbot.addWidget(view)
    selection = QItemSelectionModel(model)
    view.setModel(model)
    view.setSelectionModel(selection)
    view.resize(900, 260)
    view.show()
    qtbot.waitExposed(view)
    view.fit_all()
    return view, model, selection


def day_number(iso: str) -> float:
    return day_of_date(dt.date.fromisoformat(iso))


def select(selection: QItemSelectionModel, model, row: int) -> None:
    selection.setCurrentIndex(model.index(row, 0), SELECT)


def test_clicking_a_marker_selects_its_row_in_the_shared_selection(qtbot, setup) -> None:
    view, _, selection = setup
    centre = view.marker_center(1)
    assert centre is not None
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=centre.toPoint())
    assert selection.currentIndex().row() == 1
    assert selection.isRowSelected(1)


def test_undated_events_are_not_drawn(setup) -> None:
    view, _, _ = setup
    assert view.marker_center(3) is None  # "Trade talks" has no date


def test_selection_made_elsewhere_is_shown_in_the_view(setup) -> None:
    view, model, selection = setup
    select(selection, model, 2)
    assert view.selected_row() == 2


def test_selecting_an_event_off_screen_scrolls_it_into_view(setup) -> None:
    view, model, selection = setup
    view.set_visible_range(day_number("2025-03-01"), day_number("2025-03-10"))
    select(selection, model, 2)  # the 2019 agreement
    first, last = view.visible_range()
    assert first < day_number("2019-12-31") and last > day_number("2019-01-01")


def test_an_event_selected_at_the_right_edge_is_brought_in_with_room_for_its_label(
        setup) -> None:
    view, model, selection = setup
    # 7 March 2025 (row 1) twenty pixels inside the right edge: drawn, its label cut.
    days = 40.0
    last = day_number("2025-03-07") + 20 * days / view.width()
    view.set_visible_range(last - days, last)
    select(selection, model, 1)
    centre = view.marker_center(1)
    assert centre is not None and centre.x() <= view.width() - min(200, view.width() / 4)


def test_an_event_selected_well_inside_the_view_leaves_the_view_still(setup) -> None:
    view, model, selection = setup
    view.set_visible_range(day_number("2025-02-20"), day_number("2025-04-20"))
    before = view.visible_range()
    select(selection, model, 0)  # 3 March 2025
    assert view.visible_range() == before


def test_right_key_selects_the_next_event_by_date(qtbot, setup) -> None:
    view, model, selection = setup
    select(selection, model, 2)  # 2019, first by date
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert selection.currentIndex().row() == 0  # 3 March 2025
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert selection.currentIndex().row() == 1  # 7 March 2025
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert selection.currentIndex().row() == 0


def test_home_fits_every_dated_event(qtbot, setup) -> None:
    view, _, _ = setup
    view.set_visible_range(day_number("2025-03-01"), day_number("2025-03-10"))
    qtbot.keyClick(view, Qt.Key.Key_Home)
    first, last = view.visible_range()
    assert first <= day_number("2019-01-01") and last >= day_number("2025-03-08")


def test_plus_and_minus_zoom_in_and_out(qtbot, setup) -> None:
    view, _, _ = setup
    first, last = view.visible_range()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    zoomed_first, zoomed_last = view.visible_range()
    assert zoomed_last - zoomed_first < last - first
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.visible_range()[1] - view.visible_range()[0] == pytest.approx(last - first)


def send_wheel(view, x: float, steps: int) -> None:
    pos = QPointF(x, 50)
    wheel = QWheelEvent(pos, view.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120 * steps),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view, wheel)


def test_wheel_zooms_around_the_cursor(setup) -> None:
    view, _, _ = setup
    first, last = view.visible_range()
    x = 300.0
    day_under_cursor = first + (last - first) * x / view.width()
    send_wheel(view, x, 2)
    new_first, new_last = view.visible_range()
    assert new_last - new_first < last - first
    assert new_first + (new_last - new_first) * x / view.width() == pytest.approx(day_under_cursor)


def send_mouse(view, kind: QEvent.Type, x: float, buttons: Qt.MouseButton) -> None:
    pos = QPointF(x, 120)
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else \
        Qt.MouseButton.NoButton
    QApplication.sendEvent(view, QMouseEvent(kind, pos, view.mapToGlobal(pos), button, buttons,
                                             Qt.KeyboardModifier.NoModifier))


def test_dragging_pans_without_selecting(setup) -> None:
    view, _, selection = setup
    first, _ = view.visible_range()
    left = Qt.MouseButton.LeftButton
    send_mouse(view, QEvent.Type.MouseButtonPress, 400, left)
    send_mouse(view, QEvent.Type.MouseMove, 450, left)
    send_mouse(view, QEvent.Type.MouseMove, 500, left)
    send_mouse(view, QEvent.Type.MouseButtonRelease, 500, Qt.MouseButton.NoButton)
    assert view.visible_range()[0] < first  # content moved right: earlier days came in
    assert not selection.hasSelection()


def test_enter_activates_the_current_event(qtbot, setup) -> None:
    view, model, selection = setup
    select(selection, model, 1)
    with qtbot.waitSignal(view.activated) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args[0].row() == 1


def test_double_click_on_an_event_activates_it(qtbot, setup) -> None:
    view, _, _ = setup
    centre = view.marker_center(0)
    with qtbot.waitSignal(view.activated) as blocker:
        qtbot.mouseDClick(view, Qt.MouseButton.LeftButton, pos=centre.toPoint())
    assert blocker.args[0].row() == 0


def test_visible_range_changes_are_announced(qtbot, setup) -> None:
    view, _, _ = setup
    with qtbot.waitSignal(view.visibleRangeChanged) as blocker:
        view.zoom_in()
    assert tuple(blocker.args) == pytest.approx(view.visible_range())


def test_clicking_a_badge_zooms_to_the_events_it_holds(qtbot) -> None:
    crowd = [event(f"c{n}", f"Round {n}", day("2024-12-09")) for n in range(30)]
    model = EventTableModel()
    model.set_events([*crowd, event("far", "Far away", day("2010-01-01"))])
    view = TimelineView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 260)
    view.fit_all()
    folded = [row for row in range(30) if view.marker_center(row) is None]
    assert folded, "a crowded day should fold into a badge"
    layout, scale, _ = view._layout(view._scale, view.height())
    (badge,) = [c for c in layout.clusters if folded[0] in c.rows]
    x = badge.x - scale.world_offset()
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton,
                     pos=QPointF(x, layout.geometry.cluster_row_centre()).toPoint())
    first, last = view.visible_range()
    assert last - first < 10
    assert first <= day_number("2024-12-09") <= last


def test_rows_added_to_the_model_appear_on_the_timeline(qtbot, setup) -> None:
    view, model, _ = setup
    model.append_events([event("new", "Late addition", day("2025-03-05"), EventKind.VISIT)])
    assert view.marker_center(model.rowCount() - 1) is not None


def test_tooltip_escapes_article_text(setup) -> None:
    view, model, _ = setup
    model.set_events([event("x", "<b>Bold</b> & co", day("2025-03-05"))])
    view.fit_all()
    text = view._tooltip(view.marker_center(0))
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in text


def test_an_empty_model_paints_a_hint(qtbot) -> None:
    view = TimelineView()
    qtbot.addWidget(view)
    view.setModel(EventTableModel())
    image = view.render_image(400, 200)
    assert not image.isNull()
    assert view.marker_center(0) is None


def non_background_pixels(image, background: QColor) -> int:
    return sum(
        image.pixelColor(x, y) != background
        for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    )


def test_render_image_paints_offscreen_without_a_window(qtbot) -> None:
    model = EventTableModel()
    model.set_events(sample_extraction().events)
    view = TimelineView()
    qtbot.addWidget(view)
    view.setModel(model)
    image = view.render_image(800, 300)
    assert not image.isNull() and (image.width(), image.height()) == (800, 300)
    base = view.palette().color(QPalette.ColorRole.Base)
    assert non_background_pixels(image, base) > 50


def test_accessible_name_and_focus_policy(setup) -> None:
    view, _, _ = setup
    assert view.accessibleName() == "Timeline"
    assert view.focusPolicy() == Qt.FocusPolicy.StrongFocus


@pytest.mark.parametrize(("name", "palette"), [("light", light_palette), ("dark", dark_palette)])
def test_screenshot_in_light_and_dark(qtbot, name, palette) -> None:
    model = EventTableModel()
    model.set_events(showcase_events())
    view = TimelineView()
    qtbot.addWidget(view)
    view.setPalette(palette())
    selection = QItemSelectionModel(model)
    view.setModel(model)
    view.setSelectionModel(selection)
    view.resize(900, 260)
    view.fit_all()
    select(selection, model, 0)
    image = view.render_image(900, 260)
    assert image.save(f"/tmp/timeline-{name}.png")


def test_every_kind_has_its_own_colour_and_shape_in_light_and_dark() -> None:
    kinds = list(EventKind)
    for palette in (light_palette(), dark_palette()):
        assert len({kind_color(k, palette).name() for k in kinds}) == len(kinds)
    assert len({marker_shape(k) for k in kinds}) == len(kinds)
    assert kind_color(EventKind.MEETING, light_palette()) != \
        kind_color(EventKind.MEETING, dark_palette())


def test_a_selected_event_folded_into_a_badge_is_still_drawn(qtbot) -> None:
    crowd = [event(f"c{n}", f"Round {n}", day("2024-12-09")) for n in range(30)]
    model = EventTableModel()
    model.set_events(crowd)
    view = TimelineView()
    qtbot.addWidget(view)
    selection = QItemSelectionModel(model)
    view.setModel(model)
    view.setSelectionModel(selection)
    view.resize(900, 260)
    folded = next(row for row in range(30) if view.marker_center(row) is None)
    select(selection, model, folded)
    assert view.marker_center(folded) is not None


def test_a_range_set_before_the_window_is_sized_survives_the_resize(qtbot) -> None:
    model = EventTableModel()
    model.set_events(sample_extraction().events)
    view = TimelineView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.set_visible_range(day_number("2025-03-01"), day_number("2025-03-10"))
    view.resize(1200, 300)
    assert view.visible_range() == pytest.approx((day_number("2025-03-01"),
                                                  day_number("2025-03-10")))


def view_over(qtbot, events, width: int = 900, height: int = 260) -> tuple:
    """A shown timeline over ``events`` with a shared selection model."""
    model = EventTableModel()
    model.set_events(events)
    view = TimelineView()
    qtbot.addWidget(view)
    selection = QItemSelectionModel(model)
    view.setModel(model)
    view.setSelectionModel(selection)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    return view, model, selection


def test_fit_all_over_a_few_days_shows_about_two_weeks(qtbot) -> None:
    week = [event("a", "Envoys meet", day("2021-10-17")),
            event("b", "Envoys meet again", day("2021-10-19"))]
    view, _, _ = view_over(qtbot, week, width=1400)
    view.fit_all()
    first, last = view.visible_range()
    assert 14 <= last - first <= 20


def test_the_selected_label_is_measured_bold_and_not_cut_short(qtbot) -> None:
    title = "Kovac meets Lindqvist in Valparaiso"
    view, model, selection = view_over(
        qtbot, [event("a", title, day("2024-03-01")), event("b", "Later", day("2024-06-01"))])
    view.fit_all()
    select(selection, model, 0)
    layout, scale, _ = view._layout(view._scale, view.height())
    placed = layout.placed[0]
    x0 = placed.x0 - scale.world_offset()
    _, room = view._label_box(placed, layout, x0, x0 + placed.x1 - placed.x0, view.width(), True)
    assert room >= view._bold_metrics().horizontalAdvance(title)


def pixel_near(image, centre, color: QColor) -> bool:
    return any(image.pixelColor(round(centre.x()) + dx, round(centre.y()) + dy) == color
               for dx in range(-2, 3) for dy in range(-2, 3))


def test_switching_the_application_palette_repaints_with_its_kind_colours(qtbot) -> None:
    view, _, _ = view_over(qtbot, [event("a", "Envoys meet", day("2021-10-17"))])
    view.fit_all()
    app = QApplication.instance()
    before = QPalette(app.palette())
    try:
        for palette in (dark_palette(), light_palette()):
            app.setPalette(palette)
            QApplication.processEvents()
            image = view.grab().toImage()
            colour = kind_color(EventKind.MEETING, palette)
            assert pixel_near(image, view.marker_center(0), colour)
    finally:
        app.setPalette(before)


def send_wheel_with(view, x: float, delta: QPoint, modifiers: Qt.KeyboardModifier) -> None:
    pos = QPointF(x, 50)
    wheel = QWheelEvent(pos, view.mapToGlobal(pos), QPoint(0, 0), delta,
                        Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view, wheel)


def test_ctrl_wheel_zooms_like_the_plain_wheel(setup) -> None:
    view, _, _ = setup
    first, last = view.visible_range()
    send_wheel_with(view, 300.0, QPoint(0, 240), Qt.KeyboardModifier.ControlModifier)
    new_first, new_last = view.visible_range()
    assert new_last - new_first < last - first


def test_shift_wheel_pans_without_zooming(setup) -> None:
    view, _, _ = setup
    first, last = view.visible_range()
    send_wheel_with(view, 300.0, QPoint(0, 120), Qt.KeyboardModifier.ShiftModifier)
    new_first, new_last = view.visible_range()
    assert new_last - new_first == pytest.approx(last - first)
    assert new_first != pytest.approx(first)


def test_clicking_a_badge_that_stepped_aside_hits_it_where_it_is_drawn(qtbot) -> None:
    crowd = [event(f"c{n}", f"Round {n}", day("2024-12-09")) for n in range(30)]
    view, model, selection = view_over(qtbot, [*crowd, event("far", "Far", day("2010-01-01"))])
    view.fit_all()
    folded = next(row for row in range(30) if view.marker_center(row) is None)
    select(selection, model, folded)
    layout, scale, _ = view._layout(view._scale, view.height())
    offset = scale.world_offset()
    _, clusters = layout.visible(offset, offset + view.width())
    pin = view._pin(layout, scale, 1.0, clusters, view.width())
    own = layout.folded[folded]
    assert pin is not None and pin.badge_x != pytest.approx(own.x - offset)
    y = layout.geometry.cluster_row_centre()
    assert view._hit(QPointF(pin.badge_x, y)) == own
    assert view._hit(pin.centre) == folded


# --- zoom around the selection, refit after a filter, edge hints ---------------------------------


def test_plus_and_minus_zoom_around_the_selected_event_so_it_stays_put(qtbot) -> None:
    events = [event("a", "Early talks", day("2024-01-10")),
              event("b", "Envoys meet", day("2024-02-20")),
              event("c", "Late talks", day("2024-06-30"))]
    view, model, selection = view_over(qtbot, events)
    view.fit_all()
    select(selection, model, 1)
    before = view.marker_center(1)
    assert before is not None and before.x() < view.width() / 2 - 50  # left of the middle
    view.setFocus()
    for _ in range(4):
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    after = view.marker_center(1)
    assert after is not None
    assert abs(after.x() - before.x()) < 3
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert abs(view.marker_center(1).x() - before.x()) < 3


def test_a_filter_that_leaves_nothing_on_screen_refits_to_what_is_left(qtbot) -> None:
    events = [event("a", "Envoys meet", day("2024-02-20")),
              event("b", "Ministers meet", day("2024-09-01"))]
    view, model, _ = view_over(qtbot, events)
    view.set_visible_range(day_number("2024-02-10"), day_number("2024-03-01"))
    model.set_events(events[1:])  # as a search that only "Ministers" matches would
    model.set_events(events[1:])
    first, last = view.visible_range()
    assert first <= day_number("2024-09-01") <= last


def test_events_outside_a_zoomed_view_are_counted_at_its_edges(qtbot) -> None:
    events = [event("a", "First", day("2024-01-05")), event("b", "Second", day("2024-01-06")),
              event("c", "Middle", day("2024-03-01")), event("d", "Last", day("2024-06-01"))]
    view, _, _ = view_over(qtbot, events)
    view.set_visible_range(day_number("2024-02-20"), day_number("2024-03-10"))
    assert view.outside_counts() == (2, 1)
    view.fit_all()
    assert view.outside_counts() == (0, 0)


def test_end_selects_the_last_event_in_time(qtbot, setup) -> None:
    view, model, selection = setup
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert model.event_at(selection.currentIndex().row()).id == "e2"  # 7 March, the latest


# --- edges, legend, title ----------------------------------------------------------------------


def test_a_label_whose_marker_scrolled_off_the_left_edge_starts_at_the_edge_whole(qtbot) -> None:
    title = "Harbour commissioners meet the visiting delegation"
    events = [event("a", title, day("2024-03-01")), event("b", "Later", day("2024-03-20"))]
    view, _, _ = view_over(qtbot, events, width=600)
    view.set_legend_visible(False)
    dpp = 0.05
    # The marker's centre sits 30 px left of the view: gone, its label still readable.
    first = day_number("2024-03-01") + 0.5 + 30 * dpp
    view.set_visible_range(first, first + 600 * dpp)
    image = view.render_image(600, 260)
    base = view.palette().color(QPalette.ColorRole.Base)
    lane_rows = range(0, 260 - view._axis_height() - 3)  # above the axis line
    # Nothing is drawn in the first columns (no half marker, no half letter) ...
    assert all(image.pixelColor(x, y) == base for x in range(0, 3) for y in lane_rows)
    # ... but the label is drawn from the edge on.
    assert any(image.pixelColor(x, y) != base for x in range(4, 60) for y in lane_rows)


def test_the_legend_names_the_kinds_shown_and_planned(setup) -> None:
    view, _, _ = setup
    assert view.legend_entries() == [(EventKind.MEETING, "Meeting"), (EventKind.VISIT, "Visit"),
                                     (EventKind.AGREEMENT, "Agreement"), (None, "Planned")]


def test_the_legend_is_drawn_in_the_top_right_corner_and_can_be_hidden(setup) -> None:
    view, _, _ = setup
    base = view.palette().color(QPalette.ColorRole.Base)
    view.set_legend_visible(True)
    corner = view.render_image(900, 260)
    view.set_legend_visible(False)
    bare = view.render_image(900, 260)
    def inked(image) -> int:  # pixels drawn in the top-right corner (grid lines aside)
        return sum(image.pixelColor(x, y) != base for x in range(600, 900) for y in range(0, 22))

    assert inked(corner) > inked(bare) + 100


def test_an_exported_image_has_its_title_at_the_top_left(setup) -> None:
    view, _, _ = setup
    base = view.palette().color(QPalette.ColorRole.Base)
    plain = view.render_image(1200, 500, legend=False)
    titled = view.render_image(1200, 500, title="harbour-news · 3 events", legend=False)
    def inked(image) -> int:  # pixels drawn in the top-left corner (grid lines aside)
        return sum(image.pixelColor(x, y) != base for x in range(0, 200) for y in range(0, 24))

    assert inked(titled) > inked(plain) + 100


def test_a_few_events_fill_the_middle_of_a_tall_export_not_its_bottom(setup) -> None:
    view, _, _ = setup
    image = view.render_image(1600, 900, title="harbour-news", legend=True)
    base = view.palette().color(QPalette.ColorRole.Base)
    axis = 900 - view._axis_height()
    drawn = [y for y in range(40, axis - 2) for x in range(0, 1600, 4)
             if image.pixelColor(x, y) != base]
    assert min(drawn) < axis * 0.6  # not all squeezed into the bottom


# --- bulk reading and panning over many events -------------------------------------------------


def test_rows_read_in_bulk_through_a_filter_proxy_are_the_proxy_rows(qtbot) -> None:
    from viewer.ui.filter_proxy import EventFilterProxy
    from viewer.ui.roles import EventRole

    events = [event("a", "Envoys meet", day("2024-01-10")),
              event("b", "Ministers meet", day("2024-02-10")),
              event("c", "Envoys part", day("2024-03-10")),
              event("d", "Envoys undated", None)]
    model = EventTableModel()
    model.set_events(events)
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 260)
    view.setModel(proxy)
    proxy.set_search_text("envoys")
    qtbot.waitUntil(lambda: proxy.rowCount() == 3)
    view.fit_all()
    drawn = {proxy.index(row, 0).data(EventRole.Title) for row in range(proxy.rowCount())
             if view.marker_center(row) is not None}
    assert drawn == {"Envoys meet", "Envoys part"}


def test_panning_far_keeps_events_on_screen_in_their_lanes(qtbot) -> None:
    events = [event(f"e{n}", f"Round {n} of talks", day(f"2024-03-{1 + n % 28:02d}"))
              for n in range(120)]
    view, _, _ = view_over(qtbot, events, width=900)
    first = day_number("2024-03-10")
    view.set_visible_range(first, first + 4)
    before = {row: view.marker_center(row) for row in range(120)}
    for _ in range(6):  # well past the packed window, a little at a time
        send_wheel_with(view, 300.0, QPoint(-240, 0), Qt.KeyboardModifier.NoModifier)
        view.render_image(900, 260)
    after = {row: view.marker_center(row) for row in range(120)}
    shared = [row for row in before if before[row] is not None and after[row] is not None]
    assert shared
    for row in shared:
        assert after[row].y() == before[row].y()


def test_a_filter_change_and_rows_added_under_it_both_show_in_the_timeline(qtbot) -> None:
    from viewer.ui.filter_proxy import EventFilterProxy
    from viewer.ui.roles import EventRole

    model = EventTableModel()
    model.set_events([event("a", "Envoys meet", day("2024-01-10")),
                      event("b", "Ministers meet", day("2024-02-10"))])
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 260)
    view.setModel(proxy)

    def drawn() -> set[str]:
        view.fit_all()
        return {proxy.index(row, 0).data(EventRole.Title) for row in range(proxy.rowCount())
                if view.marker_center(row) is not None}

    proxy.set_search_text("envoys")
    assert drawn() == {"Envoys meet"}
    model.append_events([event("c", "Envoys part", day("2024-03-10")),
                         event("d", "Ministers part", day("2024-04-10"))])
    assert drawn() == {"Envoys meet", "Envoys part"}
    proxy.set_search_text("")
    assert drawn() == {"Envoys meet", "Ministers meet", "Envoys part", "Ministers part"}
    proxy.set_search_text("ministers")
    assert drawn() == {"Ministers meet", "Ministers part"}


def test_the_legend_lists_only_the_kinds_a_filter_leaves(qtbot) -> None:
    from viewer.core.model import Status
    from viewer.ui.filter_proxy import EventFilterProxy

    model = EventTableModel()
    model.set_events([
        event("a", "Envoys meet", day("2024-01-10")),
        event("b", "Ministers visit", day("2024-02-10"), kind=EventKind.VISIT),
        event("c", "Envoys to sign", day("2024-03-10"), kind=EventKind.AGREEMENT,
              status=Status.PLANNED)])
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    view = TimelineView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    assert [kind for kind, _ in view.legend_entries()] == [
        EventKind.MEETING, EventKind.VISIT, EventKind.AGREEMENT, None]
    proxy.set_search_text("envoys")
    assert [kind for kind, _ in view.legend_entries()] == [
        EventKind.MEETING, EventKind.AGREEMENT, None]
    proxy.set_search_text("ministers")
    assert [kind for kind, _ in view.legend_entries()] == [EventKind.VISIT]


def test_main_event_labels_stay_at_full_strength_after_a_faded_context_marker(qtbot) -> None:
    # The context event is later, so its faded marker is drawn just before the labels.
    events = [
        event("m", "Duarte meets Rivera", day("2025-03-03")),
        event("c", "Fisheries pact signed", day("2025-03-20"), EventKind.AGREEMENT,
              context=True),
    ]
    model = EventTableModel()
    model.set_events(events)
    view = TimelineView()
    qtbot.addWidget(view)
    view.setPalette(light_palette())
    view.setModel(model)
    view.resize(900, 260)
    view.fit_all()
    image = view.render_image(900, 260)
    centre = view.marker_center(0)
    darkest = min(
        sum(image.pixelColor(x, y).getRgb()[:3])
        for x in range(int(centre.x()) + 12, int(centre.x()) + 120)
        for y in range(int(centre.y()) - 6, int(centre.y()) + 6)
    )
    assert darkest < 150, "the main event's label was drawn faded"


def test_the_selected_event_stays_selected_in_the_timeline_across_a_filter_change(qtbot) -> None:
    from viewer.ui.filter_proxy import EventFilterProxy
    from viewer.ui.roles import EventRole

    model = EventTableModel()
    model.set_events([event("a", "Envoys meet", day("2024-01-10")),
                      event("b", "Ministers meet", day("2024-02-10")),
                      event("c", "Envoys part", day("2024-03-10"))])
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    selection = QItemSelectionModel(proxy)
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 260)
    view.setModel(proxy)
    view.setSelectionModel(selection)
    selection.setCurrentIndex(proxy.index(2, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                              | QItemSelectionModel.SelectionFlag.Rows)
    assert view.selected_row() == 2
    proxy.set_search_text("envoys")  # "Envoys part" moves up to the second shown row
    assert view.selected_row() == 1
    assert proxy.index(1, 0).data(EventRole.Title) == "Envoys part"
    assert view.marker_center(1) is not None
    proxy.set_search_text("ministers")  # hidden: nothing is selected any more
    assert view.selected_row() is None


def test_under_a_filter_undated_events_neither_draw_nor_enter_the_legend(qtbot) -> None:
    from viewer.ui.filter_proxy import EventFilterProxy
    from viewer.ui.roles import EventRole

    model = EventTableModel()
    model.set_events([event("a", "Envoys meet", day("2024-01-10")),
                      event("b", "Envoys visit, date unknown", None, kind=EventKind.VISIT),
                      event("c", "Ministers meet", day("2024-02-10")),
                      event("d", "Envoys sign", day("2024-03-10"), kind=EventKind.AGREEMENT)])
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 260)
    view.setModel(proxy)
    proxy.set_search_text("envoys")
    view.fit_all()
    titles = [proxy.index(row, 0).data(EventRole.Title) for row in range(proxy.rowCount())]
    assert titles == ["Envoys meet", "Envoys visit, date unknown", "Envoys sign"]
    assert [view.marker_center(row) is not None for row in range(3)] == [True, False, True]
    assert [kind for kind, _ in view.legend_entries()] == [EventKind.MEETING,
                                                           EventKind.AGREEMENT]


def test_a_tall_view_spreads_a_capped_number_of_lanes_and_folds_the_rest(qtbot) -> None:
    from viewer.ui.timeline_widget import MAX_LANES

    crowd = [event(f"c{d}-{n}", f"Round {n}", day(f"2024-12-{d:02d}"))
             for d in range(1, 11) for n in range(40)]
    model = EventTableModel()
    model.set_events(crowd)
    view = TimelineView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 2000)  # room for far more lanes than the cap
    view.fit_all()
    layout, _, _ = view._layout(view._scale, view.height())
    lanes = {p.lane for p in layout.placed.values()}
    assert lanes == set(range(MAX_LANES))
    assert len(layout.placed) + sum(c.count for c in layout.clusters) == len(crowd)
    assert layout.geometry.lane_height > 22.0  # the capped lanes spread over the height


def test_folded_rows_of_a_filtered_view_are_found_and_undated_rows_are_not(qtbot) -> None:
    from viewer.ui.filter_proxy import EventFilterProxy

    crowd = [event(f"c{n}", f"Envoys round {n}", day("2024-12-09")) for n in range(40)]
    model = EventTableModel()
    model.set_events([event("u", "Envoys, date unknown", None), *crowd,
                      event("o", "Other talks", day("2024-12-09"))])
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(900, 260)
    view.setModel(proxy)
    proxy.set_search_text("envoys")
    view.fit_all()
    layout, _, _ = view._layout(view._scale, view.height())
    folded = [row for row in range(1, 41) if row not in layout.placed]
    assert folded and all(row in layout.folded for row in folded)
    assert 0 not in layout.folded  # the undated row is listed, never drawn or folded
    assert -1 not in layout.folded and 41 not in layout.folded


def test_axis_labels_are_measured_bold_so_neighbours_never_touch(qtbot) -> None:
    from itertools import pairwise

    from PySide6.QtGui import QFont, QFontMetricsF

    from viewer.ui.timeline_layout import ticks

    view = TimelineView()
    qtbot.addWidget(view)
    view.resize(1200, 260)
    model = EventTableModel()
    model.set_events([event("a", "Talks", day("2024-01-10")),
                      event("b", "Talks", day("2024-03-10"))])
    view.setModel(model)
    view.fit_all()
    bold = QFont(view.font())
    bold.setBold(True)
    fm = QFontMetricsF(bold)
    labelled = [t for t in ticks(view._scale, view.width(), view._bold_width) if t.label]
    assert len(labelled) > 3
    for a, b in pairwise(labelled):
        assert a.x + fm.horizontalAdvance(a.label) < b.x
