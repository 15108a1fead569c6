"""Reading and extracting a corpus off the GUI thread, with progress and cancellation."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from viewer.core.model import Extraction


def run_extraction(
    paths: Sequence[str | Path],
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
) -> Extraction:
    """Read and extract a corpus (the one place the GUI calls the pipeline; tests replace it).

    Results are cached by file content, so a corpus opens fast the second time, and large
    corpora are extracted on every core (worker processes are spawned, not forked, so the
    GUI's threads are never copied into them).
    """
    # Heavy imports: keep them off the start-up path.
    from viewer.core.cache import ExtractionCache, default_cache_path
    from viewer.core.pipeline import EXTRACTOR_VERSION, extract_corpus

    with ExtractionCache(default_cache_path(), EXTRACTOR_VERSION) as cache:
        return extract_corpus(paths, workers=None, cache=cache, progress=progress,
                              cancelled=cancelled)


class _Relay(QObject):
    """Carries a worker's news to the GUI thread; every signal is tagged with its load number."""

    progress = Signal(int, int, int)
    finished = Signal(int, object)
    failed = Signal(int, str)


class _LoadTask(QRunnable):
    """One extraction run on a pool thread; it never touches a widget."""

    def __init__(self, generation: int, paths: tuple[str, ...], stop: threading.Event,
                 relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._generation = generation
        self._paths = paths
        self._stop = stop
        self._relay = relay

    def run(self) -> None:
        """Extract, then report the result or the error through the relay."""
        gen, relay = self._generation, self._relay
        try:
            result = run_extraction(
                self._paths,
                lambda done, total: relay.progress.emit(gen, done, total),
                self._stop.is_set,
            )
        except Exception as exc:  # any failure must reach the user, not kill the thread
            relay.failed.emit(gen, f"{type(exc).__name__}: {exc}")
            return
        relay.finished.emit(gen, result)


class CorpusLoader(QObject):
    """Loads one corpus at a time in the background; a new load supersedes the one in flight.

    Results of a superseded or cancelled load are dropped: every signal from a worker carries
    the number of the load that started it, and only the newest number gets through.
    """

    progress = Signal(int, int)
    finished = Signal(object)  # Extraction
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)  # a cancelled load may still be winding down
        self._generation = 0
        self._stop: threading.Event | None = None
        self._relay = _Relay(self)
        self._relay.progress.connect(self._on_progress)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._busy = False

    def load(self, paths: Sequence[str | Path]) -> None:
        """Start extracting ``paths``, cancelling any load still running."""
        self.cancel()
        self._generation += 1
        self._stop = threading.Event()
        self._busy = True
        task = _LoadTask(self._generation, tuple(str(p) for p in paths), self._stop, self._relay)
        self._pool.start(task)

    def cancel(self) -> None:
        """Ask the running load to stop and forget its results."""
        if self._stop is not None:
            self._stop.set()
        self._generation += 1  # whatever the old worker still sends is now stale
        self._busy = False

    def is_loading(self) -> bool:
        """True while a load that has not been cancelled is running."""
        return self._busy

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel and wait for the worker threads to end; False if they did not in time."""
        self.cancel()
        return self._pool.waitForDone(timeout_ms)

    @Slot(int, int, int)
    def _on_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self._generation:
            self.progress.emit(done, total)

    @Slot(int, object)
    def _on_finished(self, generation: int, extraction: object) -> None:
        if generation == self._generation:
            self._busy = False
            self.finished.emit(extraction)

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._busy = False
            self.failed.emit(message)
