"""Reading and extracting a corpus off the GUI thread, with progress, interim results and
cancellation; and feeding a large result into the model a batch per event-loop turn."""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from viewer.core.model import Event, Extraction

FEED_BATCH = 4000  # events in the first batch a feed puts into the model (tens of ms)

Partial = Callable[[Extraction], None]


def accepts_keyword(func: Callable[..., Any], name: str) -> bool:
    """True when ``func`` can be called with the keyword argument ``name``."""
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    return name in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())


def run_extraction(
    paths: Sequence[str | Path],
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
    partial: Partial | None = None,
) -> Extraction:
    """Read and extract a corpus (the one place the GUI calls the pipeline; tests replace it).

    Results are cached by file content, so a corpus opens fast the second time, and large
    corpora are extracted on every core (worker processes are spawned, not forked, so the
    GUI's threads are never copied into them). ``partial`` gets interim snapshots of a long
    extraction, when the pipeline offers them.
    """
    # Heavy imports: keep them off the start-up path.
    from viewer.core.cache import ExtractionCache, default_cache_path
    from viewer.core.pipeline import EXTRACTOR_VERSION, extract_corpus

    # Older pipelines have no interim results; ask for them only where they exist.
    options: dict[str, Any] = {}
    if partial is not None and accepts_keyword(extract_corpus, "partial"):
        options["partial"] = partial
    with ExtractionCache(default_cache_path(), EXTRACTOR_VERSION) as cache:
        return extract_corpus(paths, workers=None, cache=cache, progress=progress,
                              cancelled=cancelled, **options)


class _Relay(QObject):
    """Carries a worker's news to the GUI thread; every signal is tagged with its load number."""

    progress = Signal(int, int, int)
    partial = Signal(int, object)
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
        # Looked up at run time: tests replace run_extraction, some without ``partial``.
        extract = run_extraction
        options: dict[str, Any] = {}
        if accepts_keyword(extract, "partial"):
            # Emitted from this thread, delivered (queued) on the GUI thread; an Extraction
            # is frozen, so handing it over shares nothing mutable.
            options["partial"] = lambda snapshot: relay.partial.emit(gen, snapshot)
        try:
            result = extract(
                self._paths,
                lambda done, total: relay.progress.emit(gen, done, total),
                self._stop.is_set,
                **options,
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
    partial = Signal(object)  # Extraction: the documents done so far, merged
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
        self._relay.partial.connect(self._on_partial)
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
    def _on_partial(self, generation: int, snapshot: object) -> None:
        if generation == self._generation:
            self.partial.emit(snapshot)

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


class EventFeed(QObject):
    """Puts events into an EventTableModel a batch per event-loop turn, so that the first
    events of a large result show at once and the window answers between batches; a new
    ``start`` or ``stop`` ends the feed in flight."""

    progress = Signal(int, int)  # events in the model, events to put there
    finished = Signal()  # every event of the last start() is in the model

    def __init__(self, model: Any, batch: int | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._batch = max(1, FEED_BATCH if batch is None else batch)
        self._events: Sequence[Event] = ()
        self._done = 0
        self._run = 0  # which start() the feed is on
        self._timer = QTimer(self)
        self._timer.setInterval(0)  # one batch each time the event loop has nothing else to do
        self._timer.timeout.connect(self._tick)

    def start(self, events: Sequence[Event]) -> None:
        """Replace the model's rows by ``events``: the first batch now, the rest in turns."""
        self._timer.stop()
        self._run += 1
        self._events = events
        self._done = min(len(events), self._batch)
        self._model.set_events(list(events[: self._done]))
        self._report()

    def stop(self) -> None:
        """Leave the model as it is now and put nothing more into it."""
        self._timer.stop()
        self._run += 1
        self._events = ()

    def is_running(self) -> bool:
        """True while events of the last start() are still waiting to go in."""
        return self._timer.isActive()

    def _tick(self) -> None:
        # The views redo work in proportion to every row they hold on each batch (the model
        # re-sorts, the timeline re-reads its columns), so each batch is as large as all
        # before it: a handful of batches (6 for 100,000 events), not dozens.
        end = min(len(self._events), self._done + max(self._batch, self._done))
        self._model.append_events(self._events[self._done:end])
        self._done = end
        self._report()

    def _report(self) -> None:
        total, done, run = len(self._events), self._done, self._run
        if done < total:
            self._timer.start()
        else:
            self._timer.stop()
            self._events = ()
        # A listener may start or stop a feed; only the feed it reports on may finish.
        self.progress.emit(done, total)
        if done >= total and run == self._run:
            self.finished.emit()
