"""A whole merged corpus in the cache: one lookup reopens it, and damage only costs a rebuild."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from tests.factories import sample_extraction
from viewer.core import pipeline, reading, serialize
from viewer.core.cache import ExtractionCache
from viewer.core.export import extraction_to_json
from viewer.core.model import Event, Extraction
from viewer.core.pipeline import EXTRACTOR_VERSION, extract_corpus
from viewer.core.serialize import (
    extraction_from_bytes,
    extraction_from_dict,
    extraction_to_bytes,
    extraction_to_dict,
)


def _sources(extraction: Extraction) -> dict[str, tuple[str, str]]:
    return {d.id: (d.text, d.path) for d in extraction.documents}


def _sample() -> Extraction:
    """The factories' extraction with a few rarer values: a disagreement, chrome."""
    sample = sample_extraction()
    event = dataclasses.replace(sample.events[0], disagreements=("Reports differ on the date",))
    return dataclasses.replace(sample, events=(event, *sample.events[1:]), warnings=())


def test_a_merged_extraction_survives_its_columnar_form_unchanged() -> None:
    sample = _sample()
    assert extraction_from_bytes(extraction_to_bytes(sample), _sources(sample)) == sample


def test_shared_lists_and_objects_are_stored_once_and_read_back_equal() -> None:
    sample = _sample()
    data = extraction_to_dict(sample)
    back = extraction_from_dict(data, _sources(sample))
    # A participant of several events is one object, not copies that merely look alike.
    assert back.events[0].participants[1] is back.events[1].participants[0]
    assert back == sample


def test_the_texts_come_from_the_files_just_read_not_from_the_cache() -> None:
    sample = _sample()
    sources = {k: (text, "/elsewhere/" + k) for k, (text, _) in _sources(sample).items()}
    back = extraction_from_bytes(extraction_to_bytes(sample), sources)
    assert {d.path for d in back.documents} == {"/elsewhere/" + d.id for d in sample.documents}
    for event in back.events:
        for x in event.sources:
            assert x.text == back.document(x.document).text[x.start:x.end]


@pytest.mark.parametrize("change", ["missing document", "extra document", "shorter text"])
def test_stored_documents_that_are_not_the_ones_read_are_refused(change: str) -> None:
    sample = _sample()
    sources = _sources(sample)
    first = sorted(sources)[0]
    if change == "missing document":
        del sources[first]
    elif change == "extra document":
        sources["stranger.txt"] = ("text", "/stranger.txt")
    else:
        sources[first] = (sources[first][0][:3], sources[first][1])
    with pytest.raises(ValueError):
        extraction_from_bytes(extraction_to_bytes(sample), sources)


@pytest.mark.parametrize(("table", "column", "value"), [
    ("excerpts", "start", -1),
    ("excerpts", "end", 10**7),
    ("events", "kind", 99),
    ("events", "when", 10**6),
    ("events", "is_context", 2),
    ("events", "title", 0),
    ("events", "sources.cell", -5),
    ("dates", "start", 0),
    ("participants", "name", 0),
])
def test_an_out_of_range_value_is_refused(table: str, column: str, value: int) -> None:
    sample = _sample()
    data = extraction_to_dict(sample)
    data[table][column][-1] = value
    with pytest.raises(ValueError):
        extraction_from_dict(data, _sources(sample))


@pytest.mark.parametrize("junk", [True, "7", 1.5, None])
def test_a_value_that_is_not_an_integer_is_refused(junk: object) -> None:
    sample = _sample()
    data = extraction_to_dict(sample)
    data["events"]["status"][0] = junk
    with pytest.raises(ValueError):
        extraction_from_dict(data, _sources(sample))


@pytest.mark.parametrize("cut", [0, 3, 12, 100, -1])
def test_truncated_or_foreign_bytes_are_refused(cut: int) -> None:
    sample = _sample()
    blob = extraction_to_bytes(sample)
    with pytest.raises(ValueError):
        extraction_from_bytes(blob[:cut], _sources(sample))


def test_a_model_with_a_field_the_layout_does_not_know_is_not_written(monkeypatch) -> None:
    fields = dict(serialize.EXTRACTION_FIELDS)
    fields[Event] = (*fields[Event], "a_new_field")
    monkeypatch.setattr(serialize, "EXTRACTION_FIELDS", fields)
    with pytest.raises(ValueError):
        extraction_to_dict(_sample())


# --- through the pipeline --------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path, seeds_dir):
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


def _cache(tmp_path: Path) -> ExtractionCache:
    return ExtractionCache(tmp_path / "cache.sqlite3", EXTRACTOR_VERSION)


def test_an_unchanged_corpus_reopens_whole_without_merging_or_per_document_rows(
        tmp_path, corpus, monkeypatch):
    with _cache(tmp_path) as cache:
        cold = extract_corpus([corpus], cache=cache)

    def never(*_args, **_kwargs):
        raise AssertionError("an unchanged corpus was analysed or merged again")

    monkeypatch.setattr(pipeline, "merge_results", never)
    monkeypatch.setattr(reading, "find_chrome", never)
    with _cache(tmp_path) as cache:
        monkeypatch.setattr(cache, "get", never)
        warm = extract_corpus([corpus], cache=cache)
        assert cache.hits == len(cold.documents)
    assert extraction_to_json(warm) == extraction_to_json(cold)
    assert warm == cold


def test_an_unchanged_corpus_loads_neither_extractors_nor_gazetteer(tmp_path, corpus):
    with _cache(tmp_path) as cache:
        extract_corpus([corpus], cache=cache)
    script = (
        "import sys\n"
        "from viewer.core.cache import ExtractionCache\n"
        "from viewer.core.pipeline import EXTRACTOR_VERSION, extract_corpus\n"
        f"with ExtractionCache({str(tmp_path / 'cache.sqlite3')!r}, EXTRACTOR_VERSION) as c:\n"
        f"    extract_corpus([{str(corpus)!r}], cache=c)\n"
        "print(sorted(m for m in sys.modules if m.startswith('viewer.core')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[1]).stdout
    for heavy in ("names", "dates", "events", "merging", "sentences"):
        assert f"viewer.core.{heavy}'" not in out


def test_a_moved_corpus_reopens_whole_with_its_new_paths(tmp_path, corpus):
    with _cache(tmp_path) as cache:
        extract_corpus([corpus], cache=cache)
    moved = corpus.rename(tmp_path / "moved")
    with _cache(tmp_path) as cache:
        warm = extract_corpus([moved], cache=cache)
    assert {Path(d.path).parent for d in warm.documents} == {moved.absolute()}


def test_a_changed_file_is_extracted_alone_and_the_corpus_merged_again(tmp_path, corpus):
    with _cache(tmp_path) as cache:
        extract_corpus([corpus], cache=cache)
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text("utf-8") + "\nA new closing line.\n", "utf-8")
    with _cache(tmp_path) as cache:
        first = extract_corpus([corpus], cache=cache)
        assert (cache.hits, cache.misses) == (4, 1)
    with _cache(tmp_path) as cache:
        second = extract_corpus([corpus], cache=cache)
        assert (cache.hits, cache.misses) == (5, 0)
    assert extraction_to_json(first) == extraction_to_json(second)
    assert first.document(changed.name).text.endswith("A new closing line.\n")


def test_the_warnings_are_those_of_this_reading(tmp_path, corpus):
    with _cache(tmp_path) as cache:
        extract_corpus([corpus], cache=cache)
    (corpus / "notes.pdf").write_bytes(b"%PDF")
    with _cache(tmp_path) as cache:
        warm = extract_corpus([corpus], cache=cache)
    assert any(w.startswith("notes.pdf") for w in warm.warnings)


def test_a_damaged_corpus_row_is_deleted_and_the_corpus_rebuilt(tmp_path, corpus):
    with _cache(tmp_path) as cache:
        cold = extract_corpus([corpus], cache=cache)
    with sqlite3.connect(tmp_path / "cache.sqlite3") as conn:
        conn.execute("UPDATE corpora SET data = ?", (zlib.compress(b"TVX1 not columns"),))
    with _cache(tmp_path) as cache:
        rebuilt = extract_corpus([corpus], cache=cache)
        assert cache.warning is None
    with _cache(tmp_path) as cache:
        again = extract_corpus([corpus], cache=cache)
    assert extraction_to_json(rebuilt) == extraction_to_json(cold) == extraction_to_json(again)


def test_only_the_last_few_corpora_are_kept(tmp_path, corpus):
    for n in range(5):
        (corpus / f"extra{n}.txt").write_text(f"Note {n}: nothing happened.\n", "utf-8")
        with _cache(tmp_path) as cache:
            extract_corpus([corpus], cache=cache)
    with sqlite3.connect(tmp_path / "cache.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM corpora").fetchone()[0] == 3


def test_a_cache_written_before_corpora_were_kept_gains_the_table(tmp_path, corpus):
    path = tmp_path / "cache.sqlite3"
    with _cache(tmp_path) as cache:
        extract_corpus([corpus], cache=cache)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE corpora")
    with _cache(tmp_path) as cache:
        extract_corpus([corpus], cache=cache)
        assert cache.warning is None
        assert cache.count() == 5
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM corpora").fetchone()[0] == 1


# --- partial results -------------------------------------------------------------------------


def test_partial_results_arrive_during_a_long_extraction(tmp_path, corpus, monkeypatch):
    monkeypatch.setattr(pipeline, "FIRST_PARTIAL_SECONDS", 0.0)
    seen: list[Extraction] = []
    final = extract_corpus([corpus], partial=seen.append)
    assert seen
    counts = [len(e.documents) for e in seen]
    assert counts == sorted(counts) and counts[-1] <= len(final.documents)
    # Each partial result is the merged corpus of the documents done so far, in order.
    for partial in seen:
        assert partial.documents == final.documents[:len(partial.documents)]
    assert any(e.events for e in seen)


def test_partial_results_wait_for_the_first_interval(tmp_path, corpus):
    seen: list[Extraction] = []
    extract_corpus([corpus], partial=seen.append)
    assert seen == []  # five short articles take well under a second


def test_partial_updates_come_at_doubling_intervals(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(pipeline.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(pipeline, "merge_results", lambda results, warnings: Extraction((), ()))
    calls: list[float] = []
    updates = pipeline._PartialUpdates(lambda _e: calls.append(clock[0]), [], [])
    for tick in range(0, 400):
        clock[0] = tick / 10
        updates.tick()
    assert calls == [1.0, 3.0, 7.0, 15.0, 31.0]


@pytest.mark.parametrize("damage", [b"TVX1 not columns", zlib.compress(b"TVX1 not columns")])
def test_a_damaged_corpus_row_stored_plain_or_compressed_is_rebuilt(tmp_path, corpus, damage):
    with _cache(tmp_path) as cache:
        cold = extract_corpus([corpus], cache=cache)
    with sqlite3.connect(tmp_path / "cache.sqlite3") as conn:
        conn.execute("UPDATE corpora SET data = ?", (damage,))
    with _cache(tmp_path) as cache:
        assert extraction_to_json(extract_corpus([corpus], cache=cache)) == \
            extraction_to_json(cold)


def test_a_corpus_row_compressed_by_an_earlier_version_still_reads(tmp_path, corpus):
    with _cache(tmp_path) as cache:
        cold = extract_corpus([corpus], cache=cache)
    with sqlite3.connect(tmp_path / "cache.sqlite3") as conn:
        (plain,) = conn.execute("SELECT data FROM corpora").fetchone()
        conn.execute("UPDATE corpora SET data = ?", (zlib.compress(plain),))
    with _cache(tmp_path) as cache:
        warm = extract_corpus([corpus], cache=cache)
        assert cache.hits == len(cold.documents)
    assert warm == cold
