"""Rendering a corpus's timeline to a PNG file without a window (``--export-png``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from viewer.core.atomic import write_atomic


def _ensure_platform() -> None:
    """Fall back to the offscreen platform when there is no display (must precede QApplication)."""
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if not os.environ.get("QT_QPA_PLATFORM") and not has_display:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def png_bytes(image: object) -> bytes:
    """A QImage encoded as PNG."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buffer, "PNG")  # type: ignore[attr-defined]
    buffer.close()
    if not ok:
        raise OSError("the image could not be encoded as PNG")
    return bytes(data.data())


def export_timeline_png(paths: Sequence[str | Path], out: Path, width: int, height: int) -> None:
    """Extract ``paths`` and write the whole timeline, fitted to width x height, to ``out``."""
    if width < 1 or height < 1:
        raise ValueError(f"image size must be positive, not {width}x{height}")
    _ensure_platform()
    from PySide6.QtWidgets import QApplication

    from viewer.ui import workers
    from viewer.ui.event_model import EventTableModel
    from viewer.ui.filter_proxy import EventFilterProxy
    from viewer.ui.timeline_widget import TimelineView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    extraction = workers.run_extraction(paths, lambda done, total: None, lambda: False)
    model = EventTableModel()
    model.set_events(extraction.events)
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    view = TimelineView()
    view.setModel(proxy)
    view.resize(width, height)
    view.fit_all()
    image = view.render_image(width, height)
    write_atomic(Path(out), png_bytes(image))
    view.deleteLater()
    del app
