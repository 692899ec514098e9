"""A plain Python rollback of a ``.bwplan`` file: the yardstick of issue 11.

    python benchmarks/plain_rollback.py FILE

``json.load`` (cyclic GC paused) and one loop over the nodes in reverse
breadth-first order: numbers and ``#`` shares only (no expressions, no
readiness), decisions take the best option, responses add readiness x effect.
Prints the root's expected value. What a person would write in an afternoon,
with none of Branchwise's checks; `branchwise evaluate --json` is measured
against it in the same run (benchmarks/bench_cli.py).
"""
from __future__ import annotations

import gc
import json
import sys


def rollback(path: str) -> float:
    gc.disable()
    with open(path, "rb") as stream:
        data = json.load(stream)
    nodes = {node["id"]: node for node in data["nodes"]}
    root = data["tracks"][0]["root"]
    order = [root]
    for node_id in order:  # grows while it is walked: breadth first
        order.extend(nodes[node_id].get("children", ()))
    sign = -1.0 if data.get("objective") == "minimize" else 1.0
    value: dict[str, float] = {}
    for node_id in reversed(order):
        node = nodes[node_id]
        v = float(node.get("payoff", 0))
        for r in node.get("responses", ()):
            v += r.get("readiness", 0) / 4 * r.get("effect", 0)
        children = node.get("children")
        if children:
            if node["kind"] == "chance":
                shares = [c for c in children if nodes[c].get("probability") == "#"]
                taken = sum(nodes[c]["probability"] for c in children if nodes[c].get("probability") != "#")
                rest = (1.0 - taken) / len(shares) if shares else 0.0
                v += sum((rest if nodes[c].get("probability") == "#" else nodes[c]["probability"]) * value[c]
                         for c in children)
            else:
                v += max(value[c] * sign for c in children) * sign
        value[node_id] = v
    return value[root]


if __name__ == "__main__":
    print(json.dumps({"ev": rollback(sys.argv[1])}))
