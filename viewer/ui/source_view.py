"""The source viewer: an article's exact text, as plain text, with the event's passages marked."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QColor,
    QDesktopServices,
    QFont,
    QKeySequence,
    QPalette,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from viewer.core.model import Document
from viewer.ui.text_format import describe_published, from_qt_offset, to_qt_offset

WEB_SCHEMES = frozenset({"http", "https"})


def web_url(address: str | None) -> QUrl | None:
    """The article's address as a URL to open in a browser, or None unless it is http(s)."""
    if not address:
        return None
    url = QUrl(address.strip(), QUrl.ParsingMode.StrictMode)
    if not url.isValid() or url.scheme().lower() not in WEB_SCHEMES or not url.host():
        return None
    return url


def display_text(text: str) -> str:
    """The text as the editor is given it: same length in code points as ``text``.

    QTextDocument turns "\\r\\n" into one paragraph break, which would shift every later
    offset by one; a space before the newline keeps the offsets and looks the same.
    """
    return text.replace("\r\n", " \n")


def _blend(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


class SourceViewer(QWidget):
    """Shows one document's exact text; the focus passage strongly marked and scrolled to."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Source article")
        self._document: Document | None = None
        self._focus: tuple[int, int] | None = None
        self._highlights: tuple[tuple[int, int], ...] = ()
        self._text_shown = ""

        self.title_label = self._plain_label("Title")
        title_font = QFont(self.title_label.font())
        title_font.setBold(True)
        title_font.setPointSizeF(title_font.pointSizeF() * 1.25)
        self.title_label.setFont(title_font)
        self.meta_label = self._plain_label("Outlet")
        self.published_label = self._plain_label("Publication date")
        self.path_label = self._plain_label("File")
        self.path_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        self.open_file_button = QPushButton("Open file", self)
        self.open_file_button.setAccessibleName("Open the article file")
        self.open_file_button.clicked.connect(self.open_file)
        self.open_web_button = QPushButton("Open web page", self)
        self.open_web_button.setAccessibleName("Open the article's web page in a browser")
        self.open_web_button.clicked.connect(self.open_web_page)

        self.find_field = QLineEdit(self)
        self.find_field.setPlaceholderText("Find in article")
        self.find_field.setAccessibleName("Find in article")
        self.find_field.setClearButtonEnabled(True)
        self.find_field.returnPressed.connect(self.find_next)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_find,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # The viewer normally fills a window of its own, which these keys close.
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._escape,
                  context=Qt.ShortcutContext.WindowShortcut)
        QShortcut(QKeySequence("Ctrl+W"), self, self.close_window,
                  context=Qt.ShortcutContext.WindowShortcut)

        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setReadOnly(True)
        self.text_edit.setAccessibleName("Article text")
        self.text_edit.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text_edit.document().setDocumentMargin(12)

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_file_button)
        buttons.addWidget(self.open_web_button)
        buttons.addStretch(1)
        buttons.addWidget(self.find_field)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        layout.addWidget(self.title_label)
        layout.addWidget(self.meta_label)
        layout.addWidget(self.published_label)
        layout.addWidget(self.path_label)
        layout.addLayout(buttons)
        layout.addWidget(self.text_edit, 1)
        self._set_buttons()

    def _plain_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        label.setAccessibleName(name)
        return label

    # --- showing ----------------------------------------------------------------------------

    @property
    def document(self) -> Document | None:
        """The document shown, if any."""
        return self._document

    def show_document(self, doc: Document, focus: tuple[int, int] | None,
                      highlights: Sequence[tuple[int, int]] = ()) -> None:
        """Show ``doc``'s text, mark ``focus`` strongly and ``highlights`` lightly, scroll to focus.

        Offsets are Python string offsets into ``doc.text``.
        """
        self._document = doc
        n = len(doc.text)
        self._focus = _clamp(focus, n) if focus is not None else None
        self._highlights = tuple(r for r in (_clamp(h, n) for h in highlights)
                                 if r != self._focus and r[0] < r[1])
        self.title_label.setText(doc.title or doc.id)
        self.meta_label.setText(doc.outlet or "")
        self.meta_label.setVisible(bool(doc.outlet))
        self.published_label.setText(describe_published(doc.published))
        self.path_label.setText(doc.path)
        self.find_field.clear()  # a search typed for the last article means nothing here
        self._text_shown = display_text(doc.text)
        self.text_edit.setPlainText(self._text_shown)
        self._apply_highlights()
        self._set_buttons()
        self._scroll_to_focus()
        # The first layout happens when the widget is shown; centre again once it has.
        QTimer.singleShot(0, self._scroll_to_focus)

    def _apply_highlights(self) -> None:
        # The viewer's own palette: on a theme change it is updated before its children's.
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        light = QTextCharFormat()
        light.setBackground(_blend(base, highlight, 0.22))
        strong = QTextCharFormat()
        strong.setBackground(_blend(base, highlight, 0.55))
        strong.setFontWeight(QFont.Weight.DemiBold)
        selections = []
        ranges = [(self._focus, strong)] if self._focus else []
        ranges += [(r, light) for r in self._highlights]
        for (start, end), fmt in ranges:
            selection = QTextEdit.ExtraSelection()
            selection.cursor = self._cursor(start, end)
            selection.format = fmt
            selections.append(selection)
        self.text_edit.setExtraSelections(selections)

    def _cursor(self, start: int, end: int) -> QTextCursor:
        cursor = QTextCursor(self.text_edit.document())
        cursor.setPosition(to_qt_offset(self._text_shown, start))
        cursor.setPosition(to_qt_offset(self._text_shown, end), QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def _scroll_to_focus(self) -> None:
        if self._focus is None or self._document is None:
            return
        cursor = QTextCursor(self.text_edit.document())
        cursor.setPosition(to_qt_offset(self._text_shown, self._focus[0]))
        self.text_edit.setTextCursor(cursor)
        self.text_edit.centerCursor()

    def highlighted_ranges(self) -> list[tuple[int, int]]:
        """The marked ranges as Python offsets, the focus first (read back from the editor)."""
        return [
            (from_qt_offset(self._text_shown, s.cursor.selectionStart()),
             from_qt_offset(self._text_shown, s.cursor.selectionEnd()))
            for s in self.text_edit.extraSelections()
        ]

    # --- actions ----------------------------------------------------------------------------

    def _set_buttons(self) -> None:
        doc = self._document
        self.open_file_button.setEnabled(bool(doc and doc.path))
        url = web_url(doc.url) if doc else None
        self.open_web_button.setEnabled(url is not None)
        self.open_web_button.setToolTip(url.toDisplayString() if url else "No web address known")

    def open_file(self) -> None:
        """Open the article file in the system's text viewer."""
        if self._document is not None and self._document.path:
            QDesktopServices.openUrl(QUrl.fromLocalFile(self._document.path))

    def open_web_page(self) -> None:
        """Open the article's http(s) address in the browser (only ever on the user's click)."""
        url = web_url(self._document.url) if self._document else None
        if url is not None:
            QDesktopServices.openUrl(url)

    def close_window(self) -> bool:
        """Close the window the viewer fills; never a main window it merely sits in."""
        window = self.window()
        if isinstance(window, QMainWindow):
            return False
        return window.close()

    def _escape(self) -> None:
        if self.find_field.hasFocus() and self.find_field.text():
            self.find_field.clear()
            return
        self.close_window()

    def _focus_find(self) -> None:
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()

    def find_next(self) -> bool:
        """Select the next occurrence of the find field's text, wrapping at the end."""
        needle = self.find_field.text()
        if not needle:
            return False
        if self.text_edit.find(needle):
            return True
        self.text_edit.moveCursor(QTextCursor.MoveOperation.Start)
        return self.text_edit.find(needle, QTextDocument.FindFlag(0))

    def changeEvent(self, event: Any) -> None:
        """Recolour the marks when the theme changes."""
        super().changeEvent(event)
        recolour = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in recolour and self._document is not None:
            self._apply_highlights()


def _clamp(span: tuple[int, int], length: int) -> tuple[int, int]:
    start = max(0, min(length, span[0]))
    return start, max(start, min(length, span[1]))
