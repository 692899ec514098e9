"""The strip above an analysis view: progress of the background run, Cancel, Run again, status."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget

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
