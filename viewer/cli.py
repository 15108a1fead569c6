"""Command line: ``timeline-viewer [DIR|FILE...]`` opens the app; subcommands work headless.

    timeline-viewer                      open the bundled seed corpus
    timeline-viewer DIR|FILE...          open another corpus
    timeline-viewer extract PATH...      print the extracted events as JSON
    timeline-viewer dates FILE [--reference YYYY-MM-DD]
                                         print every time expression of one article as JSON
    timeline-viewer export --png OUT.png [--corpus DIR] [--width W] [--height H]
                                         render the timeline to an image without a display
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from viewer import __version__

_SUBCOMMANDS = ("extract", "dates", "export")


class UsageError(Exception):
    """A command line that cannot be run; its message is the one line the user sees."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] in _SUBCOMMANDS:
            return _run_subcommand(args)
        return _run_gui(args)
    except UsageError as error:
        print(f"timeline-viewer: {error}", file=sys.stderr)
        return 2


def _existing_paths(paths: Sequence[str]) -> list[str]:
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise UsageError(f"no such file or folder: {missing[0]}")
    return list(paths)


def _parser(prog: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description, exit_on_error=False)
    return parser


def _parse(parser: argparse.ArgumentParser, args: Sequence[str]) -> argparse.Namespace:
    try:
        namespace, unknown = parser.parse_known_args(args)
    except argparse.ArgumentError as error:
        raise UsageError(str(error)) from None
    if unknown:
        raise UsageError(f"unrecognised arguments: {' '.join(unknown)}")
    return namespace


def _run_subcommand(args: list[str]) -> int:
    command, rest = args[0], args[1:]
    if command == "extract":
        parser = _parser("timeline-viewer extract", "Print the events of a corpus as JSON.")
        parser.add_argument("paths", nargs="+", metavar="PATH")
        return _extract(_parse(parser, rest) if rest else _missing("extract needs a PATH"))
    if command == "dates":
        parser = _parser("timeline-viewer dates", "Print the time expressions of one article.")
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--reference", metavar="YYYY-MM-DD")
        return _dates(_parse(parser, rest) if rest else _missing("dates needs a FILE"))
    parser = _parser("timeline-viewer export", "Render the timeline to a PNG image.")
    parser.add_argument("--png", required=True, metavar="OUT.png")
    parser.add_argument("--corpus", metavar="DIR")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=500)
    return _export(_parse(parser, rest))


def _missing(message: str) -> argparse.Namespace:
    raise UsageError(message)


def _extract(ns: argparse.Namespace) -> int:
    from viewer.core.export import dumps, extraction_to_json
    from viewer.core.pipeline import extract_corpus

    extraction = extract_corpus(_existing_paths(ns.paths))
    _write_stdout(dumps(extraction_to_json(extraction)))
    return 0


def _dates(ns: argparse.Namespace) -> int:
    from viewer.core.dates import Reference, find_time_expressions
    from viewer.core.export import dumps, time_expression_to_json
    from viewer.core.pipeline import reference_for, with_publication_date
    from viewer.core.reading import read_corpus

    path = _existing_paths([ns.file])[0]
    if Path(path).is_dir():
        raise UsageError(f"dates needs one article file, not a folder: {path}")
    corpus = read_corpus([path])
    if not corpus.documents:
        raise UsageError("; ".join(corpus.warnings) or f"could not read {path}")
    doc = with_publication_date(corpus.documents[0])
    reference = reference_for(doc)
    if ns.reference:
        try:
            day = dt.date.fromisoformat(ns.reference)
        except ValueError:
            raise UsageError(f"--reference must be YYYY-MM-DD, not {ns.reference!r}") from None
        reference = Reference(day, f"reference date {day.isoformat()} (given)")
    expressions = find_time_expressions(doc.text, reference, skip=[c.span for c in doc.chrome])
    payload = {
        "document": doc.id,
        "reference": reference.date.isoformat() if reference else None,
        "reference_basis": reference.description if reference else None,
        "expressions": [time_expression_to_json(e) for e in expressions],
        "warnings": list(corpus.warnings),
    }
    _write_stdout(dumps(payload))
    return 0


def _export(ns: argparse.Namespace) -> int:
    from viewer.resources import seeds_dir
    from viewer.ui.export_image import export_timeline_png

    corpus = _existing_paths([ns.corpus])[0] if ns.corpus else str(seeds_dir())
    if ns.width < 100 or ns.height < 100:
        raise UsageError("--width and --height must be at least 100 pixels")
    export_timeline_png([corpus], Path(ns.png), ns.width, ns.height)
    return 0


def _run_gui(args: list[str]) -> int:
    parser = _parser("timeline-viewer", "Browse the events of a folder of news articles.")
    parser.add_argument("paths", nargs="*", metavar="DIR|FILE")
    parser.add_argument("--version", action="version", version=f"timeline-viewer {__version__}")
    parser.add_argument("--reset-settings", action="store_true",
                        help="start from default settings (the old file is kept as a backup)")
    parser.add_argument("--install-desktop-entry", action="store_true",
                        help="install the .desktop entry and icon for this user, then exit")
    ns = _parse(parser, args)
    if ns.install_desktop_entry:
        from viewer.ui.desktop_entry import install_desktop_entry

        print(f"installed {install_desktop_entry()}")
        return 0
    from viewer.ui.app import run_gui

    return run_gui(_existing_paths(ns.paths), reset_settings=ns.reset_settings)


def _write_stdout(text: str) -> None:
    # Write UTF-8 whatever the locale says: the JSON carries names in many scripts.
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.flush()
