"""How fast the timeline reads, lays out and paints 100,000 events at 1600x900 (prints only).

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python -m benchmarks.paint [--events N] [--seed S]

The walk is the one ``benchmarks/run.py`` times for ``paint_ms_median``: 20 ranges from
fit-all down to one day, each centred on a random event; the first paint at each zoom
includes its layout. Then the same range again (cached) and the range panned by 30 %;
last, three search keystrokes (proxy and timeline together) and the frame after each.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

WIDTH, HEIGHT = 1600, 900
POSITIONS = 20


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
    """Build the events, then time the row read, and painting over 20 zoom positions."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])

    from viewer.core.synthetic import generate_events
    from viewer.ui.event_model import EventTableModel
    from viewer.ui.filter_proxy import EventFilterProxy
    from viewer.ui.timeline_layout import day_of_date
    from viewer.ui.timeline_widget import TimelineView

    events = generate_events(args.events, seed=args.seed)
    print(f"{len(events)} events, painted at {WIDTH}x{HEIGHT} over {POSITIONS} zoom positions "
          "from fit-all to one day")
    model = EventTableModel()
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    model.set_events(events)
    app.processEvents()
    proxy.rowCount()  # the proxy's own row mapping is not the view's to pay for
    view = TimelineView()
    view.resize(WIDTH, HEIGHT)
    gc.collect()
    pull = _timed(lambda: view.setModel(proxy))
    print(f"read rows into the view (proxy):  {_fmt([pull])}")
    first_frame = _timed(lambda: view.render_image(WIDTH, HEIGHT))
    print(f"first frame at fit-all:           {_fmt([first_frame])}")
    view.fit_all()
    full_first, full_last = view.visible_range()

    rng = random.Random(args.seed)
    dated = [e.when for e in events if e.when is not None]
    ratio = (1.0 / (full_last - full_first)) ** (1 / (POSITIONS - 1))
    cold, warm, panned = [], [], []
    for i in range(POSITIONS):
        span = (full_last - full_first) * ratio**i
        first = full_first if i == 0 else day_of_date(rng.choice(dated).start) + 0.5 - span / 2
        view.set_visible_range(first, first + span)
        cold.append(_timed(lambda: view.render_image(WIDTH, HEIGHT)))
        warm.append(_timed(lambda: view.render_image(WIDTH, HEIGHT)))
        view.set_visible_range(first + span * 0.3, first + span * 1.3)  # a pan at the same zoom
        panned.append(_timed(lambda: view.render_image(WIDTH, HEIGHT)))
        print(f"  {span:10.2f} days: new zoom {cold[-1][0] * 1000:6.1f} ms "
              f"({cold[-1][1] * 1000:5.1f} CPU), "
              f"again {warm[-1][0] * 1000:5.1f} ms, panned {panned[-1][0] * 1000:6.1f} ms")

    print(f"paint, new zoom (layout + paint): {_fmt(cold)}")
    print(f"paint, same range again:          {_fmt(warm)}")
    print(f"paint, panned by 30 %:            {_fmt(panned)}")

    # A search keystroke as run.py times it (proxy and timeline), then the frame after it.
    proxy.prepare_search()
    view.fit_all()
    view.render_image(WIDTH, HEIGHT)
    for text in ("m", "me", ""):
        def keystroke(text: str = text) -> None:
            proxy.set_search_text(text)
            QApplication.processEvents()
            view.visible_range()  # makes the timeline re-read the filtered rows now

        key = _timed(keystroke)
        frame = _timed(lambda: view.render_image(WIDTH, HEIGHT))
        print(f"search {text!r:5} ({proxy.rowCount():6} rows): keystroke {key[0] * 1000:6.1f} ms, "
              f"next frame {frame[0] * 1000:6.1f} ms")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
