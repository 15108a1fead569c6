"""The main window, driven as a user would: load, select, open sources, settings, exports."""

from __future__ import annotations

import dataclasses
import json
import os
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tests.factories import sample_extraction
from viewer.core.filters import EventFilter
from viewer.core.model import Extraction
from viewer.ui import workers
from viewer.ui.main_window import (
    MainWindow,
    corpus_from_drop,
    corpus_name,
    export_message,
    recent_label,
    status_text,
)

LOAD_TIMEOUT_MS = 20000


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "harbour-news"
    folder.mkdir()
    (folder / "a.txt").write_text("An article.", encoding="utf-8")
    return folder


@pytest.fixture
def fake_pipeline(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """Every load returns the hand-built sample; the paths asked for are recorded."""
    calls: list[tuple[str, ...]] = []

    def extract(paths, progress, cancelled):
        calls.append(tuple(paths))
        progress(1, 2)
        progress(2, 2)
        return sample_extraction()

    monkeypatch.setattr(workers, "run_extraction", extract)
    return calls


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.json"


def make_window(qtbot, settings_file: Path) -> MainWindow:
    window = MainWindow(settings_file=settings_file)
    qtbot.addWidget(window)
    window.show()
    return window


def load(qtbot, window: MainWindow, paths) -> None:
    with qtbot.waitSignal(window.corpusLoaded, timeout=LOAD_TIMEOUT_MS):
        window.open_corpus(paths)


@pytest.fixture
def window(qtbot, fake_pipeline, settings_file, corpus) -> MainWindow:
    w = make_window(qtbot, settings_file)
    load(qtbot, w, [corpus])
    return w


def proxy_row(window: MainWindow, event_id: str) -> int:
    for row in range(window.proxy.rowCount()):
        if window.proxy.event_at(row).id == event_id:
            return row
    raise AssertionError(f"{event_id} is not shown")


def shown_text(widget: QWidget) -> str:
    """All the text a widget shows in its labels and text views."""
    parts = []
    for label in widget.findChildren(QLabel):
        if label.isVisibleTo(widget):
            doc = QTextDocument()
            doc.setHtml(label.text())  # rich-text labels mark key words with spans
            parts.append(doc.toPlainText())
    for edit in widget.findChildren(QTextEdit) + widget.findChildren(QPlainTextEdit):
        parts.append(edit.toPlainText())
    return "\n".join(parts)


def close(window: MainWindow) -> None:
    window.close()
    QApplication.processEvents()


# --- small pure helpers ------------------------------------------------------------------------


def test_status_text_counts_in_the_singular_and_plural():
    assert status_text(1, 1, 0) == "1 article · 1 event · 0 warnings"
    assert status_text(5, 12, 2) == "5 articles · 12 events · 2 warnings"
    assert status_text(5, 12, 2, shown=3) == "5 articles · 12 events · 3 shown · 2 warnings"
    assert status_text(5, 12, 2, shown=12) == "5 articles · 12 events · 2 warnings"


def test_a_corpus_is_named_by_its_folder(tmp_path):
    assert corpus_name([str(tmp_path / "harbour-news")]) == "harbour-news"
    assert corpus_name([str(tmp_path / "d" / "a.txt"), str(tmp_path / "d" / "b.txt")]) == \
        "d (2 files)"


def test_a_recent_corpus_reads_as_its_name_and_its_path_elided_in_the_middle():
    assert recent_label(["/data/news/harbour"]) == "harbour \u2014 /data/news/harbour"
    long = "/data/" + "deep/" * 30 + "harbour"
    label = recent_label([long], max_chars=40)
    assert label.startswith("harbour \u2014 /data/deep")
    assert label.endswith("deep/harbour") and "\u2026" in label
    assert len(label) <= len("harbour \u2014 ") + 40


def test_a_drop_opens_the_folder_or_else_the_text_files(tmp_path):
    (tmp_path / "f").mkdir()
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "b.pdf").write_text("x")
    assert corpus_from_drop([tmp_path / "a.txt", tmp_path / "f"]) == [str(tmp_path / "f")]
    assert corpus_from_drop([tmp_path / "a.txt", tmp_path / "b.pdf"]) == [str(tmp_path / "a.txt")]
    assert corpus_from_drop([tmp_path / "b.pdf"]) == []


# --- loading ---------------------------------------------------------------------------------


def test_window_lists_every_event_and_counts_them_in_the_status_bar(window, corpus):
    assert window.proxy.rowCount() == 4
    assert window.event_list.table.model() is window.proxy
    assert window.windowTitle() == "Timeline Viewer — harbour-news"
    # Two documents; the hand-built extraction carries no corpus warnings (its one document
    # warning is counted only when extraction copies it into Extraction.warnings).
    assert window.summary_label.text() == "2 articles · 4 events · 0 warnings"
    assert not window.progress_bar.isVisible()


def test_warnings_panel_lists_skipped_files_and_hides_when_there_are_none(
        qtbot, monkeypatch, settings_file, corpus):
    extraction = dataclasses.replace(sample_extraction(),
                                     warnings=("c.txt: skipped, not valid text",))
    monkeypatch.setattr(workers, "run_extraction", lambda paths, progress, cancelled: extraction)
    window = make_window(qtbot, settings_file)
    load(qtbot, window, [corpus])
    items = [window.warnings_list.item(i).text() for i in range(window.warnings_list.count())]
    assert items[0] == "c.txt: skipped, not valid text"
    assert window.warnings_dock.isVisible()
    clean = Extraction(documents=extraction.documents[:1], events=extraction.events[:1])
    monkeypatch.setattr(workers, "run_extraction", lambda paths, progress, cancelled: clean)
    load(qtbot, window, [corpus])
    assert window.warnings_list.count() == 0
    assert not window.warnings_dock.isVisible()
    assert window.summary_label.text() == "1 article · 1 event · 0 warnings"


def test_a_failing_load_is_reported_not_raised(qtbot, monkeypatch, settings_file, corpus):
    def explode(paths, progress, cancelled):
        raise OSError("disk on fire")

    monkeypatch.setattr(workers, "run_extraction", explode)
    window = make_window(qtbot, settings_file)
    with qtbot.waitSignal(window.loadFailed, timeout=LOAD_TIMEOUT_MS):
        window.open_corpus([corpus])
    assert any("disk on fire" in w for w in window.warnings())
    assert window.warnings_dock.isVisible()


def test_reload_cancels_the_load_in_flight_and_only_the_new_result_arrives(
        qtbot, monkeypatch, settings_file, corpus):
    release = threading.Event()
    saw_cancel = threading.Event()
    first = dataclasses.replace(sample_extraction(), events=sample_extraction().events[:1])
    calls = []

    def extract(paths, progress, cancelled):
        calls.append(paths)
        if len(calls) == 1:  # the first load hangs until it is told to stop
            while not cancelled():
                release.wait(0.01)
            saw_cancel.set()
            return first
        return sample_extraction()

    monkeypatch.setattr(workers, "run_extraction", extract)
    window = make_window(qtbot, settings_file)
    window.open_corpus([corpus])
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=LOAD_TIMEOUT_MS)
    loaded = []
    window.corpusLoaded.connect(lambda: loaded.append(window.proxy.rowCount()))
    with qtbot.waitSignal(window.corpusLoaded, timeout=LOAD_TIMEOUT_MS):
        window.reload()
    assert saw_cancel.wait(5)
    window.loader.shutdown()
    QApplication.processEvents()
    assert loaded == [4]


def test_the_real_seeds_load_into_list_and_timeline(qtbot, settings_file, seeds_dir):
    pytest.importorskip("viewer.core.pipeline")
    window = make_window(qtbot, settings_file)
    load(qtbot, window, [seeds_dir])
    assert window.proxy.rowCount() > 0
    assert window.summary_label.text().startswith("5 articles · ")
    assert window.windowTitle() == f"Timeline Viewer — {seeds_dir.name}"


def test_dropping_a_folder_opens_it(qtbot, window, fake_pipeline, tmp_path):
    other = tmp_path / "other-corpus"
    other.mkdir()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    drop = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.corpusLoaded, timeout=LOAD_TIMEOUT_MS):
        window.dropEvent(drop)
    assert fake_pipeline[-1] == (str(other.resolve()),)
    assert window.windowTitle() == "Timeline Viewer — other-corpus"


# --- selection, details, sources ---------------------------------------------------------------


def test_clicking_a_timeline_marker_selects_the_event_in_the_list_and_details(qtbot, window):
    row = proxy_row(window, "e1")
    centre = window.timeline.marker_center(row)
    point = centre.toPoint() if isinstance(centre, QPointF) else QPoint(centre)
    qtbot.mouseClick(window.timeline, Qt.MouseButton.LeftButton, pos=point)
    assert window.selection.currentIndex().row() == row
    assert window.event_list.table.currentIndex().row() == row
    text = shown_text(window.details)
    for excerpt in window.current_event().sources:
        assert excerpt.text in text


def test_right_arrow_on_the_timeline_moves_to_the_next_event_in_time(qtbot, window):
    window.select_event_row(window.model.row_of("e1"))
    window.timeline.setFocus()
    qtbot.keyClick(window.timeline, Qt.Key.Key_Right)
    assert window.current_event().id == "e2"


def test_opening_a_source_shows_the_article_at_the_excerpt_highlighted(qtbot, window):
    window.select_event_row(window.model.row_of("e1"))
    excerpt = window.current_event().sources[1]
    window.details.openSourceRequested.emit(excerpt.document, excerpt.start, excerpt.end)
    source = window.source_window
    assert source is not None and source.isVisible()
    assert "Fisheries talks" in source.windowTitle()
    assert excerpt.text in shown_text(source)
    assert source.viewer.highlighted_ranges()[0] == (excerpt.start, excerpt.end)


def test_activating_an_event_opens_its_first_source(qtbot, window):
    row = proxy_row(window, "e2")
    window.event_list.activated.emit(window.proxy.index(row, 0))
    assert window.source_window is not None and window.source_window.isVisible()
    assert "Envoys meet in Lisbon" in window.source_window.windowTitle()


# --- settings ----------------------------------------------------------------------------------


def test_settings_come_back_in_a_second_window(qtbot, fake_pipeline, settings_file, corpus):
    first = make_window(qtbot, settings_file)
    load(qtbot, first, [corpus])
    first.resize(1180, 760)
    first.timeline_splitter.setSizes([250, 450])
    first.list_splitter.setSizes([600, 400])
    first.set_theme("dark")
    first.proxy.apply_filter_state(EventFilter(search="rivera"))
    first.select_event_row(first.model.row_of("e2"))
    first.timeline.set_visible_range(20000.0, 20200.0)
    visible = first.timeline.visible_range()
    sizes = first.timeline_splitter.sizes(), first.list_splitter.sizes()
    close(first)

    second = make_window(qtbot, settings_file)
    assert (second.width(), second.height()) == (1180, 760)
    assert (second.timeline_splitter.sizes(), second.list_splitter.sizes()) == sizes
    assert second.theme_actions["dark"].isChecked()
    assert second.proxy.filter_state().search == "rivera"
    load(qtbot, second, [corpus])
    assert second.current_event().id == "e2"
    assert second.timeline.visible_range() == pytest.approx(visible)
    second.set_theme("system")
    close(second)


def test_show_context_events_hides_background_events_and_is_remembered(
        qtbot, window, settings_file, corpus):
    window.context_action.trigger()
    assert window.proxy.rowCount() == 2
    assert window.summary_label.text() == "2 articles · 4 events · 2 shown · 0 warnings"
    close(window)
    again = make_window(qtbot, settings_file)
    assert not again.context_action.isChecked()
    load(qtbot, again, [corpus])
    assert again.proxy.rowCount() == 2


def test_opening_a_corpus_puts_it_first_in_the_recent_menu(qtbot, window, tmp_path):
    other = tmp_path / "second"
    other.mkdir()
    load(qtbot, window, [other])
    labels = [a.text() for a in window.recent_menu.actions() if a.text()]
    assert [label.split(" \u2014 ")[0] for label in labels[:2]] == ["second", "harbour-news"]
    assert labels[0].endswith("/second") and " \u2014 /" in labels[0]
    assert window.recent_menu.actions()[0].statusTip() == str(other.resolve())
    window.clear_recent()
    assert [a.text() for a in window.recent_menu.actions() if a.text()] == ["&Clear Menu"]


def test_corrupt_settings_are_kept_defaults_used_and_the_user_told_once(
        qtbot, fake_pipeline, settings_file, corpus):
    settings_file.parent.mkdir(parents=True)
    settings_file.write_text("{ this is not json", encoding="utf-8")
    window = make_window(qtbot, settings_file)
    [backup] = settings_file.parent.glob("settings.json.corrupt-*")
    assert backup.read_text(encoding="utf-8") == "{ this is not json"
    assert window.theme_actions["system"].isChecked()
    told = [w for w in window.warnings() if "corrupt-" in w]
    assert len(told) == 1
    assert window.warnings_dock.isVisible()
    load(qtbot, window, [corpus])
    close(window)
    assert json.loads(settings_file.read_text(encoding="utf-8"))["schema_version"] >= 1
    again = make_window(qtbot, settings_file)
    assert not [w for w in again.warnings() if "corrupt-" in w]


# --- exports -----------------------------------------------------------------------------------


def test_exports_write_json_csv_and_png(window, tmp_path):
    pytest.importorskip("viewer.core.export")
    assert window.export("json", tmp_path / "events.json")
    assert window.export("csv", tmp_path / "events.csv")
    assert window.export("png", tmp_path / "timeline.png")
    assert json.loads((tmp_path / "events.json").read_text(encoding="utf-8"))
    assert "Duarte meets Rivera" in (tmp_path / "events.csv").read_text(encoding="utf-8")
    assert (tmp_path / "timeline.png").read_bytes().startswith(b"\x89PNG")


def test_a_failed_export_shows_a_message_and_does_not_raise(window, tmp_path):
    pytest.importorskip("viewer.core.export")
    assert not window.export("csv", tmp_path / "missing-folder" / "events.csv")
    boxes = [b for b in window.findChildren(QMessageBox) if b.objectName() == "errorBox"]
    assert boxes and "missing-folder" in boxes[-1].text()
    for box in boxes:
        box.close()


def test_help_dialogs_open_without_blocking(window):
    window.show_shortcuts()
    window.show_about()
    about = window.findChild(QMessageBox, "aboutBox")
    assert about is not None and about.textFormat() == Qt.TextFormat.PlainText
    about.close()


def test_headless_png_export_has_the_requested_size(fake_pipeline, corpus, tmp_path, qapp):
    from PySide6.QtGui import QImage

    from viewer.ui.export_image import export_timeline_png

    out = tmp_path / "timeline.png"
    export_timeline_png([corpus], out, 900, 400)
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 400)


def test_tab_goes_from_search_to_filters_to_table_to_timeline_to_details(window):
    panel = window.event_list
    chain = []
    widget = panel.search_field
    for _ in range(200):
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isVisibleTo(window):
            chain.append(widget)
        widget = widget.nextInFocusChain()
        if widget is panel.search_field:
            break
    details = [w for w in chain if window.details_scroll.isAncestorOf(w)
               or w is window.details_scroll]
    order = [chain.index(panel.search_field), chain.index(panel.table),
             chain.index(window.timeline), chain.index(details[0])]
    assert order == sorted(order)
    filters = [w for w in chain[order[0] + 1:order[1]] if panel.isAncestorOf(w)]
    assert filters, "the filter widgets sit between the search box and the table"


def test_the_details_show_when_they_have_the_keyboard_focus(qtbot, window):
    scroll = window.details_scroll
    window.activateWindow()
    window.event_list.table.setFocus()
    qtbot.waitUntil(lambda: not scroll.hasFocus())
    edge_before = scroll.grab().toImage().pixelColor(0, scroll.height() // 2)
    scroll.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(scroll.hasFocus)
    edge_after = scroll.grab().toImage().pixelColor(0, scroll.height() // 2)
    assert edge_after == scroll.palette().color(scroll.palette().ColorRole.Highlight)
    assert edge_before != edge_after


def test_main_views_have_accessible_names(window):
    for widget in (window.timeline, window.event_list, window.details_scroll,
                   window.warnings_list):
        assert widget.accessibleName()


def test_cancel_stops_the_load_and_keeps_the_events_shown(qtbot, window, monkeypatch, tmp_path):
    started = threading.Event()

    def slow(paths, progress, cancelled):
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        return Extraction(documents=(), events=())

    monkeypatch.setattr(workers, "run_extraction", slow)
    other = tmp_path / "big-corpus"
    other.mkdir()
    window.open_corpus([other])
    assert started.wait(5)
    assert window.progress_bar.isVisible() and window.cancel_button.isVisible()
    assert window.windowTitle() == "Timeline Viewer — big-corpus"
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    assert window.loader.shutdown()
    QApplication.processEvents()
    assert not window.progress_bar.isVisible()
    assert window.proxy.rowCount() == 4
    assert window.windowTitle() == "Timeline Viewer — harbour-news"


def test_a_recent_corpus_that_no_longer_exists_is_disabled(qtbot, window, tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    load(qtbot, window, [gone])
    gone.rmdir()
    load(qtbot, window, [tmp_path / "harbour-news"])  # the menu is rebuilt on every open
    enabled = {a.text().split(" \u2014 ")[0]: a.isEnabled()
               for a in window.recent_menu.actions() if a.text()}
    assert enabled["gone"] is False
    assert enabled["harbour-news"] is True


def test_theme_menu_switches_the_palette_and_back(window):
    from viewer.ui.theme import is_dark

    before = is_dark()
    window.theme_actions["dark"].trigger()
    assert is_dark()
    window.theme_actions["light"].trigger()
    assert not is_dark()
    window.theme_actions["system"].trigger()
    assert is_dark() == before
    assert [t for t, a in window.theme_actions.items() if a.isChecked()] == ["system"]


# --- filters that hide everything, and a new corpus --------------------------------------------


def search_for(qtbot, window: MainWindow, text: str) -> None:
    """Type into the search box as a person would, and wait for the list to follow."""
    field = window.event_list.search_field
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.waitUntil(lambda: window.proxy.filter_state().search == text, timeout=3000)


def test_a_search_that_hides_everything_says_so_and_offers_to_clear_it(qtbot, window):
    search_for(qtbot, window, "zzzz")
    assert window.proxy.rowCount() == 0
    for notice in (window.timeline_notice, window.list_notice):
        assert notice.isVisible()
        assert "Filters hide all 4 events" in notice.label.text()
    qtbot.mouseClick(window.timeline_notice.button, Qt.MouseButton.LeftButton)
    assert window.proxy.rowCount() == 4
    assert window.proxy.filter_state().search == ""
    assert not window.timeline_notice.isVisible() and not window.list_notice.isVisible()


def test_the_clear_filters_button_in_the_list_also_works(qtbot, window):
    search_for(qtbot, window, "zzzz")
    qtbot.mouseClick(window.list_notice.button, Qt.MouseButton.LeftButton)
    assert window.proxy.rowCount() == 4


def test_filters_are_kept_on_reload_and_dropped_for_a_different_folder(
        qtbot, window, tmp_path):
    search_for(qtbot, window, "rivera")
    assert window.proxy.rowCount() == 2
    with qtbot.waitSignal(window.corpusLoaded, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.proxy.filter_state().search == "rivera"
    other = tmp_path / "other-news"
    other.mkdir()
    load(qtbot, window, [other])
    assert window.proxy.filter_state().search == ""
    assert window.proxy.rowCount() == 4
    assert not window.timeline_notice.isVisible()


def test_saved_filters_come_back_for_the_same_corpus_only(
        qtbot, fake_pipeline, settings_file, corpus, tmp_path):
    first = make_window(qtbot, settings_file)
    load(qtbot, first, [corpus])
    first.proxy.apply_filter_state(EventFilter(search="rivera"))
    close(first)
    same = make_window(qtbot, settings_file)
    load(qtbot, same, [corpus])
    assert same.proxy.filter_state().search == "rivera"
    close(same)
    other = tmp_path / "other-news"
    other.mkdir()
    different = make_window(qtbot, settings_file)
    load(qtbot, different, [other])
    assert different.proxy.filter_state().search == ""


# --- warnings ---------------------------------------------------------------------------------


def test_a_document_warning_is_listed_and_counted_once(qtbot, monkeypatch, settings_file, corpus):
    # Extraction copies each document's warning into its own, prefixed with the file name.
    extraction = dataclasses.replace(sample_extraction(),
                                     warnings=("b.txt: no publication date found",))
    monkeypatch.setattr(workers, "run_extraction", lambda paths, progress, cancelled: extraction)
    window = make_window(qtbot, settings_file)
    load(qtbot, window, [corpus])
    assert window.warnings_list.count() == 1
    assert window.summary_label.text().endswith("1 warning")


def test_the_warnings_panel_starts_a_few_lines_high(qtbot, monkeypatch, settings_file, corpus):
    extraction = dataclasses.replace(sample_extraction(),
                                     warnings=tuple(f"c{i}.txt: skipped" for i in range(3)))
    monkeypatch.setattr(workers, "run_extraction", lambda paths, progress, cancelled: extraction)
    window = make_window(qtbot, settings_file)
    load(qtbot, window, [corpus])
    qtbot.waitUntil(lambda: window.warnings_dock.isVisible())
    QApplication.processEvents()
    assert window.warnings_dock.height() < window.height() / 6


# --- reload, exports, shortcuts, legend, source window ------------------------------------------


def test_reload_keeps_the_selected_event_and_the_visible_range(qtbot, window):
    window.select_event_row(window.model.row_of("e2"))
    window.timeline.set_visible_range(20140.0, 20160.0)
    before = window.timeline.visible_range()
    with qtbot.waitSignal(window.corpusLoaded, timeout=LOAD_TIMEOUT_MS):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.current_event().id == "e2"
    assert window.timeline.visible_range() == pytest.approx(before)


def test_the_export_message_says_how_many_events_and_that_they_were_filtered(
        qtbot, window, tmp_path):
    search_for(qtbot, window, "rivera")
    assert window.export("json", tmp_path / "events.json")
    message = window.statusBar().currentMessage()
    assert message == f"Exported 2 of 4 events (filtered) to {tmp_path / 'events.json'}"
    png = export_message("png", Path("t.png"), 4, 4)
    assert png == "Exported the timeline of 4 events to t.png"


def test_the_shortcuts_dialog_lists_the_timeline_keys_and_escape(window):
    window.show_shortcuts()
    rows = dict(window._shortcut_rows())
    keys = " | ".join(rows.values())
    for key in ("+ / \u2212", "Home", "End", "Escape", "F5"):
        assert key in keys
    assert "Ctrl+Shift+L" in rows["Clear Filters"]


def test_view_menu_toggles_the_legend_and_remembers_it(qtbot, window, settings_file):
    assert window.timeline.legend_visible()
    window.legend_action.trigger()
    assert not window.timeline.legend_visible()
    close(window)
    again = make_window(qtbot, settings_file)
    assert not again.legend_action.isChecked() and not again.timeline.legend_visible()


def test_the_source_window_opens_over_the_right_part_of_the_main_window(qtbot, window):
    window.move(100, 50)
    window.resize(1400, 900)
    excerpt = window.model.event_at(window.model.row_of("e1")).sources[0]
    window.open_source(excerpt.document, excerpt.start, excerpt.end)
    source = window.source_window
    assert source is not None
    main = window.frameGeometry()
    assert source.x() > main.x() + main.width() // 3
    assert source.x() + source.width() <= main.right() + 1


def test_a_newly_selected_event_opens_its_details_at_the_top(qtbot, window):
    window.resize(900, 420)
    window.select_event_row(window.model.row_of("e1"))
    bar = window.details_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=2000)
    bar.setValue(bar.maximum())
    window.select_event_row(window.model.row_of("e2"))
    assert bar.value() == 0


def test_the_dark_theme_gives_check_boxes_a_visible_edge_and_the_others_take_it_away(window):
    window.theme_actions["dark"].trigger()
    assert "QCheckBox::indicator" in window.styleSheet()
    window.theme_actions["light"].trigger()
    assert window.styleSheet() == ""
    window.theme_actions["system"].trigger()
    assert window.styleSheet() == ""
