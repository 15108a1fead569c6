"""The extraction cache: hits by content, misses on change, survives any damage to its file."""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.factories import documents, sample_reports
from viewer.core.cache import ExtractionCache, content_key, default_cache_path
from viewer.core.model import DocumentResult
from viewer.core.serialize import FORMAT_VERSION, schema_fingerprint


@dataclass(frozen=True)
class Meta:
    """Stands in for reading.SourceMeta: only its attributes matter to the cache."""

    file: str
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    published: object = None


def _result() -> DocumentResult:
    a, _ = documents()
    reports = tuple(r for r in sample_reports() if r.document == a.id)
    return DocumentResult(a, reports, ())


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "extraction.sqlite3"


def test_a_stored_result_is_found_again_after_reopening(cache_path: Path) -> None:
    key = content_key(b"article bytes", Meta("a.txt"))
    with ExtractionCache(cache_path, "v1") as cache:
        assert cache.get(key) is None
        cache.put_many([(key, _result())])
    with ExtractionCache(cache_path, "v1") as cache:
        assert cache.get(key) == _result()
        assert cache.warning is None


def test_changed_bytes_or_manifest_entry_give_another_key() -> None:
    base = content_key(b"text", Meta("a.txt", outlet="Harbour Gazette"))
    assert content_key(b"text!", Meta("a.txt", outlet="Harbour Gazette")) != base
    assert content_key(b"text", Meta("a.txt", outlet="Other Gazette")) != base
    assert content_key(b"text", None) != base
    assert content_key(b"text", Meta("a.txt", outlet="Harbour Gazette")) == base


def test_a_changed_file_misses_while_the_others_still_hit(cache_path: Path) -> None:
    old, other = content_key(b"one", None), content_key(b"two", None)
    with ExtractionCache(cache_path, "v1") as cache:
        cache.put_many([(old, _result()), (other, _result())])
        assert cache.get(content_key(b"one, edited", None)) is None
        assert cache.get(other) is not None


def test_a_new_extractor_version_misses_and_prunes_the_old_rows(cache_path: Path) -> None:
    key = content_key(b"one", None)
    with ExtractionCache(cache_path, "v1") as cache:
        cache.put_many([(key, _result())])
    with ExtractionCache(cache_path, "v2") as cache:
        assert cache.get(key) is None
        assert cache.count() == 0


def test_a_hit_under_another_file_name_is_rebound_to_that_file(cache_path: Path) -> None:
    key = content_key(b"same bytes", None)
    with ExtractionCache(cache_path, "v1") as cache:
        cache.put_many([(key, _result())])
        moved = cache.get(key, document_id="renamed.txt", path="/elsewhere/renamed.txt")
    assert moved is not None
    assert moved.document.id == "renamed.txt"
    assert moved.document.path == "/elsewhere/renamed.txt"
    assert {x.document for r in moved.reports for x in r.excerpts} == {"renamed.txt"}
    assert {r.document for r in moved.reports} == {"renamed.txt"}


def test_a_file_that_is_not_a_database_is_set_aside_and_rebuilt(cache_path: Path) -> None:
    cache_path.parent.mkdir(parents=True)
    cache_path.write_bytes(b"this is not sqlite at all" * 100)
    with ExtractionCache(cache_path, "v1") as cache:
        assert cache.enabled
        assert cache.warning is not None
        key = content_key(b"x", None)
        cache.put_many([(key, _result())])
        assert cache.get(key) == _result()
    assert cache_path.with_name(cache_path.name + ".corrupt").exists()


def test_a_database_with_a_foreign_schema_is_set_aside_and_rebuilt(cache_path: Path) -> None:
    cache_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(cache_path)
    conn.execute("CREATE TABLE results (whatever TEXT)")
    conn.commit()
    conn.close()
    with ExtractionCache(cache_path, "v1") as cache:
        assert cache.enabled
        cache.put_many([("k", _result())])
        assert cache.get("k") == _result()


@pytest.mark.parametrize("garbage", [b"not zlib", b"", "a text value"])
def test_a_row_that_fails_to_decode_is_a_miss_and_is_removed(cache_path: Path,
                                                              garbage: object) -> None:
    with ExtractionCache(cache_path, "v1") as cache:
        cache.put_many([("k", _result()), ("other", _result())])
    conn = sqlite3.connect(cache_path)
    conn.execute("UPDATE results SET data = ? WHERE key = 'k'", (garbage,))
    conn.commit()
    conn.close()
    with ExtractionCache(cache_path, "v1") as cache:
        assert cache.get("k") is None
        assert cache.count() == 1
        assert cache.get("other") == _result()


def test_a_row_of_valid_json_that_is_not_a_result_is_a_miss(cache_path: Path) -> None:
    with ExtractionCache(cache_path, "v1") as cache:
        cache.put_many([("k", _result())])
    conn = sqlite3.connect(cache_path)
    row = json.dumps({"format": FORMAT_VERSION, "schema": schema_fingerprint(), "result": 5})
    conn.execute("UPDATE results SET data = ?", (zlib.compress(row.encode()),))
    conn.commit()
    conn.close()
    with ExtractionCache(cache_path, "v1") as cache:
        assert cache.get("k") is None
        assert cache.count() == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="needs file permissions that the user cannot override")
def test_an_unwritable_folder_means_no_caching_and_no_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with ExtractionCache(locked / "sub" / "extraction.sqlite3", "v1") as cache:
            cache.put_many([("k", _result())])
            assert cache.get("k") is None
            assert not cache.enabled
            assert cache.warning
    finally:
        locked.chmod(0o700)


def test_a_cache_path_that_cannot_be_a_file_means_no_caching(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the folder should be")
    with ExtractionCache(blocker / "extraction.sqlite3", "v1") as cache:
        cache.put_many([("k", _result())])
        assert cache.get("k") is None
        assert cache.warning


def test_the_cache_folder_can_be_moved_by_environment(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_VIEWER_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert default_cache_path() == tmp_path / "elsewhere" / "extraction.sqlite3"


def test_a_database_damaged_in_its_pages_never_raises(cache_path: Path) -> None:
    keys = [f"key{i}" for i in range(200)]
    with ExtractionCache(cache_path, "v1") as cache:
        cache.put_many((k, _result()) for k in keys)
    size = cache_path.stat().st_size
    with cache_path.open("r+b") as handle:
        for offset in range(100, size, 1500):
            handle.seek(offset)
            handle.write(b"\xde\xad\xbe\xef" * 64)
    with ExtractionCache(cache_path, "v1") as cache:
        found = [cache.get(k) for k in keys]
        cache.put_many([("new", _result())])
    assert all(r is None or r == _result() for r in found)


def test_a_folder_that_refuses_to_be_created_means_no_caching(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    with ExtractionCache(tmp_path / "nope" / "extraction.sqlite3", "v1") as cache:
        cache.put_many([("k", _result())])
        assert cache.get("k") is None
        assert "Permission denied" in (cache.warning or "")


def test_a_database_that_cannot_be_opened_means_no_caching(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite3, "connect", refuse)
    with ExtractionCache(tmp_path / "extraction.sqlite3", "v1") as cache:
        cache.put_many([("k", _result())])
        assert cache.get("k") is None
        assert not cache.enabled
