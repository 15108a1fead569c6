"""Site chrome: what is marked, what is left alone, and how the rules load from data."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewer.core.chrome import find_chrome, is_date_line, load_rules
from viewer.core.model import Chrome
from viewer.core.reading import find_title
from viewer.core.sentences import split_sentences
from viewer.resources import seeds_dir

BODY = (
    "Foreign Minister Ana Duarte met her Chilean counterpart Tomas Rivera in Lisbon on "
    "Monday. They discussed fisheries and trade, and agreed to meet again in the spring.\n\n"
    "Rivera said the talks had been useful. He will travel to Porto on Friday for a port "
    "visit and meet the harbour authority there.\n\n"
    "The two ministers last met in Valparaiso in 2023, when they signed a memorandum on "
    "coastal research and student exchanges.\n"
)


def chrome_texts(text: str) -> list[tuple[str, str]]:
    """(reason, covered text) for each chrome span of ``text``."""
    return [(c.reason, text[c.span.start:c.span.end]) for c in find_chrome(text)]


def covered(text: str, phrase: str) -> bool:
    """True when the first occurrence of ``phrase`` lies wholly inside chrome."""
    start = text.index(phrase)
    return any(c.span.start <= start and start + len(phrase) <= c.span.end
               for c in find_chrome(text))


def touched(text: str, phrase: str) -> bool:
    """True when any chrome span overlaps the first occurrence of ``phrase``."""
    start = text.index(phrase)
    return any(c.span.start < start + len(phrase) and start < c.span.end
               for c in find_chrome(text))


def test_comment_form_and_everything_after_it_is_chrome() -> None:
    text = "Envoys meet in Lisbon\n\n" + BODY + "\nLeave a Reply\n\nYour name\nPost\n"
    chrome = find_chrome(text)
    assert chrome[-1].reason == "comment form"
    assert text[chrome[-1].span.start:].startswith("Leave a Reply")
    assert chrome[-1].span.end == len(text)


def test_comment_marker_in_a_header_menu_does_not_swallow_the_article() -> None:
    text = "Comments\nEnvoys meet in Lisbon\n\n" + BODY * 3
    assert chrome_texts(text)[0] == ("comment form", "Comments")
    assert not touched(text, "Rivera said the talks had been useful.")


def test_related_articles_block_ends_the_article() -> None:
    text = "Envoys meet\n\n" + BODY + "RELATED ARTICLES\nPorto mayor resigns\nFish prices rise\n"
    assert covered(text, "Porto mayor resigns")
    assert covered(text, "Fish prices rise")
    assert not touched(text, "They discussed fisheries and trade")


def test_source_link_line_ends_the_article() -> None:
    text = "Envoys meet\n\n" + BODY + "\nSource link\n"
    assert find_chrome(text)[-1].reason == "source link"


def test_subscribe_near_the_end_takes_the_author_bio_with_it() -> None:
    text = ("Envoys meet\n\n" + BODY + "\nSubscribe\nHarbour Desk\n"
            "The Harbour Desk is a team of reporters covering ports.\n")
    assert covered(text, "The Harbour Desk is a team of reporters covering ports.")


def test_subscribe_in_the_header_is_only_a_line() -> None:
    text = "Subscribe\nEnvoys meet\n\n" + BODY * 3
    assert chrome_texts(text) == [("subscribe block", "Subscribe")]


def test_by_alone_with_the_name_on_the_next_line_is_a_byline() -> None:
    text = "Envoys meet in Lisbon\n\nBy\nHarbour Gazette Staff\n-\n\n" + BODY
    assert chrome_texts(text)[:3] == [
        ("byline", "By"), ("byline", "Harbour Gazette Staff"), ("separator", "-")]


def test_by_with_a_short_name_is_a_byline() -> None:
    text = "Envoys meet in Lisbon\nBy Maria Costa\n\n" + BODY
    assert ("byline", "By Maria Costa") in chrome_texts(text)


def test_a_sentence_starting_with_by_is_not_a_byline() -> None:
    text = "Envoys meet\n\nBy the end of the week the two ministers had agreed on quotas.\n" + BODY
    assert not touched(text, "By the end of the week")


def test_date_and_id_header_lines_are_chrome() -> None:
    text = "Publicat în 03.03.2025\n\nEnvoys meet\n\n March 3, 2025 \u00a0 News ID 1234\n" + BODY
    reasons = chrome_texts(text)
    assert ("date line", "Publicat în 03.03.2025") in reasons
    assert ("date line", "March 3, 2025 \u00a0 News ID 1234") in reasons


def test_is_date_line_rejects_sentences_that_hold_dates() -> None:
    assert is_date_line("Updated: 14:05 GMT, 3 March 2025")
    assert not is_date_line("Talks resumed on 3 March 2025.")
    assert not is_date_line("March madness")


def test_repeated_headline_lines_after_the_first_are_chrome() -> None:
    text = "Envoys meet in Lisbon\n\nEnvoys meet in Lisbon\n" + BODY
    chrome = find_chrome(text)
    assert [c.reason for c in chrome] == ["repeated title"]
    assert chrome[0].span.start == len("Envoys meet in Lisbon\n\n")


def test_photo_credit_and_its_caption_are_chrome() -> None:
    text = ("Envoys meet in Lisbon\n"
            "Ana Duarte (left) and Tomas Rivera at the harbour in Lisbon.\n"
            "\u00a9 Harbour Gazette / Jo Pires\n" + BODY)
    reasons = [r for r, _ in chrome_texts(text)]
    assert reasons == ["photo caption", "photo credit"]


def test_a_sentence_beside_a_credit_without_caption_marks_is_kept() -> None:
    text = ("Envoys meet in Lisbon\n"
            "Ana Duarte met Tomas Rivera at the harbour in Lisbon on Monday.\n"
            "Photo: Jo Pires\n" + BODY)
    assert chrome_texts(text) == [("photo credit", "Photo: Jo Pires")]


def test_url_only_line_is_chrome() -> None:
    text = "Envoys meet\n\n" + BODY + "https://example.org/envoys-meet\n" + BODY
    assert ("link", "https://example.org/envoys-meet") in chrome_texts(text)


def test_plain_article_has_no_chrome() -> None:
    assert find_chrome("Envoys meet in Lisbon\n\n" + BODY) == ()


def test_chrome_rules_come_from_a_data_file(tmp_path: Path) -> None:
    rules_file = tmp_path / "chrome.toml"
    rules_file.write_text('[[rule]]\nreason = "promo"\nscope = "line"\nphrases = ["buy now"]\n')
    rules = load_rules(rules_file)
    text = "Envoys meet\nBUY NOW!\n" + BODY
    assert [c.reason for c in find_chrome(text, rules)] == ["promo"]


def test_crlf_text_gets_spans_without_the_carriage_return() -> None:
    text = ("Envoys meet\r\n\r\n" + BODY + "\r\nLeave a Reply\r\nName\r\n").replace("\n\n", "\r\n")
    chrome = find_chrome(text)
    assert text[chrome[-1].span.start:].startswith("Leave a Reply")


def test_seed_chrome_never_touches_a_sentence_about_a_meeting() -> None:
    for path in sorted(seeds_dir().glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        chrome = find_chrome(text)
        title, _ = find_title(text, chrome)
        whole = split_sentences(text)
        # The headline's second copy is chrome on purpose; every body sentence must stay.
        meetings = [s for s in whole if s.text != title
                    and any(w in s.text for w in (" met ", "meeting", "talks"))]
        assert len(meetings) >= 2, path.name
        for sentence in meetings:
            assert not any(c.span.overlaps(sentence.span) for c in chrome), (path.name, sentence)


def test_seed_footers_are_chrome_to_the_end() -> None:
    endings = {"000": "Close Menu", "001": "Leave A Reply", "002": "Write your comment",
               "003": "Please enter your name here"}
    for path in sorted(seeds_dir().glob("*.txt")):
        prefix = path.name[:3]
        if prefix not in endings:
            continue
        text = path.read_text(encoding="utf-8")
        last = find_chrome(text)[-1]
        assert last.span.end == len(text), path.name
        assert endings[prefix] in text[last.span.start:], path.name
        assert last.span.start > len(text) // 2, path.name


def _well_formed(text: str, chrome: tuple[Chrome, ...]) -> None:
    previous_end = 0
    for item in chrome:
        assert previous_end <= item.span.start <= item.span.end <= len(text)
        previous_end = item.span.end


@given(st.text())
def test_find_chrome_on_any_text_gives_sorted_disjoint_spans(text: str) -> None:
    _well_formed(text, find_chrome(text))


_LINES = st.sampled_from([
    "Comments", "Leave a Reply", "By", "Maria Costa", "-", "Subscribe", "© Photo / X",
    "Envoys meet", "March 3, 2025", "https://example.org/x", "Ana met Tomas in Lisbon.",
    "", "   ", "RELATED ARTICLES", "Ana Duarte (left)",
])


@given(st.lists(_LINES, max_size=30), st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_find_chrome_on_chrome_like_lines_gives_sorted_disjoint_spans(
    lines: list[str], newline: str
) -> None:
    text = newline.join(lines)
    _well_formed(text, find_chrome(text))


def test_a_box_of_related_links_inside_the_article_does_not_end_it() -> None:
    later = ("After the talks Rivera flew on to Madrid, where he was due to meet the Spanish "
             "fisheries minister on Wednesday to discuss a joint patrol of the coastal waters "
             "and a shared register of licensed trawlers, officials said on Tuesday evening.")
    text = ("Envoys meet\n\n" + BODY * 2 + "Related stories\nPorto mayor resigns\n"
            "Fish prices rise\n\n" + later + "\n")
    assert covered(text, "Porto mayor resigns")
    assert not touched(text, later)


def test_related_links_at_the_end_followed_by_comments_run_to_the_end() -> None:
    text = ("Envoys meet\n\n" + BODY + "RELATED ARTICLES\nPorto mayor resigns\n\n"
            "LEAVE A REPLY\nGreat piece, thank you for covering the fisheries talks so well.\n")
    assert find_chrome(text)[-1].span.end == len(text)
    assert covered(text, "Great piece, thank you")


def test_caption_carrying_its_own_credit_is_chrome() -> None:
    caption = ("Ana Duarte, left, shakes hands with Tomas Rivera in Lisbon on Monday. "
               "(Photo by Jo Pires/Harbour Gazette)")
    text = "Envoys meet in Lisbon\n" + caption + "\n" + BODY
    assert chrome_texts(text) == [("photo caption", caption)]


def test_header_menu_lines_are_chrome_but_the_headline_is_not() -> None:
    text = "Skip to content\nShare\nTweet\nEnvoys meet in Lisbon\nAdvertisement\n" + BODY
    assert [t for _, t in chrome_texts(text)] == [
        "Skip to content", "Share", "Tweet", "Advertisement"]


def test_site_name_above_the_headline_is_a_masthead() -> None:
    text = "Harbour Gazette\nMarch 3, 2025\n\nEnvoys agree on fisheries quotas\n\n" + BODY
    assert chrome_texts(text) == [("masthead", "Harbour Gazette"), ("date line", "March 3, 2025")]
    assert find_title(text, find_chrome(text))[0] == "Envoys agree on fisheries quotas"


def test_a_short_headline_followed_by_a_standfirst_stays_the_headline() -> None:
    text = ("Lisbon Times\n\nEnvoys meet\n"
            "The two ministers agreed on quotas for the coming season.\n\n" + BODY)
    assert find_title(text, find_chrome(text))[0] == "Envoys meet"


def test_a_lone_masthead_like_headline_is_still_the_title() -> None:
    text = "Harbour news in brief\n\n" + BODY
    assert find_chrome(text) == ()
    assert find_title(text, ())[0] == "Harbour news in brief"


def test_navigation_bar_of_pipes_is_chrome() -> None:
    text = "Home | World | Politics | Sport\nEnvoys meet in Lisbon\n\n" + BODY
    assert chrome_texts(text)[0] == ("menu", "Home | World | Politics | Sport")


def test_cookie_banner_and_copyright_at_the_end_are_chrome() -> None:
    text = ("Envoys meet\n\n" + BODY + "\nWe use cookies to improve your experience. Accept\n\n"
            "\u00a9 2025 Harbour Gazette. All rights reserved.\n")
    assert find_chrome(text)[-1].reason == "page footer"
    assert covered(text, "All rights reserved.")


def test_parenthesised_reporting_credit_is_a_byline() -> None:
    text = "Envoys meet\n\n" + BODY + "(Reporting by Jo Pires; Editing by Ana Lima)\n"
    assert chrome_texts(text) == [("byline", "(Reporting by Jo Pires; Editing by Ana Lima)")]


def test_a_correction_notice_is_kept_out_of_extraction() -> None:
    note = ("Correction: An earlier version of this article said that the ministers met on "
            "Tuesday. The meeting took place on Wednesday. We apologise for the error.")
    text = "Envoys meet\n\n" + note + "\n\n" + BODY
    assert chrome_texts(text) == [("editor's note", note)]


def test_a_live_blog_update_line_stays_in_the_article() -> None:
    text = "Envoys meet\n\nUpdate: the ministers have just arrived in Lisbon.\n\n" + BODY
    assert chrome_texts(text) == []


@pytest.mark.parametrize("line", [
    "Home  Politics  Defense  Economy  Society  World  Photo  Video",
    "News Politics Economy Military & Defense World Science",
    "Publish Date: Monday, 2 March 2026 - 14:22",
    "Published - February 27, 2026 08:40 pm IST - MUMBAI",
    "[Font size: A A A] Share:",
])
def test_page_furniture_above_the_headline_is_chrome_and_no_title(line: str) -> None:
    text = f"Harbour Gazette\n{line}\n\nEnvoys meet in Lisbon\n\n" + BODY
    assert line in [covered for _, covered in chrome_texts(text)]
    assert find_title(text, find_chrome(text))[0] == "Envoys meet in Lisbon"


def test_agency_code_line_is_chrome_only_in_capitals() -> None:
    text = "Envoys meet\n\n" + BODY + "HGZ\n\nYes\n"
    assert chrome_texts(text) == [("agency code", "HGZ")]


def test_a_broken_pattern_in_the_rules_file_is_reported_not_raised(tmp_path: Path) -> None:
    rules_file = tmp_path / "chrome.toml"
    rules_file.write_text('[[rule]]\nreason = "promo"\nscope = "sideways"\n'
                          'phrases = ["buy now"]\npatterns = ["(unclosed"]\n')
    rules = load_rules(rules_file)
    assert len(rules.problems) == 2
    assert all(p.startswith("chrome.toml: ") for p in rules.problems)
    assert [c.reason for c in find_chrome("Envoys meet\nBuy now\n" + BODY, rules)] == ["promo"]


def test_a_pattern_with_a_named_group_is_reported_and_the_others_still_work(
        tmp_path: Path) -> None:
    rules_file = tmp_path / "chrome.toml"
    rules_file.write_text('[[rule]]\nreason = "promo"\npatterns = ["(?P<x>buy) now"]\n'
                          '[[rule]]\nreason = "share"\npatterns = ["(?P<x>share) this"]\n'
                          'phrases = ["Share this"]\n')
    rules = load_rules(rules_file)
    assert len(rules.problems) == 2
    assert all("named groups" in p for p in rules.problems)
    found = find_chrome("Envoys meet\nBuy now\nShare this\n" + BODY, rules)
    assert [c.reason for c in found] == ["share"]


def test_an_unreadable_rules_file_marks_nothing(tmp_path: Path) -> None:
    rules_file = tmp_path / "chrome.toml"
    rules_file.write_text("[[rule]\n")
    rules = load_rules(rules_file)
    assert rules.problems
    assert find_chrome("Envoys meet\nComments\n" + BODY, rules) == ()


def test_the_bundled_rules_file_has_no_problems() -> None:
    assert load_rules().problems == ()


def test_a_more_from_the_outlet_header_starts_a_box_of_links() -> None:
    text = BODY + "\nMore from The Harbour Courier:\n\nMinister to visit Porto next month\n"
    assert covered(text, "More from The Harbour Courier:")
    assert covered(text, "Minister to visit Porto next month")
    assert not touched(text, "Rivera said the talks had been useful.")
