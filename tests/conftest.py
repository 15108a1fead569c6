"""Session-wide test setup: offscreen Qt, and config/data/cache dirs that are never the user's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before any QApplication exists; tests that need a real X server set their own platform.
# The offscreen screen is 800x600 unless told otherwise; the app's windows want more room.
_SCREEN = Path(__file__).with_name("offscreen-screen.json")
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREEN}")

from tests.factories import sample_extraction as _sample_extraction  # noqa: E402
from viewer.core.model import Extraction  # noqa: E402
from viewer.resources import seeds_dir as _seeds_dir  # noqa: E402


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                       monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every per-user directory the app might write to at a fresh temp folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TIMELINE_VIEWER_CONFIG_DIR", str(home / "config" / "timeline-viewer"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("TIMELINE_VIEWER_CACHE_DIR", str(home / "cache" / "timeline-viewer"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    return home


@pytest.fixture
def seeds_dir() -> Path:
    """The bundled corpus of real articles."""
    return _seeds_dir()


@pytest.fixture
def sample_extraction() -> Extraction:
    """Two hand-built documents and four events (see tests/factories.py)."""
    return _sample_extraction()
