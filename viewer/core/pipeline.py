"""The extraction pipeline: files -> documents -> mentions -> reports -> merged events.

``extract_document`` works on one document alone (so documents can be extracted in worker
processes and cached by content); ``merge_results`` joins what the documents found into one
corpus: one canonical entity per real person, one event per happening.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from viewer.core.memory import collection_paused
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
from viewer.core.reading import (
    ArticleListing,
    ArticleText,
    ArticleTexts,
    iter_article_paths,
    make_document,
    read_listing,
)
from viewer.resources import resource_dir

# The extractors, the gazetteer and merging are imported where they are used: a corpus that
# comes whole from the cache needs none of them, and loading them takes a while.
if TYPE_CHECKING:
    from viewer.core.cache import ExtractionCache
    from viewer.core.dates import Reference
    from viewer.core.gazetteer import Gazetteer
    from viewer.core.parallel import ItemFailure, WorkerPool

# The cache keys on EXTRACTOR_VERSION: the cache format's version and a digest of the core's
# code and data files, so any change to either (a new rule in dates.py, an alias or trigger
# phrase in resources/) re-extracts, and nobody has to remember to bump a number.
EXTRACTOR_CODE_VERSION = "2"


def _source_digest() -> str:
    digest = hashlib.sha256()
    core = Path(__file__).resolve().parent
    for path in [*sorted(core.glob("*.py")), *sorted(resource_dir().glob("*.toml"))]:
        digest.update(path.name.encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


EXTRACTOR_VERSION = f"{EXTRACTOR_CODE_VERSION}+{_source_digest()}"

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
T = TypeVar("T")


def extract_document(doc: Document, gazetteer: Gazetteer | None = None) -> DocumentResult:
    """Everything one document says on its own: its publication date, entities and reports."""
    # Imported here, not at the top: a launch whose documents all come from the cache never
    # needs the extractors, and their regular expressions take a while to compile.
    from viewer.core.dates import find_time_expressions
    from viewer.core.entities import document_entities
    from viewer.core.events import extract_reports
    from viewer.core.gazetteer import load_gazetteer
    from viewer.core.names import find_names
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
    """Spans whose dates say nothing of events: site chrome and wire datelines."""
    from viewer.core.published import find_datelines

    return [c.span for c in doc.chrome] + find_datelines(doc.text)


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
    from viewer.core.entities import merge_entities, place_country
    from viewer.core.gazetteer import load_gazetteer
    from viewer.core.merging import merge_reports

    gazetteer = load_gazetteer()
    canonical = merge_entities(e for r in results for e in r.entities)
    documents = tuple(sorted((r.document for r in results), key=lambda d: d.id))
    reports = [report for result in results for report in _canonical_reports(result, canonical)]
    events = merge_reports(
        reports,
        {d.id: d for d in documents},
        lambda place: place_country(gazetteer, place),
    )
    entities = tuple(sorted({e.id: e for e in canonical.values()}.values(), key=lambda e: e.id))
    return Extraction(documents, tuple(events), corpus_warnings(warnings, documents), entities)


def corpus_warnings(warnings: Iterable[str], documents: Sequence[Document]) -> tuple[str, ...]:
    """The corpus's warnings, then each document's own, each once."""
    all_warnings = tuple(warnings) + tuple(
        f"{d.id}: {w}" for d in documents for w in d.warnings if not w.startswith(d.id)
    )
    return tuple(dict.fromkeys(all_warnings))


def _canonical_reports(result: DocumentResult, canonical: dict[str, Entity]) -> list[Report]:
    """The document's reports with people under their corpus-wide names and ids."""
    names = {e.name: canonical.get(e.id, e).name for e in result.entities}
    return [_canonical_report(report, canonical, names) for report in result.reports]


def _canonical_report(report: Report, canonical: dict[str, Entity],
                      names: dict[str, str]) -> Report:
    """The report with people under their corpus-wide names (``names``: local -> canonical)."""
    participants = tuple(_canonical_participant(p, canonical) for p in report.participants)
    quotes = tuple(_canonical_quote(q, names) for q in report.quotes)
    if participants == report.participants and quotes == report.quotes:
        return report  # most reports: no copy to make
    return replace(report, participants=participants, quotes=quotes)


def _canonical_quote(quote: Quote, names: dict[str, str]) -> Quote:
    speaker = names.get(quote.speaker, quote.speaker) if quote.speaker else None
    if speaker == quote.speaker:
        return quote
    return Quote(speaker, quote.document, quote.start, quote.end, quote.text)


def _canonical_participant(participant: Participant, canonical: dict[str, Entity]) -> Participant:
    entity = canonical.get(participant.entity_id)
    if entity is None:
        return participant
    return Participant(entity.name, entity.id, participant.role or entity.title)


def extract_article(article: ArticleText) -> DocumentResult:
    """``extract_document`` of a decoded article file (runs in worker processes)."""
    return extract_document(make_document(article))


def extract_and_pack_article(article: ArticleText) -> bytes:
    """``extract_article``'s result in its cache form, made in the worker process.

    Only the packed form travels back: it is a fifth the size of the pickled result, the
    worker no longer pickles the result as well, and unpacking it costs the main process
    no more than unpickling it would."""
    from viewer.core.cache import pack_result

    return pack_result(extract_article(article))


def prepare_worker() -> None:
    """Load what extraction needs (its modules, the gazetteer) in a new worker process."""
    from viewer.core import dates, entities, events, names, published, sentences  # noqa: F401
    from viewer.core.gazetteer import load_gazetteer

    load_gazetteer()


def extract_corpus(
    paths: Sequence[str | Path],
    *,
    workers: int | None = 1,
    cache: ExtractionCache | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    partial: Callable[[Extraction], None] | None = None,
) -> Extraction:
    """Read, extract and merge a corpus; stops early with what it has when cancelled.

    With a cache, a corpus whose files and manifest entries are all as they were is taken
    whole from it, merged; otherwise each document found there is taken from it unanalysed
    and only the others are extracted. ``partial``, if given, is called now and then during
    a long extraction with the merged result of the documents done so far.
    """
    listing = iter_article_paths(paths)
    pool = _early_workers(listing, workers, cache)
    try:
        texts = read_listing(listing)
        # Decoding and merging make millions of objects that live as long as the corpus is
        # shown.
        with collection_paused(freeze=True):
            return _extract_texts(texts, workers, cache, progress, cancelled, partial, pool)
    finally:
        if pool is not None:
            pool.close()


def _early_workers(listing: ArticleListing, workers: int | None,
                   cache: ExtractionCache | None) -> WorkerPool | None:
    """Worker processes started before the files are read, when the listing says they will
    be needed: their start-up (imports, the gazetteer) then overlaps the reading.

    Needed means many files (their text is not yet known) and a cache that cannot hold them
    all: a cache with fewer results than files must miss some.
    """
    from viewer.core.parallel import WorkerPool, default_workers

    count = workers if workers is not None else default_workers()
    files = len(listing.articles)
    if count <= 1 or files < _EARLY_WORKERS_MIN_FILES:
        return None
    if cache is not None and cache.count() >= files:
        return None
    return WorkerPool(count, prepare=prepare_worker)



def _extract_texts(
    texts: ArticleTexts,
    workers: int | None,
    cache: ExtractionCache | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
    partial: Callable[[Extraction], None] | None,
    pool: WorkerPool | None = None,
) -> Extraction:
    """``extract_corpus`` once the files are read (``pool``: workers started early, if any)."""
    articles = texts.articles
    total = len(articles)
    keys = [article_key(a) for a in articles] if cache is not None else []
    whole = corpus_key(articles, keys, cache.extractor_version) if cache is not None else ""
    if cache is not None:
        known = cache.get_corpus(whole, {a.name: (a.text, str(a.path.absolute()))
                                         for a in articles})
        if known is not None:
            if progress:
                progress(total, total)
            return replace(known, warnings=corpus_warnings(texts.warnings, known.documents))
    results: list[DocumentResult | None] = [
        cache.get(key, document_id=a.name, path=str(a.path.absolute()))
        for a, key in zip(articles, keys, strict=True)
    ] if cache is not None else [None] * total
    todo = [i for i, r in enumerate(results) if r is None]
    done = total - len(todo)
    if progress:
        progress(done, total)
    warnings = list(texts.warnings)
    updates = _PartialUpdates(partial, results, warnings) if partial else None
    # With a cache, the workers also pack each result for it: that work is then shared out.
    work = extract_and_pack_article if cache is not None else extract_article
    from viewer.core.cache import unpack_result

    fresh = _extract_all([articles[i] for i in todo], work, workers, done, total, progress,
                         cancelled, pool)
    packed: list[tuple[str, bytes]] = []
    count = 0
    for index, value in zip(todo, fresh, strict=False):
        count += 1
        if isinstance(value, bytes):
            results[index] = unpack_result(value)
            packed.append((keys[index], value))
        elif isinstance(value, DocumentResult):
            results[index] = value
        else:
            warnings.append(f"{articles[index].name}: extraction failed: {value.error}")
        if updates is not None and count < len(todo):  # the last one: the whole corpus follows
            updates.tick()
    if pool is not None:
        pool.close()  # the workers are done: let them exit while the corpus is merged
    found = [r for r in results if r is not None]
    if cache is not None:
        cache.put_packed(packed)
    extraction = merge_results(found, warnings)
    if cache is not None and len(found) == total and count == len(todo):
        # Only a corpus extracted whole and without failures: a failed document is retried.
        cache.put_corpus(whole, extraction)
    return extraction


def article_key(article: ArticleText) -> str:
    """The cache key of one article: its text and its manifest entry (which changes dates)."""
    from viewer.core.cache import content_key
    from viewer.core.reading import SourceMeta

    return content_key(article.text.encode("utf-8", "surrogatepass"),
                       article.meta or SourceMeta(article.name))


def corpus_key(articles: Sequence[ArticleText], keys: Sequence[str], version: str) -> str:
    """The cache key of a whole corpus: every article's name and key, and the extractor."""
    digest = hashlib.sha256(version.encode("utf-8"))
    for article, key in sorted(zip((a.name for a in articles), keys, strict=True)):
        digest.update(f"\0{article}\0{key}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class _PartialUpdates:
    """Calls ``partial`` with the merge of what is done so far, at doubling intervals.

    The first call comes after about a second; each later one waits twice as long as the
    last wait, and at least twice as long as the last merge took, so that the merges spent
    on partial results stay a small share of the whole run.
    """

    def __init__(self, partial: Callable[[Extraction], None],
                 results: list[DocumentResult | None], warnings: list[str]) -> None:
        self._partial = partial
        self._results = results
        self._warnings = warnings
        self._interval = FIRST_PARTIAL_SECONDS
        self._due = time.monotonic() + self._interval

    def tick(self) -> None:
        """Call ``partial`` if it is due."""
        now = time.monotonic()
        if now < self._due:
            return
        self._partial(merge_results([r for r in self._results if r is not None],
                                    self._warnings))
        cost = time.monotonic() - now
        self._interval *= 2
        self._due = time.monotonic() + max(self._interval, 2 * cost)


FIRST_PARTIAL_SECONDS = 1.0

# Starting worker processes (each loads the data files) costs about two seconds; below
# this much text one process finishes sooner.
_PARALLEL_MIN_CHARS = 2_000_000
# Workers are started before the files are read only for this many files: fewer may well
# hold less text than _PARALLEL_MIN_CHARS, and then the workers were started for nothing.
_EARLY_WORKERS_MIN_FILES = 1000


def _extract_all(
    articles: Sequence[ArticleText],
    work: Callable[[ArticleText], T],
    workers: int | None,
    done: int,
    total: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
    pool: WorkerPool | None = None,
) -> Iterable[T | ItemFailure]:
    if not articles:
        return iter(())
    from viewer.core.parallel import extract_in_processes

    if sum(len(a.text) for a in articles) < _PARALLEL_MIN_CHARS:
        workers, pool = 1, None

    def shifted(count: int, _total: int) -> None:
        if progress:
            progress(done + count, total)

    return extract_in_processes(
        articles, work, workers=workers, progress=shifted, cancelled=cancelled, pool=pool
    )
