"""Splitting an article's body text (never its chrome) into sentences with exact offsets.

Linear in the text: each character is looked at a bounded number of times, and a run
without punctuation is cut at ``MAX_SENTENCE_CHARS`` so no input can make it crawl.
"""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from viewer.core.chrome import Line, iter_lines
from viewer.core.model import Chrome, Sentence, Span
from viewer.resources import resource_path

MAX_SENTENCE_CHARS = 2000

# A candidate end: periods, "!", "?" or an ellipsis, then closing quotes or brackets,
# then whitespace. Full-width CJK stops end a sentence without any space after them.
# The look-behind and possessive quantifiers keep a run of thousands of dots linear; a
# stop after a space (" . . .") or before an ASCII lower-case word is never an end.
_CANDIDATE = re.compile(
    r"(?=[.!?…。！？])(?:"
    r"(?P<stop>[.!?…](?<=[^\s.!?…][.!?…])[.!?…]*+)[\"'”’»)\]]*+(?P<space>\s++)(?![a-z])"
    r"|(?P<cjk>[。！？](?<![。！？][。！？])[。！？]*+)[」』”’)]*+(?P<cjk_space>\s*+))"
)
# Every candidate opens with one of these. The engine finds a pattern that opens with a
# character class by a quick scan in C, but tries one that opens with a look-ahead, like
# _CANDIDATE, at every position: so _CANDIDATE is tried only where this finds a stop.
_STOP = re.compile(r"[.!?…。！？]")
_ALNUM = re.compile(r"[^\W_]")
_NON_SPACE = re.compile(r"\S")
_UP_TO_LAST_SPACE = re.compile(r"(?s:.*)\s")
_OPENERS = "\"'“‘«([{"
_CLOSERS = "\"'”’»)]}"
_LINE_ENDS = ".!?…:;" + _CLOSERS + "。！？"
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")
_LOOKBACK = 40
_MIN_WRAPPED_LINE = 30


@dataclass(frozen=True)
class Abbreviations:
    """Words whose period is not, or not always, the end of a sentence."""

    never_final: frozenset[str]
    may_end: frozenset[str]


def load_abbreviations(path: Path | None = None) -> Abbreviations:
    """The abbreviations from ``path`` (default: the bundled abbreviations.toml), cached."""
    if path is None:
        return _load_default()
    return _load_cached(path)


@functools.cache
def _load_default() -> Abbreviations:
    # Cached apart from _load_cached: building and hashing the default Path on every
    # sentence split cost more than the lookup it keyed.
    return _load_cached(resource_path("abbreviations.toml"))


@functools.cache
def _load_cached(path: Path) -> Abbreviations:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle).get("sentences", {})
    except (OSError, tomllib.TOMLDecodeError, AttributeError):
        data = {}  # a broken list costs some splits at "Gen." and "U.S.", not the reading
    return Abbreviations(
        frozenset(w.casefold() for w in data.get("never_final", [])),
        frozenset(w.casefold() for w in data.get("may_end", [])),
    )


def split_sentences(text: str, chrome: Sequence[Chrome] = ()) -> list[Sentence]:
    """The sentences of ``text`` outside ``chrome``, in order, trimmed, with exact spans."""
    abbreviations = load_abbreviations()
    out: list[Sentence] = []
    for start, end in body_regions(len(text), chrome):
        for block in _blocks(text, start, end):
            _split_block(text, block, abbreviations, out)
    return out


def sentence_at(sentences: Sequence[Sentence], offset: int) -> Sentence | None:
    """The sentence covering character ``offset``, if any (``sentences`` sorted by start)."""
    index = bisect.bisect_right(sentences, offset, key=lambda s: s.span.start) - 1
    if index >= 0 and offset < sentences[index].span.end:
        return sentences[index]
    return None


def body_regions(length: int, chrome: Sequence[Chrome]) -> Iterator[tuple[int, int]]:
    """The gaps between chrome spans: the ranges of ``text`` that are body text."""
    pos = 0
    for item in sorted(chrome, key=lambda c: c.span.start):
        start, end = min(item.span.start, length), min(item.span.end, length)
        if start > pos:
            yield pos, start
        pos = max(pos, end)
    if pos < length:
        yield pos, length


def _blocks(text: str, start: int, end: int) -> Iterator[Line]:
    """Runs of lines that belong together: a paragraph line, or lines of a hard-wrapped one."""
    current: Line | None = None
    last: Line | None = None
    for line in iter_lines(text, start, end):
        if current is not None and last is not None and _continues(text, last, line):
            current = Line(current.start, line.end)
        else:
            if current is not None:
                yield current
            current = line
        last = line
    if current is not None:
        yield current


def _continues(text: str, previous: Line, line: Line) -> bool:
    """A line break inside a sentence: a long line with no ending, then a lower-case word."""
    return (previous.end - previous.start >= _MIN_WRAPPED_LINE
            and text[previous.end - 1] not in _LINE_ENDS
            and text[line.start].islower()
            and text.count("\n", previous.end, line.start) == 1)  # a blank line ends a paragraph


def _split_block(text: str, block: Line, abbreviations: Abbreviations,
                 out: list[Sentence]) -> None:
    """Cut one block at its sentence ends and append the sentences to ``out``."""
    seg_start = block.start
    for match in _candidates(text, block.start, block.end):
        following = match.end()
        if following >= block.end:
            break
        if _ends_sentence(text, match, following, abbreviations):
            space = "space" if match.group("stop") else "cjk_space"
            _emit(text, seg_start, match.start(space), out)
            seg_start = following
    _emit(text, seg_start, block.end, out)


def _candidates(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """What ``_CANDIDATE.finditer(text, start, end)`` finds, tried only at stops."""
    pos = start
    while (stop := _STOP.search(text, pos, end)) is not None:
        match = _CANDIDATE.match(text, stop.start(), end)
        if match is None:
            pos = stop.start() + 1
        else:
            pos = match.end()
            yield match


def _ends_sentence(text: str, match: re.Match[str], following: int,
                   abbreviations: Abbreviations) -> bool:
    """Whether a candidate stop really ends the sentence, judged by the words around it."""
    if text[following].islower():
        return False
    if match.group("cjk") or match.group("stop") != ".":
        return True
    word = _word_before(text, match.start()).casefold()
    if not word:
        return True
    if word in abbreviations.never_final:
        return False
    if len(word) == 1 and text[match.start() - 1].isupper():
        return False  # an initial: "J. Smith"
    if word in abbreviations.may_end:
        return True
    return _DOTTED.fullmatch(word) is None  # "U.S.S.R." and the like stay inside


def _word_before(text: str, stop: int) -> str:
    """The word just before a period, without quotes or brackets around it."""
    before = text[max(0, stop - _LOOKBACK):stop]
    if not before or before[-1].isspace():
        return ""
    return before.split()[-1].lstrip(_OPENERS).rstrip(_CLOSERS)


def _emit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    """Append the range as sentences, cutting over-long ones at whitespace.

    Callers pass ranges that start and end on non-space characters.
    """
    while end - start > MAX_SENTENCE_CHARS:
        cut = _cut_point(text, start, start + MAX_SENTENCE_CHARS)
        _append(text, start, cut, out)
        start = _skip_space(text, cut, end)
    _append(text, start, end, out)


def _skip_space(text: str, pos: int, end: int) -> int:
    """The first non-space position at or after ``pos``, or ``end``."""
    match = _NON_SPACE.search(text, pos, end)
    return match.start() if match else end


def _cut_point(text: str, start: int, limit: int) -> int:
    """The last whitespace in the back half of ``text[start:limit]``, or ``limit``."""
    floor = start + (limit - start) // 2
    match = _UP_TO_LAST_SPACE.match(text, floor, limit)
    return match.end() - 1 if match else limit


def _append(text: str, start: int, end: int, out: list[Sentence]) -> None:
    """Append one sentence unless it is empty or bare punctuation."""
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start and _ALNUM.search(text, start, end):
        out.append(Sentence(Span(start, end), text[start:end]))
