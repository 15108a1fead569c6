"""The detail pane shows an event and its sources, never treating article text as markup."""

from __future__ import annotations

import dataclasses
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from tests.factories import day, excerpt_of, sample_extraction
from viewer.core.model import Certainty, Document, Event, Excerpt, Quote, Span
from viewer.ui.detail_pane import EMPTY_TEXT, DetailPane

HOSTILE = ("Talks <b>bold</b> <img src=http://example.invalid/x.png> "
           "<a href=file:///etc/passwd>x</a> ended.")


def rendered(html: str) -> QTextDocument:
    """The document a rich-text QLabel builds from ``html``."""
    document = QTextDocument()
    document.setHtml(html)
    return document


def image_formats(document: QTextDocument) -> int:
    count = 0
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            if it.fragment().charFormat().isImageFormat():
                count += 1
            it += 1
        block = block.next()
    return count


def all_label_text(pane: DetailPane) -> str:
    return "\n".join(label.text() for label in pane.findChildren(QLabel))


@pytest.fixture
def pane(qtbot) -> DetailPane:
    pane = DetailPane()
    qtbot.addWidget(pane)
    return pane


@pytest.fixture
def extraction():
    return sample_extraction()


def documents_of(extraction) -> dict[str, Document]:
    return {d.id: d for d in extraction.documents}


def test_empty_state_invites_a_selection(pane):
    assert EMPTY_TEXT in all_label_text(pane)
    assert pane.cards == []


def excerpt_views(pane: DetailPane) -> list:
    return [view for card in pane.cards for view in card.excerpt_views]


def test_every_source_excerpt_appears_with_its_outlet_or_title(pane, extraction):
    meeting = extraction.events[0]
    pane.show_event(meeting, documents_of(extraction))
    assert len(pane.cards) == len(meeting.sources) == 2
    for view, excerpt in zip(excerpt_views(pane), meeting.sources, strict=True):
        assert rendered(view.text.text()).toPlainText() == excerpt.text
    headings = [c.heading.text() for c in pane.cards]
    assert headings == ["Harbour Gazette \u00b7 5 Mar 2025", "Fisheries talks \u00b7 date unknown"]
    # A card named by its outlet gives the headline under it; one named by its headline does not.
    assert pane.cards[0].subtitle.text() == "Envoys meet in Lisbon"
    assert pane.cards[1].subtitle is None


def two_excerpts_of_one_article(extraction) -> Event:
    """The meeting with a second passage of the first article added, as merging produces."""
    meeting = extraction.events[0]
    a = documents_of(extraction)["a.txt"]
    second = excerpt_of(a, "\u201cWe agreed on a lot,\u201d Duarte said.", key="agreed")
    return dataclasses.replace(meeting, sources=(meeting.sources[0], meeting.sources[1], second))


def test_one_card_per_article_holds_all_its_excerpts_and_matches_the_count(pane, extraction):
    event = two_excerpts_of_one_article(extraction)
    pane.show_event(event, documents_of(extraction))
    assert "Reported by 2 sources" in all_label_text(pane)
    assert [c.document_id for c in pane.cards] == ["a.txt", "b.txt"]
    first, second = pane.cards
    assert [v.excerpt for v in first.excerpt_views] == [event.sources[0], event.sources[2]]
    assert [v.excerpt for v in second.excerpt_views] == [event.sources[1]]
    # Each excerpt keeps its own highlighted key phrase and its own button.
    assert '">met</span>' in first.excerpt_views[0].text.text()
    assert '">agreed</span>' in first.excerpt_views[1].text.text()
    names = [v.open_button.accessibleName() for v in first.excerpt_views]
    assert len(set(names)) == 2


def test_each_excerpt_of_a_card_opens_its_own_passage(pane, extraction, qtbot):
    event = two_excerpts_of_one_article(extraction)
    pane.show_event(event, documents_of(extraction))
    later = event.sources[2]
    with qtbot.waitSignal(pane.openSourceRequested) as signal:
        qtbot.mouseClick(pane.cards[0].excerpt_views[1].open_button, Qt.MouseButton.LeftButton)
    assert signal.args == [later.document, later.start, later.end]


def test_an_uncertain_publication_date_is_marked_on_the_card(pane, extraction):
    docs = documents_of(extraction)
    docs["a.txt"] = dataclasses.replace(docs["a.txt"], published=day(
        "2025-03-05", Certainty.UNCERTAIN, "on or before 2025-03-05: 'on 5 March' is to come"))
    pane.show_event(extraction.events[0], docs)
    heading = pane.cards[0].heading
    assert heading.text() == "Harbour Gazette \u00b7 5 Mar 2025 (uncertain)"
    assert "on or before 2025-03-05" in heading.toolTip()


def test_theme_change_recolours_the_key_phrase(pane, extraction, qapp):
    from PySide6.QtGui import QPalette

    from viewer.ui.theme import dark_palette

    pane.show_event(extraction.events[0], documents_of(extraction))
    before = excerpt_views(pane)[0].text.text()
    original = QPalette(qapp.palette())
    try:
        qapp.setPalette(dark_palette())
        qapp.processEvents()  # Qt posts the palette change to each widget
        after = excerpt_views(pane)[0].text.text()
    finally:
        qapp.setPalette(original)
        qapp.processEvents()
    assert before != after
    assert '">met</span>' in after


def test_event_facts_are_shown(pane, extraction):
    pane.show_event(extraction.events[0], documents_of(extraction))
    text = all_label_text(pane)
    assert "Duarte meets Rivera in Lisbon" in text
    assert pane.date_label.text() == (
        "Monday 3 Mar 2025 \u00b7 inferred \u00b7 'on Monday', article published 2025-03-05")
    assert "Ana Duarte, Foreign Minister" in text
    assert "fisheries, trade" in text
    assert "Reported by 2 sources" in text
    assert "\u201cWe agreed on a lot,\u201d \u2014 Ana Duarte" in text


def test_planned_status_and_disagreements_are_shown(pane, extraction):
    visit = dataclasses.replace(extraction.events[1], disagreements=("one source says Braga",))
    pane.show_event(visit, documents_of(extraction))
    text = all_label_text(pane)
    assert "Visit \u00b7 planned" in text
    assert "\u26a0 one source says Braga" in text


def test_key_phrase_is_highlighted_inside_the_excerpt(pane, extraction):
    pane.show_event(extraction.events[0], documents_of(extraction))
    html = excerpt_views(pane)[0].text.text()
    assert '">met</span>' in html
    assert html.count("<span") == 1


def hostile_event_and_documents() -> tuple[Event, dict[str, Document]]:
    text = "Intro.\n" + HOSTILE + "\n"
    doc = Document(id="h.txt", path="/corpus/h.txt", text=text, title="<i>Headline</i>",
                   outlet="<b>Outlet</b>")
    start = text.index(HOSTILE)
    key = text.index("<b>bold</b>")
    excerpt = Excerpt(doc.id, start, start + len(HOSTILE), HOSTILE,
                      Span(key, key + len("<b>bold</b>")))
    base = sample_extraction().events[0]
    event = dataclasses.replace(
        base, title="<b>bold</b> title", location="<img src=http://example.invalid/p.png>",
        topics=("<a href=file:///etc/passwd>x</a>",), sources=(excerpt,),
        quotes=(Quote("<b>Speaker</b>", doc.id, start, start + 10, HOSTILE[:10]),))
    return event, {doc.id: doc}


def test_article_markup_is_shown_literally_and_never_loaded(pane):
    event, documents = hostile_event_and_documents()
    pane.show_event(event, documents)
    block = excerpt_views(pane)[0]
    document = rendered(block.text.text())
    assert document.toPlainText() == HOSTILE
    assert image_formats(document) == 0
    assert "<img" not in block.text.text() and "<a " not in block.text.text()
    assert not block.text.openExternalLinks()
    for label in pane.findChildren(QLabel):
        if label is not block.text:
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    text = all_label_text(pane)
    assert "<b>bold</b> title" in text
    assert "<img src=http://example.invalid/p.png>" in text
    assert "<b>Outlet</b>" in pane.cards[0].heading.text()
    assert pane.cards[0].subtitle.text() == "<i>Headline</i>"


def test_open_source_asks_for_the_excerpt_in_its_document(pane, extraction, qtbot):
    meeting = extraction.events[0]
    pane.show_event(meeting, documents_of(extraction))
    second = meeting.sources[1]
    with qtbot.waitSignal(pane.openSourceRequested) as signal:
        qtbot.mouseClick(pane.cards[1].excerpt_views[0].open_button, Qt.MouseButton.LeftButton)
    assert signal.args == [second.document, second.start, second.end]


def test_showing_none_returns_to_the_empty_state(pane, extraction):
    pane.show_event(extraction.events[0], documents_of(extraction))
    pane.show_event(None, {})
    assert pane.current_event is None
    assert EMPTY_TEXT in all_label_text(pane)


def test_an_excerpt_from_an_unknown_document_still_shows(pane, extraction):
    pane.show_event(extraction.events[0], {})
    assert [c.heading.text() for c in pane.cards] == ["a.txt", "b.txt"]


def test_a_newly_shown_event_is_visible_in_a_pane_already_on_screen(pane, extraction, qtbot):
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_event(extraction.events[0], documents_of(extraction))
    assert all(card.isVisibleTo(pane) for card in pane.cards)
    assert pane.date_label.isVisibleTo(pane)
