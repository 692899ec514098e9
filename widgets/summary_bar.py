"""A one-line summary of the current track's numbers, for under the canvas.

"EV 87.3 k$ · fail. readiness 40% · exposure 18% · p(failure) 30% ·
preparedness +12 k$", or "plan invalid: 3 problems" when the plan cannot be
evaluated. Updates when the document reports a new evaluation. When the bar
is narrower than its figures, the captions are shortened first ("ready 40%",
"prep. +12 k$"); only when even those do not fit are the least important
figures (from the right) hidden, and a "+2 more" at the end says so, its
tooltip giving them (the bar's tooltip gives every figure). Nothing is clipped.
"""
from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLayout, QSizePolicy

from planning.model.errors import ERROR
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
#: Shorter captions for a narrow bar (a 1280-px window), tried before any figure is hidden.
SHORT_CAPTIONS = {"ev": "EV", "failure_readiness": "ready", "failure_exposure": "exp.",
                  "p_failure": "p(fail)", "value_of_preparedness": "prep."}
_SPACING = 12


def _readiness_colour(fraction: float) -> str:
    if not math.isfinite(fraction):
        return palette.TEXT_MUTED
    if fraction >= 0.75:
        return palette.BADGE_READY
    if fraction >= 0.4:
        return palette.AMBER_TEXT  # the badge's amber is too light for text on white
    return palette.BADGE_LATE


def _rule_text(result) -> str:
    """After the EV: the second criterion (two criteria) or the rule's value (a rule), with units."""
    settings = getattr(result, "settings", None)
    if settings is None:
        return ""
    if settings.two and result.values is not None:
        unit = settings.units[1]
        value = format_number(result.values[1]) + (f" {unit}" if unit else "")
        return f", {settings.names[1] or 'criterion 2'} {value}"
    if settings.rule != "expected" and result.rule_value is not None:
        unit = settings.units[0]
        return f", {settings.rule.replace('-', ' ')} {format_number(result.rule_value)}" + (f" {unit}" if unit else "")
    return ""


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
        self.more_label = QLabel(self)  # "+2 more": figures hidden for lack of room, in its tooltip
        self.more_label.setStyleSheet(f"color: {palette.TEXT_MUTED};")
        layout.addWidget(self.more_label)
        self.more_label.hide()
        self._texts: dict[str, dict[bool, tuple[str, str]]] = {}  # key -> short? -> (html, plain)
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
        """What the bar shows, as plain text (short captions when it is narrow, "+N more" when it hides some)."""
        if not self._valid:
            return self.invalid_label.text()
        shown = [label.property("plain") or "" for label in self.values.values() if not label.isHidden()]
        if not self.more_label.isHidden():
            shown.append(self.more_label.text())
        return " · ".join(shown)

    def full_text(self) -> str:
        """Every figure as plain text with its full caption, whatever the bar's width."""
        if not self._valid:
            return self.invalid_label.text()
        return " · ".join(self._texts[key][False][1] for key in self.values if key in self._texts)

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
            self.more_label.hide()
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
        shown["ev"] = (shown["ev"][0] + _rule_text(result), None)
        for key, caption, _tip in FIGURES:
            text, colour = shown[key]
            value_html = f'<b style="color:{colour}">{text}</b>' if colour else f"<b>{text}</b>"
            template = translate("SummaryBar", "<span style=\"color:%1\">%2</span> %3")
            self._texts[key] = {
                short: (fill(template, palette.TEXT_MUTED, words, value_html), f"{words} {text}")
                for short, words in ((False, caption), (True, SHORT_CAPTIONS[key]))}
        title = (track.title or track.id) if track is not None else ""
        self.setToolTip(f"{title}: {self.full_text()}" if title else self.full_text())
        self._fit()

    def _captions(self, short: bool) -> list[int]:
        """Put the full or short captions on the figures; their widths."""
        widths = []
        for key, label in self.values.items():
            html, plain = self._texts[key][short]
            if label.property("plain") != plain:
                label.setText(html)
                label.setProperty("plain", plain)
            widths.append(label.sizeHint().width())
        return widths

    def _fit(self) -> None:
        """Every figure with its full caption if they fit, else with short ones, else the first few and "+N more"."""
        if not self._valid or not self._texts:
            return
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right() - 2 * self.frameWidth()
        for short in (False, True):
            widths = self._captions(short)
            if sum(widths) + _SPACING * (len(widths) - 1) <= room:
                for label in self.values.values():
                    label.show()
                self.more_label.hide()
                return
        keys = list(self.values)
        shown = len(keys)
        while shown > 1:  # hide from the right until the rest and "+N more" fit
            shown -= 1
            self.more_label.setText(fill(translate("SummaryBar", "+%1 more"), len(keys) - shown))
            needed = sum(widths[:shown]) + _SPACING * shown + self.more_label.sizeHint().width()
            if needed <= room:
                break
        hidden = keys[shown:]
        for position, key in enumerate(keys):
            self.values[key].setVisible(position < shown)
        self.more_label.setText(fill(translate("SummaryBar", "+%1 more"), len(hidden)))
        self.more_label.setToolTip(" · ".join(self._texts[key][False][1] for key in hidden))
        self.more_label.show()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def minimumSizeHint(self):
        # the bar may be as narrow as its first figure and "+4 more": the rest hide
        hint = super().minimumSizeHint()
        first = next(iter(self.values.values()))
        if self.more_label.isHidden():  # its widest text, for the width it may need
            self.more_label.setText(fill(translate("SummaryBar", "+%1 more"), len(self.values) - 1))
        hint.setWidth(first.sizeHint().width() + _SPACING + self.more_label.sizeHint().width() + 20)
        return hint
