"""Sensitivity pictures: tornado, spider, one-way sweep and the two-way policy map.

The draw functions fill a figure from the results of
:mod:`planning.analyses.sensitivity`; :class:`SensitivityView` shows them in tabs
with the choices a planner makes (policy re-optimised or held fixed, the
swept parameter, the map's axes, the decision) and a run bar. The analysis
controller computes off the GUI thread and calls :meth:`SensitivityView.show_bundle`.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from planning.analyses.sensitivity import parameter_words
from widgets import palette
from widgets.analysis.plot_export import (
    FigureData, add_plot, category_axis, message, new_figure, shorten, top_legend,
    unit_suffix,
)
from widgets.analysis.fit import FittedExportButton, fit_on_resize, fit_width
from widgets.analysis.marker_labels import MarkerLabels
from widgets.analysis.plot_export import retheme_figures  # light / dark
from widgets.analysis.run_bar import RunBar
from widgets.i18n import QT_TRANSLATE_NOOP, fill, significant, translate

MAX_TORNADO_BARS = 15
MAX_SPIDER_LINES = 8
KINDS = ("tornado", "spider", "sweep", "policy-map")
TAB_TITLES = (QT_TRANSLATE_NOOP("SensitivityView", "Tornado"), QT_TRANSLATE_NOOP("SensitivityView", "Spider"),
              QT_TRANSLATE_NOOP("SensitivityView", "One-way sweep"), QT_TRANSLATE_NOOP("SensitivityView", "Policy map"))
POLICY_TEXT = {"optimal": QT_TRANSLATE_NOOP("SensitivityView", "policy re-optimised"),
               "fixed": QT_TRANSLATE_NOOP("SensitivityView", "base-case policy held fixed")}
#: Bar colours of an export (light, as documents are); on screen the current scheme's.
LOW_COLOUR, HIGH_COLOUR = palette.SERIES_LIGHT[0], palette.SERIES_LIGHT[1]


def tornado_label_chars(width: int) -> int:
    """Characters a tornado bar label may take in a figure this wide: ~42% of it, ~7 px a character."""
    return int(width * 0.42 / 7)


def spider_legend(width: int, height: int) -> dict:
    """Where the spider's legend goes and how long its entries may be, for a figure of this size."""
    if height < 350 and width >= 520:  # short: a column right of the plot, ~35% of the width
        return {"legend_right": True, "legend_chars": max(14, min(40, int(width * 0.35 / 7.5) - 4))}
    return {"legend_right": False, "legend_chars": max(16, min(40, int(width / 2 / 8.5) - 6))}


def param_label(name: str, labels: dict[str, str] | None = None, limit: int = 40, plan=None) -> str:
    """A parameter as a planner reads it, at most ``limit`` characters.

    With the ``plan``: the words ``branchwise sensitivity`` prints (``chance of "label"``,
    ``value of "label"``, the variable's description), from
    :func:`planning.analyses.sensitivity.parameter_words`. Without: ``p(label)``,
    ``payoff(label)`` or the variable name.
    """
    if plan is not None:
        return parameter_words(plan, name, limit)
    labels = labels or {}
    node, dot, field = name.rpartition(".")
    if dot and field == "probability":
        return f"p({shorten(labels.get(node, node), limit - 3)})"
    if dot and field == "payoff":
        return f"payoff({shorten(labels.get(node, node), limit - 8)})"
    if dot and node in labels:
        return f"{field} @ {shorten(labels[node], limit - len(field) - 3)}"
    return shorten(name, limit)


def _param_unit(name: str, unit: str, plan=None) -> str:
    if plan is not None and len(plan.criteria) == 2:  # each payoff in its criterion's unit
        field = name.rpartition(".")[2]
        return unit_suffix({"payoff": plan.criteria[0].unit, "payoff2": plan.criteria[1].unit}.get(field, ""))
    return unit_suffix(unit) if name.endswith(".payoff") else ""


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _titled(track_title: str, text: str) -> str:
    """A plot title that names the analysed track first (a plan has several)."""
    return (fill(translate("SensitivityView", "%1 — %2"), shorten(track_title, 48), text) if track_title
            else text[:1].upper() + text[1:])


def _policy(policy: str) -> str:
    """How the policy was held, in the window's language."""
    return translate("SensitivityView", POLICY_TEXT[policy])


def _widest(shown: int, of: int) -> str:
    """`` (widest 12 of 30)`` after a title when not every parameter is drawn."""
    return fill(translate("SensitivityView", " (widest %1 of %2)"), shown, of) if of > shown else ""


def _ev_axis(unit: str) -> str:
    return fill(translate("SensitivityView", "Expected value%1"), unit_suffix(unit))


def draw_tornado(figure: pg.GraphicsLayoutWidget, tornado, unit: str = "", labels: dict | None = None,
                 plan=None, track_title: str = "", label_chars: int | None = None) -> FigureData:
    """Horizontal bars of the EV at each parameter's low and high end, widest swing on top.

    ``plan`` names the parameters in planner words; ``track_title`` heads the
    plot; ``label_chars`` caps the bar labels (a narrow dock: the words only,
    the ranges are in the CSV and the CLI).
    """
    figure.clear()
    data = FigureData("Tornado", ["parameter", "low", "high", "ev_low", "ev_high", "swing"])
    for bar in tornado.bars:
        data.rows.append([bar["name"], bar["low"], bar["high"], bar["ev_low"], bar["ev_high"],
                          abs(bar["ev_high"] - bar["ev_low"])])
    legend = top_legend(figure, row=0, columns=3)
    moving = [b for b in tornado.bars if abs(b["ev_high"] - b["ev_low"]) > 1e-12 * max(1.0, abs(tornado.base_ev))]
    shown = moving[:MAX_TORNADO_BARS]
    more = _widest(len(shown), len(moving))
    still = len(tornado.bars) - len(moving)
    plot = add_plot(figure, _titled(track_title, fill(translate("SensitivityView", "tornado, %1%2"),
                                                      _policy(tornado.policy), more)),
                    _ev_axis(unit), "", row=1, col=0)
    if not shown:
        message(plot, translate("SensitivityView", "no range moves the EV of this track") if tornado.bars
                else translate("SensitivityView", "no probability, payoff or variable has a range"))
        return data
    if still:
        # Whole sentences for one and for many: a translation cannot follow an appended "s".
        rest = (fill(translate("SensitivityView", "%1 other ranged parameters do not move the EV"), still)
                if still > 1 else translate("SensitivityView", "1 other ranged parameter does not move the EV"))
        plot.setLabel("bottom", fill(translate("SensitivityView", "Expected value%1 — %2"), unit_suffix(unit), rest),
                      color=palette.TEXT)
    y = np.arange(len(shown))[::-1].astype(float)
    base = tornado.base_ev
    for key, colour, name in (("ev_low", palette.SERIES[0], translate("SensitivityView", "each at its low end")),
                              ("ev_high", palette.SERIES[1], translate("SensitivityView", "at its high end"))):
        ends = np.array([b[key] for b in shown])
        item = pg.BarGraphItem(x0=np.minimum(ends, base), x1=np.maximum(ends, base), y=y, height=0.62,
                               brush=colour, pen=pg.mkPen(colour))
        plot.addItem(item)
        legend.addItem(item, name)
    plot.addItem(pg.InfiniteLine(base, angle=90, movable=False, pen=pg.mkPen(palette.TEXT, width=1.5)))
    legend.addItem(pg.PlotDataItem([0, 1], [0, 0], pen=pg.mkPen(palette.TEXT, width=1.5)), fill(translate("SensitivityView", "base-case EV %1"), _fmt(base)))
    if label_chars is not None and label_chars < 52:
        names = [param_label(b["name"], labels, max(16, label_chars), plan) for b in shown]
    else:
        names = [f"{param_label(b['name'], labels, 40, plan)}  [{_fmt(b['low'])} – {_fmt(b['high'])}]" for b in shown]
    category_axis(plot, "left", names, positions=y, limit=60)
    plot.setYRange(-0.6, len(shown) - 0.4, padding=0)
    plot.showGrid(x=True, y=False, alpha=0.18)
    return data


def draw_spider(figure: pg.GraphicsLayoutWidget, spider, unit: str = "", labels: dict | None = None,
                order: list[str] | None = None, plan=None, track_title: str = "",
                legend_chars: int = 40, legend_right: bool = False) -> FigureData:
    """EV as each parameter moves from the low to the high end of its range (one line each).

    ``legend_right`` puts the legend in a column right of the plot (a short
    dock: on top, its rows would leave the plot a strip).
    """
    figure.clear()
    data = FigureData("Spider", ["parameter", "position", "value", "ev"])
    for line in spider.lines:
        for pos, value, ev in zip(line["position"], line["values"], line["ev"]):
            data.rows.append([line["name"], pos, value, ev])
    lines = {line["name"]: line for line in spider.lines}
    ranked = [n for n in (order or []) if n in lines] + [n for n in lines if n not in (order or [])]
    shown = [lines[n] for n in ranked if max(lines[n]["ev"]) != min(lines[n]["ev"])][:MAX_SPIDER_LINES]
    legend = top_legend(figure, row=1, col=1, columns=1) if legend_right else top_legend(figure, row=0, columns=2)
    more = _widest(len(shown), len(lines))
    plot = add_plot(figure, _titled(track_title, fill(translate("SensitivityView", "spider, %1%2"),
                                                      _policy(spider.policy), more)),
                    translate("SensitivityView", "Position in each range (%)") if legend_right or legend_chars < 30
                    else translate("SensitivityView", "Position in the parameter's range (%: 0 = low end, 100 = high end)"),
                    _ev_axis(unit), row=1, col=0)
    if not shown:
        message(plot, translate("SensitivityView", "no parameter with a range moves the EV"))
        return data
    for k, line in enumerate(shown):
        colour = palette.SERIES[k % len(palette.SERIES)]
        style = Qt.PenStyle.SolidLine if k < len(palette.SERIES) else Qt.PenStyle.DashLine
        item = plot.plot(100.0 * np.asarray(line["position"]), line["ev"], pen=pg.mkPen(colour, width=2.2, style=style),
                         symbol="o", symbolSize=5, symbolBrush=colour, symbolPen=None)
        legend.addItem(item, param_label(line["name"], labels, legend_chars, plan))  # two columns fit
    plot.addItem(pg.InfiniteLine(spider.base_ev, angle=0, movable=False,
                                 pen=pg.mkPen(palette.TEXT_MUTED, style=Qt.PenStyle.DotLine)))
    plot.setXRange(0, 100, padding=0.02)
    return data


def draw_sweep(figure: pg.GraphicsLayoutWidget, sweep, decision: str | None, unit: str = "",
               labels: dict | None = None, plan=None, track_title: str = "") -> FigureData:
    """One line per option of ``decision`` (its EV as if chosen) across the sweep, thresholds marked."""
    figure.clear()
    labels = labels or {}
    data = FigureData("One-way sweep", ["value", "series", "ev"])
    values = [p["value"] for p in sweep.points]
    for point in sweep.points:
        data.rows.append([point["value"], "track EV", point["ev"]])
    options = sweep.option_ev.get(decision, {}) if decision else {}
    for option, evs in options.items():
        for value, ev in zip(values, evs):
            data.rows.append([value, f"option {option}", ev])
    legend = top_legend(figure, row=0, columns=2)
    # the swept number is the x axis's title: the plot title names the track and the decision
    title = (fill(translate("SensitivityView", "each option's EV at “%1”"), shorten(labels.get(decision, decision), 36))
             if decision else translate("SensitivityView", "each option's EV"))
    plot = add_plot(figure, _titled(track_title, title),
                    f"{param_label(sweep.variable, labels, 70, plan)}{_param_unit(sweep.variable, unit, plan)}",
                    _ev_axis(unit), row=1, col=0)
    for k, (option, evs) in enumerate(options.items()):
        colour = palette.SERIES[k % len(palette.SERIES)]
        item = plot.plot(values, evs, pen=pg.mkPen(colour, width=2.5))
        legend.addItem(item, fill(translate("SensitivityView", "option: %1"), shorten(labels.get(option, option), 38)))
    track = plot.plot(values, [p["ev"] for p in sweep.points],
                      pen=pg.mkPen(palette.TEXT, width=1.5, style=Qt.PenStyle.DashLine))
    legend.addItem(track, fill(translate("SensitivityView", "track EV (%1)"), _policy(sweep.policy)))
    markers = []
    for threshold in sweep.thresholds:
        if decision and threshold["decision"] != decision:
            continue
        text = fill(translate("SensitivityView", "threshold %1: best becomes %2"), significant(threshold["value"], 4),
                    shorten(labels.get(threshold["to"], threshold["to"]), 24))
        plot.addItem(pg.InfiniteLine(threshold["value"], angle=90, movable=False,
                                     pen=pg.mkPen(palette.FAILURE_TEXT, width=1.5, style=Qt.PenStyle.DashLine)))
        markers.append((threshold["value"], text, palette.FAILURE_TEXT))
        data.rows.append([threshold["value"], f"threshold {threshold['decision']}: {threshold['from']} -> {threshold['to']}", ""])
    plot.setXRange(values[0], values[-1], padding=0.01)
    if markers:  # placed in pixels: inside the plot (left of the line near the right edge), never over each other
        MarkerLabels(plot, markers, fill=palette.qcolor(palette.BACKGROUND, 225))
    return data


def draw_policy_map(figure: pg.GraphicsLayoutWidget, result, unit: str = "", labels: dict | None = None,
                    base: tuple[float, float] | None = None, plan=None, track_title: str = "") -> FigureData:
    """Which option is best over a grid of two parameters: one coloured cell per grid point."""
    figure.clear()
    labels = labels or {}
    data = FigureData("Policy map", [result.x, result.y, "best_option", "ev"])
    xs, ys = np.asarray(result.x_values), np.asarray(result.y_values)
    options = list(dict.fromkeys(o for row in result.best for o in row))
    for iy, y in enumerate(ys):
        for ix, x in enumerate(xs):
            data.rows.append([float(x), float(y), result.best[iy][ix], result.ev[iy][ix]])
    legend = top_legend(figure, row=0, columns=2)
    plot = add_plot(figure, _titled(track_title, fill(translate("SensitivityView", "best option at “%1”"),
                                                      shorten(labels.get(result.decision, result.decision), 36))),
                    f"{param_label(result.x, labels, 70, plan)}{_param_unit(result.x, unit, plan)}",
                    f"{param_label(result.y, labels, 60, plan)}{_param_unit(result.y, unit, plan)}", row=1, col=0)
    dx = (xs[1] - xs[0]) if xs.size > 1 else 1.0
    dy = (ys[1] - ys[0]) if ys.size > 1 else 1.0
    grid_x, grid_y = np.meshgrid(xs, ys)
    best = np.array(result.best, dtype=object)
    for k, option in enumerate(options):
        mask = best == option
        colour = palette.SERIES[k % len(palette.SERIES)]
        item = pg.BarGraphItem(x=grid_x[mask], y0=grid_y[mask] - dy / 2, height=np.full(mask.sum(), dy),
                               width=dx, brush=colour, pen=pg.mkPen(colour))
        plot.addItem(item)
        legend.addItem(item, shorten(labels.get(option, option), 44))
    if base is not None:
        star = pg.ScatterPlotItem([base[0]], [base[1]], symbol="star", size=18, brush=palette.BACKGROUND,
                                  pen=pg.mkPen(palette.TEXT, width=1.5))
        plot.addItem(star)
        legend.addItem(star, translate("SensitivityView", "base case"))
    plot.setXRange(xs[0] - dx / 2, xs[-1] + dx / 2, padding=0)
    plot.setYRange(ys[0] - dy / 2, ys[-1] + dy / 2, padding=0)
    plot.showGrid(x=False, y=False)
    return data


def map_base(bundle) -> tuple[float, float] | None:
    """The base values of the policy map's two parameters (the base-case point)."""
    if bundle.policy_map is None:
        return None
    base = {p.name: p.base for p in bundle.parameters}
    x, y = base.get(bundle.policy_map.x), base.get(bundle.policy_map.y)
    return None if x is None or y is None else (x, y)


class SensitivityView(QWidget):
    """Tornado, spider, sweep and policy map of the current track, with their settings.

    ``settingsChanged`` fires when the planner changes a setting; the
    controller then recomputes and calls :meth:`show_bundle`.
    """

    settingsChanged = Signal()

    def __init__(self, document, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sensitivity_view")
        self.document = document
        self.bundle = None
        self.data: dict[str, FigureData | None] = dict.fromkeys(KINDS)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        controls = QGridLayout()
        # short words: the combo is ~10 characters wide in a dock beside the canvas
        self.policy_combo = self._combo("sens_policy", [("Re-optimise", "optimal"),
                                                        ("Hold choices", "fixed")])
        self.policy_combo.setToolTip(translate("SensitivityView",
                                               "Re-optimise every decision in each scenario, or hold today's best choices"))
        self.sweep_combo = self._combo("sens_sweep_var", [])
        self.x_combo = self._combo("sens_map_x", [])
        self.y_combo = self._combo("sens_map_y", [])
        self.decision_combo = self._combo("sens_decision", [])
        # Three settings per row: the dock fits under the canvas on a 1280-px screen,
        # and two rows leave the plot most of a raised dock's height.
        for i, (text, combo) in enumerate((("Policy", self.policy_combo), ("Sweep", self.sweep_combo),
                                           ("Decision", self.decision_combo), ("Map x", self.x_combo),
                                           ("Map y", self.y_combo))):
            row, col = divmod(i, 3)
            label = QLabel(text)
            label.setBuddy(combo)
            combo.setAccessibleName(text)
            controls.addWidget(label, row, 2 * col)
            controls.addWidget(combo, row, 2 * col + 1)
            controls.setColumnStretch(2 * col + 1, 1)
        layout.addLayout(controls)
        bar = QGridLayout()
        self.run_bar = RunBar(self)
        bar.addWidget(self.run_bar, 0, 0)
        self.export_button = FittedExportButton(self._export_source, self._fit, self)
        bar.addWidget(self.export_button, 0, 1)
        bar.setColumnStretch(0, 1)
        layout.addLayout(bar)
        self.tabs = QTabWidget(self)
        self.figures = {kind: new_figure(self) for kind in KINDS}
        for figure in self.figures.values():
            fit_on_resize(figure)  # a tab shown or a dock dragged: titles and axis titles fitted again
        self.tabs.setAccessibleName(self.tr("Sensitivity plots"))
        for kind, title in zip(KINDS, [translate("SensitivityView", t) for t in TAB_TITLES]):
            self.figures[kind].setAccessibleName(self.tr("%1 plot").replace("%1", title))
            self.tabs.addTab(self.figures[kind], title)
            message(self.figures[kind].addPlot(), translate("SensitivityView", "sensitivity runs when this panel is open"))
        layout.addWidget(self.tabs, 1)
        self.run_bar.runRequested.connect(self.settingsChanged)
        palette.on_change(self, self.retheme)

    def _combo(self, name: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(lambda _i: self.settingsChanged.emit())
        return combo

    # -- settings the controller reads --------------------------------------------
    def policy(self) -> str:
        return self.policy_combo.currentData() or "optimal"

    def sweep_var(self) -> str | None:
        return self.sweep_combo.currentData()

    def map_x(self) -> str | None:
        return self.x_combo.currentData()

    def map_y(self) -> str | None:
        return self.y_combo.currentData()

    def decision(self) -> str | None:
        return self.decision_combo.currentData()

    def current_kind(self) -> str:
        return KINDS[self.tabs.currentIndex()]

    def _export_source(self):
        kind = self.current_kind()
        return self.figures[kind], self.data[kind], kind

    def _fill(self, combo: QComboBox, items: list[tuple[str, object]], automatic: str) -> None:
        """Refill a combo, keeping the user's choice when it still exists (no signal)."""
        keep = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(automatic, None)
        for text, value in items:
            combo.addItem(text, value)
        index = combo.findData(keep) if keep is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def show_bundle(self, bundle) -> None:
        """Draw a :class:`widgets.analysis.data.SensitivityBundle` (GUI thread)."""
        plan = self.document.plan
        unit = plan.value_unit
        if len(plan.criteria) == 2:  # the combined value, in criterion 2's unit at the weight
            from planning.analyses.sensitivity_criteria import value_unit
            unit = value_unit(plan)
        labels = {n.id: n.label or n.id for n in plan.nodes.values()}
        self.bundle = bundle
        params = [(param_label(p.name, labels, 50, plan), p.name) for p in bundle.parameters]
        self._fill(self.sweep_combo, params, "(widest swing)")
        self._fill(self.x_combo, params, "(widest swing)")
        self._fill(self.y_combo, params, "(second widest)")
        self._fill(self.decision_combo, [(shorten(labels.get(d, d), 50), d) for d in bundle.decisions], "(first decision)")
        order = [b["name"] for b in bundle.tornado.bars] if bundle.tornado else []
        draws = {  # the planner words and the track title of `branchwise plot`
            "tornado": lambda f: draw_tornado(f, bundle.tornado, unit, labels, plan, bundle.track_title,
                                              label_chars=self._label_chars()),
            "spider": lambda f: draw_spider(f, bundle.spider, unit, labels, order, plan, bundle.track_title,
                                            **self._spider_legend()),
            "sweep": lambda f: draw_sweep(f, bundle.sweep, bundle.sweep_decision, unit, labels, plan,
                                          bundle.track_title),
            "policy-map": lambda f: draw_policy_map(f, bundle.policy_map, unit, labels, map_base(bundle), plan,
                                                    bundle.track_title),
        }
        results = {"tornado": bundle.tornado, "spider": bundle.spider, "sweep": bundle.sweep,
                   "policy-map": bundle.policy_map}
        self._drawn_chars = (self._label_chars(), self._spider_legend())
        for kind in KINDS:
            figure = self.figures[kind]
            if results[kind] is None:
                figure.clear()
                message(figure.addPlot(), bundle.errors.get(kind, translate("SensitivityView", "not computed")))
                self.data[kind] = None
            else:
                self.data[kind] = draws[kind](figure)
        self._fit()

    def _spider_legend(self) -> dict:
        return spider_legend(self.tabs.width(), self.tabs.height() - 30)

    def _label_chars(self) -> int:
        return tornado_label_chars(self.tabs.width())

    def _fit(self) -> None:
        """Legends and titles no wider than the dock (a figure wider than its view is cut)."""
        if self.bundle is not None:
            for figure in self.figures.values():
                fit_width(figure, self.tabs.currentWidget().width())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if event.size() != event.oldSize():
            bundle = self.bundle
            if bundle is not None and bundle.tornado is not None \
                    and getattr(self, "_drawn_chars", None) != (self._label_chars(), self._spider_legend()):
                self.show_bundle(bundle)  # the bar labels are shortened to the new width
                return
        if event.size() != event.oldSize():
            self._fit()  # titles to the width, axis titles to the height

    def retheme(self) -> None:
        """Draw again in the current colour scheme (widgets.palette)."""
        retheme_figures(self.figures.values())
        if self.bundle is not None:
            self.show_bundle(self.bundle)

    def show_error(self, text: str) -> None:
        """The track cannot be analysed: say why in every tab."""
        self.bundle = None
        for kind, figure in self.figures.items():
            figure.clear()
            message(figure.addPlot(), text)
            self.data[kind] = None


__all__ = ["SensitivityView", "draw_policy_map", "draw_spider", "draw_sweep", "draw_tornado", "param_label"]
