"""Where things go on the timeline: time to x, axis ticks, lanes, cluster badges, hit tests.

Pure Python (no Qt), so the geometry is tested without a display. Time is a float count
of days since 1970-01-01 ("day numbers"); an event covers ``[start, end)``, its first day
to the day after its last. Lanes are packed in *world* pixels (``day / days_per_pixel``)
so that panning at one zoom level reuses the whole layout and only shifts it:
screen x = world x - ``scale.start_day / days_per_pixel``.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import accumulate, chain, compress, pairwise, repeat

from viewer.core.memory import collection_paused
from viewer.core.model import Certainty, EventKind, Precision

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
FIRST_DAY = float(dt.date(1, 1, 1).toordinal() - EPOCH_ORDINAL)
LAST_DAY = float(dt.date(9999, 12, 31).toordinal() - EPOCH_ORDINAL)
# Events are known to the day at best: two minutes a pixel (a day across a window, ticks
# a few hours apart) is as close as zooming in goes; fit-all never shows less than two weeks.
MIN_DAYS_PER_PIXEL = 1.0 / (24 * 30)
MAX_DAYS_PER_PIXEL = 366.0 * 10  # ten years a pixel
MIN_FIT_DAYS = 14.0

MIN_LABEL_ROOM = 40.0  # narrower than this, an elided label says nothing

LabelWidth = Callable[[str], float]
ELLIPSIS = "\u2026"


def estimated_label_width(text: str) -> float:
    """A font-free label width estimate (7 px a character), for tests and headless use."""
    return 7.0 * len(text)


class CharWidths(dict[str, float]):
    """Advance widths by character, each measured once by ``measure``: a title's width is
    then a sum of lookups, not a text layout per title (100,000 titles, most seen once)."""

    SLACK = 1.03  # shaping and kerning mostly narrow a text; this covers what widens it

    def __init__(self, measure: LabelWidth) -> None:
        super().__init__()
        self._measure = measure

    def __missing__(self, char: str) -> float:
        width = self[char] = self._measure(char)
        return width

    def width(self, text: str) -> float:
        """A slightly generous estimate of the width of ``text``, for packing and eliding."""
        return sum(map(self.__getitem__, text)) * self.SLACK + 1.0 if text else 0.0

    def elide(self, text: str, room: float) -> str:
        """``text`` cut to fit ``room`` with an ellipsis at the end, measured as ``width``
        measures (no text layout: a frame elides a hundred labels); "" when nothing fits."""
        if self.width(text) <= room + _ELIDE_TOLERANCE:
            return text
        budget = (room - 1.0) / self.SLACK - self[ELLIPSIS]
        if budget <= 0:
            return ""
        reach = list(accumulate(map(self.__getitem__, text)))
        return text[:bisect_right(reach, budget)].rstrip() + ELLIPSIS


# A room computed as exactly a label's width comes back through screen and world x with
# rounding in the last bits; without slack the label would lose its last letters to them.
_ELIDE_TOLERANCE = 0.5


def day_of_date(day: dt.date) -> float:
    """The day number of a date."""
    return float(day.toordinal() - EPOCH_ORDINAL)


def date_of_day(day: float) -> dt.date:
    """The calendar date a (possibly fractional) day number falls on, clamped to 1..9999."""
    clamped = min(max(day, FIRST_DAY), LAST_DAY)
    return dt.date.fromordinal(math.floor(clamped) + EPOCH_ORDINAL)


# --- the scale -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeScale:
    """A linear map from day numbers to x: ``start_day`` sits at x=0."""

    start_day: float
    days_per_pixel: float

    def x_of(self, day: float) -> float:
        """The x of a day number."""
        return (day - self.start_day) / self.days_per_pixel

    def day_of(self, x: float) -> float:
        """The day number at an x."""
        return self.start_day + x * self.days_per_pixel

    def zoomed(self, factor: float, around_x: float) -> TimeScale:
        """Zoom in by ``factor`` (>1 magnifies) keeping the day under ``around_x`` in place."""
        dpp = clamp_days_per_pixel(self.days_per_pixel / factor)
        anchor = self.day_of(around_x)
        return TimeScale(anchor - around_x * dpp, dpp)

    def panned(self, dx: float) -> TimeScale:
        """Move the content ``dx`` pixels to the right."""
        return TimeScale(self.start_day - dx * self.days_per_pixel, self.days_per_pixel)

    def world_offset(self) -> float:
        """The world x shown at screen x=0."""
        return self.start_day / self.days_per_pixel

    @staticmethod
    def fit(first_day: float, last_day: float, width: float, margin: float = 24.0,
            min_days: float = 1.0) -> TimeScale:
        """The scale that shows ``[first_day, last_day]`` (at least ``min_days``, centred)
        within ``width`` less a margin."""
        usable = max(1.0, width - 2 * margin)
        span = max(last_day - first_day, min_days, 1.0)
        dpp = clamp_days_per_pixel(span / usable)
        centre = (first_day + last_day) / 2
        return TimeScale(centre - width / 2 * dpp, dpp)


def fit_all_scale(
    first_day: float, last_day: float, width: float, label_room: float = 0.0,
    margin: float = 24.0, min_days: float = MIN_FIT_DAYS,
) -> TimeScale:
    """The fit-all scale: the data with ``label_room`` pixels to spare after the last day,
    never closer than ``min_days`` across, so a week of events does not zoom to hours."""
    scale = TimeScale.fit(first_day, last_day, width, margin, min_days)
    if label_room <= 0 or width <= label_room * 2:
        return scale
    # Labels hang right of their markers: the last day sits ``label_room`` before the margin.
    if last_day - first_day >= min_days:
        dpp = clamp_days_per_pixel((last_day - first_day) / (width - 2 * margin - label_room))
        return TimeScale(first_day - margin * dpp, dpp)
    # Short data is padded to min_days around its centre anyway; shift it left instead,
    # never past the left margin.
    shift = max(0.0, min(label_room / 2, scale.x_of(first_day) - margin))
    return scale.panned(-shift)


def clamp_days_per_pixel(dpp: float) -> float:
    """Keep the zoom between two minutes and ten years a pixel."""
    return min(max(dpp, MIN_DAYS_PER_PIXEL), MAX_DAYS_PER_PIXEL)


# --- axis ticks ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tick:
    """One axis tick: its x, its label, and whether it marks a coarser boundary."""

    x: float
    label: str
    major: bool


@dataclass(frozen=True, slots=True)
class _Step:
    unit: str  # "hour" | "day" | "week" | "month" | "year"
    count: int
    min_days: float  # the shortest gap between two ticks, for a quick spacing check
    sample: str  # the widest label this step can write


_STEPS = (
    *(_Step("hour", n, n / 24, "Wed 28 Sep") for n in (1, 2, 3, 6, 12)),
    _Step("day", 1, 1, "Wed 28 Sep"),
    _Step("day", 2, 2, "Wed 28 Sep"),
    _Step("week", 1, 7, "Wed 28 Sep"),
    _Step("week", 2, 14, "Wed 28 Sep"),
    *(_Step("month", n, 28 * n - 3 * (n > 1), "Sep 2000") for n in (1, 3, 6)),
    *(_Step("year", n, 365 * n, "2000") for n in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)),
)
_MONDAY_PHASE = 4  # 1970-01-05, day 4, was a Monday


def ticks(
    scale: TimeScale, width: float, label_width: LabelWidth = estimated_label_width,
    gap: float = 12.0, pad: float = 3.0, min_step_days: float = 0.0,
) -> list[Tick]:
    """Axis ticks for the visible range, as fine as their labels allow without overlapping.

    Labels are drawn left-aligned ``pad`` pixels right of their tick line; a label that
    would run past ``width`` is left out (its tick keeps an empty label). Steps finer than
    ``min_step_days`` are skipped (1.0 keeps hour ticks off a fit-all view).
    """
    first, last = scale.day_of(0), scale.day_of(width)
    for step in _STEPS:
        if step.min_days < min_step_days - 1e-9:
            continue
        if step.min_days / scale.days_per_pixel < label_width(step.sample) + gap:
            continue
        candidate = _ticks_for_step(step, scale, first, last)
        if _labels_fit(candidate, label_width, gap):
            return _clip_labels(candidate, width, label_width, pad)
    return []


def _clip_labels(candidate: list[Tick], width: float, label_width: LabelWidth,
                 pad: float) -> list[Tick]:
    return [t if t.x + pad + label_width(t.label) <= width else Tick(t.x, "", t.major)
            for t in candidate]


def _labels_fit(candidate: list[Tick], label_width: LabelWidth, gap: float) -> bool:
    return all(b.x - a.x >= label_width(a.label) + gap for a, b in pairwise(candidate))


def _ticks_for_step(step: _Step, scale: TimeScale, first: float, last: float) -> list[Tick]:
    first, last = max(first, FIRST_DAY), min(last, LAST_DAY)
    if step.unit == "year":
        return _year_ticks(step.count, scale, first, last)
    if step.unit == "month":
        return _month_ticks(step.count, scale, first, last)
    if step.unit == "hour":
        return _regular_ticks(step.count / 24, 0.0, scale, first, last, _hour_tick)
    if step.unit == "week":
        return _with_years(_regular_ticks(7.0 * step.count, _MONDAY_PHASE, scale, first, last,
                                          _week_tick), scale)
    return _with_years(_regular_ticks(float(step.count), 0.0, scale, first, last, _day_tick),
                       scale)


def _with_years(ticks: list[Tick], scale: TimeScale) -> list[Tick]:
    """Day labels name their year on the first tick and where the year turns, so a view of a
    few weeks says which year it shows."""
    out: list[Tick] = []
    shown: int | None = None
    for tick in ticks:
        year = date_of_day(scale.day_of(tick.x) + 0.5).year
        if year != shown:
            tick = Tick(tick.x, f"{tick.label} {year}", tick.major)
            shown = year
        out.append(tick)
    return out


def _regular_ticks(
    step_days: float, phase: float, scale: TimeScale, first: float, last: float,
    tick_at: Callable[[float, float], Tick],
) -> list[Tick]:
    k = math.ceil((first - phase) / step_days)
    out = []
    while (t := phase + k * step_days) <= last:
        out.append(tick_at(t, scale.x_of(t)))
        k += 1
    return out


def _day_label(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _hour_tick(t: float, x: float) -> Tick:
    hour = round((t - math.floor(t)) * 24) % 24
    if hour == 0:
        return Tick(x, _day_label(date_of_day(t + 0.5 / 24)), True)
    return Tick(x, f"{hour:02d}:00", False)


def _day_tick(t: float, x: float) -> Tick:
    day = date_of_day(t + 0.5)
    return Tick(x, _day_label(day), day.day == 1)


def _week_tick(t: float, x: float) -> Tick:
    day = date_of_day(t + 0.5)
    return Tick(x, _day_label(day), day.day <= 7)


def _month_ticks(count: int, scale: TimeScale, first: float, last: float) -> list[Tick]:
    start = date_of_day(first)
    month_index = start.year * 12 + start.month - 1
    month_index -= month_index % count
    out = []
    while True:
        year, month0 = divmod(month_index, 12)
        if year > 9999:
            break
        t = day_of_date(dt.date(year, month0 + 1, 1))
        if t > last:
            break
        if t >= first:
            label = f"{dt.date(year, month0 + 1, 1):%b} {year}"
            out.append(Tick(scale.x_of(t), label, month0 == 0))
        month_index += count
    return out


def _year_ticks(count: int, scale: TimeScale, first: float, last: float) -> list[Tick]:
    year = date_of_day(first).year
    year = max(1, year - year % count)
    out = []
    while year <= 9999:
        t = day_of_date(dt.date(year, 1, 1))
        if t > last:
            break
        if t >= first:
            out.append(Tick(scale.x_of(t), str(year), year % (10 * count) == 0))
        year += count
    return out


def range_label(scale: TimeScale, width: float) -> str:
    """The visible range in words, coarse or fine to suit the zoom: "1990 – 2024", "3 Mar 2025"."""
    # The right edge is where the visible range ends, not a day that is shown.
    first, last = date_of_day(scale.day_of(0)), date_of_day(scale.day_of(width) - 1e-6)
    span = scale.days_per_pixel * width
    if span > 3 * 365:
        return f"{first.year} \u2013 {last.year}"
    if span > 90:
        return f"{first:%b %Y} \u2013 {last:%b %Y}"
    if first == last:
        return f"{first:%a} {first.day} {first:%b %Y}"
    return f"{first.day} {first:%b %Y} \u2013 {last.day} {last:%b %Y}"


# --- items and lanes -------------------------------------------------------------------------


@dataclass(slots=True)
class TimelineItem:
    """One dated event as the timeline needs it; ``end`` is the day after its last day.

    Never changed once made, but not frozen: a new zoom builds a few hundred of these,
    and a frozen dataclass takes three times as long to build (``object.__setattr__`` for
    each field). Equal by value, never hashed.
    """

    row: int
    start: float
    end: float
    precision: Precision
    kind: EventKind
    title: str
    certainty: Certainty = Certainty.STATED
    planned: bool = False
    context: bool = False
    # A single known day is drawn as a marker; spans and months/years as bars. Stored,
    # not computed, because packing and painting ask it several times per item.
    is_point: bool = field(init=False)

    def __post_init__(self) -> None:
        self.is_point = self.precision is Precision.DAY and self.end - self.start <= 1.0


@dataclass(frozen=True, slots=True)
class LaneGeometry:
    """Sizes in pixels that decide the packing; the widget derives them from its font."""

    top: float = 8.0
    lane_height: float = 22.0
    max_lanes: int = 8
    marker_size: float = 12.0
    bar_height: float = 12.0
    min_bar_width: float = 4.0
    label_gap: float = 4.0
    box_gap: float = 8.0
    max_label_width: float = 180.0
    bar_padding: float = 4.0
    bucket_width: float = 44.0
    badge_height: float = 18.0

    def lane_centre(self, lane: int) -> float:
        """The y of the middle of a lane."""
        return self.top + (lane + 0.5) * self.lane_height

    def cluster_row_centre(self) -> float:
        """The y of the middle of the badge row, below the last lane."""
        return self.top + self.max_lanes * self.lane_height + self.badge_height / 2 + 2

    def bottom(self) -> float:
        """The y just below the badge row."""
        return self.top + self.max_lanes * self.lane_height + self.badge_height + 4


def lanes_for_height(height: float, lane_height: float, reserved: float) -> int:
    """How many lanes fit in ``height`` pixels after ``reserved`` ones (axis, badges, margins)."""
    return max(1, int((height - reserved) // lane_height))


@dataclass(slots=True)
class PlacedItem:
    """An item placed in a lane, in world x: its marker or bar and its (maybe hidden) label.

    Not frozen, though nothing changes one once placed: a new zoom places a few hundred,
    and a frozen dataclass is four times as slow to build. Equal by value, never hashed.
    """

    item: TimelineItem
    lane: int
    x0: float  # marker or bar left
    x1: float  # marker or bar right
    label_x: float
    label_width: float  # 0 when there was no room for the label
    label_inside: bool  # the label sits inside a bar wide enough for it
    title_width: float = 0.0  # the whole title's width, which free space may let it use

    @property
    def row(self) -> int:
        """The model row of the event."""
        return self.item.row

    @property
    def centre_x(self) -> float:
        """The x of the marker's centre or the bar's middle."""
        return (self.x0 + self.x1) / 2

    @property
    def right(self) -> float:
        """The rightmost x anything of this item is drawn at."""
        return max(self.x1, self.label_x + self.label_width) if self.label_width else self.x1


@dataclass(frozen=True, slots=True)
class Cluster:
    """Items folded into one badge ("+37") because no lane had room; clicking zooms to them."""

    x: float  # world x of the badge centre
    width: float
    rows: Sequence[int]  # in no particular order
    first_day: float
    last_day: float  # exclusive, like an item's end

    @property
    def count(self) -> int:
        """How many events the badge stands for."""
        return len(self.rows)

    @property
    def label(self) -> str:
        """The badge text: "+37", "+1.2k", "+12k"."""
        n = self.count
        if n < 1000:
            return f"+{n}"
        if n < 10_000:
            return f"+{n / 1000:.1f}k"
        return f"+{n // 1000}k"


class Lane:
    """Boxes in one lane, disjoint and kept sorted, so their ends are sorted too."""

    __slots__ = ("ends", "items", "starts")

    def __init__(self) -> None:
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.items: list[PlacedItem] = []

    def slot(self, start: float, end: float) -> int | None:
        """Where a box ``[start, end)`` would go, or None when it overlaps another box."""
        i = bisect_right(self.ends, start)
        if i < len(self.starts) and self.starts[i] < end:
            return None
        return i

    def insert(self, i: int, start: float, end: float, placed: PlacedItem) -> None:
        """Put a box at the slot ``slot`` returned."""
        if i == len(self.starts):  # the common case: packing goes left to right
            self.starts.append(start)
            self.ends.append(end)
            self.items.append(placed)
            return
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        self.items.insert(i, placed)

    def between(self, x0: float, x1: float) -> list[PlacedItem]:
        """The items whose box reaches into ``[x0, x1]``."""
        i = bisect_right(self.ends, x0)
        j = bisect_right(self.starts, x1, lo=i)
        return self.items[i:j]


@dataclass(frozen=True)
class TimelineLayout:
    """Everything placed at one zoom level, in world x."""

    days_per_pixel: float
    geometry: LaneGeometry
    lanes: tuple[Lane, ...]
    clusters: tuple[Cluster, ...]
    placed: dict[int, PlacedItem]
    folded: Mapping[int, Cluster]  # row -> the badge it folded into

    def visible(self, x0: float, x1: float) -> tuple[list[PlacedItem], list[Cluster]]:
        """The placed items and badges that reach into world ``[x0, x1]``."""
        items = [p for lane in self.lanes for p in lane.between(x0, x1)]
        xs = [c.x for c in self.clusters]
        half = self.geometry.bucket_width / 2
        clusters = list(self.clusters[bisect_left(xs, x0 - half): bisect_right(xs, x1 + half)])
        return items, clusters

    def visible_on(self, scale: TimeScale, width: float) -> tuple[list[PlacedItem], list[Cluster]]:
        """The items and badges on screen for ``scale`` and ``width``."""
        offset = scale.world_offset()
        return self.visible(offset, offset + width)

    def used_lanes(self) -> int:
        """How many lanes, from the top, hold anything (at least one)."""
        return 1 + max((i for i, lane in enumerate(self.lanes) if lane.items), default=0)

    def label_limit(self, placed: PlacedItem) -> float:
        """The world x a label of ``placed`` may run to: the next box in its lane, less the gap.

        Packing reserves only the capped label width; the room up to the next neighbour is
        free too, so long titles use it instead of eliding early.
        """
        if placed.label_inside:
            return placed.x1 - self.geometry.bar_padding
        lane = self.lanes[placed.lane]
        i = bisect_right(lane.starts, placed.x0)
        return lane.starts[i] - self.geometry.box_gap if i < len(lane.starts) else math.inf

    def label_right(self, placed: PlacedItem, text_width: float | None = None) -> float:
        """The world x a label drawn ``text_width`` wide (default: the title) ends at, after
        eliding to the room up to the next box; ``label_x`` when there is no room for one."""
        if placed.label_inside:
            return placed.label_x + placed.label_width
        wanted = placed.title_width if text_width is None else text_width
        right = min(placed.label_x + max(wanted, placed.label_width), self.label_limit(placed))
        if placed.label_width == 0 and right - placed.label_x < MIN_LABEL_ROOM:
            return placed.label_x
        return right


def spread_lanes(layout: TimelineLayout, bottom: float, max_growth: float = 2.0,
                 min_lanes: int = 1) -> TimelineLayout:
    """The layout with its used lanes grown (at most ``max_growth`` times) and the block
    centred between the top and ``bottom`` (the axis), so a dozen events fill the view as a
    composed block rather than crowding one edge over empty space; a full view is left as is.

    ``min_lanes`` spreads at least that many lanes (those of the window panned from, so
    lanes do not jump in height when a pan reaches a quieter stretch)."""
    g = layout.geometry
    used = min(max(layout.used_lanes(), min_lanes), len(layout.lanes))
    below = g.bottom() - g.top - g.max_lanes * g.lane_height if layout.clusters else 6.0
    room = bottom - g.top - below
    lane_height = max(g.lane_height, min(g.lane_height * max_growth, room / used))
    top = g.top + max(0.0, (room - used * lane_height) / 2)
    spread = replace(g, top=top, lane_height=lane_height, max_lanes=used)
    return replace(layout, geometry=spread)


# After this many items of one bucket found no lane, the rest of that bucket
# folds untried: the lanes over a dense stretch stay full, and trying every lane for
# each of thousands of items there is what made far zooms slow.
_FAILURES_PER_BUCKET = 4
_RANKS = {Precision.DAY: 0, Precision.MONTH: 1, Precision.YEAR: 2}


def pass_index(precision: Precision, context: bool) -> int:
    """The packing pass of an item: day-precise, non-context events get lanes first (they
    are what the reader came for); month- and year-wide bars and background context fill
    what is left."""
    return 3 * context + _RANKS.get(precision, 2)


@dataclass(frozen=True)
class PackOrder:
    """Dated items in the order ``pack_lanes`` places them, as flat columns, sorted once per
    data change and shared by every zoom level.

    ``runs`` are the ``[lo, hi)`` index ranges of one pass, each sorted by start, so a
    crowded bucket folds with one bisect and a window finds its items with two;
    ``spans`` the longest item (in days) of each run. ``item`` builds the ``TimelineItem``
    of a row on demand: only items that get a try need one.
    """

    rows: Sequence[int]
    starts: Sequence[float]
    ends: Sequence[float]
    runs: tuple[tuple[int, int], ...]
    spans: tuple[float, ...]
    item: Callable[[int], TimelineItem]
    # The pass (``pass_index``) of each run, when known: a day-precise run tells markers
    # from bars by the columns alone, so packing builds only the items that get a lane.
    passes: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)


def pack_order_of(
    rows: Sequence[int], starts: Sequence[float], ends: Sequence[float],
    passes: Sequence[int], item: Callable[[int], TimelineItem],
) -> PackOrder:
    """The pack order of items given as columns (one entry per item, ``passes`` from
    ``pass_index``); ``item`` builds an item from its row when packing needs it."""
    order = _sorted_indices(starts, ends, passes)
    if not order:
        return PackOrder((), (), (), (), (), item)
    gather = operator.itemgetter(*order) if len(order) > 1 else (lambda c: (c[order[0]],))
    kinds, s, e, r = gather(passes), gather(starts), gather(ends), gather(rows)
    runs, spans, run_passes = [], [], []
    lo = 0
    while lo < len(kinds):
        hi = bisect_right(kinds, kinds[lo], lo)
        runs.append((lo, hi))
        spans.append(max(map(operator.sub, e[lo:hi], s[lo:hi])))
        run_passes.append(kinds[lo])
        lo = hi
    return PackOrder(r, s, e, tuple(runs), tuple(spans), item, tuple(run_passes))


Gather = Callable[[Sequence[int]], Sequence[int]]


def pack_gather(order: PackOrder) -> Gather:
    """A function reading any per-row column (indexed by row) in ``order``'s pack order,
    made once per pack order: one C-level call per column instead of a Python-visible
    lookup per row."""
    rows = order.rows
    if len(rows) > 1:
        return operator.itemgetter(*rows)
    return lambda column: [column[row] for row in rows]


def restrict_pack_order(order: PackOrder, shown: Sequence[int],
                        item: Callable[[int], TimelineItem],
                        gather: Gather | None = None) -> PackOrder:
    """``order`` cut down to the rows still shown, without sorting again: ``shown[row]`` is
    true (1) when the row stays, false (0) when it is hidden. The rows that stay are
    renumbered by their rank among the shown rows (a filter keeps the table's order).

    A filter change costs a few C-level passes over the columns, not a sort; each run keeps
    its old longest span, which still bounds what is left of it. ``gather`` is
    ``pack_gather(order)``, when the caller keeps one.
    """
    take = gather or pack_gather(order)
    keys = take(shown)
    ranks = take(list(accumulate(shown, initial=0)))  # a row's rank: the shown rows before it
    rows = list(compress(ranks, keys))
    starts, ends = list(compress(order.starts, keys)), list(compress(order.ends, keys))
    runs, spans, passes, lo = [], [], [], 0
    known = order.passes or (None,) * len(order.runs)
    for (a, b), span, run_pass in zip(order.runs, order.spans, known, strict=True):
        kept = b - a - keys[a:b].count(0)
        if kept:
            runs.append((lo, lo + kept))
            spans.append(span)
            passes.append(run_pass)
            lo += kept
    return PackOrder(rows, starts, ends, tuple(runs), tuple(spans), item,
                     tuple(passes) if order.passes else ())


def _sorted_indices(starts: Sequence[float], ends: Sequence[float],
                    passes: Sequence[int]) -> list[int]:
    """Indices in (pass, start, end, index) order."""
    whole = float.is_integer
    if all(map(whole, map(float, starts))) and all(map(whole, map(float, ends))):
        # Whole days (as read from dates) fold into one exact float key, far quicker to
        # sort than tuples; a span over 1023 days only ties with longer ones, by index.
        keys = [(p * 8388608.0 + s + 4194304.0) * 1024.0 + min(e - s, 1023.0)
                for p, s, e in zip(passes, starts, ends, strict=True)]
        return sorted(range(len(keys)), key=keys.__getitem__)
    # The collector stays out while 100,000 tuples are made: each new batch would set off
    # a full collection over every event in memory.
    with collection_paused():
        keys = list(zip(passes, starts, ends, strict=True))
        return sorted(range(len(keys)), key=keys.__getitem__)


def pack_order(items: Iterable[TimelineItem]) -> PackOrder:
    """Sort items for packing once per data change, not once per zoom level."""
    by_row = {item.row: item for item in sorted(items, key=operator.attrgetter("row"))}
    values = by_row.values()
    return pack_order_of(
        list(by_row), [i.start for i in values], [i.end for i in values],
        [pass_index(i.precision, i.context) for i in values], by_row.__getitem__)


def _extent(item: TimelineItem, dpp: float, geometry: LaneGeometry) -> tuple[float, float]:
    if item.is_point:
        centre = (item.start + item.end) / 2 / dpp
        r = geometry.marker_size / 2
        return centre - r, centre + r
    x0, x1 = item.start / dpp, item.end / dpp
    if x1 - x0 < geometry.min_bar_width:
        mid = (x0 + x1) / 2
        x0, x1 = mid - geometry.min_bar_width / 2, mid + geometry.min_bar_width / 2
    return x0, x1


def _label_reach(geometry: LaneGeometry) -> float:
    """How far right of its marker or bar an item's box can reach (its label, capped)."""
    return geometry.label_gap + geometry.max_label_width + geometry.box_gap


def pack_window(offset: float, width: float, data_x0: float, data_x1: float,
                margin: float = 1.0) -> tuple[float, float] | None:
    """The world window to pack for a screen showing world ``[offset, offset + width]``:
    the screen and ``margin`` screens either side, so panning that far reuses it; None
    when the data (world ``data_x0`` to ``data_x1``) fits in it, so it is packed whole."""
    x0, x1 = offset - margin * width, offset + (1 + margin) * width
    if x0 <= data_x0 - width and x1 >= data_x1 + width:
        return None
    return x0, x1


def in_window(x0: float, x1: float, window: tuple[float, float] | None,
              geometry: LaneGeometry) -> bool:
    """Whether an item drawn from world ``x0`` to ``x1`` (its label after) can reach into
    ``window`` (world x, ``None`` for everywhere), so a windowed packing must place it."""
    return window is None or (x0 <= window[1] and x1 + _label_reach(geometry) >= window[0])


def pack_lanes(
    items: Iterable[TimelineItem] | PackOrder, days_per_pixel: float,
    geometry: LaneGeometry = LaneGeometry(), label_width: LabelWidth = estimated_label_width,
    window: tuple[float, float] | None = None, keep: TimelineLayout | None = None,
) -> TimelineLayout:
    """Greedy first-fit packing of marker+label boxes into lanes; overflow folds into badges.

    An item first tries every lane with its label, then with its marker alone; failing
    both it folds into the badge of its bucket (``bucket_width`` world pixels, by start).
    A bucket stops trying once a few of its items found no lane, or once it has had as
    many tries as there are lanes (more cannot be told apart in one badge-wide column):
    the rest of it folds untried, in one slice. So the cost follows what can be seen, not
    how many events there are. ``label_width`` is asked only about items that get a try.

    With ``window`` (world x), only the items that reach into it are packed (the rest are
    neither placed nor folded), which keeps close zooms over decades of events cheap.
    ``keep`` is a layout at the same zoom whose placements inside the window stay where
    they are, so panning into a new window does not shuffle what is already on screen.
    """
    order = items if isinstance(items, PackOrder) else pack_order(items)
    rows, starts = order.rows, order.starts
    dpp = days_per_pixel
    lanes = tuple(Lane() for _ in range(max(1, geometry.max_lanes)))
    placed: dict[int, PlacedItem] = {}
    if keep is not None:
        _keep_placements(keep, lanes, placed, window, geometry)
    kept = set(placed)
    frontier = _Frontier(lanes)
    folds: dict[int, list[tuple[int, int]]] = defaultdict(list)
    bucket_days = geometry.bucket_width * dpp
    # Per bucket, over every pass: a column whose lanes were full for day events is full
    # for the bars that start there too.
    tries: dict[int, int] = {}
    failures: dict[int, int] = {}
    for p in placed.values():  # kept placements used their buckets' tries already
        bucket = math.floor(p.item.start / bucket_days)
        tries[bucket] = tries.get(bucket, 0) + 1
    budget = (len(lanes) + 2) // 3 + _FAILURES_PER_BUCKET
    # The loop below runs for every item that gets a try: what it reads is hoisted.
    reach = _label_reach(geometry)
    win_lo, win_hi = window if window is not None else (-math.inf, math.inf)
    item_of, floor, ends = order.item, math.floor, order.ends
    # How far a marker or bar reaches past its days: bounds an item's x from its columns
    # alone, so an item that cannot reach into the window is never built.
    slack = max(geometry.marker_size, geometry.min_bar_width) / 2
    radius = geometry.marker_size / 2
    passes = order.passes or (None,) * len(order.runs)
    for (lo, hi), span, run_pass in zip(order.runs, order.spans, passes, strict=True):
        # In a day-precise run an item one day long is a marker (TimelineItem.is_point).
        day_run = run_pass is not None and run_pass % 3 == _RANKS[Precision.DAY]
        if window is not None:
            lo = bisect_left(starts, (win_lo - reach - geometry.min_bar_width) * dpp - span,
                             lo, hi)
            hi = bisect_right(starts, (win_hi + geometry.marker_size) * dpp, lo, hi)
        i = run_start = lo
        while i < hi:
            bucket = floor(starts[i] / bucket_days)
            tried = tries.get(bucket, 0)
            if tried >= budget or failures.get(bucket, 0) >= _FAILURES_PER_BUCKET:
                j = max(i + 1, bisect_left(starts, (bucket + 1) * bucket_days, i, hi))
                _fold(folds[bucket], i, j, run_start)
                i = j
                continue
            row, start, end = rows[i], starts[i], ends[i]
            i += 1
            if row in kept or start / dpp - slack > win_hi or end / dpp + slack + reach < win_lo:
                continue
            item = None
            if day_run and end - start <= 1.0:
                # A marker, placed as ``_extent`` places it, from the columns alone.
                centre = (start + end) / 2 / dpp
                x0, x1 = centre - radius, centre + radius
            else:
                item = item_of(row)
                x0, x1 = _extent(item, dpp, geometry)
            if x0 > win_hi or x1 + reach < win_lo:  # in_window, inline
                continue
            tries[bucket] = tried + 1
            if item is None and frontier.latest <= x0 < min(frontier.ends):
                spot = None  # every lane is taken past x0, as _place would find: unbuilt
            else:
                if item is None:
                    item = item_of(row)
                spot = _place(item, x0, x1, lanes, geometry, label_width(item.title), frontier)
            if spot is None:
                failures[bucket] = failures.get(bucket, 0) + 1
                _fold(folds[bucket], i - 1, i, run_start)
            else:
                placed[row] = spot
    by_bucket = {b: c for b, ranges in sorted(folds.items())
                 if (c := _cluster(b, ranges, order, geometry, kept)) is not None}
    folded = FoldedRows(by_bucket, bucket_days, order)
    return TimelineLayout(dpp, geometry, lanes, tuple(by_bucket.values()), placed, folded)


def _fold(ranges: list[tuple[int, int]], lo: int, hi: int, run_start: int) -> None:
    """Add ``[lo, hi)`` to a badge's index ranges, joined to the last one when they touch
    within one run (from ``run_start``): a string of failed items and the rest of their
    bucket make one range, not dozens, and a range still lies in one run (``_cluster``)."""
    if ranges and ranges[-1][1] == lo and ranges[-1][0] >= run_start:
        ranges[-1] = (ranges[-1][0], hi)
    else:
        ranges.append((lo, hi))


class RowSlices(Sequence[int]):
    """The rows of some index ranges of a pack order, read through, not copied: a badge at
    fit-all stands for most of 100,000 rows."""

    __slots__ = ("_ranges", "_rows", "_starts")

    def __init__(self, rows: Sequence[int], ranges: tuple[tuple[int, int], ...]) -> None:
        self._rows = rows
        self._ranges = ranges
        offsets, total = [], 0
        for lo, hi in ranges:
            offsets.append(total)
            total += hi - lo
        self._starts = (*offsets, total)

    def __len__(self) -> int:
        return self._starts[-1]

    def __getitem__(self, index):  # type: ignore[override]  # int or slice, as a tuple does
        if isinstance(index, slice):
            return tuple(self)[index]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(index)
        k = bisect_right(self._starts, index) - 1
        return self._rows[self._ranges[k][0] + index - self._starts[k]]

    def __iter__(self) -> Iterator[int]:
        return chain.from_iterable(self._rows[lo:hi] for lo, hi in self._ranges)

    def __contains__(self, row: object) -> bool:
        return any(row in self._rows[lo:hi] for lo, hi in self._ranges)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RowSlices | tuple | list):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))


class FoldedRows(Mapping[int, Cluster]):
    """Which badge each folded row is in, found from the row's start, not from a table
    of every folded row: at a far zoom nearly all of 100,000 rows fold."""

    def __init__(self, by_bucket: dict[int, Cluster], bucket_days: float,
                 order: PackOrder) -> None:
        self._by_bucket = by_bucket
        self._bucket_days = bucket_days
        self._order = order
        self._members: dict[int, frozenset[int]] = {}  # by bucket, made when asked

    def __getitem__(self, row: int) -> Cluster:
        try:
            start = self._order.item(row).start
        except (KeyError, IndexError, TypeError):
            raise KeyError(row) from None
        bucket = math.floor(start / self._bucket_days)  # as pack_lanes buckets it
        cluster = self._by_bucket.get(bucket)
        if cluster is None:
            raise KeyError(row)
        members = self._members.get(bucket)
        if members is None:
            members = self._members[bucket] = frozenset(cluster.rows)
        if row not in members:
            raise KeyError(row)
        return cluster

    def __iter__(self) -> Iterator[int]:
        return chain.from_iterable(c.rows for c in self._by_bucket.values())

    def __len__(self) -> int:
        return sum(c.count for c in self._by_bucket.values())


def _keep_placements(keep: TimelineLayout, lanes: Sequence[Lane], placed: dict[int, PlacedItem],
                     window: tuple[float, float] | None, geometry: LaneGeometry) -> None:
    """Put ``keep``'s placements that reach into ``window`` back in their lanes."""
    if len(keep.lanes) > len(lanes):
        return
    x0, x1 = window if window is not None else (-math.inf, math.inf)
    for old, new in zip(keep.lanes, lanes, strict=False):
        i = bisect_right(old.ends, x0)
        j = bisect_right(old.starts, x1, lo=i)
        new.starts, new.ends, new.items = old.starts[i:j], old.ends[i:j], old.items[i:j]
        placed.update((p.row, p) for p in new.items)


class _Frontier:
    """Each lane's last box end, and the latest start of any box placed.

    While no box starts after the item being placed (the first pass, which goes in start
    order), a lane has room for the item exactly when its last box ends by the item's start:
    the first such lane is found in one C-level scan instead of a Python loop over lanes.
    """

    __slots__ = ("ends", "latest")

    def __init__(self, lanes: Sequence[Lane]) -> None:
        self.ends = [lane.ends[-1] if lane.ends else -math.inf for lane in lanes]
        self.latest = max((lane.starts[-1] for lane in lanes if lane.starts), default=-math.inf)

    def first_free(self, x0: float) -> int | None:
        """The first lane whose last box ends by ``x0``; valid only while ``latest <= x0``."""
        return next(compress(range(len(self.ends)), map(operator.le, self.ends, repeat(x0))),
                    None)

    def placed(self, index: int, lane: Lane, x0: float) -> None:
        """Note a box put in lane ``index`` starting at ``x0``."""
        self.ends[index] = lane.ends[-1]
        if x0 > self.latest:
            self.latest = x0


def _place(
    item: TimelineItem, x0: float, x1: float, lanes: Sequence[Lane], geometry: LaneGeometry,
    title_width: float, frontier: _Frontier | None = None,
) -> PlacedItem | None:
    label_w = min(title_width, geometry.max_label_width)
    inside = not item.is_point and x1 - x0 >= label_w + 2 * geometry.bar_padding
    if inside:
        label_x, box_end = x0 + geometry.bar_padding, x1
    else:
        label_x = x1 + geometry.label_gap
        box_end = label_x + label_w if label_w > 0 else x1
    gap = geometry.box_gap
    with_label, bare = box_end + gap, x1 + gap
    if frontier is not None and frontier.latest <= x0:
        # Every box starts by x0, so no lane has a gap after x0: the loop below would pick
        # the first lane that is free from x0 on, with the label, or none at all.
        index = frontier.first_free(x0)
        if index is None:
            return None
        lane = lanes[index]
        spot = PlacedItem(item, index, x0, x1, label_x, label_w, inside, title_width)
        lane.insert(len(lane.ends), x0, with_label, spot)
        frontier.placed(index, lane, x0)
        return spot
    fallback: tuple[int, Lane, int] | None = None
    # One pass over the lanes: the first lane with room for the label wins; failing that,
    # the first lane that had room for the marker alone.
    for index, lane in enumerate(lanes):
        ends = lane.ends
        if not ends or ends[-1] <= x0:
            i, next_start = len(ends), math.inf  # the lane is free from x0 on
        elif lane.starts[-1] <= x0:
            continue  # the lane's last box covers x0: the common case in a crowd
        else:
            i = bisect_right(ends, x0)
            next_start = lane.starts[i]
        if next_start >= with_label:
            spot = PlacedItem(item, index, x0, x1, label_x, label_w, inside, title_width)
            lane.insert(i, x0, with_label, spot)
            if frontier is not None:
                frontier.placed(index, lane, x0)
            return spot
        if fallback is None and next_start >= bare:
            fallback = (index, lane, i)
    if fallback is None:
        return None
    index, lane, i = fallback
    spot = PlacedItem(item, index, x0, x1, label_x, 0.0, inside, title_width)
    lane.insert(i, x0, bare, spot)
    if frontier is not None:
        frontier.placed(index, lane, x0)
    return spot


def _cluster(bucket: int, ranges: list[tuple[int, int]], order: PackOrder,
             geometry: LaneGeometry, kept: set[int]) -> Cluster | None:
    rows, starts, ends = order.rows, order.starts, order.ends
    if kept:
        # Rare (a pan kept some placements): drop those, one by one.
        members = [i for lo, hi in ranges for i in range(lo, hi) if rows[i] not in kept]
        if not members:
            return None
        member_rows = tuple(rows[i] for i in members)
        first = min(starts[i] for i in members)
        last = max(ends[i] for i in members)
    else:
        # Slices keep the work in C: a fit-all view folds nearly every event. Each range
        # lies in one run, sorted by start, so its first start is its smallest.
        member_rows = RowSlices(rows, tuple(ranges))
        first = min(starts[lo] for lo, _ in ranges)
        last = max(ends[lo] if hi - lo == 1 else max(ends[lo:hi]) for lo, hi in ranges)
    return Cluster(
        x=(bucket + 0.5) * geometry.bucket_width,
        width=geometry.bucket_width - 4,
        rows=member_rows,
        first_day=first,
        last_day=last,
    )


# --- hit testing -----------------------------------------------------------------------------


def hit_test(
    layout: TimelineLayout, scale: TimeScale, x: float, y: float, tolerance: float = 3.0,
    moved_badge: tuple[Cluster, float] | None = None,
) -> int | Cluster | None:
    """The model row drawn at screen ``(x, y)``, the badge there, or None.

    ``moved_badge`` is a badge drawn away from its bucket (it stepped aside for a pinned
    selection) and the screen x it is drawn at: it is hit there and not where it was.
    """
    g = layout.geometry
    wx = x + scale.world_offset()
    badge_y = g.cluster_row_centre()
    if abs(y - badge_y) <= g.badge_height / 2:
        if moved_badge is not None:
            moved, moved_x = moved_badge
            if abs(x - moved_x) <= moved.width / 2:
                return moved
        _, clusters = layout.visible(wx, wx)
        for c in clusters:
            if moved_badge is not None and c.x == moved_badge[0].x:
                continue
            if abs(wx - c.x) <= c.width / 2:
                return c
        return None
    lane_index = math.floor((y - g.top) / g.lane_height)
    if not 0 <= lane_index < len(layout.lanes):
        return None
    lane = layout.lanes[lane_index]
    best: tuple[float, int] | None = None
    # Boxes are disjoint and sorted; only the last two starting left of the point can reach it.
    i = bisect_right(lane.starts, wx + tolerance)
    for p in lane.items[max(0, i - 2):i]:
        right = max(p.x1, layout.label_right(p))
        if p.x0 - tolerance <= wx <= right + tolerance:
            distance = 0.0 if p.x0 <= wx <= right else min(abs(wx - p.x0), abs(wx - right))
            if best is None or distance < best[0]:
                best = (distance, p.row)
    return None if best is None else best[1]


def screen_point(layout: TimelineLayout, scale: TimeScale, row: int) -> tuple[float, float] | None:
    """Where the marker (or bar middle) of ``row`` is drawn on screen, if it has a lane."""
    p = layout.placed.get(row)
    if p is None:
        return None
    return p.centre_x - scale.world_offset(), layout.geometry.lane_centre(p.lane)


def data_extent(items: Iterable[TimelineItem]) -> tuple[float, float] | None:
    """The first day and the day after the last day of the items, or None when empty."""
    starts, ends = [], []
    for item in items:
        starts.append(item.start)
        ends.append(item.end)
    if not starts:
        return None
    return min(starts), max(ends)
