"""Value of information: what knowing each ranged quantity before the first decision is worth.

:func:`compute_voi` runs :func:`planning.analyses.voi.value_of_information` for the
controller's worker thread (progress after each chunk, cancel between
chunks; the same numbers as ``branchwise voi`` for the same seed, whatever
the chunking). :func:`draw_voi` draws the EVPPI of each quantity as a bar,
largest on top, with the EVPI as a line: no bar can pass it. :class:`VoiView`
puts the figure under iterations, seed and a run bar, and exports it
through :mod:`widgets.analysis.plot_export` (PNG, SVG, CSV).
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from planning.model.plan import Plan
from planning.analyses.voi import VoiResult, value_of_information
from planning.analyses.voi import value_unit as voi_unit
from widgets import palette
from widgets.analysis.data import AnalysisCancelled, Cancelled, Progress
from widgets.analysis.plot_export import (
    ExportButton, FigureData, add_plot, category_axis, message, new_figure, retheme_figures, shorten,
    unit_suffix,
)
from widgets.analysis.run_bar import add_run_bar, simulation_controls
from widgets.analysis.sensitivity_view import param_label
from widgets.i18n import fill, translate

#: Bars drawn at most (the CSV holds every quantity).
MAX_BARS = 14
#: Progress steps of a run (chunks of the Monte Carlo rollback).
STEPS = 8


def compute_voi(plan: Plan, track_id: str | None = None, iterations: int = 10_000, seed: int = 0,
                progress: Progress | None = None, cancelled: Cancelled | None = None) -> VoiResult:
    """EVPI and EVPPIs of the track's first decision, in chunks, for a worker thread.

    Raises :class:`~widgets.analysis.data.AnalysisCancelled` between chunks
    once ``cancelled()`` is True.
    """
    def step(done: int, total: int) -> None:
        if cancelled is not None and cancelled():
            raise AnalysisCancelled()
        if progress is not None:
            progress(done, total)

    chunk = max(1000, -(-iterations // STEPS))
    return value_of_information(plan, track_id, iterations=iterations, seed=seed, chunk=chunk, progress=step)


def quantity_text(plan: Plan, evppi, labels: dict[str, str], limit: int = 40) -> str:
    """A bar's label: a variable's description (its name without one), ``p(node)`` or ``payoff(node)``."""
    if evppi.kind == "variable":
        variable = evppi.name.rpartition(".")[2]
        node = plan.nodes.get(evppi.node_id) if evppi.node_id else None
        scope = node.variables if node is not None else plan.variables
        described = next((v.description for v in scope if v.name == variable and v.description), "")
        if described:
            return shorten(described, limit)
    return param_label(evppi.name, labels, limit, plan)


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2g}"


def draw_voi(figure: pg.GraphicsLayoutWidget, result: VoiResult, plan: Plan) -> FigureData:
    """EVPPI bars per quantity (planner labels), the EVPI line; returns the CSV table."""
    figure.clear()
    unit = voi_unit(plan)  # two criteria: the combined value has no unit
    labels = {n.id: n.label or n.id for n in plan.nodes.values()}
    data = FigureData("Value of information", ["what", "name", "label", "value", "unit", "decision", "iterations", "seed"])
    where = shorten(labels.get(result.decision, result.decision or ""), 50)
    common = [unit, result.decision or "", result.iterations, result.seed]
    data.rows.append(["evpi", "", "every ranged quantity", result.evpi, *common])
    for e in result.evppi:
        data.rows.append(["evppi", e.name, quantity_text(plan, e, labels, 200), e.value, *common])
    data.rows.append(["ev_now", result.best_option or "", labels.get(result.best_option, ""), result.ev_now, *common])
    data.rows.append(["noise", "", "estimator bias (random ordering)", result.noise, *common])
    if result.decision is None:
        message(figure.addPlot(), translate("VoiView", "no decision in this track: information cannot change a choice"))
        return data
    # A title is as wide as its text and a plot never narrower than its title:
    # a long decision label goes on a second line so the chart fits a narrow dock.
    title = fill(translate("VoiView", "Worth knowing before “%1”"), where)
    if len(where) > 24:
        title = title.replace(" “", "<br>“", 1)
    plot = add_plot(figure, title,
                    fill(translate("VoiView", "Worth knowing first%1"), unit_suffix(unit)), "", row=0, col=0)
    if result.evpi <= 0:
        message(plot, translate("VoiView", "worth nothing: no ranged quantity can change the best option here"))
        return data
    shown = [e for e in result.evppi if e.value > 0][:MAX_BARS]
    y = np.arange(len(shown))[::-1].astype(float)
    if shown:
        values = np.array([e.value for e in shown])
        plot.addItem(pg.BarGraphItem(x0=np.zeros(len(shown)), x1=values, y=y, height=0.62,
                                     brush=palette.DECISION, pen=pg.mkPen(palette.DECISION)))
        for yy, e in zip(y, shown):
            text = pg.TextItem(_fmt(e.value), color=palette.TEXT, anchor=(0, 0.5))
            text.setPos(e.value, yy)
            plot.addItem(text)
        category_axis(plot, "left", [quantity_text(plan, e, labels, 34) for e in shown], positions=y, limit=34)
    else:
        category_axis(plot, "left", [])
    line = pg.InfiniteLine(result.evpi, angle=90, movable=False,
                           pen=pg.mkPen(palette.FAILURE, width=2),
                           label=f"EVPI {_fmt(result.evpi)}",
                           labelOpts={"position": 0.06, "color": palette.FAILURE_TEXT, "anchors": [(1.0, 1.0)] * 2,
                                      "fill": palette.qcolor(palette.BACKGROUND, 215)})
    plot.addItem(line)
    if result.noise >= 0.02 * result.evpi:  # a line hugging the axis would say nothing
        plot.addItem(pg.InfiniteLine(result.noise, angle=90, movable=False,
                                     pen=pg.mkPen(palette.TEXT_MUTED, width=1, style=pg.QtCore.Qt.PenStyle.DashLine),
                                     label="noise", labelOpts={"position": 0.97, "color": palette.TEXT_MUTED,
                                                               "anchors": [(0.0, 0.0)] * 2}))
    plot.setXRange(0, result.evpi * 1.12, padding=0)
    plot.setYRange(-0.7, max(len(shown), 1) - 0.3, padding=0)
    plot.showGrid(x=True, y=False, alpha=0.18)
    return data


class VoiView(QWidget):
    """The value-of-information chart of the current track, with iterations, seed and a run bar.

    Parameters
    ----------
    document : Document
        Read for the plan's labels and value unit.
    """

    runRequested = Signal()

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("voi_view")
        self.document = document
        self.result: VoiResult | None = None
        self.data: FigureData | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.iterations, self.seed = simulation_controls(
            self, top, (translate("VoiView", "Iterations"), translate("VoiView", "Seed")),
            (self.tr("Monte Carlo iterations"), self.tr("Random seed")), ("voi_iterations", "voi_seed"))
        top.addStretch(1)
        self.export_button = ExportButton(lambda: (self.figure, self.data, "value-of-information"), self)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.run_bar = add_run_bar(self, layout)
        self.summary = QLabel("", self)
        self.summary.setObjectName("voi_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.figure = new_figure(self)
        self.figure.setAccessibleName(self.tr("Value of information plot"))
        layout.addWidget(self.figure, 1)
        message(self.figure.addPlot(), translate("VoiView", "value of information is computed when this panel is open"))
        palette.on_change(self, self.retheme)  # the chart reads the palette when drawn: light or dark

    def retheme(self) -> None:
        """Draw again in the current colour scheme (also light for an export, see ExportButton)."""
        retheme_figures([self.figure])
        if self.result is not None:
            self.data = draw_voi(self.figure, self.result, self.document.plan)

    def settings(self) -> tuple[int, int]:
        """(iterations, seed), read in the GUI thread."""
        return self.iterations.value(), self.seed.value()

    def show_result(self, result: VoiResult) -> None:
        """Draw a result (from the controller, in the GUI thread)."""
        plan = self.document.plan
        self.result = result
        self.data = draw_voi(self.figure, result, plan)
        self.summary.setText(summary_text(plan, result))

    def show_error(self, text: str) -> None:
        """The track cannot be simulated: say why in place of the chart."""
        self.result = None
        self.data = None
        self.summary.setText("")
        self.figure.clear()
        message(self.figure.addPlot(), text)


def summary_text(plan: Plan, result: VoiResult) -> str:
    """One or two sentences over the chart, in the words of ``branchwise voi``."""
    from planning.analyses.voi import quantity_label

    if result.decision is None:
        return translate("VoiView", "No decision in this track.")
    labels = {n.id: n.label or n.id for n in plan.nodes.values()}
    unit = f" {voi_unit(plan)}" if voi_unit(plan) else ""
    decision = labels.get(result.decision, result.decision)
    text = fill(translate("VoiView", "EV at stake: %1 deciding now."), _fmt(result.ev_now) + unit) + " "
    if result.evpi <= 0:
        return text + fill(translate("VoiView", "Knowing the ranged quantities before “%1” is worth nothing: "
                                                "none can change the best option."), decision)
    text += fill(translate("VoiView", "Knowing every ranged quantity before “%1” is worth up to %2."),
                 decision, _fmt(result.evpi) + unit)
    if result.evpi > 0 and result.evppi and result.evppi[0].value > 0:
        top = result.evppi[0]
        text += " " + fill(translate("VoiView", "Most worth knowing: %1, up to %2."), quantity_label(plan, top),
                           _fmt(top.value) + unit)
    return text


__all__ = ["VoiView", "compute_voi", "draw_voi", "quantity_text", "summary_text"]
