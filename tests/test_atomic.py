"""Atomic writes: the file is replaced whole or left as it was, and no temp file stays."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from viewer.core import atomic
from viewer.core.atomic import write_atomic


def test_write_atomic_writes_text_as_utf8(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, "café “quoted”")
    assert target.read_bytes() == "café “quoted”".encode()


def test_write_atomic_writes_bytes_unchanged(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    write_atomic(target, b"\x00\xff\r\n")
    assert target.read_bytes() == b"\x00\xff\r\n"


def test_write_atomic_honours_the_encoding(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, "é", encoding="latin-1")
    assert target.read_bytes() == b"\xe9"


def test_write_atomic_replaces_an_existing_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "settings.toml"
    target.write_text("old")
    os.chmod(target, 0o640)
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_write_atomic_leaves_no_temp_file_behind(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.txt", "x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_failed_write_keeps_the_old_file_and_removes_the_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")

    def broken_replace(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_write_into_a_missing_folder_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_atomic(tmp_path / "missing" / "a.txt", "x")


def test_unencodable_text_raises_before_touching_the_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "€", encoding="ascii")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
