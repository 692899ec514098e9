"""Monte Carlo pictures of a plan with two criteria (the Outcomes dock, ``branchwise plot``).

The Distribution tab shows each criterion's expected value per iteration in
its own unit and the combined value, titled with what it is measured in
(criterion 2's unit at the plan's weight, see
:meth:`planning.analyses.montecarlo_criteria.CriteriaSimulation.combined_label`). The
risk profile is that of the combined value's policy, its axis in the
combined value's words. One-criterion results go to the usual drawings.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from widgets import palette
from widgets.analysis.outcome_view import MARKERS, _bins, _fmt, _marker_lines, _stats, draw_histogram, draw_risk
from widgets.analysis.plot_export import FigureData, add_plot
from widgets.i18n import fill, translate

_COLOURS = ("DECISION", "CHANCE", "TEXT_MUTED")


def is_criteria(sim) -> bool:
    """True for a :class:`planning.analyses.montecarlo_criteria.CriteriaSimulation`."""
    return hasattr(sim, "policy") and hasattr(sim, "values")


def draw_criteria(figure: pg.GraphicsLayoutWidget, sim, wide: bool = False) -> FigureData:
    """Histograms of criterion 1, criterion 2 and the combined value per iteration."""
    figure.clear()
    data = FigureData("Criteria distribution", ["series", "bin_low", "bin_high", "iterations", "share"])
    n = max(sim.policy.iterations, 1)
    series = [(f"{sim.names[i] or f'criterion {i + 1}'} ({sim.units[i] + ', ' if sim.units[i] else ''}{sim.senses[i]})",
               sim.values[i], sim.base[i]) for i in range(2)]
    if sim.combined is not None:
        series.append((f"{sim.combined_label()[0].upper()}{sim.combined_label()[1:]}", sim.combined,
                       sim.policy.base_ev))
    for k, (title, values, base) in enumerate(series):
        plot = add_plot(figure, fill(translate("OutcomeCriteria", "%1, base case %2"), title, _fmt(base)), "",
                        translate("OutcomeView", "% of iterations") if not wide or k == 0 else "",
                        row=0 if wide else k, col=k if wide else 0)
        edges, centres, widths, discrete = _bins(values)
        counts, _ = np.histogram(values, bins=edges)
        colour = getattr(palette, _COLOURS[k], palette.DECISION)
        plot.addItem(pg.BarGraphItem(x=centres, height=100.0 * counts / n, width=widths, brush=colour,
                                     pen=pg.mkPen(palette.BACKGROUND, width=0.5)))
        top = max(100.0 * counts.max() / n * 1.05, 1.0)
        plot.setYRange(0, top, padding=0)
        stats = _stats(values)
        _marker_lines(plot, stats, top)
        name = title.split(",")[0]
        for j in range(centres.size):
            low, high = (centres[j], centres[j]) if discrete else (edges[j], edges[j + 1])
            data.rows.append([name, float(low), float(high), int(counts[j]), float(counts[j] / n)])
        for key, marker in MARKERS:
            data.rows.append([f"{name} {marker}", stats[key], stats[key], "", ""])
    return data


def draw_outcomes(figure: pg.GraphicsLayoutWidget, sim, unit: str = "", wide: bool = False) -> FigureData:
    """The Distribution tab: :func:`draw_criteria` for two criteria, else the usual histograms."""
    return draw_criteria(figure, sim, wide) if is_criteria(sim) else draw_histogram(figure, sim, unit, wide)


def draw_risk_of(figure: pg.GraphicsLayoutWidget, sim, unit: str = "", labels: dict[str, str] | None = None,
                 wide: bool = False, label_chars: int | None = None, grid: bool = False) -> FigureData:
    """The risk tab: for two criteria, the combined value's (its unit in the axis title)."""
    if is_criteria(sim):
        unit = (fill(translate("OutcomeCriteria", "%1, combined at %2"), sim.unit2(), sim.weight_words())
                if sim.combined is not None else sim.units[0])
        sim = sim.policy
    return draw_risk(figure, sim, unit, labels, wide, label_chars, grid)


__all__ = ["draw_criteria", "draw_outcomes", "draw_risk_of", "is_criteria"]
