"""The command line end to end: ``python -m viewer extract|dates|export`` and ``--version``.

Subprocess tests check what a user sees (exit status, stdout bytes, stderr lines); the
in-process ones call ``viewer.cli.main`` where that is enough and faster.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from viewer import __version__
from viewer.cli import main
from viewer.core.reading import read_corpus

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

DOCUMENT_KEYS = {"id", "path", "title", "outlet", "url", "published", "published_basis",
                 "warnings"}
EVENT_KEYS = {"id", "kind", "title", "start", "end", "precision", "certainty", "date_basis",
              "status", "location", "participants", "topics", "sources", "quotes"}
SOURCE_KEYS = {"document", "start", "end", "text"}
QUOTE_KEYS = {"speaker", "document", "start", "end", "text"}

ARTICLE = (
    "Envoys meet at S\u00e3o Bento palace\n\n"
    "Foreign Minister Ana Duarte met her Chilean counterpart Tomas Rivera in Lisbon on Monday. "
    "They discussed fisheries and trade.\n"
    "\u201cWe agreed on a lot,\u201d Duarte said.\n"
)
DATED_ARTICLE = (
    "Envoys meet in Lisbon\n\n"
    "Published 14.05.2024\n\n"
    "Foreign Minister Ana Duarte met Tomas Rivera in Lisbon on Monday.\n"
)


def run_cli(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    """Run ``python -m viewer`` from the project root with private config and cache dirs."""
    env = dict(os.environ)
    env["TIMELINE_VIEWER_CONFIG_DIR"] = str(tmp_path / "config")
    env["TIMELINE_VIEWER_CACHE_DIR"] = str(tmp_path / "cache")
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [sys.executable, "-m", "viewer", *args],
        cwd=ROOT, env=env, capture_output=True, timeout=120, check=False,
    )


def stderr_lines(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    return result.stderr.decode("utf-8").splitlines()


def corpus_texts(path: Path) -> dict[str, str]:
    """Every document's decoded text, by id, as the reader decodes it."""
    return {d.id: d.text for d in read_corpus([path]).documents}


def assert_spans_are_exact(payload: dict, texts: dict[str, str]) -> None:
    for event in payload["events"]:
        for item in event["sources"] + event["quotes"]:
            text = texts[item["document"]]
            assert item["text"] == text[item["start"]:item["end"]], (event["id"], item)


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[bytes]:
    """One ``extract seeds`` run shared by the schema tests."""
    return run_cli("extract", "seeds", tmp_path=tmp_path_factory.mktemp("seeds-run"))


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "lisbon.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


# --- extract ---------------------------------------------------------------------------


def test_extract_seeds_exits_zero_with_utf8_json_of_schema_1(seeds_run) -> None:
    assert seeds_run.returncode == 0, seeds_run.stderr
    payload = json.loads(seeds_run.stdout.decode("utf-8"))
    assert payload["schema"] == 1
    assert isinstance(payload["warnings"], list)
    assert len(payload["documents"]) == 5
    assert payload["events"]


def test_extract_seeds_documents_and_events_carry_every_schema_field(seeds_run) -> None:
    payload = json.loads(seeds_run.stdout.decode("utf-8"))
    for document in payload["documents"]:
        assert document.keys() >= DOCUMENT_KEYS, document.keys()
    for event in payload["events"]:
        assert event.keys() >= EVENT_KEYS, event.keys()
        assert all(s.keys() >= SOURCE_KEYS for s in event["sources"])
        assert all(q.keys() >= QUOTE_KEYS for q in event["quotes"])
        assert event["sources"], event["id"]


def test_extract_seeds_every_source_and_quote_is_the_exact_document_slice(seeds_run) -> None:
    payload = json.loads(seeds_run.stdout.decode("utf-8"))
    assert_spans_are_exact(payload, corpus_texts(SEEDS))


def test_extract_writes_non_ascii_characters_as_utf8(tmp_path: Path, small_corpus: Path) -> None:
    result = run_cli("extract", str(small_corpus), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "S\u00e3o Bento".encode() in result.stdout  # not a \\u00e3 escape
    payload = json.loads(result.stdout.decode("utf-8"))
    assert payload["documents"][0]["title"] == "Envoys meet at S\u00e3o Bento palace"
    assert_spans_are_exact(payload, {"lisbon.txt": ARTICLE})


def test_extract_spans_index_the_decoded_text_of_utf16_and_bom_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "encoded"
    folder.mkdir()
    (folder / "utf16.txt").write_bytes(ARTICLE.encode("utf-16"))
    (folder / "bom.txt").write_bytes(ARTICLE.encode("utf-8-sig"))
    assert main(["extract", str(folder)]) == 0
    payload = json.loads(capsys.readouterr().out)
    texts = {
        "utf16.txt": (folder / "utf16.txt").read_bytes().decode("utf-16"),
        "bom.txt": (folder / "bom.txt").read_bytes().decode("utf-8-sig"),
    }
    assert {d["id"] for d in payload["documents"]} == set(texts)
    assert_spans_are_exact(payload, texts)


def test_extract_corpus_with_binary_and_empty_files_exits_zero_naming_them(
    tmp_path: Path, small_corpus: Path
) -> None:
    (small_corpus / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
                                               + bytes(range(256)))
    (small_corpus / "nothing.txt").write_bytes(b"")
    result = run_cli("extract", str(small_corpus), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout.decode("utf-8"))
    assert [d["id"] for d in payload["documents"]] == ["lisbon.txt"]
    warnings = payload["warnings"]
    assert any("picture.txt" in w for w in warnings), warnings
    assert any("nothing.txt" in w for w in warnings), warnings


def test_extract_missing_path_fails_with_one_line_on_stderr(tmp_path: Path) -> None:
    result = run_cli("extract", "/no/such/path", tmp_path=tmp_path)
    assert result.returncode != 0
    lines = stderr_lines(result)
    assert len(lines) == 1, lines
    assert "/no/such/path" in lines[0]
    assert result.stdout == b""


def test_extract_without_a_path_fails_with_one_line_on_stderr(tmp_path: Path) -> None:
    result = run_cli("extract", tmp_path=tmp_path)
    assert result.returncode != 0
    assert len(stderr_lines(result)) == 1, stderr_lines(result)


def test_extract_in_process_missing_path_returns_non_zero(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["extract", "/no/such/path"]) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1


# --- dates -----------------------------------------------------------------------------


def dates_payload(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["dates", *args]) == 0
    return json.loads(capsys.readouterr().out)


def expression(payload: dict, text: str) -> dict:
    found = [e for e in payload["expressions"] if e["text"] == text]
    assert len(found) == 1, payload["expressions"]
    return found[0]


def test_dates_expressions_are_exact_slices_of_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "visit.txt"
    path.write_text("Ministers meet\n\nDuarte arrived on 3 March 2025 and left on Friday, "
                    "a week after the talks of 12 February.\n", encoding="utf-8")
    payload = dates_payload(capsys, str(path), "--reference", "2025-03-05")
    text = path.read_text(encoding="utf-8")
    assert payload["expressions"]
    for item in payload["expressions"]:
        assert item["text"] == text[item["start"]:item["end"]], item
    assert expression(payload, "3 March 2025")["value"] == "2025-03-03"


def test_dates_reference_changes_the_value_of_a_weekday(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "talks.txt"
    path.write_text("Envoys meet\n\nAna Duarte met Tomas Rivera on Monday in Lisbon.\n",
                    encoding="utf-8")
    first = expression(dates_payload(capsys, str(path), "--reference", "2021-10-20"), "on Monday")
    second = expression(dates_payload(capsys, str(path), "--reference", "2024-05-14"),
                        "on Monday")
    assert first["value"] == "2021-10-18"
    assert second["value"] == "2024-05-13"


def test_dates_defaults_the_reference_to_the_publication_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dated.txt"
    path.write_text(DATED_ARTICLE, encoding="utf-8")
    payload = dates_payload(capsys, str(path))
    assert payload["reference"] == "2024-05-14"
    assert expression(payload, "on Monday")["value"] == "2024-05-13"


def test_dates_on_a_folder_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dates", str(tmp_path)]) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1


def test_dates_with_a_malformed_reference_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "talks.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    assert main(["dates", str(path), "--reference", "20.10.2021"]) != 0
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_dates_subprocess_prints_utf8_json(tmp_path: Path) -> None:
    path = tmp_path / "dated.txt"
    path.write_text(DATED_ARTICLE, encoding="utf-8")
    result = run_cli("dates", str(path), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout.decode("utf-8"))
    assert expression(payload, "on Monday")["value"] == "2024-05-13"


# --- export and version ----------------------------------------------------------------


def test_export_png_writes_an_image_of_the_requested_size(
    tmp_path: Path, small_corpus: Path
) -> None:
    out = tmp_path / "timeline.png"
    result = run_cli("export", "--png", str(out), "--corpus", str(small_corpus),
                     "--width", "640", "--height", "240", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    data = out.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (640, 240)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".timeline.png")]


def test_export_rejects_a_tiny_image(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--png", str(tmp_path / "x.png"), "--width", "5"]) != 0
    assert len(capsys.readouterr().err.splitlines()) == 1
    assert not (tmp_path / "x.png").exists()


def test_version_prints_the_version(tmp_path: Path) -> None:
    result = run_cli("--version", tmp_path=tmp_path)
    assert result.returncode == 0
    assert __version__ in result.stdout.decode("utf-8")
