"""The event table model: what each row shows and what each role returns."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QModelIndex, Qt

from tests.factories import day, month, sample_extraction, year
from viewer.core.model import Certainty, DateValue, EventKind, Precision, Status
from viewer.ui.event_model import Column, EventTableModel, sort_key
from viewer.ui.filter_proxy import EventFilterProxy
from viewer.ui.roles import EventRole
from viewer.ui.text_format import (
    describe_date,
    describe_published,
    format_date,
    format_date_long,
    format_published,
    from_qt_offset,
    highlight_html,
    to_qt_offset,
)


@pytest.fixture
def model(qapp) -> EventTableModel:
    model = EventTableModel()
    model.set_events(sample_extraction().events)
    return model


def span(first: str, last: str) -> DateValue:
    return DateValue(dt.date.fromisoformat(first), dt.date.fromisoformat(last), Precision.DAY,
                     Certainty.STATED, "stated")


# --- dates as people read them -----------------------------------------------------------


@pytest.mark.parametrize(("value", "short", "long"), [
    (day("2021-10-19"), "19 Oct 2021", "Tuesday 19 Oct 2021"),
    (month(2021, 10), "Oct 2021", "October 2021"),
    (year(2021), "2021", "2021"),
    (span("2021-10-12", "2021-10-15"), "12\u201315 Oct 2021", "12\u201315 Oct 2021"),
    (span("2021-10-28", "2021-11-02"), "28 Oct \u2013 2 Nov 2021", "28 Oct \u2013 2 Nov 2021"),
    (span("2021-12-30", "2022-01-02"), "30 Dec 2021 \u2013 2 Jan 2022",
     "30 Dec 2021 \u2013 2 Jan 2022"),
    (None, "undated", "Undated"),
])
def test_dates_are_written_at_their_precision(value, short, long):
    assert format_date(value) == short
    assert format_date_long(value) == long


def test_a_date_description_gives_certainty_and_basis_but_not_a_bare_stated_twice():
    inferred = day("2025-03-03", Certainty.INFERRED, "'on Monday', article published 2025-03-05")
    assert describe_date(inferred) == (
        "Monday 3 Mar 2025 \u00b7 inferred \u00b7 'on Monday', article published 2025-03-05")
    assert describe_date(day("2025-03-03")) == "Monday 3 Mar 2025 \u00b7 stated"


def test_publication_dates_say_when_they_are_not_stated_and_how_they_were_found():
    basis = "on or before 2021-10-20: 'on Wednesday October 20' is still to come"
    guessed = day("2021-10-20", Certainty.UNCERTAIN, basis)
    assert format_published(day("2021-10-20")) == "20 Oct 2021"
    assert format_published(guessed) == "20 Oct 2021 (uncertain)"
    assert format_published(None) == "date unknown"
    assert describe_published(guessed) == (
        f"Published Wednesday 20 Oct 2021 \u00b7 uncertain \u00b7 {basis}")
    assert describe_published(None) == "Publication date unknown"


def test_highlight_escapes_article_text_and_marks_only_the_key():
    html = highlight_html("a <b>x</b> & y", 2, 10)
    assert html == 'a <span style="font-weight:600">&lt;b&gt;x&lt;/b&gt;</span> &amp; y'
    assert highlight_html("<i>", None, None) == "&lt;i&gt;"
    assert highlight_html("one\ntwo", 50, 60) == "one<br>two"


def test_qt_positions_count_utf16_units_and_convert_back():
    text = "a\U0001F600b\U0001F680c"
    assert [to_qt_offset(text, i) for i in range(len(text) + 1)] == [0, 1, 3, 4, 6, 7]
    assert [from_qt_offset(text, q) for q in (0, 1, 3, 4, 6, 7)] == [0, 1, 2, 3, 4, 5]


# --- the model ---------------------------------------------------------------------------


def test_model_passes_qt_model_tester(qtmodeltester, model):
    qtmodeltester.check(model, force_py=True)


def test_proxy_passes_qt_model_tester(qtmodeltester, model):
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search_text("rivera")
    qtmodeltester.check(proxy, force_py=True)


def test_proxy_stays_a_valid_model_through_filtering_sorting_appending_and_reset(
        qtmodeltester, model):
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy, force_py=True)  # keeps checking every change that follows
    events = sample_extraction().events
    proxy.set_search_text("rivera")
    proxy.sort(Column.Title, Qt.SortOrder.DescendingOrder)
    model.append_events([dataclasses.replace(events[0], id="e9", title="Rivera again")])
    proxy.set_search_text("")
    proxy.set_show_context(False)
    model.set_events(events[:2])
    proxy.setSourceModel(None)
    assert proxy.rowCount() == 0 and not proxy.index(0, 0).isValid()
    proxy.setSourceModel(model)
    assert proxy.rowCount() == len([e for e in events[:2] if not e.is_context])


def test_each_column_shows_what_a_reader_expects(model):
    row = model.row_of("e2")
    shown = [model.index(row, c).data() for c in Column]
    assert shown == ["7 Mar 2025", "Rivera visits Porto", "Visit (planned)", "Porto", 1]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in Column] == [
        "Date", "Title", "Kind", "Place", "Sources"]
    assert model.index(model.row_of("e4"), Column.Date).data() == "undated"
    assert model.index(model.row_of("e3"), Column.Place).data() == ""


def test_planned_events_are_italic_and_described_for_screen_readers(model):
    row = model.row_of("e2")
    assert model.index(row, Column.Title).data(Qt.ItemDataRole.FontRole).italic()
    assert model.index(row, Column.Kind).data(Qt.ItemDataRole.AccessibleTextRole) == \
        "visit, planned"
    assert model.index(row, Column.Date).data(Qt.ItemDataRole.AccessibleTextRole) == \
        "Friday 7 Mar 2025"
    tip = model.index(row, Column.Title).data(Qt.ItemDataRole.ToolTipRole)
    assert "Rivera visits Porto" in tip and "Reported by 1 source" in tip


def test_roles_return_the_events_data(model):
    events = {e.id: e for e in sample_extraction().events}
    index = model.index(model.row_of("e1"), Column.Title)
    assert index.data(EventRole.Event) == events["e1"]
    assert index.data(EventRole.Start) == dt.date(2025, 3, 3)
    assert index.data(EventRole.End) == dt.date(2025, 3, 3)
    # StrEnum values cross QVariant as plain strings that still equal the members.
    assert index.data(EventRole.Precision) == Precision.DAY
    assert index.data(EventRole.Kind) == EventKind.MEETING
    assert index.data(EventRole.Certainty) == Certainty.INFERRED
    assert index.data(EventRole.Status) == Status.HAPPENED
    assert tuple(index.data(EventRole.Participants)) == ("Ana Duarte", "Tomas Rivera")
    assert index.data(EventRole.SourceCount) == 2
    assert index.data(EventRole.Title) == "Duarte meets Rivera in Lisbon"
    assert index.data(EventRole.IsContext) is False
    assert index.data(EventRole.Location) == "Lisbon"
    assert tuple(index.data(EventRole.Documents)) == ("a.txt", "b.txt")
    assert tuple(index.data(EventRole.SortKey)) == sort_key(events["e1"])
    assert index.data(EventRole.EventId) == "e1"


def test_roles_of_an_undated_event_are_empty(model):
    index = model.index(model.row_of("e4"), 0)
    assert index.data(EventRole.Start) is None
    assert index.data(EventRole.Precision) is None
    assert index.data(EventRole.IsContext) is True
    assert index.data(EventRole.SortKey)[0] == dt.date.max


def test_set_events_replaces_rows_and_append_adds_them(model, qtbot):
    events = sample_extraction().events
    with qtbot.waitSignal(model.modelReset):
        model.set_events(events[:2])
    assert model.rowCount() == 2
    assert model.row_of("e3") is None
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.append_events(events[2:])
    assert inserted.args[1:] == [2, 3]
    assert model.rowCount() == 4
    assert model.event_at(model.row_of("e4")).id == "e4"
    model.append_events([])
    assert model.rowCount() == 4


def test_appended_rows_fall_into_the_sorted_order(model):
    model.sort(Column.Date, Qt.SortOrder.AscendingOrder)
    early = dataclasses.replace(sample_extraction().events[0], id="e0", when=year(2001))
    model.append_events([early])
    assert [model.event_at(r).id for r in range(model.rowCount())] == \
        ["e0", "e3", "e1", "e2", "e4"]
    assert model.row_of("e0") == 0


def test_model_has_no_children_and_rejects_rows_out_of_range(model):
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(model.index(99, 0)) is None
    assert model.data(QModelIndex()) is None


def test_events_on_one_day_sort_by_title_and_undated_stay_last_in_either_order(model):
    base = sample_extraction().events[0]
    same_day = [dataclasses.replace(base, id=i, title=t, when=day("2025-03-03"))
                for i, t in (("x1", "zeta talks"), ("x2", "Alpha talks"), ("x3", "beta talks"))]
    model.set_events([*same_day, dataclasses.replace(base, id="x4", when=None)])
    model.sort(Column.Date, Qt.SortOrder.AscendingOrder)
    assert [e.id for e in model.events] == ["x2", "x3", "x1", "x4"]
    model.sort(Column.Date, Qt.SortOrder.DescendingOrder)
    assert [e.id for e in model.events] == ["x1", "x3", "x2", "x4"]


def test_a_sort_tells_which_old_row_each_new_row_came_from(model):
    before = list(model.events)
    model.sort(Column.Title, Qt.SortOrder.DescendingOrder)
    assert [before[old] for old in model.last_reorder] == list(model.events)
    assert [e.title for e in model.events] == sorted((e.title for e in before),
                                                     key=str.casefold, reverse=True)
