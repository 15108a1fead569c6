"""A lossless, validating dict (JSON-ready) form of ``DocumentResult``, for the on-disk cache.

The cache lives on disk where anything may have changed it, so reading it back must never
run code (no pickle) and must never hand the app an object that breaks the model's
promises: every value is checked against the field's declared type, and every excerpt and
quote of the document must still be the exact slice of its text.

The encoders and decoders are derived once per class from the model's type hints, so a field
the model gains is serialized without touching this module.
"""

from __future__ import annotations

import array
import dataclasses
import datetime as dt
import enum
import functools
import gc
import hashlib
import itertools
import json
import operator
import sys
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from viewer.core.model import (
    Certainty,
    Chrome,
    DateValue,
    Document,
    DocumentResult,
    Entity,
    EntityKind,
    Event,
    EventKind,
    Excerpt,
    Extraction,
    Participant,
    Precision,
    Quote,
    Span,
    Status,
)

FORMAT_VERSION = 2

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def result_to_dict(result: DocumentResult) -> dict[str, Any]:
    """The result as plain dicts, lists, strings, numbers, booleans and None."""
    return {"format": FORMAT_VERSION, "schema": schema_fingerprint(),
            "result": _encoder(DocumentResult)(result)}


def result_from_dict(data: Any) -> DocumentResult:
    """The result a ``result_to_dict`` mapping describes; ValueError if it is malformed."""
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION or "result" not in data:
        raise ValueError("not a serialized DocumentResult of this format")
    if data.get("schema") != schema_fingerprint():
        raise ValueError("written for another version of the data model")
    try:
        result = _decoder(DocumentResult)(data["result"])
    except (TypeError, KeyError, AttributeError, OverflowError) as exc:
        raise ValueError(f"malformed DocumentResult: {exc}") from exc
    _check_provenance(result)
    return result


@functools.cache
def schema_fingerprint() -> str:
    """A short hash of every field name and type a DocumentResult holds, nested ones too.

    Values are stored by position, so a row written before the model gained, lost or
    reordered a field must not be read by the new model: the fingerprint tells them apart.
    """
    seen: dict[str, list[str]] = {}

    def visit(tp: Any) -> None:
        for arg in typing.get_args(tp):
            visit(arg)
        if dataclasses.is_dataclass(tp) and tp.__qualname__ not in seen:
            hints = _hints(tp)
            seen[tp.__qualname__] = [f"{f.name}:{hints[f.name]!r}" for f in dataclasses.fields(tp)]
            for f in dataclasses.fields(tp):
                visit(hints[f.name])
        elif isinstance(tp, type) and issubclass(tp, enum.Enum):
            seen.setdefault(tp.__qualname__, [str(m.value) for m in tp])

    visit(DocumentResult)
    text = json.dumps(seen, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- per-type encoders and decoders --------------------------------------------------------


def _is_optional(tp: Any) -> tuple[bool, Any]:
    """Whether ``tp`` is ``X | None``, and X."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return True, args[0]
        raise TypeError(f"unsupported union {tp!r}")
    return False, tp


def _is_var_tuple(tp: Any) -> bool:
    args = typing.get_args(tp)
    return typing.get_origin(tp) is tuple and len(args) == 2 and args[1] is Ellipsis


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _identity(value: Any) -> Any:
    return value


@functools.cache
def _encoder(tp: Any) -> Encoder:
    # Values JSON holds as they are (strings, numbers, None) get ``_identity``, which the
    # containers recognise so that they copy such values without a call per value.
    optional, inner = _is_optional(tp)
    if optional:
        enc = _encoder(inner)
        return _identity if enc is _identity else (lambda v: None if v is None else enc(v))
    if inner in (str, int, bool, float):
        return _identity
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return lambda v: v.value
    if inner is dt.date:
        return lambda v: v.isoformat()
    if _is_var_tuple(inner):
        item = _encoder(typing.get_args(inner)[0])
        return list if item is _identity else (lambda v: [item(x) for x in v])
    if dataclasses.is_dataclass(inner):
        return _dataclass_encoder(inner)
    raise TypeError(f"cannot serialize values of type {inner!r}")


def _dataclass_encoder(cls: type) -> Encoder:
    # Positional lists, not dicts: half the JSON, and the cache reads back twice as fast.
    hints = _hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    read_all = _fields_getter(names)
    converted = [(n, enc) for n, name in enumerate(names)
                 if (enc := _encoder(hints[name])) is not _identity]

    def encode(v: Any) -> list[Any]:
        values = list(read_all(v))
        for n, enc in converted:
            values[n] = enc(values[n])
        return values
    return encode


def _fields_getter(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """Every named attribute at once, as a tuple (one C call, not one per field)."""
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda v: (one(v),)
    return operator.attrgetter(*names)


def _expect(kind: type | tuple[type, ...], what: str) -> Decoder:
    def check(v: Any) -> Any:
        # bool is an int to isinstance; an int field holding true is still corrupt.
        if not isinstance(v, kind) or (isinstance(v, bool) and kind is int):
            raise ValueError(f"expected {what}, got {type(v).__name__}")
        return v
    return check


def _date(v: Any) -> dt.date:
    if not isinstance(v, str):
        raise ValueError("expected an ISO date string")
    return dt.date.fromisoformat(v)


# The exact types json.loads gives for a value of each plain field type: a value of one of
# these needs no check of its own (a bool is not an int here: type(True) is bool).
_JSON_TYPES: dict[Any, frozenset[type]] = {
    str: frozenset({str}),
    int: frozenset({int}),
    bool: frozenset({bool}),
    float: frozenset({int, float}),
}
# Every type json.loads makes: the row check leaves fields of other types to their decoder.
_JSON_VALUE_TYPES = frozenset({str, int, float, bool, list, dict, type(None)})


@functools.cache
def _decoder(tp: Any) -> Decoder:
    optional, inner = _is_optional(tp)
    if optional:
        dec = _decoder(inner)
        return lambda v: None if v is None else dec(v)
    simple: dict[Any, Decoder] = {
        str: _expect(str, "a string"),
        int: _expect(int, "an integer"),
        bool: _expect(bool, "a boolean"),
        float: _expect((int, float), "a number"),
        dt.date: _date,
    }
    if inner in simple:
        return simple[inner]
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return _enum_decoder(inner)
    if _is_var_tuple(inner):
        return _tuple_decoder(typing.get_args(inner)[0])
    if dataclasses.is_dataclass(inner):
        return _dataclass_decoder(inner)
    raise TypeError(f"cannot deserialize values of type {inner!r}")


def _plain_types(tp: Any) -> frozenset[type] | None:
    """The JSON types a value of ``tp`` is stored as, when it is stored as itself; else None."""
    optional, inner = _is_optional(tp)
    plain = _JSON_TYPES.get(inner)
    if plain is None or not optional:
        return plain
    return plain | {type(None)}


def _is_plain(types: frozenset[type]) -> Callable[[Iterable[Any]], bool]:
    """Whether every value is of one of ``types`` exactly: one pass in C over many values."""
    def check(values: Iterable[Any]) -> bool:
        return all(map(types.__contains__, map(type, values)))
    return check


def _tuple_decoder(item_type: Any) -> Decoder:
    item = _decoder(item_type)
    plain = _plain_types(item_type)
    all_plain = _is_plain(plain) if plain is not None else None

    def tuple_of(v: Any) -> tuple[Any, ...]:
        if not isinstance(v, list):
            raise ValueError("expected a list")
        if all_plain is not None and all_plain(v):
            return tuple(v)
        return tuple(map(item, v))
    return tuple_of


def _enum_decoder(cls: type[enum.Enum]) -> Decoder:
    # A dict lookup: calling the enum class is the slowest step of reading a warm cache.
    members = {m.value: m for m in cls}

    def decode(v: Any) -> enum.Enum:
        if not isinstance(v, str | int) or v not in members:
            raise ValueError(f"{v!r} is not a {cls.__name__}")
        return members[v]
    return decode


def _dataclass_decoder(cls: type) -> Decoder:
    hints = _hints(cls)
    fields = dataclasses.fields(cls)
    decs = [_decoder(hints[f.name]) for f in fields]
    count = len(decs)
    make = _constructor(cls)
    # Fields stored as themselves are checked together by exact type; only the others
    # (nested records, tuples, dates, enums) are decoded one by one. A row that fails the
    # exact check goes through every field's own decoder, which says what is wrong.
    plain = [_plain_types(hints[f.name]) for f in fields]
    row_types = [types if types is not None else _JSON_VALUE_TYPES for types in plain]
    converted = [(n, dec) for n, (dec, types) in enumerate(zip(decs, plain, strict=True))
                 if types is None]

    def decode(v: Any) -> Any:
        if not isinstance(v, list) or len(v) != count:
            raise ValueError(f"expected a list of the {count} fields of {cls.__name__}")
        if not all(map(operator.contains, row_types, map(type, v))):
            return make(list(map(_call, decs, v)))
        values = list(v)
        for n, dec in converted:
            values[n] = dec(values[n])
        return make(values)
    return decode


def _call(dec: Decoder, value: Any) -> Any:
    return dec(value)


def _check_provenance(result: DocumentResult) -> None:
    """Raise ValueError unless every span of the document still fits its text exactly."""
    doc = result.document
    size = len(doc.text)
    for chrome in doc.chrome:
        if chrome.span.end > size:
            raise ValueError("chrome span beyond the end of the text")
    for report in result.reports:
        for piece in (*report.excerpts, *report.quotes):
            if piece.document != doc.id:
                continue
            if not 0 <= piece.start <= piece.end <= size or \
                    doc.text[piece.start:piece.end] != piece.text:
                raise ValueError("an excerpt no longer matches the document text")


# --- a whole merged Extraction, in columns -------------------------------------------------
#
# A warm load of an unchanged corpus decodes one of these instead of every document's result
# and a new merge, so it is laid out to decode fast: every table is a set of integer columns
# (validated a column at a time, not a value at a time), every string is an index into one
# string table, every object that many others share (a date, a participant) is stored once,
# and texts are not stored at all: excerpts and quotes are slices of the document texts the
# caller has just read, so they match them by construction.
#
# The layout is written by hand for the model's current fields; ``EXTRACTION_FIELDS`` names
# them, and if the model's fields differ the codec refuses to write or read (the per-document
# cache still works), so a new field is never silently dropped.

EXTRACTION_FORMAT = 2  # 2: events no longer carry their reports

EXTRACTION_FIELDS: dict[type, tuple[str, ...]] = {
    Document: ("id", "path", "text", "title", "outlet", "url", "language", "published",
               "published_basis", "chrome", "encoding", "warnings"),
    Chrome: ("span", "reason"),
    Span: ("start", "end"),
    DateValue: ("start", "end", "precision", "certainty", "basis"),
    Excerpt: ("document", "start", "end", "text", "key"),
    Quote: ("speaker", "document", "start", "end", "text"),
    Participant: ("name", "entity_id", "role"),
    Event: ("id", "kind", "title", "when", "status", "location", "participants", "topics",
            "sources", "quotes", "disagreements", "is_context"),
    Entity: ("id", "name", "kind", "title", "nationality", "country"),
    Extraction: ("documents", "events", "warnings", "entities"),
}

_NONE = 0  # index of None in the string and date tables
_OPTIONAL, _REQUIRED = 0, 1  # the lowest index a reference into those tables may hold


def _enum_index(cls: type[enum.Enum]) -> dict[Any, int]:
    return {member: n for n, member in enumerate(cls)}


class _Columns:
    """Integer columns of one table, being written a row at a time."""

    def __init__(self, names: tuple[str, ...], lists: tuple[str, ...] = ()) -> None:
        self.names = names
        self.rows: list[tuple[int, ...]] = []
        self.lists: dict[str, list[tuple[int, ...]]] = {name: [] for name in lists}

    def row(self, *values: int) -> None:
        self.rows.append(values)

    def many(self, name: str, values: Iterable[int]) -> None:
        """A list-valued cell of the current row."""
        self.lists[name].append(tuple(values))

    def columns(self) -> dict[str, list[int]]:
        """The table by column; a list-valued cell is the number of its value in a table of
        distinct values (most lists repeat: the same topics, the same two people), which go
        flat in column ``name``, with where each ends in ``name.ends``."""
        data = {name: list(column) for name, column in
                zip(self.names, zip(*self.rows, strict=True), strict=True)} \
            if self.rows else {name: [] for name in self.names}
        for name, cells in self.lists.items():
            distinct: dict[tuple[int, ...], int] = {}
            data[name + ".cell"] = [distinct.setdefault(c, len(distinct)) for c in cells]
            data[name] = list(itertools.chain.from_iterable(distinct))
            data[name + ".ends"] = list(itertools.accumulate(map(len, distinct)))
        return data


class _ExtractionWriter:
    def __init__(self, extraction: Extraction) -> None:
        self.strings: dict[str, int] = {}
        self.string_list: list[str | None] = [None]
        self.docs = {d.id: (n, d.text) for n, d in enumerate(extraction.documents)}
        self.enum = {cls: _enum_index(cls)
                     for cls in (Certainty, EntityKind, EventKind, Precision, Status)}
        self.dates = _Columns(("start", "end", "precision", "certainty", "basis"))
        self.date_ids: dict[Any, int] = {None: _NONE}
        self.dates.row(1, 1, 0, 0, _NONE)  # the None row, never decoded
        self.excerpts = _Columns(("doc", "start", "end", "key_start", "key_end"))
        self.excerpt_ids: dict[Any, int] = {}
        self.quotes = _Columns(("speaker", "doc", "start", "end"))
        self.quote_ids: dict[Any, int] = {}
        self.people = _Columns(("name", "entity", "role"))
        self.people_ids: dict[Any, int] = {}

    def s(self, value: str | None) -> int:
        if value is None:
            return _NONE
        found = self.strings.get(value)
        if found is None:
            found = self.strings[value] = len(self.string_list)
            self.string_list.append(value)
        return found

    def doc(self, document_id: str) -> tuple[int, str]:
        if document_id not in self.docs:
            raise ValueError(f"an excerpt of {document_id!r}, which is not in the corpus")
        return self.docs[document_id]

    def date(self, value: DateValue | None) -> int:
        found = self.date_ids.get(value)
        if found is None:
            found = self.date_ids[value] = len(self.dates.rows)
            self.dates.row(value.start.toordinal(), value.end.toordinal(),
                           self.enum[Precision][value.precision],
                           self.enum[Certainty][value.certainty], self.s(value.basis))
        return found

    def excerpt(self, x: Excerpt) -> int:
        found = self.excerpt_ids.get(id(x))
        if found is None:
            n, text = self.doc(x.document)
            if text[x.start:x.end] != x.text:
                raise ValueError("an excerpt does not match its document")
            found = self.excerpt_ids[id(x)] = len(self.excerpt_ids)
            key = x.key
            self.excerpts.row(n, x.start, x.end, -1 if key is None else key.start,
                              -1 if key is None else key.end)
        return found

    def quote(self, q: Quote) -> int:
        found = self.quote_ids.get(id(q))
        if found is None:
            n, text = self.doc(q.document)
            if text[q.start:q.end] != q.text:
                raise ValueError("a quote does not match its document")
            found = self.quote_ids[id(q)] = len(self.quote_ids)
            self.quotes.row(self.s(q.speaker), n, q.start, q.end)
        return found

    def person(self, p: Participant) -> int:
        found = self.people_ids.get(p)
        if found is None:
            found = self.people_ids[p] = len(self.people_ids)
            self.people.row(self.s(p.name), self.s(p.entity_id), self.s(p.role))
        return found


def extraction_to_dict(extraction: Extraction) -> dict[str, Any]:
    """A merged Extraction (not its texts, paths or warnings) as JSON-ready integer columns.

    ValueError if the model has fields this layout does not know, or an excerpt or quote is
    not the slice of its document it claims to be.
    """
    _check_fields()
    w = _ExtractionWriter(extraction)
    docs = _Columns(("id", "title", "outlet", "url", "language", "published", "basis",
                     "encoding"), ("chrome", "warnings"))
    chrome = _Columns(("start", "end", "reason"))
    for d in extraction.documents:
        docs.row(w.s(d.id), w.s(d.title), w.s(d.outlet), w.s(d.url), w.s(d.language),
                 w.date(d.published), w.s(d.published_basis), w.s(d.encoding))
        for c in d.chrome:
            chrome.row(c.span.start, c.span.end, w.s(c.reason))
        docs.many("chrome", range(len(chrome.rows) - len(d.chrome), len(chrome.rows)))
        docs.many("warnings", [w.s(x) for x in d.warnings])
    events = _Columns(("id", "kind", "title", "when", "status", "location", "is_context"),
                      ("participants", "topics", "sources", "quotes", "disagreements"))
    for e in extraction.events:
        events.row(w.s(e.id), w.enum[EventKind][e.kind], w.s(e.title), w.date(e.when),
                   w.enum[Status][e.status], w.s(e.location), int(e.is_context))
        events.many("participants", [w.person(p) for p in e.participants])
        events.many("topics", [w.s(t) for t in e.topics])
        events.many("sources", [w.excerpt(x) for x in e.sources])
        events.many("quotes", [w.quote(q) for q in e.quotes])
        events.many("disagreements", [w.s(x) for x in e.disagreements])
    entities = _Columns(("id", "name", "kind", "title", "nationality", "country"))
    for n in extraction.entities:
        entities.row(w.s(n.id), w.s(n.name), w.enum[EntityKind][n.kind], w.s(n.title),
                     w.s(n.nationality), w.s(n.country))
    tables = {"dates": w.dates, "documents": docs, "chrome": chrome, "excerpts": w.excerpts,
              "quotes": w.quotes, "participants": w.people, "events": events, "entities": entities}
    return {"format": EXTRACTION_FORMAT, "schema": extraction_fingerprint(),
            "strings": w.string_list, **{k: v.columns() for k, v in tables.items()}}


class _Reader:
    """Validated columns of one table."""

    def __init__(self, data: Any, table: str, names: tuple[str, ...],
                 lists: tuple[str, ...] = ()) -> None:
        columns = data.get(table) if isinstance(data, dict) else None
        if not isinstance(columns, dict):
            raise ValueError(f"no {table} table")
        self.table = table
        self.columns = columns
        first = columns.get(names[0])
        self.size = len(first) if isinstance(first, list | array.array) else 0
        for name in (*names, *(n + ".cell" for n in lists)):
            self.col(name)

    def col(self, name: str, low: int | None = None, high: int | None = None, *,
            row: bool = True) -> Sequence[int]:
        """A column of integers, all within [low, high) when given; one per row if ``row``."""
        values = self.columns.get(name)
        # An int64 array holds nothing but integers; a list must be checked item by item.
        if not ((type(values) is array.array and values.typecode == _INT64)
                or (type(values) is list and set(map(type, values)) <= {int})):
            raise ValueError(f"{self.table}.{name} is not a column of integers")
        if row and len(values) != self.size:
            raise ValueError(f"{self.table}.{name} has the wrong length")
        if values and ((low is not None and min(values) < low)
                       or (high is not None and max(values) >= high)):
            raise ValueError(f"{self.table}.{name} is out of range")
        return values

    def ref(self, name: str, table: list[Any], low: int) -> list[Any]:
        """A column of indices into ``table``, as the items they name.

        The string and date tables hold None at 0: ``low`` is 1 where None is not allowed.
        """
        # An index past the end raises IndexError (a ValueError for the caller): only the
        # low bound, which negative indices would slip under, is checked here.
        return list(map(table.__getitem__, self.col(name, low)))

    def refs(self, name: str, table: list[Any], low: int = 0) -> list[tuple[Any, ...]]:
        """A list-valued column of indices into ``table``, as one tuple of items per row."""
        ends = self.col(name + ".ends", 0, row=False)
        flat = self.col(name, low, row=False)
        starts = [0, *ends[:-1]]
        if any(map(operator.gt, starts, ends)) or (ends[-1] if ends else 0) != len(flat):
            raise ValueError(f"{self.table}.{name} has malformed row ends")
        items = tuple(map(table.__getitem__, flat))
        distinct = list(map(items.__getitem__, map(slice, starts, ends)))
        return list(map(distinct.__getitem__, self.col(name + ".cell", 0)))

    def enums(self, name: str, cls: type[enum.Enum]) -> list[Any]:
        members = list(cls)
        return list(map(members.__getitem__, self.col(name, 0, len(members))))

    def flags(self, name: str) -> list[bool]:
        return list(map(bool, self.col(name, 0, 2)))


_INT64 = "q"
EXTRACTION_MAGIC = b"TVX1"  # opens every encoded Extraction


def extraction_to_bytes(extraction: Extraction) -> bytes:
    """``extraction_to_dict`` packed: a JSON header with the strings, then int64 columns."""
    data = extraction_to_dict(extraction)
    arrays: list[array.array] = []
    for table in data.values():
        if isinstance(table, dict):
            for name, values in table.items():
                arrays.append(array.array(_INT64, values))
                table[name] = len(values)
    if sys.byteorder != "little":
        for column in arrays:
            column.byteswap()
    header = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8", "surrogatepass")
    return b"".join([EXTRACTION_MAGIC, len(header).to_bytes(8, "little"), header,
                     *(column.tobytes() for column in arrays)])


def extraction_from_bytes(blob: bytes, sources: Mapping[str, tuple[str, str]]) -> Extraction:
    """The Extraction ``extraction_to_bytes`` packed; ValueError if anything is malformed."""
    if blob[:4] != EXTRACTION_MAGIC or len(blob) < 12:
        raise ValueError("not a packed Extraction")
    size = int.from_bytes(blob[4:12], "little")
    data = json.loads(blob[12:12 + size].decode("utf-8", "surrogatepass"))
    if not isinstance(data, dict):
        raise ValueError("not a packed Extraction")
    position = 12 + size
    width = array.array(_INT64).itemsize
    for table in data.values():
        if not isinstance(table, dict):
            continue
        for name, count in table.items():
            if type(count) is not int or not 0 <= count <= (len(blob) - position) // width:
                raise ValueError("a packed column is truncated")
            column = array.array(_INT64)
            column.frombytes(blob[position:position + count * width])
            if sys.byteorder != "little":
                column.byteswap()
            table[name] = column
            position += count * width
    if position != len(blob):
        raise ValueError("trailing bytes after the packed columns")
    return extraction_from_dict(data, sources)


def extraction_from_dict(data: Any, sources: Mapping[str, tuple[str, str]]) -> Extraction:
    """The Extraction an ``extraction_to_dict`` mapping describes, without warnings.

    ``sources`` gives each document's (text, path) by id, as just read; the stored documents
    must be exactly those. ValueError if anything is malformed.
    """
    if not isinstance(data, dict) or data.get("format") != EXTRACTION_FORMAT:
        raise ValueError("not a serialized Extraction of this format")
    _check_fields()
    if data.get("schema") != extraction_fingerprint():
        raise ValueError("written for another version of the data model")
    # Millions of new objects and no cycles among them: collecting garbage while they are
    # made only costs time (half the decode).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read_extraction(data, sources)
    except (TypeError, KeyError, AttributeError, OverflowError, IndexError) as exc:
        raise ValueError(f"malformed Extraction: {exc}") from exc
    finally:
        if collecting:
            gc.enable()


def _read_extraction(data: dict[str, Any], sources: Mapping[str, tuple[str, str]]) -> Extraction:
    strings = data["strings"]
    if type(strings) is not list or not strings or strings[0] is not None or \
            not set(map(type, strings[1:])) <= {str}:
        raise ValueError("malformed string table")

    t = _Reader(data, "dates", ("start", "end", "precision", "certainty", "basis"))
    top = dt.date.max.toordinal() + 1
    starts, ends = t.col("start", 1, top), t.col("end", 1, top)
    days = {n: dt.date.fromordinal(n) for n in {*starts, *ends}}  # a few thousand distinct
    bases = t.ref("basis", strings, _OPTIONAL)
    if None in bases[1:]:
        raise ValueError("a date without a basis")
    dates: list[DateValue | None] = [None, *itertools.islice(map(
        DateValue, map(days.__getitem__, starts), map(days.__getitem__, ends),
        t.enums("precision", Precision), t.enums("certainty", Certainty), bases), 1, None)]

    t = _Reader(data, "chrome", ("start", "end", "reason"))
    chrome = [Chrome(Span(a, b), reason) for a, b, reason in zip(
        t.col("start", 0), t.col("end", 0), t.ref("reason", strings, _REQUIRED), strict=True)]

    t = _Reader(data, "documents", ("id", "title", "outlet", "url", "language", "published",
                                    "basis", "encoding"), ("chrome", "warnings"))
    ids = t.ref("id", strings, _REQUIRED)
    if set(ids) != set(sources) or len(ids) != len(sources):
        raise ValueError("the stored documents are not the ones read")
    documents: list[Document] = []
    texts: list[str] = []
    for (doc_id, title, outlet, url, language, published, basis, encoding, spans,
         warnings) in zip(
            ids, t.ref("title", strings, _REQUIRED), t.ref("outlet", strings, _OPTIONAL),
            t.ref("url", strings, _OPTIONAL), t.ref("language", strings, _OPTIONAL),
            t.ref("published", dates, _OPTIONAL), t.ref("basis", strings, _OPTIONAL),
            t.ref("encoding", strings, _REQUIRED), t.refs("chrome", chrome),
            t.refs("warnings", strings, _REQUIRED), strict=True):
        text, path = sources[doc_id]
        if any(c.span.end > len(text) for c in spans):
            raise ValueError("chrome span beyond the end of the text")
        documents.append(Document(doc_id, path, text, title, outlet, url, language,
                                  published, basis, spans, encoding, warnings))
        texts.append(text)

    excerpts = _slices(data, "excerpts", ("key_start", "key_end"), documents, texts, strings)
    quotes = _slices(data, "quotes", ("speaker",), documents, texts, strings)

    t = _Reader(data, "participants", ("name", "entity", "role"))
    people = list(map(Participant, t.ref("name", strings, _REQUIRED),
                      t.ref("entity", strings, _REQUIRED), t.ref("role", strings, _OPTIONAL)))

    t = _Reader(data, "events", ("id", "kind", "title", "when", "status", "location",
                                 "is_context"),
                ("participants", "topics", "sources", "quotes", "disagreements"))
    events = _instances(
        Event, t.ref("id", strings, _REQUIRED), t.enums("kind", EventKind),
        t.ref("title", strings, _REQUIRED), t.ref("when", dates, _OPTIONAL),
        t.enums("status", Status), t.ref("location", strings, _OPTIONAL),
        t.refs("participants", people), t.refs("topics", strings, _REQUIRED),
        t.refs("sources", excerpts), t.refs("quotes", quotes),
        t.refs("disagreements", strings, _REQUIRED), t.flags("is_context"))

    t = _Reader(data, "entities", ("id", "name", "kind", "title", "nationality", "country"))
    entities = list(map(
        Entity, t.ref("id", strings, _REQUIRED), t.ref("name", strings, _REQUIRED),
        t.enums("kind", EntityKind), t.ref("title", strings, _OPTIONAL),
        t.ref("nationality", strings, _OPTIONAL), t.ref("country", strings, _OPTIONAL)))
    return Extraction(tuple(documents), tuple(events), (), tuple(entities))


def _instances(cls: type, *columns: Iterable[Any]) -> list[Any]:
    """Instances of a frozen dataclass from its field values, column by column."""
    if len(columns) != len(dataclasses.fields(cls)):
        raise TypeError(f"{cls.__name__} takes {len(dataclasses.fields(cls))} fields")
    return list(map(_constructor(cls), zip(*columns, strict=True)))


@functools.cache
def _constructor(cls: type) -> Callable[[Sequence[Any]], Any]:
    """A function making an instance of a frozen dataclass from all its field values, in order.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``, the
    slowest step of decoding; a class with a plain ``__dict__`` and no ``__post_init__``
    gets its whole dict at once instead (same object, twice as fast).
    """
    if hasattr(cls, "__slots__") or hasattr(cls, "__post_init__"):
        return lambda values: cls(*values)
    names = tuple(f.name for f in dataclasses.fields(cls))
    new, set_attribute = object.__new__, object.__setattr__

    def make(values: Sequence[Any]) -> Any:
        instance = new(cls)
        set_attribute(instance, "__dict__", dict(zip(names, values, strict=True)))
        return instance
    return make


def _slices(data: dict[str, Any], table: str, extra: tuple[str, ...], documents: list[Any],
            texts: list[str], strings: list[str | None]) -> list[Any]:
    """Excerpts or quotes, their text cut from the document text (so it matches by design)."""
    t = _Reader(data, table, ("doc", "start", "end", *extra))
    docs = t.col("doc", 0, len(documents))
    starts, ends = t.col("start", 0), t.col("end", 0)
    sizes = list(map(len, texts))
    if any(map(operator.gt, starts, ends)) or \
            any(map(operator.gt, ends, map(sizes.__getitem__, docs))):
        raise ValueError(f"{table}: a span beyond its document")
    ids = list(map(operator.attrgetter("id"), map(documents.__getitem__, docs)))
    cut = list(map(operator.getitem, map(texts.__getitem__, docs), map(slice, starts, ends)))
    if table == "quotes":
        return list(map(Quote, t.ref("speaker", strings, _OPTIONAL), ids, starts, ends, cut))
    keys = [None if a < 0 else Span(a, b) for a, b in zip(
        t.col("key_start", -1), t.col("key_end", -1), strict=True)]
    return list(map(Excerpt, ids, starts, ends, cut, keys))


@functools.cache
def extraction_fingerprint() -> str:
    """A short hash of the Extraction layout this codec writes and the model's enum values."""
    described = {cls.__qualname__: fields for cls, fields in EXTRACTION_FIELDS.items()}
    described["enums"] = [[m.value for m in cls]
                          for cls in (Certainty, EntityKind, EventKind, Precision, Status)]
    text = json.dumps([EXTRACTION_FORMAT, described, schema_fingerprint()], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _check_fields() -> None:
    for cls, names in EXTRACTION_FIELDS.items():
        if tuple(f.name for f in dataclasses.fields(cls)) != names:
            raise ValueError(f"the model's {cls.__name__} has fields this layout does not know")
