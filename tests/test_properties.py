"""Properties of extraction that hold for any input: no crash, exact spans, stable output.

Texts are generated from arbitrary unicode mixed with the words extraction keys on (months,
weekdays, meeting verbs, capitalised names, quotation marks), so that the generated input
reaches the date, name, event and quote code rather than only the "nothing found" path.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.core.chrome import find_chrome
from viewer.core.export import extraction_to_json
from viewer.core.gazetteer import load_gazetteer
from viewer.core.model import Certainty, DateValue, Document, Precision
from viewer.core.pipeline import extract_corpus, extract_document

PROPERTY_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WORDS = (
    "January", "March", "October", "December", "Monday", "on Tuesday", "Friday", "Sunday",
    "yesterday", "last week", "next month", "this year", "a four-day visit", "the day after",
    "2021", "18", "October 18, 2021", "20.10.2021", "3 March 2025", "Published 14.05.2024",
    "met", "held talks with", "visited", "arrived in", "will travel to", "signed", "said",
    "his counterpart", "Minister", "General", "President", "Defence Minister",
    "Ana Duarte", "Tomas Rivera", "Duarte", "Rivera", "Lisbon", "Porto", "Chile",
    "\u201c", "\u201d", '"', "\u00ab", "\u00bb", "'", ".", ",", ";", "\n", "\n\n", " ", "-",
    "(", ")", "Lasă un răspuns", "Share this:", "\u0645\u0648\u0633\u0643\u0648", "\u00e9",
)

PEOPLE = (
    "Portuguese Foreign Minister Ana Duarte", "Chilean Foreign Minister Tomas Rivera",
    "Duarte", "Rivera", "his counterpart", "General Lena Moreau", "President Kofi Mensah",
    "the Chilean minister",
)
ACTIONS = ("met", "held talks with", "visited", "arrived in", "will meet", "will travel to",
           "signed an agreement with", "wrapped up a four-day visit to", "received")
PLACES = ("", "in Lisbon", "in Porto", "in Chile", "in Accra")
WHENS = (
    "", "on Monday", "on Tuesday, October 19", "on 3 March 2025", "last week", "in 2019",
    "yesterday", "on Friday", "October 18, 2021", "the day after the lifting of the embargo",
    "next month", "on Sunday (October 17th)",
)
QUOTES = ("", " \u201cWe agreed on a great many things today,\u201d Duarte said.",
          ' "Our two navies will train together next year," Rivera told reporters.')

fragments = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=12),
    st.from_regex(r"[A-Z][a-z]{2,9}", fullmatch=True),
    st.integers(min_value=0, max_value=3000).map(str),
)
# A sentence of the shape articles use, so generated input reaches event and quote extraction.
sentences = st.tuples(
    st.sampled_from(PEOPLE), st.sampled_from(ACTIONS),
    st.one_of(st.sampled_from(PEOPLE), st.sampled_from(PLACES[1:])),
    st.sampled_from(PLACES), st.sampled_from(WHENS), st.sampled_from(QUOTES),
).map(lambda parts: " ".join(p for p in parts[:5] if p) + "." + parts[5])
article_texts = st.tuples(
    st.sampled_from(("", "Envoys meet\n\n", "Talks\n\nPublished 14.05.2024\n\n")),
    st.lists(st.one_of(sentences, sentences, sentences, fragments), max_size=25),
    st.sampled_from((" ", "\n", "\n\n", "")),
).map(lambda parts: parts[0] + parts[2].join(parts[1]))
texts = st.one_of(article_texts, article_texts, st.text(max_size=300))
publication_days = st.one_of(
    st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
)

GAZETTEER = load_gazetteer()


def document_of(text: str, published: dt.date | None = None) -> Document:
    """A Document as the reader would build it from ``text``."""
    value = (
        DateValue(published, published, Precision.DAY, Certainty.STATED, "per manifest")
        if published else None
    )
    return Document(
        id="article.txt", path="/corpus/article.txt", text=text, title="article",
        published=value, published_basis="manifest" if value else None,
        chrome=find_chrome(text),
    )


@PROPERTY_SETTINGS
@given(text=texts, published=publication_days)
def test_extract_document_never_raises_and_every_span_is_exact(
    text: str, published: dt.date | None
) -> None:
    result = extract_document(document_of(text, published), GAZETTEER)
    assert result.document.text == text
    for report in result.reports:
        for excerpt in report.excerpts:
            assert excerpt.document == "article.txt"
            assert excerpt.text == text[excerpt.start:excerpt.end]
            if excerpt.key is not None:
                assert excerpt.start <= excerpt.key.start <= excerpt.key.end <= excerpt.end
        for quote in report.quotes:
            assert quote.text == text[quote.start:quote.end]


raw_bytes = st.one_of(
    st.binary(max_size=400),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    texts.map(lambda t: t.encode("utf-16")),
    texts.map(lambda t: t.encode("utf-16-le", "surrogatepass")),
    texts.map(lambda t: t.encode("cp1252", "replace")),
    st.tuples(st.sampled_from((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")),
              st.binary(max_size=200)).map(b"".join),
)


@PROPERTY_SETTINGS
@given(data=raw_bytes)
def test_extract_corpus_reads_any_bytes_without_an_exception(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "article.txt").write_bytes(data)
        extraction = extract_corpus([folder])
    assert not [w for w in extraction.warnings if "extraction failed" in w], extraction.warnings
    for event in extraction.events:
        for source in event.sources:
            document = extraction.document(source.document)
            assert document is not None
            assert source.text == document.text[source.start:source.end]


# Invented articles about the same two envoys, so that merging across documents is exercised.
ARTICLES = {
    "a_lisbon.txt": (
        "Envoys meet in Lisbon\n\nPublished 05.03.2025\n\n"
        "Portuguese Foreign Minister Ana Duarte met her Chilean counterpart Tomas Rivera in "
        "Lisbon on Monday. They discussed fisheries and trade.\n"
        "\u201cWe agreed on a great many things today,\u201d Duarte said.\n"
    ),
    "b_talks.txt": (
        "Fisheries talks\n\n"
        "Chilean Foreign Minister Tomas Rivera held talks with Portuguese Foreign Minister "
        "Ana Duarte on 3 March 2025 in Lisbon.\n"
        "The two countries signed a fisheries agreement in 2019.\n"
    ),
    "c_porto.txt": (
        "Rivera in Porto\n\nMarch 8, 2025\n\n"
        "Chilean Foreign Minister Tomas Rivera visited Porto on Friday after talks with "
        "Portuguese Foreign Minister Ana Duarte in Lisbon on Monday.\n"
    ),
    "d_undated.txt": (
        "Ministers in Lisbon\n\n"
        "Portuguese Foreign Minister Ana Duarte met Chilean Foreign Minister Tomas Rivera in "
        "Lisbon. Rivera later travelled to Porto.\n"
    ),
}


def write_corpus(folder: Path, articles: dict[str, str]) -> list[Path]:
    paths = []
    for name, text in articles.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def extraction_json(paths: list[Path] | list[str]) -> str:
    return json.dumps(extraction_to_json(extract_corpus(paths)), sort_keys=True)


def test_extracting_the_same_corpus_twice_gives_identical_json(tmp_path: Path) -> None:
    write_corpus(tmp_path, ARTICLES)
    assert extraction_json([tmp_path]) == extraction_json([tmp_path])


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(sorted(ARTICLES)))
def test_file_order_does_not_change_the_extraction(order: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        paths = {p.name: p for p in write_corpus(Path(folder), ARTICLES)}
        expected = extraction_json(sorted(paths.values()))
        assert extraction_json([paths[name] for name in order]) == expected


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(generated=st.lists(article_texts, min_size=1, max_size=4), seed=st.integers(0, 1000))
def test_generated_corpus_is_deterministic_and_order_independent(
    generated: list[str], seed: int
) -> None:
    articles = {f"gen_{n}.txt": text for n, text in enumerate(generated)} | ARTICLES
    with tempfile.TemporaryDirectory() as folder:
        paths = write_corpus(Path(folder), articles)
        first = extraction_json(paths)
        shuffled = list(paths)
        random.Random(seed).shuffle(shuffled)
        assert extraction_json(paths) == first
        assert extraction_json(shuffled) == first
