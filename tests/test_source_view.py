"""The source viewer shows an article's exact text and marks the event's passages in it."""

from __future__ import annotations

import dataclasses
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextDocument

from tests.factories import day, documents
from viewer.core.model import Certainty, Document
from viewer.ui.source_view import SourceViewer, display_text, web_url

HOSTILE = ("<b>bold</b> <img src=http://example.invalid/x.png> "
           "<a href=file:///etc/passwd>x</a>")


@pytest.fixture
def viewer(qtbot) -> SourceViewer:
    viewer = SourceViewer()
    viewer.resize(500, 300)
    qtbot.addWidget(viewer)
    return viewer


def doc_with(text: str, url: str | None = None) -> Document:
    return Document(id="t.txt", path="/corpus/t.txt", text=text, title="A title",
                    outlet="Lakeside Ledger", url=url)


def long_article(passage: str) -> str:
    filler = "".join(f"Paragraph {i} says nothing much at all.\n\n" for i in range(120))
    return filler + passage + "\n\n" + filler


def test_focus_and_other_excerpts_are_highlighted_by_python_offsets(viewer):
    a, _ = documents()
    meeting = a.text.index("Foreign Minister")
    visit = a.text.index("Rivera will travel")
    viewer.show_document(a, (meeting, meeting + 20), [(visit, visit + 12)])
    assert viewer.highlighted_ranges() == [(meeting, meeting + 20), (visit, visit + 12)]
    strong, light = viewer.text_edit.extraSelections()
    assert strong.cursor.selectedText() == a.text[meeting:meeting + 20]
    assert strong.format.background() != light.format.background()


def test_the_focus_is_not_marked_twice(viewer):
    a, _ = documents()
    viewer.show_document(a, (5, 10), [(5, 10), (12, 14)])
    assert viewer.highlighted_ranges() == [(5, 10), (12, 14)]


def test_focus_is_scrolled_into_view_with_the_cursor_on_it(viewer, qtbot):
    text = long_article("The harbour talks began at noon.")
    start = text.index("The harbour talks")
    viewer.show()
    qtbot.waitExposed(viewer)
    viewer.show_document(doc_with(text), (start, start + 17))
    qtbot.wait(10)
    editor = viewer.text_edit
    assert editor.textCursor().position() == start
    rect = editor.cursorRect()
    assert editor.viewport().rect().contains(rect.center())
    assert editor.verticalScrollBar().value() > 0


def test_article_markup_is_shown_literally(viewer):
    text = "Before " + HOSTILE + " after"
    viewer.show_document(doc_with(text), None)
    document: QTextDocument = viewer.text_edit.document()
    assert viewer.text_edit.toPlainText() == text
    assert not any(fmt.isImageFormat() for fmt in document.allFormats())
    assert "<img src=http://example.invalid/x.png>" in viewer.text_edit.toPlainText()


def test_offsets_after_emoji_and_crlf_still_land_on_the_passage(viewer):
    text = "Smiles \U0001F600\U0001F600 all round.\r\nThen \U0001F680 the envoys met in Oslo.\r\n"
    start = text.index("the envoys met")
    end = start + len("the envoys met")
    viewer.show_document(doc_with(text), (start, end))
    (focus,) = viewer.text_edit.extraSelections()
    assert focus.cursor.selectedText() == "the envoys met"
    assert viewer.highlighted_ranges() == [(start, end)]
    assert len(display_text(text)) == len(text)


@pytest.mark.parametrize("url", [
    None, "", "file:///etc/passwd", "javascript:alert(1)", "ftp://example.org/a",
    "data:text/html,<b>x</b>", "https://", "not a url at all",
])
def test_open_web_page_is_disabled_without_an_http_address(viewer, url):
    viewer.show_document(doc_with("text", url), None)
    assert not viewer.open_web_button.isEnabled()
    assert web_url(url) is None


@pytest.mark.parametrize("url", ["https://example.org/news/1", "http://example.org/a?b=c"])
def test_open_web_page_is_enabled_for_http_addresses(viewer, url):
    viewer.show_document(doc_with("text", url), None)
    assert viewer.open_web_button.isEnabled()


def test_buttons_open_only_when_clicked(viewer, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr("viewer.ui.source_view.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toString()))
    viewer.show_document(doc_with("text", "https://example.org/a"), None)
    assert opened == []
    viewer.open_web_button.click()
    viewer.open_file_button.click()
    assert opened == ["https://example.org/a", "file:///corpus/t.txt"]


def test_header_names_the_article(viewer):
    a, b = documents()
    viewer.show_document(a, None)
    assert viewer.title_label.text() == "Envoys meet in Lisbon"
    assert viewer.meta_label.text() == "Harbour Gazette"
    assert viewer.published_label.text() == (
        "Published Wednesday 5 Mar 2025 \u00b7 stated \u00b7 manifest")
    assert viewer.path_label.text() == "/corpus/a.txt"
    viewer.show_document(b, None)
    assert viewer.published_label.text() == "Publication date unknown"
    assert viewer.meta_label.isHidden()


def test_an_inferred_publication_date_is_shown_with_its_basis(viewer):
    basis = "on or before 2025-03-05: 'on 5 March' is still to come in the text"
    doc = dataclasses.replace(doc_with("text"),
                              published=day("2025-03-05", Certainty.UNCERTAIN, basis))
    viewer.show_document(doc, None)
    assert viewer.published_label.text() == (
        f"Published Wednesday 5 Mar 2025 \u00b7 uncertain \u00b7 {basis}")


def test_find_box_is_emptied_when_another_article_is_shown(viewer, qtbot):
    viewer.show_document(doc_with("one fish two fish"), None)
    qtbot.keyClicks(viewer.find_field, "fish")
    assert viewer.find_next()
    viewer.show_document(documents()[0], None)
    assert viewer.find_field.text() == ""


@pytest.fixture
def window_with_viewer(qtbot):
    """The viewer filling a top-level window of its own, as the app shows it."""
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    window = QWidget()
    layout = QVBoxLayout(window)
    viewer = SourceViewer(window)
    layout.addWidget(viewer)
    qtbot.addWidget(window)
    viewer.show_document(documents()[0], (0, 5))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window, viewer


@pytest.mark.parametrize("key", [
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
])
def test_escape_and_ctrl_w_close_the_source_window(window_with_viewer, qtbot, key):
    window, viewer = window_with_viewer
    viewer.text_edit.setFocus()
    qtbot.keyClick(viewer.text_edit, *key)
    assert not window.isVisible()


def test_escape_in_a_filled_find_box_clears_it_first(window_with_viewer, qtbot):
    window, viewer = window_with_viewer
    viewer.find_field.setFocus()
    qtbot.keyClicks(viewer.find_field, "fish")
    qtbot.keyClick(viewer.find_field, Qt.Key.Key_Escape)
    assert viewer.find_field.text() == "" and window.isVisible()
    qtbot.keyClick(viewer.find_field, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_escape_never_closes_a_main_window_the_viewer_sits_in(qtbot):
    from PySide6.QtWidgets import QMainWindow

    main = QMainWindow()
    viewer = SourceViewer()
    main.setCentralWidget(viewer)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    assert viewer.close_window() is False
    assert main.isVisible()


def focus_mark(viewer: SourceViewer):
    selections = viewer.text_edit.extraSelections()
    return QColor(selections[0].format.background().color())


def test_theme_change_recomputes_the_marks_from_the_new_palette(viewer, qapp):
    from viewer.ui.theme import dark_palette, light_palette

    a, _ = documents()
    original = QPalette(qapp.palette())
    qapp.setPalette(light_palette())
    qapp.processEvents()
    viewer.show_document(a, (0, 5))
    light = focus_mark(viewer)
    try:
        qapp.setPalette(dark_palette())
        qapp.processEvents()  # Qt posts the palette change to each widget
        dark = focus_mark(viewer)
        text = viewer.text_edit.palette().color(QPalette.ColorRole.Text)
    finally:
        qapp.setPalette(original)
        qapp.processEvents()
    assert dark.lightness() < light.lightness()
    # Light text on the dark theme's mark stays readable.
    assert text.lightness() - dark.lightness() > 100


def test_find_selects_the_next_match_and_wraps(viewer):
    viewer.show_document(doc_with("one fish two fish"), None)
    viewer.find_field.setText("fish")
    assert viewer.find_next()
    first = viewer.text_edit.textCursor().selectionStart()
    assert viewer.find_next()
    assert viewer.text_edit.textCursor().selectionStart() > first
    assert viewer.find_next()
    assert viewer.text_edit.textCursor().selectionStart() == first
