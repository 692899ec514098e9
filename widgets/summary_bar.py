"""A one-line summary of the current track's numbers, for under the canvas.

"EV 87.3 k$ · fail. readiness 40% · exposure 18% · preparedness +12 k$ ·
p(failure) 30%", or "plan invalid: 3 problems" when the plan cannot be
evaluated. Updates when the document reports a new evaluation. When the bar
is narrower than its figures, the least important ones (from the right) are
hidden rather than clipped; every figure's tooltip explains it.
"""
from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLayout, QSizePolicy

from planning.errors import ERROR
from widgets import palette
from widgets.tree_model import format_number, format_percent
from widgets.i18n import fill, translate

#: (key, caption, tooltip) of each figure, most important first.
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("ev", "EV", "expected value of the track under the best policy, responses counted at their readiness"),
    ("failure_readiness", "fail. readiness",
     "failure readiness = 1 - exposure / p(failure): how much of the failure we may meet we are ready for"),
    ("failure_exposure", "exposure", "failure exposure: probability of meeting a failure we are not ready for"),
    ("p_failure", "p(failure)", "probability that the path crosses a failure branch"),
    ("value_of_preparedness", "preparedness",
     "value of preparedness: EV gained by the responses as prepared today (EV - EV unprepared)"),
)
_SPACING = 12


def _readiness_colour(fraction: float) -> str:
    if not math.isfinite(fraction):
        return palette.TEXT_MUTED
    if fraction >= 0.75:
        return palette.BADGE_READY
    if fraction >= 0.4:
        return palette.AMBER_TEXT  # the badge's amber is too light for text on white
    return palette.BADGE_LATE


class SummaryBar(QFrame):
    """Figures of ``document.result`` for the current track, in one row.

    Parameters
    ----------
    document : Document
        The open document (ARCHITECTURE.md, "The Document").
    parent : QWidget, optional
    """

    def __init__(self, document, parent=None) -> None:
        super().__init__(parent)
        self._document = document
        self._valid = False
        self.setObjectName("summaryBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.setSpacing(_SPACING)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # narrower than all figures: hide some
        self.values: dict[str, QLabel] = {}
        for key, _caption, tip in FIGURES:
            label = QLabel(self)
            label.setToolTip(tip)
            label.setTextFormat(Qt.TextFormat.RichText)
            layout.addWidget(label)
            self.values[key] = label
        self.invalid_label = QLabel(self)
        palette.styled(self.invalid_label, "color: {BADGE_LATE}; font-weight: bold;")
        self.invalid_label.setToolTip(translate("SummaryBar", "the plan cannot be evaluated: see the Problems panel"))
        layout.addWidget(self.invalid_label)
        layout.addStretch(1)
        palette.on_change(self, self.refresh)  # figures are coloured html
        document.evaluated.connect(self.refresh)
        document.planReplaced.connect(self.refresh)
        document.currentTrackChanged.connect(self.refresh)
        self.refresh()

    def text(self) -> str:
        """What the bar shows, as plain text (figures hidden for lack of room left out)."""
        if not self._valid:
            return self.invalid_label.text()
        return " · ".join(label.property("plain") or "" for label in self.values.values()
                          if not label.isHidden())

    def full_text(self) -> str:
        """Every figure as plain text, whatever the bar's width."""
        if not self._valid:
            return self.invalid_label.text()
        return " · ".join(label.property("plain") or "" for label in self.values.values())

    def refresh(self, *_args) -> None:
        """Show the document's last evaluation (or why there is none)."""
        document = self._document
        plan = document.plan
        track_id = getattr(document, "current_track_id", None)
        track = next((t for t in plan.tracks if t.id == track_id), None)
        result = getattr(document, "result", None)
        self._valid = result is not None
        if result is None:
            problems = list(getattr(document, "problems", None) or [])
            errors = sum(1 for p in problems if getattr(p, "severity", ERROR) == ERROR) or len(problems)
            self.invalid_label.setText(
                translate("SummaryBar", "plan invalid") if not errors
                else translate("SummaryBar", "plan invalid: 1 problem") if errors == 1
                else fill(translate("SummaryBar", "plan invalid: %1 problems"), errors))
            self.invalid_label.show()
            for label in self.values.values():
                label.hide()
            return
        self.invalid_label.hide()
        unit = plan.value_unit
        with_unit = (lambda text: f"{text} {unit}") if unit else (lambda text: text)
        preparedness = result.value_of_preparedness
        shown = {
            "ev": (with_unit(format_number(result.ev)), None),
            "failure_readiness": (format_percent(result.failure_readiness),
                                  _readiness_colour(result.failure_readiness) if result.p_failure > 0 else None),
            "failure_exposure": (format_percent(result.failure_exposure), None),
            "p_failure": (format_percent(result.p_failure), None),
            "value_of_preparedness": (with_unit(("+" if preparedness > 0 else "") + format_number(preparedness)), None),
        }
        for key, caption, _tip in FIGURES:
            text, colour = shown[key]
            label = self.values[key]
            value_html = f'<b style="color:{colour}">{text}</b>' if colour else f"<b>{text}</b>"
            label.setText(fill(translate("SummaryBar", "<span style=\"color:%1\">%2</span> %3"), palette.TEXT_MUTED, caption, value_html))
            label.setProperty("plain", f"{caption} {text}")
        title = (track.title or track.id) if track is not None else ""
        self.setToolTip(f"{title}: {self.full_text()}" if title else self.full_text())
        self._fit()

    def _fit(self) -> None:
        """Show as many figures, most important first, as the width allows."""
        if not self._valid:
            return
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right() - 2 * self.frameWidth()
        used = 0
        fits = True
        for position, label in enumerate(self.values.values()):
            needed = label.sizeHint().width() + (_SPACING if position else 0)
            fits = fits and (position == 0 or used + needed <= room)  # no gaps: stop at the first misfit
            label.setVisible(fits)
            used += needed

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def minimumSizeHint(self):
        # the bar may be as narrow as its first figure: the rest hide
        hint = super().minimumSizeHint()
        first = next(iter(self.values.values()))
        hint.setWidth(first.sizeHint().width() + 20)
        return hint
