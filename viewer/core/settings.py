"""The user's settings: one versioned JSON file, read tolerantly and written atomically.

A damaged file never stops the app: it is moved aside as a dated backup, the fields that
could be read are kept, every other field takes its default, and the caller gets a one-time
warning to show. Older files are brought up to date by small ordered migration functions,
one per schema version.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from viewer.core.atomic import write_atomic
from viewer.core.filters import EventFilter
from viewer.core.model import EventKind

SCHEMA_VERSION = 3
MAX_RECENT = 10
THEMES = ("system", "light", "dark")
CONFIG_DIR_ENV = "TIMELINE_VIEWER_CONFIG_DIR"

Corpus = tuple[str, ...]  # the paths one opens together: a folder, or a set of .txt files


@dataclass(frozen=True)
class Settings:
    """Everything the app remembers between runs."""

    schema_version: int = SCHEMA_VERSION
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState()
    timeline_splitter: tuple[int, ...] = ()  # timeline above, list and details below
    list_splitter: tuple[int, ...] = ()  # list left, details right
    visible_range: tuple[float, float] | None = None  # days since 1970-01-01
    last_corpus: Corpus = ()
    recent_corpora: tuple[Corpus, ...] = ()
    filters: EventFilter = field(default_factory=EventFilter)
    selected_event: str | None = None
    theme: str = "system"
    show_context: bool = True
    show_legend: bool = True  # the key of kind colours and shapes in the timeline's corner
    source_geometry: str = ""  # base64 of the source window's saveGeometry()


def settings_path() -> Path:
    """Where the settings file lives (``$TIMELINE_VIEWER_CONFIG_DIR`` overrides the default)."""
    override = os.environ.get(CONFIG_DIR_ENV)
    base = Path(override) if override else Path(
        platformdirs.user_config_dir("timeline-viewer", appauthor=False)
    )
    return base / "settings.json"


def with_recent(settings: Settings, corpus: Sequence[str]) -> Settings:
    """The settings with ``corpus`` opened last: first in the recent list, deduplicated."""
    entry = tuple(str(p) for p in corpus)
    if not entry:
        return settings
    recent = (entry, *(c for c in settings.recent_corpora if c != entry))[:MAX_RECENT]
    return replace(settings, last_corpus=entry, recent_corpora=recent)


# --- reading -------------------------------------------------------------------------------


class _BadField(ValueError):
    """A field whose stored value cannot be used."""


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _BadField
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise _BadField
    return value


def _optional_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _BadField
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _BadField
    return float(value)


def _sizes(value: Any) -> tuple[int, ...]:
    if not isinstance(value, list):
        raise _BadField
    sizes = tuple(_int(v) for v in value)
    if any(s < 0 for s in sizes):
        raise _BadField
    return sizes


def _range(value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise _BadField
    a, b = _float(value[0]), _float(value[1])
    if not a < b:
        raise _BadField
    return a, b


def _corpus(value: Any) -> Corpus:
    if not isinstance(value, list):
        raise _BadField
    return tuple(_str(v) for v in value)


def _recent(value: Any) -> tuple[Corpus, ...]:
    if not isinstance(value, list):
        raise _BadField
    unique = dict.fromkeys(c for c in (_corpus(v) for v in value) if c)
    return tuple(unique)[:MAX_RECENT]


def _date(value: Any) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(_str(value))


def _kinds(value: Any) -> frozenset[EventKind] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise _BadField
    return frozenset(EventKind(_str(v)) for v in value)


def _filters(value: Any) -> EventFilter:
    if not isinstance(value, dict):
        raise _BadField
    return EventFilter(
        search=_str(value.get("search", "")),
        kinds=_kinds(value.get("kinds")),
        participant=_optional_str(value.get("participant")),
        source=_optional_str(value.get("source")),
        date_from=_date(value.get("date_from")),
        date_to=_date(value.get("date_to")),
        show_context=_bool(value.get("show_context", True)),
    )


def filter_to_json(f: EventFilter) -> dict[str, Any]:
    """An EventFilter as a JSON-ready mapping."""
    return {
        "search": f.search,
        "kinds": None if f.kinds is None else sorted(k.value for k in f.kinds),
        "participant": f.participant,
        "source": f.source,
        "date_from": f.date_from.isoformat() if f.date_from else None,
        "date_to": f.date_to.isoformat() if f.date_to else None,
        "show_context": f.show_context,
    }


def _theme(value: Any) -> str:
    if value not in THEMES:
        raise _BadField
    return value


_PARSERS: dict[str, Callable[[Any], Any]] = {
    "schema_version": _int,
    "window_geometry": _str,
    "window_state": _str,
    "timeline_splitter": _sizes,
    "list_splitter": _sizes,
    "visible_range": _range,
    "last_corpus": _corpus,
    "recent_corpora": _recent,
    "filters": _filters,
    "selected_event": _optional_str,
    "theme": _theme,
    "show_context": _bool,
    "show_legend": _bool,
    "source_geometry": _str,
}


def _migrate_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 kept one path per corpus and a flat ``geometry``/``state``/``recent``."""
    out = dict(data)
    renames = {"geometry": "window_geometry", "state": "window_state", "recent": "recent_corpora"}
    for old, new in renames.items():
        if old in out:
            out.setdefault(new, out.pop(old))
    if isinstance(out.get("last_corpus"), str):
        out["last_corpus"] = [out["last_corpus"]]
    if isinstance(out.get("recent_corpora"), list):
        out["recent_corpora"] = [[c] if isinstance(c, str) else c for c in out["recent_corpora"]]
    out["schema_version"] = 2
    return out


def _migrate_v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3 adds ``show_legend`` and ``source_geometry``; their defaults fit old files."""
    return {**data, "schema_version": 3}


# Each function takes a file at version N to version N + 1; they run in order.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _migrate_v1_to_v2,
    2: _migrate_v2_to_v3,
}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring a settings mapping read from disk up to the current schema version."""
    version = data.get("schema_version", 1)
    if isinstance(version, bool) or not isinstance(version, int):
        return data  # left for field parsing to reject
    while version < SCHEMA_VERSION and version in MIGRATIONS:
        data = MIGRATIONS[version](data)
        version = data["schema_version"]
    return data


def settings_from_json(data: Mapping[str, Any]) -> tuple[Settings, list[str]]:
    """Settings from a migrated mapping, and the names of the fields that had to be defaulted."""
    values: dict[str, Any] = {}
    bad: list[str] = []
    for f in fields(Settings):
        if f.name not in data:
            continue
        try:
            values[f.name] = _PARSERS[f.name](data[f.name])
        except (_BadField, TypeError, ValueError):
            bad.append(f.name)
    values["schema_version"] = SCHEMA_VERSION
    return Settings(**values), bad


def settings_to_json(settings: Settings) -> dict[str, Any]:
    """The settings as a JSON-ready mapping."""
    return {
        "schema_version": SCHEMA_VERSION,
        "window_geometry": settings.window_geometry,
        "window_state": settings.window_state,
        "timeline_splitter": list(settings.timeline_splitter),
        "list_splitter": list(settings.list_splitter),
        "visible_range": list(settings.visible_range) if settings.visible_range else None,
        "last_corpus": list(settings.last_corpus),
        "recent_corpora": [list(c) for c in settings.recent_corpora],
        "filters": filter_to_json(settings.filters),
        "selected_event": settings.selected_event,
        "theme": settings.theme,
        "show_context": settings.show_context,
        "show_legend": settings.show_legend,
        "source_geometry": settings.source_geometry,
    }


def backup_path(path: Path, label: str = "corrupt", now: dt.datetime | None = None) -> Path:
    """A free name beside ``path`` for keeping a damaged or replaced settings file."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.{label}-{stamp}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{label}-{stamp}-{n}")
        n += 1
    return candidate


def _keep_aside(path: Path, label: str = "corrupt") -> Path | None:
    """Move ``path`` to a backup name (copy if it cannot be moved); None if neither works."""
    target = backup_path(path, label)
    try:
        path.rename(target)
        return target
    except OSError:
        pass
    try:
        shutil.copyfile(path, target)
        return target
    except OSError:
        return None


def _damaged(path: Path, what: str) -> str:
    kept = _keep_aside(path)
    where = f"it was kept as {kept.name}" if kept else "it could not be backed up"
    return f"The settings file {path} {what}; {where}."


def load_settings(path: Path) -> tuple[Settings, str | None]:
    """The settings stored at ``path``, and a one-time warning if the file was damaged."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(), None
    except OSError as exc:
        return Settings(), _damaged(path, f"could not be read ({exc.strerror or exc})") + \
            " Default settings are used."
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Settings(), _damaged(path, "is damaged") + " Default settings are used."
    if not isinstance(data, dict):
        return Settings(), _damaged(path, "is damaged") + " Default settings are used."
    settings, bad = settings_from_json(migrate(data))
    if not bad:
        return settings, None
    names = ", ".join(bad)
    return settings, _damaged(path, f"had unusable values ({names})") + \
        " Those settings were reset to their defaults."


def save_settings(path: Path, settings: Settings) -> str | None:
    """Write the settings atomically; an error message instead of an exception on failure."""
    text = json.dumps(settings_to_json(settings), indent=2, sort_keys=True) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    except OSError as exc:
        return f"Could not save settings to {path}: {exc.strerror or exc}"
    return None


def reset_settings(path: Path) -> str | None:
    """Move the settings file aside so the next start uses defaults; a message if that fails."""
    if not path.exists():
        return None
    kept = _keep_aside(path, "reset")
    if kept is None:
        return f"Could not move the settings file {path} aside."
    try:
        if path.exists():  # copied rather than moved: the original must still go
            path.unlink()
    except OSError as exc:
        return f"Could not reset settings at {path}: {exc.strerror or exc}"
    return None
