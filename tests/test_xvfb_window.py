"""The real app, as a user starts it, on a real X server (Xvfb) rather than offscreen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.ui.main_window import DEFAULT_SIZE

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed"),
]

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def x_display():
    """A private Xvfb server on a free display number (chosen by Xvfb itself)."""
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.skip("Xvfb did not start")
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def run_app(display: str, args: list[str], screenshot: Path, home: Path,
            theme: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update({
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        "TIMELINE_VIEWER_CONFIG_DIR": str(home / "config"),
        "XDG_CONFIG_HOME": str(home / "xdg-config"),
        "XDG_DATA_HOME": str(home / "xdg-data"),
        "XDG_CACHE_HOME": str(home / "xdg-cache"),
        "XDG_RUNTIME_DIR": str(home / "runtime"),
        "TIMELINE_VIEWER_SCREENSHOT": str(screenshot),
        "TIMELINE_VIEWER_EXIT_AFTER_SCREENSHOT": "1",
    })
    (home / "runtime").mkdir(mode=0o700, exist_ok=True)
    if theme:
        (home / "config").mkdir(exist_ok=True)
        (home / "config" / "settings.json").write_text(
            f'{{"schema_version": 2, "theme": "{theme}"}}', encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "viewer", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=120, check=False)


def distinct_colours(path: Path, qapp) -> tuple[tuple[int, int], int]:
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull()
    step = 7  # a sample is enough to tell a drawn window from a blank one
    colours = {image.pixel(x, y) for x in range(0, image.width(), step)
               for y in range(0, image.height(), step)}
    return (image.width(), image.height()), len(colours)


def test_real_window_opens_on_the_seeds_and_draws_them(x_display, tmp_path, seeds_dir, qapp):
    shot = tmp_path / "window.png"
    result = run_app(x_display, [str(seeds_dir)], shot, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists(), result.stderr[-2000:]
    size, colours = distinct_colours(shot, qapp)
    assert size == DEFAULT_SIZE
    assert colours > 20


def test_dark_theme_window_is_mostly_dark(x_display, tmp_path, seeds_dir, qapp):
    from PySide6.QtGui import QColor, QImage

    shot = tmp_path / "dark.png"
    result = run_app(x_display, [str(seeds_dir)], shot, tmp_path, theme="dark")
    assert result.returncode == 0, result.stderr[-2000:]
    image = QImage(str(shot))
    samples = [QColor(image.pixel(x, y)).lightness()
               for x in range(0, image.width(), 23) for y in range(0, image.height(), 23)]
    assert sorted(samples)[len(samples) // 2] < 100
