"""A launch builds only what it shows: no source viewer or dialogs imported, no style rebuilt."""

from __future__ import annotations

import os
import subprocess
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from viewer.ui.theme import apply_theme


def test_the_main_window_module_leaves_the_source_viewer_and_dialogs_unimported():
    code = ("import sys, viewer.ui.main_window as m; "
            "print('viewer.ui.source_view' in sys.modules, hasattr(m, 'QFileDialog'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_applying_the_theme_already_shown_keeps_the_style_object(qapp):
    apply_theme("system")
    style = QApplication.style()
    assert apply_theme("system") == "system"
    assert QApplication.style() is style


def test_switching_to_dark_and_back_restores_the_platform_style(qapp):
    apply_theme("system")
    name = QApplication.style().name()
    apply_theme("dark")
    assert QApplication.style().name().lower() == "fusion"
    apply_theme("system")
    assert QApplication.style().name() == name



def test_a_screenshot_launch_writes_the_grab_of_the_loaded_window_and_exits(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Ministers meet\n\nForeign Minister Ana Duarte met Tomas Rivera in Lisbon on "
        "3 March 2025.\n", encoding="utf-8")
    shot = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "TIMELINE_VIEWER_CONFIG_DIR": str(tmp_path / "config"),
           "TIMELINE_VIEWER_CACHE_DIR": str(tmp_path / "cache"),
           "TIMELINE_VIEWER_SCREENSHOT": str(shot),
           "TIMELINE_VIEWER_EXIT_AFTER_SCREENSHOT": "1"}
    done = subprocess.run([sys.executable, "-m", "viewer", str(corpus)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert not QImage(str(shot)).isNull()
