"""Installing a freedesktop.org launcher and icon for the current user."""

from __future__ import annotations

import os
from pathlib import Path

from viewer.core.atomic import write_atomic
from viewer.resources import resource_path

DESKTOP_FILE = "timeline-viewer.desktop"
ICON_FILE = "timeline-viewer.svg"


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute (per the spec)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def install_desktop_entry() -> Path:
    """Write the launcher and the scalable icon under the user's data dir; the launcher's path."""
    home = data_home()
    entry = home / "applications" / DESKTOP_FILE
    icon = home / "icons" / "hicolor" / "scalable" / "apps" / ICON_FILE
    for target, source in ((icon, resource_path("icons", ICON_FILE)),
                           (entry, resource_path(DESKTOP_FILE))):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, source.read_bytes())
    return entry
