"""Time the planning core on random plans of 1k to 1M nodes.

    .venv/bin/python benchmarks/bench_core.py            # 1k, 10k, 100k, 1M
    .venv/bin/python benchmarks/bench_core.py --sizes 1000 10000 --write

Prints a Markdown table; with --write it replaces the table in
benchmarks/README.md between the markers. Each figure is the best of
--repeat runs (the machine is shared; the minimum is the least noisy).
"""
from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from planning.engine.compile import compile_track  # noqa: E402
from planning.engine.evaluate import (  # noqa: E402
    branch_readiness, edge_weights, effective_payoffs, evaluate_compiled, follow_policy, reach, readiness_factors, rollback)

from planning.model.generate import random_plan  # noqa: E402,F401 - benchmarks import it from here
from planning.files.planfile import dumps_plan, load_plan  # noqa: E402
from planning.engine.readiness import priority_list  # noqa: E402

START, END = "<!-- bench_core:start -->", "<!-- bench_core:end -->"


def priorities_only(ct):
    """The priority list alone, from a finished rollback (what an edit to one response costs)."""
    values, chosen = rollback(ct, effective_payoffs(ct))
    value, chosen = values[:, 0], chosen[:, 0]
    weight = edge_weights(ct, chosen)
    rho = branch_readiness(ct)
    marks = follow_policy(ct, readiness_factors(ct, rho), chosen)
    t = time.perf_counter()
    priority_list(ct, value, chosen, reach(ct, weight), rho, marks[:, 0])
    return time.perf_counter() - t


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        gc.collect()
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def simulate_in_subprocess(n: int, iterations: int) -> tuple[float, float]:
    """Monte Carlo seconds and peak memory (MB), measured in a fresh process."""
    code = f"""
import sys, time, resource
sys.path.insert(0, {str(ROOT)!r})
from benchmarks.bench_core import random_plan
from planning.engine.montecarlo import simulate
plan = random_plan({n})
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter(); simulate(plan, iterations={iterations}, seed=1); dt = time.perf_counter() - t
print(dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    seconds, mb = out.stdout.split()
    return float(seconds), float(mb)


def run(sizes: list[int], repeat: int, iterations: int) -> str:
    rows = ["| nodes | responses | load file | compile | evaluate (incl. priorities) | priority list | simulate "
            f"({iterations:,} it.) | peak memory |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in sizes:
        plan = random_plan(n)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "p.bwplan"
            path.write_text(dumps_plan(plan), encoding="utf-8")
            t_load, loaded = best_of(lambda: load_plan(path), 1 if n >= 1_000_000 else repeat)
        t_compile, ct = best_of(lambda: compile_track(loaded), 1 if n >= 1_000_000 else repeat)
        t_eval, result = best_of(lambda: evaluate_compiled(ct), repeat)
        t_prio = min(priorities_only(ct) for _ in range(repeat))
        sim = mem = None
        if n <= 100_000:
            sim, mem = simulate_in_subprocess(n, iterations)
        rows.append(f"| {len(plan.nodes):,} | {len(ct.resp_ids):,} | {t_load * 1000:,.0f} ms | {t_compile * 1000:,.0f} ms | "
                    f"{t_eval * 1000:,.1f} ms | {t_prio * 1000:,.1f} ms | "
                    + (f"{sim:,.2f} s | {mem:,.0f} MB |" if sim is not None else "not run | |"))
        print(rows[-1], flush=True)
        del plan, loaded, ct, result
    return "\n".join(rows)


def write_readme(table: str) -> None:
    readme = ROOT / "benchmarks" / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    stamp = time.strftime("%Y-%m-%d")
    cpu = os.cpu_count()
    body = f"{START}\nMeasured {stamp} on a {cpu}-core machine, `python benchmarks/bench_core.py --write`:\n\n{table}\n{END}"
    readme.write_text(head + body + tail, encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = parser.parse_args()
    table = run(args.sizes, args.repeat, args.iterations)
    print(table)
    if args.write:
        write_readme(table)
