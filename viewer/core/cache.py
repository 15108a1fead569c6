"""A persistent cache of per-document extraction results, so a corpus re-opens fast.

One SQLite file (stdlib ``sqlite3``, WAL mode) maps (content key, extractor version) to a
zlib-compressed JSON ``DocumentResult``. The content key is the SHA-256 of the file's bytes
plus a hash of its manifest entry, so an edited file misses alone and a renamed or moved file
still hits (its id and path are rebound on the way out).

A second table keeps the merged ``Extraction`` of the last few whole corpora, keyed by every
document's name and content key, in the columnar form of ``serialize.extraction_to_dict``:
reopening an unchanged corpus is one lookup and one decode, with no merging at all.

The file is never trusted: rows are decoded by ``viewer.core.serialize`` (no pickle, every
value type-checked), a row that fails is deleted and counts as a miss, and a file that is not
a database or has a foreign schema is moved aside as ``*.corrupt`` and rebuilt. If the cache
cannot be opened or written at all, it quietly becomes a cache that never hits; the reason is
kept in ``warning`` for the app to show once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import platformdirs

from viewer.core.model import DocumentResult, Excerpt, Extraction, Quote, Report
from viewer.core.serialize import (
    EXTRACTION_MAGIC,
    extraction_from_bytes,
    extraction_to_bytes,
    result_from_dict,
    result_to_dict,
)

CACHE_DIR_ENV = "TIMELINE_VIEWER_CACHE_DIR"
CACHE_FILE = "extraction.sqlite3"
SCHEMA = "timeline-viewer-extraction-cache/1"
_META_FIELDS = ("file", "outlet", "url", "language", "published")
_MAX_ROW_BYTES = 256 * 1024 * 1024
_COMPRESSION_LEVEL = 3  # most of level 9's size at a fraction of its time
_KEPT_CORPORA = 3  # merged corpora kept: each is a few bytes per character of text
_CORPORA_TABLE = ("CREATE TABLE corpora (key TEXT PRIMARY KEY, version TEXT NOT NULL, "
                  "data BLOB NOT NULL)")


def default_cache_path() -> Path:
    """Where the cache lives (``$TIMELINE_VIEWER_CACHE_DIR`` overrides the default folder)."""
    override = os.environ.get(CACHE_DIR_ENV)
    base = Path(override) if override else Path(
        platformdirs.user_cache_dir("timeline-viewer", appauthor=False)
    )
    return base / CACHE_FILE


def content_key(data: bytes, meta: Any | None) -> str:
    """The cache key of a file: a hash of its bytes and of its manifest entry (SourceMeta)."""
    described = None if meta is None else [
        None if (v := getattr(meta, name, None)) is None else str(v) for name in _META_FIELDS
    ]
    meta_hash = hashlib.sha256(json.dumps(described).encode()).hexdigest()[:16]
    return f"{hashlib.sha256(data).hexdigest()}:{meta_hash}"


class _ForeignSchema(Exception):
    """The file is a database, but not one this version of the cache wrote."""


class ExtractionCache:
    """Extraction results by content key, for one extractor version; safe to share by threads."""

    content_key = staticmethod(content_key)

    def __init__(self, path: Path | None = None, extractor_version: str = "") -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        self.extractor_version = extractor_version
        self.warning: str | None = None
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._open()

    @property
    def enabled(self) -> bool:
        """False when the cache could not be opened and every lookup misses."""
        return self._conn is not None

    # --- opening ---------------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._disable(f"cannot create the cache folder ({exc.strerror or exc})")
            return
        for attempt in range(2):
            try:
                self._conn = self._connect()
                return
            except (sqlite3.OperationalError, OSError) as exc:
                # Locked, read-only or unopenable: the file may be fine, so leave it alone.
                self._disable(f"cannot open the cache ({exc})")
                return
            except (sqlite3.DatabaseError, _ForeignSchema) as exc:
                if attempt == 1 or not self._discard():
                    self._disable(f"the cache file is damaged and cannot be replaced ({exc})")
                    return
                self.warning = f"The extraction cache was damaged ({exc}); it was rebuilt."

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=5.0, check_same_thread=False,
                               isolation_level=None)
        try:
            # journal_mode fails on some network filesystems; the cache still works without WAL.
            with contextlib.suppress(sqlite3.OperationalError):
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._ensure_schema(conn)
            conn.execute("DELETE FROM results WHERE version != ?", (self.extractor_version,))
            conn.execute("DELETE FROM corpora WHERE version != ?", (self.extractor_version,))
        except BaseException:
            conn.close()
            raise
        return conn

    @staticmethod
    def _ensure_schema(conn: sqlite3.Connection) -> None:
        tables = {row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            with conn:
                conn.execute("BEGIN")
                conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                conn.execute("CREATE TABLE results (key TEXT NOT NULL, version TEXT NOT NULL, "
                             "data BLOB NOT NULL, PRIMARY KEY (key, version)) WITHOUT ROWID")
                conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
                conn.execute(_CORPORA_TABLE)
            return
        if tables not in ({"meta", "results"}, {"meta", "results", "corpora"}):
            raise _ForeignSchema(f"unexpected tables {sorted(tables)}")
        row = conn.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA:
            raise _ForeignSchema("unknown schema version")
        columns = [r[1] for r in conn.execute("PRAGMA table_info(results)")]
        if columns != ["key", "version", "data"]:
            raise _ForeignSchema("unexpected columns")
        if "corpora" not in tables:  # written before merged corpora were kept
            conn.execute(_CORPORA_TABLE)
        columns = [r[1] for r in conn.execute("PRAGMA table_info(corpora)")]
        if columns != ["key", "version", "data"]:
            raise _ForeignSchema("unexpected columns")

    def _discard(self) -> bool:
        """Move the damaged file (and its WAL companions) aside; False if that fails."""
        try:
            os.replace(self.path, self.path.with_name(self.path.name + ".corrupt"))
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path.with_name(self.path.name + suffix))
        except OSError:
            return False
        return True

    def _disable(self, reason: str) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None
        self.warning = f"Extraction results are not cached: {reason}."

    def _rebuild(self, exc: Exception) -> None:
        """Damage found while in use: start over with an empty file."""
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
        if self._discard():
            self._open()
            if self._conn is not None:
                self.warning = f"The extraction cache was damaged ({exc}); it was rebuilt."
        else:
            self._disable(f"the cache file is damaged ({exc})")

    # --- use -------------------------------------------------------------------------------

    def get(self, key: str, *, document_id: str | None = None,
            path: str | None = None) -> DocumentResult | None:
        """The cached result for ``key``, or None; rebound to ``document_id``/``path`` if given."""
        with self._lock:
            blob = self._fetch(key)
            if blob is None:
                self.misses += 1
                return None
            try:
                result = unpack_result(blob)
            except (ValueError, zlib.error, RecursionError, MemoryError) as exc:
                # UnicodeDecodeError and JSONDecodeError are ValueErrors too.
                self._delete(key, exc)
                self.misses += 1
                return None
            self.hits += 1
        if document_id is not None or path is not None:
            result = rebind(result, document_id or result.document.id,
                            path or result.document.path)
        return result

    def _fetch(self, key: str, table: str = "results") -> bytes | None:
        if self._conn is None:
            return None
        try:
            row = self._conn.execute(f"SELECT data FROM {table} WHERE key = ? AND version = ?",
                                     (key, self.extractor_version)).fetchone()
        except sqlite3.OperationalError:
            return None
        except sqlite3.DatabaseError as exc:
            self._rebuild(exc)
            return None
        if row is None:
            return None
        # Anything but a blob is damage; an empty blob fails to decode and is deleted.
        return row[0] if isinstance(row[0], bytes) else b""

    def _delete(self, key: str, reason: Exception, table: str = "results") -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(f"DELETE FROM {table} WHERE key = ? AND version = ?",
                               (key, self.extractor_version))
        except sqlite3.OperationalError:
            pass
        except sqlite3.DatabaseError as exc:
            self._rebuild(exc)

    def put_many(self, items: Iterable[tuple[str, DocumentResult]]) -> None:
        """Store results in one transaction; a cache that cannot be written stops caching."""
        self.put_packed((key, pack_result(result)) for key, result in items)

    def put_packed(self, items: Iterable[tuple[str, bytes]]) -> None:
        """Store results already packed by ``pack_result`` (in worker processes, say)."""
        rows = [(key, self.extractor_version, blob) for key, blob in items]
        with self._lock:
            if self._conn is None or not rows:
                return
            try:
                with self._conn:
                    self._conn.execute("BEGIN")
                    self._conn.executemany(
                        "INSERT OR REPLACE INTO results (key, version, data) VALUES (?, ?, ?)",
                        rows)
            except sqlite3.OperationalError as exc:
                self._disable(f"cannot write the cache ({exc})")
            except sqlite3.DatabaseError as exc:
                self._rebuild(exc)

    def get_corpus(self, key: str,
                   sources: Mapping[str, tuple[str, str]]) -> Extraction | None:
        """The merged corpus stored under ``key`` (no warnings), or None.

        ``sources`` gives each document's (text, path) by id, as just read: the texts are not
        stored, and the stored documents must be exactly these. A hit counts one hit per
        document.
        """
        with self._lock:
            blob = self._fetch(key, "corpora")
            if blob is None:
                return None
            try:
                # Stored as it is: inflating a corpus's 75 MB took a tenth of a warm load.
                # Rows from before, compressed, still read.
                raw = blob if blob[:4] == EXTRACTION_MAGIC else _inflate(blob)
                extraction = extraction_from_bytes(raw, sources)
            except (ValueError, zlib.error, RecursionError, MemoryError) as exc:
                self._delete(key, exc, "corpora")
                return None
            self.hits += len(sources)
        return extraction

    def put_corpus(self, key: str, extraction: Extraction) -> None:
        """Store a merged corpus, keeping only the few stored last."""
        try:
            blob = extraction_to_bytes(extraction)
        except (ValueError, OverflowError):
            return  # a model this layout does not know: per-document results still serve
        with self._lock:
            if self._conn is None:
                return
            try:
                with self._conn:
                    self._conn.execute("BEGIN")
                    self._conn.execute("INSERT OR REPLACE INTO corpora (key, version, data) "
                                       "VALUES (?, ?, ?)", (key, self.extractor_version, blob))
                    self._conn.execute(
                        "DELETE FROM corpora WHERE rowid NOT IN "
                        "(SELECT rowid FROM corpora ORDER BY rowid DESC LIMIT ?)",
                        (_KEPT_CORPORA,))
            except sqlite3.OperationalError as exc:
                self._disable(f"cannot write the cache ({exc})")
            except sqlite3.DatabaseError as exc:
                self._rebuild(exc)

    def put(self, key: str, result: DocumentResult) -> None:
        """Store one result."""
        self.put_many([(key, result)])

    def count(self) -> int:
        """How many results are stored (not ``__len__``: an empty cache must still be truthy)."""
        with self._lock:
            if self._conn is None:
                return 0
            try:
                return self._conn.execute("SELECT count(*) FROM results").fetchone()[0]
            except sqlite3.Error:
                return 0

    def close(self) -> None:
        """Close the database file; later lookups miss."""
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
                self._conn = None

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def pack_result(result: DocumentResult) -> bytes:
    """The stored form of one result: zlib-compressed JSON."""
    text = json.dumps(result_to_dict(result), ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), _COMPRESSION_LEVEL)


def unpack_result(blob: bytes) -> DocumentResult:
    """The result ``pack_result`` packed (ValueError, zlib.error if the bytes are damaged)."""
    return result_from_dict(json.loads(_unpack(blob)))


def _unpack(blob: bytes) -> str:
    return _inflate(blob).decode("utf-8")


def _inflate(blob: bytes) -> bytes:
    # A few damaged bytes must not inflate into gigabytes: stop at a generous limit.
    inflater = zlib.decompressobj()
    data = inflater.decompress(blob, _MAX_ROW_BYTES)
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("cached row is truncated or too large")
    return data


def rebind(result: DocumentResult, document_id: str, path: str) -> DocumentResult:
    """The same result told of a file with another name or place (same bytes, same manifest)."""
    old = result.document.id
    if old == document_id and result.document.path == path:
        return result

    def moved(item: Excerpt | Quote | Report) -> Any:
        return dataclasses.replace(item, document=document_id) if item.document == old else item

    reports = tuple(
        dataclasses.replace(moved(r), excerpts=tuple(moved(x) for x in r.excerpts),
                            quotes=tuple(moved(q) for q in r.quotes))
        for r in result.reports
    )
    document = dataclasses.replace(result.document, id=document_id, path=path)
    return DocumentResult(document, reports, result.entities)
