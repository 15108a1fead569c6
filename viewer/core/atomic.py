"""Writing files so that a crash or a full disk never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path | str, data: bytes | str, *, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``data`` in one step; on failure raise OSError, leave no temp."""
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else bytes(data)
    # The temp file must sit in the same folder: os.replace is only atomic within one filesystem.
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        _keep_mode(target, temp_name)
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _sync_folder(target.parent)


def _keep_mode(target: Path, temp_name: str) -> None:
    """Give the new file the old file's permissions (mkstemp creates it 0600)."""
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        # Reading the umask means setting it, which races with other threads; 0644 is the norm.
        mode = 0o644
    with contextlib.suppress(OSError):
        os.chmod(temp_name, mode)


def _sync_folder(folder: Path) -> None:
    """Flush the rename itself to disk where the platform allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
