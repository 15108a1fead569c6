"""The detail pane: one event, how its date was found, and every source excerpt that reports it.

Everything shown here comes from articles, so it is either set as plain text or escaped
before it goes into rich text; the only actions are this pane's own buttons.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.core.model import Document, Event, Excerpt, Status
from viewer.ui.text_format import describe_date, format_date, highlight_html

EMPTY_TEXT = "Select an event to see its sources"


def blend(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


def is_dark(palette: QPalette) -> bool:
    """Whether the palette draws light text on a dark window."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def warning_color(palette: QPalette) -> QColor:
    """An amber readable on the palette's window colour."""
    return QColor("#f0b050") if is_dark(palette) else QColor("#9a5b00")


def key_style(palette: QPalette) -> str:
    """The CSS marking a key phrase inside an excerpt, from the palette's highlight colour."""
    base = palette.color(QPalette.ColorRole.Base)
    mark = blend(base, palette.color(QPalette.ColorRole.Highlight), 0.45)
    return f"background-color:{mark.name()}; font-weight:600"


def excerpt_html(excerpt: Excerpt, palette: QPalette) -> str:
    """The excerpt's text, escaped, with its key phrase marked."""
    if excerpt.key is None:
        return highlight_html(excerpt.text, None, None)
    return highlight_html(excerpt.text, excerpt.key.start - excerpt.start,
                          excerpt.key.end - excerpt.start, key_style(palette))


def source_heading(document: Document | None, document_id: str) -> str:
    """"Outlet · 5 Mar 2025" for a source block, from what is known of the document."""
    if document is None:
        return document_id
    name = document.outlet or document.title or document.id
    published = format_date(document.published) if document.published else "date unknown"
    return f"{name} \u00b7 {published}"


def participants_line(event: Event) -> str:
    """One participant a line: "Ana Duarte, Foreign Minister"."""
    return "\n".join(f"{p.name}, {p.role}" if p.role else p.name for p in event.participants)


def _plain_label(text: str, parent: QWidget, name: str | None = None) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setAccessibleName(name)
    return label


class SourceBlock(QFrame):
    """One source excerpt in a tinted box, with a button that opens it in its article."""

    openRequested = Signal(str, int, int)

    def __init__(self, excerpt: Excerpt, document: Document | None, parent: QWidget) -> None:
        super().__init__(parent)
        self.excerpt = excerpt
        self.setObjectName("sourceBlock")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)

        heading = _plain_label(source_heading(document, excerpt.document), self, "Source")
        bold = QFont(heading.font())
        bold.setBold(True)
        heading.setFont(bold)
        self.heading = heading

        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setOpenExternalLinks(False)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Excerpt")
        self.text.setAccessibleDescription(excerpt.text)
        self.text.setText(excerpt_html(excerpt, self.palette()))

        self.open_button = QPushButton("Open source", self)
        heading_text = source_heading(document, excerpt.document)
        self.open_button.setAccessibleName(f"Open source: {heading_text}")
        self.open_button.setToolTip("Show this passage in the full article")
        self.open_button.clicked.connect(
            lambda: self.openRequested.emit(excerpt.document, excerpt.start, excerpt.end))

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(heading, 1)
        top.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(6)
        layout.addLayout(top)
        if document is not None and document.outlet and document.title:
            subtitle = _plain_label(document.title, self, "Article title")
            subtitle.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addWidget(subtitle)
        layout.addWidget(self.text)

    def refresh_colours(self) -> None:
        """Re-mark the key phrase in the current palette's colours."""
        self.text.setText(excerpt_html(self.excerpt, self.palette()))


class DetailPane(QWidget):
    """Shows the selected event and its sources; asks for a source to be opened.

    Meant to sit in a QScrollArea with ``setWidgetResizable(True)``: it is as tall as
    its content and wraps its text to the width it is given.
    """

    openSourceRequested = Signal(str, int, int)  # document id, start, end

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Event details")
        self._event: Event | None = None
        self._documents: Mapping[str, Document] = {}
        self.blocks: list[SourceBlock] = []

        # The pane grows to fit its content; the window puts it in a QScrollArea.
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(0, 0, 0, 0)
        self._content: QWidget | None = None
        self.show_event(None, {})

    @property
    def current_event(self) -> Event | None:
        """The event shown, if any."""
        return self._event

    def show_event(self, event: Event | None, documents: Mapping[str, Document]) -> None:
        """Show ``event`` with excerpts from ``documents`` (by id), or the empty state."""
        self._event = event
        self._documents = documents
        content = QWidget(self)
        content.setObjectName("detailContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(18, 16, 18, 18)
        layout.setSpacing(8)
        self.blocks = []
        if event is None:
            empty = _plain_label(EMPTY_TEXT, content, "No event selected")
            empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
            empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addStretch(1)
            layout.addWidget(empty)
            layout.addStretch(1)
        else:
            self._fill(layout, content, event, documents)
            layout.addStretch(1)
        if self._content is not None:
            self._outer.removeWidget(self._content)
            self._content.hide()
            self._content.deleteLater()
        self._content = content
        self._outer.addWidget(content)
        content.show()  # a child added to a shown parent stays hidden until told otherwise

    def _fill(self, layout: QVBoxLayout, content: QWidget, event: Event,
              documents: Mapping[str, Document]) -> None:
        title = _plain_label(event.title, content, "Event title")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        title.setFont(font)
        self.title_label = title
        layout.addWidget(title)

        facts = QGridLayout()
        facts.setContentsMargins(0, 4, 0, 4)
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(6)
        facts.setColumnStretch(1, 1)
        self.date_label = self._add_fact(facts, content, "When", describe_date(event.when))
        kind = event.kind.value.capitalize()
        status = "planned" if event.status is Status.PLANNED else "happened"
        what = f"{kind} · {status}" + (" · background event" if event.is_context else "")
        self._add_fact(facts, content, "What", what)
        if event.location:
            self._add_fact(facts, content, "Where", event.location)
        if event.participants:
            self._add_fact(facts, content, "Who", participants_line(event))
        if event.topics:
            self._add_fact(facts, content, "Topics", ", ".join(event.topics))
        n = event.source_count
        self._add_fact(facts, content, "Sources", f"Reported by {n} source{'s' if n != 1 else ''}")
        layout.addLayout(facts)

        for disagreement in event.disagreements:
            warning = _plain_label("\u26a0 " + disagreement, content, "Disagreement")
            palette = warning.palette()
            palette.setColor(QPalette.ColorRole.WindowText, warning_color(self.palette()))
            warning.setPalette(palette)
            layout.addWidget(warning)

        if event.quotes:
            layout.addSpacing(6)
            layout.addWidget(self._section(content, "Quotes"))
            for quote in event.quotes:
                text = f"\u201c{quote.text}\u201d"
                if quote.speaker:
                    text += f" \u2014 {quote.speaker}"
                label = _plain_label(text, content, "Quote")
                italic = QFont(label.font())
                italic.setItalic(True)
                label.setFont(italic)
                label.setContentsMargins(12, 0, 0, 0)
                layout.addWidget(label)

        layout.addSpacing(6)
        layout.addWidget(self._section(content, "Sources"))
        for excerpt in event.sources:
            block = SourceBlock(excerpt, documents.get(excerpt.document), content)
            block.openRequested.connect(self.openSourceRequested)
            self.blocks.append(block)
            layout.addWidget(block)

    def _add_fact(self, grid: QGridLayout, content: QWidget, name: str, value: str) -> QLabel:
        row = grid.rowCount()
        caption = _plain_label(name, content)
        caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        label = _plain_label(value, content, name)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(label, row, 1)
        return label

    def _section(self, content: QWidget, text: str) -> QLabel:
        label = _plain_label(text, content)
        font = QFont(label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        label.setFont(font)
        return label

    def changeEvent(self, event: Any) -> None:
        """Redraw palette-derived colours when the theme changes."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._event is not None:
            self.show_event(self._event, self._documents)
