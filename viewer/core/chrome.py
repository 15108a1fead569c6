"""Finding site chrome in an article: menus, bylines, credits, comment forms, footers.

The phrases live in ``resources/chrome.toml`` so a new site can be taught without code.
The stored text is never altered: chrome is a list of spans that extraction skips.
The headline is found here too (``choose_headline``), since telling it from the site's
name above it and from its repeated copy below it is part of telling chrome from text.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from viewer.core.model import Chrome, Span
from viewer.resources import resource_path

_SCOPES = ("line", "end", "end-near")
HEADLINE_SEARCH_LINES = 200  # a headline further down than this is not a headline
HEADLINE_CANDIDATES = 4
_MASTHEAD_MAX_CHARS = 120
_TERMINAL = ".!?…"
_LABEL_WORDS = 3  # a site's or section's name above a headline: "Government of India"
_LABEL_LINKS = frozenset(("of", "and", "the", "for"))  # the only lower-case words in one
_HEADLINE_WORDS = 6
_STATEMENT_ENDS = ".!…"  # a standfirst ends so; a headline may ask ("who is Admiral Y?")
_BYLINE_TAIL = re.compile(r"\s+(?i:by)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}$")
_PROSE_ENDS = ".!?…\"”’»"
_WORD = re.compile(r"[^\W\d_]+(?:\.[^\W\d_]+)*\.?")
_NAME_WORD = re.compile(r"[^\W\d_]")
# From a line's first to its last non-space character; runs of blank lines are skipped in C.
_NON_BLANK_LINE = re.compile(r"\S(?:[^\n]*\S)?")
_DIGIT = re.compile(r"\d")
_ALNUM = re.compile(r"[^\W_]")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Line:
    """One non-blank line of a text: the offsets of its content without surrounding space."""

    start: int
    end: int


@dataclass(frozen=True)
class LineRule:
    """Lines of one kind of chrome: a whole-line regex, its reason and how far it reaches."""

    reason: str
    scope: str
    pattern: str  # the rule's phrases and patterns in one alternation, each already valid
    max_chars: int
    until_prose: bool = False  # the block stops before the next paragraph of prose

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        """The whole-line regex, compiled when first used."""
        return re.compile(self.pattern, re.IGNORECASE)


@dataclass(frozen=True)
class ChromeRules:
    """Everything ``chrome.toml`` says, compiled."""

    problems: tuple[str, ...]  # what was wrong with the file, for the corpus's warnings
    rules: tuple[LineRule, ...]
    max_rule_chars: int
    max_line_chars: int
    min_share_before: float
    tail_chars: int
    min_body_chars: int
    near_tail_chars: int
    prose_chars: int
    prose_min_words: int
    caption_reason: str
    caption_beside: str
    caption: re.Pattern[str] | None
    byline_reason: str
    byline_alone: frozenset[str]
    byline_prefix: re.Pattern[str] | None
    max_name_words: int
    max_name_chars: int
    separator_reason: str
    separator_max_chars: int
    date_reason: str
    date_max_chars: int
    date_words: frozenset[str]
    masthead_words: frozenset[str]
    masthead_max_words: int
    headline_max_words: int

    # Compiled on first use, not on loading: a corpus that comes whole from the cache only
    # needs ``problems``, and these alternations take most of the loading time.
    @functools.cached_property
    def combined(self) -> re.Pattern[str] | None:
        """Every rule in one alternation; group "r<i>" is rules[i] (None: match rule by rule)."""
        try:
            return re.compile("|".join(f"(?P<r{i}>{r.pattern})"
                                       for i, r in enumerate(self.rules)) or "(?!)",
                              re.IGNORECASE)
        except re.error:
            return None  # patterns with their own group names


def _phrase_regex(phrase: str) -> str:
    """A literal phrase, whitespace-tolerant, with optional trailing punctuation."""
    words = [re.escape(w) for w in phrase.split()]
    return r"\s*".join(words) + r"\s*[:!.»]*"


def _alternation(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """One case-insensitive regex matching any of ``patterns`` against a whole line."""
    if not patterns:
        return None
    return re.compile(_either(patterns), re.IGNORECASE)


def _either(patterns: Sequence[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


def _valid_patterns(patterns: Sequence[str], problems: list[str]) -> list[str]:
    """The patterns that compile; each one that does not is named in ``problems``."""
    valid = []
    for pattern in patterns:
        try:
            compiled = re.compile(pattern)
        except (re.error, TypeError) as error:
            problems.append(f"pattern {pattern!r} ignored ({error})")
            continue
        if compiled.groupindex:
            # Patterns are joined into one alternation, where a group name may clash.
            problems.append(f"pattern {pattern!r} ignored (named groups are not allowed)")
            continue
        valid.append(pattern)
    return valid


def _compile_rules(data: dict, problems: list[str]) -> ChromeRules:
    """Turn the parsed TOML into compiled rules, with defaults for anything missing."""
    limits = data.get("limits", {})
    max_line = int(limits.get("max_line_chars", 300))
    rules = []
    for entry in data.get("rule", []):
        scope = entry.get("scope", "line")
        if scope not in _SCOPES:
            problems.append(f"unknown scope {scope!r}; read as \"line\"")
            scope = "line"
        parts = [_phrase_regex(p) for p in entry.get("phrases", [])]
        parts += _valid_patterns(entry.get("patterns", []), problems)
        if parts:
            rules.append(LineRule(entry.get("reason", "site chrome"), scope, _either(parts),
                                  int(entry.get("max_chars", max_line)),
                                  bool(entry.get("until_prose", False))))
    footer = data.get("footer", {})
    caption = data.get("caption", {})
    byline = data.get("byline", {})
    prefixes = [r"\s+".join(map(re.escape, p.split())) for p in byline.get("prefixes", [])]
    separator = data.get("separator", {})
    date_line = data.get("date_line", {})
    masthead = data.get("masthead", {})
    return ChromeRules(
        problems=tuple(f"chrome.toml: {p}" for p in problems),
        rules=tuple(rules),
        max_rule_chars=max((r.max_chars for r in rules), default=0),
        max_line_chars=max_line,
        min_share_before=float(footer.get("min_share_before", 0.5)),
        tail_chars=int(footer.get("tail_chars", 3000)),
        min_body_chars=int(footer.get("min_body_chars", 200)),
        near_tail_chars=int(footer.get("near_tail_chars", 1500)),
        prose_chars=int(footer.get("prose_chars", 150)),
        prose_min_words=int(footer.get("prose_min_words", 10)),
        caption_reason=caption.get("reason", "photo caption"),
        caption_beside=caption.get("beside", "photo credit"),
        caption=_alternation(_valid_patterns(caption.get("patterns", []), problems)),
        byline_reason=byline.get("reason", "byline"),
        byline_alone=frozenset(a.casefold() for a in byline.get("alone", [])),
        byline_prefix=(re.compile(r"(?:" + "|".join(prefixes) + r")\s+(?P<name>\S.*)",
                                  re.IGNORECASE) if prefixes else None),
        max_name_words=int(byline.get("max_name_words", 6)),
        max_name_chars=int(byline.get("max_name_chars", 60)),
        separator_reason=separator.get("reason", "separator"),
        separator_max_chars=int(separator.get("max_chars", 20)),
        date_reason=date_line.get("reason", "date line"),
        date_max_chars=int(date_line.get("max_chars", 80)),
        date_words=frozenset(w.casefold().rstrip(".") for w in date_line.get("words", [])),
        masthead_words=frozenset(w.casefold() for w in masthead.get("words", [])),
        masthead_max_words=int(masthead.get("max_words", 6)),
        headline_max_words=int(masthead.get("headline_max_words", 12)),
    )


def load_rules(path: Path | None = None) -> ChromeRules:
    """The chrome rules from ``path`` (default: the bundled chrome.toml), cached."""
    if path is None:
        return _load_default_rules()
    return _load_rules_cached(path)


@functools.cache
def _load_default_rules() -> ChromeRules:
    # Not keyed by the default Path: building and hashing it per document costs more
    # than the lookup.
    return _load_rules_cached(resource_path("chrome.toml"))


@functools.cache
def _load_rules_cached(path: Path) -> ChromeRules:
    # A site's phrases are added by hand: a mistake in the file must not stop reading.
    problems: list[str] = []
    try:
        with open(path, "rb") as handle:
            return _compile_rules(tomllib.load(handle), problems)
    except (OSError, tomllib.TOMLDecodeError, ValueError, TypeError, AttributeError,
            re.error) as error:
        return _compile_rules({}, [f"unusable, no chrome is marked ({error})"])


def iter_lines(text: str, start: int = 0, end: int | None = None) -> Iterator[Line]:
    """The non-blank lines of ``text[start:end]`` (split at "\\n"), trimmed of whitespace."""
    stop = len(text) if end is None else end
    for match in _NON_BLANK_LINE.finditer(text, start, stop):
        yield Line(match.start(), match.end())


def is_date_line(line: str, rules: ChromeRules | None = None) -> bool:
    """True for a short line of only dates, times and IDs ("October 18, 2021  News ID 4529")."""
    rules = rules or load_rules()
    if len(line) > 2 * rules.date_max_chars:
        return False
    # "12 MAR 2025 6:42PM by PIB Delhi": who filed it does not make it less a date line.
    stripped = _BYLINE_TAIL.sub("", line.strip())
    if not stripped or len(stripped) > rules.date_max_chars:
        return False
    if _DIGIT.search(stripped) is None:
        return False
    return all(w.casefold().rstrip(".") in rules.date_words for w in _WORD.findall(stripped))


def looks_like_masthead(line: str, outlet: str | None = None,
                        rules: ChromeRules | None = None) -> bool:
    """True for a line that names the site or a section ("Harbour Gazette | World")."""
    rules = rules or load_rules()
    if len(line) > _MASTHEAD_MAX_CHARS:
        return False
    folded = _normalised(line)
    if outlet and _normalised(outlet) in folded:
        return True
    if "|" in line:
        return True
    words = _WORD.findall(folded)
    return (0 < len(words) <= rules.masthead_max_words
            and any(w.rstrip(".") in rules.masthead_words for w in words))


def find_chrome(text: str, rules: ChromeRules | None = None) -> tuple[Chrome, ...]:
    """The spans of site chrome in ``text``, sorted and non-overlapping, each with a reason."""
    rules = rules or load_rules()
    lines = [m.span() for m in _NON_BLANK_LINE.finditer(text)]
    found: dict[int, Chrome] = {}  # index into ``lines`` -> chrome of that line
    footer_at: int | None = None
    index = 0
    while index < len(lines):
        start, end = lines[index]
        rule = (_line_rule(text, start, end, rules)
                if end - start <= rules.max_rule_chars else None)
        index += 1
        if rule is None:
            continue
        found[index - 1] = Chrome(Span(start, end), rule.reason)
        if rule.scope == "line" or not _starts_footer(text, start, end, rule.scope, rules):
            continue
        prose = _next_prose_line(text, lines, index, rules) if rule.until_prose else None
        if prose is None:
            footer_at = index - 1
            break
        # A box of links inside the article: its short lines are chrome, the prose resumes.
        for inside in range(index, prose):
            found[inside] = Chrome(Span(*lines[inside]), rule.reason)
        index = prose
    body = lines if footer_at is None else lines[:footer_at]
    _mark_short_lines(text, body, found, rules)
    _mark_captions(text, body, found, rules)
    _mark_masthead_and_repeated_title(text, body, found, rules)
    spans = [found[i] for i in sorted(found) if footer_at is None or i < footer_at]
    if footer_at is not None:
        spans.append(Chrome(Span(lines[footer_at][0], len(text)), found[footer_at].reason))
    return tuple(spans)


def _next_prose_line(text: str, lines: list[tuple[int, int]], index: int,
                     rules: ChromeRules) -> int | None:
    """The first line from ``index`` on that reads as prose: long, or a finished sentence.

    None when there is none, or when another end marker comes first: the page's footer
    has begun.
    """
    for candidate in range(index, len(lines)):
        start, end = lines[candidate]
        if end - start > rules.prose_chars:
            return candidate
        rule = _line_rule(text, start, end, rules)
        if rule is not None and rule.scope != "line":
            return None
        if (text[end - 1] in _PROSE_ENDS
                and len(text[start:end].split()) >= rules.prose_min_words):
            return candidate
    return None


def _line_rule(text: str, start: int, end: int, rules: ChromeRules) -> LineRule | None:
    """The first rule matching this whole line, if any."""
    if rules.combined is not None:
        match = rules.combined.fullmatch(text, start, end)
        if match is None or match.lastgroup is None:
            return None
        rule = rules.rules[int(match.lastgroup[1:])]
        if end - start <= rule.max_chars:
            return rule
    # The first matching rule is too short for this line; a later one may still fit.
    for rule in rules.rules:
        if end - start <= rule.max_chars and rule.regex.fullmatch(text, start, end):
            return rule
    return None


def _starts_footer(text: str, start: int, end: int, scope: str, rules: ChromeRules) -> bool:
    """Whether an end-of-article marker here really ends the article (not a header menu)."""
    tail = len(text) - end
    if start < rules.min_body_chars:
        return False
    if scope == "end-near":
        return tail <= rules.near_tail_chars
    return start >= rules.min_share_before * len(text) or tail <= rules.tail_chars


def _mark_short_lines(text: str, lines: list[tuple[int, int]], found: dict[int, Chrome],
                      rules: ChromeRules) -> None:
    """Bylines, bare punctuation ("-", "***") and lines that only carry a date or an ID."""
    longest = max(rules.max_name_chars + 20, rules.separator_max_chars, rules.date_max_chars)
    for index, (start, end) in enumerate(lines):
        if end - start > longest or index in found:
            continue
        content = text[start:end]
        if _is_byline(content, index, lines, text, rules):
            found[index] = Chrome(Span(start, end), rules.byline_reason)
            if content.strip("()").casefold() in rules.byline_alone:
                nxt_start, nxt_end = lines[index + 1]
                found.setdefault(index + 1, Chrome(Span(nxt_start, nxt_end), rules.byline_reason))
        elif len(content) <= rules.separator_max_chars and not _ALNUM.search(content):
            found[index] = Chrome(Span(start, end), rules.separator_reason)
        elif is_date_line(content, rules):
            found[index] = Chrome(Span(start, end), rules.date_reason)


def _is_byline(content: str, index: int, lines: list[tuple[int, int]], text: str,
               rules: ChromeRules) -> bool:
    """"By" alone with a name on the next line, or "By Name" on one short line."""
    if content.startswith("(") and content.endswith(")"):
        content = content[1:-1].strip()
    if content.casefold() in rules.byline_alone:
        if index + 1 >= len(lines):
            return False
        nxt_start, nxt_end = lines[index + 1]
        return _looks_like_name(text[nxt_start:nxt_end], rules)
    if rules.byline_prefix is None or len(content) > rules.max_name_chars + 20:
        return False
    match = rules.byline_prefix.fullmatch(content)
    return match is not None and _looks_like_name(match.group("name"), rules)


def _looks_like_name(content: str, rules: ChromeRules) -> bool:
    """A short capitalised phrase with no sentence ending: an author's name or a desk."""
    words = content.split()
    if not words or len(words) > rules.max_name_words or len(content) > rules.max_name_chars:
        return False
    if content[-1] in _TERMINAL or not content[0].isupper():
        return False
    return all(_NAME_WORD.search(w) is None or w[0].isupper() or len(w) <= 3 for w in words)


def _mark_captions(text: str, lines: list[tuple[int, int]], found: dict[int, Chrome],
                   rules: ChromeRules) -> None:
    """A line beside a photo credit that reads like a caption ("X (left) and Y")."""
    if rules.caption is None:
        return
    credits = [i for i, c in found.items() if c.reason == rules.caption_beside]
    for index in credits:
        for near in (index - 1, index + 1):
            if near < 0 or near >= len(lines) or near in found:
                continue
            start, end = lines[near]
            if end - start <= rules.max_line_chars and rules.caption.search(text, start, end):
                found[near] = Chrome(Span(start, end), rules.caption_reason)


def _mark_masthead_and_repeated_title(text: str, lines: list[tuple[int, int]],
                                      found: dict[int, Chrome], rules: ChromeRules) -> None:
    """The site's name above the headline, and copies of the headline below it, are chrome."""
    chosen, skipped = choose_headline(text, lines, lambda i: i in found, rules=rules)
    for index in skipped:
        found[index] = Chrome(Span(*lines[index]), "masthead")
    if chosen is None or lines[chosen][1] - lines[chosen][0] > rules.max_line_chars:
        return
    title_start, title_end = lines[chosen]
    key = _normalised(text[title_start:title_end])
    for index in range(chosen + 1, len(lines)):
        start, end = lines[index]
        if (abs(end - start - len(key)) <= 8 and index not in found
                and _normalised(text[start:end]) == key):
            found[index] = Chrome(Span(start, end), "repeated title")


def choose_headline(text: str, lines: Sequence[tuple[int, int]], skip: Callable[[int], bool],
                    outlet: str | None = None,
                    rules: ChromeRules | None = None) -> tuple[int | None, list[int]]:
    """The index of the headline among ``lines``, and of the masthead lines above it.

    Candidates are the lines before the first paragraph that ``skip`` does not rule out
    and that are not only a date. The first that does not look like the site's name or a
    section label is the headline; a finished sentence after a masthead is a standfirst,
    so then the last masthead-like line is taken instead. With no line before the first
    paragraph, the paragraph itself stands in.
    """
    rules = rules or load_rules()
    candidates: list[int] = []
    for index in range(min(len(lines), HEADLINE_SEARCH_LINES)):
        if skip(index):
            continue
        start, end = lines[index]
        content = text[start:end]
        if _LETTER.search(content) is None or is_date_line(content, rules):
            continue
        if _is_paragraph(content, rules):
            if not candidates or _long_headline_under_labels(text, lines, content, candidates,
                                                             rules):
                candidates.append(index)
            break
        candidates.append(index)
        if len(candidates) >= HEADLINE_CANDIDATES:
            break
    if len(candidates) == 1:
        return candidates[0], []
    skipped: list[int] = []
    for position, index in enumerate(candidates):
        start, end = lines[index]
        content = text[start:end]
        masthead = looks_like_masthead(content, outlet, rules) or _label_above_headline(
            text, lines, content, candidates[position + 1 :])
        if masthead and index != candidates[-1]:
            skipped.append(index)
            continue
        if skipped and not masthead and content[-1] in _STATEMENT_ENDS:
            return skipped[-1], skipped[:-1]
        return index, skipped
    return None, []


def _label_above_headline(text: str, lines: Sequence[tuple[int, int]], content: str,
                          later: Sequence[int]) -> bool:
    """ "GOV.UK", "NATIONAL", "Government of India" above "Defence Secretary hosts Norwegian
    counterpart as ...": a line of a few words over a line of many is a site's or section's
    name, not the headline ("Modi visits Moscow" is no label: it has a lower-case verb)."""
    if not _is_label(content):
        return False
    return any(len(_WORD.findall(text[slice(*lines[i])])) >= _HEADLINE_WORDS for i in later)


def _is_label(content: str) -> bool:
    """A few capitalised words: "NATIONAL", "Government of India", "Profiles"."""
    words = _WORD.findall(content)
    return len(words) <= _LABEL_WORDS and not any(
        w.islower() and w not in _LABEL_LINKS for w in words)


def _long_headline_under_labels(text: str, lines: Sequence[tuple[int, int]], content: str,
                                candidates: Sequence[int], rules: ChromeRules) -> bool:
    """A long line under nothing but short labels is the headline when it does not end
    like a statement and is not a whole page: "Raksha Mantri Shri X holds bilateral talks
    with ... cooperation", "The quiet submariner at the top: who is Admiral Y?"."""
    if len(content) > 2 * rules.prose_chars or content.rstrip().endswith("."):
        return False
    return all(_is_label(text[slice(*lines[i])]) for i in candidates)


def _is_paragraph(content: str, rules: ChromeRules) -> bool:
    """A line of running text rather than a headline: long, or a finished long sentence."""
    if len(content) > rules.prose_chars:
        return True
    return content[-1] in _PROSE_ENDS and len(content.split()) >= rules.headline_max_words


def _normalised(content: str) -> str:
    """Case and spacing folded, for comparing two copies of a headline."""
    return " ".join(content.split()).casefold()
