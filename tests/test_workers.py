"""Background loading: results come back on the GUI thread, stale ones never do."""

from __future__ import annotations

import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QThread

from tests.factories import sample_extraction
from viewer.ui import workers
from viewer.ui.workers import CorpusLoader


def test_result_and_progress_arrive_on_the_gui_thread(qtbot, monkeypatch):
    threads = []

    def extract(paths, progress, cancelled):
        threads.append(QThread.currentThread())
        progress(1, 1)
        return sample_extraction()

    monkeypatch.setattr(workers, "run_extraction", extract)
    loader = CorpusLoader()
    seen = []
    loader.progress.connect(lambda done, total: seen.append((done, total, QThread.currentThread())))
    with qtbot.waitSignal(loader.finished, timeout=10000) as blocker:
        loader.load(["/corpus"])
    gui = QThread.currentThread()
    assert blocker.args[0] == sample_extraction()
    assert threads[0] is not gui
    assert seen == [(1, 1, gui)]
    assert not loader.is_loading()
    loader.shutdown()


def test_a_new_load_cancels_the_old_one_and_drops_its_result(qtbot, monkeypatch):
    started = threading.Event()

    def extract(paths, progress, cancelled):
        if paths == ("/old",):
            started.set()
            while not cancelled():
                threading.Event().wait(0.005)
            return "old result"
        return "new result"

    monkeypatch.setattr(workers, "run_extraction", extract)
    loader = CorpusLoader()
    results = []
    loader.finished.connect(results.append)
    loader.load(["/old"])
    assert started.wait(5)
    with qtbot.waitSignal(loader.finished, timeout=10000):
        loader.load(["/new"])
    loader.shutdown()
    qtbot.wait(10)
    assert results == ["new result"]


def test_an_exception_in_the_pipeline_becomes_a_failed_signal(qtbot, monkeypatch):
    def extract(paths, progress, cancelled):
        raise ValueError("unreadable")

    monkeypatch.setattr(workers, "run_extraction", extract)
    loader = CorpusLoader()
    with qtbot.waitSignal(loader.failed, timeout=10000) as blocker:
        loader.load(["/corpus"])
    assert "unreadable" in blocker.args[0]
    loader.shutdown()


def test_cancel_drops_the_result(qtbot, monkeypatch):
    gate = threading.Event()

    def extract(paths, progress, cancelled):
        gate.wait(5)
        return sample_extraction()

    monkeypatch.setattr(workers, "run_extraction", extract)
    loader = CorpusLoader()
    results = []
    loader.finished.connect(results.append)
    loader.load(["/corpus"])
    loader.cancel()
    gate.set()
    assert loader.shutdown()
    qtbot.wait(10)
    assert results == []
    assert not loader.is_loading()


def test_the_second_load_of_a_corpus_comes_from_the_cache(seeds_dir):
    from viewer.core.cache import default_cache_path
    from viewer.core.export import extraction_to_json

    seen: list[tuple[int, int]] = []
    first = workers.run_extraction([seeds_dir], lambda d, t: seen.append((d, t)), lambda: False)
    assert default_cache_path().is_file()
    seen.clear()
    second = workers.run_extraction([seeds_dir], lambda d, t: seen.append((d, t)), lambda: False)
    assert extraction_to_json(second) == extraction_to_json(first)
    # Every document came from the cache: progress starts complete.
    assert seen[0] == (len(first.documents), len(first.documents))
