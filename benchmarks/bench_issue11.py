"""Every figure of issue 11's goal table, with one command.

    .venv/bin/python benchmarks/bench_issue11.py [--quick]

Runs, one after the other (each prints a Markdown table):
``bench_cli.py`` (whole-process ``evaluate --json`` at 100k and 1M nodes
against a plain Python rollback, the load / compile / evaluate split,
``import`` of a SilverDecisions file of the same size), ``bench_editor.py``
(open, frames and edits at 10k and 100k nodes, and at 1M), ``bench_sensitivity.py``
(2,000 chained variables), ``bench_analyses.py`` (Monte Carlo and
sensitivity) and ``bench_window_analyses.py`` (the docks' workers and drawing).
``--quick`` leaves out the 1M-node plan and runs 1M instead of
10M iterations on the sample. The machine is shared: each script takes the
best of a few runs; run it on a quiet machine for steady figures.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    quick = "--quick" in sys.argv[1:]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    runs = [
        ["bench_cli.py"] + (["--sizes", "100000"] if quick else []),
        ["bench_editor.py", "--sizes", "10000", "100000"],
    ] + ([] if quick else [["bench_editor.py", "--sizes", "1000000", "--repeat", "1"]]) + [
        ["bench_sensitivity.py"],
        ["bench_analyses.py"] + (["--quick"] if quick else []),
        ["bench_window_analyses.py"],
    ]
    for script, *args in runs:
        print(f"\n### {script} {' '.join(args)}\n", flush=True)
        subprocess.run([sys.executable, str(HERE / script), *args], check=True, env=env, cwd=HERE.parent)


if __name__ == "__main__":
    main()
