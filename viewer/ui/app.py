"""Starting the desktop application: the QApplication, the main window, the event loop."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

SCREENSHOT_ENV = "TIMELINE_VIEWER_SCREENSHOT"  # grab the window here once the first load is done
EXIT_AFTER_SCREENSHOT_ENV = "TIMELINE_VIEWER_EXIT_AFTER_SCREENSHOT"
SCREENSHOT_PNG_QUALITY = 80  # Qt maps it to zlib level 1
STARTUP_GC_PAUSE_MS = 3000  # the longest a launch runs without garbage collection


def run_gui(paths: list[str], *, reset_settings: bool = False) -> int:
    """Open the main window on ``paths`` (the bundled seeds when empty) and run until it closes."""
    # What a launch allocates (modules, Qt wrappers, the first corpus) lives as long as the
    # app, yet dozens of collections would walk it (15-30 ms). Collection resumes once the
    # first load is in, which the main window then freezes, or after STARTUP_GC_PAUSE_MS.
    gc.disable()
    try:
        return _run(paths, reset_settings)
    finally:
        gc.enable()


def _run(paths: list[str], reset_settings: bool) -> int:
    _import_core_first()
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from viewer.core import settings as settings_store
    from viewer.resources import resource_path, seeds_dir

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Timeline Viewer")
    app.setOrganizationName("")
    app.setDesktopFileName("timeline-viewer")
    app.setWindowIcon(QIcon(str(resource_path("icons", "timeline-viewer.svg"))))

    settings_file = settings_store.settings_path()
    reset_message = settings_store.reset_settings(settings_file) if reset_settings else None

    from viewer.ui.main_window import MainWindow

    window = MainWindow(settings_file=settings_file)
    if reset_message:
        window.add_app_warning(reset_message)
    _resume_gc_after_first_load(window)
    _install_screenshot_hook(window)
    app.aboutToQuit.connect(window.loader.shutdown)  # never leave a worker thread running
    window.show()
    window.open_corpus(paths or [str(seeds_dir())])
    return app.exec()


def _resume_gc_after_first_load(window: object) -> None:
    """Turn garbage collection back on after the first load, or after a while at most."""
    from PySide6.QtCore import QTimer

    def resume() -> None:
        gc.enable()

    window.corpusLoaded.connect(resume)  # type: ignore[attr-defined]
    window.loadFailed.connect(lambda _message: resume())  # type: ignore[attr-defined]
    QTimer.singleShot(STARTUP_GC_PAUSE_MS, resume)


def _import_core_first() -> None:
    """Import the core modules every launch uses before PySide6 is imported.

    PySide6 hooks the import statement: it reads the source of each module an import names
    after it is loaded, looking for its own name (~25 ms over a launch). What these modules
    import in turn (json, sqlite3, tomllib, platformdirs, the reading code) is then never
    named again, so never read.
    """
    import viewer.core.cache
    import viewer.core.pipeline
    import viewer.core.settings  # noqa: F401


def _install_screenshot_hook(window: object) -> None:
    """Honour ``TIMELINE_VIEWER_SCREENSHOT``: save a grab of the window after the first load."""
    target = os.environ.get(SCREENSHOT_ENV)
    if not target:
        return
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from viewer.core.atomic import write_atomic
    from viewer.ui.export_image import png_bytes

    done = False

    def grab() -> None:
        try:
            image = window.grab().toImage()  # type: ignore[attr-defined]
            # zlib's fastest level: half the time of Qt's default, and hardly larger.
            write_atomic(Path(target), png_bytes(image, SCREENSHOT_PNG_QUALITY))
        except OSError as error:
            print(f"timeline-viewer: could not save the screenshot: {error}", file=sys.stderr)
        finally:
            # A screenshot run must end even when the file could not be written.
            if os.environ.get(EXIT_AFTER_SCREENSHOT_ENV) == "1":
                window.close()  # type: ignore[attr-defined]
                QApplication.quit()

    def on_loaded() -> None:
        nonlocal done
        if not done:
            done = True
            # After the events already queued (layout, the first paint); grab() renders anew.
            QTimer.singleShot(0, grab)

    window.corpusLoaded.connect(on_loaded)  # type: ignore[attr-defined]
    window.loadFailed.connect(lambda _message: on_loaded())  # type: ignore[attr-defined]
