"""Workers started ahead of their work, chunks that shrink as the work runs out, and a cold
corpus extracted in processes exactly as in one process."""

from __future__ import annotations

import itertools
import os

import pytest

from viewer.core import pipeline, synthetic
from viewer.core.cache import ExtractionCache
from viewer.core.export import extraction_to_json
from viewer.core.parallel import WorkerPool, _tapering_chunks, extract_in_processes
from viewer.core.reading import iter_article_paths


def square(x: int) -> int:
    return x * x


def whose_process(_x: int) -> int:
    return os.getpid()


def fail_to_prepare() -> None:
    raise RuntimeError("no data files here")


@pytest.mark.parametrize(("total", "workers"), [(1, 2), (60, 2), (2000, 2), (10_000, 4)])
def test_tapering_chunks_cover_every_item_once_in_order(total: int, workers: int) -> None:
    bounds = _tapering_chunks(total, workers)
    assert bounds[0][0] == 0 and bounds[-1][1] == total
    assert all(end == next_start for (_, end), (next_start, _) in itertools.pairwise(bounds))


def test_tapering_chunks_shrink_toward_the_end_so_the_workers_finish_together() -> None:
    sizes = [end - start for start, end in _tapering_chunks(2000, 2)]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] >= 32 and sizes[-2] <= 4


def test_a_pool_started_ahead_does_the_work_in_input_order() -> None:
    with WorkerPool(2) as pool:
        first = list(extract_in_processes(range(120), square, pool=pool))
        again = list(extract_in_processes(range(80), square, pool=pool))
    assert first == [x * x for x in range(120)]
    assert again == [x * x for x in range(80)]


def test_the_work_runs_in_the_pools_processes() -> None:
    with WorkerPool(2) as pool:
        pids = set(extract_in_processes(range(100), whose_process, pool=pool))
    assert os.getpid() not in pids


def test_a_failed_preparation_leaves_the_pool_working() -> None:
    with WorkerPool(2, prepare=fail_to_prepare) as pool:
        assert list(extract_in_processes(range(60), square, pool=pool)) == \
            [x * x for x in range(60)]


def test_a_closed_pool_still_gets_the_work_done_here() -> None:
    pool = WorkerPool(2)
    pool.close()
    assert list(extract_in_processes(range(60), square, pool=pool)) == [x * x for x in range(60)]


# --- the pipeline ----------------------------------------------------------------------------


class _FakePool:
    def __init__(self, workers: int, **_: object) -> None:
        self.workers = workers


def test_workers_start_before_reading_only_for_many_files_and_a_cache_that_must_miss(
        tmp_path, monkeypatch) -> None:
    import viewer.core.parallel as parallel

    monkeypatch.setattr(parallel, "WorkerPool", _FakePool)
    monkeypatch.setattr(pipeline, "_EARLY_WORKERS_MIN_FILES", 3)
    folder = tmp_path / "corpus"
    synthetic.write_corpus(folder, 4, seed=1)
    listing = iter_article_paths([folder])
    with ExtractionCache(tmp_path / "cache.sqlite3", pipeline.EXTRACTOR_VERSION) as cache:
        assert isinstance(pipeline._early_workers(listing, 2, cache), _FakePool)
        assert pipeline._early_workers(listing, 1, cache) is None
        pipeline.extract_corpus([folder], cache=cache)  # now holds all four
        assert pipeline._early_workers(listing, 2, cache) is None
    assert isinstance(pipeline._early_workers(listing, 2, None), _FakePool)
    monkeypatch.setattr(pipeline, "_EARLY_WORKERS_MIN_FILES", 5)
    assert pipeline._early_workers(listing, 2, None) is None


def test_a_cold_corpus_extracted_by_early_workers_equals_one_process(tmp_path,
                                                                     monkeypatch) -> None:
    folder = tmp_path / "corpus"
    synthetic.write_corpus(folder, 70, seed=3)
    alone = pipeline.extract_corpus([folder], workers=1)
    monkeypatch.setattr(pipeline, "_EARLY_WORKERS_MIN_FILES", 10)
    monkeypatch.setattr(pipeline, "_PARALLEL_MIN_CHARS", 1000)
    started: list[WorkerPool] = []
    real = WorkerPool

    def spy(*args: object, **kwargs: object) -> WorkerPool:
        started.append(real(*args, **kwargs))
        return started[-1]

    import viewer.core.parallel as parallel

    monkeypatch.setattr(parallel, "WorkerPool", spy)
    with ExtractionCache(tmp_path / "cache.sqlite3", pipeline.EXTRACTOR_VERSION) as cache:
        cold = pipeline.extract_corpus([folder], workers=2, cache=cache)
    with ExtractionCache(tmp_path / "cache.sqlite3", pipeline.EXTRACTOR_VERSION) as cache:
        warm = pipeline.extract_corpus([folder], workers=2, cache=cache)
        assert cache.hits == 70
    assert len(started) == 1
    assert extraction_to_json(cold) == extraction_to_json(alone) == extraction_to_json(warm)
