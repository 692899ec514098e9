"""The window's analyses on a 10k-node plan, as the docks run them (issue 11).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_window_analyses.py [--repeat 3]

Each analysis runs the docks' worker function (``widgets.analysis.data``:
``simulate_chunked`` with 10,000 iterations, ``compute_sensitivity`` with
tornado, spider, sweep and policy map, for each policy), then the dock draws
the result in the GUI thread (``show_result`` / ``show_bundle`` and the paint
events). Figures: the best of ``--repeat`` runs, wall and CPU seconds, worker
and drawing apart; peak RSS of the process at the end.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nodes", type=int, default=10_000)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from app.document import Document
    from planning.model.generate import random_plan
    from widgets.analysis.data import compute_sensitivity, simulate_chunked
    from widgets.analysis.outcome_view import OutcomeView
    from widgets.analysis.sensitivity_view import SensitivityView

    app = QApplication.instance() or QApplication([])
    document = Document(random_plan(args.nodes))
    outcome, sensitivity = OutcomeView(document), SensitivityView(document)
    for view in (outcome, sensitivity):
        view.resize(1280, 720)
        view.show()
    app.processEvents()

    def timed(work) -> tuple[float, float, object]:
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        return time.perf_counter() - wall, time.process_time() - cpu, result

    cases = {
        "Monte Carlo, 10k iterations": (lambda: simulate_chunked(document.plan, None, 10_000, 1),
                                        outcome.show_result),
        "sensitivity, optimal policy": (lambda: compute_sensitivity(document.plan, None, policy="optimal"),
                                        sensitivity.show_bundle),
        "sensitivity, fixed policy": (lambda: compute_sensitivity(document.plan, None, policy="fixed"),
                                      sensitivity.show_bundle),
    }
    print(f"{args.nodes:,} nodes, best of {args.repeat}")
    print("| what | worker wall | worker CPU | drawing (GUI thread) wall | drawing CPU | total wall |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (work, show) in cases.items():
        best = None
        for _ in range(args.repeat):
            wall, cpu, result = timed(work)
            draw, draw_cpu, _ = timed(lambda: (show(result), app.processEvents()))
            if best is None or wall + draw < best[0] + best[2]:
                best = (wall, cpu, draw, draw_cpu)
        wall, cpu, draw, draw_cpu = best
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {draw:.2f} s | {draw_cpu:.2f} s | {wall + draw:.2f} s |",
              flush=True)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
