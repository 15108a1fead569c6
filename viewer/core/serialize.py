"""A lossless, validating dict (JSON-ready) form of ``DocumentResult``, for the on-disk cache.

The cache lives on disk where anything may have changed it, so reading it back must never
run code (no pickle) and must never hand the app an object that breaks the model's
promises: every value is checked against the field's declared type, and every excerpt and
quote of the document must still be the exact slice of its text.

The encoders and decoders are derived once per class from the model's type hints, so a field
the model gains is serialized without touching this module.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import json
import operator
import types
import typing
from collections.abc import Callable
from typing import Any

from viewer.core.model import DocumentResult

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


@functools.cache
def _encoder(tp: Any) -> Encoder:
    optional, inner = _is_optional(tp)
    if optional:
        enc = _encoder(inner)
        return lambda v: None if v is None else enc(v)
    if inner in (str, int, bool, float):
        return lambda v: v
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        return lambda v: v.value
    if inner is dt.date:
        return lambda v: v.isoformat()
    if _is_var_tuple(inner):
        item = _encoder(typing.get_args(inner)[0])
        return lambda v: [item(x) for x in v]
    if dataclasses.is_dataclass(inner):
        hints = _hints(inner)
        getters = [(operator.attrgetter(f.name), _encoder(hints[f.name]))
                   for f in dataclasses.fields(inner)]
        # Positional lists, not dicts: half the JSON, and the cache reads back twice as fast.
        return lambda v: [e(get(v)) for get, e in getters]
    raise TypeError(f"cannot serialize values of type {inner!r}")


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
        item = _decoder(typing.get_args(inner)[0])

        def tuple_of(v: Any) -> tuple[Any, ...]:
            if not isinstance(v, list):
                raise ValueError("expected a list")
            return tuple(item(x) for x in v)
        return tuple_of
    if dataclasses.is_dataclass(inner):
        return _dataclass_decoder(inner)
    raise TypeError(f"cannot deserialize values of type {inner!r}")


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

    def decode(v: Any) -> Any:
        if not isinstance(v, list) or len(v) != count:
            raise ValueError(f"expected a list of the {count} fields of {cls.__name__}")
        return cls(*[dec(x) for dec, x in zip(decs, v, strict=True)])
    return decode


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
