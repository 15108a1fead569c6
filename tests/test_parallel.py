"""Process-pool map: same answers as a plain loop, progress, cancellation, failures per item."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from viewer.core.parallel import ItemFailure, extract_in_processes


def square(x: int) -> int:
    return x * x


def fail_on_thirteen(x: int) -> int:
    if x == 13:
        raise ValueError("thirteen is unlucky")
    return x


def die_in_a_worker_on_thirteen(x: int) -> int:
    if x == 13 and multiprocessing.parent_process() is not None:
        os._exit(3)  # a worker crash, as a segfault or the OOM killer would cause
    return x


def slow(x: int) -> int:
    time.sleep(0.02)
    return x


@pytest.mark.parametrize("workers", [1, 2])
def test_results_equal_the_serial_map_in_input_order(workers: int) -> None:
    items = list(range(120))
    results = list(extract_in_processes(items, square, workers=workers, chunksize=7))
    assert results == [square(x) for x in items]


def test_small_inputs_run_in_process_with_the_same_results() -> None:
    assert list(extract_in_processes(range(10), square, workers=4)) == [x * x for x in range(10)]


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_rises_to_the_total(workers: int) -> None:
    seen: list[tuple[int, int]] = []
    list(extract_in_processes(range(100), square, workers=workers, chunksize=9,
                              progress=lambda done, total: seen.append((done, total))))
    assert seen[-1] == (100, 100)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.parametrize("workers", [1, 2])
def test_cancelling_stops_early_and_ends_the_iteration(workers: int) -> None:
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    results = list(extract_in_processes(range(400), slow, workers=workers, chunksize=4,
                                        cancelled=cancelled))
    assert len(results) < 400
    assert results == list(range(len(results)))


@pytest.mark.parametrize("workers", [1, 2])
def test_an_item_that_raises_is_reported_alone_and_the_rest_complete(workers: int) -> None:
    results = list(extract_in_processes(range(60), fail_on_thirteen, workers=workers,
                                        chunksize=5))
    failure = results[13]
    assert isinstance(failure, ItemFailure)
    assert failure.index == 13
    assert "ValueError: thirteen is unlucky" in failure.error
    assert "fail_on_thirteen" in failure.traceback
    assert [r for i, r in enumerate(results) if i != 13] == [x for x in range(60) if x != 13]


def test_a_worker_that_dies_does_not_lose_the_items() -> None:
    results = list(extract_in_processes(range(80), die_in_a_worker_on_thirteen, workers=2,
                                        chunksize=5))
    assert results == list(range(80))


def test_a_function_that_cannot_be_pickled_still_runs() -> None:
    results = list(extract_in_processes(range(60), lambda x: x + 1, workers=2, chunksize=10))
    assert results == list(range(1, 61))


def test_stopping_iteration_early_leaves_no_error() -> None:
    iterator = extract_in_processes(range(400), slow, workers=2, chunksize=4)
    assert next(iterator) == 0
    iterator.close()
