"""Score the extractor on an evaluation corpus, beside a dateparser baseline.

    .venv/bin/python benchmarks/evaluate.py                      # tests/eval_corpus
    .venv/bin/python benchmarks/evaluate.py --corpus seeds --expected benchmarks/seeds_expected.toml

Prints a table and, on the last line, one JSON object with every figure. No assertions.

The baseline is ``dateparser.search.search_dates``: a date finder, not an event extractor,
so it is scored only on what it can do. For each expected dated meeting or visit, the
sentences of its documents that name a participant are searched, with the article's
expected publication date as RELATIVE_BASE; the event counts as dated correctly when any
date found equals the expected start. The baseline is given the true publication dates,
which favours it: ours must find them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scoring import (  # noqa: E402
    ExpectedEvent,
    ExpectedSet,
    Scores,
    ascii_letters,
    load_expected,
    parse_partial_date,
    read_article,
    score,
    surname_of,
)

_SENTENCE_END = re.compile(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"(])|\n+")


@dataclass(frozen=True)
class BaselineResult:
    """How the date finder did on the expected events, and how fast it ran."""

    events: int
    correct: int
    reports: int
    reports_correct: int
    reports_first_correct: int
    seconds: float
    characters: int

    @property
    def accuracy(self) -> float:
        """Share of expected dated events whose date it found in a participant's sentence."""
        return self.correct / self.events if self.events else 0.0

    @property
    def report_accuracy(self) -> float:
        """The same per (event, document) pair."""
        return self.reports_correct / self.reports if self.reports else 0.0

    @property
    def first_date_accuracy(self) -> float:
        """Per (event, document): the first date found is the expected one (no oracle)."""
        return self.reports_first_correct / self.reports if self.reports else 0.0


def split_sentences(text: str) -> list[str]:
    """Rough sentences: enough to hand a date finder one claim at a time."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def surname_forms(event: ExpectedEvent, expected: ExpectedSet) -> set[str]:
    """Every surname spelling of the event's participants, folded to ASCII letters."""
    forms = set()
    for person in event.participants:
        for spelling in (person, *expected.aliases.get(person, ())):
            folded = ascii_letters(surname_of(spelling))
            if folded:
                forms.add(folded)
    return forms


def participant_sentences(text: str, forms: set[str]) -> list[str]:
    """The sentences that name one of the surnames."""
    return [s for s in split_sentences(text) if any(f in ascii_letters(s) for f in forms)]


def reference_dates(expected: ExpectedSet) -> dict[str, dt.datetime]:
    """Each article's true publication date, where it is known."""
    refs = {}
    for pub in expected.publications:
        if pub.date and len(pub.date) == 10:
            refs[pub.file] = dt.datetime.fromisoformat(pub.date)
    return refs


def _settings(ref: dt.datetime | None) -> dict:
    settings = {"PREFER_DATES_FROM": "past"}
    if ref is not None:
        settings["RELATIVE_BASE"] = ref
    return settings


def run_baseline(corpus: Path, expected: ExpectedSet, texts: dict[str, str]) -> BaselineResult:
    """Score search_dates on the expected events' sentences and time it over whole texts."""
    from dateparser.search import search_dates

    refs = reference_dates(expected)
    events = correct = reports = reports_correct = reports_first = 0
    for event in expected.main:
        if event.start is None or parse_partial_date(event.start)[2].value != "day":
            continue
        events += 1
        forms = surname_forms(event, expected)
        found_any = False
        for doc in event.documents:
            reports += 1
            found = False
            first: str | None = None
            for sentence in participant_sentences(texts.get(doc, ""), forms):
                hits = search_dates(sentence, languages=["en"], settings=_settings(refs.get(doc)))
                days = [d.date().isoformat() for _, d in hits or ()]
                if first is None and days:
                    first = days[0]
                if event.start in days:
                    found = True
                    break
            reports_correct += found
            reports_first += first == event.start
            found_any = found_any or found
        correct += found_any
    started = time.perf_counter()
    for name, text in texts.items():
        search_dates(text, languages=["en"], settings=_settings(refs.get(name)))
    seconds = time.perf_counter() - started
    return BaselineResult(events, correct, reports, reports_correct, reports_first, seconds,
                          sum(len(t) for t in texts.values()))


def run_ours(corpus: Path) -> tuple[object | None, float, str | None]:
    """Our extraction of the corpus, its wall time, and the error if it could not run."""
    try:
        from viewer.core.pipeline import extract_corpus
    except Exception as error:  # the pipeline may not exist yet
        return None, 0.0, f"extractor unavailable: {error!r}"
    started = time.perf_counter()
    try:
        extraction = extract_corpus([corpus])
    except Exception as error:
        return None, time.perf_counter() - started, f"extraction failed: {error!r}"
    return extraction, time.perf_counter() - started, None


def document_reports(corpus: Path) -> list:
    """Every report each document of the corpus gives on its own (events keep only excerpts)."""
    from viewer.core.pipeline import extract_document
    from viewer.core.reading import read_corpus

    return [r for doc in read_corpus([corpus]).documents
            for r in extract_document(doc).reports]


def our_report_accuracy(extraction, reports: Sequence, expected: ExpectedSet) -> tuple[int, int]:
    """Per (expected dated event, document): does one of that document's reports of a
    matching event carry the expected start date? Comparable to the baseline's figure.

    A report is one of an event's when it is of the event's kind and its excerpt is among
    the event's sources."""
    from scoring import date_correct, is_main, main_match

    by_excerpt: dict[tuple[str, int, int], list] = {}
    for r in reports:
        for x in r.excerpts:
            by_excerpt.setdefault((x.document, x.start, x.end), []).append(r)
    total = correct = 0
    for event in expected.main:
        if event.start is None or parse_partial_date(event.start)[2].value != "day":
            continue
        matching = [e for e in extraction.events
                    if is_main(e) and main_match(e, event, expected.aliases)]
        for doc in event.documents:
            total += 1
            correct += any(
                date_correct(r.when, event)
                for e in matching for x in e.sources if x.document == doc
                for r in by_excerpt.get((x.document, x.start, x.end), ()) if r.kind is e.kind
            )
    return total, correct


def print_table(scores: Scores | None, baseline: BaselineResult, our_seconds: float,
                our_reports: tuple[int, int], characters: int, documents: int) -> None:
    """The human-readable part of the output."""
    line = "-" * 74
    print(line)
    if scores is not None:
        print("Expected meeting/visit events:")
        for o in scores.outcomes:
            mark = "ok " if o.found and o.date_correct else ("~  " if o.found else "MISS")
            dup = f"  x{o.matches} DUPLICATES" if o.matches > 1 else ""
            print(f"  {mark:4} {o.id:34} want {o.expected_start or '-':10} "
                  f"got {o.extracted_start or '-':10} docs {o.documents_covered}/"
                  f"{o.documents_expected}{dup}")
        if scores.false_positives:
            print("Unmatched extracted meetings/visits:")
            for fp in scores.false_positives:
                print(f"  FP   {fp}")
        print(line)
        rows = [
            ("meeting+visit precision", f"{scores.precision:.3f}",
             f"{scores.main_matched}/{scores.main_extracted} extracted"),
            ("meeting+visit recall", f"{scores.recall:.3f}",
             f"{scores.main_matched}/{scores.main_expected} expected"),
            ("meeting+visit F1", f"{scores.f1:.3f}", ""),
            ("date accuracy (matched)", f"{scores.date_accuracy:.3f}",
             f"{scores.date_correct}/{scores.dated_matched}"),
            ("location accuracy (matched)", f"{scores.location_accuracy:.3f}", ""),
            ("exact participants (matched)", f"{scores.participant_accuracy:.3f}", ""),
            ("merge: multi-source -> one", f"{scores.merge_score:.3f}",
             f"{scores.merged}/{scores.multi_document_events}, {scores.duplicates} duplicates"),
            ("context-event recall", f"{scores.context_recall:.3f}",
             f"{scores.context_found}/{scores.context_expected}"),
            ("context date accuracy", f"{scores.context_date_accuracy:.3f}", ""),
            ("publication-date accuracy", f"{scores.publication_accuracy:.3f}",
             f"{scores.publications_correct}/{scores.publications}"),
            ("dated events from distractors", str(scores.distractor_dated_events), ""),
            ("undated meetings/visits", str(scores.undated_main_events), ""),
        ]
        print(f"{'figure':34} {'ours':>8}   detail")
        for name, value, detail in rows:
            print(f"{name:34} {value:>8}   {detail}")
        print(line)
    print(f"{'date accuracy vs baseline':34} {'ours':>8} {'dateparser':>11}")
    if scores is not None:
        ours_events = f"{scores.date_correct}/{scores.main_expected}"
        ours_reports = f"{our_reports[1]}/{our_reports[0]}"
    else:
        ours_events = ours_reports = "n/a"
    print(f"{'  per expected event (any date)':34} {ours_events:>8} "
          f"{baseline.correct:>6}/{baseline.events}")
    print(f"{'  per (event, document), any date':34} {ours_reports:>8} "
          f"{baseline.reports_correct:>6}/{baseline.reports}")
    print(f"{'  per (event, document), 1st date':34} {ours_reports:>8} "
          f"{baseline.reports_first_correct:>6}/{baseline.reports}")
    print(f"{'throughput (chars/s)':34} {_rate(characters, our_seconds):>8} "
          f"{_rate(baseline.characters, baseline.seconds):>11}")
    print(f"{'wall time (s), ' + str(documents) + ' documents':34} {our_seconds:>8.2f} "
          f"{baseline.seconds:>11.2f}")
    print("  (dateparser: 'any date' = the expected date is among those found in the sentences")
    print("   naming a participant, an oracle upper bound; '1st date' = the first one found.")
    print("   It is given the true publication dates. Ours reads, extracts and merges.)")
    print(line)


def _rate(characters: int, seconds: float) -> str:
    return f"{characters / seconds:,.0f}" if seconds > 0 else "n/a"


def main(argv: list[str] | None = None) -> int:
    """Run the evaluation and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "eval_corpus")
    parser.add_argument("--expected", type=Path, default=None,
                        help="expected-events TOML (default: CORPUS/expected.toml)")
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    expected = load_expected(args.expected or corpus / "expected.toml")
    texts = {p.name: read_article(p) for p in sorted(corpus.glob("*.txt"))}
    characters = sum(len(t) for t in texts.values())

    extraction, our_seconds, error = run_ours(corpus)
    scores = score(extraction, expected) if extraction is not None else None
    our_reports = our_report_accuracy(extraction, document_reports(corpus), expected) \
        if extraction else (0, 0)
    with warnings.catch_warnings():
        # dateparser warns about pytz/locale internals on every call.
        warnings.simplefilter("ignore")
        baseline = run_baseline(corpus, expected, texts)

    print(f"corpus: {corpus}  ({len(texts)} articles, {characters:,} characters)")
    if error:
        print(error)
    print_table(scores, baseline, our_seconds, our_reports, characters, len(texts))
    summary: dict[str, object] = {"corpus": str(corpus), "articles": len(texts)}
    summary["ours"] = scores.figures() if scores else None
    if scores:
        summary["ours"]["report_date_correct"] = our_reports[1]
        summary["ours"]["report_date_total"] = our_reports[0]
        summary["ours"]["seconds"] = round(our_seconds, 3)
    summary["baseline"] = {
        "date_accuracy": baseline.accuracy,
        "events": baseline.events,
        "correct": baseline.correct,
        "report_date_accuracy": baseline.report_accuracy,
        "reports": baseline.reports,
        "reports_correct": baseline.reports_correct,
        "reports_first_date_correct": baseline.reports_first_correct,
        "first_date_accuracy": baseline.first_date_accuracy,
        "seconds": round(baseline.seconds, 3),
    }
    summary["error"] = error
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
