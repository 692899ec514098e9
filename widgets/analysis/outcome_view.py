"""Monte Carlo pictures: outcome and EV histograms, the risk profile, end shares, best options.

``draw_histogram`` and ``draw_risk`` fill a figure from a
:class:`planning.engine.montecarlo.SimulationResult`; :class:`OutcomeView` shows
both in tabs above a run bar (iterations, seed, progress, cancel). The view
does not compute: the analysis controller runs the simulation off the GUI
thread and hands the result to :meth:`OutcomeView.show_result`.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from planning.engine.compile import PATH_NAMES
from widgets import palette
from widgets.analysis.plot_export import (
    FigureData, add_legend, add_plot, category_axis, message, new_figure, percent_ticks, shorten,
    top_legend, unit_suffix,
)
from widgets.analysis.fit import FittedExportButton, fit_on_resize, fit_width
from widgets.analysis.marker_labels import MarkerLabels, room_above_bars, room_for_value_labels
from widgets.analysis.plot_export import retheme_figures  # light / dark
from widgets.analysis.run_bar import add_run_bar, simulation_controls
from widgets.i18n import QT_TRANSLATE_NOOP, fill, translate

MAX_BINS = 40
#: At most this many distinct values are drawn one bar per value.
DISCRETE_LIMIT = 30
#: Quantiles drawn for a cumulative curve (enough to look smooth, small in SVG).
CDF_POINTS = 401
MAX_OPTION_ROWS = 12
#: Narrower than this, the plots go one above the other even in a short dock.
WIDE_MIN_WIDTH = 560
#: Lower than this, the plots go side by side even in a narrow dock.
STACK_MIN_HEIGHT = 400
#: The risk profile's three charts go in one row only from this width.
RISK_WIDE_MIN_WIDTH = 900
MARKERS = (("mean", QT_TRANSLATE_NOOP("OutcomeView", "mean")), ("p5", "P5"), ("p50", "P50"), ("p95", "P95"))
#: How a sampled path ends, as the legend and the bar chart name it (the CSV keeps PATH_NAMES).
PATH_TEXT = {"success": QT_TRANSLATE_NOOP("OutcomeView", "success"),
             "failure": QT_TRANSLATE_NOOP("OutcomeView", "failure"),
             "neutral": QT_TRANSLATE_NOOP("OutcomeView", "neutral")}
#: The same under the bars of the path-ends chart, capitalised (a translation may not capitalise so).
PATH_AXIS = {"success": QT_TRANSLATE_NOOP("OutcomeView", "Success"),
             "failure": QT_TRANSLATE_NOOP("OutcomeView", "Failure"),
             "neutral": QT_TRANSLATE_NOOP("OutcomeView", "Neutral")}


def _bins(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Bin edges, bar centres, bar widths and whether the values are a few discrete ones.

    A plan without payoff ranges has only a handful of possible outcomes:
    those get one bar each, at the value itself, instead of a sparse histogram.
    """
    uniq = np.unique(values)
    if uniq.size <= DISCRETE_LIMIT:
        if uniq.size == 1:
            half = max(abs(float(uniq[0])) * 0.05, 0.5)
            return np.array([uniq[0] - half, uniq[0] + half]), uniq, np.array([half]), True
        mids = (uniq[1:] + uniq[:-1]) / 2
        edges = np.concatenate([[2 * uniq[0] - mids[0]], mids, [2 * uniq[-1] - mids[-1]]])
        width = min(float(np.diff(uniq).min()) * 0.8, float(uniq[-1] - uniq[0]) / 30)
        return edges, uniq, np.full(uniq.size, width), True
    edges = np.histogram_bin_edges(values, bins="auto")
    if edges.size - 1 > MAX_BINS:
        edges = np.linspace(float(uniq[0]), float(uniq[-1]), MAX_BINS + 1)
    width = np.diff(edges)
    return edges, edges[:-1] + width / 2, width * 0.94, False


def _stats(values: np.ndarray) -> dict[str, float]:
    p5, p50, p95 = np.percentile(values, [5, 50, 95])
    return {"mean": float(values.mean()), "p5": float(p5), "p50": float(p50), "p95": float(p95)}


def _fmt(value: float) -> str:
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def _marker_lines(plot: pg.PlotItem, stats: dict[str, float], data_top: float) -> MarkerLabels:
    """Vertical lines at the mean and the 5th/50th/95th percentiles, labelled without overlaps.

    The labels are placed by :class:`MarkerLabels` in rows at the top of the
    plot, the mean and the median first: two lines close together get their
    labels one under the other instead of one over the other.
    """
    for key, _name in MARKERS:
        solid = key == "mean"
        pen = pg.mkPen(palette.TEXT if solid else palette.TEXT_MUTED, width=2 if solid else 1.5,
                       style=pg.QtCore.Qt.PenStyle.SolidLine if solid else pg.QtCore.Qt.PenStyle.DashLine)
        plot.addItem(pg.InfiniteLine(stats[key], angle=90, pen=pen, movable=False))
    names = dict(MARKERS)
    return MarkerLabels(plot, [(stats[key], f"{translate('OutcomeView', names[key])} {_fmt(stats[key])}", palette.TEXT)
                               for key in ("mean", "p50", "p5", "p95")],
                        fill=palette.qcolor(palette.BACKGROUND, 215), data_top=data_top)


def _add_marker_legend(legend: pg.LegendItem) -> None:
    """Legend entries for the mean (solid) and percentile (dashed) lines."""
    legend.addItem(pg.PlotDataItem([0, 1], [0, 0], pen=pg.mkPen(palette.TEXT, width=2)),
                   translate("OutcomeView", "mean"))
    legend.addItem(pg.PlotDataItem([0, 1], [0, 0], pen=pg.mkPen(palette.TEXT_MUTED, width=1.5,
                                                                style=pg.QtCore.Qt.PenStyle.DashLine)),
                   translate("OutcomeView", "P5 / P50 / P95"))  # as the lines are labelled


def draw_histogram(figure: pg.GraphicsLayoutWidget, sim, unit: str = "", wide: bool = False) -> FigureData:
    """Histograms of realised outcomes (stacked by how the path ends) and of the EV.

    Parameters
    ----------
    figure : GraphicsLayoutWidget
        Cleared and filled.
    sim : SimulationResult
    unit : str
        The plan's value unit, for the axis titles.
    wide : bool
        Side by side (for a short, wide dock) instead of one above the other.
    """
    figure.clear()
    data = FigureData("Outcome distribution", ["series", "bin_low", "bin_high", "iterations", "share",
                                                "success", "failure", "neutral"])
    n = max(sim.iterations, 1)
    stats = _stats(sim.outcome)
    # One legend row where the dock allows (fit_width wraps it when not), and one
    # above the other the unit goes into the titles instead of an axis title
    # under each plot: the bars get the height those rows took.
    legend = top_legend(figure, row=0, columns=5, colspan=2 if wide else 1)
    top = add_plot(figure, translate("OutcomeView", "Realised outcome, by how the path ends") if wide else
                   fill(translate("OutcomeView", "Realised outcome of one sampled path%1"), unit_suffix(unit)),
                   fill(translate("OutcomeView", "Realised outcome%1"), unit_suffix(unit)) if wide else "",
                   translate("OutcomeView", "% of iterations"), row=1, col=0)
    edges, centres, widths, discrete = _bins(sim.outcome)
    bottom = np.zeros(centres.size)
    per_path = {}
    for code, name in enumerate(PATH_NAMES):
        counts, _ = np.histogram(sim.outcome[sim.end_path == code], bins=edges)
        per_path[name] = counts
        if counts.any():
            bars = pg.BarGraphItem(x=centres, height=100.0 * counts / n, width=widths, y0=bottom.copy(),
                                   brush=palette.PATH_COLORS[name], pen=pg.mkPen(palette.BACKGROUND, width=0.5))
            top.addItem(bars)
            legend.addItem(bars, translate("OutcomeView", PATH_TEXT.get(name, name)))  # the title says: how the path ends
        bottom += 100.0 * counts / n
    _add_marker_legend(legend)
    top.setYRange(0, max(float(bottom.max()) * 1.05, 1.0), padding=0)
    _marker_lines(top, stats, max(float(bottom.max()) * 1.05, 1.0))  # room above the bars for the labels
    total = sum(per_path.values())
    for k in range(centres.size):
        low_edge, high_edge = (centres[k], centres[k]) if discrete else (edges[k], edges[k + 1])
        data.rows.append(["outcome", float(low_edge), float(high_edge), int(total[k]), float(total[k] / n),
                          *(int(per_path[name][k]) for name in PATH_NAMES)])

    low = add_plot(figure, fill(translate("OutcomeView", "Expected value per iteration (base case %1)"),
                                _fmt(sim.base_ev)) if wide else
                   fill(translate("OutcomeView", "Expected value per iteration%1, base case %2"), unit_suffix(unit),
                        _fmt(sim.base_ev)),
                   fill(translate("OutcomeView", "Expected value%1"), unit_suffix(unit)) if wide else "",
                   "" if wide else translate("OutcomeView", "% of iterations"),
                   row=1 if wide else 2, col=1 if wide else 0)
    edges, centres, widths, discrete = _bins(sim.ev)
    counts, _ = np.histogram(sim.ev, bins=edges)
    low.addItem(pg.BarGraphItem(x=centres, height=100.0 * counts / n, width=widths,
                                brush=palette.DECISION, pen=pg.mkPen(palette.BACKGROUND, width=0.5)))
    ev_top = max(100.0 * counts.max() / n * 1.05, 1.0)
    low.setYRange(0, ev_top, padding=0)
    ev_stats = _stats(sim.ev)
    _marker_lines(low, ev_stats, ev_top)
    for k in range(centres.size):
        low_edge, high_edge = (centres[k], centres[k]) if discrete else (edges[k], edges[k + 1])
        data.rows.append(["ev", float(low_edge), float(high_edge), int(counts[k]), float(counts[k] / n), "", "", ""])
    figure.ci.layout.setRowStretchFactor(1, 1)
    if not wide:  # an empty stretched row would take half the height of a wide figure
        figure.ci.layout.setRowStretchFactor(2, 1)
    for series, values in (("outcome", stats), ("ev", ev_stats)):
        for key, name in MARKERS:
            data.rows.append([f"{series} {name}", values[key], values[key], "", "", "", "", ""])
    return data


def risk_label_chars(width: int, wide: bool) -> int:
    """Characters an option label may take: the chart has ~3/5 of the width (2/5 side by side),
    its labels ~45% of that, about 7 px a character."""
    return int(width * (0.4 if wide else 0.6) * 0.45 / 7)


def _cdf(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    q = np.linspace(0.0, 1.0, CDF_POINTS)
    return np.quantile(values, q, method="inverted_cdf"), q


def draw_risk(figure: pg.GraphicsLayoutWidget, sim, unit: str = "", labels: dict[str, str] | None = None,
              wide: bool = False, label_chars: int | None = None, grid: bool = False) -> FigureData:
    """Cumulative risk profile, success / failure / neutral shares, how often each option is best.

    ``labels`` maps node ids to labels for the option chart; ``wide`` puts
    the three charts in one row (a short, wide dock); ``grid`` puts the curve
    left of the two bar charts (a short dock not wide enough for three in a
    row); ``label_chars`` caps the option labels and shortens the titles (a
    narrow dock beside the canvas).
    """
    figure.clear()
    labels = labels or {}
    wide = wide and not grid
    short = wide or grid or (label_chars is not None and label_chars < 30)
    # (row, col, rowspan, colspan) of the curve, the path ends and the best options
    places = ({"cdf": (0, 0, 1, 1), "ends": (0, 1, 1, 1), "best": (0, 2, 1, 1)} if wide else
              {"cdf": (0, 0, 2, 1), "ends": (0, 1, 1, 1), "best": (1, 1, 1, 1)} if grid else
              {"cdf": (0, 0, 1, 2), "ends": (1, 0, 1, 1), "best": (1, 1, 1, 1)})
    data = FigureData("Risk profile", ["series", "x", "cumulative_share"])
    cdf = add_plot(figure, translate("OutcomeView", "Cumulative risk profile") if short else
                   translate("OutcomeView", "Cumulative risk profile: chance of ending at or below a value"),
                   fill(translate("OutcomeView", "Value%1"), unit_suffix(unit)),
                   translate("OutcomeView", "P(value ≤ x) (%)") if short else
                   translate("OutcomeView", "Cumulative probability (%)"),
                   *places["cdf"][:2], rowspan=places["cdf"][2], colspan=places["cdf"][3])
    # bottom right: a cumulative curve is near 100% there, the top left holds its rise
    legend = add_legend(cdf, offset=(-10, -10))
    legend.setColumnCount(1)
    for series, values, colour, name in (("outcome", sim.outcome, palette.TEXT,
                                          translate("OutcomeView", "realised outcome")),
                                         ("ev", sim.ev, palette.DECISION, translate("OutcomeView", "expected value"))):
        x, q = _cdf(values)
        curve = cdf.plot(x, 100.0 * q, pen=pg.mkPen(colour, width=2.5), name=name)
        del curve
        data.rows.extend([series, float(a), float(b)] for a, b in zip(x, q))
    del legend
    cdf.setYRange(0, 100, padding=0.02)
    cdf.addItem(pg.InfiniteLine(sim.base_ev, angle=90, movable=False,
                                pen=pg.mkPen(palette.DECISION, style=pg.QtCore.Qt.PenStyle.DotLine)))
    # labelled near the bottom, where a cumulative curve is low, and always inside the plot
    MarkerLabels(cdf, [(sim.base_ev, fill(translate("OutcomeView", "base EV %1"), _fmt(sim.base_ev)), palette.TEXT)],
                 fill=palette.qcolor(palette.BACKGROUND, 215), bottom=True)

    ends = add_plot(figure, translate("OutcomeView", "Path ends") if short else
                    translate("OutcomeView", "How sampled paths end"), "", translate("OutcomeView", "% of iterations"),
                    *places["ends"][:2])
    shares = sim.end_shares()
    share_labels = []
    for k, name in enumerate(PATH_NAMES):
        ends.addItem(pg.BarGraphItem(x=[k], height=[100.0 * shares[name]], width=0.6, brush=palette.PATH_COLORS[name],
                                     pen=pg.mkPen(palette.PATH_TEXT_COLORS[name])))
        text = pg.TextItem(f"{100 * shares[name]:.1f}%", color=palette.PATH_TEXT_COLORS[name], anchor=(0.5, 1.0))
        text.setPos(k, 100.0 * shares[name])
        ends.addItem(text)
        share_labels.append((100.0 * shares[name], text))
        data.rows.append([f"ends in {name}", "", shares[name]])
    category_axis(ends, "bottom", [translate("OutcomeView", PATH_AXIS.get(n, n.capitalize())) for n in PATH_NAMES])
    ends.setXRange(-0.6, 2.6, padding=0)
    ends.setYRange(0, max(100.0 * max(shares.values()) * 1.05, 10.0), padding=0)
    room_above_bars(ends, share_labels, max(100.0 * max(shares.values()) * 1.05, 10.0))  # "53.8%" inside
    ends.showGrid(x=False, y=True, alpha=0.18)

    best = add_plot(figure, translate("OutcomeView", "Best option") if short else
                    translate("OutcomeView", "How often each option is best"),
                    translate("OutcomeView", "% (blue: base case)") if short else
                    translate("OutcomeView", "% of iterations (blue: base-case choice)"), "",
                    *places["best"][:2])
    rows = []
    decisions = sim.on_policy_decisions or list(sim.option_best)
    for decision in decisions:
        for option, share in sim.option_best.get(decision, {}).items():
            rows.append((decision, option, share))
    for decision, options in sim.option_best.items():
        for option, share in options.items():
            data.rows.append([f"best option at {decision}", option, share])
    shown = rows[:MAX_OPTION_ROWS]
    if not shown:
        message(best, translate("OutcomeView", "no decision in this track"))
    else:
        several = len({d for d, _, _ in shown}) > 1
        names, colours, values = [], [], []
        chars = min(label_chars or 36, 26 if wide else 36)  # the whole label: "decision › option"
        for decision, option, share in shown:
            chosen = sim.base_policy.get(decision) == option
            option_label = shorten(labels.get(option, option), max(8, chars * 3 // 5) if several else chars)
            prefix = f"{shorten(labels.get(decision, decision), max(6, chars * 2 // 5 - 3))} › "
            names.append(prefix + option_label if several else option_label)
            colours.append(palette.DECISION if chosen else palette.NEUTRAL)
            values.append(100.0 * share)
        y = np.arange(len(shown))[::-1]
        best.addItem(pg.BarGraphItem(x0=np.zeros(len(shown)), x1=values, y=y, height=0.62,
                                     brushes=colours, pens=[pg.mkPen(c) for c in colours]))
        value_labels = []
        for yy, value in zip(y, values):
            text = pg.TextItem(f"{value:.0f}%", color=palette.TEXT, anchor=(0, 0.5))
            text.setPos(value, yy)
            best.addItem(text)
            value_labels.append((value, text))
        category_axis(best, "left", names, positions=y)
        percent_ticks(best, "bottom", step=50.0 if short else 25.0)
        best.setYRange(-0.6, len(shown) - 0.4, padding=0)
        room_for_value_labels(best, value_labels, 104.0, rows=(-0.6, len(shown) - 0.4))  # "68%" inside
        best.showGrid(x=True, y=False, alpha=0.18)
    for col, stretch in enumerate((5, 2, 4) if wide else (1, 1) if grid else (2, 3)):
        figure.ci.layout.setColumnStretchFactor(col, stretch)
    return data


class OutcomeView(QWidget):
    """Outcome distribution and risk profile of the current track, with a run bar.

    Parameters
    ----------
    document : Document
        Read for the plan's value unit and labels.
    """

    runRequested = Signal()

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("outcome_view")
        self.document = document
        self.result = None
        self.data: dict[str, FigureData | None] = {"histogram": None, "risk": None}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        top = QHBoxLayout()
        self.iterations, self.seed = simulation_controls(
            self, top, (self.tr("&Iterations"), self.tr("S&eed")),
            (self.tr("Monte Carlo iterations"), self.tr("Random seed")), ("mc_iterations", "mc_seed"),
            seed_description=self.tr("The same seed gives the same simulation"))
        top.addStretch(1)
        self.export_button = FittedExportButton(self._export_source, self._fit, self)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        self.run_bar = add_run_bar(self, layout)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Outcome plots"))
        self.figures = {"histogram": new_figure(self), "risk": new_figure(self)}
        for figure in self.figures.values():
            fit_on_resize(figure)  # a tab shown or a dock dragged: titles and axis titles fitted again
        self.figures["histogram"].setAccessibleName(self.tr("Outcome distribution plot"))
        self.figures["risk"].setAccessibleName(self.tr("Risk profile plot"))
        self.tabs.addTab(self.figures["histogram"], translate("OutcomeView", "Distribution"))
        self.tabs.addTab(self.figures["risk"], translate("OutcomeView", "Risk profile"))
        layout.addWidget(self.tabs, 1)
        for figure in self.figures.values():
            message(figure.addPlot(), translate("OutcomeView", "Monte Carlo runs when this panel is open"))
        palette.on_change(self, self.retheme)

    def current_kind(self) -> str:
        return "histogram" if self.tabs.currentIndex() == 0 else "risk"

    def _export_source(self):
        kind = self.current_kind()
        return self.figures[kind], self.data[kind], f"{kind}"

    def _wide(self) -> bool:
        # Side by side only where each plot keeps room for its axes and legend.
        # One above the other only where each keeps a useful height under the legend.
        size = self.tabs.size()
        return size.width() >= WIDE_MIN_WIDTH and (size.width() > 2.2 * size.height()
                                                   or size.height() < STACK_MIN_HEIGHT)

    def show_result(self, sim) -> None:
        """Draw a simulation result (from the controller, in the GUI thread)."""
        plan = self.document.plan
        self.result = sim
        self._drawn_wide = wide = self._wide()
        labels = {n.id: n.label or n.id for n in plan.nodes.values()}
        from widgets.analysis.outcome_criteria import draw_outcomes, draw_risk_of  # two criteria too
        self.data["histogram"] = draw_outcomes(self.figures["histogram"], sim, plan.value_unit, wide)
        # the option chart has ~3/5 of the width, its labels ~45% of that, ~7 px a character
        chars = risk_label_chars(self.tabs.width(), wide)
        self._drawn_chars = chars
        # three charts in a row need a wide dock; a short one not that wide gets the curve
        # left of the two bar charts, a tall one the curve over them
        self.data["risk"] = draw_risk_of(self.figures["risk"], sim, plan.value_unit, labels, wide, chars,
                                      grid=wide and self.tabs.width() < RISK_WIDE_MIN_WIDTH)
        self._fit()

    def _fit(self) -> None:
        """Legends and titles no wider than the dock (a figure wider than its view is cut)."""
        if self.result is not None:
            for figure in self.figures.values():
                fit_width(figure, self.tabs.currentWidget().width())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.result is not None and (self._wide() != getattr(self, "_drawn_wide", None) or getattr(
                self, "_drawn_chars", None) != risk_label_chars(self.tabs.width(), self._wide())):
            self.show_result(self.result)  # side by side in a short, wide dock; labels to the width
        elif event.size() != event.oldSize():
            self._fit()  # titles to the width, axis titles to the height

    def retheme(self) -> None:
        """Draw again in the current colour scheme (widgets.palette)."""
        retheme_figures(self.figures.values())
        if self.result is not None:
            self.show_result(self.result)

    def show_error(self, text: str) -> None:
        """The track cannot be simulated: say why in place of the plots."""
        self.result = None
        for kind, figure in self.figures.items():
            figure.clear()
            message(figure.addPlot(), text)
            self.data[kind] = None
