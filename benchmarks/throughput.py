"""Extraction throughput in MB/s on generated articles: one process, all cores, and dateparser.

Run: .venv/bin/python -m benchmarks.throughput [--articles 10000] [--runs 5]
Prints one JSON object. ``measure_throughput`` is reused by ``benchmarks/run.py``.

The articles are written to a temporary folder and read back with the app's own reader, so
the documents carry the same chrome spans and manifest dates a real corpus would.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from viewer.core.model import Document
from viewer.core.parallel import ItemFailure, default_workers, extract_in_processes
from viewer.core.synthetic import write_corpus

MB = 1_000_000


def load_documents(folder: Path) -> list[Document]:
    """The documents of a corpus folder, read as the app reads them."""
    from viewer.core.reading import read_corpus

    return list(read_corpus([folder]).documents)


def text_megabytes(docs: Sequence[Document]) -> float:
    """The UTF-8 size of the documents' texts, in MB."""
    return sum(len(d.text.encode("utf-8")) for d in docs) / MB


def _extractor() -> Callable[[Document], Any]:
    from viewer.core.pipeline import extract_document

    return extract_document


def one_process_mb_s(docs: Sequence[Document], runs: int) -> list[float]:
    """MB/s of extract_document over ``docs`` in this process, once per run."""
    extract = _extractor()
    extract(docs[0])  # loads the gazetteer and compiles patterns outside the timing
    size = text_megabytes(docs)
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for doc in docs:
            extract(doc)
        rates.append(size / (time.perf_counter() - start))
    return rates


def all_cores_mb_s(docs: Sequence[Document], runs: int, workers: int) -> list[float]:
    """MB/s of extract_document over ``docs`` in ``workers`` processes (start-up included)."""
    extract = _extractor()
    size = text_megabytes(docs)
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        results = list(extract_in_processes(docs, extract, workers=workers))
        rates.append(size / (time.perf_counter() - start))
        failures = [r for r in results if isinstance(r, ItemFailure)]
        if failures:
            raise RuntimeError(f"{len(failures)} documents failed: {failures[0].error}")
    return rates


def dateparser_mb_s(docs: Sequence[Document], runs: int = 1) -> float | None:
    """MB/s of dateparser's ``search_dates`` over ``docs``, the median of ``runs`` (None if
    dateparser is missing)."""
    try:
        from dateparser.search import search_dates
    except ImportError:
        return None
    search_dates(docs[0].text[:200], languages=["en"])  # its own start-up, outside the timing
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for doc in docs:
            search_dates(doc.text, languages=["en"])
        rates.append(text_megabytes(docs) / (time.perf_counter() - start))
    return statistics.median(rates)


def measure_throughput(docs: Sequence[Document], *, runs: int = 5,
                       one_process_docs: int | None = None, parallel_runs: int | None = None,
                       dateparser_docs: int = 30, workers: int | None = None) -> dict[str, Any]:
    """Throughput figures (medians of ``runs``) for a list of documents."""
    workers = workers or default_workers()
    single = docs[:one_process_docs] if one_process_docs else docs
    ours = statistics.median(one_process_mb_s(single, runs))
    parallel = statistics.median(all_cores_mb_s(docs, parallel_runs or runs, workers))
    theirs = dateparser_mb_s(docs[:dateparser_docs], runs)
    return {
        "extract_mb_s": round(ours, 3),
        "extract_mb_s_all_cores": round(parallel, 3),
        "extract_workers": workers,
        "dateparser_mb_s": None if theirs is None else round(theirs, 4),
        "extract_vs_dateparser": None if not theirs else round(ours / theirs, 1),
        "throughput_docs_one_process": len(single),
        "throughput_docs_all_cores": len(docs),
        "throughput_docs_dateparser": min(dateparser_docs, len(docs)),
        "throughput_mb": round(text_megabytes(docs), 2),
    }


def main(argv: list[str] | None = None) -> int:
    """Generate a corpus, measure, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tv-throughput-") as tmp:
        folder = Path(tmp)
        write_corpus(folder, args.articles, seed=args.seed)
        docs = load_documents(folder)
    figures = measure_throughput(docs, runs=args.runs)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
