"""Large results stream into the views a batch at a time; interim results replace each other
and keep the user's selection; a new load or a cancel stops the stream."""

from __future__ import annotations

import dataclasses
import os
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QThread

from tests.factories import day, sample_extraction
from viewer.core.model import Extraction
from viewer.ui import workers
from viewer.ui.main_window import MainWindow
from viewer.ui.workers import CorpusLoader, EventFeed, accepts_keyword

TIMEOUT_MS = 20000


def many_events(prefix: str, count: int) -> Extraction:
    """``count`` distinct events (ids ``prefix0``...) made from the sample meeting."""
    base = sample_extraction()
    meeting = base.events[0]
    events = tuple(
        dataclasses.replace(meeting, id=f"{prefix}{i}", title=f"{prefix} meeting {i}",
                            when=day(f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}"))
        for i in range(count))
    return dataclasses.replace(base, events=events)


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(workers, "FEED_BATCH", 5)
    return 5


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    w = MainWindow(settings_file=tmp_path / "config" / "settings.json")
    qtbot.addWidget(w)
    w.show()
    return w


def folder(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.mkdir()
    return path


def shown_ids(window: MainWindow) -> set[str]:
    return {window.model.event_at(row).id for row in range(window.model.rowCount())}


# --- the feed on its own --------------------------------------------------------------------


def test_the_feed_puts_a_first_batch_in_at_once_and_the_rest_in_growing_batches(qtbot):
    from viewer.ui.event_model import EventTableModel

    model = EventTableModel()
    feed = EventFeed(model, batch=4)
    reports = []
    feed.progress.connect(lambda done, total: reports.append((done, total)))
    events = many_events("a", 30).events
    with qtbot.waitSignal(feed.finished, timeout=TIMEOUT_MS):
        feed.start(events)
        assert model.rowCount() == 4
    assert [e.id for e in model.events] == [e.id for e in events]
    assert reports == [(4, 30), (8, 30), (16, 30), (30, 30)]
    assert not feed.is_running()


def test_stopping_the_feed_leaves_the_model_as_it_is(qtbot):
    from viewer.ui.event_model import EventTableModel

    model = EventTableModel()
    feed = EventFeed(model, batch=3)
    feed.start(many_events("a", 30).events)
    feed.stop()
    qtbot.wait(50)
    assert model.rowCount() == 3
    assert not feed.is_running()


# --- the window -----------------------------------------------------------------------------


def test_a_large_result_arrives_in_batches_with_progress_in_the_status_bar(
        qtbot, monkeypatch, small_batches, window, tmp_path):
    big = many_events("e", 23)
    monkeypatch.setattr(workers, "run_extraction", lambda paths, progress, cancelled: big)
    counts = []
    window.feed.progress.connect(lambda done, total: counts.append(
        (window.model.rowCount(), window.progress_bar.value(), window.is_loading())))
    with qtbot.waitSignal(window.corpusLoaded, timeout=TIMEOUT_MS):
        window.open_corpus([folder(tmp_path, "big")])
    assert [c[0] for c in counts] == [5, 10, 20, 23]  # each batch as large as all before
    assert [c[1] for c in counts[:-1]] == [5, 10, 20]  # "Showing 20 of 23 events"
    assert all(loading for *_, loading in counts[:-1])
    assert shown_ids(window) == {e.id for e in big.events}
    assert not window.is_loading()
    assert not window.progress_bar.isVisible()


def test_a_reload_mid_feed_leaves_only_the_new_corpus_events(
        qtbot, monkeypatch, small_batches, window, tmp_path):
    old, new = folder(tmp_path, "old"), folder(tmp_path, "new")
    results = {str(old.resolve()): many_events("old", 40),
               str(new.resolve()): many_events("new", 7)}
    monkeypatch.setattr(workers, "run_extraction",
                        lambda paths, progress, cancelled: results[paths[0]])
    window.open_corpus([old])
    qtbot.waitUntil(lambda: 0 < window.model.rowCount() < 40, timeout=TIMEOUT_MS)
    with qtbot.waitSignal(window.corpusLoaded, timeout=TIMEOUT_MS):
        window.open_corpus([new])
    qtbot.wait(50)  # any batch of the old feed would have landed by now
    assert shown_ids(window) == {f"new{i}" for i in range(7)}
    assert "new" in window.windowTitle()


def test_cancel_stops_the_feed_and_keeps_the_events_already_shown(
        qtbot, monkeypatch, small_batches, window, tmp_path):
    big = many_events("e", 60)
    monkeypatch.setattr(workers, "run_extraction", lambda paths, progress, cancelled: big)
    window.open_corpus([folder(tmp_path, "big")])
    qtbot.waitUntil(lambda: 0 < window.model.rowCount() < 60, timeout=TIMEOUT_MS)
    window.cancel_button.click()
    shown = window.model.rowCount()
    qtbot.wait(50)
    assert window.model.rowCount() == shown < 60
    assert not window.is_loading()
    assert not window.cancel_button.isVisible()
    assert "cancelled" in window.statusBar().currentMessage()
    # The passing message goes; a warning stays to say the folder was not read in full.
    assert any("Loading was cancelled" in w for w in window.warnings())


def test_an_interim_result_is_replaced_by_the_next_and_the_selection_survives(
        qtbot, monkeypatch, window, tmp_path):
    monkeypatch.setattr("viewer.ui.main_window.SNAPSHOT_INTERVAL_MS", 0)
    first = many_events("e", 3)
    second = many_events("e", 6)
    final = many_events("e", 8)
    gates = [threading.Event(), threading.Event()]

    def extract(paths, progress, cancelled, partial=None):
        partial(first)
        gates[0].wait(10)
        partial(second)
        gates[1].wait(10)
        return final

    monkeypatch.setattr(workers, "run_extraction", extract)
    window.open_corpus([folder(tmp_path, "slow")])
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=TIMEOUT_MS)
    assert window.is_loading()
    assert window.select_event_row(window.model.row_of("e1"))

    gates[0].set()
    qtbot.waitUntil(lambda: window.model.rowCount() == 6, timeout=TIMEOUT_MS)
    assert window.current_event().id == "e1"
    assert window.details.current_event.id == "e1"

    with qtbot.waitSignal(window.corpusLoaded, timeout=TIMEOUT_MS):
        gates[1].set()
    assert shown_ids(window) == {f"e{i}" for i in range(8)}
    assert window.current_event().id == "e1"


def test_a_selected_event_missing_from_the_next_snapshot_is_dropped_quietly(
        qtbot, monkeypatch, window, tmp_path):
    monkeypatch.setattr("viewer.ui.main_window.SNAPSHOT_INTERVAL_MS", 0)
    gate = threading.Event()
    other = many_events("x", 2)

    def extract(paths, progress, cancelled, partial=None):
        partial(many_events("e", 3))
        gate.wait(10)
        return other

    monkeypatch.setattr(workers, "run_extraction", extract)
    window.open_corpus([folder(tmp_path, "slow")])
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=TIMEOUT_MS)
    window.select_event_row(window.model.row_of("e2"))
    with qtbot.waitSignal(window.corpusLoaded, timeout=TIMEOUT_MS):
        gate.set()
    assert shown_ids(window) == {"x0", "x1"}
    assert window.current_event() is None


# --- the worker -----------------------------------------------------------------------------


def test_interim_results_arrive_on_the_gui_thread_and_stale_ones_never(qtbot, monkeypatch):
    snapshot = many_events("e", 2)
    threads = []

    def extract(paths, progress, cancelled, partial=None):
        partial(snapshot)
        return sample_extraction()

    monkeypatch.setattr(workers, "run_extraction", extract)
    loader = CorpusLoader()
    seen = []
    loader.partial.connect(lambda s: (seen.append(s), threads.append(QThread.currentThread())))
    with qtbot.waitSignal(loader.finished, timeout=TIMEOUT_MS):
        loader.load(["/corpus"])
    assert seen == [snapshot]
    assert threads == [QThread.currentThread()]
    loader.shutdown()


def test_the_pipeline_is_asked_for_interim_results_only_when_it_offers_them(
        monkeypatch, tmp_path):
    import viewer.core.pipeline as pipeline

    monkeypatch.setenv("TIMELINE_VIEWER_CACHE_DIR", str(tmp_path / "cache"))
    asked = []

    def with_partial(paths, *, workers=1, cache=None, progress=None, cancelled=None,
                     partial=None):
        asked.append(partial)
        partial(sample_extraction())
        return sample_extraction()

    def without_partial(paths, *, workers=1, cache=None, progress=None, cancelled=None):
        asked.append("no keyword")
        return sample_extraction()

    got = []

    def collect(snapshot):
        got.append(snapshot)

    monkeypatch.setattr(pipeline, "extract_corpus", with_partial)
    workers.run_extraction([tmp_path], lambda d, t: None, lambda: False, collect)
    monkeypatch.setattr(pipeline, "extract_corpus", without_partial)
    workers.run_extraction([tmp_path], lambda d, t: None, lambda: False, collect)
    assert asked == [collect, "no keyword"]
    assert got == [sample_extraction()]


def test_keyword_support_is_read_from_the_signature():
    def plain(paths, progress, cancelled):
        return None

    def keyed(paths, progress, cancelled, partial=None):
        return None

    def open_ended(*args, **kwargs):
        return None

    assert not accepts_keyword(plain, "partial")
    assert accepts_keyword(keyed, "partial")
    assert accepts_keyword(open_ended, "partial")


def test_cancel_after_an_interim_result_keeps_it_as_what_was_loaded(
        qtbot, monkeypatch, window, tmp_path):
    gate = threading.Event()

    def extract(paths, progress, cancelled, partial=None):
        partial(many_events("e", 4))
        while not cancelled() and not gate.is_set():
            threading.Event().wait(0.005)
        return many_events("e", 9)

    monkeypatch.setattr(workers, "run_extraction", extract)
    window.open_corpus([folder(tmp_path, "slow")])
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=TIMEOUT_MS)
    window.cancel_load()
    gate.set()
    qtbot.wait(50)
    assert shown_ids(window) == {f"e{i}" for i in range(4)}
    assert not window.is_loading()
    assert "slow" in window.windowTitle()
    window.loader.shutdown()
