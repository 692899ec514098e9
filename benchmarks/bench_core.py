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

from planning.compile import compile_track  # noqa: E402
from planning.evaluate import (  # noqa: E402
    branch_readiness, edge_weights, effective_payoffs, evaluate_compiled, follow_policy, reach, readiness_factors, rollback)
from planning.model import CHANCE, DECISION, TERMINAL, Node, Plan, Response, Track, Variable  # noqa: E402
from planning.planfile import dumps_plan, load_plan  # noqa: E402
from planning.readiness import priority_list  # noqa: E402

START, END = "<!-- bench_core:start -->", "<!-- bench_core:end -->"


def random_plan(n_nodes: int, responses: int | None = None, seed: int = 1, ranges: float = 0.1) -> Plan:
    """A bushy random plan: chance and decision nodes with 2-4 children, breadth first."""
    rng = np.random.default_rng(seed)
    nodes: dict[str, Node] = {"n0": Node("n0", DECISION)}
    queue = ["n0"]
    count = 1
    head = 0
    while head < len(queue):
        nid = queue[head]
        head += 1
        node = nodes[nid]
        k = int(rng.integers(2, 5))
        if count + k > n_nodes:
            if not node.children and node.kind != TERMINAL:
                node.kind = TERMINAL
            continue
        weights = rng.random(k) + 0.1
        weights /= weights.sum()
        for j in range(k):
            cid = f"n{count}"
            count += 1
            child = Node(cid, CHANCE if rng.random() < 0.6 else DECISION, label=f"node {cid}",
                         payoff=float(rng.integers(-20, 21)))
            if node.kind == CHANCE:
                child.probability = "#" if j == k - 1 else round(float(weights[j]), 6)
                child.path = ("success", "failure", "neutral")[int(rng.integers(0, 3))]
                child.warning_days = float(rng.integers(1, 60))
                if rng.random() < ranges and child.probability != "#":
                    p = float(child.probability)
                    child.probability_range = (max(0.0, p * 0.5), min(1.0, p * 1.5))
            nodes[cid] = child
            node.children.append(cid)
            queue.append(cid)
    for node in nodes.values():
        if not node.children:
            node.kind = TERMINAL
            node.payoff = float(rng.integers(-100, 101))
    branches = [n for n in nodes.values() if n.probability is not None]
    # One response per ten nodes: 10k responses on a 100k-node plan (the priority-list target).
    want = responses if responses is not None else n_nodes // 10
    for k, i in enumerate(rng.choice(len(branches), size=min(want, len(branches)), replace=False)):
        b = branches[int(i)]
        b.responses.append(Response(f"r{k}", title=f"response {k}", owner="ops", readiness=int(rng.integers(0, 5)),
                                    lead_time_days=float(rng.integers(1, 60)), effect=float(rng.integers(1, 30))))
    return Plan(title=f"random {n_nodes}", tracks=[Track("t", "random", "n0")], nodes=nodes,
                variables=[Variable("scale", 1.0, (0.5, 1.5))])


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
from planning.montecarlo import simulate
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
