"""The settings file: round trip, damaged files kept as backups, migrations, failed writes."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from viewer.core import settings as store
from viewer.core.filters import EventFilter
from viewer.core.model import EventKind
from viewer.core.settings import (
    MAX_RECENT,
    SCHEMA_VERSION,
    Settings,
    load_settings,
    reset_settings,
    save_settings,
    settings_path,
    with_recent,
)


def full_settings() -> Settings:
    return Settings(
        window_geometry="AdnQywADAAA=",
        window_state="AAAA/wAAAAD9",
        timeline_splitter=(300, 500),
        list_splitter=(700, 400),
        visible_range=(18900.5, 19100.25),
        last_corpus=("/corpus/one",),
        recent_corpora=(("/corpus/one",), ("/corpus/a.txt", "/corpus/b.txt")),
        filters=EventFilter(search="harbour", kinds=frozenset({EventKind.MEETING}),
                            participant="Ana Duarte", source="a.txt",
                            date_from=dt.date(2025, 3, 1), date_to=None, show_context=False),
        selected_event="e2",
        theme="dark",
        show_context=False,
    )


def backups(folder: Path) -> list[Path]:
    return sorted(folder.glob("settings.json.corrupt-*"))


def test_settings_path_follows_the_config_dir_override(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_VIEWER_CONFIG_DIR", str(tmp_path / "cfg"))
    assert settings_path() == tmp_path / "cfg" / "settings.json"


def test_saved_settings_load_back_unchanged(tmp_path):
    path = tmp_path / "cfg" / "settings.json"
    assert save_settings(path, full_settings()) is None
    loaded, warning = load_settings(path)
    assert warning is None
    assert loaded == full_settings()


def test_missing_file_gives_defaults_without_a_warning(tmp_path):
    assert load_settings(tmp_path / "settings.json") == (Settings(), None)


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2, 3]", b"\xff\xfe\x00garbage", b""])
def test_damaged_file_is_kept_as_a_backup_and_defaults_are_used(tmp_path, content):
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    loaded, warning = load_settings(path)
    assert loaded == Settings()
    assert warning is not None and "settings.json.corrupt-" in warning
    [backup] = backups(tmp_path)
    assert backup.read_bytes() == content


def test_second_damaged_file_in_the_same_second_gets_its_own_backup(tmp_path):
    path = tmp_path / "settings.json"
    for content in (b"{one", b"{two"):
        path.write_bytes(content)
        load_settings(path)
    assert sorted(b.read_bytes() for b in backups(tmp_path)) == [b"{one", b"{two"]


def test_a_wrongly_typed_field_falls_back_alone_and_the_user_is_told(tmp_path):
    path = tmp_path / "settings.json"
    data = store.settings_to_json(full_settings())
    data["theme"] = "purple"
    data["list_splitter"] = "wide"
    data["visible_range"] = [5, "x"]
    data["filters"]["kinds"] = ["not-a-kind"]
    path.write_text(json.dumps(data))
    loaded, warning = load_settings(path)
    assert loaded.theme == "system"
    assert loaded.list_splitter == ()
    assert loaded.visible_range is None
    assert loaded.filters == EventFilter()
    assert loaded.selected_event == "e2"
    assert loaded.timeline_splitter == (300, 500)
    assert warning is not None and "theme" in warning and "list_splitter" in warning
    assert len(backups(tmp_path)) == 1


def test_a_boolean_is_not_taken_for_a_number(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "timeline_splitter": [True, 2]}))
    loaded, warning = load_settings(path)
    assert loaded.timeline_splitter == ()
    assert warning is not None


def test_unknown_fields_are_ignored(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "future_thing": 1,
                                "theme": "light"}))
    assert load_settings(path) == (Settings(theme="light"), None)


def test_version_1_file_is_migrated(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({
        "schema_version": 1,
        "geometry": "R0VP",
        "recent": ["/corpus/one", "/corpus/two"],
        "last_corpus": "/corpus/one",
        "theme": "light",
    }))
    loaded, warning = load_settings(path)
    assert warning is None
    assert loaded.window_geometry == "R0VP"
    assert loaded.last_corpus == ("/corpus/one",)
    assert loaded.recent_corpora == (("/corpus/one",), ("/corpus/two",))
    assert loaded.theme == "light"
    assert loaded.schema_version == SCHEMA_VERSION


def test_recent_corpora_are_most_recent_first_deduplicated_and_capped():
    s = Settings()
    for i in range(MAX_RECENT + 3):
        s = with_recent(s, [f"/c/{i}"])
    s = with_recent(s, ["/c/5"])
    assert s.recent_corpora[0] == ("/c/5",)
    assert s.last_corpus == ("/c/5",)
    assert len(s.recent_corpora) == MAX_RECENT
    assert len(set(s.recent_corpora)) == MAX_RECENT


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_unwritable_folder_gives_a_message_instead_of_raising(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        message = save_settings(folder / "sub" / "settings.json", full_settings())
    finally:
        folder.chmod(0o700)
    assert message is not None and "Could not save settings" in message


def test_a_path_that_cannot_be_a_folder_gives_a_message_instead_of_raising(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    message = save_settings(blocker / "settings.json", full_settings())
    assert message is not None and "Could not save settings" in message


def test_a_failing_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    save_settings(path, Settings(theme="light"))
    before = path.read_bytes()

    def fail_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail_replace)
    message = save_settings(path, Settings(theme="dark"))
    assert message is not None and "No space left" in message
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_reset_moves_the_file_aside(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(path, full_settings())
    assert reset_settings(path) is None
    assert not path.exists()
    [backup] = tmp_path.glob("settings.json.reset-*")
    assert json.loads(backup.read_text())["theme"] == "dark"
    assert load_settings(path) == (Settings(), None)
