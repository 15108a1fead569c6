"""How fast the timeline lays out and paints 100,000 events at 1600x900 (prints figures only).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.paint [--events N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from viewer.core.model import (
    Certainty,
    DateValue,
    Event,
    EventKind,
    Precision,
    Status,
)

WIDTH, HEIGHT = 1600, 900
POSITIONS = 20
_WORDS = ("talks", "visit", "summit", "envoy", "minister", "accord", "drill", "council",
          "delegation", "forum", "treaty", "harbour", "northern", "trade", "defence", "review")


def synthetic_events(n: int, seed: int = 7) -> list[Event]:
    """``n`` events over five decades: dense clusters, quiet gaps, day/month/year precision."""
    rng = random.Random(seed)
    first = dt.date(1975, 1, 1).toordinal()
    last = dt.date(2025, 12, 31).toordinal()
    centres = [(rng.randint(first, last), rng.choice((3, 20, 90, 400))) for _ in range(60)]
    weights = [rng.random() ** 3 for _ in centres]  # a few clusters carry most events
    kinds = list(EventKind)
    events = []
    for i in range(n):
        centre, spread = rng.choices(centres, weights)[0]
        day = dt.date.fromordinal(int(min(max(rng.gauss(centre, spread), first), last)))
        when = _when(rng, day)
        title = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 6))).capitalize()
        events.append(Event(
            id=f"e{i}", kind=rng.choice(kinds), title=title, when=when,
            status=Status.PLANNED if rng.random() < 0.05 else Status.HAPPENED,
            location=None, participants=(), topics=(), sources=(), quotes=(), reports=(),
            is_context=rng.random() < 0.1))
    return events


def _when(rng: random.Random, day: dt.date) -> DateValue | None:
    roll = rng.random()
    if roll < 0.02:
        return None
    if roll < 0.10:
        return DateValue(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), Precision.YEAR,
                         Certainty.STATED, "")
    if roll < 0.22:
        start = day.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return DateValue(start, end, Precision.MONTH, Certainty.STATED, "")
    if roll < 0.27:
        return DateValue(day, day + dt.timedelta(days=rng.randint(1, 6)), Precision.DAY,
                         Certainty.STATED, "")
    return DateValue(day, day, Precision.DAY, Certainty.INFERRED, "")


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of one call (CPU time is steadier on a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def _fmt(times: list[tuple[float, float]]) -> str:
    walls, cpus = [w for w, _ in times], [c for _, c in times]
    return (f"median {statistics.median(walls) * 1000:7.1f} ms wall "
            f"({statistics.median(cpus) * 1000:7.1f} ms CPU), "
            f"max {max(walls) * 1000:7.1f} ms wall")


def main(argv: list[str] | None = None) -> int:
    """Build the events, then time model pull, layout, and painting over 20 zoom positions."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])

    from viewer.ui.event_model import EventTableModel
    from viewer.ui.timeline_layout import pack_lanes
    from viewer.ui.timeline_widget import TimelineView

    events = synthetic_events(args.events)
    print(f"{len(events)} events, painted at {WIDTH}x{HEIGHT} over {POSITIONS} zoom positions "
          "from fit-all to one day")
    model = EventTableModel()
    model.set_events(events)
    view = TimelineView()
    view.resize(WIDTH, HEIGHT)
    pull = _timed(lambda: view.setModel(model))
    print(f"read rows into the view:          {_fmt([pull])}")
    view.fit_all()
    full_first, full_last = view.visible_range()

    rng = random.Random(11)
    dated = [e.when for e in events if e.when is not None]
    ratio = (1.0 / (full_last - full_first)) ** (1 / (POSITIONS - 1))
    layout_times, cold, warm = [], [], []
    items = view._packing  # the same sorted items the view packs
    geometry = view._geometry(HEIGHT)
    for i in range(POSITIONS):
        span = (full_last - full_first) * ratio**i
        if i == 0:
            first = full_first
        else:
            anchor = rng.choice(dated)
            centre = anchor.start.toordinal() - dt.date(1970, 1, 1).toordinal() + 0.5
            first = centre - span / 2
        dpp = span / WIDTH
        layout_times.append(_timed(lambda dpp=dpp: pack_lanes(items, dpp, geometry,
                                                              view._label_width)))
        view.set_visible_range(first, first + span)
        cold.append(_timed(lambda: view.render_image(WIDTH, HEIGHT)))
        warm.append(_timed(lambda: view.render_image(WIDTH, HEIGHT)))
        view.set_visible_range(first + span * 0.3, first + span * 1.3)  # a pan at the same zoom
        warm.append(_timed(lambda: view.render_image(WIDTH, HEIGHT)))

    print(f"layout per zoom level:            {_fmt(layout_times)}")
    print(f"paint, new zoom (layout + paint): {_fmt(cold)}")
    print(f"paint, same zoom or panned:       {_fmt(warm)}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
