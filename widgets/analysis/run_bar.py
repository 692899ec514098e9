"""The strip above an analysis view: progress of the background run, Cancel, Run again, status.

Also the iterations and seed boxes of the Monte Carlo views (outcome, value of
information), which ask for a run the same way the Run button does.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QBoxLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QSpinBox, QWidget,
)

from widgets import palette
from widgets.i18n import translate


class RunBar(QWidget):
    """Progress bar, Cancel and Run buttons and a one-line status.

    The analysis controller (``app/analysis.py``) drives it: ``set_running``,
    ``set_progress`` and ``set_status``; the user's clicks come out as
    ``runRequested`` and ``cancelRequested``.
    """

    runRequested = Signal()
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("analysis_progress")
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(True)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.progress.hide()
        self.cancel_button = QPushButton(translate("RunBar", "Cancel"), self)
        self.cancel_button.setObjectName("analysis_cancel")
        self.cancel_button.setToolTip(translate("RunBar", "Stop this computation (Esc)"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.run_button = QPushButton(translate("RunBar", "Run"), self)
        self.run_button.setObjectName("analysis_run")
        self.run_button.setToolTip(translate("RunBar", "Compute again now (it also runs by itself half a second after each edit)"))
        self.run_button.clicked.connect(self.runRequested)
        self.status = QLabel("", self)
        self.status.setObjectName("analysis_status")
        palette.styled(self.status, "color: {TEXT_MUTED}")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.run_button)
        layout.addWidget(self.cancel_button)
        layout.addWidget(self.progress)
        layout.addWidget(self.status, 1)

    def set_running(self, running: bool) -> None:
        """Show the progress bar and enable Cancel while a run is under way."""
        self.progress.setVisible(running)
        self.cancel_button.setEnabled(running)
        if running:
            self.progress.setValue(0)

    def set_progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` steps finished."""
        self.progress.setValue(int(round(100 * done / total)) if total > 0 else 0)

    def set_status(self, text: str, error: bool = False) -> None:
        """One line of status; errors in the failure text colour."""
        self.status.setText(text)
        self.status.setToolTip(text)
        palette.styled(self.status, "color: {FAILURE_TEXT}" if error else "color: {TEXT_MUTED}")


def simulation_controls(view: QWidget, row: QHBoxLayout, labels: tuple[str, str],
                        accessible_names: tuple[str, str], object_names: tuple[str, str],
                        seed_description: str = "") -> tuple[QSpinBox, QSpinBox]:
    """Add "Iterations" and "Seed" boxes to ``row``; (iterations, seed).

    Finishing an edit in either emits ``view.runRequested``. The words come
    from the caller, translated in its own context, so each view keeps its
    own labels and access keys.

    Parameters
    ----------
    view : QWidget
        The analysis view; it must have a ``runRequested`` signal.
    row : QHBoxLayout
        Where the labels and boxes go, in reading order.
    labels, accessible_names, object_names : (str, str)
        For the iterations box, then the seed box.
    seed_description : str, optional
        The seed box's accessible description.
    """
    iterations = QSpinBox(view)
    iterations.setRange(100, 1_000_000)
    iterations.setSingleStep(1000)
    iterations.setValue(10_000)
    iterations.setGroupSeparatorShown(True)
    seed = QSpinBox(view)
    seed.setRange(0, 2_147_483_647)
    if seed_description:
        seed.setAccessibleDescription(seed_description)
    for box, label_text, name, object_name in zip((iterations, seed), labels, accessible_names, object_names):
        label = QLabel(label_text)
        label.setBuddy(box)
        box.setAccessibleName(name)
        box.setObjectName(object_name)
        box.editingFinished.connect(view.runRequested)
        row.addWidget(label)
        row.addWidget(box)
    return iterations, seed


def add_run_bar(view: QWidget, layout: QBoxLayout) -> RunBar:
    """A :class:`RunBar` on a row of its own in ``layout``; Run emits ``view.runRequested``.

    A row of its own keeps the dock narrow enough to sit beside the canvas on
    a 1280-px screen.
    """
    run_bar = RunBar(view)
    layout.addWidget(run_bar)
    run_bar.runRequested.connect(view.runRequested)
    return run_bar
