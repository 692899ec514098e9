"""Sensitivity with many chained variables (issue 11: linear in the number of parameters).

    .venv/bin/python benchmarks/bench_sensitivity.py [--variables 1000 2000] [--repeat 3]

Writes a plan whose variables are each defined from the one before
(``v1 = v0 * 1.0001 + 0.5``, ..., every one ranged) with a small decision
tree reading the last one, then times ``branchwise sensitivity --tornado`` and
``branchwise evaluate`` of it as fresh processes (best of ``--repeat``).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_cli import best  # noqa: E402
from planning.model.plan import CHANCE, DECISION, Node, Plan, Track, Variable  # noqa: E402
from planning.files.planfile import save_plan  # noqa: E402


def chained_plan(count: int) -> Plan:
    """``count`` variables, each defined from the last and ranged; a small tree reads the last."""
    variables = [Variable("v0", 1.0, (0.5, 1.5))]
    for k in range(1, count):
        variables.append(Variable(f"v{k}", f"v{k - 1} * 1.0001 + 0.5", (0.0, 10.0 * k)))
    last = f"v{count - 1}"
    nodes = {
        "d": Node("d", DECISION, label="choose", children=["c", "safe"]),
        "c": Node("c", CHANCE, label="venture", children=["win", "lose"]),
        "win": Node("win", label="win", probability=0.6, payoff=f"{last} / 10", path="success"),
        "lose": Node("lose", label="lose", probability="#", payoff=-50.0, path="failure"),
        "safe": Node("safe", label="safe", payoff=20.0),
    }
    return Plan(title=f"{count} chained variables", variables=variables,
                tracks=[Track("t", "main", "d")], nodes=nodes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variables", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    py = sys.executable
    print("| chained variables | `sensitivity --tornado` (CPU) | `evaluate` (CPU) |")
    print("|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.variables:
            path = Path(tmp) / f"chain-{count}.bwplan"
            save_plan(chained_plan(count), path)
            tornado, _, tornado_cpu = best([py, "-m", "app.main", "sensitivity", "--tornado", str(path)], args.repeat)
            evaluate, _, evaluate_cpu = best([py, "-m", "app.main", "evaluate", str(path)], args.repeat)
            print(f"| {count:,} | {tornado:.2f} s ({tornado_cpu:.2f} s) | {evaluate:.2f} s ({evaluate_cpu:.2f} s) |",
                  flush=True)


if __name__ == "__main__":
    main()
