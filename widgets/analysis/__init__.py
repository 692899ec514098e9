"""Analysis views: Monte Carlo outcomes, sensitivity, readiness dashboard, priority list.

The views only draw; ``app/analysis.py`` computes off the GUI thread with
:mod:`widgets.analysis.data` and hands them the results. ``branchwise plot``
(``app/cli_plot.py``) draws the same figures headless.
"""
