"""A sentence read from the document's tokens is read as if tokenised alone."""

from __future__ import annotations

from viewer.core.gazetteer import default_gazetteer
from viewer.core.mentions import DocumentTokens, _classify, _tokenize

TEXT = (
    "VELMORA – Foreign Minister Tessa Quarrin met her Dovrani counterpart in the city of "
    "Ostrel on Monday. \u201cWe agreed,\u201d Quarrin told reporters. "
    "The minister\u2019s deputy, Arno van der Lisk, 54, said talks would go on."
)


def _spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end in range(len(text)):
        if text[end] == "." and (end + 1 == len(text) or text[end + 1] == " "):
            spans.append((start, end + 1))
            start = end + 2
    return spans


def test_each_sentence_cut_equals_the_sentence_tokenised_alone() -> None:
    gaz = default_gazetteer()
    doc = DocumentTokens(TEXT, gaz)
    for start, end in _spans(TEXT):
        assert doc.within(start, end) == _classify(_tokenize(TEXT, start, end), gaz)


def test_a_span_that_cuts_a_word_is_tokenised_itself() -> None:
    gaz = default_gazetteer()
    doc = DocumentTokens(TEXT, gaz)
    start, end = TEXT.index("inister"), TEXT.index(" met")
    cut = doc.within(start, end)
    assert [t.text for t in cut.tokens] == ["inister", "Tessa", "Quarrin"]
    assert cut == _classify(_tokenize(TEXT, start, end), gaz)
