"""Time and memory of Monte Carlo on a random tree.

    .venv/bin/python benchmarks/bench_montecarlo.py [--nodes 10000] [--iterations 10000]

Builds a random tree of decision, chance and terminal nodes (ranges on about
10% of branches and 10% of terminal payoffs, one ranged variable read by
some probabilities, responses on some failure branches), then prints the
wall time of ``simulate``, the peak traced numpy/Python allocation
(tracemalloc, in a second run) and the process's peak RSS.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planning.model.plan import CHANCE, DECISION, TERMINAL, Node, Plan, Response, Track, Variable  # noqa: E402
from planning.engine.montecarlo import simulate  # noqa: E402


def random_plan(n_nodes: int, seed: int = 1, ranged: float = 0.1) -> Plan:
    """A random tree of about ``n_nodes`` nodes, built breadth-first."""
    rng = np.random.default_rng(seed)
    nodes: dict[str, Node] = {"n0": Node("n0", DECISION)}
    queue = ["n0"]
    count = 1
    head = 0
    while head < len(queue):
        node = nodes[queue[head]]
        head += 1
        if node.kind == TERMINAL:
            continue
        k = int(rng.integers(2, 5))
        if count + k > n_nodes:
            node.kind = TERMINAL
            node.payoff = float(rng.integers(-100, 200))
            continue
        weights = rng.integers(1, 10, size=k).astype(float)
        weights /= weights.sum()
        for j in range(k):
            cid = f"n{count}"
            count += 1
            kind = rng.choice([DECISION, CHANCE, CHANCE, TERMINAL])
            child = Node(cid, str(kind), payoff=float(rng.integers(-10, 10)))
            if node.kind == CHANCE:
                child.probability = float(weights[j]) if j < k - 1 else "#"
                child.path = str(rng.choice(["success", "failure", "neutral"]))
                if rng.random() < ranged and j < k - 1:
                    p = float(weights[j])
                    child.probability_range = (max(0.0, p - 0.1), min(1.0, p + 0.1))
                if child.path == "failure" and rng.random() < 0.5:
                    child.responses.append(Response(f"r{cid}", readiness=int(rng.integers(0, 5)), effect=10.0))
            if kind == TERMINAL:
                child.payoff = float(rng.integers(-100, 200))
                if rng.random() < ranged:
                    child.payoff_range = (child.payoff - 30.0, child.payoff + 30.0)
            nodes[cid] = child
            node.children.append(cid)
            queue.append(cid)
        if node.kind == CHANCE and rng.random() < 0.05:
            first = nodes[node.children[0]]
            first.probability = f"min(max(q*{float(weights[0]) * 2:.4f}, 0), 1)"
            first.probability_range = None
            for c in node.children[1:]:
                nodes[c].probability = "#"
    plan = Plan(title="bench", variables=[Variable("q", 0.5, (0.3, 0.7))],
                tracks=[Track("t", root="n0")], nodes=nodes)
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=None)
    args = parser.parse_args()

    plan = random_plan(args.nodes)
    ranged = sum(1 for n in plan.nodes.values() if n.probability_range or n.payoff_range)
    print(f"nodes: {len(plan.nodes)}, ranged fields: {ranged}, iterations: {args.iterations}, "
          f"chunk: {args.chunk or 'auto'}")
    simulate(plan, iterations=10, seed=0)  # warm caches (expression parsing)

    start = time.perf_counter()
    result = simulate(plan, iterations=args.iterations, seed=0, chunk=args.chunk)
    elapsed = time.perf_counter() - start
    print(f"time: {elapsed:.2f} s")
    summary = result.summary()
    print(f"ev mean {summary['ev']['mean']:.3f} (base {result.base_ev:.3f}), outcome mean "
          f"{summary['outcome']['mean']:.3f}, exposure mean {summary['exposure_mean']:.4f}")

    tracemalloc.start()
    simulate(plan, iterations=args.iterations, seed=0, chunk=args.chunk)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"tracemalloc peak: {peak / 1e6:.1f} MB, max RSS: {rss / 1024:.1f} MB")


if __name__ == "__main__":
    main()
