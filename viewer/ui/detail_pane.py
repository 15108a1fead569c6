"""The detail pane: one event, how its date was found, and every source excerpt that reports it.

Everything shown here comes from articles, so it is either set as plain text or escaped
before it goes into rich text; the only actions are this pane's own buttons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer.core.model import Document, Event, Excerpt, Status
from viewer.ui.text_format import (
    describe_date,
    describe_published,
    format_published,
    highlight_html,
)

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
    """"Outlet · 5 Mar 2025" for a source card: the outlet, else the headline, and the date."""
    if document is None:
        return document_id
    name = document.outlet or document.title or document.id
    return f"{name} \u00b7 {format_published(document.published)}"


def source_subtitle(document: Document | None) -> str | None:
    """The headline under a card titled by its outlet; None when the title already is it."""
    if document is None or not document.outlet or not document.title:
        return None
    return document.title if document.title != document.outlet else None


def excerpts_by_document(event: Event) -> list[tuple[str, list[Excerpt]]]:
    """The event's documents, reporting order first, each with its excerpts in event order."""
    groups: dict[str, list[Excerpt]] = {doc: [] for doc in event.documents}
    for excerpt in event.sources:
        groups.setdefault(excerpt.document, []).append(excerpt)
    return list(groups.items())


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


class ExcerptView(QWidget):
    """One excerpt of an article, its key phrase marked, with a button to open it in place."""

    openRequested = Signal(str, int, int)

    def __init__(self, excerpt: Excerpt, heading: str, number: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.excerpt = excerpt
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setOpenExternalLinks(False)
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName(f"Excerpt {number}")
        self.text.setAccessibleDescription(excerpt.text)
        self.text.setText(excerpt_html(excerpt, self.palette()))

        self.open_button = QPushButton("Open source", self)
        self.open_button.setAccessibleName(f"Open source: {heading}, excerpt {number}")
        self.open_button.setToolTip("Show this passage in the full article")
        self.open_button.clicked.connect(
            lambda: self.openRequested.emit(excerpt.document, excerpt.start, excerpt.end))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.text)
        layout.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignRight)

    def refresh_colours(self) -> None:
        """Re-mark the key phrase in the current palette's colours."""
        self.text.setText(excerpt_html(self.excerpt, self.palette()))

    def changeEvent(self, event: Any) -> None:
        """Re-mark the key phrase when the theme changes (this widget's palette is new now)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.refresh_colours()


class SourceCard(QFrame):
    """One reporting document in a tinted box: its outlet or headline, then its excerpts."""

    openRequested = Signal(str, int, int)

    def __init__(self, document_id: str, document: Document | None,
                 excerpts: Sequence[Excerpt], parent: QWidget) -> None:
        super().__init__(parent)
        self.document_id = document_id
        self.setObjectName("sourceCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)

        heading_text = source_heading(document, document_id)
        self.heading = _plain_label(heading_text, self, "Source")
        bold = QFont(self.heading.font())
        bold.setBold(True)
        self.heading.setFont(bold)
        if document is not None:
            self.heading.setToolTip(describe_published(document.published))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        self.subtitle: QLabel | None = None
        subtitle = source_subtitle(document)
        if subtitle:
            self.subtitle = _plain_label(subtitle, self, "Article title")
            self.subtitle.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            layout.addWidget(self.subtitle)

        self.excerpt_views: list[ExcerptView] = []
        for number, excerpt in enumerate(excerpts, 1):
            if number > 1:
                rule = QFrame(self)
                rule.setFrameShape(QFrame.Shape.HLine)
                rule.setFrameShadow(QFrame.Shadow.Plain)
                rule.setForegroundRole(QPalette.ColorRole.Mid)
                layout.addWidget(rule)
            view = ExcerptView(excerpt, heading_text, number, self)
            view.openRequested.connect(self.openRequested)
            self.excerpt_views.append(view)
            layout.addWidget(view)
        if not excerpts:
            layout.addWidget(_plain_label("No passage of this article was kept.", self))


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
        self.cards: list[SourceCard] = []
        self._warnings: list[QLabel] = []

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
        self.cards = []
        self._warnings = []
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
        groups = excerpts_by_document(event)
        n = len(groups)  # one card per document, so the count and the cards agree
        self._add_fact(facts, content, "Sources", f"Reported by {n} source{'s' if n != 1 else ''}")
        layout.addLayout(facts)

        for disagreement in event.disagreements:
            warning = _plain_label("\u26a0 " + disagreement, content, "Disagreement")
            self._warnings.append(warning)
            layout.addWidget(warning)
        self._colour_warnings()

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
        for document_id, excerpts in groups:
            card = SourceCard(document_id, documents.get(document_id), excerpts, content)
            card.openRequested.connect(self.openSourceRequested)
            self.cards.append(card)
            layout.addWidget(card)

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

    def _colour_warnings(self) -> None:
        colour = warning_color(self.palette())
        for warning in self._warnings:
            palette = QPalette(self.palette())
            palette.setColor(QPalette.ColorRole.WindowText, colour)
            warning.setPalette(palette)

    def changeEvent(self, event: Any) -> None:
        """Recolour the disagreement warnings when the theme changes."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._colour_warnings()
