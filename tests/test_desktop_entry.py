"""Installing the launcher and icon for the current user."""

from __future__ import annotations

import configparser

from viewer.ui.desktop_entry import install_desktop_entry


def read_entry(path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # desktop keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_launcher_and_icon_go_under_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    entry_path = install_desktop_entry()
    assert entry_path == tmp_path / "share" / "applications" / "timeline-viewer.desktop"
    icon = tmp_path / "share" / "icons" / "hicolor" / "scalable" / "apps" / "timeline-viewer.svg"
    assert icon.read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_launcher_opens_folders_and_text_files_with_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    entry = read_entry(install_desktop_entry())
    assert entry["Name"] == "Timeline Viewer"
    assert entry["Exec"] == "timeline-viewer %F"
    assert entry["Icon"] == "timeline-viewer"
    assert entry["Type"] == "Application"
    assert set(filter(None, entry["Categories"].split(";"))) == {"Office", "Viewer"}
    assert set(filter(None, entry["MimeType"].split(";"))) == {"inode/directory", "text/plain"}


def test_installing_twice_replaces_the_files_and_leaves_no_temp_files(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    first = install_desktop_entry()
    first.write_text("stale")
    second = install_desktop_entry()
    assert second == first
    assert "Timeline Viewer" in second.read_text(encoding="utf-8")
    assert [p.name for p in second.parent.iterdir()] == ["timeline-viewer.desktop"]


def test_relative_xdg_data_home_is_ignored_as_the_spec_says(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", "relative/share")
    monkeypatch.setenv("HOME", str(tmp_path))
    path = install_desktop_entry()
    assert path == tmp_path / ".local" / "share" / "applications" / "timeline-viewer.desktop"
