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


def test_choices_list_people_by_frequency_and_sources_by_label():
    extraction = sample_extraction()
    assert participant_names(extraction.events) == ["Tomas Rivera", "Ana Duarte"]
    assert source_choices(extraction.documents) == [
        ("b.txt", "Fisheries talks"),
        ("a.txt", "Harbour Gazette: Envoys meet in Lisbon"),
    ]


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


def test_panel_controls_set_the_proxy_filter(panel, proxy):
    from PySide6.QtWidgets import QCheckBox, QComboBox

    kind, person, source = panel.findChildren(QComboBox)
    kind.setCurrentIndex(kind.findData(EventKind.VISIT.value))
    assert shown_ids(proxy) == ["e2"]
    kind.setCurrentIndex(0)
    person.setCurrentIndex(person.findData("Ana Duarte"))
    assert shown_ids(proxy) == ["e1"]
    person.setCurrentIndex(0)
    source.setCurrentIndex(source.findData("b.txt"))
    assert shown_ids(proxy) == ["e3", "e1"]
    source.setCurrentIndex(0)
    panel.findChild(QCheckBox).setChecked(False)
    assert shown_ids(proxy) == ["e1", "e2"]


def test_panel_shows_a_filter_applied_elsewhere(panel, proxy):
    from PySide6.QtWidgets import QCheckBox, QDateEdit

    proxy.apply_filter_state(EventFilter(search="rivera", date_from=dt.date(2025, 3, 1),
                                         show_context=False))
    assert panel.search_field.text() == "rivera"
    assert not panel.findChild(QCheckBox).isChecked()
    first, last = panel.findChildren(QDateEdit)
    assert first.date().toPython() == dt.date(2025, 3, 1)
    assert last.text() == "any"


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
