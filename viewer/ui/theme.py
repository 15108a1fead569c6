"""Light, dark or the platform's own look, switchable while the app runs."""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("system", "light", "dark")

_platform_style: str | None = None  # the style the platform gave us, restored by "system"
_platform_palette: QPalette | None = None
_applied = "system"  # the theme the application shows; the platform's look until switched


def dark_palette() -> QPalette:
    """A dark palette with readable disabled text and a clear highlight."""
    p = QPalette()
    window, base = QColor(0x2B, 0x2D, 0x31), QColor(0x1E, 0x1F, 0x22)
    text = QColor(0xE6, 0xE6, 0xE6)
    disabled = QColor(0x80, 0x80, 0x80)
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor(0x26, 0x28, 0x2C),
        QPalette.ColorRole.ToolTipBase: QColor(0x3A, 0x3D, 0x42),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor(0x9A, 0x9A, 0x9A),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor(0x35, 0x37, 0x3C),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor(0xFF, 0x6B, 0x6B),
        QPalette.ColorRole.Light: QColor(0x45, 0x48, 0x4E),
        QPalette.ColorRole.Midlight: QColor(0x3A, 0x3D, 0x42),
        QPalette.ColorRole.Mid: QColor(0x2F, 0x31, 0x35),
        QPalette.ColorRole.Dark: QColor(0x18, 0x19, 0x1B),
        QPalette.ColorRole.Shadow: QColor(0x0C, 0x0C, 0x0D),
        QPalette.ColorRole.Highlight: QColor(0x3D, 0x7E, 0xD6),
        QPalette.ColorRole.HighlightedText: QColor(0xFF, 0xFF, 0xFF),
        QPalette.ColorRole.Link: QColor(0x6C, 0xB4, 0xFF),
        QPalette.ColorRole.LinkVisited: QColor(0xB3, 0x9D, 0xFF),
    }
    for role, color in roles.items():
        p.setColor(role, color)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText, QPalette.ColorRole.HighlightedText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def light_palette() -> QPalette:
    """Fusion's own light palette, whatever the platform prefers."""
    style = QStyleFactory.create("Fusion")
    return style.standardPalette()


def _remember_platform_look(app: QApplication) -> None:
    global _platform_style, _platform_palette
    if _platform_style is None:
        _platform_style = app.style().name()
        _platform_palette = QPalette(app.palette())


def apply_theme(theme: str) -> str:
    """Switch the running application to ``theme``; returns the theme actually applied."""
    global _applied
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return "system"
    wanted = theme if theme in ("dark", "light") else "system"
    if wanted == _applied:
        # Setting a style builds a new one and re-polishes every widget: at start-up, where
        # the platform's look already stands, that is tens of milliseconds for nothing.
        return wanted
    _applied = wanted
    _remember_platform_look(app)
    if theme == "dark":
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
        _set_color_scheme(app, "dark")
    elif theme == "light":
        app.setStyle("Fusion")
        app.setPalette(light_palette())
        _set_color_scheme(app, "light")
    else:
        theme = "system"
        if _platform_style:
            app.setStyle(_platform_style)
        _set_color_scheme(app, "system")
        app.setPalette(_platform_palette if _platform_palette is not None else QPalette())
    return theme


def window_style_sheet(theme: str) -> str:
    """The style sheet a main window takes in ``theme`` (set on the window, not the
    application, so the application keeps its plain style)."""
    return dark_check_boxes() if theme == "dark" else ""


def dark_check_boxes() -> str:
    """Check boxes with a light edge: Fusion draws their frame darker than a dark window,
    so an unchecked box all but disappears."""
    from viewer.resources import resource_path

    mark = resource_path("icons", "check-mark.svg").as_posix()
    return (
        "QCheckBox::indicator { width: 12px; height: 12px; border: 1px solid #8B8E95;"
        " border-radius: 2px; background: #1E1F22; }"
        "QCheckBox::indicator:hover { border-color: #C0C3C9; }"
        f"QCheckBox::indicator:checked {{ background: #3D7ED6; border-color: #6FA3EA;"
        f" image: url({mark}); }}"
        "QCheckBox::indicator:disabled { border-color: #55585E; background: #2B2D31; }"
    )


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the palette in use has light text on a dark window."""
    p = palette or QGuiApplication.palette()
    return p.color(QPalette.ColorRole.Window).lightness() < p.color(
        QPalette.ColorRole.WindowText).lightness()


def _set_color_scheme(app: QApplication, theme: str) -> None:
    """Tell the platform theme too (Qt >= 6.8), so native parts such as title bars follow."""
    from PySide6.QtCore import Qt

    hints = app.styleHints()
    setter = getattr(hints, "setColorScheme", None)
    if setter is None:
        return
    scheme = {
        "dark": Qt.ColorScheme.Dark,
        "light": Qt.ColorScheme.Light,
    }.get(theme, Qt.ColorScheme.Unknown)
    setter(scheme)
