"""Analysis docks and the worker that feeds them, off the GUI thread.

:func:`install_analysis` adds five docks to a :class:`app.main_window.MainWindow`
(Outcomes, Sensitivity, Readiness, Priorities, Value of information) with View-menu entries, and an
:class:`AnalysisController` that recomputes what the open docks show half a
second after the last edit. Monte Carlo, sensitivity and the readiness report
run in a private one-thread pool: the job only reads the plan and returns
plain Python/numpy objects; Qt objects are touched in the GUI thread only,
when the result arrives. Monte Carlo runs in chunks so that the progress bar
moves and Cancel stops it between chunks. A result computed while the plan
changed underneath is thrown away by generation, as the Document does.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDockWidget, QMenu, QWidget

from widgets.analysis.data import AnalysisCancelled, compute_sensitivity, readiness_report, simulate_chunked
from widgets.analysis.outcome_view import OutcomeView
from widgets.analysis.priority_view import PriorityView
from widgets.analysis.readiness_view import ReadinessView
from widgets.analysis.sensitivity_view import SensitivityView
from widgets.analysis.league_view import LeagueView
from widgets.analysis.voi_view import VoiView, compute_voi
from widgets.i18n import fill, number, translate
from widgets.tracks_view import TracksView

DEBOUNCE_MS = 500
#: A raised analysis dock is made tall enough for its plot to get this share
#: of the window's height ...
PLOT_SHARE = 0.37
#: ... as long as the dock takes no more than this share (the canvas stays usable).
MAX_DOCK_SHARE = 0.6
OUTCOME, SENSITIVITY, READINESS = "outcome", "sensitivity", "readiness"
VOI = "voi"
KINDS = (READINESS, OUTCOME, SENSITIVITY, VOI)


class _JobSignals(QObject):
    progress = Signal(str, int, int, int)  # kind, job serial, done, total
    finished = Signal(str, int, object, str, float)  # kind, job serial, result, error, seconds


class _Job(QRunnable):
    """Run ``work(progress, cancelled)`` in a pool thread; report through signals only."""

    serials = 0

    def __init__(self, kind: str, generation: int, work: Callable, signals: _JobSignals):
        super().__init__()
        self.kind, self.generation, self.work, self.signals = kind, generation, work, signals
        _Job.serials += 1
        self.serial = _Job.serials
        self.cancel_event = threading.Event()

    def run(self) -> None:
        start = time.perf_counter()
        result, error = None, ""
        try:
            if self.cancel_event.is_set():
                raise AnalysisCancelled()
            result = self.work(lambda done, total: self.signals.progress.emit(self.kind, self.serial, done, total),
                               self.cancel_event.is_set)
        except AnalysisCancelled:
            error = "cancelled"
        except Exception as exc:  # noqa: BLE001 - shown in the view; the plan may have changed mid-run
            error = str(exc) or type(exc).__name__
        self.signals.finished.emit(self.kind, self.serial, result, error, time.perf_counter() - start)


class AnalysisController(QObject):
    """Recompute the open analysis views after edits, in a worker thread.

    Parameters
    ----------
    document : Document
    views : dict
        ``{"outcome": OutcomeView, "sensitivity": SensitivityView, "readiness": ReadinessView}``.
    docks : dict, optional
        The dock of each view: a view in a hidden dock is only marked stale
        and computed when its dock is shown.
    """

    resultShown = Signal(str)  # kind, after a view drew a fresh result

    def __init__(self, document, views: dict[str, Any], docks: dict[str, QDockWidget] | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self.views = views
        self.docks = docks or {}
        self.generation = 0
        self.stale: set[str] = set(KINDS)
        self.jobs: dict[str, _Job] = {}
        self.timings: dict[str, float] = {}
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.signals = _JobSignals(self)
        self.signals.progress.connect(self._progress)
        self.signals.finished.connect(self._finished)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.run_stale)
        document.changed.connect(self._plan_changed)
        document.planReplaced.connect(self._plan_changed)
        document.currentTrackChanged.connect(self._plan_changed)
        outcome, sensitivity = views.get(OUTCOME), views.get(SENSITIVITY)
        if outcome is not None:
            outcome.runRequested.connect(lambda: self.rerun(OUTCOME))
            outcome.run_bar.cancelRequested.connect(lambda: self.cancel(OUTCOME))
        if sensitivity is not None:
            sensitivity.settingsChanged.connect(lambda: self.rerun(SENSITIVITY))
            sensitivity.run_bar.cancelRequested.connect(lambda: self.cancel(SENSITIVITY))
        voi = views.get(VOI)
        if voi is not None:
            voi.runRequested.connect(lambda: self.rerun(VOI))
            voi.run_bar.cancelRequested.connect(lambda: self.cancel(VOI))
        # A tabbed dock behind another reports isVisible() True; its
        # visibilityChanged signal says whether it is really on screen.
        self.on_screen: dict[str, bool] = {kind: False for kind in self.docks}
        for kind, dock in self.docks.items():
            dock.visibilityChanged.connect(lambda visible, k=kind: self._visibility(k, visible))

    def _visibility(self, kind: str, visible: bool) -> None:
        self.on_screen[kind] = visible
        if visible and kind in self.stale:
            self.rerun(kind)

    # -- scheduling -------------------------------------------------------------------
    def _plan_changed(self, *_args) -> None:
        self.generation += 1
        self.stale = set(KINDS)
        self.debounce.start()

    def _wanted(self, kind: str) -> bool:
        if kind not in self.views:
            return False
        dock = self.docks.get(kind)
        return dock is None or (dock.isVisible() and self.on_screen.get(kind, False))

    def run_stale(self) -> None:
        """Start every stale computation whose view is on screen."""
        for kind in KINDS:
            if kind in self.stale and self._wanted(kind):
                self.rerun(kind)

    def rerun(self, kind: str) -> None:
        """Cancel ``kind``'s running job, if any, and start it again on the current plan."""
        self.cancel(kind, quiet=True)
        self.stale.discard(kind)
        work = self._work(kind)
        job = _Job(kind, self.generation, work, self.signals)
        self.jobs[kind] = job
        self._run_bar(kind, lambda bar: (bar.set_running(True), bar.set_status(translate("AnalysisController", "computing…"))))
        self.pool.start(job)

    def cancel(self, kind: str, quiet: bool = False) -> None:
        """Ask ``kind``'s job to stop at its next check."""
        job = self.jobs.pop(kind, None)
        if job is not None:
            job.cancel_event.set()
            if not quiet:
                self._run_bar(kind, lambda bar: (bar.set_running(False), bar.set_status(translate("AnalysisController", "cancelled"))))

    def _work(self, kind: str) -> Callable:
        """What the job computes; the settings are read here, in the GUI thread."""
        plan, track_id = self.document.plan, self.document.current_track_id or None
        if kind == OUTCOME:
            view = self.views[OUTCOME]
            iterations, seed = view.iterations.value(), view.seed.value()
            return lambda progress, cancelled: simulate_chunked(plan, track_id, iterations, seed, progress, cancelled)
        if kind == SENSITIVITY:
            view = self.views[SENSITIVITY]
            settings = dict(policy=view.policy(), sweep_var=view.sweep_var(), map_x=view.map_x(), map_y=view.map_y(),
                            decision=view.decision())
            return lambda progress, cancelled: compute_sensitivity(plan, track_id, progress=progress,
                                                                   cancelled=cancelled, **settings)
        if kind == VOI:
            iterations, seed = self.views[VOI].settings()
            return lambda progress, cancelled: compute_voi(plan, track_id, iterations, seed, progress, cancelled)
        return lambda progress, cancelled: readiness_report(plan, cancelled=cancelled)

    def _run_bar(self, kind: str, action: Callable) -> None:
        bar = getattr(self.views.get(kind), "run_bar", None)
        if bar is not None:
            action(bar)

    # -- results (GUI thread) ----------------------------------------------------------------
    def _progress(self, kind: str, serial: int, done: int, total: int) -> None:
        job = self.jobs.get(kind)
        if job is not None and job.serial == serial:
            self._run_bar(kind, lambda bar: bar.set_progress(done, total))

    def _finished(self, kind: str, serial: int, result: Any, error: str, seconds: float) -> None:
        job = self.jobs.get(kind)
        if job is None or job.serial != serial or job.cancel_event.is_set():
            return  # cancelled or superseded: a newer job (or none) owns the view
        del self.jobs[kind]
        generation = job.generation
        self._run_bar(kind, lambda bar: bar.set_running(False))
        if generation != self.generation:
            self.stale.add(kind)
            self.debounce.start()
            return
        view = self.views[kind]
        if error:
            view.show_error(error)
            self._run_bar(kind, lambda bar: bar.set_status(error, error=True))
            return
        self.timings[kind] = seconds
        if kind == OUTCOME:
            view.show_result(result)
            status = _iterations_status(result, seconds)
        elif kind == SENSITIVITY:
            view.show_bundle(result)
            problems = "; ".join(f"{k}: {v}" for k, v in result.errors.items())
            status = fill(translate("AnalysisController", "%1 ranged parameters: %2 s"),
                          len(result.parameters), number(seconds, 2)) + (f" — {problems}" if problems else "")
        elif kind == VOI:
            view.show_result(result)
            status = _iterations_status(result, seconds)
        else:
            view.show_report(result)
            status = ""
        self._run_bar(kind, lambda bar: bar.set_status(status))
        self.resultShown.emit(kind)

    def busy(self) -> bool:
        """True while a job is queued or running."""
        return bool(self.jobs)

    def wait(self, timeout_ms: int = 60_000) -> None:
        """Block until the pending debounce and jobs are done (scripts and tests)."""
        from PySide6.QtCore import QCoreApplication

        if self.debounce.isActive():
            self.debounce.stop()
            self.run_stale()
        deadline = time.monotonic() + timeout_ms / 1000
        while (self.jobs or self.pool.activeThreadCount()) and time.monotonic() < deadline:
            self.pool.waitForDone(50)
            QCoreApplication.processEvents()
        QCoreApplication.processEvents()

    def shutdown(self) -> None:
        """Cancel everything and wait for the worker (at window close)."""
        for kind in list(self.jobs):
            self.cancel(kind, quiet=True)
        self.pool.waitForDone(30_000)


DOCKS = (
    ("outcome", "Outcomes", OutcomeView),
    ("sensitivity", "Sensitivity", SensitivityView),
    ("readiness", "Readiness", ReadinessView),
    ("priority", "Priorities", PriorityView),
    ("voi", "Value of information", VoiView),
    ("league", "League table", LeagueView),
    ("tracks", "Tracks", TracksView),  # linked tracks: the plan's map
)


def _iterations_status(result, seconds: float) -> str:
    """The run bar's line after a Monte Carlo run, in the window's locale."""
    return fill(translate("AnalysisController", "%1 iterations, seed %2: %3 s"),
                number(result.iterations), result.seed, number(seconds, 2))


def install_analysis(window) -> AnalysisController:
    """Add the analysis docks, their View-menu entries and the controller to a MainWindow.

    The docks are tabified with the Problems dock at the bottom (Problems
    stays in front); View > Analysis shows and raises each one. Returns the
    controller, also kept as ``window.analysis``.
    """
    document = window.document
    views: dict[str, Any] = {}
    docks: dict[str, QDockWidget] = {}
    anchor = getattr(window, "docks", {}).get("problems")
    for name, title, cls in DOCKS:
        view = cls(document)
        dock = QDockWidget(title, window)
        dock.setObjectName(f"dock_{name}")
        dock.setWidget(view)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        if anchor is not None:
            window.tabifyDockWidget(anchor, dock)
        views[name], docks[name] = view, dock
        if hasattr(view, "set_on_screen"):
            # Tabbed behind another dock, a view is "visible" to Qt but unseen.
            view.set_on_screen(False)
            dock.visibilityChanged.connect(view.set_on_screen)
        if hasattr(window, "docks"):
            window.docks[name] = dock
        # Tabbed with the one-line Problems panel, a dock raised by its tab
        # would open as a strip with no plot: give it room once it is shown.
        dock.visibilityChanged.connect(lambda visible, d=dock: _fit_when_raised(window, d, visible))
    if anchor is not None:
        anchor.raise_()
    menu = QMenu(translate("Analysis", "&Analysis"), window)
    menu.setObjectName("menu_analysis")
    for name, title, _cls in DOCKS:
        action = menu.addAction(title)
        action.setObjectName(f"action_show_{name}")
        action.triggered.connect(lambda _checked=False, n=name: show_dock(window, docks[n]))
    view_menu = next((a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "View"), None)
    if view_menu is not None:
        view_menu.addSeparator()
        view_menu.addMenu(menu)
    else:
        window.menuBar().addMenu(menu)
    panels = getattr(window, "actions", {}).get("panels")
    if panels is not None and panels.menu() is not None:
        for name, _title, _cls in DOCKS:
            panels.menu().addAction(docks[name].toggleViewAction())
    controller = AnalysisController(document, {k: views[k] for k in (OUTCOME, SENSITIVITY, READINESS, VOI)},
                                    {k: docks[k] for k in (OUTCOME, SENSITIVITY, READINESS, VOI)}, window)
    window.analysis = controller
    window.analysis_views = views
    canvas = getattr(window, "canvas", None)
    if canvas is not None and hasattr(canvas, "highlight_policy"):
        # A League table row selected: its policy drawn bold on the canvas.
        views["league"].policySelected.connect(canvas.highlight_policy)
    return controller


def plot_widget(view: QWidget) -> QWidget:
    """The part of an analysis view that shows the result: the current plot tab, or the table."""
    tabs = getattr(view, "tabs", None)
    if tabs is not None and tabs.currentWidget() is not None:
        return tabs.currentWidget()
    return getattr(view, "table", None) or view


def fit_raised_dock(window, dock: QDockWidget) -> None:
    """Make a docked analysis panel tall enough that its plot gets PLOT_SHARE of the window.

    What the dock needs besides the plot (title, settings, run bar, tab bar)
    is measured after a first resize, since a squeezed dock squeezes those
    too. A floating dock, or one already tall enough, is left alone.
    """
    area = window.dockWidgetArea(dock)
    if dock.isFloating() or not dock.isVisible() or dock.widget() is None or area not in (
            Qt.DockWidgetArea.BottomDockWidgetArea, Qt.DockWidgetArea.TopDockWidgetArea):
        return  # floating, or beside the canvas: it already has the window's height
    plot = plot_widget(dock.widget())
    height = window.height()
    wanted = int(height * PLOT_SHARE)
    if plot.height() >= wanted:
        return
    ceiling = int(height * MAX_DOCK_SHARE)
    orientation = Qt.Orientation.Vertical
    target = min(ceiling, max(dock.height(), height * 2 // 5))
    for _ in range(3):
        window.resizeDocks([dock], [target], orientation)
        for _level in range(4):  # lay out now, to measure: the window, the dock, the view, its tabs
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        shown = plot_widget(dock.widget()).height()
        if shown >= wanted or dock.height() >= ceiling:
            break
        target = min(ceiling, target + wanted - shown)  # resizeDocks counts the tab bar too


def _fit_when_raised(window, dock: QDockWidget, visible: bool) -> None:
    # After the tab switch is laid out, not in the middle of it.
    if visible:
        QTimer.singleShot(0, lambda: fit_raised_dock(window, dock))


def show_dock(window, dock: QDockWidget) -> None:
    """Show and raise an analysis dock, tall enough for a plot."""
    dock.show()
    dock.raise_()
    fit_raised_dock(window, dock)


__all__ = ["AnalysisController", "DEBOUNCE_MS", "fit_raised_dock", "install_analysis", "plot_widget", "show_dock"]
