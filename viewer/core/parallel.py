"""Mapping a pure function over many items in worker processes, with progress and cancellation.

``extract_in_processes`` is generic: the pipeline passes its per-document extraction
function, tests pass toy functions. Items go to the workers in chunks so that the cost of
sending a document and its result between processes is paid per chunk, not per item.

Contract:
- one value is yielded per item, in input order: ``work_fn(item)``, or an ``ItemFailure`` when
  ``work_fn`` raised for that item (one bad document never sinks the corpus);
- ``progress(done, total)`` is called as items finish (per chunk in processes, per item in
  process), from the thread that iterates;
- when ``cancelled()`` turns true the iterator stops within about a tenth of a second,
  dropping work not yet started, and simply ends (it does not raise);
- if the worker processes cannot be used (the function or an item cannot be pickled, a
  worker dies), the affected chunks are run in this process instead.

Workers are started with 'spawn' by default on every platform: forking a process that runs
Qt threads can deadlock, and 'spawn' behaves the same on Linux, macOS and Windows. The work
function must therefore be a top-level function of an importable module.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, BrokenExecutor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

SMALL_INPUT = 50  # below this, starting processes costs more than it saves
MAX_CHUNK = 64
MIN_CHUNK = 4
_POLL_SECONDS = 0.05

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class ItemFailure:
    """The work function raised for one item: which item, and what went wrong."""

    index: int
    error: str  # "ValueError: message"
    traceback: str


def default_workers() -> int:
    """How many processes to use: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class WorkerPool:
    """Worker processes started ahead of the work they will be given.

    A spawned worker takes a while to start (a new interpreter imports the work's modules,
    and ``prepare`` may load its data); started early, that overlaps what this process does
    meanwhile, such as reading the files to be worked on. ``close`` (or leaving the ``with``
    block) stops the processes.
    """

    def __init__(self, workers: int, *, prepare: Callable[[], object] | None = None,
                 context: str = "spawn") -> None:
        self.workers = workers
        self.executor = ProcessPoolExecutor(max_workers=workers,
                                            mp_context=multiprocessing.get_context(context),
                                            initializer=_Prepare(prepare))
        # Each submission starts one more process while none is idle: start them all now.
        for _ in range(workers):
            self.executor.submit(int)

    def close(self) -> None:
        """Stop the processes once their current work is done; queued work is dropped."""
        self.executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


@dataclass(frozen=True)
class _Prepare:
    """A pool's initializer: a failed preparation must not break the pool (the work itself
    then meets the problem, item by item, and says so)."""

    prepare: Callable[[], object] | None

    def __call__(self) -> None:
        if self.prepare is not None:
            with contextlib.suppress(Exception):
                self.prepare()


def extract_in_processes(
    items: Iterable[T],
    work_fn: Callable[[T], R],
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    chunksize: int | None = None,
    context: str = "spawn",
    pool: WorkerPool | None = None,
) -> Iterator[R | ItemFailure]:
    """``work_fn`` over ``items`` in worker processes, yielded in input order (see module doc).

    With ``pool``, its processes do the work (and ``workers`` and ``context`` are not used);
    the pool stays open for its owner to close.
    """
    todo = list(items)
    count = pool.workers if pool is not None else \
        workers if workers is not None else default_workers()
    if count <= 1 or len(todo) < SMALL_INPUT:
        yield from _in_process(todo, work_fn, 0, len(todo), progress, cancelled)
        return
    bounds = _fixed_chunks(len(todo), chunksize) if chunksize else \
        _tapering_chunks(len(todo), count)
    if pool is not None:
        yield from _in_pool(todo, work_fn, pool.executor, bounds, progress, cancelled)
        return
    executor = ProcessPoolExecutor(max_workers=min(count, len(bounds)),
                                   mp_context=multiprocessing.get_context(context))
    try:
        yield from _in_pool(todo, work_fn, executor, bounds, progress, cancelled)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _fixed_chunks(total: int, size: int) -> list[tuple[int, int]]:
    """(start, end) of chunks of ``size`` items."""
    return [(start, min(start + size, total)) for start in range(0, total, size)]


def _tapering_chunks(total: int, workers: int) -> list[tuple[int, int]]:
    """(start, end) of chunks that shrink as the work runs out, so the workers finish together.

    Each chunk is a share of what is left (about eight chunks per worker up front, which
    keeps progress smooth), at most MAX_CHUNK items: with chunks all of one size the last
    one ran alone while the other workers idled, for up to a whole chunk's time.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    first = max(1, min(MAX_CHUNK, math.ceil(total / (workers * 8))))
    while start < total:
        left = total - start
        size = min(first, max(MIN_CHUNK, math.ceil(left / (workers * 2))), left)
        bounds.append((start, start + size))
        start += size
    return bounds


def _is_cancelled(cancelled: Cancelled | None) -> bool:
    return cancelled is not None and cancelled()


def run_chunk(work_fn: Callable[[T], R], start: int,
              chunk: Sequence[T]) -> list[R | ItemFailure]:
    """Apply ``work_fn`` to each item of a chunk, catching each item's failure (runs in workers)."""
    out: list[R | ItemFailure] = []
    for offset, item in enumerate(chunk):
        try:
            out.append(work_fn(item))
        except Exception as exc:
            out.append(ItemFailure(start + offset, f"{type(exc).__name__}: {exc}",
                                   traceback.format_exc()))
    return out


def _in_process(todo: Sequence[T], work_fn: Callable[[T], R], done: int, total: int,
                progress: Progress | None,
                cancelled: Cancelled | None) -> Iterator[R | ItemFailure]:
    """The same work, here and now, one item at a time."""
    for index, item in enumerate(todo, start=done):
        if _is_cancelled(cancelled):
            return
        yield run_chunk(work_fn, index, (item,))[0]
        if progress is not None:
            progress(index + 1, total)


def _in_pool(todo: list[T], work_fn: Callable[[T], R], executor: ProcessPoolExecutor,
             bounds: list[tuple[int, int]], progress: Progress | None,
             cancelled: Cancelled | None) -> Iterator[R | ItemFailure]:
    total = len(todo)
    futures: dict[Future[Any], int] = {}
    try:
        for n, (start, end) in enumerate(bounds):
            futures[executor.submit(run_chunk, work_fn, start, todo[start:end])] = n
    except (BrokenExecutor, RuntimeError):
        # A pool whose worker died earlier, or that was shut down, takes no more work.
        for future in futures:
            future.cancel()
        yield from _in_process(todo, work_fn, 0, total, progress, cancelled)
        return
    try:
        finished: dict[int, list[R | ItemFailure]] = {}
        next_chunk = 0
        done = 0
        pending = set(futures)
        while next_chunk < len(bounds):
            if _is_cancelled(cancelled):
                return
            ready, pending = wait(pending, timeout=_POLL_SECONDS, return_when=FIRST_COMPLETED)
            for future in ready:
                n = futures[future]
                chunk_values = _chunk_result(future, work_fn, bounds[n], todo, cancelled)
                if chunk_values is None:
                    return
                finished[n] = chunk_values
                done += len(chunk_values)
                if progress is not None:
                    progress(done, total)
            while next_chunk in finished:
                yield from finished.pop(next_chunk)
                next_chunk += 1
    finally:
        # Also reached when the consumer stops iterating early: drop the queued chunks.
        for future in futures:
            future.cancel()


def _chunk_result(future: Future[Any], work_fn: Callable[[T], R], bounds: tuple[int, int],
                  todo: list[T], cancelled: Cancelled | None) -> list[R | ItemFailure] | None:
    """A finished chunk's values; a chunk the pool failed on is redone here (None: cancelled)."""
    with contextlib.suppress(Exception):
        return future.result()
    # A worker died, or the function, an item or a result could not be pickled.
    start, end = bounds
    chunk = todo[start:end]
    values = list(_in_process(chunk, work_fn, start, len(todo), None, cancelled))
    return values if len(values) == len(chunk) else None
