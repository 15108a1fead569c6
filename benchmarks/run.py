"""Every scale and speed figure of Timeline Viewer, each measured beside its baseline.

Run: .venv/bin/python benchmarks/run.py [--quick]

Full: 10,000 generated articles and 100,000 generated events; ``--quick``: 1,000 and 10,000
(under a minute). Progress goes to stdout as plain lines; the LAST line is one JSON object:

  startup_ratio          `python -m viewer seeds` until its first window grab with the events
                         shown (offscreen, fresh settings, the seeds' extraction cached by an
                         earlier launch), over a bare PySide6 QMainWindow that shows,
                         processes events once and quits; startup_cold_ratio: empty cache.
                         The viewer's bytecode is compiled first, as installing it does
                         (PYTHONDONTWRITEBYTECODE would otherwise recompile it every launch);
                         startup_cpu_ratio: the same in CPU time, steadier on a busy machine
  extract_mb_s           extract_document over generated articles, one process
  extract_vs_dateparser  that throughput over dateparser.search.search_dates' on a few articles
  corpus_cold_s          pipeline.extract_corpus on the generated corpus, all cores, empty cache
  corpus_warm_s          the same again with the cache it filled
  model_load_s           100,000 events into EventTableModel + EventFilterProxy + TimelineView,
                         up to and including the first 1600x900 frame at fit-all
  paint_ms_median        TimelineView.render_image(1600, 900) at 20 zoom/pan positions, fit-all
                         down to one day (the first paint at each zoom, so layout included)
  filter_ms              one search keystroke on 100,000 events (search text prepared as the
                         idle app does), until the proxy and the timeline have both updated
  rss_mb                 peak RSS of a process showing 100,000 events in the MainWindow
                         (VmHWM on Linux, where getrusage's ru_maxrss is inherited from the
                         parent; rss_empty_mb is the same window with no events)

Each figure is the median of ``--runs`` runs (5), except where ``runs`` in the output says
otherwise. Generated corpora live in a temporary folder that is deleted afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SUBPROCESS_TIMEOUT = 300
STARTUP_TIMEOUT = 90  # a window that never grabs itself would otherwise hang the whole run

# The app under test saves its grab as a PNG (TIMELINE_VIEWER_SCREENSHOT, quality 80) to show
# it has painted; the bare window saves its grab the same way, so both ratios' sides do it.
_BARE_WINDOW = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.resize(1200, 800)
window.show()
app.processEvents()
window.grab().save(sys.argv[1], "PNG", 80)
"""


def _say(message: str) -> None:
    print(message, flush=True)


def _median(values: list[float], digits: int = 3) -> float:
    return round(statistics.median(values), digits)


@contextlib.contextmanager
def _private_dirs(base: Path) -> Iterator[dict[str, str]]:
    """Config, cache and XDG dirs under ``base``, for this process and its children."""
    env = {
        "TIMELINE_VIEWER_CONFIG_DIR": str(base / "config"),
        "TIMELINE_VIEWER_CACHE_DIR": str(base / "cache"),
        "XDG_CONFIG_HOME": str(base / "xdg-config"),
        "XDG_CACHE_HOME": str(base / "xdg-cache"),
        "XDG_DATA_HOME": str(base / "xdg-data"),
        "XDG_STATE_HOME": str(base / "xdg-state"),
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield env
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# --- start-up ------------------------------------------------------------------------------


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], env: dict[str, str], cpu: list[float] | None = None) -> float:
    """Wall seconds of one run of ``cmd``; its CPU seconds (user + system) go to ``cpu``."""
    start, cpu_start = time.perf_counter(), _children_cpu()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True,
                          timeout=STARTUP_TIMEOUT, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace")[-600:]
        raise RuntimeError(f"{cmd[1:3]} exited {done.returncode}: {tail}")
    if cpu is not None:
        cpu.append(_children_cpu() - cpu_start)
    return elapsed


def measure_startup(runs: int, tmp: Path) -> dict[str, Any]:
    """Seconds to the first grabbed main window, and the same for a bare QMainWindow.

    ``startup_ratio`` is an ordinary launch: the seeds were opened before, so their
    extraction is in the cache (settings start fresh). ``startup_cold_ratio`` is the very
    first launch, with an empty cache. ``startup_cpu_ratio`` is the warm launch's CPU time
    (user + system) over the bare window's: steadier than wall time on a shared machine.
    """
    seeds = ROOT / "seeds"
    warm_times, cold_times, bare_times = [], [], []
    warm_cpu: list[float] = []
    bare_cpu: list[float] = []
    # An installed app has its .pyc files (pip compiles them); PySide6 and the standard
    # library have theirs. Compile ours into a private prefix so the repo stays clean.
    bytecode = {"PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "viewer")],
                   env={**base_env, **bytecode}, cwd=ROOT, capture_output=True,
                   timeout=SUBPROCESS_TIMEOUT, check=True)
    for i in range(runs):
        run_dir = tmp / f"startup-{i}"
        shot = run_dir / "window.png"
        run_dir.mkdir(parents=True)
        env = {**base_env, **bytecode, "QT_QPA_PLATFORM": "offscreen",
               "TIMELINE_VIEWER_SCREENSHOT": str(shot),
               "TIMELINE_VIEWER_EXIT_AFTER_SCREENSHOT": "1",
               "TIMELINE_VIEWER_CACHE_DIR": str(run_dir / "cache")}
        launch = [sys.executable, "-m", "viewer", str(seeds)]
        # Alternate the runs so that drift in machine load hits all alike.
        bare_times.append(_timed([sys.executable, "-c", _BARE_WINDOW, str(run_dir / "bare.png")],
                                 env, bare_cpu))
        cold_times.append(_timed(launch, {**env, "TIMELINE_VIEWER_CONFIG_DIR":
                                          str(run_dir / "config-cold")}))
        warm_times.append(_timed(launch, {**env, "TIMELINE_VIEWER_CONFIG_DIR":
                                          str(run_dir / "config-warm")}, warm_cpu))
        if not shot.is_file():
            raise RuntimeError("the app exited without writing its screenshot")
    warm_s, cold_s = statistics.median(warm_times), statistics.median(cold_times)
    bare_s = statistics.median(bare_times)
    return {"startup_ratio": round(warm_s / bare_s, 2), "startup_s": round(warm_s, 3),
            "startup_cold_ratio": round(cold_s / bare_s, 2), "startup_cold_s": round(cold_s, 3),
            "startup_baseline_s": round(bare_s, 3),
            "startup_cpu_ratio": round(statistics.median(warm_cpu) / statistics.median(bare_cpu),
                                       2)}


# --- extraction ----------------------------------------------------------------------------


def measure_corpus(folder: Path, tmp: Path, cold_runs: int, warm_runs: int) -> dict[str, Any]:
    """extract_corpus over ``folder`` on all cores, with an empty and then a warm cache."""
    from viewer.core.cache import ExtractionCache
    from viewer.core.parallel import default_workers
    from viewer.core.pipeline import EXTRACTOR_VERSION, extract_corpus

    workers = default_workers()
    cold: list[float] = []
    cache_path = tmp
    extraction = None
    for i in range(cold_runs):
        cache_path = tmp / f"cache-{i}" / "extraction.sqlite3"
        with ExtractionCache(cache_path, EXTRACTOR_VERSION) as cache:
            start = time.perf_counter()
            extraction = extract_corpus([folder], workers=workers, cache=cache)
            cold.append(time.perf_counter() - start)
        _say(f"  cold corpus run {i + 1}: {cold[-1]:.2f} s")
    warm: list[float] = []
    hits = 0
    for _ in range(warm_runs):
        with ExtractionCache(cache_path, EXTRACTOR_VERSION) as cache:
            start = time.perf_counter()
            extract_corpus([folder], workers=workers, cache=cache)
            warm.append(time.perf_counter() - start)
            hits = cache.hits
    assert extraction is not None
    return {
        "corpus_cold_s": _median(cold), "corpus_warm_s": _median(warm),
        "corpus_cold_runs": cold_runs, "corpus_warm_runs": warm_runs,
        "corpus_workers": workers, "corpus_documents": len(extraction.documents),
        "corpus_events": len(extraction.events), "corpus_warm_cache_hits": hits,
        "corpus_cache_mb": round(cache_path.stat().st_size / 1e6, 1),
    }


# --- the Qt views --------------------------------------------------------------------------


def _qt_app() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(sys.argv[:1])


def _day_number(day: dt.date) -> float:
    return float(day.toordinal() - dt.date(1970, 1, 1).toordinal())


def _paint_pass(view: Any, events: list[Any], seed: int) -> list[float]:
    """render_image times at POSITIONS ranges from fit-all down to one day (the paint.py walk)."""
    from benchmarks.paint import HEIGHT, POSITIONS, WIDTH

    view.fit_all()
    full_first, full_last = view.visible_range()
    rng = random.Random(seed)
    dated = [e.when for e in events if e.when is not None]
    ratio = (1.0 / (full_last - full_first)) ** (1 / (POSITIONS - 1))
    times = []
    for i in range(POSITIONS):
        span = (full_last - full_first) * ratio**i
        first = full_first if i == 0 else _day_number(rng.choice(dated).start) + 0.5 - span / 2
        view.set_visible_range(first, first + span)
        start = time.perf_counter()
        view.render_image(WIDTH, HEIGHT)
        times.append((time.perf_counter() - start) * 1000)
    return times


def views_child(n_events: int, runs: int) -> int:
    """(In a subprocess) measure the views and print the figures as JSON."""
    print(json.dumps(measure_views(n_events, runs)), flush=True)
    # Skip interpreter teardown: PySide6 objects dying in arbitrary order at exit can abort
    # the process after the figures are out, which would read as a failed run.
    os._exit(0)


def measure_views(n_events: int, runs: int) -> dict[str, Any]:
    """Loading, painting and filtering ``n_events`` generated events in the shared views."""
    app = _qt_app()
    from PySide6.QtCore import QEvent

    from benchmarks.paint import HEIGHT, WIDTH
    from viewer.core.synthetic import generate_events
    from viewer.ui.event_model import EventTableModel
    from viewer.ui.filter_proxy import EventFilterProxy
    from viewer.ui.timeline_widget import TimelineView

    start = time.perf_counter()
    events = generate_events(n_events)
    _say(f"  generated {n_events} events in {time.perf_counter() - start:.1f} s")
    loads, paints, first_keys, next_keys, shown = [], [], [], [], 0
    for run in range(runs):
        gc.collect()
        start = time.perf_counter()
        model = EventTableModel()
        proxy = EventFilterProxy()
        proxy.setSourceModel(model)
        view = TimelineView()
        view.resize(WIDTH, HEIGHT)
        view.setModel(proxy)
        model.set_events(events)
        app.processEvents()
        view.fit_all()
        view.render_image(WIDTH, HEIGHT)
        loads.append(time.perf_counter() - start)
        # As the main window does once a corpus is loaded (MainWindow._on_loaded).
        gc.collect()
        gc.freeze()
        paints.append(statistics.median(_paint_pass(view, events, seed=run)))
        # The app builds search text while idle after a load; a user typing a second later
        # never waits for it, so neither does the keystroke measured here.
        proxy.prepare_search()
        for text, sink in (("m", first_keys), ("me", next_keys)):
            start = time.perf_counter()
            proxy.set_search_text(text)
            app.processEvents()
            view.visible_range()  # makes the timeline re-read the filtered rows now
            sink.append((time.perf_counter() - start) * 1000)
        shown = proxy.rowCount()
        view.setModel(None)
        view.deleteLater()
        del view, proxy, model
        # processEvents() leaves deferred deletes alone; without this every run's view lives on.
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()
        gc.unfreeze()
        _say(f"  views run {run + 1}: load {loads[-1]:.2f} s, paint {paints[-1]:.1f} ms, "
             f"keystroke {first_keys[-1]:.0f} ms")
    return {
        "model_load_s": _median(loads), "paint_ms_median": _median(paints, 1),
        "filter_ms": _median(first_keys, 1), "filter_next_key_ms": _median(next_keys, 1),
        "filter_rows_shown": shown, "view_runs": runs,
    }


# --- memory --------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    # On Linux ru_maxrss survives fork+exec, so a child of a big benchmark process would
    # report its parent's peak; VmHWM belongs to this program's own address space.
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def rss_child(n_events: int) -> int:
    """(In a subprocess) show ``n_events`` in the MainWindow and print the peak RSS as JSON."""
    app = _qt_app()
    from viewer.core.synthetic import generate_extraction
    from viewer.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory(prefix="tv-rss-") as tmp:
        window = MainWindow(settings_file=Path(tmp) / "settings.json")
        window.resize(1600, 1000)
        window.show()
        app.processEvents()
        if n_events:
            extraction = generate_extraction(n_events)
            # MainWindow has no public way to show an Extraction without reading files;
            # _on_loaded is the slot its loader calls with a finished one.
            window._on_loaded(extraction)
        for _ in range(3):
            app.processEvents()
        window.grab()
        print(json.dumps({"rss_mb": round(_peak_rss_mb(), 1)}), flush=True)
        window.close()
    os._exit(0)  # as in views_child: no teardown after the figure is out


def _child_json(*args: str) -> dict[str, Any]:
    """Run this script with ``args`` in a fresh offscreen process; the JSON it prints last."""
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args],
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, cwd=ROOT,
                          capture_output=True, timeout=SUBPROCESS_TIMEOUT * 4, check=False,
                          text=True)
    for line in done.stdout.splitlines():
        if not line.startswith("{"):
            _say(line)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{args[0]} exited {done.returncode}: {done.stderr[-800:]}")
    return json.loads(lines[-1])


def measure_rss(n_events: int) -> dict[str, Any]:
    """Peak RSS of a process showing ``n_events``, and of one showing none."""
    return {
        "rss_mb": _child_json("--rss-child", str(n_events))["rss_mb"],
        "rss_empty_mb": _child_json("--rss-child", "0")["rss_mb"],
    }


# --- the whole run -------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(), "platform": platform.platform(),
        "cpus": os.cpu_count(), "machine": platform.machine(),
    }
    with contextlib.suppress(ImportError):
        import PySide6

        info["pyside6"] = PySide6.__version__
    return info


def _step(figures: dict[str, Any], errors: dict[str, str], name: str,
          fn: Callable[[], dict[str, Any]]) -> None:
    _say(f"{name}…")
    start = time.perf_counter()
    try:
        figures.update(fn())
    except Exception as exc:  # one broken part must not hide the other figures
        errors[name] = f"{type(exc).__name__}: {exc}"
        traceback.print_exc(file=sys.stdout)
    _say(f"{name}: {time.perf_counter() - start:.1f} s")


def run(quick: bool, runs: int, only: set[str] | None = None, articles: int | None = None,
        events: int | None = None) -> dict[str, Any]:
    """Measure everything; a dict of figures (failed parts are None, their errors listed)."""
    from benchmarks.throughput import load_documents, measure_throughput
    from viewer.core.synthetic import write_corpus

    n_articles = articles or (1_000 if quick else 10_000)
    n_events = events or (10_000 if quick else 100_000)
    figures: dict[str, Any] = {
        "mode": "quick" if quick else "full", "n_articles": n_articles, "n_events": n_events,
        "runs": runs, **_machine(),
        "startup_ratio": None, "extract_mb_s": None, "extract_vs_dateparser": None,
        "corpus_cold_s": None, "corpus_warm_s": None, "model_load_s": None,
        "paint_ms_median": None, "filter_ms": None, "rss_mb": None,
    }
    errors: dict[str, str] = {}

    def wanted(name: str) -> bool:
        return only is None or name in only

    with tempfile.TemporaryDirectory(prefix="tv-bench-") as tmp_name, \
            _private_dirs(Path(tmp_name) / "home"):
        tmp = Path(tmp_name)
        if wanted("startup"):
            _step(figures, errors, "startup", lambda: measure_startup(runs, tmp))
        if wanted("extract") or wanted("corpus"):
            corpus = tmp / "corpus"
            start = time.perf_counter()
            size = write_corpus(corpus, n_articles)
            figures["corpus_mb"] = round(size / 1e6, 2)
            _say(f"wrote {n_articles} articles ({size / 1e6:.1f} MB) "
                 f"in {time.perf_counter() - start:.1f} s")
            if wanted("extract"):
                docs = load_documents(corpus)
                # dateparser needs ~0.5 s per article: a handful shows the ratio well enough.
                _step(figures, errors, "extract", lambda: measure_throughput(
                    docs, runs=runs, one_process_docs=100 if quick else 1000, parallel_runs=1,
                    dateparser_docs=10 if quick else 30))
            if wanted("corpus"):
                # Cold runs redo the whole extraction: one in --quick, three in full.
                cold_runs = 1 if quick else min(runs, 3)
                _step(figures, errors, "corpus",
                      lambda: measure_corpus(corpus, tmp, cold_runs, runs))
        if wanted("views"):
            # In its own process, so that its memory and Qt state never touch the other parts.
            _step(figures, errors, "views",
                  lambda: _child_json("--views-child", str(n_events), str(runs)))
        if wanted("rss"):
            _step(figures, errors, "rss", lambda: measure_rss(n_events))
    if errors:
        figures["errors"] = errors
    return figures


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, measure, print the figures as the last line."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 articles, 10,000 events")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--only", action="append",
                        choices=("startup", "extract", "corpus", "views", "rss"),
                        help="measure only these parts (repeatable)")
    parser.add_argument("--articles", type=int, default=None, help="override the corpus size")
    parser.add_argument("--events", type=int, default=None, help="override the event count")
    parser.add_argument("--rss-child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--views-child", type=int, nargs=2, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child is not None:
        return rss_child(args.rss_child)
    if args.views_child is not None:
        return views_child(*args.views_child)
    figures = run(args.quick, max(1, args.runs), set(args.only) if args.only else None,
                  args.articles, args.events)
    print(json.dumps(figures), flush=True)
    return 1 if figures.get("errors") else 0


if __name__ == "__main__":
    raise SystemExit(main())
