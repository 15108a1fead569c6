"""Where the data files under ``resources/`` live, in a checkout or an installed package."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir() -> Path:
    """The folder holding the data files: names, titles, places, icons."""
    for candidate in (_PACKAGE_DIR.parent / "resources", _PACKAGE_DIR / "_resources"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE_DIR.parent / "resources"


def resource_path(*parts: str) -> Path:
    """The path of one data file under resources/."""
    return resource_dir().joinpath(*parts)


def seeds_dir() -> Path:
    """The bundled default corpus."""
    for candidate in (_PACKAGE_DIR.parent / "seeds", _PACKAGE_DIR / "_seeds"):
        if candidate.is_dir():
            return candidate
    return _PACKAGE_DIR.parent / "seeds"
