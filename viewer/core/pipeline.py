"""The extraction pipeline: files -> documents -> mentions -> reports -> merged events.

``extract_document`` works on one document alone (so documents can be extracted in worker
processes and cached by content); ``merge_results`` joins what the documents found into one
corpus: one canonical entity per real person, one event per happening.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.core.merging import merge_reports
from viewer.core.model import (
    Certainty,
    Document,
    DocumentResult,
    Entity,
    Extraction,
    Participant,
    Quote,
    Report,
    Span,
)
from viewer.core.names import Gazetteer, load_gazetteer, merge_entities, place_country
from viewer.core.reading import read_corpus
from viewer.resources import resource_dir

if TYPE_CHECKING:
    from viewer.core.cache import ExtractionCache
    from viewer.core.dates import Reference
    from viewer.core.parallel import ItemFailure
    from viewer.core.reading import Reuse

# Bump whenever the code gives different results for the same text. The cache keys on
# EXTRACTOR_VERSION, which adds a digest of the data files, so editing resources/ (a new
# alias, a trigger phrase) invalidates cached results too.
EXTRACTOR_CODE_VERSION = "1"


def _data_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(resource_dir().glob("*.toml")):
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


EXTRACTOR_VERSION = f"{EXTRACTOR_CODE_VERSION}+{_data_digest()}"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def extract_document(doc: Document, gazetteer: Gazetteer | None = None) -> DocumentResult:
    """Everything one document says on its own: its publication date, entities and reports."""
    # Imported here, not at the top: a launch whose documents all come from the cache never
    # needs the extractors, and their regular expressions take a while to compile.
    from viewer.core.dates import find_time_expressions
    from viewer.core.events import extract_reports
    from viewer.core.names import document_entities, find_names
    from viewer.core.sentences import split_sentences

    gazetteer = gazetteer or load_gazetteer()
    doc = with_publication_date(doc)
    sentences = split_sentences(doc.text, doc.chrome)
    times = find_time_expressions(doc.text, reference_for(doc), skip=_undated_spans(doc))
    names = find_names(doc.text, sentences, gazetteer)
    entities = document_entities(names, doc.text, gazetteer)
    by_id = {e.id: e for e in entities}
    reports = extract_reports(doc, sentences, times, names, by_id)
    return DocumentResult(doc, tuple(reports), tuple(entities))


def _undated_spans(doc: Document) -> list[Span]:
    """Spans whose dates say nothing of events: site chrome and the wire dateline."""
    from viewer.core.published import find_dateline

    spans = [c.span for c in doc.chrome]
    dateline = find_dateline(doc.text)
    if dateline is not None:
        spans.append(dateline)
    return spans


def with_publication_date(doc: Document) -> Document:
    """The document with its publication date filled from its text when the manifest has none."""
    if doc.published is not None:
        return doc
    from viewer.core.published import find_publication_date

    published, basis = find_publication_date(doc)
    if published is None:
        return doc
    return replace(doc, published=published, published_basis=basis)


def reference_for(doc: Document) -> Reference | None:
    """The date the document's relative expressions ("on Tuesday") are resolved against."""
    from viewer.core.dates import Reference

    published = doc.published
    if published is None:
        return None
    day = published.end
    if doc.published_basis == "inferred":
        description = f"article dated on or before {day.isoformat()} (inferred from its text)"
        return Reference(day, description, Certainty.UNCERTAIN)
    return Reference(day, f"article published {day.isoformat()}", published.certainty)


def merge_results(
    results: Sequence[DocumentResult], warnings: Iterable[str] = ()
) -> Extraction:
    """One corpus from per-document results: canonical entities, merged events."""
    gazetteer = load_gazetteer()
    canonical = merge_entities(e for r in results for e in r.entities)
    documents = tuple(sorted((r.document for r in results), key=lambda d: d.id))
    reports = [
        _canonical_report(report, canonical, result.entities)
        for result in results
        for report in result.reports
    ]
    events = merge_reports(
        reports,
        {d.id: d for d in documents},
        lambda place: place_country(gazetteer, place),
    )
    entities = tuple(sorted({e.id: e for e in canonical.values()}.values(), key=lambda e: e.id))
    all_warnings = tuple(warnings) + tuple(
        f"{d.id}: {w}" for d in documents for w in d.warnings if not w.startswith(d.id)
    )
    return Extraction(documents, tuple(events), tuple(dict.fromkeys(all_warnings)), entities)


def _canonical_report(
    report: Report, canonical: dict[str, Entity], local: Sequence[Entity]
) -> Report:
    """The report with people under their corpus-wide names and ids."""
    participants = tuple(_canonical_participant(p, canonical) for p in report.participants)
    names = {e.name: canonical.get(e.id, e).name for e in local}
    quotes = tuple(
        Quote(names.get(q.speaker, q.speaker) if q.speaker else None, q.document, q.start,
              q.end, q.text)
        for q in report.quotes
    )
    return replace(report, participants=participants, quotes=quotes)


def _canonical_participant(participant: Participant, canonical: dict[str, Entity]) -> Participant:
    entity = canonical.get(participant.entity_id)
    if entity is None:
        return participant
    return Participant(entity.name, entity.id, participant.role or entity.title)


def extract_corpus(
    paths: Sequence[str | Path],
    *,
    workers: int | None = 1,
    cache: ExtractionCache | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> Extraction:
    """Read, extract and merge a corpus; stops early with what it has when cancelled.

    With a cache, a document whose text and manifest entry were extracted before is taken
    from it as soon as its file is decoded, before any analysis.
    """
    hits: dict[str, DocumentResult] = {}
    keys: dict[str, str] = {}
    reuse = _cache_lookup(cache, hits, keys) if cache is not None else None
    corpus = read_corpus(paths, reuse=reuse)
    documents = corpus.documents
    total = len(documents)
    results: list[DocumentResult | None] = [hits.get(d.id) for d in documents]
    todo = [i for i, r in enumerate(results) if r is None]
    done = total - len(todo)
    if progress:
        progress(done, total)
    fresh = _extract_all([documents[i] for i in todo], workers, done, total, progress, cancelled)
    warnings = list(corpus.warnings)
    for index, result in zip(todo, fresh, strict=False):
        if isinstance(result, DocumentResult):
            results[index] = result
        else:
            warnings.append(f"{documents[index].id}: extraction failed: {result.error}")
    if cache is not None:
        cache.put_many(
            (keys[documents[i].id], results[i])
            for i in todo
            if documents[i].id in keys and results[i] is not None
        )
    return merge_results([r for r in results if r is not None], warnings)


def _cache_lookup(
    cache: ExtractionCache, hits: dict[str, DocumentResult], keys: dict[str, str]
) -> Reuse:
    """The reading hook that keys each decoded text and takes known ones from the cache."""
    from viewer.core.cache import content_key
    from viewer.core.reading import SourceMeta

    def reuse(text: str, name: str, meta: SourceMeta | None, path: Path) -> Document | None:
        # The manifest entry changes the result (a publication date), so it is in the key.
        key = content_key(text.encode("utf-8", "surrogatepass"), meta or SourceMeta(name))
        keys[name] = key
        result = cache.get(key, document_id=name, path=str(path.absolute()))
        if result is None:
            return None
        hits[name] = result
        return result.document

    return reuse


# Starting worker processes (each loads the data files) costs about two seconds; below
# this much text one process finishes sooner.
_PARALLEL_MIN_CHARS = 2_000_000


def _extract_all(
    docs: Sequence[Document],
    workers: int | None,
    done: int,
    total: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> list[DocumentResult | ItemFailure]:
    from viewer.core.parallel import extract_in_processes

    if sum(len(d.text) for d in docs) < _PARALLEL_MIN_CHARS:
        workers = 1

    def shifted(count: int, _total: int) -> None:
        if progress:
            progress(done + count, total)

    return list(
        extract_in_processes(
            docs, extract_document, workers=workers, progress=shifted, cancelled=cancelled
        )
    )
