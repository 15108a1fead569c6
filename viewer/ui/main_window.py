"""The main window: timeline above, event list and details below, loading in the background."""

from __future__ import annotations

import base64
import gc
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

import viewer
from viewer.core import settings as store
from viewer.core.atomic import write_atomic
from viewer.core.filters import EventFilter, participant_names, source_choices
from viewer.core.model import Document, Event, Extraction
from viewer.core.settings import Settings
from viewer.ui.detail_pane import DetailPane
from viewer.ui.event_model import EventTableModel
from viewer.ui.event_table import EventListPanel
from viewer.ui.filter_proxy import EventFilterProxy
from viewer.ui.theme import apply_theme, window_style_sheet
from viewer.ui.timeline_widget import TimelineView
from viewer.ui.workers import CorpusLoader, EventFeed

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

# Dialogs, message boxes and the source viewer are imported where they are first used:
# every Qt class a module names is built when it is imported, and a launch needs none of them.

APP_NAME = "Timeline Viewer"
DEFAULT_SIZE = (1400, 900)  # before any size was saved
STATUS_TIMEOUT_MS = 8000
SNAPSHOT_INTERVAL_MS = 500  # interim results replace each other no more often than this
DETAILS_FOCUS_STYLE = ("QScrollArea#detailsScroll { border: 2px solid transparent; }"
                       " QScrollArea#detailsScroll:focus { border: 2px solid palette(highlight); }")


def plural(n: int, word: str) -> str:
    """'1 article', '5 articles'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def corpus_name(corpus: Sequence[str]) -> str:
    """How a corpus is named in the title and the recent list: its folder's name."""
    if not corpus:
        return ""
    first = Path(corpus[0])
    if len(corpus) == 1:
        return first.name or str(first)
    return f"{first.parent.name or first.parent} ({plural(len(corpus), 'file')})"


def corpus_from_drop(paths: Sequence[Path]) -> list[str]:
    """The corpus a drop names: the first folder dropped, else the .txt files dropped."""
    folders = [p for p in paths if p.is_dir()]
    if folders:
        return [str(folders[0])]
    return [str(p) for p in paths if p.is_file() and p.suffix.lower() == ".txt"]


def status_text(documents: int, events: int, warnings: int, shown: int | None = None) -> str:
    """The status bar's summary of what is loaded (and how many events the filters let through)."""
    parts = [plural(documents, "article"), plural(events, "event")]
    if shown is not None and shown != events:
        parts.append(f"{shown} shown")
    parts.append(plural(warnings, "warning"))
    return " · ".join(parts)


def corpus_warnings(extraction: Extraction) -> list[str]:
    """Every warning of a load, once: reading already copies each document's warnings into
    the corpus's, prefixed with the file name, so ``Document.warnings`` are not added again."""
    return list(dict.fromkeys(extraction.warnings))


def recent_label(corpus: Sequence[str], max_chars: int = 70) -> str:
    """How a recent corpus reads in the menu: its name and where it is, elided in the middle."""
    name = corpus_name(corpus)
    where = str(Path(corpus[0]).parent) if len(corpus) > 1 else corpus[0] if corpus else ""
    if len(where) > max_chars:
        keep = max_chars - 1
        where = where[: keep // 2] + "\u2026" + where[len(where) - (keep - keep // 2):]
    return f"{name} \u2014 {where}" if where and where != name else name


def export_message(kind: str, path: Path, shown: int, total: int) -> str:
    """What the status bar says after an export: what was written, and whether it was filtered."""
    what = "the timeline of " if kind == "png" else ""
    if shown == total:
        return f"Exported {what}{plural(total, 'event')} to {path}"
    return f"Exported {what}{shown} of {plural(total, 'event')} (filtered) to {path}"


def hide_all_text(total: int) -> str:
    """The empty state's words when the filters let no event through."""
    return f"Filters hide all {plural(total, 'event')}"


def _b64(data: QByteArray) -> str:
    return base64.b64encode(bytes(data.data())).decode("ascii")


def _unb64(text: str) -> QByteArray | None:
    try:
        return QByteArray(base64.b64decode(text.encode("ascii"), validate=True))
    except (ValueError, UnicodeError):
        return None


@dataclass
class _ShownLoad:
    """What of the load in flight is in the model: which extraction is going in, whether it
    is the final result, and the event to select again once it is back."""

    extraction: Extraction
    final: bool
    keep: str | None
    replacing: bool  # another corpus's events were in the model before this load's
    interim: bool = False  # an interim result was shown during this load


class FiltersHideAllNotice(QFrame):
    """"Filters hide all N events — Clear filters", centred over a view the filters emptied."""

    clearRequested = Signal()

    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self.setObjectName("filtersHideAllNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.button = QPushButton("Clear filters", self)
        self.button.setObjectName("clearFiltersButton")
        self.button.setToolTip("Show every event again")
        self.button.clicked.connect(self.clearRequested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self.hide()
        host.installEventFilter(self)

    def show_for(self, total: int) -> None:
        """Say how many events the filters hide, and show the notice centred on its host."""
        self.label.setText(f"{hide_all_text(total)} \u2014")
        self.adjustSize()
        self._centre()
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Stay centred when the host is resized."""
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self._centre()
        return False

    def _centre(self) -> None:
        host = self.parentWidget()
        if host is not None:
            self.move(max(0, (host.width() - self.width()) // 2),
                      max(0, (host.height() - self.height()) // 2))


class _WarningsList(QListWidget):
    """The warnings list, a few lines high by default rather than a quarter of the window."""

    def sizeHint(self) -> QSize:
        """About four lines of warnings."""
        hint = super().sizeHint()
        hint.setHeight(self.fontMetrics().height() * 4 + 16)
        return hint


class SourceWindow(QWidget):
    """A separate, non-modal window holding the source viewer."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from viewer.ui.source_view import SourceViewer

        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("sourceWindow")
        self.setWindowTitle(f"Source — {APP_NAME}")
        self.viewer = SourceViewer(self)
        self.viewer.setAccessibleName("Source text")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.viewer)
        self.resize(760, 720)

    def show_excerpt(self, document: Document, focus: tuple[int, int],
                     highlights: Sequence[tuple[int, int]]) -> None:
        """Show ``document`` scrolled to ``focus`` with ``highlights`` marked, and raise it."""
        self.setWindowTitle(f"{document.title or document.id} — Source — {APP_NAME}")
        self.viewer.show_document(document, focus, list(highlights))
        self.show()
        self.raise_()
        self.activateWindow()


class MainWindow(QMainWindow):
    """The application's window: one model, one filter proxy, one selection for every view."""

    corpusLoaded = Signal()  # after a load's events are in the views
    loadFailed = Signal(str)

    def __init__(self, settings_file: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self._settings_file = settings_file or store.settings_path()
        self._settings, settings_warning = store.load_settings(self._settings_file)
        self._corpus: tuple[str, ...] = ()
        self._loading: tuple[str, ...] = ()
        self._documents: dict[str, Document] = {}
        self._extraction: Extraction | None = None
        self._app_warnings: list[str] = []
        self._corpus_warnings: list[str] = []
        # The saved selection and visible range belong to the corpus they were saved with.
        self._saved_for: tuple[str, ...] = self._settings.last_corpus
        # The filters belong to a corpus too: a different corpus starts with none.
        self._filters_for: tuple[str, ...] = self._settings.last_corpus
        # A reload brings back the selection (by event id) and the range it started from.
        self._reload_view: tuple[str | None, tuple[float, float] | None] | None = None
        self._view_restored = False
        self._source_window: SourceWindow | None = None
        self._shortcuts_dialog: QDialog | None = None
        # The load in flight, once its events (interim or final) started going into the model.
        self._shown: _ShownLoad | None = None
        self._waiting_snapshot: Extraction | None = None

        self.model = EventTableModel(self)
        self.proxy = EventFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.selection = QItemSelectionModel(self.proxy, self)

        self._build_views()
        self._build_status_bar()
        self._build_actions()
        self._build_menus()
        self._connect()
        self._restore_settings()

        self.loader = CorpusLoader(self)
        self.loader.progress.connect(self._on_progress)
        self.loader.partial.connect(self._on_partial)
        self.loader.finished.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        self.feed = EventFeed(self.model, parent=self)
        self.feed.progress.connect(self._on_feed_progress)
        self.feed.finished.connect(self._on_feed_finished)
        # Interim results are shown at most this often; the newest one waiting wins.
        self._snapshot_timer = QTimer(self)
        self._snapshot_timer.setSingleShot(True)
        self._snapshot_timer.setInterval(SNAPSHOT_INTERVAL_MS)
        self._snapshot_timer.timeout.connect(self._show_waiting_snapshot)

        if settings_warning:
            self.add_app_warning(settings_warning)

    # --- construction ---------------------------------------------------------------------

    def _build_views(self) -> None:
        self.timeline = TimelineView()
        self.timeline.setObjectName("timeline")
        self.timeline.setAccessibleName("Timeline")
        self.timeline.setModel(self.proxy)
        self.timeline.setSelectionModel(self.selection)

        self.event_list = EventListPanel()
        self.event_list.setObjectName("eventList")
        self.event_list.setAccessibleName("Event list")
        self.event_list.set_models(self.proxy, self.selection)

        self.details = DetailPane()
        self.details.setObjectName("details")
        self.details.setAccessibleName("Event details")
        self.details_scroll = QScrollArea()
        self.details_scroll.setObjectName("detailsScroll")
        self.details_scroll.setAccessibleName("Event details")
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setWidget(self.details)
        self.details_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        # A Tab stop (arrow keys and Page Down scroll the details) must show that it has the
        # focus; with no frame to highlight, a border that is transparent until then.
        self.details_scroll.setStyleSheet(DETAILS_FOCUS_STYLE)
        # Details wrap to the pane's width; a sideways scroll bar would hide half of each line.
        self.details_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.list_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.list_splitter.setObjectName("listSplitter")
        self.list_splitter.addWidget(self.event_list)
        self.list_splitter.addWidget(self.details_scroll)
        self.list_splitter.setStretchFactor(0, 3)
        self.list_splitter.setStretchFactor(1, 2)
        self.list_splitter.setChildrenCollapsible(False)

        self.timeline_splitter = QSplitter(Qt.Orientation.Vertical)
        self.timeline_splitter.setObjectName("timelineSplitter")
        self.timeline_splitter.addWidget(self.timeline)
        self.timeline_splitter.addWidget(self.list_splitter)
        self.timeline_splitter.setStretchFactor(0, 2)
        self.timeline_splitter.setStretchFactor(1, 3)
        self.timeline_splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.timeline_splitter)
        width, height = DEFAULT_SIZE
        self.timeline_splitter.setSizes([height * 2 // 5, height * 3 // 5])
        self.list_splitter.setSizes([width * 3 // 5, width * 2 // 5])

        self.warnings_list = _WarningsList()
        self.warnings_list.setObjectName("warningsList")
        self.warnings_list.setAccessibleName("Warnings")
        self.warnings_list.setWordWrap(True)
        # A list's default minimum is several lines; one warning should take one line.
        self.warnings_list.setMinimumHeight(self.warnings_list.fontMetrics().height() + 12)
        self.warnings_dock = QDockWidget("Warnings", self)
        self.warnings_dock.setObjectName("warningsDock")
        self.warnings_dock.setWidget(self.warnings_list)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.warnings_dock)
        self.warnings_dock.hide()
        self._warnings_sized = False

        # Search and filters come first inside the list panel; then the views in reading order.
        table = getattr(self.event_list, "table", None)
        if table is not None:
            QWidget.setTabOrder(table, self.timeline)
        QWidget.setTabOrder(self.timeline, self.details_scroll)
        self.resize(*DEFAULT_SIZE)

        self.timeline_notice = FiltersHideAllNotice(self.timeline)
        self.list_notice = FiltersHideAllNotice(table.viewport() if table is not None
                                                else self.event_list)
        for notice in (self.timeline_notice, self.list_notice):
            notice.clearRequested.connect(self.clear_filters)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.summary_label = QLabel()
        self.summary_label.setObjectName("summaryLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("loadProgress")
        self.progress_bar.setAccessibleName("Loading progress")
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("Reading %v of %m")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelLoad")
        self.cancel_button.setToolTip("Stop loading this corpus")
        self.cancel_button.clicked.connect(self.cancel_load)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.summary_label)
        self._show_progress(False)

    def _action(self, text: str, slot, shortcuts: Sequence[QKeySequence | str] = (),
                checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts keep working while a menu bar is hidden
        return action

    def _build_actions(self) -> None:
        k = QKeySequence.StandardKey
        self.open_action = self._action("&Open Folder…", self._ask_open, [QKeySequence(k.Open)])
        self.reload_action = self._action("&Reload", self.reload, ["F5", "Ctrl+R"])
        self.export_json_action = self._action("Export Events as &JSON…",
                                               lambda: self._ask_export("json"))
        self.export_csv_action = self._action("Export Events as &CSV…",
                                              lambda: self._ask_export("csv"))
        self.export_png_action = self._action("Export Timeline as &PNG…",
                                              lambda: self._ask_export("png"))
        self.quit_action = self._action("&Quit", self.close, ["Ctrl+Q"])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        self.find_action = self._action("&Find Events", self.event_list.focus_search,
                                        [QKeySequence(k.Find)])
        self.zoom_in_action = self._action("Zoom &In", self.timeline.zoom_in,
                                           ["Ctrl++", "Ctrl+="])
        self.zoom_out_action = self._action("Zoom &Out", self.timeline.zoom_out, ["Ctrl+-"])
        self.fit_action = self._action("&Fit All", self.timeline.fit_all, ["Ctrl+0"])
        self.legend_action = self._action("Show &Legend", self.set_show_legend, checkable=True)
        self.legend_action.setChecked(True)
        self.clear_filters_action = self._action("&Clear Filters", self.clear_filters,
                                                 ["Ctrl+Shift+L"])

        self.theme_group = QActionGroup(self)
        self.theme_group.setExclusive(True)
        self.theme_actions: dict[str, QAction] = {}
        for theme, label in (("system", "&System"), ("light", "&Light"), ("dark", "&Dark")):
            action = QAction(label, self, checkable=True)
            action.setData(theme)
            action.triggered.connect(lambda _checked=False, t=theme: self.set_theme(t))
            self.theme_group.addAction(action)
            self.theme_actions[theme] = action

        self.context_action = self._action("Show &Context Events", self.set_show_context,
                                           checkable=True)
        self.context_action.setChecked(True)

        self.panel_actions: dict[str, QAction] = {}
        for key, label, widget in (("timeline", "&Timeline", self.timeline),
                                   ("list", "Event &List", self.event_list),
                                   ("details", "&Details", self.details_scroll)):
            action = QAction(label, self, checkable=True)
            action.setChecked(True)
            action.toggled.connect(widget.setVisible)
            action.toggled.connect(self._fit_lower_half)
            self.panel_actions[key] = action
        self.warnings_action = self.warnings_dock.toggleViewAction()
        self.warnings_action.setText("&Warnings")

        self.shortcuts_action = self._action("&Keyboard Shortcuts", self.show_shortcuts,
                                             [QKeySequence(k.HelpContents)])
        self.about_action = self._action(f"&About {APP_NAME}", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setObjectName("recentMenu")
        file_menu.addAction(self.reload_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_json_action)
        file_menu.addAction(self.export_csv_action)
        file_menu.addAction(self.export_png_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.find_action)
        view_menu.addAction(self.clear_filters_action)
        view_menu.addSeparator()
        view_menu.addAction(self.zoom_in_action)
        view_menu.addAction(self.zoom_out_action)
        view_menu.addAction(self.fit_action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu("T&heme")
        for action in self.theme_actions.values():
            theme_menu.addAction(action)
        view_menu.addAction(self.context_action)
        view_menu.addAction(self.legend_action)
        view_menu.addSeparator()
        panels = view_menu.addMenu("&Panels")
        for action in self.panel_actions.values():
            panels.addAction(action)
        panels.addAction(self.warnings_action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.shortcuts_action)
        help_menu.addAction(self.about_action)
        self._rebuild_recent_menu()

    def _connect(self) -> None:
        self.selection.currentRowChanged.connect(self._on_current_changed)
        self.event_list.activated.connect(self._open_first_source)
        self.timeline.activated.connect(self._open_first_source)
        self.details.openSourceRequested.connect(self.open_source)
        self.proxy.modelReset.connect(self._refresh_current)
        self.proxy.layoutChanged.connect(self._refresh_current)
        for signal in (self.proxy.modelReset, self.proxy.layoutChanged,
                       self.proxy.rowsInserted, self.proxy.rowsRemoved):
            signal.connect(self._update_summary)
            signal.connect(self._update_empty_state)
        # The list panel may offer its own context toggle; keep the menu item in step.
        self.proxy.filterStateChanged.connect(
            lambda state: self.context_action.setChecked(state.show_context))

    # --- settings -------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = self._settings
        geometry = _unb64(s.window_geometry) if s.window_geometry else None
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = _unb64(s.window_state) if s.window_state else None
        if state is not None and self.restoreState(state):
            self._warnings_sized = True
        if len(s.timeline_splitter) == self.timeline_splitter.count():
            self.timeline_splitter.setSizes(list(s.timeline_splitter))
        if len(s.list_splitter) == self.list_splitter.count():
            self.list_splitter.setSizes(list(s.list_splitter))
        self.set_theme(s.theme)
        self.proxy.apply_filter_state(replace(s.filters, show_context=s.show_context))
        self.context_action.setChecked(s.show_context)
        self.set_show_legend(s.show_legend)

    def current_settings(self) -> Settings:
        """The settings as the window stands now."""
        s = self._settings
        visible, selected = s.visible_range, s.selected_event
        if self._view_restored:  # before the first load the saved view still stands
            a, b = self.timeline.visible_range()
            visible = (float(a), float(b)) if a < b else None
            event = self.current_event()
            selected = event.id if event else None
        return replace(
            s,
            window_geometry=_b64(self.saveGeometry()),
            window_state=_b64(self.saveState()),
            timeline_splitter=tuple(self.timeline_splitter.sizes()),
            list_splitter=tuple(self.list_splitter.sizes()),
            visible_range=visible,
            filters=self.proxy.filter_state(),
            selected_event=selected,
            theme=self._theme,
            show_context=self.context_action.isChecked(),
            show_legend=self.legend_action.isChecked(),
            source_geometry=self._source_geometry(),
        )

    def save_settings(self) -> str | None:
        """Write the current settings; the error message, shown in the status bar, on failure."""
        self._settings = self.current_settings()
        message = store.save_settings(self._settings_file, self._settings)
        if message:
            self.statusBar().showMessage(message, STATUS_TIMEOUT_MS)
        return message

    # --- corpus loading -------------------------------------------------------------------

    def open_corpus(self, paths: Sequence[str | Path]) -> None:
        """Start loading ``paths`` (a folder, or .txt files) in the background."""
        corpus = tuple(str(Path(p).expanduser().resolve()) for p in paths)
        if not corpus:
            return
        if self._corpus and corpus != self._corpus:
            self.save_settings()
        if corpus == self._corpus and self._view_restored:
            event = self.current_event()
            a, b = self.timeline.visible_range()
            self._reload_view = (event.id if event else None,
                                 None if self.timeline.is_fitted() or a >= b
                                 else (float(a), float(b)))
        else:
            self._reload_view = None
        self._stop_showing()
        self._loading = corpus
        self._settings = store.with_recent(self._settings, corpus)
        self._rebuild_recent_menu()
        self._show_title(corpus)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setFormat("Reading %v of %m")
        self._show_progress(True)
        self.statusBar().showMessage(f"Loading {corpus_name(corpus)}…")
        self.loader.load(corpus)

    def reload(self) -> None:
        """Load the current corpus again from disk."""
        corpus = self._loading or self._corpus
        if corpus:
            self.open_corpus(corpus)

    def cancel_load(self) -> None:
        """Stop the load in flight; the events already shown stay."""
        if not self.is_loading():
            return
        self.loader.cancel()
        shown = self._shown
        self._stop_showing()
        self._show_progress(False)
        if shown is None:
            self._loading = ()
            self._show_title(self._corpus)
            self.statusBar().showMessage("Loading cancelled.", STATUS_TIMEOUT_MS)
            return
        # Part of the new corpus is in the views already: it stays, as what was loaded.
        events = tuple(self.model.events)
        self._shown = shown
        # A warning, not just a passing message: what is shown is not the whole folder.
        note = ("Loading was cancelled: the events shown come from part of the folder. "
                "Reload (F5) to read all of it.")
        partial = replace(shown.extraction, events=events,
                          warnings=(*shown.extraction.warnings, note))
        self._finish_load(partial, complete=False)
        self.statusBar().showMessage(
            f"Loading cancelled: {plural(len(events), 'event')} shown.", STATUS_TIMEOUT_MS)

    def _stop_showing(self) -> None:
        """Put nothing more of the load in flight into the model."""
        self.feed.stop()
        self._snapshot_timer.stop()
        self._waiting_snapshot = None
        self._shown = None

    def _show_title(self, corpus: Sequence[str]) -> None:
        name = corpus_name(corpus)
        self.setWindowTitle(f"{APP_NAME} — {name}" if name else APP_NAME)

    def is_loading(self) -> bool:
        """True while a corpus is being read, or its events are still going into the views."""
        return self.loader.is_loading() or self._shown is not None

    def _show_progress(self, visible: bool) -> None:
        self.progress_bar.setVisible(visible)
        self.cancel_button.setVisible(visible)

    def _on_progress(self, done: int, total: int) -> None:
        if self.feed.is_running():
            return  # the bar counts the events going in until they are all there
        self.progress_bar.setFormat("Reading %v of %m")
        self.progress_bar.setRange(0, max(total, 1))
        self.progress_bar.setValue(done)

    def _on_feed_progress(self, done: int, total: int) -> None:
        if done < total:
            self.progress_bar.setFormat("Showing %v of %m events")
            self.progress_bar.setRange(0, max(total, 1))
            self.progress_bar.setValue(done)
        self._keep_selection()

    def _on_partial(self, snapshot: Extraction) -> None:
        """An interim result of the load in flight: shown now, or when the last one has
        stood for a moment (each one replaces every row)."""
        self._waiting_snapshot = snapshot
        if not self._snapshot_timer.isActive():
            self._show_waiting_snapshot()

    def _show_waiting_snapshot(self) -> None:
        snapshot, self._waiting_snapshot = self._waiting_snapshot, None
        if snapshot is None or not self.loader.is_loading():
            return
        self._snapshot_timer.start()
        self._show_events(snapshot, final=False)

    def _show_events(self, extraction: Extraction, final: bool) -> None:
        """Start putting ``extraction``'s events into the model, keeping the selected event."""
        previous = self._shown
        current = self.current_event()
        if previous is None:
            # The first events of this load: the previous corpus's objects go now (see
            # _finish_load for why they were frozen).
            gc.unfreeze()
            if self._loading != self._filters_for:
                self._filters_for = self._loading
                self.clear_filters()
            self._shown = _ShownLoad(extraction, final, current.id if current else None,
                                     replacing=self._extraction is not None,
                                     interim=not final)
        else:
            self._shown = replace(previous, extraction=extraction, final=final,
                                  keep=current.id if current else previous.keep,
                                  interim=previous.interim or not final)
        # A swap resets the rows, and with them the timeline's zoom: keep the user's own.
        a, b = self.timeline.visible_range()
        zoomed = previous is not None and not self.timeline.is_fitted() and a < b
        self._extraction = extraction
        self._documents = {d.id: d for d in extraction.documents}
        self.feed.start(extraction.events)
        if zoomed:
            self.timeline.set_visible_range(float(a), float(b))

    def _keep_selection(self) -> None:
        """Select again the event that was selected before the rows were replaced, once it
        is among them."""
        shown = self._shown
        if shown is None or shown.keep is None or self.current_event() is not None:
            return
        row = self.model.row_of(shown.keep)
        if row is not None and self.select_event_row(row):
            self._shown = replace(shown, keep=None)

    def _on_feed_finished(self) -> None:
        shown = self._shown
        if shown is None:
            return
        self._keep_selection()
        if shown.final:
            self._finish_load(shown.extraction, complete=True)
        else:
            self._update_summary()

    def _on_loaded(self, extraction: Extraction) -> None:
        self._snapshot_timer.stop()
        self._waiting_snapshot = None
        self._show_events(extraction, final=True)

    def _finish_load(self, extraction: Extraction, complete: bool) -> None:
        """Every event of the load is in the model: fill the filters, restore the view."""
        shown = self._shown
        self._shown = None
        self._show_progress(False)
        self.statusBar().clearMessage()
        self._corpus, self._loading = self._loading, ()
        self._show_title(self._corpus)
        self._extraction = extraction
        self.event_list.set_choices(participant_names(extraction.events),
                                    source_choices(extraction.documents))
        self._set_date_bounds(extraction.events)
        self._corpus_warnings = corpus_warnings(extraction)
        self._refresh_warnings()
        reload_view, self._reload_view = self._reload_view, None
        if shown is not None and shown.interim:
            # The user has seen (and may have picked from) interim results: keep the
            # selection as it stands, and show everything if the view was fitted.
            self._view_restored = True
            if self.timeline.is_fitted():
                self.timeline.fit_all()
        elif reload_view is not None:
            self._restore_reload_view(*reload_view)
        else:
            self._restore_view()
        self._update_empty_state()
        # The new corpus's objects are frozen out of the garbage collector's sight: 100,000
        # events make every full collection (which could fall in any frame) cost tens of
        # milliseconds, and they hold no cycles to collect. What the previous corpus left
        # is collected first; a first load has nothing to collect worth its ~15 ms.
        if shown is None or shown.replacing:
            gc.collect()
        gc.freeze()
        if complete:
            self.corpusLoaded.emit()

    def _set_date_bounds(self, events: Sequence[Event]) -> None:
        """Tell the list's date filters the corpus's first and last dates, when it asks."""
        setter = getattr(self.event_list, "set_date_bounds", None)
        dated = [e.when for e in events if e.when is not None]
        if setter is not None and dated:
            setter(min(w.start for w in dated), max(w.end for w in dated))

    def _restore_reload_view(self, event_id: str | None,
                             visible: tuple[float, float] | None) -> None:
        """After a reload: the same event selected (if it is still there), the same range."""
        row = self.model.row_of(event_id) if event_id else None
        if row is None or row < 0 or not self.select_event_row(row):
            self.selection.clearCurrentIndex()
            self.details.show_event(None, self._documents)
        if visible is not None:
            self.timeline.set_visible_range(*visible)
        else:
            self.timeline.fit_all()

    def _on_failed(self, message: str) -> None:
        shown = self._shown
        self._stop_showing()
        if shown is not None:
            # Interim results are in the views: they stay, as what could be loaded.
            self._shown = shown
            self._finish_load(replace(shown.extraction, events=tuple(self.model.events)),
                              complete=False)
            self._loading = self._corpus
        self._show_progress(False)
        failed, self._loading = self._loading, ()
        self._show_title(self._corpus)
        text = f"Could not load {corpus_name(failed) or 'the corpus'}: {message}"
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)
        self._corpus_warnings = [text]
        self._refresh_warnings()
        self.loadFailed.emit(message)

    def _restore_view(self) -> None:
        """Bring back the saved selection and visible range, once, for their own corpus."""
        s = self._settings
        restore = not self._view_restored and self._corpus == self._saved_for
        self._view_restored = True
        row = self.model.row_of(s.selected_event) if restore and s.selected_event else None
        if row is not None and row >= 0:
            self.select_event_row(row)
        else:
            self.selection.clearCurrentIndex()
            self.details.show_event(None, self._documents)
        if restore and s.visible_range:
            self.timeline.set_visible_range(*s.visible_range)
        else:
            self.timeline.fit_all()

    # --- selection and sources ------------------------------------------------------------

    def select_event_row(self, source_row: int) -> bool:
        """Make the event in the model's ``source_row`` current everywhere; False if hidden."""
        proxy_index = self.proxy.mapFromSource(self.model.index(source_row, 0))
        if not proxy_index.isValid():
            return False
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.selection.setCurrentIndex(proxy_index, flags)
        return True

    def current_event(self) -> Event | None:
        """The event under the shared selection's current index."""
        return self._event_at(self.selection.currentIndex())

    def _event_at(self, proxy_index: QModelIndex | QPersistentModelIndex) -> Event | None:
        if not proxy_index.isValid():
            return None
        return self.proxy.event_at(proxy_index.row())

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        event = self._event_at(current)
        shown = self.details.current_event
        self.details.show_event(event, self._documents)
        if event is not None and (shown is None or shown.id != event.id):
            self.details_scroll.verticalScrollBar().setValue(0)  # a new event opens at its title

    def _refresh_current(self) -> None:
        self.details.show_event(self.current_event(), self._documents)

    def _open_first_source(self, index: QModelIndex) -> None:
        event = self._event_at(index)
        if event is None or not event.sources:
            return
        first = event.sources[0]
        self.open_source(first.document, first.start, first.end)

    def open_source(self, document_id: str, start: int, end: int) -> None:
        """Show a document in the source window at ``start:end``, the event's excerpts marked."""
        document = self._documents.get(document_id)
        if document is None:
            self.statusBar().showMessage(f"{document_id} is not loaded.", STATUS_TIMEOUT_MS)
            return
        event = self.current_event()
        highlights = [(x.start, x.end) for x in (event.sources if event else ())
                      if x.document == document_id]
        if (start, end) not in highlights:
            highlights.insert(0, (start, end))
        if self._source_window is None:
            self._source_window = SourceWindow(self)
            self._place_source_window(self._source_window)
        self._source_window.show_excerpt(document, (start, end), highlights)

    def _place_source_window(self, window: SourceWindow) -> None:
        """Where the user last left it; else over the right part of this window, where the
        details are, so the timeline and the list stay in sight."""
        saved = _unb64(self._settings.source_geometry) if self._settings.source_geometry else None
        if saved is not None and window.restoreGeometry(saved):
            return
        frame = self.frameGeometry()
        screen = self.screen().availableGeometry() if self.screen() is not None else frame
        width = min(760, max(480, frame.width() * 2 // 5))
        height = min(frame.height(), screen.height())
        x = min(frame.right() - width, screen.right() - width)
        window.resize(width, max(height - 40, 400))
        window.move(max(x, screen.left()), max(frame.top(), screen.top()))

    def _source_geometry(self) -> str:
        if self._source_window is None:
            return self._settings.source_geometry
        return _b64(self._source_window.saveGeometry())

    @property
    def source_window(self) -> SourceWindow | None:
        """The source window, once a source has been opened."""
        return self._source_window

    # --- warnings and status --------------------------------------------------------------

    def add_app_warning(self, message: str) -> None:
        """Tell the user something once: in the status bar and in the warnings panel."""
        self._app_warnings.append(message)
        self.statusBar().showMessage(message, STATUS_TIMEOUT_MS * 2)
        self._refresh_warnings()

    def warnings(self) -> list[str]:
        """Every warning the panel lists."""
        return [*self._app_warnings, *self._corpus_warnings]

    def _refresh_warnings(self) -> None:
        items = self.warnings()
        self.warnings_list.clear()
        self.warnings_list.addItems(items)
        self.warnings_dock.setVisible(bool(items))
        self._update_summary()
        if items and not self._warnings_sized:
            # A few lines high the first time; the user's own size is kept from then on.
            self._warnings_sized = True
            lines = min(len(items), 4)
            row = self.warnings_list.fontMetrics().height() + 4
            # Deferred: a dock that has just been shown has no place in the layout yet.
            QTimer.singleShot(0, lambda: self.resizeDocks(
                [self.warnings_dock], [lines * row + 12], Qt.Orientation.Vertical))

    def _update_summary(self) -> None:
        if self._extraction is None:
            return
        self.summary_label.setText(status_text(
            len(self._extraction.documents), len(self._extraction.events),
            len(self.warnings()), self.proxy.rowCount()))

    def _update_empty_state(self) -> None:
        """Over the timeline and the list, say when the filters hide every event, and offer
        to clear them; otherwise the views speak for themselves."""
        total = self.model.rowCount()
        hidden_all = total > 0 and self.proxy.rowCount() == 0
        for notice in (self.timeline_notice, self.list_notice):
            if hidden_all:
                notice.show_for(total)
            else:
                notice.hide()
        self.timeline.set_empty_hint("" if hidden_all else "No dated events to show")
        if hidden_all:
            self.summary_label.setToolTip(hide_all_text(total))

    def clear_filters(self) -> None:
        """Show every event again: no search, no kind, person, source or date limits."""
        panel_clear = getattr(self.event_list, "clear_filters", None)
        if callable(panel_clear):
            panel_clear()
        show_context = self.context_action.isChecked()
        if self.proxy.filter_state() != EventFilter(show_context=show_context):
            self.proxy.apply_filter_state(EventFilter(show_context=show_context))
        self._update_empty_state()

    # --- view actions ---------------------------------------------------------------------

    def set_show_legend(self, show: bool) -> None:
        """Show or hide the key of kind colours and marker shapes in the timeline."""
        self.legend_action.setChecked(show)
        self.timeline.set_legend_visible(show)

    def set_theme(self, theme: str) -> None:
        """Switch between the system, light and dark look."""
        self._theme = apply_theme(theme)
        sheet = window_style_sheet(self._theme)
        if self.styleSheet() != sheet:  # setting one re-polishes every widget in the window
            self.setStyleSheet(sheet)
        self.theme_actions[self._theme].setChecked(True)

    def set_show_context(self, show: bool) -> None:
        """Show or hide background (context) events in every view."""
        self.context_action.setChecked(show)
        self.proxy.set_show_context(show)

    def _fit_lower_half(self) -> None:
        """Hide the list/details half when both its panels are hidden, so nothing blank stays."""
        self.list_splitter.setVisible(self.panel_actions["list"].isChecked()
                                      or self.panel_actions["details"].isChecked())

    def show_shortcuts(self) -> None:
        """A non-modal dialog listing the keyboard shortcuts."""
        if self._shortcuts_dialog is None:
            self._shortcuts_dialog = self._make_shortcuts_dialog()
        self._shortcuts_dialog.show()
        self._shortcuts_dialog.raise_()

    def _shortcut_rows(self) -> list[tuple[str, str]]:
        rows = []
        for action in (self.open_action, self.reload_action, self.quit_action,
                       self.find_action, self.clear_filters_action, self.zoom_in_action,
                       self.zoom_out_action, self.fit_action, self.shortcuts_action):
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                             for s in action.shortcuts())
            rows.append((action.text().replace("&", "").rstrip("…"), keys))
        # Keys the timeline and the search box handle themselves (see their keyPressEvent).
        rows += [
            ("Clear the search", "Escape (in the search box)"),
            ("Previous / next event", "Left / Right (timeline), Up / Down (list)"),
            ("Zoom the timeline in / out", "+ / \u2212 (timeline focused)"),
            ("Show every event", "Home (timeline focused)"),
            ("Go to the last event", "End (timeline focused)"),
            ("Open the event's source", "Enter, double-click"),
            ("Zoom the timeline", "Mouse wheel (or Ctrl+wheel)"),
            ("Pan the timeline", "Drag, or Shift+wheel"),
            ("Move between panels", "Tab, Shift+Tab"),
        ]
        return rows

    def _make_shortcuts_dialog(self) -> QDialog:
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem

        dialog = QDialog(self)
        dialog.setObjectName("shortcutsDialog")
        dialog.setWindowTitle("Keyboard Shortcuts")
        dialog.setModal(False)
        rows = self._shortcut_rows()
        table = QTableWidget(len(rows), 2, dialog)
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        for r, (what, keys) in enumerate(rows):
            table.setItem(r, 0, QTableWidgetItem(what))
            table.setItem(r, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
        buttons.rejected.connect(dialog.close)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(480, 400)
        return dialog

    def show_about(self) -> None:
        """The About box: name, version, one line of what it does."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle(f"About {APP_NAME}")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"{APP_NAME} {viewer.__version__}")
        box.setInformativeText(
            "Reads a folder of news articles, finds the events they report, merges reports "
            "of the same event, and shows them on a zoomable timeline with their sources."
        )
        box.setIcon(QMessageBox.Icon.Information)
        box.open()  # window-modal but never blocks the event loop

    def _show_error(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setObjectName("errorBox")
        box.open()

    # --- file dialogs, exports ------------------------------------------------------------

    def _ask_open(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        start = self._corpus[0] if self._corpus else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Open Folder of Articles", start)
        if folder:
            self.open_corpus([folder])

    def _rebuild_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()
        for corpus in self._settings.recent_corpora:
            action = menu.addAction(recent_label(corpus).replace("&", "&&"))  # no mnemonics
            action.setToolTip("\n".join(corpus))
            action.setStatusTip(", ".join(corpus))
            action.setEnabled(all(Path(p).exists() for p in corpus))
            action.triggered.connect(lambda _checked=False, c=corpus: self.open_corpus(c))
        if self._settings.recent_corpora:
            menu.addSeparator()
        clear = menu.addAction("&Clear Menu")
        clear.setEnabled(bool(self._settings.recent_corpora))
        clear.triggered.connect(self.clear_recent)

    def clear_recent(self) -> None:
        """Forget the recently opened corpora."""
        self._settings = replace(self._settings, recent_corpora=())
        self._rebuild_recent_menu()

    def shown_events(self) -> list[Event]:
        """The events the filters let through, in the list's order."""
        events = (self.proxy.event_at(row) for row in range(self.proxy.rowCount()))
        return [e for e in events if e is not None]

    def _ask_export(self, kind: str) -> None:
        from PySide6.QtWidgets import QFileDialog

        labels = {"json": ("Export Events as JSON", "JSON files (*.json)", "events.json"),
                  "csv": ("Export Events as CSV", "CSV files (*.csv)", "events.csv"),
                  "png": ("Export Timeline as PNG", "PNG images (*.png)", "timeline.png")}
        title, pattern, name = labels[kind]
        start = str(Path(self._corpus[0]).parent / name) if self._corpus else name
        path, _ = QFileDialog.getSaveFileName(self, title, start, pattern)
        if path:
            self.export(kind, Path(path))

    def export(self, kind: str, path: Path) -> bool:
        """Write the shown events (json, csv) or the timeline (png) to ``path``; False on error."""
        from viewer.core import export

        try:
            if kind == "json":
                data: bytes | str = export.events_to_json(self.shown_events(),
                                                         list(self._documents.values()))
            elif kind == "csv":
                data = export.events_to_csv(self.shown_events())
            elif kind == "png":
                data = self._timeline_png()
            else:
                raise ValueError(f"unknown export format {kind!r}")
            write_atomic(path, data)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._show_error("Export Failed", f"Could not write {path}:\n{reason}")
            return False
        self.statusBar().showMessage(
            export_message(kind, path, self.proxy.rowCount(), self.model.rowCount()),
            STATUS_TIMEOUT_MS)
        return True

    def _timeline_png(self) -> bytes:
        from viewer.ui.export_image import png_bytes, timeline_title

        # At least 1600 px wide, so an export from a small window is still legible.
        scale = max(1.0, 1600 / max(self.timeline.width(), 1))
        width = round(self.timeline.width() * scale)
        height = max(round(self.timeline.height() * scale), 400)
        title = timeline_title(corpus_name(self._corpus), self.shown_events(),
                               self.model.rowCount(), self.proxy.filter_state())
        return png_bytes(self.timeline.render_image(width, height, title=title, legend=True))

    # --- drag and drop, closing -----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept folders and .txt files."""
        if self._dropped_corpus(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Open what was dropped."""
        corpus = self._dropped_corpus(event)
        if corpus:
            event.acceptProposedAction()
            # After the drop returns, so the drag source is not kept waiting on the load start.
            QTimer.singleShot(0, lambda: self.open_corpus(corpus))

    @staticmethod
    def _dropped_corpus(event: QDragEnterEvent | QDropEvent) -> list[str]:
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return []
        return corpus_from_drop([Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()])

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the settings and wait for the background load to stop."""
        self.save_settings()
        self._stop_showing()
        self.loader.shutdown()
        if self._source_window is not None:
            self._source_window.close()
        if self._shortcuts_dialog is not None:
            self._shortcuts_dialog.close()
        super().closeEvent(event)
