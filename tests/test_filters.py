"""The event filter as a pure function, and the proxy that applies it to the table."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from tests.factories import sample_extraction
from viewer.core.filters import (
    EventFilter,
    filter_events,
    judge_all,
    matches,
    name_sort_key,
    participant_names,
    source_choices,
)
from viewer.core.model import Event, EventKind
from viewer.ui.event_model import Column, EventTableModel
from viewer.ui.filter_proxy import EventFilterProxy, narrows
from viewer.ui.roles import EventRole


def events_by_id() -> dict[str, Event]:
    return {e.id: e for e in sample_extraction().events}


def ids_passing(f: EventFilter) -> set[str]:
    return {e.id for e in filter_events(sample_extraction().events, f)}


# --- the pure filter ---------------------------------------------------------------------


def test_the_default_filter_shows_every_event():
    assert ids_passing(EventFilter()) == {"e1", "e2", "e3", "e4"}
    assert EventFilter().is_empty()


def test_search_is_case_insensitive_over_title_people_place_topics_and_kind():
    assert ids_passing(EventFilter(search="LISBON")) == {"e1"}  # title and place
    assert ids_passing(EventFilter(search="rivera")) == {"e1", "e2"}  # participant
    assert ids_passing(EventFilter(search="Fisheries")) == {"e1", "e3"}  # topic
    assert ids_passing(EventFilter(search="agreement")) == {"e3"}  # kind and title
    assert ids_passing(EventFilter(search="foreign minister")) == {"e1"}  # a role


def test_search_needs_every_word_but_not_in_order():
    assert ids_passing(EventFilter(search="trade rivera")) == {"e1"}
    assert ids_passing(EventFilter(search="porto rivera")) == {"e2"}
    assert ids_passing(EventFilter(search="porto lisbon")) == set()


def test_search_finds_planned_events_by_their_status():
    assert ids_passing(EventFilter(search="planned")) == {"e2"}


def test_kinds_filter_keeps_only_the_chosen_kinds():
    f = EventFilter(kinds=frozenset({EventKind.MEETING, EventKind.VISIT}))
    assert ids_passing(f) == {"e1", "e2"}
    assert ids_passing(EventFilter(kinds=frozenset())) == set()


def test_participant_filter_accepts_a_canonical_name_or_an_entity_id():
    assert ids_passing(EventFilter(participant="Ana Duarte")) == {"e1"}
    assert ids_passing(EventFilter(participant="person:tomas-rivera")) == {"e1", "e2"}
    assert ids_passing(EventFilter(participant="ana duarte")) == set()


def test_source_filter_keeps_events_reported_by_that_document():
    assert ids_passing(EventFilter(source="b.txt")) == {"e1", "e3"}
    assert ids_passing(EventFilter(source="missing.txt")) == set()


def test_date_range_keeps_events_whose_interval_overlaps_it():
    march = EventFilter(date_from=dt.date(2025, 3, 1), date_to=dt.date(2025, 3, 5))
    assert ids_passing(march) == {"e1"}
    # A year-precision date overlaps any day inside that year.
    assert ids_passing(EventFilter(date_from=dt.date(2019, 6, 1),
                                   date_to=dt.date(2019, 6, 30))) == {"e3"}
    assert ids_passing(EventFilter(date_from=dt.date(2025, 3, 6))) == {"e2"}
    assert ids_passing(EventFilter(date_to=dt.date(2020, 1, 1))) == {"e3"}


def test_undated_events_fail_any_date_bound():
    e4 = events_by_id()["e4"]
    assert matches(e4, EventFilter())
    assert not matches(e4, EventFilter(date_from=dt.date(1, 1, 1)))
    assert not matches(e4, EventFilter(date_to=dt.date(9999, 12, 31)))


def test_hiding_context_hides_background_events_only():
    assert ids_passing(EventFilter(show_context=False)) == {"e1", "e2"}


def test_all_parts_of_a_filter_must_hold_together():
    f = EventFilter(search="rivera", kinds=frozenset({EventKind.VISIT}), source="a.txt",
                    show_context=False)
    assert ids_passing(f) == {"e2"}


@pytest.mark.parametrize("f", [
    EventFilter(),
    EventFilter(search="fisheries"),
    EventFilter(search="rivera lisbon", show_context=False),
    EventFilter(kinds=frozenset({EventKind.OTHER}), search="trade"),
    EventFilter(date_from=dt.date(2025, 1, 1), source="a.txt"),
])
def test_bulk_judging_agrees_with_matches(f):
    events = sample_extraction().events
    expected = [matches(e, f) for e in events]
    assert judge_all(events, f) == expected
    # Events already known to fail stay failed; the others are judged as usual.
    assert judge_all(events, f, candidates=[False, True, True, True]) == [False, *expected[1:]]


def test_choices_list_people_by_surname_and_sources_by_label():
    extraction = sample_extraction()
    assert participant_names(extraction.events) == ["Ana Duarte", "Tomas Rivera"]
    assert source_choices(extraction.documents) == [
        ("b.txt", "Fisheries talks"),
        ("a.txt", "Harbour Gazette: Envoys meet in Lisbon"),
    ]


def test_people_sort_by_surname_then_full_name_ignoring_case():
    names = ["zoe Adler", "Bea Young", "Carl adler", "Mona Lind", "Lind", "al-Amin Omar"]
    assert sorted(names, key=name_sort_key) == [
        "Carl adler", "zoe Adler", "Lind", "Mona Lind", "al-Amin Omar", "Bea Young"]


def test_adding_search_text_narrows_but_changing_other_parts_does_not():
    assert narrows(EventFilter(search="ri"), EventFilter(search="riv"))
    assert narrows(EventFilter(search="rivera"), EventFilter(search="rivera porto"))
    assert not narrows(EventFilter(search="riv"), EventFilter(search="ri"))
    assert not narrows(EventFilter(), EventFilter(show_context=False))


# --- the proxy ---------------------------------------------------------------------------


@pytest.fixture
def proxy(qapp) -> EventFilterProxy:
    model = EventTableModel()
    model.set_events(sample_extraction().events)
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    proxy._test_model = model  # keep the source alive as long as the proxy
    return proxy


def shown_ids(proxy: EventFilterProxy) -> list[str]:
    return [proxy.index(r, 0).data(EventRole.Event).id for r in range(proxy.rowCount())]


def test_proxy_filters_by_each_part_of_the_filter(proxy):
    proxy.set_search_text("rivera")
    assert set(shown_ids(proxy)) == {"e1", "e2"}
    proxy.set_search_text("")
    proxy.set_kinds({EventKind.AGREEMENT})
    assert shown_ids(proxy) == ["e3"]
    proxy.set_kinds(None)
    proxy.set_participant("Ana Duarte")
    assert shown_ids(proxy) == ["e1"]
    proxy.set_participant(None)
    proxy.set_source("b.txt")
    assert set(shown_ids(proxy)) == {"e1", "e3"}
    proxy.set_source(None)
    proxy.set_date_range(dt.date(2025, 3, 6), None)
    assert shown_ids(proxy) == ["e2"]
    proxy.set_date_range(None, None)
    assert len(shown_ids(proxy)) == 4


def test_proxy_hides_context_events_when_asked(proxy):
    proxy.set_show_context(False)
    assert set(shown_ids(proxy)) == {"e1", "e2"}
    proxy.set_show_context(True)
    assert set(shown_ids(proxy)) == {"e1", "e2", "e3", "e4"}


def test_proxy_agrees_with_matches_while_typing(proxy):
    events = sample_extraction().events
    for text in ["f", "fi", "fis", "fisheries", "fisheries t", "fisheries", "", "x"]:
        proxy.set_search_text(text)
        expected = {e.id for e in events if matches(e, EventFilter(search=text))}
        assert set(shown_ids(proxy)) == expected, text


def test_filter_state_round_trips_and_is_announced(proxy, qtbot):
    state = EventFilter(search="lisbon", kinds=frozenset({EventKind.MEETING}),
                        participant="Ana Duarte", source="a.txt",
                        date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 12, 31),
                        show_context=False)
    with qtbot.waitSignal(proxy.filterStateChanged) as signal:
        proxy.apply_filter_state(state)
    assert signal.args == [state]
    assert proxy.filter_state() == state
    assert shown_ids(proxy) == ["e1"]
    proxy.apply_filter_state(dataclasses.replace(state, search=""))
    assert proxy.filter_state().search == ""


def test_sorting_by_date_puts_undated_events_last_in_either_order(proxy):
    proxy.sort(Column.Date, Qt.SortOrder.AscendingOrder)
    assert shown_ids(proxy) == ["e3", "e1", "e2", "e4"]
    proxy.sort(Column.Date, Qt.SortOrder.DescendingOrder)
    assert shown_ids(proxy) == ["e2", "e1", "e3", "e4"]


def test_sorting_keeps_the_filter_and_the_selection(proxy):


    selection = QItemSelectionModel(proxy)
    proxy.set_show_context(False)
    row = shown_ids(proxy).index("e2")
    selection.select(proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                     | QItemSelectionModel.SelectionFlag.Rows)
    proxy.sort(Column.Title, Qt.SortOrder.DescendingOrder)
    assert set(shown_ids(proxy)) == {"e1", "e2"}
    selected = selection.selectedRows()
    assert [i.data(EventRole.Event).id for i in selected] == ["e2"]


def test_appended_events_are_filtered_too(proxy):
    extra = dataclasses.replace(events_by_id()["e3"], id="e5", title="Another agreement")
    proxy.set_show_context(False)
    proxy._test_model.append_events([extra])
    assert "e5" not in shown_ids(proxy)
    proxy.set_show_context(True)
    assert "e5" in shown_ids(proxy)


# --- the list panel ----------------------------------------------------------------------


SEARCH_WAIT_MS = 300  # longer than the search box's typing delay


@pytest.fixture
def panel(qtbot, proxy):
    from viewer.ui.event_table import EventListPanel

    panel = EventListPanel()
    qtbot.addWidget(panel)
    panel.set_models(proxy, QItemSelectionModel(proxy))
    extraction = sample_extraction()
    panel.set_choices(participant_names(extraction.events), source_choices(extraction.documents))
    return panel


def test_panel_lists_events_by_date_and_filters_as_you_type(panel, proxy, qtbot):
    assert shown_ids(proxy) == ["e3", "e1", "e2", "e4"]
    qtbot.keyClicks(panel.search_field, "porto")
    qtbot.waitUntil(lambda: shown_ids(proxy) == ["e2"], timeout=2000)
    panel.search_field.clear()
    qtbot.waitUntil(lambda: len(shown_ids(proxy)) == 4, timeout=2000)


def combos(panel) -> tuple:
    from PySide6.QtWidgets import QComboBox

    return tuple(panel.findChildren(QComboBox))


def date_controls(panel) -> tuple:
    """(From checkbox, From date box, To checkbox, To date box)."""
    from PySide6.QtWidgets import QCheckBox, QDateEdit

    checks = {c.text(): c for c in panel.findChildren(QCheckBox)}
    first, last = panel.findChildren(QDateEdit)
    return checks["From"], first, checks["To"], last


def context_box(panel):
    from PySide6.QtWidgets import QCheckBox

    (box,) = [c for c in panel.findChildren(QCheckBox) if c.text() == "Show context events"]
    return box


def test_panel_controls_set_the_proxy_filter(panel, proxy):
    kind, person, source = combos(panel)
    kind.setCurrentIndex(kind.findData(EventKind.VISIT.value))
    assert shown_ids(proxy) == ["e2"]
    kind.setCurrentIndex(0)
    person.setCurrentIndex(person.findData("Ana Duarte"))
    assert shown_ids(proxy) == ["e1"]
    person.setCurrentIndex(0)
    source.setCurrentIndex(source.findData("b.txt"))
    assert shown_ids(proxy) == ["e3", "e1"]
    source.setCurrentIndex(0)
    context_box(panel).setChecked(False)
    assert shown_ids(proxy) == ["e1", "e2"]


def test_panel_shows_a_filter_applied_elsewhere(panel, proxy):
    proxy.apply_filter_state(EventFilter(search="rivera", date_from=dt.date(2025, 3, 1),
                                         show_context=False))
    assert panel.search_field.text() == "rivera"
    assert not context_box(panel).isChecked()
    from_check, first, to_check, last = date_controls(panel)
    assert from_check.isChecked() and first.isEnabled()
    assert first.date().toPython() == dt.date(2025, 3, 1)
    assert not to_check.isChecked() and not last.isEnabled()


def test_people_are_offered_alphabetically_by_surname(panel):
    _kind, person, _source = combos(panel)
    panel.set_choices(["Tomas Rivera", "Ana Duarte", "bruno costa"], [])
    assert [person.itemText(i) for i in range(person.count())] == [
        "All participants", "bruno costa", "Ana Duarte", "Tomas Rivera"]


def test_date_boxes_start_on_the_corpus_first_and_last_day(panel):
    _from_check, first, _to_check, last = date_controls(panel)
    # The sample's dated events run from 2019 (a year) to 7 March 2025.
    assert panel.date_bounds() == (dt.date(2019, 1, 1), dt.date(2025, 3, 7))
    assert first.date().toPython() == dt.date(2019, 1, 1)
    assert last.date().toPython() == dt.date(2025, 3, 7)
    assert not first.isEnabled() and not last.isEnabled()
    assert first.calendarPopup()
    assert "1000" not in first.toolTip() and "any" not in first.toolTip()
    panel.set_date_bounds(dt.date(2020, 5, 1), dt.date(2020, 6, 1))
    assert first.calendarWidget().selectedDate().toPython() == dt.date(2020, 5, 1)


def test_ticking_from_filters_by_its_date_and_typing_a_date_changes_it(panel, proxy, qtbot):
    panel.show()
    qtbot.waitExposed(panel)
    from_check, first, _to_check, _last = date_controls(panel)
    qtbot.mouseClick(from_check, Qt.MouseButton.LeftButton)
    assert first.isEnabled()
    assert proxy.filter_state().date_from == dt.date(2019, 1, 1)
    panel.activateWindow()
    from_check.setFocus()
    qtbot.waitUntil(from_check.hasFocus)
    qtbot.keyClick(from_check, Qt.Key.Key_Tab)
    assert first.hasFocus()
    qtbot.keyClicks(first, "5 mar 2025")  # the box starts on its day and moves on by itself
    qtbot.keyClick(first, Qt.Key.Key_Return)
    assert proxy.filter_state().date_from == dt.date(2025, 3, 5)
    assert shown_ids(proxy) == ["e2"]
    qtbot.mouseClick(from_check, Qt.MouseButton.LeftButton)
    assert proxy.filter_state().date_from is None
    assert not first.isEnabled()
    assert len(shown_ids(proxy)) == 4


def test_tab_walks_out_of_a_date_box_to_the_next_control(panel, qtbot):
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    from_check, first, to_check, last = date_controls(panel)
    from_check.setChecked(True)
    to_check.setChecked(True)
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert to_check.hasFocus()
    qtbot.keyClick(to_check, Qt.Key.Key_Tab)
    assert last.hasFocus()
    qtbot.keyClick(last, Qt.Key.Key_Tab)
    assert context_box(panel).hasFocus()
    qtbot.keyClick(context_box(panel), Qt.Key.Key_Tab)
    assert panel.table.hasFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Backtab)
    assert context_box(panel).hasFocus()


def test_unticked_date_boxes_are_skipped_by_tab(panel, qtbot):
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    from_check, _first, to_check, _last = date_controls(panel)
    from_check.setFocus()
    qtbot.waitUntil(from_check.hasFocus)
    qtbot.keyClick(from_check, Qt.Key.Key_Tab)
    assert to_check.hasFocus()


def test_clear_filters_resets_everything_and_is_reachable_by_keyboard(panel, proxy, qtbot):
    from PySide6.QtWidgets import QPushButton

    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    kind, person, source = combos(panel)
    qtbot.keyClicks(panel.search_field, "rivera")
    person.setCurrentIndex(person.findData("Tomas Rivera"))
    source.setCurrentIndex(source.findData("a.txt"))
    kind.setCurrentIndex(kind.findData(EventKind.VISIT.value))
    from_check, first, to_check, _last = date_controls(panel)
    from_check.setChecked(True)
    to_check.setChecked(True)
    context_box(panel).setChecked(False)
    qtbot.waitUntil(lambda: proxy.filter_state().search == "rivera")
    assert shown_ids(proxy) == ["e2"]

    (clear,) = [b for b in panel.findChildren(QPushButton) if b.text() == "C&lear filters"]
    panel.search_field.setFocus()
    qtbot.waitUntil(panel.search_field.hasFocus)
    qtbot.keyClick(panel.search_field, Qt.Key.Key_Tab)
    assert clear.hasFocus()
    qtbot.keyClick(clear, Qt.Key.Key_Space)
    assert proxy.filter_state() == EventFilter()
    assert panel.search_field.text() == ""
    assert [c.currentIndex() for c in (kind, person, source)] == [0, 0, 0]
    assert not from_check.isChecked() and not first.isEnabled() and not to_check.isChecked()
    assert context_box(panel).isChecked()
    assert len(shown_ids(proxy)) == 4
    qtbot.wait(SEARCH_WAIT_MS)  # no late search keystroke brings the old text back
    assert proxy.filter_state() == EventFilter()


def test_long_sources_show_in_full_in_the_popup_and_tooltip(panel):
    _kind, _person, source = combos(panel)
    label = "Very Long Outlet Name International: " + "a headline that goes on and on " * 3
    panel.set_choices(["Ana Duarte"], [("x.txt", label)])
    source.setCurrentIndex(1)
    assert source.toolTip() == label
    assert source.itemData(1, Qt.ItemDataRole.ToolTipRole) == label
    width = source.view().fontMetrics().horizontalAdvance(label)
    assert source.view().minimumWidth() >= width


def test_the_panel_fits_beside_the_details_in_an_800_pixel_window(panel):
    panel.set_choices(["Ana Duarte"], [("x.txt", "Outlet: " + "long headline " * 10)])
    assert panel.minimumSizeHint().width() <= 520


def test_panel_emits_activated_on_enter_and_names_its_controls(panel, qtbot):
    from PySide6.QtWidgets import QWidget

    panel.show()
    qtbot.waitExposed(panel)
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.table.model().index(1, 0))
    with qtbot.waitSignal(panel.activated) as signal:
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert signal.args[0].row() == 1
    for widget in panel.findChildren(QWidget):
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isVisible() \
                and widget.parent() is panel:
            assert widget.accessibleName(), widget


def test_columns_shrink_evenly_to_leave_room_for_the_title():
    from viewer.ui.event_table import fitted_widths

    columns = {0: (100, 60), 2: (200, 100)}
    assert fitted_widths(columns, 400) == {0: 100, 2: 200}
    # 70 px short of 300: each column gives up half of what it could spare (140 in all).
    assert fitted_widths(columns, 230) == {0: 80, 2: 150}
    assert fitted_widths(columns, 10) == {0: 60, 2: 100}


def test_a_narrow_list_keeps_its_titles_readable(panel, qtbot):
    panel.resize(460, 500)
    panel.show()
    qtbot.waitExposed(panel)
    header = panel.table.horizontalHeader()
    title = panel.table.fontMetrics().horizontalAdvance("Duarte meets Rivera")
    qtbot.waitUntil(lambda: header.sectionSize(Column.Title) >= title)
    assert sum(header.sectionSize(c) for c in Column) <= panel.table.viewport().width()


def test_source_rows_are_the_shown_rows_in_proxy_order(proxy):
    def mapped() -> list[int]:
        return [proxy.mapToSource(proxy.index(r, 0)).row() for r in range(proxy.rowCount())]

    assert proxy.source_rows() == mapped() == [0, 1, 2, 3]
    proxy.set_search_text("rivera")
    proxy.sort(Column.Date, Qt.SortOrder.DescendingOrder)
    assert proxy.source_rows() == mapped()
    assert [proxy._test_model.event_at(r).id for r in proxy.source_rows()] == ["e2", "e1"]


def test_search_stays_right_when_the_rows_are_sorted_between_keystrokes(proxy):
    events = sample_extraction().events
    for text, column in (("r", Column.Title), ("ri", Column.Date), ("riv", Column.Place),
                         ("t", Column.Sources), ("tr", Column.Kind)):
        proxy.set_search_text(text)
        proxy.sort(column, Qt.SortOrder.DescendingOrder)
        expected = {e.id for e in events if matches(e, EventFilter(search=text))}
        assert set(shown_ids(proxy)) == expected, text


def test_bulk_judging_refuses_haystacks_that_do_not_match_the_events():
    events = sample_extraction().events
    with pytest.raises(ValueError):
        judge_all(events, EventFilter(search="x"), texts=["x"])


def test_searching_after_preparing_finds_the_same_events(proxy):
    proxy.prepare_search()
    proxy.set_search_text("porto")
    assert shown_ids(proxy) == ["e2"]


def test_a_filter_change_keeps_a_selected_row_that_stays_shown(proxy):
    selection = QItemSelectionModel(proxy)
    row = shown_ids(proxy).index("e2")
    selection.setCurrentIndex(proxy.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                              | QItemSelectionModel.SelectionFlag.Rows)
    proxy.set_search_text("rivera")
    assert [i.data(EventRole.Event).id for i in selection.selectedRows()] == ["e2"]
    assert selection.currentIndex().data(EventRole.Event).id == "e2"
    proxy.set_search_text("lisbon")  # e2 is in Porto: hidden, so no longer selected
    assert selection.selectedRows() == []
    assert not selection.currentIndex().isValid()


def test_hidden_rows_map_to_no_proxy_index_and_shown_rows_map_both_ways(proxy):
    table = proxy._test_model
    proxy.set_search_text("porto")
    hidden = table.index(0, 0)  # e1, in Lisbon
    assert table.event_at(0).id == "e1"
    assert not proxy.mapFromSource(hidden).isValid()
    for row in range(proxy.rowCount()):
        source = proxy.mapToSource(proxy.index(row, 2))
        assert source.column() == 2
        assert proxy.mapFromSource(source) == proxy.index(row, 2)


def test_appended_events_that_pass_are_inserted_after_the_shown_rows(proxy, qtbot):
    extra = dataclasses.replace(events_by_id()["e1"], id="e6", title="Rivera meets envoys")
    other = dataclasses.replace(events_by_id()["e1"], id="e7", title="Duarte at home",
                                participants=(), location=None, topics=())
    proxy.set_search_text("rivera")
    before = shown_ids(proxy)
    with qtbot.waitSignal(proxy.rowsInserted) as inserted:
        proxy._test_model.append_events([other, extra])
    assert inserted.args[1:] == [len(before), len(before)]
    assert shown_ids(proxy) == [*before, "e6"]


def test_a_filter_that_changes_nothing_shown_announces_no_layout_change(proxy, qtbot):
    proxy.set_search_text("r")
    with qtbot.assertNotEmitted(proxy.layoutChanged):
        proxy.set_search_text("r ")  # the same words
    assert proxy.filter_state().search == "r "



@pytest.mark.parametrize(("typed", "as_written"),
                         [("Riwera", "Rivera"), ("Douarte", "Duarte"), ("riwera douarte",
                                                                        "rivera duarte")])
def test_a_search_finds_a_participant_whatever_the_spelling(typed, as_written):
    events = sample_extraction().events
    wanted = [e.id for e in filter_events(events, EventFilter(search=as_written))]
    assert wanted
    assert [e.id for e in filter_events(events, EventFilter(search=typed))] == wanted
    verdicts = judge_all(events, EventFilter(search=typed))
    assert [e.id for e, ok in zip(events, verdicts, strict=True) if ok] == wanted


def test_a_spelling_key_does_not_match_a_different_name():
    events = sample_extraction().events
    assert filter_events(events, EventFilter(search="Rodrigo")) == []
