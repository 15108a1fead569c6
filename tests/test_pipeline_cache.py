"""The pipeline with a cache: a second load takes every document from it, unanalysed."""

from __future__ import annotations

import shutil

import pytest

from viewer.core import reading
from viewer.core.cache import ExtractionCache
from viewer.core.export import extraction_to_json
from viewer.core.pipeline import EXTRACTOR_VERSION, extract_corpus


@pytest.fixture
def corpus(tmp_path, seeds_dir):
    folder = tmp_path / "corpus"
    shutil.copytree(seeds_dir, folder)
    return folder


def test_a_warm_load_decodes_files_but_analyses_none(tmp_path, corpus, monkeypatch):
    with ExtractionCache(tmp_path / "cache.sqlite3", EXTRACTOR_VERSION) as cache:
        cold = extract_corpus([corpus], cache=cache)

    def no_analysis(text):
        raise AssertionError("a cached document was analysed again")

    monkeypatch.setattr(reading, "find_chrome", no_analysis)
    with ExtractionCache(tmp_path / "cache.sqlite3", EXTRACTOR_VERSION) as cache:
        warm = extract_corpus([corpus], cache=cache)
        assert cache.hits == len(cold.documents)
    assert extraction_to_json(warm) == extraction_to_json(cold)


def test_a_changed_file_is_read_again_and_only_it(tmp_path, corpus):
    with ExtractionCache(tmp_path / "cache.sqlite3", EXTRACTOR_VERSION) as cache:
        extract_corpus([corpus], cache=cache)
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(changed.read_text("utf-8") + "\nA new closing line.\n", "utf-8")
    with ExtractionCache(tmp_path / "cache.sqlite3", EXTRACTOR_VERSION) as cache:
        extract_corpus([corpus], cache=cache)
        assert (cache.hits, cache.misses) == (4, 1)


def test_a_changed_manifest_entry_is_a_miss(tmp_path, corpus):
    with ExtractionCache(tmp_path / "cache.sqlite3", EXTRACTOR_VERSION) as cache:
        extract_corpus([corpus], cache=cache)
    manifest = corpus / "sources.toml"
    manifest.write_text(manifest.read_text("utf-8").replace(
        'language = "en"      #', 'outlet = "Another Outlet"\nlanguage = "en"      #', 1), "utf-8")
    with ExtractionCache(tmp_path / "cache.sqlite3", EXTRACTOR_VERSION) as cache:
        warm = extract_corpus([corpus], cache=cache)
        assert cache.misses == 1
    assert "Another Outlet" in {d.outlet for d in warm.documents}


def test_the_extractor_version_follows_the_data_files(tmp_path, monkeypatch):
    import shutil

    from viewer.core import pipeline
    from viewer.resources import resource_dir

    data = tmp_path / "resources"
    shutil.copytree(resource_dir(), data)
    monkeypatch.setattr(pipeline, "resource_dir", lambda: data)
    before = pipeline._source_digest()
    with (data / "events.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n# a new comment\n")
    assert pipeline._source_digest() != before
