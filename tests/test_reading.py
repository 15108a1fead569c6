"""Reading a corpus: the seeds, the manifest, titles and decoding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.core.chrome import find_chrome
from viewer.core.model import Certainty, Precision
from viewer.core.reading import (
    MAX_LINE_CHARS,
    Corpus,
    SourceMeta,
    binary_reason,
    decode_text,
    find_title,
    load_manifest,
    make_document,
    read_article,
    read_articles,
    read_corpus,
    read_document,
)
from viewer.resources import seeds_dir

ARTICLE = "Envoys meet in Lisbon\n\nAna Duarte met Tomas Rivera in Lisbon on Monday.\n"


def seeds() -> Corpus:
    return read_corpus([seeds_dir()])


def test_seeds_give_five_documents_sorted_by_file_name() -> None:
    corpus = seeds()
    ids = [d.id for d in corpus.documents]
    assert len(ids) == 5
    assert ids == sorted(ids)
    assert corpus.warnings == ()


def test_seed_text_is_the_file_exactly() -> None:
    for doc in seeds().documents:
        assert doc.text == Path(doc.path).read_text(encoding="utf-8")
        assert Path(doc.path).is_absolute()
        assert doc.encoding == "utf-8"


def test_manifest_fields_are_applied_to_the_seeds() -> None:
    docs = {d.id[:3]: d for d in seeds().documents}
    sputnik = docs["004"]
    assert sputnik.outlet == "Sputnik"
    assert sputnik.url is not None and sputnik.url.startswith("https://sputnikglobe.com/")
    assert sputnik.language == "en"
    assert sputnik.published_basis == "manifest"
    assert sputnik.published is not None
    assert sputnik.published.start == sputnik.published.end == dt.date(2023, 9, 19)
    assert sputnik.published.precision is Precision.DAY
    assert sputnik.published.certainty is Certainty.STATED
    assert "sources.toml" in sputnik.published.basis
    assert docs["000"].outlet is None and docs["000"].published is None
    assert docs["000"].published_basis is None


def test_seed_titles_are_the_headlines_not_date_or_byline_lines() -> None:
    for doc in seeds().documents:
        first_line = doc.text.split("\n", 1)[0].strip()
        assert len(doc.title) > 20, doc.id
        assert doc.title in doc.text
        assert not any(ch.isdigit() for ch in doc.title), doc.id
        if not any(ch.isdigit() for ch in first_line):
            assert doc.title == first_line, doc.id


def test_seed_with_a_date_line_first_takes_the_next_line_as_title() -> None:
    doc = next(d for d in seeds().documents if d.id.startswith("000"))
    assert doc.text.startswith("Publicat")
    assert doc.title == doc.text.split("\n")[2].strip()


def test_seed_chrome_covers_the_comment_forms_to_the_end() -> None:
    for doc in seeds().documents:
        if doc.id.startswith("004"):
            continue  # this page has no footer
        last = doc.chrome[-1]
        assert last.span.end == len(doc.text), doc.id
        tail = doc.text[last.span.start:]
        assert any(w in tail.casefold() for w in ("reply", "comment", "răspuns")), doc.id


def test_read_document_applies_the_manifest_entry(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    meta = SourceMeta("a.txt", outlet="Harbour Gazette", url="https://example.org/a",
                      language="pt", published=dt.date(2025, 3, 5))
    doc, warnings = read_document(path, meta)
    assert warnings == []
    assert doc is not None
    assert (doc.id, doc.title, doc.outlet, doc.language) == (
        "a.txt", "Envoys meet in Lisbon", "Harbour Gazette", "pt")
    assert doc.published is not None and doc.published.start == dt.date(2025, 3, 5)
    assert doc.published.basis == "published 2025-03-05 per sources.toml"


def test_crlf_text_is_kept_as_is(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.replace("\n", "\r\n").encode())
    doc, _ = read_document(path)
    assert doc is not None
    assert doc.text == ARTICLE.replace("\n", "\r\n")
    assert doc.title == "Envoys meet in Lisbon"


def test_title_skips_chrome_and_date_lines() -> None:
    text = ("\n  March 3, 2025   News ID 77\nBy\nHarbour Desk\n-\n"
            "Envoys meet in Lisbon\nAna met Tomas.\n")
    title, span = find_title(text, find_chrome(text))
    assert title == "Envoys meet in Lisbon"
    assert span is not None and text[span.start:span.end] == title


def test_title_falls_back_to_the_file_stem(tmp_path: Path) -> None:
    path = tmp_path / "lisbon-talks.txt"
    path.write_text("2025-03-03\n---\n", encoding="utf-8")
    doc, _ = read_document(path)
    assert doc is not None
    assert doc.title == "lisbon-talks"


def test_a_headline_less_article_gets_a_shortened_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Ana met Tomas in Lisbon and " * 40 + "\n", encoding="utf-8")
    doc, _ = read_document(path)
    assert doc is not None
    assert len(doc.title) <= 201 and doc.title.endswith("…")


def test_manifest_accepts_dates_as_strings_and_reports_bad_fields(tmp_path: Path) -> None:
    manifest = tmp_path / "sources.toml"
    manifest.write_text(
        '[[source]]\nfile = "a.txt"\npublished = "2025-03-05"\noutlet = "Harbour Gazette"\n'
        '[[source]]\nfile = "b.txt"\npublished = "last Tuesday"\nurl = 7\n'
        '[[source]]\noutlet = "No file"\n'
        '[[source]]\nfile = "c.txt"\npublished = 2025-03-06T10:00:00Z\n',
        encoding="utf-8",
    )
    metas, warnings = load_manifest(manifest)
    assert metas["a.txt"] == SourceMeta("a.txt", outlet="Harbour Gazette",
                                        published=dt.date(2025, 3, 5))
    assert metas["b.txt"].published is None and metas["b.txt"].url is None
    assert metas["c.txt"].published == dt.date(2025, 3, 6)
    assert len(warnings) == 3
    assert all(w.startswith("sources.toml: ") for w in warnings)


def test_manifest_entry_for_a_missing_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sources.toml").write_text('[[source]]\nfile = "typo.txt"\n', encoding="utf-8")
    corpus = read_corpus([tmp_path])
    assert [d.id for d in corpus.documents] == ["a.txt"]
    assert any("typo.txt" in w for w in corpus.warnings)


def test_explicit_files_use_their_folders_manifest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(
        '[[source]]\nfile = "a.txt"\noutlet = "Harbour Gazette"\n'
        '[[source]]\nfile = "b.txt"\n', encoding="utf-8")
    corpus = read_corpus([tmp_path / "a.txt"])
    assert [(d.id, d.outlet) for d in corpus.documents] == [("a.txt", "Harbour Gazette")]
    assert corpus.warnings == ()


def test_the_same_file_given_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    corpus = read_corpus([tmp_path, tmp_path / "a.txt"])
    assert [d.id for d in corpus.documents] == ["a.txt"]
    assert corpus.warnings == ()


def test_two_files_with_one_name_in_two_folders_keep_the_first(tmp_path: Path) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    corpus = read_corpus([tmp_path / "one", tmp_path / "two"])
    assert len(corpus.documents) == 1
    assert corpus.documents[0].path.endswith(str(Path("one") / "a.txt"))
    assert any(w.startswith("a.txt: skipped") for w in corpus.warnings)


def test_hidden_files_are_passed_over_quietly(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / ".cache").mkdir()
    corpus = read_corpus([tmp_path])
    assert [d.id for d in corpus.documents] == ["a.txt"]
    assert corpus.warnings == ()


def test_sub_folders_are_not_read_but_named(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "b.txt").write_text(ARTICLE, encoding="utf-8")
    corpus = read_corpus([tmp_path])
    assert corpus.documents == ()
    assert corpus.warnings == ("old/: ignored: sub-folders are not read",)


def test_decode_text_reads_each_supported_encoding() -> None:
    sample = "Café \u201cLisbon\u201d \u2013 talks"
    assert decode_text(sample.encode("utf-8")) == (sample, "utf-8", [])
    assert decode_text(b"\xef\xbb\xbf" + sample.encode())[:2] == (sample, "utf-8-sig")
    assert decode_text(sample.encode("utf-16"))[0] == sample
    assert decode_text(b"\xfe\xff" + sample.encode("utf-16-be"))[:2] == (sample, "utf-16-be")
    text, name, warnings = decode_text(sample.encode("cp1252"))
    assert (text, name) == (sample, "cp1252")
    assert warnings and "cp1252" in warnings[0]


def test_decode_text_falls_back_to_latin1_for_bytes_cp1252_lacks() -> None:
    text, name, warnings = decode_text(b"caf\xe9 \x81")
    assert (text, name) == ("caf\xe9 \x81", "latin-1")
    assert warnings


def test_utf16_without_bom_is_recognised() -> None:
    for name in ("utf-16-le", "utf-16-be"):
        text, used, warnings = decode_text("Envoys meet in Lisbon".encode(name))
        assert (text, used) == ("Envoys meet in Lisbon", name)
        assert warnings


@given(st.binary())
def test_decode_text_never_raises(data: bytes) -> None:
    text, name, warnings = decode_text(data)
    assert isinstance(text, str) and isinstance(name, str)
    assert all(isinstance(w, str) for w in warnings)


@given(st.text())
def test_utf8_text_round_trips(text: str) -> None:
    data = text.encode("utf-8")
    if data.startswith(b"\xef\xbb\xbf"):
        return  # a leading BOM is dropped by design
    decoded, _, _ = decode_text(data)
    if "\x00" not in text:  # NULs every other byte would read as BOM-less UTF-16
        assert decoded == text


def test_the_manifest_outlet_above_the_headline_is_not_the_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Quayside\n\nEnvoys agree on quotas\n\n" + ARTICLE, encoding="utf-8")
    doc, _ = read_document(path, SourceMeta("a.txt", outlet="Quayside"))
    assert doc is not None and doc.title == "Envoys agree on quotas"
    # Without the manifest, the one word above a longer headline still reads as a name.
    bare, _ = read_document(path)
    assert bare is not None and bare.title == "Envoys agree on quotas"


def test_reading_texts_alone_warns_as_reading_documents_does(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, "utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01binary")
    (tmp_path / "c.txt").write_bytes("Caf\xe9 talks\n".encode("cp1252"))
    (tmp_path / "sources.toml").write_text('[[source]]\nfile = "gone.txt"\n', "utf-8")
    texts = read_articles([tmp_path])
    corpus = read_corpus([tmp_path])
    assert texts.warnings == corpus.warnings
    assert [a.name for a in texts.articles] == [d.id for d in corpus.documents] == ["a.txt",
                                                                                    "c.txt"]
    assert texts.articles[1].notes == corpus.documents[1].warnings


def test_a_decoded_article_makes_the_document_read_document_makes(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, "utf-8")
    meta = SourceMeta("a.txt", outlet="Harbour Gazette", published=dt.date(2025, 3, 5))
    article, _ = read_article(path, meta)
    assert article is not None
    assert make_document(article) == read_document(path, meta)[0]


def test_control_characters_mark_a_file_as_binary_only_past_a_tenth() -> None:
    text = b"x" * 90
    assert binary_reason(text + b"\x01" * 9 + b"\t\n\r\x1b") is None
    assert binary_reason(text + b"\x01\x02\x03" * 5) == "binary data (control characters)"


def test_only_a_line_past_the_limit_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("short\n" + "w " * MAX_LINE_CHARS + "\nshort\n", "utf-8")
    article, _ = read_article(path)
    assert article is not None and "line 2 is" in article.notes[0]
    path.write_text("short\n" + "w" * MAX_LINE_CHARS + "\n", "utf-8")
    assert read_article(path)[0].notes == ()


_MANIFEST_VALUES = st.one_of(
    st.text(max_size=30).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["true", "3", "'literal'", "2021-10-18T10:00:00", '"a\\tb"']),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(["file", "outlet", "url", "published"]),
                                   _MANIFEST_VALUES), max_size=4), max_size=4))
def test_the_quick_manifest_reader_reads_what_tomllib_reads_or_steps_aside(tables):
    import tomllib

    from viewer.core.reading import _simple_manifest

    text = "# a manifest\n\x0c\n" * (len(tables) % 2) + "".join(
        "[[source]]\n" + "".join(f"{key} = {value}  # note\n" for key, value in table)
        for table in tables
    )
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        expected = None
    quick = _simple_manifest(text)
    if quick is not None:
        assert expected is not None and quick["source"] == expected.get("source", [])


def test_the_seeds_manifest_takes_the_quick_path_and_reads_as_tomllib_reads_it():
    import tomllib

    from viewer.core.reading import _simple_manifest

    text = (seeds_dir() / "sources.toml").read_text("utf-8-sig")
    assert _simple_manifest(text) == tomllib.loads(text)


@pytest.mark.parametrize(("top", "headline"), [
    # a site's name and a section label above the headline
    ("GOV.UK\nHome  Defence and armed forces\n\nNews story\n\n",
     "Defence Secretary hosts Chilean counterpart as both deepen naval ties"),
    ("THE LIMA HERALD\n\nNATIONAL\n\n", "Duarte returns from Quito; Lima leg put off"),
    # a long headline under short labels and a dated byline
    ("Press Bureau\nGovernment of Chile\nMinistry of Defence\n\n"
     "12 MAR 2025 6:42PM by PB Santiago\n\n",
     "Defence Minister Shri Ana Duarte holds bilateral talks with the Peruvian Deputy Minister "
     "of Defence in Santiago; both sides agree to enhance maritime security cooperation"),
    # a headline that asks
    ("FORCES REVIEW\n\nProfiles\n\n",
     "The quiet submariner at the top: who is Admiral Sir Tomas Rivera, and what does he want?"),
])
def test_labels_above_the_headline_are_not_the_title(top: str, headline: str) -> None:
    body = ("The two navies will step up joint patrols in the Pacific, the ministry said in a "
            "statement on Tuesday, after talks between the two ministers in the capital.\n")
    text = f"{top}{headline}\n\n{body}"
    title, _ = find_title(text, find_chrome(text))
    assert headline.startswith(title.rstrip("…")) and len(title) > 40


def test_a_short_headline_above_its_standfirst_is_the_title() -> None:
    text = ("Duarte visits Quito\n\nThe defence minister's first trip abroad since taking "
            "office is expected to yield a naval training accord\n\n"
            "The two navies will step up joint patrols, the ministry said in a statement on "
            "Tuesday, after talks between the two ministers in the capital last week.\n")
    assert find_title(text, find_chrome(text))[0] == "Duarte visits Quito"
