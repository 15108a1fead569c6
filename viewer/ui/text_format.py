"""Text helpers shared by the model, the detail pane and the source viewer: dates and safe HTML."""

from __future__ import annotations

import datetime as dt
import html

from viewer.core.model import Certainty, DateValue, Precision

UNDATED = "undated"
_DASH = "\u2013"
# Spelled out rather than strftime'd: Qt sets the C locale from the environment, and the
# app's dates should read the same everywhere.
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _mon(day: dt.date) -> str:
    return _MONTHS[day.month - 1][:3]


def _month(day: dt.date) -> str:
    return _MONTHS[day.month - 1]


def escape(text: str) -> str:
    """Escape article-derived text for use inside Qt rich text."""
    return html.escape(text, quote=True)


def _day_month_year(day: dt.date) -> str:
    return f"{day.day} {_mon(day)} {day.year}"


def _short_span(start: dt.date, end: dt.date) -> str:
    # Share what the two ends have in common: "12–15 Oct 2021", "28 Oct – 2 Nov 2021".
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}{_DASH}{end.day} {_mon(end)} {end.year}"
    if start.year == end.year:
        return f"{start.day} {_mon(start)} {_DASH} {_day_month_year(end)}"
    return f"{_day_month_year(start)} {_DASH} {_day_month_year(end)}"


def format_date(value: DateValue | None) -> str:
    """A compact date at its precision: "19 Oct 2021", "Oct 2021", "2021", "12–15 Oct 2021"."""
    if value is None:
        return UNDATED
    start, end = value.start, value.end
    if value.precision is Precision.DAY:
        return _short_span(start, end) if value.is_span else _day_month_year(start)
    if value.precision is Precision.MONTH:
        if (start.year, start.month) == (end.year, end.month):
            return f"{_mon(start)} {start.year}"
        if start.year == end.year:
            return f"{_mon(start)} {_DASH} {_mon(end)} {end.year}"
        return f"{_mon(start)} {start.year} {_DASH} {_mon(end)} {end.year}"
    if start.year == end.year:
        return f"{start.year}"
    return f"{start.year}{_DASH}{end.year}"


def format_date_long(value: DateValue | None) -> str:
    """A date for reading: "Tuesday 19 Oct 2021", "October 2021", "2021", "12–15 Oct 2021"."""
    if value is None:
        return "Undated"
    if value.precision is Precision.DAY and not value.is_span:
        return f"{_WEEKDAYS[value.start.weekday()]} {_day_month_year(value.start)}"
    if value.precision is Precision.MONTH:
        start, end = value.start, value.end
        if (start.year, start.month) == (end.year, end.month):
            return f"{_month(start)} {start.year}"
        return f"{_month(start)} {start.year} {_DASH} {_month(end)} {end.year}"
    return format_date(value)


def describe_date(value: DateValue | None) -> str:
    """The date with how it was arrived at: "Tuesday 19 Oct 2021 · inferred · 'on Tuesday', ..."."""
    if value is None:
        return "Undated: no date could be resolved"
    parts = [format_date_long(value), value.certainty.value]
    basis = value.basis.strip()
    # A bare "stated" basis repeats the certainty; only say it once.
    if basis and basis.casefold() not in {c.value for c in Certainty}:
        parts.append(basis)
    return " \u00b7 ".join(parts)


def format_published(value: DateValue | None) -> str:
    """A publication date in short, marked when not stated: "20 Oct 2021 (uncertain)"."""
    if value is None:
        return "date unknown"
    if value.certainty is Certainty.STATED:
        return format_date(value)
    return f"{format_date(value)} ({value.certainty.value})"


def describe_published(value: DateValue | None) -> str:
    """A publication date with how it was found, written as ``describe_date`` writes dates."""
    if value is None:
        return "Publication date unknown"
    return f"Published {describe_date(value)}"


def highlight_html(
    text: str, key_start: int | None, key_end: int | None, mark_style: str = "font-weight:600"
) -> str:
    """Escape ``text`` for rich text and wrap ``text[key_start:key_end]`` in a styled span.

    Offsets are relative to ``text``; out-of-range keys are clamped and an empty key
    marks nothing. Line breaks become ``<br>`` so the excerpt keeps its shape.
    """
    if key_start is None or key_end is None:
        return _with_breaks(escape(text))
    start = max(0, min(len(text), key_start))
    end = max(start, min(len(text), key_end))
    if start == end:
        return _with_breaks(escape(text))
    before, key, after = text[:start], text[start:end], text[end:]
    marked = f'<span style="{escape(mark_style)}">{escape(key)}</span>'
    return _with_breaks(escape(before) + marked + escape(after))


def _with_breaks(escaped: str) -> str:
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def to_qt_offset(text: str, offset: int) -> int:
    """Convert a Python (code point) offset into ``text`` to a Qt (UTF-16 code unit) position."""
    return len(text[:offset].encode("utf-16-le")) // 2


def from_qt_offset(text: str, position: int) -> int:
    """Convert a Qt (UTF-16 code unit) position in ``text`` back to a Python offset."""
    units = text.encode("utf-16-le")[: 2 * max(0, position)]
    return len(units.decode("utf-16-le", errors="ignore"))
