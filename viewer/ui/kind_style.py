"""How each event kind looks, in one place: its colour (light and dark) and its marker shape.

The timeline draws markers with it; the event list and detail pane reuse ``kind_color``
and ``kind_icon`` so a meeting is the same blue everywhere.
"""

from __future__ import annotations

import math
from enum import Enum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap, QPolygonF

from viewer.core.model import EventKind
from viewer.ui.theme import is_dark


class MarkerShape(Enum):
    CIRCLE = "circle"
    DIAMOND = "diamond"
    SQUARE = "square"
    TRIANGLE = "triangle"
    HEXAGON = "hexagon"
    STAR = "star"
    DOT = "dot"


# Hues after the Okabe-Ito set, told apart with common colour-vision deficiencies;
# the dark variants are lighter so they keep their contrast on a dark base.
_COLORS: dict[EventKind, tuple[str, str]] = {
    EventKind.MEETING: ("#1f66c2", "#6aa8ff"),
    EventKind.VISIT: ("#c25e00", "#ffa94d"),
    EventKind.AGREEMENT: ("#1e8a57", "#5fd38d"),
    EventKind.EXERCISE: ("#c0392b", "#ff8070"),
    EventKind.CONFERENCE: ("#7b4fc9", "#b99aff"),
    EventKind.MEMBERSHIP: ("#00838f", "#4dd0e1"),
    EventKind.OTHER: ("#6b7280", "#a3aab6"),
}

_SHAPES: dict[EventKind, MarkerShape] = {
    EventKind.MEETING: MarkerShape.CIRCLE,
    EventKind.VISIT: MarkerShape.DIAMOND,
    EventKind.AGREEMENT: MarkerShape.SQUARE,
    EventKind.EXERCISE: MarkerShape.TRIANGLE,
    EventKind.CONFERENCE: MarkerShape.HEXAGON,
    EventKind.MEMBERSHIP: MarkerShape.STAR,
    EventKind.OTHER: MarkerShape.DOT,
}


def kind_color(kind: EventKind, palette: QPalette | None = None) -> QColor:
    """The colour of an event kind, in the variant that reads on ``palette`` (light or dark)."""
    light, dark = _COLORS.get(kind, _COLORS[EventKind.OTHER])
    return QColor(dark if is_dark(palette) else light)


def marker_shape(kind: EventKind) -> MarkerShape:
    """The marker shape of an event kind."""
    return _SHAPES.get(kind, MarkerShape.DOT)


def kind_label(kind: EventKind) -> str:
    """The kind as a reader sees it: "Meeting"."""
    return kind.value.capitalize()


def marker_path(shape: MarkerShape, centre: QPointF, size: float) -> QPainterPath:
    """The outline of a marker of ``size`` pixels centred on ``centre``."""
    r = size / 2
    cx, cy = centre.x(), centre.y()
    path = QPainterPath()
    if shape is MarkerShape.CIRCLE:
        path.addEllipse(centre, r, r)
    elif shape is MarkerShape.DOT:
        path.addEllipse(centre, r * 0.7, r * 0.7)
    elif shape is MarkerShape.SQUARE:
        s = r * 0.85
        path.addRect(QRectF(cx - s, cy - s, 2 * s, 2 * s))
    elif shape is MarkerShape.DIAMOND:
        d = r * 1.1
        path.addPolygon(_polygon(cx, cy, [(0, -d), (d, 0), (0, d), (-d, 0)]))
    elif shape is MarkerShape.TRIANGLE:
        path.addPolygon(_polygon(cx, cy, [(0, -r), (r, r * 0.8), (-r, r * 0.8)]))
    elif shape is MarkerShape.HEXAGON:
        path.addPolygon(_polygon(cx, cy, _regular(6, r, math.pi / 6)))
    else:
        path.addPolygon(_polygon(cx, cy, _star(5, r * 1.1, r * 0.5)))
    path.closeSubpath()
    return path


def _polygon(cx: float, cy: float, points: list[tuple[float, float]]) -> QPolygonF:
    return QPolygonF([QPointF(cx + x, cy + y) for x, y in points])


def _regular(n: int, r: float, phase: float) -> list[tuple[float, float]]:
    return [(r * math.cos(phase + 2 * math.pi * i / n), r * math.sin(phase + 2 * math.pi * i / n))
            for i in range(n)]


def _star(n: int, outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for i in range(2 * n):
        r = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + math.pi * i / n
        points.append((r * math.cos(angle), r * math.sin(angle)))
    return points


def kind_icon(kind: EventKind, palette: QPalette | None = None, size: int = 14) -> QIcon:
    """A small icon of the kind's marker, for lists and legends."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    with QPainter(pixmap) as painter:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        color = kind_color(kind, palette)
        painter.setPen(QPen(color.darker(140), 1))
        painter.setBrush(color)
        painter.drawPath(marker_path(marker_shape(kind), QPointF(size / 2, size / 2), size - 3))
    return QIcon(pixmap)
