"""Faster searches in the dates module find exactly what the plain patterns find."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from viewer.core import dates

# Digits of other scripts (\d takes them), the ordinal suffixes' letters, date separators,
# apostrophes and the clause marks.
_TEXT = st.text(alphabet="0123456789٣५ stndrhleEDTS-./’'\n,;:()–—", max_size=80)


@given(_TEXT)
def test_ordinal_and_numeric_triggers_hit_where_their_patterns_match(text: str) -> None:
    for trigger in (dates._ORDINAL_DAY_TRIGGER, dates._NUMERIC_TRIGGER):
        expected = [m.span() for m in trigger.finditer(text)]
        assert list(dates._trigger_hits(trigger, text, None)) == expected


@given(_TEXT, st.integers(0, 80), st.integers(0, 80))
def test_word_endings_are_found_after_a_lower_case_letter(text: str, a: int, b: int) -> None:
    start, end = min(a, b, len(text)), min(max(a, b), len(text))
    for ending, plain in ((dates._FUTURE_ENDING, "[’']ll\\b"), (dates._PAST_ENDING, "ed\\b")):
        expected = [(m.start() - 1, m.end()) for m in re.finditer(plain, text[:end])
                    if m.start() > start and "a" <= text[m.start() - 1] <= "z"]
        assert dates._with_endings([], ending, text, start, end) == expected


def test_future_ending_marks_the_future_and_a_clause_mark_ends_the_clause() -> None:
    assert dates.sentence_tense("They’ll meet on 3 May.") is dates.Tense.FUTURE
    assert dates.sentence_tense("THEY'LL meet on 3 May.") is dates.Tense.UNKNOWN
    text = "He arrived on 2 May; talks will end on 9 May, officials said."
    spans = [p.span for p in dates.find_date_phrases(text)]
    sentences = dates._Sentences(text, spans)
    assert [text[s] for s in sentences.clause_starts] == [";", ","]
    assert [sentences.tense_at(s) for s in spans] == [dates.Tense.PAST, dates.Tense.FUTURE]


@given(st.text(alphabet="beBEremainREMAINstaySTAY x.", max_size=12))
def test_passive_hint_is_a_case_blind_search_in_ascii_text(text: str) -> None:
    expected = re.search("be|remain|stay", text, re.IGNORECASE) is not None
    assert dates._may_be_passive(text) == expected


def test_a_participle_after_be_in_capitals_is_no_past_marker() -> None:
    assert dates.sentence_tense("Talks WILL BE held on 3 May.") is dates.Tense.UNKNOWN
    assert dates.sentence_tense("Talks were held on 3 May.") is dates.Tense.PAST
