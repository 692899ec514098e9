"""Generated plans of any size, for benchmarks and the gallery.

The plans are random but realistic in shape: bushy chance and decision nodes,
`#` shares, paths, warning times, ranged probabilities and one prepared
response per ten nodes. The same seed gives the same plan.
"""
from __future__ import annotations

import numpy as np

from planning.model.plan import CHANCE, DECISION, TERMINAL, Node, Plan, Response, Track, Variable

__all__ = ["random_plan"]


def random_plan(n_nodes: int, responses: int | None = None, seed: int = 1, ranges: float = 0.1) -> Plan:
    """A bushy random plan: chance and decision nodes with 2-4 children, breadth first.

    Parameters
    ----------
    n_nodes : int
        Upper bound on the number of nodes.
    responses : int, optional
        How many prepared responses (default: one per ten nodes).
    seed : int
        Seed of the generator: the same seed gives the same plan.
    ranges : float
        Share of explicit branch probabilities that get a range.

    Examples
    --------
    >>> plan = random_plan(50, seed=3)
    >>> 40 <= len(plan.nodes) <= 50
    True
    >>> plan.tracks[0].root
    'n0'
    """
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
