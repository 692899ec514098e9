"""The benchmark scripts still run (issue 11: every figure reproduced with one command).

Each runs once on a tiny plan; the rows it prints must name what they measure. No
figure is checked: timings are never asserted in tests.
"""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT


def run(script: str, *args: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_bench_cli_prints_the_evaluate_and_import_row(tmp_path):
    out = run("bench_cli.py", "--sizes", "500", "--repeat", "1", "--cache", str(tmp_path))
    row = next(line for line in out.splitlines() if line.startswith("| 500 |"))
    assert "MB" in row and row.count("|") >= 10  # evaluate, plain Python, split, import


def test_bench_sensitivity_prints_a_row_per_chain():
    out = run("bench_sensitivity.py", "--variables", "20", "40", "--repeat", "1")
    assert [line.split("|")[1].strip() for line in out.splitlines()[2:]] == ["20", "40"]


@pytest.mark.parametrize("script, args, words", [
    ("bench_editor.py", ["--sizes", "300", "--repeat", "1"], ["open: numbers fresh", "edit: add child"]),
    ("bench_window_analyses.py", ["--nodes", "300", "--repeat", "1"], ["Monte Carlo", "sensitivity, fixed policy"]),
])
def test_window_benchmarks_print_their_rows(script, args, words):
    out = run(script, *args)
    for word in words:
        assert word in out
