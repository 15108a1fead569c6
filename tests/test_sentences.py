"""Sentence splitting: exact offsets, abbreviations, quotes, headings, chrome left out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from viewer.core.chrome import find_chrome
from viewer.core.model import Chrome, Span
from viewer.core.sentences import MAX_SENTENCE_CHARS, sentence_at, split_sentences


def texts(text: str, chrome: tuple[Chrome, ...] = ()) -> list[str]:
    return [s.text for s in split_sentences(text, chrome)]


def test_sentences_have_exact_trimmed_spans() -> None:
    text = "  Ana met Tomas.   They talked.\n\nThen they left.  "
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Ana met Tomas.", "They talked.", "Then they left."]
    for s in sentences:
        assert text[s.span.start:s.span.end] == s.text


def test_military_ranks_do_not_end_a_sentence() -> None:
    text = "Maj. Gen. Tomas Rivera met Lt. Col. Ana Duarte in Porto. The talks went well."
    assert texts(text) == ["Maj. Gen. Tomas Rivera met Lt. Col. Ana Duarte in Porto.",
                           "The talks went well."]


def test_dotted_short_forms_and_months_do_not_end_a_sentence() -> None:
    text = ("Mr. Rivera told the U.N. envoy and Dr. Costa that the U.S. delegation would "
            "arrive on Oct. 5 or Sept. 12 at No. 10 St. James Street. It did not.")
    assert len(texts(text)) == 2


def test_initials_do_not_end_a_sentence() -> None:
    assert texts("J. R. Pires wrote the report. It was short.") == [
        "J. R. Pires wrote the report.", "It was short."]


def test_a_m_ends_a_sentence_only_before_a_capital() -> None:
    assert texts("They met at 10 a.m. on Monday. Nobody came.") == [
        "They met at 10 a.m. on Monday.", "Nobody came."]
    assert texts("They met at 10 a.m. The talks lasted an hour.") == [
        "They met at 10 a.m.", "The talks lasted an hour."]


def test_closing_quote_after_the_period_belongs_to_the_sentence() -> None:
    text = "\u201cWe agreed on a lot.\u201d Duarte smiled. She left."
    assert texts(text) == ["\u201cWe agreed on a lot.\u201d", "Duarte smiled.", "She left."]


def test_quote_ending_in_a_comma_does_not_end_the_sentence() -> None:
    text = "\u201cWe agreed on a lot,\u201d Duarte said. Rivera nodded."
    assert texts(text) == ["\u201cWe agreed on a lot,\u201d Duarte said.", "Rivera nodded."]


def test_question_in_quotes_followed_by_said_stays_one_sentence() -> None:
    assert texts("\u201cWhy now?\u201d he asked. Nobody knew.") == [
        "\u201cWhy now?\u201d he asked.", "Nobody knew."]


def test_heading_without_a_period_is_its_own_sentence() -> None:
    text = "Duarte \u2013 Rivera meeting\nThe two ministers met in Lisbon on Monday."
    assert texts(text) == ["Duarte \u2013 Rivera meeting",
                           "The two ministers met in Lisbon on Monday."]


def test_dateline_stays_in_the_first_sentence() -> None:
    text = "LISBON \u2013 Ana Duarte met Tomas Rivera on Monday. They talked."
    assert texts(text)[0] == "LISBON \u2013 Ana Duarte met Tomas Rivera on Monday."


def test_hard_wrapped_lines_are_joined_into_one_sentence() -> None:
    text = ("Foreign Minister Ana Duarte met her counterpart\n"
            "in Lisbon on Monday to discuss fisheries.\nThey agreed.")
    assert texts(text) == ["Foreign Minister Ana Duarte met her counterpart\n"
                           "in Lisbon on Monday to discuss fisheries.", "They agreed."]


def test_lowercase_after_a_period_does_not_start_a_sentence() -> None:
    assert len(texts("They cooperate on security. in Porto. They agreed.")) == 2


def test_crlf_text_keeps_exact_offsets() -> None:
    text = "Envoys meet\r\n\r\nAna met Tomas. They talked.\r\n"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["Envoys meet", "Ana met Tomas.", "They talked."]
    assert all(text[s.span.start:s.span.end] == s.text for s in sentences)


def test_chrome_is_left_out() -> None:
    text = "Envoys meet\n\nAna met Tomas.\n\nLeave a Reply\nGreat article. Thanks."
    chrome = (Chrome(Span(text.index("Leave"), len(text)), "comment form"),)
    assert texts(text, chrome) == ["Envoys meet", "Ana met Tomas."]


def test_chrome_boundary_is_a_sentence_boundary() -> None:
    text = "Ana met Tomas in Lisbon Photo: X and then they talked."
    start = text.index("Photo: X")
    chrome = (Chrome(Span(start, start + len("Photo: X")), "photo credit"),)
    assert texts(text, chrome) == ["Ana met Tomas in Lisbon", "and then they talked."]


def test_bare_punctuation_is_not_a_sentence() -> None:
    assert texts("Ana met Tomas.\n-\n. .\nThey talked.") == ["Ana met Tomas.", "They talked."]


def test_a_long_line_without_punctuation_is_cut_into_capped_pieces() -> None:
    text = "word " * 40_000
    sentences = split_sentences(text)
    assert len(sentences) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in sentences)
    assert all(text[s.span.start:s.span.end] == s.text for s in sentences)


def test_a_long_run_without_spaces_is_cut_hard() -> None:
    text = "x" * 5_000
    sentences = split_sentences(text)
    assert [len(s.text) for s in sentences] == [2000, 2000, 1000]


def test_sentence_at_finds_the_sentence_covering_an_offset() -> None:
    text = "Ana met Tomas. They talked."
    sentences = split_sentences(text)
    assert sentence_at(sentences, text.index("Tomas")) == sentences[0]
    assert sentence_at(sentences, text.index("talked")) == sentences[1]
    assert sentence_at(sentences, text.index(" They")) is None
    assert sentence_at(sentences, len(text) + 5) is None
    assert sentence_at([], 0) is None


def _check(text: str, chrome: tuple[Chrome, ...]) -> None:
    sentences = split_sentences(text, chrome)
    previous_end = 0
    for s in sentences:
        assert previous_end <= s.span.start < s.span.end <= len(text)
        assert s.text == text[s.span.start:s.span.end]
        assert s.text == s.text.strip()
        assert not any(c.span.overlaps(s.span) for c in chrome)
        previous_end = s.span.end


@given(st.text())
def test_any_text_splits_into_exact_ordered_spans_outside_chrome(text: str) -> None:
    _check(text, find_chrome(text))


_PIECES = st.sampled_from([
    "Ana met Tomas", ".", " ", "\n", "\r\n", "Gen.", "U.S.", "\u201d", "\u201c", "?", "!",
    "a.m.", "J.", "Comments", "\n\n", "...", "\u2026", "x" * 50, "Leave a Reply", "\u3002",
])


@given(st.lists(_PIECES, max_size=60))
def test_sentence_like_text_splits_into_exact_ordered_spans(pieces: list[str]) -> None:
    text = "".join(pieces)
    _check(text, find_chrome(text))
    _check(text, ())


def test_stops_are_found_wherever_the_block_has_them():
    from viewer.core.sentences import split_sentences

    text = "He left... She stayed! Did they? Yes… 今日は。明日も。 The end. 3.5 m. Dr. Bo came."
    assert [s.text for s in split_sentences(text)] == [
        "He left...", "She stayed!", "Did they?", "Yes…", "今日は。", "明日も。", "The end.",
        "3.5 m.", "Dr. Bo came."]
