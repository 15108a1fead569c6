"""Reading a corpus: article files and their sources.toml manifest, turned into Documents.

Nothing here raises on bad input. Every problem with a file becomes a warning that
starts with the file's name, and the file is skipped or read as well as it can be.
"""

from __future__ import annotations

import codecs
import datetime as dt
import itertools
import posixpath
import re
import stat
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from viewer.core.chrome import (
    HEADLINE_SEARCH_LINES,
    choose_headline,
    find_chrome,
    iter_lines,
    load_rules,
)
from viewer.core.model import Certainty, Chrome, DateValue, Document, Precision, Span

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_LINE_CHARS = 20_000
MAX_TITLE_CHARS = 200
MANIFEST_NAME = "sources.toml"
ARTICLE_SUFFIX = ".txt"

_BINARY_SAMPLE = 64 * 1024
_MAX_CONTROL_SHARE = 0.10
# Control characters plain text does carry: tab, newline, vertical tab, form feed, CR, and
# the SUB and ESC that old DOS editors and terminal captures leave behind.
_TEXT_CONTROLS = frozenset(b"\t\n\x0b\x0c\r\x1a\x1b")
# Every byte but the suspicious controls: deleting these leaves just the ones to count.
_NOT_CONTROLS = bytes(b for b in range(256) if b >= 0x20 or b in _TEXT_CONTROLS)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """One [[source]] entry of sources.toml: what a feed knows about one article file."""

    file: str
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    published: dt.date | None = None


@dataclass(frozen=True)
class Corpus:
    """The documents read from a corpus, sorted by id, and every problem met on the way."""

    documents: tuple[Document, ...]
    warnings: tuple[str, ...]


@dataclass
class ArticleListing:
    """The article files and manifests a set of paths names, and the problems in listing them."""

    articles: list[Path] = field(default_factory=list)
    manifests: dict[Path, Path] = field(default_factory=dict)  # folder -> its sources.toml
    warnings: list[str] = field(default_factory=list)


# --- decoding -------------------------------------------------------------------------


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Decode article bytes: a BOM's encoding, else UTF-8, else cp1252, else latin-1."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(name, errors="replace")
            return text, name, _replacement_warning(text, name)
    bomless = _bomless_utf16(data)
    if bomless:
        text = data.decode(bomless, errors="replace")
        return text, bomless, [f"no byte order mark; read as {bomless.upper()}",
                               *_replacement_warning(text, bomless)]
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        return text, "cp1252", ["not valid UTF-8; read as cp1252 (Windows Western)"]
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", ["not valid UTF-8; read as latin-1"]


def _replacement_warning(text: str, name: str) -> list[str]:
    if "\ufffd" in text:
        return [f"some bytes are not valid {name}; they show as \ufffd"]
    return []


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM, told by mostly-ASCII text: nearly every other byte is NUL."""
    sample = data[:_BINARY_SAMPLE]
    if len(sample) < 8 or len(sample) % 2:
        return None
    half = len(sample) // 2
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls >= 0.9 * half and even_nuls == 0:
        return "utf-16-le"
    if even_nuls >= 0.9 * half and odd_nuls == 0:
        return "utf-16-be"
    return None


def binary_reason(data: bytes) -> str | None:
    """Why these bytes look like a binary file rather than text, or None if they look like text."""
    if any(data.startswith(bom) for bom, _ in _BOMS) or _bomless_utf16(data):
        return None
    sample = data[:_BINARY_SAMPLE]
    if b"\x00" in sample:
        return "binary data (NUL bytes)"
    controls = len(sample.translate(None, _NOT_CONTROLS))
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        return "binary data (control characters)"
    return None


# --- the manifest ---------------------------------------------------------------------


def load_manifest(path: Path) -> tuple[dict[str, SourceMeta], list[str]]:
    """The [[source]] entries of a sources.toml by file name, and any problems found in it."""
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as error:
        return {}, [f"{name}: unreadable manifest ({_reason(error)}); read without it"]
    try:
        text = raw.decode("utf-8-sig")
        data = _simple_manifest(text) or tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, [f"{name}: malformed manifest ({error}); read without it"]
    entries = data.get("source", [])
    if not isinstance(entries, list):
        return {}, [f"{name}: malformed manifest ('source' must be [[source]] tables); "
                    "read without it"]
    metas: dict[str, SourceMeta] = {}
    warnings: list[str] = []
    for number, entry in enumerate(entries, start=1):
        meta, problems = _source_meta(entry, number)
        warnings += [f"{name}: {p}" for p in problems]
        if meta is None:
            continue
        if meta.file in metas:
            warnings.append(f"{name}: {meta.file} is listed twice; the first entry is used")
            continue
        metas[meta.file] = meta
    return metas, warnings


# A manifest is mostly flat [[source]] tables of strings and dates. tomllib reads 10,000 of
# them in about a second, which is most of a cached corpus's load time; lines of just these
# shapes are read here ten times faster, and anything else goes to tomllib.
_MANIFEST_LINE = re.compile(
    r"[ \t]*(?:"
    r"(?P<table>\[\[source\]\])"
    r"|(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*=[ \t]*"
    r"(?:\"(?P<text>[^\"\\\x00-\x08\x0a-\x1f\x7f]*)\"|(?P<date>\d{4}-\d\d-\d\d))"
    r")?[ \t]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?"
)


def _simple_manifest(text: str) -> dict[str, list[dict[str, object]]] | None:
    """The manifest as tomllib would read it, when every line is a blank, a comment, a
    [[source]] header or a key with a plain string or a date; None otherwise."""
    entries: list[dict[str, object]] = []
    for line in text.split("\n"):
        m = _MANIFEST_LINE.fullmatch(line.removesuffix("\r"))
        if m is None:
            return None
        if m.group("table"):
            entries.append({})
        elif m.group("key"):
            if not entries or m.group("key") in entries[-1]:
                return None  # a key outside a table, or twice: let tomllib say what is wrong
            value = m.group("text")
            if value is None:
                try:
                    value = dt.date.fromisoformat(m.group("date"))
                except ValueError:
                    return None
            entries[-1][m.group("key")] = value
    return {"source": entries}


def _source_meta(entry: object, number: int) -> tuple[SourceMeta | None, list[str]]:
    """One [[source]] table checked field by field; bad fields are dropped with a warning."""
    if not isinstance(entry, dict):
        return None, [f"entry {number} is not a table; ignored"]
    file = entry.get("file")
    if not isinstance(file, str) or not file.strip():
        return None, [f"entry {number} has no 'file'; ignored"]
    file = _base_name(file.strip())
    problems: list[str] = []
    texts: dict[str, str | None] = {}
    for key in ("outlet", "url", "language"):
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(f"{file}: '{key}' is not text; ignored")
            value = None
        texts[key] = (value.strip() or None) if isinstance(value, str) else None
    published, problem = _published(entry.get("published"))
    if problem:
        problems.append(f"{file}: {problem}")
    meta = SourceMeta(file, texts["outlet"], texts["url"], texts["language"], published)
    return meta, problems


def _base_name(file: str) -> str:
    """What ``Path(file).name`` gives, without building a Path for each of 10,000 entries."""
    return posixpath.basename(posixpath.normpath(file)) if "/" in file else file


def _published(value: object) -> tuple[dt.date | None, str | None]:
    """A publication date given as a TOML date or datetime, or as an ISO string."""
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str):
        text = value.strip()
        for parse in (dt.date.fromisoformat, lambda s: dt.datetime.fromisoformat(s).date()):
            try:
                return parse(text), None
            except ValueError:
                continue
    return None, f"'published' = {value!r} is not a date (YYYY-MM-DD); ignored"


def published_value(day: dt.date) -> DateValue:
    """The publication date a manifest states, as a stated day."""
    return DateValue(day, day, Precision.DAY, Certainty.STATED,
                     f"published {day.isoformat()} per {MANIFEST_NAME}")


# --- one document ---------------------------------------------------------------------


# Given an article's decoded text, file name, manifest entry and path, a Document already
# made from that very text (by a cache), or None to analyse the text afresh.
Reuse = Callable[[str, str, "SourceMeta | None", Path], "Document | None"]


@dataclass(frozen=True, slots=True)
class ArticleText:
    """One article file decoded, before any analysis: what a cache key is made from."""

    name: str
    path: Path
    text: str
    encoding: str
    notes: tuple[str, ...]  # problems met decoding it, without the file name
    meta: SourceMeta | None


def read_article(path: Path, meta: SourceMeta | None = None) -> tuple[ArticleText | None,
                                                                       list[str]]:
    """Read and decode one article file; None and a warning when it cannot be read as text."""
    path = path if isinstance(path, Path) else Path(path)  # 10,000 new Paths cost 70 ms
    name = path.name
    data, problem = _read_bytes(path)
    if data is None:
        return None, [f"{name}: skipped: {problem}"]
    if not data.strip():
        return None, [f"{name}: skipped: empty file"]
    reason = binary_reason(data)
    if reason:
        return None, [f"{name}: skipped: {reason}"]
    text, encoding, notes = decode_text(data)
    if not text.strip():
        return None, [f"{name}: skipped: empty file"]
    notes += _long_line_notes(text)
    article = ArticleText(name, path, text, encoding, tuple(notes), meta)
    return article, [f"{name}: {note}" for note in notes]


def make_document(article: ArticleText) -> Document:
    """The Document of a decoded article: its chrome, title and manifest entry."""
    text = article.text
    chrome = find_chrome(text)
    meta = article.meta or SourceMeta(article.name)
    title, _ = find_title(text, chrome, meta.outlet)
    published = published_value(meta.published) if meta.published else None
    return Document(
        id=article.name,
        path=str(article.path.absolute()),
        text=text,
        title=title or article.path.stem,
        outlet=meta.outlet,
        url=meta.url,
        language=meta.language,
        published=published,
        published_basis="manifest" if published else None,
        chrome=chrome,
        encoding=article.encoding,
        warnings=article.notes,
    )


def read_document(
    path: Path, meta: SourceMeta | None = None, *, reuse: Reuse | None = None
) -> tuple[Document | None, list[str]]:
    """Read one article file; None and a warning when it cannot be read as text."""
    article, warnings = read_article(path, meta)
    if article is None:
        return None, warnings
    known = reuse(article.text, article.name, meta, article.path) if reuse is not None else None
    return (known if known is not None else make_document(article)), warnings


def _read_bytes(path: Path) -> tuple[bytes | None, str | None]:
    """The file's bytes, or None and why not: missing, not a file, too large, unreadable."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return None, "unreadable (broken link)"
        return None, "not found"
    except OSError as error:
        return None, f"unreadable ({_reason(error)})"
    if stat.S_ISDIR(info.st_mode):
        return None, "unreadable (a folder, not a file)"
    if not stat.S_ISREG(info.st_mode):
        # Opening a pipe or a device could block for ever.
        return None, "unreadable (not a regular file)"
    if info.st_size > MAX_FILE_BYTES:
        return None, f"too large ({_megabytes(info.st_size)}; the limit is " \
                     f"{_megabytes(MAX_FILE_BYTES)})"
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return None, f"unreadable ({_reason(error)})"
    if len(data) > MAX_FILE_BYTES:  # grew since stat
        return None, f"too large (over {_megabytes(MAX_FILE_BYTES)})"
    return data, None


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied"
    return error.strerror or type(error).__name__


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _long_line_notes(text: str) -> list[str]:
    """A warning for the longest line when it is long enough to be only partly analysed."""
    if len(text) <= MAX_LINE_CHARS or max(map(len, text.split("\n"))) <= MAX_LINE_CHARS:
        return []
    longest, number, pos, line_no = 0, 0, 0, 0
    while pos <= len(text):
        line_no += 1
        newline = text.find("\n", pos)
        end = len(text) if newline < 0 else newline
        if end - pos > longest:
            longest, number = end - pos, line_no
        if newline < 0:
            break
        pos = newline + 1
    if longest > MAX_LINE_CHARS:
        return [f"line {number} is {longest:,} characters long; it may be only partly analysed"]
    return []


def find_title(text: str, chrome: Sequence[Chrome],
               outlet: str | None = None) -> tuple[str, Span | None]:
    """The headline: the first line that is not chrome, a date, or the site's own name."""
    lines = [(line.start, line.end) for line in
             itertools.islice(iter_lines(text), HEADLINE_SEARCH_LINES)]
    in_chrome = _chrome_flags(lines, chrome)
    chosen, _ = choose_headline(text, lines, in_chrome.__getitem__, outlet)
    if chosen is None:
        return "", None
    start, end = lines[chosen]
    return _shortened(text[start:end]), Span(start, end)


def _chrome_flags(lines: list[tuple[int, int]], chrome: Sequence[Chrome]) -> list[bool]:
    """For each line, whether any chrome span overlaps it."""
    spans = sorted((c.span for c in chrome), key=lambda s: (s.start, s.end))
    flags, index = [], 0
    for start, end in lines:
        while index < len(spans) and spans[index].end <= start:
            index += 1
        flags.append(index < len(spans) and spans[index].overlaps(Span(start, end)))
    return flags


def _shortened(title: str) -> str:
    """A title cut at a word boundary when a text has no short headline line."""
    title = " ".join(title[: MAX_TITLE_CHARS * 2].split())
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title.rfind(" ", 0, MAX_TITLE_CHARS)
    return title[: cut if cut > MAX_TITLE_CHARS // 2 else MAX_TITLE_CHARS] + "…"


# --- the corpus -----------------------------------------------------------------------


def iter_article_paths(paths: Iterable[str | Path] | str | Path) -> ArticleListing:
    """The article files and manifests the given folders and files name, sorted."""
    if isinstance(paths, str | Path):
        paths = [paths]
    listing = ArticleListing()
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            _list_folder(path, listing, seen)
        elif path.exists() or path.is_symlink():
            _list_file(path, listing, seen, explicit=True)
        else:
            listing.warnings.append(f"{path}: not found")
    return listing


def _list_folder(folder: Path, listing: ArticleListing, seen: set[Path]) -> None:
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as error:
        listing.warnings.append(f"{folder.name or folder}: folder unreadable ({_reason(error)})")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.name == MANIFEST_NAME:
            listing.manifests.setdefault(folder.absolute(), entry)
            continue
        if entry.is_dir() and not entry.name.lower().endswith(ARTICLE_SUFFIX):
            # Not read, but said, so a corpus kept in sub-folders does not look empty.
            listing.warnings.append(f"{entry.name}/: ignored: sub-folders are not read")
            continue
        _list_file(entry, listing, seen, explicit=False)


def _list_file(path: Path, listing: ArticleListing, seen: set[Path], *, explicit: bool) -> None:
    if path.name == MANIFEST_NAME:
        listing.manifests.setdefault(path.parent.absolute(), path)
        return
    if not path.name.lower().endswith(ARTICLE_SUFFIX):
        listing.warnings.append(f"{path.name}: ignored: not a .txt article")
        return
    key = path.absolute()
    if key in seen:
        return
    seen.add(key)
    listing.articles.append(path)
    if explicit:
        folder = path.parent.absolute()
        manifest = folder / MANIFEST_NAME
        if folder not in listing.manifests and manifest.is_file():
            listing.manifests[folder] = manifest


@dataclass(frozen=True)
class ArticleTexts:
    """The decoded articles of a corpus, sorted by name, and every problem met reading them."""

    articles: tuple[ArticleText, ...]
    warnings: tuple[str, ...]


def read_articles(paths: Sequence[str | Path]) -> ArticleTexts:
    """Read and decode every .txt article under the given folders and files, unanalysed.

    The warnings are those ``read_corpus`` gives: making documents adds none.
    """
    return read_listing(iter_article_paths(paths))


def read_listing(listing: ArticleListing) -> ArticleTexts:
    """``read_articles`` of the files a listing names (see ``iter_article_paths``)."""
    warnings = [*load_rules().problems, *listing.warnings]
    metas: dict[Path, dict[str, SourceMeta]] = {}
    for folder, manifest in sorted(listing.manifests.items()):
        metas[folder], problems = load_manifest(manifest)
        warnings += problems
    articles: dict[str, ArticleText] = {}
    for path in sorted(listing.articles, key=lambda p: (p.name, str(p))):
        meta = metas.get(path.parent.absolute(), {}).get(path.name)
        if path.name in articles:
            warnings.append(f"{path.name}: skipped: another article with this file name "
                            f"was already read ({articles[path.name].path.absolute()})")
            continue
        article, problems = read_article(path, meta)
        warnings += problems
        if article is not None:
            articles[article.name] = article
    warnings += _unused_manifest_entries(metas, listing)
    return ArticleTexts(tuple(articles[k] for k in sorted(articles)), tuple(warnings))


def read_corpus(paths: Sequence[str | Path], *, reuse: Reuse | None = None) -> Corpus:
    """Read every .txt article under the given folders and files, with sources.toml metadata.

    ``reuse`` may supply a Document for a text seen before, sparing its analysis (chrome,
    title).
    """
    texts = read_articles(paths)
    documents = []
    for article in texts.articles:
        known = reuse(article.text, article.name, article.meta, article.path) if reuse else None
        documents.append(known if known is not None else make_document(article))
    return Corpus(tuple(documents), texts.warnings)


def _unused_manifest_entries(metas: dict[Path, dict[str, SourceMeta]],
                             listing: ArticleListing) -> list[str]:
    """Manifest entries naming a file that is not in the folder (a typo, usually)."""
    present = {(p.parent.absolute(), p.name) for p in listing.articles}
    warnings = []
    for folder, entries in sorted(metas.items()):
        for name in sorted(entries):
            if (folder, name) not in present and not (folder / name).exists():
                warnings.append(f"{MANIFEST_NAME}: lists {name}, which is not in {folder.name}/")
    return warnings
