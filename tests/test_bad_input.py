"""Bad input never crashes: each broken file is skipped or read, and named in a warning."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core import reading
from viewer.core.reading import read_corpus, read_document

GOOD = "Envoys meet in Lisbon\n\nAna Duarte met Tomas Rivera in Lisbon on Monday.\n"
CAFE = "Caf\u00e9 talks\n\n\u201cWe agreed,\u201d Duarte said at the caf\u00e9.\n"


@pytest.fixture()
def messy(tmp_path: Path) -> Iterator[Path]:
    """A corpus folder with one good article and one of every kind of trouble."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\n \t\n")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "controls.txt").write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8]) * 100)
    (folder / "utf16.txt").write_bytes(CAFE.encode("utf-16"))  # with BOM
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbf" + CAFE.encode("utf-8"))
    (folder / "cp1252.txt").write_bytes(b"Caf\xe9 talks\n\n\x93We agreed,\x94 Duarte said "
                                        b"at the caf\xe9.\n")
    with open(folder / "huge.txt", "wb") as handle:
        handle.truncate(20 * 1024 * 1024)  # sparse: 20 MB without writing them
    (folder / "longline.txt").write_text("Long line\n" + "word " * 40_000 + "\n",
                                         encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    (folder / "image.png").write_bytes(b"\x89PNG")
    (folder / "dir.txt").mkdir()
    (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    locked = folder / "locked.txt"
    locked.write_text(GOOD, encoding="utf-8")
    locked.chmod(0)
    yield folder
    locked.chmod(0o644)


def warning_for(warnings: tuple[str, ...], name: str) -> str:
    matches = [w for w in warnings if w.startswith(f"{name}: ")]
    assert len(matches) == 1, (name, warnings)
    return matches[0]


def test_messy_corpus_reads_the_good_files(messy: Path) -> None:
    corpus = read_corpus([messy])
    docs = {d.id: d for d in corpus.documents}
    assert docs["good.txt"].text == GOOD
    assert docs["utf16.txt"].text == CAFE
    assert docs["utf16.txt"].encoding == "utf-16-le"
    assert docs["bom.txt"].text == CAFE
    assert docs["cp1252.txt"].text == CAFE
    assert docs["cp1252.txt"].encoding == "cp1252"
    assert docs["longline.txt"].title == "Long line"
    for doc in docs.values():
        for item in doc.chrome:
            assert 0 <= item.span.start <= item.span.end <= len(doc.text)
    assert [d.id for d in corpus.documents] == sorted(docs)


def test_offsets_index_the_decoded_text(messy: Path) -> None:
    corpus = read_corpus([messy])
    for name in ("utf16.txt", "bom.txt", "cp1252.txt"):
        doc = next(d for d in corpus.documents if d.id == name)
        start = doc.text.index("\u201cWe agreed")
        assert doc.text[start:start + 11] == "\u201cWe agreed,"
        assert doc.title == "Caf\u00e9 talks"


def test_every_problem_is_named_in_a_warning(messy: Path) -> None:
    warnings = read_corpus([messy]).warnings
    assert "empty" in warning_for(warnings, "empty.txt")
    assert "empty" in warning_for(warnings, "blank.txt")
    assert "binary" in warning_for(warnings, "binary.txt")
    assert "binary" in warning_for(warnings, "controls.txt")
    assert "too large" in warning_for(warnings, "huge.txt")
    assert "partly analysed" in warning_for(warnings, "longline.txt")
    assert "cp1252" in warning_for(warnings, "cp1252.txt")
    assert "not a .txt article" in warning_for(warnings, "notes.pdf")
    assert "not a .txt article" in warning_for(warnings, "image.png")
    assert "folder" in warning_for(warnings, "dir.txt")
    assert "broken link" in warning_for(warnings, "gone.txt")


def test_unreadable_file_is_skipped_with_a_warning(messy: Path) -> None:
    corpus = read_corpus([messy])
    if os.access(messy / "locked.txt", os.R_OK):  # root reads anything
        assert any(d.id == "locked.txt" for d in corpus.documents)
    else:
        assert "permission denied" in warning_for(corpus.warnings, "locked.txt")


def test_read_errors_become_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text(GOOD, encoding="utf-8")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("builtins.open", refuse)
    doc, warnings = read_document(path)
    assert doc is None
    assert warnings == ["a.txt: skipped: unreadable (permission denied)"]


def test_huge_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.txt"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 10)
    doc, warnings = read_document(path)
    assert doc is None and "too large" in warnings[0]


def test_a_fifo_named_txt_is_skipped_without_blocking(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    os.mkfifo(tmp_path / "pipe.txt")
    corpus = read_corpus([tmp_path])
    assert "not a regular file" in warning_for(corpus.warnings, "pipe.txt")


def test_malformed_manifest_is_a_warning_and_articles_still_load(tmp_path: Path) -> None:
    folder = tmp_path / "second"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "sources.toml").write_text('[[source]\nfile = "good.txt\n', encoding="utf-8")
    corpus = read_corpus([folder])
    assert [d.id for d in corpus.documents] == ["good.txt"]
    assert corpus.documents[0].outlet is None
    assert "malformed" in warning_for(corpus.warnings, "sources.toml")


def test_manifest_that_is_not_a_list_of_tables_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sources.toml").write_text('source = "good.txt"\n', encoding="utf-8")
    corpus = read_corpus([tmp_path])
    assert len(corpus.documents) == 1
    assert "malformed" in warning_for(corpus.warnings, "sources.toml")


def test_binary_manifest_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "sources.toml").write_bytes(b"\xff\xfe\x00garbage")
    corpus = read_corpus([tmp_path])
    assert len(corpus.documents) == 1
    assert "malformed" in warning_for(corpus.warnings, "sources.toml")


def test_missing_path_is_a_warning(tmp_path: Path) -> None:
    corpus = read_corpus([tmp_path / "nowhere"])
    assert corpus.documents == ()
    assert corpus.warnings == (f"{tmp_path / 'nowhere'}: not found",)


def test_explicit_non_txt_file_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    corpus = read_corpus([tmp_path / "notes.pdf"])
    assert corpus.warnings == ("notes.pdf: ignored: not a .txt article",)


def test_empty_folder_gives_an_empty_corpus(tmp_path: Path) -> None:
    corpus = read_corpus([tmp_path])
    assert corpus.documents == () and corpus.warnings == ()


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_read_document_never_raises_on_any_bytes(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.txt"
        path.write_bytes(data)
        doc, warnings = read_document(path)
    assert all(w.startswith("any.txt: ") for w in warnings)
    if doc is not None:
        assert doc.text.strip()
        assert doc.title
        for item in doc.chrome:
            assert 0 <= item.span.start <= item.span.end <= len(doc.text)
