"""Starting the desktop application: the QApplication, the main window, the event loop."""

from __future__ import annotations

import os
import sys
from pathlib import Path

SCREENSHOT_ENV = "TIMELINE_VIEWER_SCREENSHOT"  # grab the window here once the first load is done
EXIT_AFTER_SCREENSHOT_ENV = "TIMELINE_VIEWER_EXIT_AFTER_SCREENSHOT"


def run_gui(paths: list[str], *, reset_settings: bool = False) -> int:
    """Open the main window on ``paths`` (the bundled seeds when empty) and run until it closes."""
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
    _install_screenshot_hook(window)
    app.aboutToQuit.connect(window.loader.shutdown)  # never leave a worker thread running
    window.show()
    window.open_corpus(paths or [str(seeds_dir())])
    return app.exec()


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
            write_atomic(Path(target), png_bytes(image))
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
