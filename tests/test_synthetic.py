"""Generated corpora and event sets: deterministic, realistically sized, spread over decades."""

from __future__ import annotations

import tomllib
from pathlib import Path

from viewer.core.model import Precision
from viewer.core.synthetic import (
    MAX_ARTICLE_BYTES,
    MIN_ARTICLE_BYTES,
    generate_articles,
    generate_events,
    generate_extraction,
    write_corpus,
)


def test_same_seed_gives_the_same_articles() -> None:
    assert list(generate_articles(20, seed=7)) == list(generate_articles(20, seed=7))


def test_another_seed_gives_other_articles() -> None:
    assert list(generate_articles(5, seed=1)) != list(generate_articles(5, seed=2))


def test_articles_are_between_one_and_a_half_and_six_kilobytes() -> None:
    sizes = [len(text.encode("utf-8")) for _, text in generate_articles(200, seed=3)]
    assert all(MIN_ARTICLE_BYTES <= s <= MAX_ARTICLE_BYTES for s in sizes)
    assert max(sizes) - min(sizes) > 2000


def test_articles_look_like_news_with_a_dateline_and_site_chrome() -> None:
    texts = [text for _, text in generate_articles(50, seed=4)]
    assert all(" \u2013 " in t for t in texts)
    assert any("News ID" in t for t in texts)
    assert any("Published " in t for t in texts)
    assert any(t.rstrip().endswith(("Leave A Reply", "Write your comment",
                                    "Please enter your name here", "Telegram")) for t in texts)
    assert any("'s meeting" in t for t in texts)


def test_names_are_invented_fresh_rather_than_drawn_from_a_short_list() -> None:
    firsts = {text.split(" \u2013 ", 1)[1].split(" and ")[0] for _, text in
              generate_articles(100, seed=5)}
    assert len(firsts) > 90


def test_write_corpus_writes_every_article_and_a_readable_manifest(tmp_path: Path) -> None:
    written = write_corpus(tmp_path, 30, seed=6)
    files = sorted(tmp_path.glob("*.txt"))
    assert len(files) == 30
    assert written == sum(f.stat().st_size for f in tmp_path.iterdir())
    manifest = tomllib.loads((tmp_path / "sources.toml").read_text("utf-8"))
    assert {s["file"] for s in manifest["source"]} == {f.name for f in files}
    assert any("published" in s for s in manifest["source"])


def test_same_seed_gives_the_same_events() -> None:
    assert generate_events(300, seed=9) == generate_events(300, seed=9)


def test_events_span_decades_with_every_precision_and_some_spans() -> None:
    events = generate_events(2000, seed=10)
    dated = [e.when for e in events if e.when is not None]
    assert max(d.end for d in dated).year - min(d.start for d in dated).year >= 30
    assert {d.precision for d in dated} == set(Precision)
    assert any(d.is_span for d in dated)
    assert all(1 <= len(e.participants) <= 4 for e in events)
    assert all(1 <= e.source_count <= 5 for e in events)


def test_event_excerpts_are_exact_slices_of_their_dummy_documents() -> None:
    extraction = generate_extraction(500, seed=11)
    texts = {d.id: d.text for d in extraction.documents}
    for event in extraction.events:
        for piece in (*event.sources, *event.quotes):
            assert texts[piece.document][piece.start:piece.end] == piece.text
