"""Rendering a corpus's timeline to a PNG file without a window (``--export-png``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from viewer.core.atomic import write_atomic
from viewer.core.filters import EventFilter
from viewer.core.model import Event


def describe_filter(state: EventFilter) -> str:
    """The active filter in a few words ("search 'port', meetings"), "" when none is active."""
    parts = []
    if state.search.strip():
        parts.append(f"search \u201c{state.search.strip()}\u201d")
    if state.kinds is not None:
        parts.append(", ".join(sorted(k.value for k in state.kinds)) or "no kinds")
    if state.participant:
        parts.append(f"with {state.participant}")
    if state.source:
        parts.append(f"from {state.source}")
    if state.date_from or state.date_to:
        first = state.date_from.isoformat() if state.date_from else "\u2026"
        last = state.date_to.isoformat() if state.date_to else "\u2026"
        parts.append(f"{first} \u2013 {last}")
    if not state.show_context:
        parts.append("no context events")
    return "; ".join(parts)


def timeline_title(name: str, events: Sequence[Event], total: int,
                   state: EventFilter | None = None) -> str:
    """An exported timeline's title line: corpus, date range, how many events, the filter."""
    dated = [e.when for e in events if e.when is not None]
    parts = [name] if name else []
    if dated:
        first, last = min(w.start for w in dated), max(w.end for w in dated)
        parts.append(f"{first:%d %b %Y} \u2013 {last:%d %b %Y}" if first != last
                     else f"{first:%d %b %Y}")
    shown = len(events)
    parts.append(f"{shown} event{'s' if shown != 1 else ''}" if shown == total
                 else f"{shown} of {total} events")
    described = describe_filter(state) if state is not None else ""
    if described:
        parts.append(f"filter: {described}")
    return " \u00b7 ".join(parts)


def _ensure_platform() -> None:
    """Fall back to the offscreen platform when there is no display (must precede QApplication)."""
    has_display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if not os.environ.get("QT_QPA_PLATFORM") and not has_display:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def png_bytes(image: object, quality: int = -1) -> bytes:
    """A QImage encoded as PNG; ``quality`` 0-100 trades size for speed (Qt's default: -1)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buffer, "PNG", quality)  # type: ignore[attr-defined]
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
    name = Path(paths[0]).name if len(paths) == 1 else f"{len(paths)} files"
    title = timeline_title(name, extraction.events, len(extraction.events))
    image = view.render_image(width, height, title=title, legend=True)
    write_atomic(Path(out), png_bytes(image))
    view.deleteLater()
    del app
